/*
 * ttrace tracepoints: the one-line hooks the scheduler, the process code,
 * the trap path, the fault path and printk call.  Each is an inline test of one
 * global category mask (ttrace_mask, 0 while tracing is stopped) and a
 * branch the compiler lays out as not taken; only when the category is on
 * does it call the out-of-line writer in kernel/debug/ttrace.c, which
 * stamps the record on this CPU's ring (kernel/debug/ttrace_ring.c).
 *
 * Writers may be called from any context, IRQ and NMI included, with or
 * without locks held: they take no lock and never sleep.  The kernel is
 * not preemptive, so a writer stays on the CPU whose ring it writes.
 * The record layouts are abi/ttrace.h.
 */
#ifndef KERN_TTRACE_H
#define KERN_TTRACE_H

#include <kern/types.h>
#include <kern/compiler.h>
#include <abi/ttrace.h>

struct task;
struct hw_trapframe;
struct wait_queue;

/* Enabled categories (enum ttrace_category); 0 when stopped.  Written by #ttrace/ctl. */
extern u32 ttrace_mask;

/* Whether category cat is being traced (one load, one test). */
#define ttrace_on(cat)	unlikely(READ_ONCE(ttrace_mask) & (cat))

void __ttrace_sys_enter(u64 nr, const u64 *args);
void __ttrace_sys_exit(u64 nr, long ret);
void __ttrace_sched_switch(const struct task *prev, const struct task *next);
void __ttrace_sched_wakeup(const struct task *t);
void __ttrace_proc_fork(const struct task *parent, const struct task *child);
void __ttrace_proc_exec(const struct task *t, const char *path);
void __ttrace_proc_exit(const struct task *t, int code);
void __ttrace_irq(unsigned int type, u64 vector, int ret);
void __ttrace_exc(unsigned int type, const struct hw_trapframe *tf);
void __ttrace_page_fault(u64 addr, int flags, int result);
void __ttrace_wait(unsigned int type, const struct wait_queue *wq, const struct task *t);
void __ttrace_kmsg(unsigned int type, int src, int dst, u64 fn, u64 arg, int kind);
void __ttrace_printk(const char *text, size_t len);

/* A syscall nr with its first arguments starts on the current thread. */
static inline void ttrace_sys_enter(u64 nr, const u64 *args)
{
	if (ttrace_on(TTRACE_CAT_SYSCALL))
		__ttrace_sys_enter(nr, args);
}

/* Syscall nr returns ret. */
static inline void ttrace_sys_exit(u64 nr, long ret)
{
	if (ttrace_on(TTRACE_CAT_SYSCALL))
		__ttrace_sys_exit(nr, ret);
}

/* This CPU switches from prev (its state says why) to next. */
static inline void ttrace_sched_switch(const struct task *prev, const struct task *next)
{
	if (ttrace_on(TTRACE_CAT_SCHED))
		__ttrace_sched_switch(prev, next);
}

/* t was made runnable (only when woke is true); runq_lock held, so t cannot exit meanwhile. */
static inline void ttrace_sched_wakeup(const struct task *t, bool woke)
{
	if (ttrace_on(TTRACE_CAT_SCHED) && woke)
		__ttrace_sched_wakeup(t);
}

/* parent created child (a process or a thread), not yet running. */
static inline void ttrace_proc_fork(const struct task *parent, const struct task *child)
{
	if (ttrace_on(TTRACE_CAT_PROC))
		__ttrace_proc_fork(parent, child);
}

/* t now runs the program at path. */
static inline void ttrace_proc_exec(const struct task *t, const char *path)
{
	if (ttrace_on(TTRACE_CAT_PROC))
		__ttrace_proc_exec(t, path);
}

/*
 * Thread t ends (code: the process's wait status for its last thread, else
 * 0).  Also on for sched: its final switch must not read t->proc, which
 * the parent may free first, so the writer keeps t's ids and name.
 */
static inline void ttrace_proc_exit(const struct task *t, int code)
{
	if (ttrace_on(TTRACE_CAT_PROC | TTRACE_CAT_SCHED))
		__ttrace_proc_exit(t, code);
}

/* An interrupt vector's handler starts. */
static inline void ttrace_irq_enter(u64 vector)
{
	if (ttrace_on(TTRACE_CAT_IRQ))
		__ttrace_irq(TTRACE_REC_IRQ_ENTER, vector, 0);
}

/* An interrupt vector's handler returned (handled: whether one was registered). */
static inline void ttrace_irq_exit(u64 vector, bool handled)
{
	if (ttrace_on(TTRACE_CAT_IRQ))
		__ttrace_irq(TTRACE_REC_IRQ_EXIT, vector, handled);
}

