/*
 * Host shim (see kmalloc_shim.h): kmalloc on malloc with failure
 * injection, spinlocks as C11 atomic test-and-set, panic that longjmps
 * back into the test when armed and aborts otherwise.  Linked by tests
 * through their "// SOURCES:" line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <kern/kmalloc.h>
#include <kern/spinlock.h>
#include "kmalloc_shim.h"

int shim_fail_after = -1;
long shim_allocs, shim_frees;
size_t shim_last_request;
jmp_buf shim_panic_jmp;
int shim_panic_armed;
char shim_panic_msg[256];

static int should_fail(size_t size, int flags)
{
	if (!(flags & (MEM_WAIT | MEM_ATOMIC))) {
		fprintf(stderr, "shim: allocation without MEM_WAIT/MEM_ATOMIC\n");
		abort();
	}
	shim_last_request = size;
	if (size > SHIM_MAX_ALLOC)
		return 1;
	if (shim_fail_after < 0)
		return 0;
	if (shim_fail_after == 0)
		return 1;
	shim_fail_after--;
	return 0;
}

void *__kmalloc(size_t size, int flags)
{
	void *p;

	if (should_fail(size, flags))
		return NULL;
	p = (flags & MEM_ZERO) ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
	if (p)
		__atomic_add_fetch(&shim_allocs, 1, __ATOMIC_RELAXED);
	return p;
}

void *__kzmalloc(size_t size, int flags)
{
	return __kmalloc(size, flags | MEM_ZERO);
}

void *__krealloc(void *p, size_t size, int flags)
{
	void *n;

	if (!p)
		return __kmalloc(size, flags);
	if (should_fail(size, flags))
		return NULL;
	n = realloc(p, size ? size : 1);
	if (n) {
		__atomic_add_fetch(&shim_allocs, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&shim_frees, 1, __ATOMIC_RELAXED);
	}
	return n;
}

void kfree(void *p)
{
	if (p)
		__atomic_add_fetch(&shim_frees, 1, __ATOMIC_RELAXED);
	free(p);
}

size_t ksize(const void *p)
{
	return malloc_usable_size((void *)p);
}

void spinlock_init(struct spinlock *l, const char *name)
{
	l->next = l->owner = 0;
	l->holder = -1;
	l->name = name;
}

void spin_lock(struct spinlock *l)
{
	u32 t = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != t)
		;
}

void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

u64 spin_lock_irqsave(struct spinlock *l)
{
	spin_lock(l);
	return 0;
}

void spin_unlock_irqrestore(struct spinlock *l, u64 flags)
{
	(void)flags;
	spin_unlock(l);
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(shim_panic_msg, sizeof(shim_panic_msg), fmt, ap);
	va_end(ap);
	if (shim_panic_armed)
		longjmp(shim_panic_jmp, 1);
	fprintf(stderr, "panic at %s:%d: %s\n", file, line, shim_panic_msg);
	abort();
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
