/*
 * Asynchronous system calls of many-core processes (SYS_mcp_async; the
 * contract is in abi/mcp.h and docs/mcp.md): a call that would block
 * runs in a kernel task of the process, not on the vcore, so the 2LS
 * keeps running its other uthreads on that vcore meanwhile.
 *
 * Submission (on the vcore, in its own syscall): the struct is read once
 * and its flags word cleared (a struct we cannot write fails at once
 * with EFAULT).  A probe decides whether the call would block: read and
 * readv look at the file's readiness (file_poll: data, hang-up, error,
 * or O_NONBLOCK), write at room for a write of up to PIPE_BUF, a futex
 * wait at the futex value, wait4 runs once with WNOHANG, a sleep at its
 * deadline.  A call that would not block runs at once on the vcore (0);
 * any other goes to a worker (MCP_ASYNC_INPROGRESS).  The probe is a
 * snapshot: another reader of the same file may take the data between
 * probe and call, and that call then blocks the vcore as a plain
 * syscall would.
 *
 * Workers ("mcp-async") are tasks of the process, so the call runs with
 * the process's address space, descriptors, credentials and children, as
 * if the vcore made it; they never enter user mode (task_set_kernel_entry)
 * and block every blockable signal, like vcores.  They are kworkers
 * (struct task): having no user registers, they are no thread of the
 * process to /proc/PID/task (so to gdbserver-akaros), the debugger's tid
 * lookups, tkill or the thread counts; a debugger's stop of every thread
 * still holds them, so a stopped process's memory stays as it is.  A
 * submission hands the call to an idle worker or starts a new one (at
 * most MCP_ASYNC_MAX calls in flight, so at most that many busy
 * workers); a worker done with its
 * call writes result, then flags (MCP_SC_DONE | MCP_SC_ASYNC), posts
 * MCP_EV_SYSCALL to the submitting vcore (__mcp_post_event: IPI if its
 * notifications are on) and waits idle for the next call, or ends when
 * ASYNC_IDLE_MAX others already wait.
 *
 * Stops and exit.  A wait interrupted by a debugger's hold or SIGSTOP
 * parks or stops the worker (procdbg_park, do_signals) and then runs the
 * call again (sleeps keep their absolute deadline).  SIGKILL or an exit
 * of the group ends it without completing the call: the worker is a task
 * of the process, so the exit waits for it (proc_kill_other_threads) and
 * the address space and struct mcp outlive every worker: no call ever
 * writes into a freed process.  A worker that starts after the exit sent
 * its SIGKILLs sees p->exiting at its first checkpoint.
 *
 * Locking: m->async.lock (irqsave) guards the counters, the idle and
 * worker lists and each worker's job and idle fields; it is taken before
 * a worker's wq lock (the wake-up of an idle worker happens under it, so
 * the worker cannot be freed in between) and never together with
 * m->lock.
 */
#include <kern/mcp.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/signal.h>
#include <kern/syscall.h>
#include <kern/uaccess.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/time.h>
#include <kern/clock.h>
#include <kern/vfs.h>
#include <kern/fdtable.h>
#include <kern/poll.h>
#include <kern/pipe.h>
#include <kern/procdbg.h>
#include <abi/futex.h>
#include <abi/time.h>
#include <abi/fcntl.h>
#include <abi/uio.h>
#include "internal.h"
#include "mcp_internal.h"

#define ASYNC_IDLE_MAX		4	/* idle workers kept for the next calls */
#define ASYNC_WRITEV_PROBE	16	/* writev probes sum at most this many iovecs */
#define NSEC_PER_SEC		1000000000LL
#define ERESTARTNOHAND		514
#define ERESTART_RESTARTBLOCK	516

enum async_kind { K_READ, K_WRITE, K_WRITEV, K_SLEEP, K_CLOCK_SLEEP, K_WAIT4, K_FUTEX };

static const struct {
	u64 nr;
	syscall_fn fn;
	enum async_kind kind;
} async_calls[] = {
	{ 0, sys_read, K_READ }, { 1, sys_write, K_WRITE }, { 19, sys_readv, K_READ },
	{ 20, sys_writev, K_WRITEV }, { 35, sys_nanosleep, K_SLEEP }, { 61, sys_wait4, K_WAIT4 },
	{ 202, sys_futex, K_FUTEX }, { 230, sys_clock_nanosleep, K_CLOCK_SLEEP },
};

