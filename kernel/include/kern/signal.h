/*
 * Signals (Linux semantics).  Dispositions live in a struct sighand shared
 * by the threads of a process (CLONE_SIGHAND); each task has its own mask
 * and pending set, and the process has a shared pending set for signals
 * sent to the whole process.  Delivery happens on the way back to user
 * mode (user_return_work): default actions (terminate, core, stop,
 * continue, ignore) or a frame on the user stack for a handler, undone by
 * rt_sigreturn.
 *
 * Locking: sighand->lock protects actions and every pending set of the
 * process (task and shared); masks are changed only by their own task.
 */
#ifndef KERN_SIGNAL_H
#define KERN_SIGNAL_H

#include <kern/types.h>
#include <kern/spinlock.h>
#include <abi/signal.h>

struct task;
struct proc;
struct hw_trapframe;

/* The kernel's names for the ABI_ constants of abi/signal.h. */
#define NSIG		ABI_NSIG
#define SIGRTMIN	ABI_SIGRTMIN
#define SIG_DFL		ABI_SIG_DFL
#define SIG_IGN		ABI_SIG_IGN

#define SIGBIT(sig)	(1ULL << ((sig) - 1))
#define SIG_UNBLOCKABLE	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/* What the kernel keeps of a queued signal's siginfo. */
struct ksiginfo {
	int code;
	int pid;
	u32 uid;
	int status;
	u64 addr;
};

struct sigpending {
	u64 set;
	struct ksiginfo info[NSIG];	/* one queued instance per signal (standard signals) */
};

struct sighand {
	struct spinlock lock;
	int refcount;			/* atomic */
	struct abi_sigaction action[NSIG];
};

struct sighand *sighand_alloc(void);
struct sighand *sighand_copy(struct sighand *sh);
void sighand_put(struct sighand *sh);
/* exec: handled signals go back to SIG_DFL, ignored stay ignored. */
void sighand_reset_for_exec(struct sighand *sh);

/* Send sig to a process (any thread that does not block it); 0 or -errno. */
int send_signal_proc(struct proc *p, int sig, const struct ksiginfo *info);
/* Send sig to one task. */
int send_signal_task(struct task *t, int sig, const struct ksiginfo *info);
/* Raise a fault signal on the current task (from a user exception). */
void force_signal(int sig, int code, uintptr_t addr);
/* The signal frame could not be written: SIGSEGV with its default action. */
void force_fatal_sigsegv(void);
/* Take the lowest pending signal of set off the current task's queues (its own first); 0 if none. */
int signal_dequeue_set(u64 set, struct ksiginfo *info);
struct abi_siginfo;
/* The user siginfo of a queued signal (proc/sigframe.c). */
void siginfo_fill(struct abi_siginfo *si, int sig, const struct ksiginfo *k);
/* True if t has an unblocked pending signal. */
bool signal_pending(struct task *t);
/* True if a signal of mask is pending for t (its own or its process's), blocked or not. */
bool signal_pending_mask(struct task *t, u64 mask);
/* Deliver pending signals to the current task before it returns to user mode. */
void do_signals(struct hw_trapframe *tf);
/* Work on every return to user mode: reschedule, then signals. */
void user_return_work(struct hw_trapframe *tf);

#endif
