/*
 * What parlib's files share: the uthread structure, the per-vcore state
 * of the 2LS, the spinlocks that guard run queues and wait queues, the
 * context-switch assembly (ctx.S) and the debugger-descriptor updates
 * (dbg.c).
 *
 * Contexts.  A uthread's registers are saved in its struct mcp_uctx
 * (the layout the kernel uses for vcpd.uthread_ctx, so the debugger reads
 * one format): a voluntary switch saves the callee-saved registers, rsp,
 * rip and fs (MCP_DBG_CTX_SW; fcw and mxcsr go to the FPU area), a
 * notification or preemption gives every register plus the FPU image
 * (MCP_DBG_CTX_HW).
 *
 * Locking.  Spinlocks taken in uthread context are held with
 * notifications disabled (a preemption then saves vcore context, which
 * resumes as it was), so a lock holder is never a stolen uthread.
 */
#ifndef PARLIB_INTERNAL_H
#define PARLIB_INTERNAL_H

#include "parlib.h"

#define UTHREAD_STACK_SIZE	(128 * 1024)
#define VCORE_STACK_SIZE	(64 * 1024)
#define PARLIB_MAX_UTHREADS	4096	/* debugger table slots */

enum uthread_state { UT_RUNNABLE = 1, UT_RUNNING, UT_BLOCKED, UT_EXITED };

struct uthread {
	struct mcp_uctx ctx;		/* saved registers while not running */
	int ctx_kind;			/* MCP_DBG_CTX_SW or _HW */
	uint8_t *fpu;			/* MCP_FPU_AREA_SIZE bytes, 64-aligned */
	void *tls;			/* glibc TCB: the fs base */
	void *stack;			/* mmap'ed, NULL for the main thread */
	size_t stack_size;
	volatile int vcoreid;		/* where it runs or last ran */
	volatile uint32_t resumes;	/* times a vcore started or resumed it (run_uthread) */
	int state;
	uint64_t id;
	char name[MCP_DBG_NAME_LEN];
	void *(*fn)(void *);
	void *arg, *retval;
	struct uthread *next;		/* run queue or wait queue link */
	volatile int join_lock;		/* guards joiner and the exit */
	struct uthread *joiner;
	bool exited;
	uint64_t wake_tsc;		/* uthread_sleep_ns deadline */
	int dbg_slot;			/* index in the debugger table, -1 none */
	/* switch bookkeeping: what the vcore does once the uthread is off its stack */
	void (*yield_cb)(struct uthread *ut, void *arg);
	void *yield_arg;
};

/* Per-vcore 2LS state; each entry on its own cache line. */
struct vcore_state {
	volatile int rq_lock;
	struct uthread *rq_head, *rq_tail;
	int rq_len;
	struct uthread *volatile cur;	/* the uthread this vcore runs, NULL in vcore context */
	void *stack_top;
	void *tls;
	struct parlib_vcore_stats stats;
	uint32_t seen_overflow;		/* mbox_overflow when last scanned (async.c) */
} __attribute__((aligned(64)));

extern struct vcore_state __vcores[MCP_MAX_VCORES];
extern int __parlib_xsave;
extern __thread struct uthread *__uth_self;	/* in a uthread's TLS: itself */
extern __thread int __vcore_ctx_id;		/* in a vcore's TLS: its id, -1 elsewhere */

/* Spinlocks (test-and-test-and-set); the _notif forms disable notifications around. */
void spin_lock(volatile int *l);
void spin_unlock(volatile int *l);
/*
 * Lock l from uthread or vcore context; returns the vcore whose
 * notifications it turned off, or -1 (vcore context, or a uthread that
 * already had them off: spin_unlock_notif then leaves them off).
 */
int spin_lock_notif(volatile int *l);
void spin_unlock_notif(volatile int *l, int vc);

/* Wait queues of uthreads (caller holds the owning spinlock). */
void waitq_push(struct uth_waitq *q, struct uthread *ut);
struct uthread *waitq_pop(struct uth_waitq *q);

/* uthread.c */
/* Make ut runnable on the caller's vcore queue (or vcore 0's from outside). */
void uthread_runnable(struct uthread *ut);
/* Leave the calling uthread: on the vcore stack, cb(ut, arg) runs, then the 2LS picks the next. */
void uthread_switch_out(void (*cb)(struct uthread *ut, void *arg), void *arg);
/* The 2LS loop of a vcore; never returns. */
void __attribute__((noreturn)) vcore_schedule(int vcoreid);
/* Make a uthread structure for the calling main thread (before change_to_m). */
struct uthread *uthread_init_main(void);
/* A new glibc TCB with its TLS block (self pointers and guards as the main thread's); NULL on failure. */
void *parlib_alloc_tls(void);
/* Set the fs base (raw arch_prctl). */
void parlib_set_fs(void *base);
/* Take back vcore v's saved uthread if it was preempted; true if we did. */
bool uthread_recover(int v);

/* vcore.c */
/* Handle every pending mailbox event of vcoreid (vcore context). */
void handle_events(int vcoreid);
/* vcoreid was warned of a preemption: give the core back now; returns only if events came first. */
void vcore_answer_warning(int vcoreid);
/* Vcore context: notifications of vcoreid on again, taking any that came meanwhile. */
void vcore_enable_notifs_check(int vcoreid);
/*
 * Does the caller run with notifications off: vcore context, or a uthread
 * that turned them off itself (then it cannot move; *vc is its vcore)?
 * Never false when they are off; true by mistake only if a migration
 * raced with the check, which costs a fallback, not correctness.
 */
bool notifs_off_here(int *vc);

/* ctx.S */
/* Save callee-saved registers, rsp and rip into ctx, then run fn(arg) on stack; fn never returns. */
void parlib_save_and_call(struct mcp_uctx *ctx, void (*fn)(void *), void *arg, void *stack);
/*
 * Restore every register of ctx (the FPU image fpu too when fpu != NULL,
 * XSAVE format if xsave), turning notifications of vcoreid on at the last
 * moment on the uthread's own stack; never returns.
 */
void __attribute__((noreturn)) parlib_pop_ctx(const struct mcp_uctx *ctx, const void *fpu,
					       int xsave, volatile uint32_t *notif_disabled,
					       long vcoreid);
/* Where vcores start (abi/mcp.h): aligns the stack and calls vcore_entry(vcoreid). */
void parlib_vcore_entry_asm(void);
void __attribute__((noreturn)) vcore_entry(long vcoreid);

/* async.c */
extern int __parlib_mcp;		/* change_to_m succeeded: async calls may be used */
/* An MCP_EV_SYSCALL event: wake the uthread of the call at arg if it is done. */
void parlib_async_event(uint64_t arg);
/* Wake the uthreads of every finished call (events lost to a full mailbox). */
void parlib_async_scan(void);

/* dbg.c */
void dbg_init(void);
/* A debugger slot for ut (state RUNNABLE); -1 if the table is full. */
int dbg_add(struct uthread *ut);
/* ut changed state or place. */
void dbg_update(struct uthread *ut, int state, int vcore);
/* ut was joined: free its slot. */
void dbg_remove(struct uthread *ut);
/* Vcore counters for the debugger. */
void dbg_vcore_cur(int vcoreid, uint64_t uthread_id);
/* vcore_schedule is about to run ut on v: true if a debugger holds it (then parked here). */
bool dbg_held(int v, struct uthread *ut);
/* Uthreads whose hold the debugger cleared go back to a run queue (vcore context). */
void dbg_release_held(void);

#endif
