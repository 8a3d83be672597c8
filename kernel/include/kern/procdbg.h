/*
 * Process debugging (kernel/debug/procdbg*.c, procmem.c; the user
 * interface is /proc/PID/{mem,ctl,dbg} and task/TID/{regs,fpregs},
 * kernel/dev/proc_dbg.c; docs/debugging.md).
 *
 * One debugger attaches to a process through its ctl file (the open file
 * is the attachment: closing it detaches).  A struct proc_dbg then hangs
 * off the process; it is refcounted (the process holds one reference
 * until it is freed, each debugger operation one while it sleeps) so a
 * tracer can wait on it while the tracee dies.
 *
 * Stops: a thread the debugger holds (task.dbg_hold) parks at its next
 * return to user mode, where its whole user state is saved (registers in
 * the trap frame, FPU state saved by the switch), and stays parked until
 * the debugger lets it go.  A hold interrupts sleeps as a signal does
 * (signal_pending).  Traps of a traced thread (int3, #DB from the trap
 * flag or the debug registers, signals about to be delivered) queue an
 * event and hold the thread itself.  The hardware breakpoints of a traced
 * process are loaded into the debug registers of whichever CPU runs one
 * of its threads (arch_task_switch), and cleared when the CPU leaves it.
 *
 * Locking: dbg->lock (irqsave) guards the event queue, owner and debug
 * registers; it nests inside proc->lock.  gen is bumped (atomically)
 * after each change a tracer may wait for (a park, an event, a thread
 * leaving); tracers sleep on wq until gen moves, then recheck under the
 * proper locks, so the wait condition takes no lock.
 */
#ifndef KERN_PROCDBG_H
#define KERN_PROCDBG_H

#include <kern/types.h>
#include <kern/spinlock.h>
#include <kern/wait.h>

struct proc;
struct task;
struct hw_trapframe;
struct file;

#define PROCDBG_NEVENTS	32	/* queued events (the oldest is dropped past that) */
#define PROCDBG_EVLEN	64

struct proc_dbg {
	int refcnt;			/* atomic */
	struct spinlock lock;
	const struct file *owner;	/* the attached ctl file, NULL when detached; lock */
	int tracer_pid;			/* lock */
	u32 gen;			/* atomic, see above */
	struct wait_queue wq;		/* tracers wait for gen to move */
	char ev[PROCDBG_NEVENTS][PROCDBG_EVLEN];	/* event lines, lock */
	unsigned ev_head, ev_tail;	/* ring indices (free running), lock */
	u64 dr[4], dr7;			/* hardware breakpoints; written while stopped, lock */
	bool exited;			/* the process is gone: exit event queued; lock */
};

/* Hooks from the process layer (no-ops for untraced processes). */
/* At return to user mode: park t while the debugger holds it. */
void procdbg_park(struct hw_trapframe *tf);
/* int3 or #DB from user mode: true if a debugger takes it (else it is SIGTRAP). */
bool procdbg_trap(struct hw_trapframe *tf);
/* Signal sig is about to be delivered to current: the signal to deliver instead (0 = none). */
int procdbg_signal(struct hw_trapframe *tf, int sig);
/* A new thread t of traced p (clone): held if the others are. */
void procdbg_new_task(struct proc *p, struct task *t);
/* A thread of p left its thread list (p->lock held). */
void procdbg_thread_gone(struct proc *p);
/* p's last thread is going (wait status wstatus): tell the debugger. */
void procdbg_exit(struct proc *p, int wstatus);
/* p finished an exec. */
void procdbg_exec(struct proc *p);
/* p is being freed: drop its reference. */
void procdbg_release(struct proc *p);
/* Context switch to next (arch): load its process's debug registers or clear them. */
void arch_dbg_switch(struct task *next);
/* arch: read DR6 and clear it for the next #DB. */
u64 arch_dr6_take(void);

/* The debugger's operations (procdbg_ctl.c); pid is the tracee, the caller its tracer. */
/* Attach the caller to pid through ctl file owner: 0, -ESRCH, -EPERM/-EACCES, -EBUSY (traced). */
int procdbg_attach(int pid, const struct file *owner);
/* Detach (owner NULL: any of the caller's files): threads run on; 0, -ESRCH or -EPERM. */
int procdbg_detach(int pid, const struct file *owner);
/* ctl file owner closes: detach if it is the attachment. */
void procdbg_close(int pid, const struct file *owner);
/* Stop thread tid (0: every thread), wait until parked: 0, -EINTR, -ESRCH (gone), -EPERM. */
int procdbg_stop(int pid, int tid);
/* Let thread tid (0: all) go, single-stepping if step, delivering sig at a signal stop. */
int procdbg_cont(int pid, int tid, bool step, int sig);
/* Hardware breakpoint slot: rw 0 exec, 1 write, 3 read/write (len 1/2/4/8), -1 clears. */
int procdbg_set_dr(int pid, int slot, u64 addr, int rw, int len);
/* Whole event lines into buf (n >= PROCDBG_EVLEN): bytes, 0 at the end, -EAGAIN, -EINTR. */
ssize_t procdbg_read_events(int pid, char *buf, size_t n, bool nonblock);
/* Would an event read return at once? */
bool procdbg_events_ready(int pid);
/* Registers of stopped thread tid (struct abi_user_regs, or abi_user_fpregs if fp). */
int procdbg_regs(int pid, int tid, void *buf, bool fp, bool write);

/* Memory of another process (procmem.c). */
/* May the current process debug p (same ids and dumpable, or root)?  0 or -EACCES/-EPERM. */
int procdbg_may_attach(struct proc *p);
/* Read (write = false) or write len bytes at addr of pid's memory: bytes done or -errno. */
ssize_t procmem_rw(int pid, uintptr_t addr, void *buf, size_t len, bool write);

#endif