/* One call as the kernel keeps it (read from the user's struct mcp_syscall once). */
struct mcp_async_job {
	u64 uaddr;		/* the user's struct mcp_syscall */
	int call;		/* index in async_calls */
	int vcoreid;		/* the submitting vcore: gets the event */
	u64 a[6];
	s64 deadline;		/* sleeps: nsec_since_boot() to wake at */
	bool plain;		/* the worker runs the plain call (a CPU-clock sleep) */
};

struct mcp_worker {
	struct mcp *m;
	struct task *task;
	struct wait_queue wq;		/* an idle worker sleeps here */
	bool has_job;			/* job is valid; under m->async.lock */
	bool idle;			/* on m->async.idle; under lock */
	struct mcp_async_job job;	/* under lock while has_job */
	struct list_head idle_link;	/* m->async.idle, under lock */
	struct list_head link;		/* m->async.workers, under lock */
};

/* What the probe found. */
enum probe { RUN_NOW, DONE, BLOCK };

void mcp_async_init(struct mcp *m)
{
	struct mcp_async *as = &m->async;

	as->lock = (struct spinlock)SPINLOCK_INITIALIZER("mcp_async");
	INIT_LIST_HEAD(&as->idle);
	INIT_LIST_HEAD(&as->workers);
}

void mcp_async_free(struct mcp *m)
{
	struct mcp_worker *w, *n;

	list_for_each_entry_safe(w, n, &m->async.workers, link) {
		list_del_init(&w->link);
		kfree(w);
	}
}

/* The call's index in async_calls, or -1 if it cannot go async. */
static int async_lookup(u64 nr)
{
	for (size_t i = 0; i < sizeof(async_calls) / sizeof(async_calls[0]); i++)
		if (async_calls[i].nr == nr)
			return (int)i;
	return -1;
}

/* Readiness probe of fd for reading (!wr) or writing len bytes; RUN_NOW or BLOCK. */
static enum probe probe_fd(int fd, bool wr, u64 len)
{
	struct file *f = fd_file(fd);
	u32 mask;
	bool nonblock;

	if (!f)
		return RUN_NOW;	/* EBADF at once */
	mask = file_poll(f);
	nonblock = f->flags & O_NONBLOCK;
	file_put(f);
	if (nonblock)
		return RUN_NOW;
	if (!wr)
		return mask & (POLLIN | POLLHUP | POLLERR | POLLNVAL) ? RUN_NOW : BLOCK;
	if (mask & (POLLERR | POLLHUP | POLLNVAL))
		return RUN_NOW;
	return (mask & POLLOUT) && len <= PIPE_BUF ? RUN_NOW : BLOCK;
}

/* Bytes a writev would write (for the probe); ~0 if too many iovecs or unreadable. */
static u64 writev_len(const struct abi_iovec *uiov, int cnt)
{
	struct abi_iovec iov;
	u64 total = 0;

	if (cnt < 0 || cnt > ASYNC_WRITEV_PROBE)
		return ~0ULL;
	for (int i = 0; i < cnt; i++) {
		if (copy_from_user(&iov, &uiov[i], sizeof(iov)))
			return 0;	/* EFAULT at once */
		total += iov.len;
	}
	return total;
}

/* Sleep probe: the deadline of nanosleep/clock_nanosleep, or DONE with the error in *ret. */
static enum probe probe_sleep(struct mcp_async_job *j, bool clock, long *ret)
{
	const struct abi_timespec *ureq = (const void *)(clock ? j->a[2] : j->a[0]);
	int id = clock ? (int)j->a[0] : CLOCK_MONOTONIC;
	bool abs = clock && (j->a[1] & TIMER_ABSTIME);
	struct abi_timespec req;
	s64 now = (s64)nsec_since_boot(), ns;

