/*
 * Many-core processes (MCPs), Akaros style.
 *
 * A process becomes an MCP with SYS_change_to_m after mapping its shared
 * pages (abi/mcp.h).  It then owns whole cores: each vcore is one task of
 * the process pinned to a core that core allocation (sched/corealloc.c)
 * has granted to the process, so no other task runs there and the tick
 * never time-slices it.  A vcore without a core is parked: its task sleeps
 * in the kernel until the next grant, on whatever core that brings.
 *
 * Everything the kernel does to a vcore's user context happens on that
 * vcore's own CPU, at its return to user mode (mcp_return_to_user): start
 * at the entry point, take a notification (save the running context into
 * the vcpd, enter vcore context), or lose the core (preemption).  Other
 * CPUs only set flags in struct mcp_vcore and send an IPI.
 *
 * Locking: mcp->lock (irqsave) guards the vcore table (online, pcore,
 * task), nr_online, the kernel copy of procinfo and the mailbox
 * producers.  Order: proc_tree_lock -> mcp->lock -> mm->lock (uvm_read/
 * uvm_write of the shared pages) and mcp->lock -> corealloc and runq
 * locks.  proc->lock is never taken under mcp->lock.
 */
#ifndef KERN_MCP_H
#define KERN_MCP_H

#include <kern/types.h>
#include <kern/spinlock.h>
#include <kern/wait.h>
#include <kern/list.h>
#include <abi/mcp.h>

struct proc;
struct task;
struct mm;
struct slice;
struct hw_trapframe;

struct mcp_vcore {
	int id;
	struct mcp *mcp;
	struct task *task;		/* its task once first granted; under lock */
	int pcore;			/* core while online; under lock */
	bool online;			/* holds a core; under lock */
	bool restart;			/* enter user space at the entry (or vcore_ctx);
					 * set under lock, consumed by the vcore itself */
	bool kick;			/* atomic: look at the vcpd's notification flags */
	bool preempt_req;		/* atomic: give the core back at return to user */
	bool preempt_regrant;		/* with preempt_req: take a core again at once */
	u64 warn_deadline;		/* TSC deadline of a pending preemption warning,
					 * 0 if none; set under lock, read by the vcore */
	struct wait_queue wq;		/* the parked task sleeps here */
};

/*
 * Asynchronous system calls of an MCP (proc/mcp_async.c): the calls in
 * flight and the kernel tasks ("mcp-async" workers, tasks of the process
 * that never enter user mode) that run them.  All under lock.
 */
struct mcp_async {
	struct spinlock lock;
	int nr_inflight;		/* accepted, not yet completed (<= MCP_ASYNC_MAX) */
	int nr_workers;			/* worker tasks alive */
	int nr_idle;			/* workers on idle, waiting for a call */
	struct list_head idle;		/* struct mcp_worker.idle_link */
	struct list_head workers;	/* every struct mcp_worker (freed by mcp_free if
					 * its task died without freeing it) */
	u64 nr_sync, nr_async;		/* calls done at once / by a worker */
};

struct mcp {
	struct spinlock lock;
	struct proc *proc;
	struct mm *mm;			/* the address space the pages live in (referenced) */
	bool is_mcp;			/* change_to_m done; under lock */
	u64 user_sigmask;		/* the program's signal mask at change_to_m (its vcore
					 * tasks block everything; signal.c lets a default-
					 * fatal signal this mask allows through) */
	int nr_online;			/* under lock */
	int max_vcores;
	struct mcp_procinfo info;	/* the kernel's copy; pushed to the page under lock */
	struct mcp_vcore vc[MCP_MAX_VCORES];
	struct mcp_async async;
};

/* Is p a many-core process (after change_to_m)?  Lock-free snapshot. */
bool proc_is_mcp(struct proc *p);
/* Return-to-user work of a vcore task (interrupts off, from user_return_work). */
void mcp_return_to_user(struct hw_trapframe *tf);
/* Task t of p is going away: give back its core (proc_remove_task). */
void mcp_task_exit(struct proc *p, struct task *t);
/* Free p's MCP state (proc_free). */
void mcp_free(struct proc *p);
/* "Vcores:" and "VcoreMap:" lines of /proc/PID/status for pid; 0 or -errno (slice full). */
int mcp_gen_status(int pid, struct slice *s);
/* /proc/PID/vcores: one line per vcore; 0 or -errno. */
int mcp_gen_vcores(int pid, struct slice *s);
/* Monitor `ps`: one line per online vcore of p, without locks. */
void mcp_print_vcores(struct proc *p);

#endif
