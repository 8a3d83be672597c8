/*
 * fork, vfork and clone.  A new process gets a copy-on-write copy of the
 * address space (or shares it with CLONE_VM), a copy of the descriptor
 * table, filesystem context and signal dispositions (or shares the latter
 * with CLONE_SIGHAND), and one task whose registers are the caller's with
 * rax = 0.  CLONE_THREAD adds a task to the caller's own process instead.
 * vfork suspends the parent until the child execs or exits.
 */
#include <kern/proc.h>
#include <kern/mcp.h>
#include <kern/sched.h>
#include <kern/uvm.h>
#include <kern/kmalloc.h>
#include <kern/uaccess.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/fpu_state.h>
#include <kern/syscall.h>
#include <kern/memlayout.h>
#include <kern/ttrace.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <abi/sched.h>
#include <kern/procdbg.h>
#include "internal.h"

#define SUPPORTED_FLAGS		(0xff | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
				 CLONE_VFORK | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | \
				 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | \
				 CLONE_CHILD_SETTID | CLONE_PARENT)

/* Copy the caller's user registers and vector state into t. */
static void copy_thread_state(struct task *t, struct task *cur, uintptr_t newsp, u64 flags, u64 tls)
{
	*t->utf = *cur->utf;
	t->utf->rax = 0;
	if (newsp)
		t->utf->rsp = newsp;
	t->fs_base = (flags & CLONE_SETTLS) ? tls : rdmsr(MSR_FS_BASE);
	fpu_save(t->fpu);
	t->sigmask = cur->sigmask;
	t->cpus_allowed = sched_get_affinity(cur);
	t->altstack = newsp ? (struct abi_stack){ 0, SS_DISABLE, 0, 0 } : cur->altstack;
}

/* Build the process part of a fork/vfork child; NULL with *err set on failure. */
static struct proc *fork_proc(struct proc *p, u64 flags, int *err)
{
	struct proc *c = proc_alloc();

	*err = -ENOMEM;
	if (!c)
		return NULL;
	c->mm = (flags & CLONE_VM) ? p->mm : mm_fork(p->mm);
	if (!c->mm)
		goto no_mem;
	if (flags & CLONE_VM)
		mm_get(p->mm);
	if (flags & CLONE_FILES) {
		c->fdt = p->fdt;
		__atomic_fetch_add(&c->fdt->sharers, 1, __ATOMIC_RELAXED);
	} else {
		c->fdt = kzmalloc(sizeof(*c->fdt), MEM_WAIT);
		if (!c->fdt || fdt_copy(c->fdt, p->fdt)) {
			kfree(c->fdt);
			c->fdt = NULL;
			goto no_mem;
		}
		c->fdt->sharers = 0;
	}
	/* CLONE_FS shares root, cwd and umask; the permission ids stay per process. */
	if (flags & CLONE_FS)
		vfs_ctx_share(&c->fs, &p->fs);
	else if (vfs_ctx_copy(&c->fs, &p->fs))
		goto no_mem;
	if (flags & CLONE_SIGHAND) {
		c->sighand = p->sighand;
		__atomic_fetch_add(&c->sighand->refcount, 1, __ATOMIC_RELAXED);
	} else {
		c->sighand = sighand_copy(p->sighand);
		if (!c->sighand)
			goto no_mem;
	}
	c->uid = p->uid; c->euid = p->euid; c->suid = p->suid;
	c->gid = p->gid; c->egid = p->egid; c->sgid = p->sgid;
	memcpy(c->rlimits, p->rlimits, sizeof(c->rlimits));
	c->personality = p->personality;
	/* Only real-time policies (never set here) fall back at a SCHED_RESET_ON_FORK fork. */
	c->sched_policy = p->sched_policy;
	memcpy(c->comm, p->comm, sizeof(c->comm));
	memcpy(c->exe, p->exe, sizeof(c->exe));
	c->exit_signal = flags & 0xff;
	*err = proc_register(c, (flags & CLONE_PARENT) && p->parent ? p->parent : p, p);
	if (*err)
		goto no_mem;
	return c;
no_mem:
	proc_free(c);
	return NULL;
}

static bool vfork_done(void *arg)
{
	return READ_ONCE(((struct proc *)arg)->vfork_done);
}