	if (id == CLOCK_PROCESS_CPUTIME_ID) {
		j->plain = true;	/* no wall-clock deadline: the worker runs the call */
		return BLOCK;
	}
	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC && id != CLOCK_MONOTONIC_RAW &&
	    id != CLOCK_REALTIME_COARSE && id != CLOCK_MONOTONIC_COARSE && id != CLOCK_BOOTTIME)
		return RUN_NOW;	/* bad ids, the thread's CPU clock: EINVAL at once */
	if (copy_from_user(&req, ureq, sizeof(req))) {
		*ret = -EFAULT;
		return DONE;
	}
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= NSEC_PER_SEC) {
		*ret = -EINVAL;
		return DONE;
	}
	ns = req.tv_sec > (s64)(~0ULL >> 2) / NSEC_PER_SEC ? (s64)(~0ULL >> 2) :
	     req.tv_sec * NSEC_PER_SEC + req.tv_nsec;
	if (abs) {
		bool rt = id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE;

		ns -= rt ? clock_realtime_ns() : now;	/* now relative */
	}
	j->deadline = now + ns;
	if (ns <= 0) {
		*ret = 0;
		return DONE;
	}
	return BLOCK;
}

/*
 * Would call j block?  RUN_NOW: run it on the vcore; DONE: the probe
 * itself finished it (result in *ret); BLOCK: give it to a worker.
 */
static enum probe async_probe(struct mcp_async_job *j, long *ret)
{
	const struct syscall_args a = { { j->a[0], j->a[1], j->a[2], j->a[3], j->a[4], j->a[5] },
					current()->utf };

	switch (async_calls[j->call].kind) {
	case K_READ:
		return probe_fd((int)j->a[0], false, 0);
	case K_WRITE:
		return probe_fd((int)j->a[0], true, j->a[2]);
	case K_WRITEV:
		return probe_fd((int)j->a[0], true, writev_len((const void *)j->a[1], (int)j->a[2]));
	case K_SLEEP:
		return probe_sleep(j, false, ret);
	case K_CLOCK_SLEEP:
		return probe_sleep(j, true, ret);
	case K_WAIT4: {
		struct syscall_args nohang = a;

		nohang.a[2] |= 1;	/* WNOHANG */
		*ret = sys_wait4(&nohang);
		return *ret == 0 && !(j->a[2] & 1) ? BLOCK : DONE;
	}
	case K_FUTEX: {
		int cmd = (int)j->a[1] & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
		u32 val;

		if (cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET)
			return RUN_NOW;
		if ((j->a[0] & 3) || copy_from_user(&val, (const void *)j->a[0], sizeof(val)) ||
		    val != (u32)j->a[2])
			return RUN_NOW;	/* EINVAL, EFAULT or EAGAIN at once */
		return BLOCK;
	}
	}
	return RUN_NOW;
}

/*
 * Run j's system call in the current task; its result.  A sleep runs to
 * its absolute deadline (-EINTR if a signal or hold interrupts it).
 */
static long async_run_once(const struct mcp_async_job *j)
{
	const struct syscall_args a = { { j->a[0], j->a[1], j->a[2], j->a[3], j->a[4], j->a[5] },
					current()->utf };
	enum async_kind kind = async_calls[j->call].kind;
	s64 left;

	if ((kind != K_SLEEP && kind != K_CLOCK_SLEEP) || j->plain)
		return async_calls[j->call].fn(&a);
	while ((left = j->deadline - (s64)nsec_since_boot()) > 0)
		if (sleep_ns((u64)left))
			return -EINTR;
	return 0;
}

/* Run j as the plain system call (it does not block, or the probe left it to the call). */
static long async_run_plain(const struct mcp_async_job *j)
{
	const struct syscall_args a = { { j->a[0], j->a[1], j->a[2], j->a[3], j->a[4], j->a[5] },
					current()->utf };

	return async_calls[j->call].fn(&a);
}

/*
 * Write j's result and then MCP_SC_DONE (| MCP_SC_ASYNC) to the user's
 * struct; a call that ran in a worker also posts MCP_EV_SYSCALL.  0, or
 * -EFAULT if the struct is no longer writable.
 */
static int async_complete(struct mcp *m, const struct mcp_async_job *j, long ret, bool async)
{
	struct mcp_syscall *usc = (struct mcp_syscall *)j->uaddr;
	s64 result = ret;
	u32 fl = MCP_SC_DONE | (async ? MCP_SC_ASYNC : 0);
	int err = copy_to_user(&usc->result, &result, sizeof(result)) ? -EFAULT : 0;

	barrier();	/* x86 keeps stores in order: result is visible before DONE */
	if (!err && copy_to_user(&usc->flags, &fl, sizeof(fl)))
		err = -EFAULT;
	if (async) {
		struct mcp_event ev = { MCP_EV_SYSCALL, (u32)j->vcoreid, j->uaddr };
		u64 flags = spin_lock_irqsave(&m->lock);

		__mcp_post_event(m, j->vcoreid, &ev);
		spin_unlock_irqrestore(&m->lock, flags);
	}
	return err;
}

