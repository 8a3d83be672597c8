/*
 * Process debugging, the debugger's side: attach and detach, stop and
 * continue (all threads or one, with the trap flag for a single step),
 * hardware breakpoints, the event queue, and the registers of a parked
 * thread (model in kern/procdbg.h; the files that call these are in
 * kernel/dev/proc_dbg.c).
 *
 * Every operation names the tracee by pid and looks it up again under
 * proc_tree_lock (which keeps it alive) and its lock; only the process
 * that attached (tracer_pid) may operate, and the attachment is the open
 * ctl file (owner), so a debugger that dies detaches when its files
 * close.  Waits (stop, event reads) hold a reference on the proc_dbg, not
 * on the process, and sleep until its gen moves.
 */
#include <kern/procdbg.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/fpu_state.h>
#include <kern/uvm.h>
#include <abi/ptrace.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <arch/apic.h>
#include "internal.h"

/* pid's process if the caller is its debugger: NULL with *err set.  proc_tree_lock held. */
static struct proc *__traced(int pid, int *err)
{
	struct proc *me = current_proc(), *p = __pid_lookup(pid);

	*err = -ESRCH;
	if (!p || p->pid != pid)
		return NULL;
	if (!p->dbg || !READ_ONCE(p->dbg->owner) || !me || p->dbg->tracer_pid != me->pid) {
		*err = -EPERM;
		return NULL;
	}
	*err = 0;
	return p;
}

/* The thread tid of p, or NULL (p->lock held); never a kernel worker (struct task.kworker). */
static struct task *__find_task(struct proc *p, int tid)
{
	struct task *t;

	list_for_each_entry(t, &p->tasks, proc_link)
		if (t->tid == tid && !t->kworker)
			return t;
	return NULL;
}

/* Is t parked (or job-stopped) and switched out, so its saved user state is complete? */
static bool __task_stopped(struct task *t)
{
	if (!t->dbg_parked && !t->stopped)
		return false;
	return READ_ONCE(per_cpu(current_task, t->cpu)) != t;
}

int procdbg_attach(int pid, const struct file *owner)
{
	struct proc_dbg *nd = kzmalloc(sizeof(*nd), MEM_WAIT), *d;
	struct proc *me = current_proc(), *p;
	int err = -ESRCH;
	u64 flags;

	if (!nd)
		return -ENOMEM;
	nd->refcnt = 1;
	spinlock_init(&nd->lock, "procdbg");
	wait_queue_init(&nd->wq, "procdbg");
	flags = spin_lock_irqsave(&proc_tree_lock);
	p = __pid_lookup(pid);
	if (!p || p->pid != pid || p->zombie || READ_ONCE(p->exiting))
		goto out;
	err = -EPERM;
	if (!me || p == me)
		goto out;
	err = procdbg_may_attach(p);
	if (err)
		goto out;
	spin_lock(&p->lock);
	if (!p->dbg) {
		p->dbg = nd;
		nd = NULL;
	}
	d = p->dbg;
	spin_lock(&d->lock);
	if (d->owner) {
		err = -EBUSY;
	} else {
		d->owner = owner;
		d->tracer_pid = me->pid;
		d->ev_head = d->ev_tail = 0;
		d->exited = false;
	}
	spin_unlock(&d->lock);
	spin_unlock(&p->lock);
out:
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	if (nd)
		kfree(nd);
	return err;
}

/* Let every thread of p go and forget the debugger (proc_tree_lock and p->lock held). */
static void __detach(struct proc *p)
{
	struct proc_dbg *d = p->dbg;
	struct task *t;

	spin_lock(&d->lock);
	d->owner = NULL;
	d->tracer_pid = 0;
	d->ev_head = d->ev_tail = 0;
	d->dr7 = 0;
	memset(d->dr, 0, sizeof(d->dr));
	spin_unlock(&d->lock);
	list_for_each_entry(t, &p->tasks, proc_link) {
		t->dbg_hold = false;
		t->dbg_step = false;
		t->dbg_sig = 0;
		if (t->dbg_parked)
			task_wakeup(t);
	}
}