long proc_clone(u64 flags, uintptr_t newsp, uintptr_t parent_tid, uintptr_t child_tid, u64 tls)
{
	struct task *cur = current(), *t;
	struct proc *p = cur->proc, *c;
	int err, id;

	if (flags & ~(u64)SUPPORTED_FLAGS)
		return -EINVAL;
	if (proc_is_mcp(p))
		return -EPERM;	/* an MCP's threads are its vcores (kern/mcp.h) */
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if (flags & CLONE_THREAD) {
		c = p;
	} else {
		c = fork_proc(p, flags, &err);
		if (!c)
			return err;
	}
	t = proc_new_task(c, c->comm, false);
	if (!t) {
		if (c != p)
			proc_free(c);
		return -ENOMEM;
	}
	copy_thread_state(t, cur, newsp, flags, tls);
	/* Thread ids share the pid space; a process's first thread has tid == pid. */
	t->tid = (flags & CLONE_THREAD) ? tid_alloc_for(p) : c->pid;
	if (t->tid < 0) {
		err = t->tid;
		t->tid = 0;
		proc_remove_task(p, t);
		task_free(t);
		return err;
	}
	id = t->tid;
	if (flags & CLONE_PARENT_SETTID)
		(void)uvm_write(p->mm, parent_tid, &id, sizeof(id));
	if (flags & CLONE_CHILD_SETTID)
		(void)uvm_write(c->mm, child_tid, &id, sizeof(id));
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = child_tid;
	if (flags & CLONE_VFORK)
		c->vfork_parent = cur;
	if (c == p)
		procdbg_new_task(p, t);
	if (c != p) {
		u64 irq = spin_lock_irqsave(&c->lock);

		c->state = PROC_RUNNABLE_S;
		spin_unlock_irqrestore(&c->lock, irq);
	}
	ttrace_proc_fork(cur, t);
	task_wakeup(t);
	if (flags & CLONE_VFORK)
		wait_event(&c->child_wait, vfork_done, c, 0);
	return id;
}

/* The vfork child exec'd or exited: let the parent continue. */
void proc_vfork_release(struct proc *c)
{
	if (!c->vfork_parent)
		return;
	c->vfork_parent = NULL;
	WRITE_ONCE(c->vfork_done, true);
	wake_up(&c->child_wait);
}

/* getcpu(2): the CPU the caller runs on (NUMA node 0). */
SYSCALL_DEFINE3(getcpu, unsigned *, ucpu, unsigned *, unode, void *, unused)
{
	unsigned cpu = (unsigned)current()->cpu, node = 0;

	(void)unused;
	if (ucpu && copy_to_user(ucpu, &cpu, sizeof(cpu)))
		return -EFAULT;
	if (unode && copy_to_user(unode, &node, sizeof(node)))
		return -EFAULT;
	return 0;
}

/* struct clone_args of clone3(2), as Linux lays it out (all fields u64). */
struct clone_args {
	u64 flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	u64 set_tid, set_tid_size, cgroup;
};

#define CLONE_ARGS_SIZE_VER0	64
#define CLONE_CLEAR_SIGHAND	0x100000000ULL
#define CLONE_INTO_CGROUP	0x200000000ULL
#define MAX_PID_NS_LEVEL	32

/* Copy in usize bytes of clone_args: bytes past our struct must be zero; 0 or -errno. */
static int copy_clone_args(struct clone_args *ka, const void *uargs, size_t usize)
{
	u8 buf[64];

	if (usize > PGSIZE)
		return -E2BIG;
	if (usize < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	memset(ka, 0, sizeof(*ka));
	if (copy_from_user(ka, uargs, MIN(usize, sizeof(*ka))))
		return -EFAULT;
	for (size_t off = sizeof(*ka); off < usize; off += sizeof(buf)) {
		size_t n = MIN(sizeof(buf), usize - off);

		if (copy_from_user(buf, (const u8 *)uargs + off, n))
			return -EFAULT;
		for (size_t i = 0; i < n; i++)
			if (buf[i])
				return -E2BIG;
	}
	return 0;
}

/*
 * clone3: the clone_args form of clone.  exit_signal is a field (the flag
 * bits below 0x100 must be zero) and the new stack pointer is
 * stack + stack_size.  set_tid (a privileged restore feature) gives the
 * EPERM of an unprivileged caller; pidfds, cgroups and CLONE_CLEAR_SIGHAND
 * are not supported (EINVAL).
 */
SYSCALL_DEFINE2(clone3, const void *, uargs, size_t, usize)
{
	struct clone_args ka;
	int err = copy_clone_args(&ka, uargs, usize);

	if (err)
		return err;
	if (ka.set_tid_size > MAX_PID_NS_LEVEL || (!ka.set_tid) != (!ka.set_tid_size))
		return -EINVAL;
	if (ka.exit_signal > 64)
		return -EINVAL;
	if ((ka.flags & CLONE_INTO_CGROUP) && ka.cgroup > 0x7fffffff)
		return -EINVAL;
	if (ka.flags & (0xff | CLONE_DETACHED | CLONE_PIDFD | CLONE_CLEAR_SIGHAND |
			CLONE_INTO_CGROUP))
		return -EINVAL;
	if ((ka.flags & (CLONE_THREAD | CLONE_PARENT)) && ka.exit_signal)
		return -EINVAL;
	if ((!ka.stack) != (!ka.stack_size) ||
	    (ka.stack && !user_range_fits(ka.stack, ka.stack_size)))
		return -EINVAL;
	if (ka.set_tid)
		return -EPERM;
	return proc_clone(ka.flags | ka.exit_signal, ka.stack + ka.stack_size, ka.parent_tid,
			  ka.child_tid, ka.tls);
}