/* Must the current worker end (SIGKILL, or its group is exiting)? */
static bool worker_killed(struct task *t)
{
	return signal_pending_mask(t, SIGBIT(SIGKILL)) || READ_ONCE(t->proc->exiting);
}

/*
 * End the current worker: leave the lists (a call it held is dropped:
 * only a dying process does that), free w, end the task.  With killed,
 * as a SIGKILL does (or as a thread of an exiting group).
 */
static void __noreturn worker_exit(struct mcp_worker *w, bool killed)
{
	struct mcp_async *as = &w->m->async;
	u64 flags = spin_lock_irqsave(&as->lock);

	list_del_init(&w->link);
	if (w->idle) {
		list_del_init(&w->idle_link);
		as->nr_idle--;
	}
	if (w->has_job)
		as->nr_inflight--;
	as->nr_workers--;
	spin_unlock_irqrestore(&as->lock, flags);
	kfree(w);
	if (killed)
		proc_exit_group(SIGKILL);	/* claims the exit, or ends this thread */
	proc_exit_thread(0);
}

/*
 * Where a worker answers what stops tasks: SIGKILL or the group's exit
 * ends it, a debugger's hold parks it, SIGSTOP stops it (do_signals; its
 * trap frame is never used for anything else).
 */
static void worker_checkpoint(struct mcp_worker *w)
{
	struct task *t = current();

	if (worker_killed(t))
		worker_exit(w, true);
	if (READ_ONCE(t->dbg_hold))
		procdbg_park(t->utf);
	if (signal_pending(t))
		do_signals(t->utf);	/* may not return (SIGKILL): mcp_async_free frees w */
}

/* Was ret an interruption (by a stop, a hold or SIGKILL) rather than the call's own result? */
static bool interrupted(const struct mcp_async_job *j, long ret)
{
	enum async_kind kind = async_calls[j->call].kind;
	struct task *t = current();

	if (kind == K_SLEEP || kind == K_CLOCK_SLEEP)
		return ret == -EINTR;
	if (ret != -EINTR && ret != -ERESTARTSYS && ret != -ERESTARTNOHAND &&
	    ret != -ERESTART_RESTARTBLOCK)
		return false;
	return signal_pending(t) || worker_killed(t) || READ_ONCE(t->dbg_hold);
}

static bool worker_woken(void *arg)
{
	struct mcp_worker *w = arg;

	return READ_ONCE(w->has_job) || READ_ONCE(w->m->proc->exiting);
}

/* A worker task: run calls until killed or no longer needed; never returns. */
static void worker_main(void *arg)
{
	struct mcp_worker *w = arg;
	struct mcp_async *as = &w->m->async;

	for (;;) {
		struct mcp_async_job j;
		bool keep, has;
		long ret;
		u64 flags;

		worker_checkpoint(w);
		flags = spin_lock_irqsave(&as->lock);
		has = w->has_job;
		if (has)
			j = w->job;
		spin_unlock_irqrestore(&as->lock, flags);
		if (!has) {
			(void)wait_event(&w->wq, worker_woken, w, 0);	/* signals: checkpoint */
			continue;
		}
		for (;;) {
			ret = async_run_once(&j);
			if (!interrupted(&j, ret))
				break;
			worker_checkpoint(w);
		}
		(void)async_complete(w->m, &j, ret, true);
		flags = spin_lock_irqsave(&as->lock);
		w->has_job = false;
		as->nr_inflight--;
		keep = as->nr_idle < ASYNC_IDLE_MAX;
		if (keep) {
			list_add(&w->idle_link, &as->idle);
			w->idle = true;
			as->nr_idle++;
		}
		spin_unlock_irqrestore(&as->lock, flags);
		if (!keep)
			worker_exit(w, worker_killed(current()));
	}
}