int procdbg_detach(int pid, const struct file *owner)
{
	struct proc *p;
	struct proc_dbg *d = NULL;
	int err;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	p = __traced(pid, &err);
	if (p && owner && READ_ONCE(p->dbg->owner) != owner)
		err = -EPERM;
	if (!err) {
		spin_lock(&p->lock);
		d = p->dbg;
		__detach(p);
		spin_unlock(&p->lock);
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	if (d)
		procdbg_bump(d);
	return err;
}

void procdbg_close(int pid, const struct file *owner)
{
	struct proc *p;
	struct proc_dbg *d = NULL;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	p = __pid_lookup(pid);
	if (p && p->pid == pid && p->dbg && READ_ONCE(p->dbg->owner) == owner) {
		spin_lock(&p->lock);
		d = p->dbg;
		__detach(p);
		spin_unlock(&p->lock);
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	if (d)
		procdbg_bump(d);
}

struct gen_wait {
	struct proc_dbg *d;
	u32 gen;
};

static bool gen_moved(void *arg)
{
	struct gen_wait *w = arg;

	return READ_ONCE(w->d->gen) != w->gen;
}

/* Hold t and make it reach its return to user mode (p->lock held). */
static void __kick(struct task *t)
{
	t->dbg_hold = true;
	smp_mb();	/* pairs with the sleeper's (sched/wait.c): it sees the hold or we see it asleep */
	if (t->state == TASK_SLEEPING && !t->stopped && !t->dbg_parked)
		task_wakeup(t);
	else if (t->state == TASK_RUNNING && t != current() &&
		 READ_ONCE(per_cpu(current_task, t->cpu)) == t)
		send_ipi(t->cpu, VEC_RESCHED);
}

enum stop_state { STOP_DONE, STOP_WAIT, STOP_SWITCHING, STOP_GONE };

/*
 * Where the stop of pid's thread tid (0: every thread) stands; holds them
 * first if hold.  Every thread includes the kernel workers, which no tid
 * names: a stopped process's memory does not change under its debugger.
 * Takes the locks.
 */
static enum stop_state stop_state(int pid, int tid, bool hold, struct proc_dbg **dp, int *err)
{
	bool found = false;

	enum stop_state st = STOP_DONE;
	struct proc *p;
	struct task *t;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	p = __traced(pid, err);
	if (!p) {
		st = STOP_GONE;
		goto out;
	}
	if (dp && !*dp) {
		*dp = p->dbg;
		procdbg_get(*dp);
	}
	spin_lock(&p->lock);
	if (p->zombie || p->exiting) {
		spin_unlock(&p->lock);
		st = STOP_GONE;
		*err = -ESRCH;
		goto out;
	}
	list_for_each_entry(t, &p->tasks, proc_link) {
		if (tid && (t->tid != tid || t->kworker))
			continue;
		found = true;
		if (hold)
			__kick(t);
		if (!t->dbg_parked && !t->stopped)
			st = STOP_WAIT;
		else if (st == STOP_DONE && !__task_stopped(t))
			st = STOP_SWITCHING;
	}
	if (!found) {
		st = STOP_GONE;
		*err = -ESRCH;
	}
	spin_unlock(&p->lock);
out:
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return st;
}

int procdbg_stop(int pid, int tid)
{
	struct proc_dbg *d = NULL;
	struct gen_wait w;
	int err = 0;
	bool first = true;

	for (;;) {
		enum stop_state st;

		w.gen = d ? READ_ONCE(d->gen) : 0;
		st = stop_state(pid, tid, first, &d, &err);
		first = false;
		if (st == STOP_DONE || st == STOP_GONE)
			break;
		if (st == STOP_SWITCHING) {
			/* Parked, not yet switched out: a matter of instructions. */
			sched_yield_cpu();
			continue;
		}
		w.d = d;
		err = wait_event(&d->wq, gen_moved, &w, 0);
		if (err)
			break;
	}
	if (d)
		procdbg_put(d);
	return err;
}

int procdbg_cont(int pid, int tid, bool step, int sig)
{
	struct proc *p;
	struct task *t;
	int err, found = 0;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	p = __traced(pid, &err);
	if (!p)
		goto out;
	spin_lock(&p->lock);
	list_for_each_entry(t, &p->tasks, proc_link) {
		if (tid && (t->tid != tid || t->kworker))
			continue;
		found++;
		t->dbg_step = step;
		t->dbg_sig = sig;
		t->dbg_hold = false;
		if (t->dbg_parked)
			task_wakeup(t);
	}
	spin_unlock(&p->lock);
	if (!found)
		err = -ESRCH;
out:
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return err;
}

int procdbg_set_dr(int pid, int slot, u64 addr, int rw, int len)
{
	static const u8 len_bits[9] = { [1] = 0, [2] = 1, [4] = 3, [8] = 2 };
	struct proc *p;
	int err;
	u64 flags, mask;

	if (slot < 0 || slot >= ABI_DR_SLOTS)
		return -EINVAL;
	if (rw >= 0) {
		if ((rw != 0 && rw != 1 && rw != 3) || len < 1 || len > 8 || (len & (len - 1)) ||
		    (rw == 0 && len != 1) || (addr & (u64)(len - 1)) || addr >= USER_MAX)
			return -EINVAL;
	}
	flags = spin_lock_irqsave(&proc_tree_lock);
	p = __traced(pid, &err);
	if (p) {
		spin_lock(&p->dbg->lock);
		mask = ABI_DR7_ENABLE(slot) | ABI_DR7_RW(slot, 3) | ABI_DR7_LEN(slot, 3);
		p->dbg->dr7 &= ~mask;
		p->dbg->dr[slot] = rw >= 0 ? addr : 0;
		if (rw >= 0)
			p->dbg->dr7 |= ABI_DR7_ENABLE(slot) | ABI_DR7_RW(slot, rw) |
				       ABI_DR7_LEN(slot, len_bits[len]);
		if (!(p->dbg->dr7 & 0xff))
			p->dbg->dr7 = 0;
		spin_unlock(&p->dbg->lock);
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return err;
}

/* Copy whole queued event lines of d into buf; bytes (0 if none).  d->lock taken. */
static size_t take_events(struct proc_dbg *d, char *buf, size_t n)
{
	size_t done = 0;
	u64 flags = spin_lock_irqsave(&d->lock);

	while (d->ev_tail != d->ev_head) {
		const char *e = d->ev[d->ev_tail % PROCDBG_NEVENTS];
		size_t len = strlen(e);

		if (done + len + 1 > n)
			break;
		memcpy(buf + done, e, len);
		buf[done + len] = '\n';
		done += len + 1;
		d->ev_tail++;
	}
	spin_unlock_irqrestore(&d->lock, flags);
	return done;
}

ssize_t procdbg_read_events(int pid, char *buf, size_t n, bool nonblock)
{
	struct proc_dbg *d = NULL;
	struct proc *p;
	struct gen_wait w;
	ssize_t ret;
	int err;
	u64 flags;

	if (n < PROCDBG_EVLEN)
		return -EINVAL;
	for (;;) {
		flags = spin_lock_irqsave(&proc_tree_lock);
		p = __traced(pid, &err);
		if (p && !d) {
			d = p->dbg;
			procdbg_get(d);
		}
		spin_unlock_irqrestore(&proc_tree_lock, flags);
		if (!d)
			return err == -ESRCH ? 0 : err;	/* reaped: end of file */
		w.d = d;
		w.gen = READ_ONCE(d->gen);
		ret = (ssize_t)take_events(d, buf, n);
		if (ret || !p || READ_ONCE(d->exited))
			break;		/* events, or the tracee is gone: end of file */
		ret = -EAGAIN;
		if (nonblock)
			break;
		ret = wait_event(&d->wq, gen_moved, &w, 0);
		if (ret)
			break;
	}
	procdbg_put(d);
	return ret;
}

bool procdbg_events_ready(int pid)
{
	struct proc *p;
	int err;
	bool ready = true;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	p = __traced(pid, &err);
	if (p)
		ready = READ_ONCE(p->dbg->ev_head) != READ_ONCE(p->dbg->ev_tail) ||
			READ_ONCE(p->dbg->exited);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return ready;
}

/* Linux's user_regs_struct from a trap frame. */
static void regs_from_tf(struct task *t, struct abi_user_regs *r)
{
	const struct hw_trapframe *tf = t->utf;

	memset(r, 0, sizeof(*r));
	r->r15 = tf->r15; r->r14 = tf->r14; r->r13 = tf->r13; r->r12 = tf->r12;
	r->rbp = tf->rbp; r->rbx = tf->rbx; r->r11 = tf->r11; r->r10 = tf->r10;
	r->r9 = tf->r9; r->r8 = tf->r8; r->rax = tf->rax; r->rcx = tf->rcx;
	r->rdx = tf->rdx; r->rsi = tf->rsi; r->rdi = tf->rdi;
	r->orig_rax = tf->trapno == T_SYSCALL ? tf->err : (u64)-1;
	r->rip = tf->rip; r->cs = tf->cs; r->eflags = tf->rflags; r->rsp = tf->rsp;
	r->ss = tf->ss; r->fs_base = t->fs_base;
}

/* Flags a debugger may change (Linux's FLAG_MASK: CF PF AF ZF SF TF DF OF NT RF AC). */
#define USER_FLAGS_MASK	0x54dd5ULL

/* Store user_regs_struct into a trap frame; -EINVAL for a non-user rip/rsp/fs_base. */
static int regs_to_tf(struct task *t, const struct abi_user_regs *r)
{
	struct hw_trapframe *tf = t->utf;

	if (r->rip >= USER_MAX || r->fs_base >= USER_MAX)
		return -EINVAL;
	tf->r15 = r->r15; tf->r14 = r->r14; tf->r13 = r->r13; tf->r12 = r->r12;
	tf->rbp = r->rbp; tf->rbx = r->rbx; tf->r11 = r->r11; tf->r10 = r->r10;
	tf->r9 = r->r9; tf->r8 = r->r8; tf->rax = r->rax; tf->rcx = r->rcx;
	tf->rdx = r->rdx; tf->rsi = r->rsi; tf->rdi = r->rdi;
	if (tf->trapno == T_SYSCALL)
		tf->err = r->orig_rax;
	tf->rip = r->rip;
	tf->rsp = r->rsp;
	tf->rflags = (tf->rflags & ~USER_FLAGS_MASK) | (r->eflags & USER_FLAGS_MASK);
	t->fs_base = r->fs_base;
	return 0;
}

/* FXSAVE image of t's saved FPU state in/out (the legacy area heads XSAVE's too). */
static int fpregs_rw(struct task *t, void *buf, bool write)
{
	u8 *area = t->fpu->area;

	if (!write) {
		memcpy(buf, area, sizeof(struct abi_user_fpregs));
		return 0;
	}
	memcpy(area, buf, 160 + 256);	/* control words, x87 and XMM registers */
	/* Reserved MXCSR bits would fault the restore. */
	((struct abi_user_fpregs *)area)->mxcsr &= 0xffbf;
	if (fpu_have_xsave)
		area[512] |= 3;		/* XSTATE_BV: x87 and SSE come from the image */
	return 0;
}

int procdbg_regs(int pid, int tid, void *buf, bool fp, bool write)
{
	struct proc *p;
	struct task *t;
	int err;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	p = __traced(pid, &err);
	if (!p)
		goto out;
	spin_lock(&p->lock);
	t = __find_task(p, tid);
	err = -ESRCH;
	if (t && __task_stopped(t) && t->utf && t->fpu) {
		if (fp)
			err = fpregs_rw(t, buf, write);
		else if (write)
			err = regs_to_tf(t, buf);
		else {
			regs_from_tf(t, buf);
			err = 0;
		}
	}
	spin_unlock(&p->lock);
out:
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return err;
}