/* A CPU exception (NMI included) starts; tf holds vector, error code and ip. */
static inline void ttrace_exc_enter(const struct hw_trapframe *tf)
{
	if (ttrace_on(TTRACE_CAT_IRQ))
		__ttrace_exc(TTRACE_REC_EXC_ENTER, tf);
}

/* The exception of tf has been handled. */
static inline void ttrace_exc_exit(const struct hw_trapframe *tf)
{
	if (ttrace_on(TTRACE_CAT_IRQ))
		__ttrace_exc(TTRACE_REC_EXC_EXIT, tf);
}

/* A user-address fault at addr (FAULT_* flags) was resolved with result (0 or -errno). */
static inline void ttrace_page_fault(u64 addr, int flags, int result)
{
	if (ttrace_on(TTRACE_CAT_FAULT))
		__ttrace_page_fault(addr, flags, result);
}

/* The current thread goes to sleep on wait queue wq. */
static inline void ttrace_wait_sleep(const struct wait_queue *wq)
{
	if (ttrace_on(TTRACE_CAT_WAIT))
		__ttrace_wait(TTRACE_REC_WAIT_SLEEP, wq, NULL);
}

/* The current thread wakes t from wait queue wq (wq's lock held). */
static inline void ttrace_wait_wake(const struct wait_queue *wq, const struct task *t)
{
	if (ttrace_on(TTRACE_CAT_WAIT))
		__ttrace_wait(TTRACE_REC_WAIT_WAKE, wq, t);
}

/* A kernel message (kind KMSG_*) calling fn(arg, ...) is sent to CPU dst. */
static inline void ttrace_kmsg_send(int dst, u64 fn, u64 arg, int kind)
{
	if (ttrace_on(TTRACE_CAT_KMSG))
		__ttrace_kmsg(TTRACE_REC_KMSG_SEND, -1, dst, fn, arg, kind);
}

/* This CPU runs a kernel message's fn(arg, ...). */
static inline void ttrace_kmsg_run(u64 fn, u64 arg, int kind)
{
	if (ttrace_on(TTRACE_CAT_KMSG))
		__ttrace_kmsg(TTRACE_REC_KMSG_RUN, -1, -1, fn, arg, kind);
}

/* printk logged text (len bytes): one record per line, without the newline. */
static inline void ttrace_printk(const char *text, size_t len)
{
	if (ttrace_on(TTRACE_CAT_PRINTK))
		__ttrace_printk(text, len);
}

/*
 * #ttrace's control interface (kernel/dev/ttrace.c drives it; all of it
 * serialised by the caller's lock, never from a writer's context).
 */
/* Per-CPU buffer bytes now configured. */
u64 ttrace_buf_size(void);
/* Mode now configured (TTRACE_MODE_*). */
u32 ttrace_buf_mode(void);
/* Categories configured for the next start (the mask while running). */
u32 ttrace_categories(void);
/* Whether tracing runs. */
bool ttrace_running(void);
/* Allocate rings if needed and start with the configured categories: 0 or -ENOMEM. */
int ttrace_start(void);
/* Stop writers and wait for those in flight; cannot fail. */
void ttrace_stop(void);
/* Empty every ring and zero the counts: 0, or -EBUSY while running. */
int ttrace_clear(void);
/* Keep only events of process pid (0: all; a switch passes if either side does); cannot fail. */
void ttrace_set_pid(u32 pid);
/* The pid filter (0: none). */
u32 ttrace_pid(void);
/* Set the categories (applied at once if running); cannot fail. */
void ttrace_set_categories(u32 mask);
/* Set mode and size (power of two, 64 KiB..4 MiB): 0, -EINVAL, -EBUSY while running, -ENOMEM. */
int ttrace_configure(u32 mode, u64 size);
/*
 * Consume CPU cpu's records into buf (n bytes; whole records; after a stop
 * also the pending drop marks): bytes, 0 when empty or no rings, -EINVAL
 * for a bad cpu or an n below the largest record, -EIO if corrupt.
 */
long ttrace_cpu_read(int cpu, void *buf, size_t n);
/* CPU cpu's counts (written, lost, size) and bytes unread; zeros without rings. */
void ttrace_cpu_stats(int cpu, struct ttrace_cpu_stats *st, u64 *used);
/* Emit a user event (id, text of len bytes) on this CPU: 0, -EAGAIN if off, -ENOSPC dropped. */
int ttrace_user_event(u32 id, const char *text, size_t len);
/* Whether the TSC is invariant (CPUID 0x80000007 EDX bit 8). */
bool ttrace_tsc_invariant(void);
/* Fill hdr with the dump stream header fields the kernel knows; cannot fail. */
void ttrace_stream_header(struct ttrace_stream_hdr *hdr);

#endif