/* Start a worker task of m's process for j; 0, -ENOMEM or -EAGAIN (no thread id). */
static int worker_start(struct mcp *m, const struct mcp_async_job *j)
{
	struct proc *p = m->proc;
	struct mcp_async *as = &m->async;
	struct mcp_worker *w = kzmalloc(sizeof(*w), MEM_WAIT);
	struct task *t;
	u64 flags;

	if (!w)
		return -ENOMEM;
	w->m = m;
	wait_queue_init(&w->wq, "mcp_async");
	INIT_LIST_HEAD(&w->idle_link);
	w->job = *j;
	w->has_job = true;
	t = proc_new_task(p, "mcp-async", true);
	if (!t) {
		kfree(w);
		return -ENOMEM;
	}
	t->tid = tid_alloc_for(p);
	if (t->tid < 0) {
		t->tid = 0;
		proc_remove_task(p, t);
		task_free(t);
		wake_up(&p->child_wait);	/* an exit may wait for our count */
		kfree(w);
		return -EAGAIN;
	}
	t->sigmask = ~SIG_UNBLOCKABLE;	/* as vcores: only SIGKILL and SIGSTOP reach it */
	w->task = t;
	task_set_kernel_entry(t, worker_main, w);
	flags = spin_lock_irqsave(&as->lock);
	list_add(&w->link, &as->workers);
	as->nr_workers++;
	spin_unlock_irqrestore(&as->lock, flags);
	task_wakeup(t);
	return 0;
}

/* Hand j to an idle worker or a new one; MCP_ASYNC_INPROGRESS, -EAGAIN (too many) or -ENOMEM. */
static long async_submit(struct mcp *m, const struct mcp_async_job *j)
{
	struct mcp_async *as = &m->async;
	u64 flags = spin_lock_irqsave(&as->lock);
	int err;

	if (as->nr_inflight >= MCP_ASYNC_MAX) {
		spin_unlock_irqrestore(&as->lock, flags);
		return -EAGAIN;
	}
	as->nr_inflight++;
	as->nr_async++;
	if (!list_empty(&as->idle)) {
		struct mcp_worker *w = list_first_entry(&as->idle, struct mcp_worker, idle_link);

		list_del_init(&w->idle_link);
		w->idle = false;
		as->nr_idle--;
		w->job = *j;
		w->has_job = true;
		wake_up(&w->wq);	/* under the lock: w cannot be freed before */
		spin_unlock_irqrestore(&as->lock, flags);
		return MCP_ASYNC_INPROGRESS;
	}
	spin_unlock_irqrestore(&as->lock, flags);
	err = worker_start(m, j);
	if (!err)
		return MCP_ASYNC_INPROGRESS;
	flags = spin_lock_irqsave(&as->lock);
	as->nr_inflight--;
	as->nr_async--;
	spin_unlock_irqrestore(&as->lock, flags);
	return err;
}

/*
 * mcp_async(sc): run the call sc describes without blocking the vcore.
 * 0 when it is done (result, flags written); MCP_ASYNC_INPROGRESS when a
 * worker runs it (MCP_EV_SYSCALL follows); -EINVAL outside an MCP's
 * vcore, for a misaligned sc or an unsupported call; -EFAULT if sc is not
 * readable and writable; -EAGAIN with MCP_ASYNC_MAX calls in flight;
 * -ENOMEM.
 */
SYSCALL_DEFINE1(mcp_async, struct mcp_syscall *, usc)
{
	struct task *t = current();
	struct mcp *m = READ_ONCE(t->proc->mcp);
	struct mcp_syscall sc;
	struct mcp_async_job j;
	enum probe pr;
	long ret = 0;
	u32 zero = 0;
	u64 flags;

	if (!t->vcore || !m || !READ_ONCE(m->is_mcp) || m->mm != t->proc->mm)
		return -EINVAL;
	if ((uintptr_t)usc & 7)
		return -EINVAL;
	if (copy_from_user(&sc, usc, sizeof(sc)) || copy_to_user(&usc->flags, &zero, sizeof(zero)))
		return -EFAULT;
	j.uaddr = (u64)(uintptr_t)usc;
	j.call = async_lookup(sc.num);
	if (j.call < 0)
		return -EINVAL;
	j.vcoreid = t->vcore->id;
	memcpy(j.a, sc.args, sizeof(j.a));
	j.deadline = 0;
	j.plain = false;
	pr = async_probe(&j, &ret);
	if (pr == BLOCK)
		return async_submit(m, &j);
	if (pr == RUN_NOW)
		ret = async_run_plain(&j);
	flags = spin_lock_irqsave(&m->async.lock);
	m->async.nr_sync++;
	spin_unlock_irqrestore(&m->async.lock, flags);
	return async_complete(m, &j, ret, false);
}
