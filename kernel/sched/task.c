/*
 * Task creation and teardown.  A task's kernel stack is KSTACK_SIZE bytes
 * from the page allocator; a fresh task's stack holds a __switch_to frame
 * whose return address is a trampoline (kernel threads) or the user-mode
 * entry path (user tasks, whose registers sit at the top of the stack as a
 * struct hw_trapframe).
 */
#include <kern/sched.h>
#include <kern/kmalloc.h>
#include <kern/pmm.h>
#include <kern/string.h>
#include <kern/memlayout.h>
#include <kern/printk.h>
#include <arch/trap.h>

#define KSTACK_ORDER	2	/* 4 pages = KSTACK_SIZE */
STATIC_ASSERT((PGSIZE << KSTACK_ORDER) == KSTACK_SIZE);

static int next_tid = 1;

/* Allocate a task id (never reused before 2^31 allocations). */
static int tid_alloc(void)
{
	return __atomic_fetch_add(&next_tid, 1, __ATOMIC_RELAXED);
}

struct task *task_alloc(const char *name)
{
	struct task *t = kzmalloc(sizeof(*t), MEM_WAIT);
	physaddr_t stack;

	if (!t)
		return NULL;
	stack = page_alloc(KSTACK_ORDER, MEM_WAIT | MEM_USER);
	if (!stack) {
		kfree(t);
		return NULL;
	}
	t->kstack = KADDR(stack);
	t->state = TASK_CREATED;
	t->name = name;
	t->tid = tid_alloc();
	t->cpus_allowed = ~0ULL;
	INIT_LIST_HEAD(&t->run_link);
	INIT_LIST_HEAD(&t->proc_link);
	return t;
}

void task_free(struct task *t)
{
	if (t->kstack)
		page_free(PADDR(t->kstack), KSTACK_ORDER);
	kfree(t->fpu);
	kfree(t);
}

/* Top of t's kernel stack. */
uintptr_t task_kstack_top(struct task *t)
{
	return (uintptr_t)t->kstack + KSTACK_SIZE;
}

/*
 * Lay out a __switch_to frame below sp that "returns" to entry with
 * r12 = a0 and r13 = a1; sets t->ksp.  sp must be 16-byte aligned.
 */
static void push_switch_frame(struct task *t, uintptr_t sp, void *entry, u64 a0, u64 a1)
{
	u64 *f = (u64 *)(sp - 72);

	/* pop order: r15 r14 r13 r12 rbx rbp, then ret; rsp ends 16-aligned. */
	f[0] = 0;
	f[1] = 0;
	f[2] = a1;
	f[3] = a0;
	f[4] = 0;
	f[5] = 0;
	f[6] = (u64)entry;
	f[7] = 0;
	f[8] = 0;
	t->ksp = (u64)f;
}

struct task *kthread_create(void (*fn)(void *), void *arg, const char *name)
{
	struct task *t = task_alloc(name);

	if (!t)
		return NULL;
	push_switch_frame(t, task_kstack_top(t), task_entry_trampoline, (u64)fn, (u64)arg);
	return t;
}

/* Prepare a user task: registers at the stack top, first switch enters user mode. */
struct hw_trapframe *task_setup_user(struct task *t)
{
	uintptr_t top = task_kstack_top(t);
	struct hw_trapframe *tf = (struct hw_trapframe *)(top - sizeof(*tf));

	memset(tf, 0, sizeof(*tf));
	tf->cs = GD_UT | 3;
	tf->ss = GD_UD | 3;
	tf->rflags = 0x202;
	tf->gsbase_swapped = 1;
	t->utf = tf;
	push_switch_frame(t, ROUNDDOWN((uintptr_t)tf, 16), user_task_trampoline, (u64)tf, 0);
	return tf;
}

/* A user task whose first switch runs fn(arg) in the kernel instead of entering user mode. */
void task_set_kernel_entry(struct task *t, void (*fn)(void *), void *arg)
{
	push_switch_frame(t, ROUNDDOWN((uintptr_t)t->utf, 16), task_entry_trampoline, (u64)fn,
			  (u64)arg);
}
