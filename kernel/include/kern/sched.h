/*
 * Tasks and the scheduler.
 *
 * A task is the unit the kernel schedules: a kernel stack plus saved
 * registers.  Every user thread of a single-core process (SCP) is one task;
 * kernel threads are tasks without a process.  The kernel is not
 * preemptive: a task running kernel code keeps its CPU until it blocks or
 * returns to user mode, where the timer tick may preempt it.
 *
 * Two separate pieces decide where tasks run:
 *  - core allocation (kernel/sched/corealloc.c) decides which cores are
 *    provisioned for time-sharing and which are granted to MCPs;
 *  - the run-queue policy (kernel/sched/sched.c) orders runnable tasks on
 *    the time-sharing cores (one global FIFO, round robin per tick).
 *
 * Lock order: proc->lock, then sighand->lock, then runq_lock; wait-queue
 * locks also come before runq_lock (wake_up wakes tasks under its queue's
 * lock).
 */
#ifndef KERN_SCHED_H
#define KERN_SCHED_H

#include <kern/types.h>
#include <kern/list.h>
#include <kern/percpu.h>
#include <kern/spinlock.h>
#include <kern/signal.h>

#define SCHED_TICK_NS	4000000ULL	/* 250 Hz scheduler tick */

struct proc;
struct hw_trapframe;
struct fpu_state;
struct mcp_vcore;

enum task_state {
	TASK_CREATED,		/* built, not yet runnable */
	TASK_RUNNABLE,		/* on the run queue */
	TASK_RUNNING,		/* on a CPU */
	TASK_SLEEPING,		/* waiting on a wait queue or a timer; signals wake it */
	TASK_UNINTERRUPTIBLE,	/* waiting; signals do not wake it (hung-task detector) */
	TASK_DEAD,		/* exited; stack freed by whoever reaps it */
};

struct task {
	int tid;
	volatile enum task_state state;	/* transitions under runq_lock, except that a
					 * running task marks itself SLEEPING (and may
					 * undo that) before it calls schedule() */
	u64 ksp;			/* saved kernel rsp while switched out */
	void *kstack;			/* KSTACK_SIZE bytes; NULL for idle tasks */
	struct hw_trapframe *utf;	/* user registers (top of kstack), NULL for kthreads */
	struct fpu_state *fpu;		/* user FPU/vector state, NULL for kthreads */
	struct proc *proc;		/* owning process, NULL for kthreads */
	u64 fs_base;			/* user TLS base (arch_prctl) */
	int cpu;			/* CPU it last ran on */
	u64 cpus_allowed;		/* CPUs it may run on (bit n = CPU n; MAX_CPUS is 64),
					 * under runq_lock; inherited by clone */
	bool need_resched;		/* set by the tick: switch at return to user */
	struct list_head run_link;	/* on the run queue, under runq_lock */
	struct list_head proc_link;	/* in proc->tasks, under proc->lock */
	u64 sigmask;			/* blocked signals; changed only by the task itself */
	u64 saved_sigmask;		/* restored after sigsuspend/ppoll/pselect */
	u64 real_blocked;		/* the mask while rt_sigtimedwait unblocks the awaited
					 * signals to be woken by them (they still count as
					 * blocked, so they are queued); 0 otherwise */
	bool restore_sigmask;
	struct sigpending pending;	/* thread-directed signals, under sighand->lock */
	struct abi_stack altstack;	/* sigaltstack */
	uintptr_t clear_child_tid;	/* CLONE_CHILD_CLEARTID / set_tid_address */
	uintptr_t robust_list;		/* set_robust_list head, 0 if none (ipc/futex.c) */
	int exit_code;
	bool stopped;			/* job-control stop (SIGSTOP...) */
	bool thread_exiting;		/* ending (set before its CLEARTID wake): no
					 * longer a live thread for change_to_m */
	bool dbg_hold;			/* a debugger holds it: park at return to user
					 * (kern/procdbg.h); under proc->lock */
	bool dbg_parked;		/* parked for the debugger, under proc->lock */
	bool dbg_step;			/* resume with the trap flag, under proc->lock */
	int dbg_sig;			/* signal to deliver after a signal stop, under proc->lock */
	u64 wake_time_ns;		/* for timed sleeps, 0 = none */
	u64 utime_ns, stime_ns;		/* accounting */
	u64 last_switch_ns;
	const char *name;
	struct mcp_vcore *vcore;	/* the vcore this task is, NULL for others (kern/mcp.h) */
	bool kworker;			/* a task of its process that never enters user mode
					 * (MCP async workers, proc/mcp_async.c): no user
					 * registers, so not a thread to /proc/PID/task, the
					 * debugger's lookups or thread counts; set before it
					 * is listed, never changed */
};

