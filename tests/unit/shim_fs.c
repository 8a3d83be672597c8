/*
 * Host shim for the kernel services the VFS uses besides kmalloc:
 * spinlocks (single-threaded tests: a lock taken twice is a bug and
 * aborts), printk (to stdout, prefixed so it stands out) and panic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <kern/spinlock.h>

void spinlock_init(struct spinlock *l, const char *name)
{
	l->next = l->owner = 0;
	l->holder = -1;
	l->name = name;
}

void spin_lock(struct spinlock *l)
{
	if (l->holder != -1) {
		fprintf(stderr, "spin_lock: %s already held (self-deadlock)\n", l->name);
		abort();
	}
	l->holder = 0;
}

bool spin_trylock(struct spinlock *l)
{
	if (l->holder != -1)
		return false;
	l->holder = 0;
	return true;
}

void spin_unlock(struct spinlock *l)
{
	if (l->holder != 0) {
		fprintf(stderr, "spin_unlock: %s not held\n", l->name);
		abort();
	}
	l->holder = -1;
}

bool spin_locked(struct spinlock *l)
{
	return l->holder != -1;
}

u64 spin_lock_irqsave(struct spinlock *l)
{
	spin_lock(l);
	return 0;
}

void spin_unlock_irqrestore(struct spinlock *l, u64 flags)
{
	spin_unlock(l);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	printf("[printk] ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "PANIC at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}