DECLARE_PER_CPU(struct task *, current_task);

/* The task running on this CPU. */
static inline struct task *current(void)
{
	return this_cpu_read(current_task);
}

/* Set up scheduling on this CPU; the boot stack becomes its idle task. */
void sched_init_cpu(void);
/* Create a kernel thread running fn(arg); returns it (not yet runnable) or NULL. */
struct task *kthread_create(void (*fn)(void *), void *arg, const char *name);
/* Allocate a task with a kernel stack; NULL when memory is short. */
struct task *task_alloc(const char *name);
/* Free a dead task's stack and structure (never the current task). */
void task_free(struct task *t);
/* Make t runnable (from CREATED, SLEEPING or UNINTERRUPTIBLE); false if it was none. */
bool task_wakeup(struct task *t);
/* Give up the CPU; the caller has already set its state if it wants to sleep. */
void schedule(void);
/* Voluntary yield: stay runnable, let others run. */
void sched_yield_cpu(void);
/* Preemption point for long kernel loops: switch now if the tick asked this task to. */
void cond_resched(void);
/* Called by the timer tick on each time-sharing CPU. */
void sched_tick(void);
/* Called just before returning to user mode. */
void sched_return_to_user(void);
/* The current task ends; never returns. */
void __noreturn task_exit_current(void);
/* Sleep for ns nanoseconds; returns 0, or -EINTR if woken early by a signal. */
int sleep_ns(u64 ns);
/* The idle loop of a time-sharing CPU; never returns. */
void __noreturn cpu_idle_loop(void);
/* Set up scheduling on this CPU (tick, syscalls) and run its idle loop. */
void __noreturn cpu_start_scheduling(void);
/* The setup part of cpu_start_scheduling, for the BSP which has more to do first. */
void cpu_sched_setup(void);
/* Number of tasks on the run queue. */
int sched_runnable_count(void);
/*
 * Restrict t to the CPUs in mask (bit n = CPU n); moves it off a CPU no
 * longer allowed before t next runs user code.  0, or -EINVAL when mask
 * holds no online time-sharing CPU.  Callers keep t alive (proc_tree_lock).
 */
int sched_set_affinity(struct task *t, u64 mask);
/* The CPUs t may run on (never 0). */
u64 sched_get_affinity(struct task *t);
/*
 * MCPs: pin t to the granted core (moving the current task there before
 * it returns), or make a core just granted leave its other task at that
 * task's next return to user mode.
 */
void sched_vcore_bind(struct task *t, int core);
void sched_evict_core(int core);

/*
 * Make user task t (task_setup_user done) run fn(arg) in the kernel at its
 * first switch, below its trap frame; fn must end the task itself (MCP
 * async workers, proc/mcp_async.c).
 */
void task_set_kernel_entry(struct task *t, void (*fn)(void *), void *arg);

/* Top of t's kernel stack. */
uintptr_t task_kstack_top(struct task *t);
/* Prepare a user task: registers at the stack top, first switch enters user mode. */
struct hw_trapframe *task_setup_user(struct task *t);
/* Release the switch lock in a task's first run (called from the switch.S trampolines). */
void task_first_run(void);
/* Register the reschedule IPI vector (BSP, once; proc/trap_user.c). */
void sched_ipi_init(void);

/* arch: switch kernel stacks; saves callee-saved registers on the old stack. */
void __switch_to(u64 *old_ksp, u64 new_ksp);
/*
 * arch: where a switched-out task resumes (return address into schedule)
 * and its frame pointer, from the frame __switch_to saved; false if its
 * saved stack pointer is not inside its kernel stack.
 */
bool arch_task_saved_frame(const struct task *t, uintptr_t *pc, uintptr_t *fp);
/* arch: per-task state around a switch (FPU, address space, TLS, kernel stack). */
void arch_task_switch(struct task *prev, struct task *next);
/* arch (switch.S): where a new task's first switch returns to, kernel or user. */
extern char task_entry_trampoline[], user_task_trampoline[];

#endif
