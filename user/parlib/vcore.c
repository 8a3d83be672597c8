/*
 * Vcores: turning the program into an MCP (parlib_init), the vcore entry
 * point, notifications and mailbox events, and the spinlocks and wait
 * queues of the 2LS.
 *
 * The kernel starts every vcore at parlib_vcore_entry_asm with
 * notifications disabled, on the stack and TLS this file gave it in the
 * vcpd.  vcore_entry first handles events, then takes back the uthread
 * the kernel saved for it (MCP_VC_UTHREAD_SAVED: the main thread after
 * change_to_m, or whatever ran when a notification or preemption came),
 * and otherwise enters the 2LS loop (uthread.c).
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include "internal.h"

void (*parlib_user_event_handler)(int vcoreid, const struct mcp_event *ev);

/*
 * The lock word holds the holder's vcore id + 1.  A holder may lose its
 * core (a preemption saves its vcore context and parks it): a spinner that
 * sees the holder's vcore without a core asks the kernel for the vcores
 * the process wants, which brings the holder back to finish (Akaros calls
 * this preemption detection and recovery).
 */
void spin_lock(volatile int *l)
{
	int me = vcore_id() + 1;

	for (;;) {
		int expect = 0;
		unsigned spins = 0;

		if (__atomic_compare_exchange_n(l, &expect, me, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		while ((expect = __atomic_load_n(l, __ATOMIC_RELAXED))) {
			__asm__ __volatile__("pause");
			if (++spins % 4096 == 0 && expect > 0 && expect <= MCP_MAX_VCORES &&
			    __procinfo->is_mcp && !__procinfo->vcoremap[expect - 1].valid)
				syscall0(SYS_poke_ksched);
		}
	}
}

void spin_unlock(volatile int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

/* Notifications off for the caller (vcore context, or its uthread turned them off)? *vc: its vcore. */
bool notifs_off_here(int *vc)
{
	struct uthread *ut = __uth_self;
	uint32_t r;
	bool off;

	*vc = __vcore_ctx_id;
	if (__vcore_ctx_id >= 0 || !ut)
		return __vcore_ctx_id >= 0;
	/* Our vcore's flag, read while we ran there: no resume (so no move) in between. */
	do {
		r = __atomic_load_n(&ut->resumes, __ATOMIC_ACQUIRE);
		*vc = ut->vcoreid;
		off = __procdata->vcpd[*vc].notif_disabled != 0;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	} while (__atomic_load_n(&ut->resumes, __ATOMIC_ACQUIRE) != r);
	return off;
}

int spin_lock_notif(volatile int *l)
{
	int vc = -1;

	if (__vcore_ctx_id < 0 && __uth_self && !notifs_off_here(&vc)) {
		struct uthread *ut = __uth_self;

		for (;;) {	/* as in uthread_switch_out: the vcore we are really on */
			vc = ut->vcoreid;
			__procdata->vcpd[vc].notif_disabled = 1;
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			if (ut->vcoreid == vc)
				break;
			__procdata->vcpd[vc].notif_disabled = 0;
		}
	} else {
		vc = -1;	/* off already (or vcore context): the caller's to turn back on */
	}
	spin_lock(l);
	return vc;
}

void spin_unlock_notif(volatile int *l, int vc)
{
	spin_unlock(l);
	if (vc >= 0)
		enable_notifs(vc);
}

void waitq_push(struct uth_waitq *q, struct uthread *ut)
{
	ut->next = NULL;
	if (q->tail)
		q->tail->next = ut;
	else
		q->head = ut;
	q->tail = ut;
}

struct uthread *waitq_pop(struct uth_waitq *q)
{
	struct uthread *ut = q->head;

	if (ut) {
		q->head = ut->next;
		if (!q->head)
			q->tail = NULL;
	}
	return ut;
}

int num_vcores(void)
{
	return (int)__procinfo->num_vcores;
}

int max_vcores(void)
{
	static bool mapped;

	/* usable before parlib_init: the pages are mapped on first use */
	if (!mapped && syscall0(SYS_mcp_map_pages))
		return 0;
	mapped = true;
	return (int)__procinfo->max_vcores;
}

int vcore_request_total(int n)
{
	if (n < 1 || n > max_vcores())
		return -EINVAL;
	__procdata->res_req_vcores = (uint32_t)n;
	return (int)syscall0(SYS_poke_ksched);
}

int vcore_yield(bool nice)
{
	return (int)syscall1(SYS_vcore_yield, nice ? MCP_YIELD_NICE : 0);
}

int vcore_notify(int vcoreid, uint64_t arg)
{
	return (int)syscall3(SYS_vcore_notify, vcoreid, MCP_EV_USER, (long)arg);
}

void disable_notifs(int vcoreid)
{
	__procdata->vcpd[vcoreid].notif_disabled = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void enable_notifs(int vcoreid)
{
	__procdata->vcpd[vcoreid].notif_disabled = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/* An event that came while they were off: have the kernel deliver it now. */
	if (__procdata->vcpd[vcoreid].notif_pending)
		syscall3(SYS_vcore_notify, vcoreid, MCP_EV_NONE, 0);
}

void handle_events(int v)
{
	volatile struct mcp_vcpd *vcpd = &__procdata->vcpd[v];

	vcpd->notif_pending = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	while (vcpd->mbox_cons != __atomic_load_n(&vcpd->mbox_prod, __ATOMIC_ACQUIRE)) {
		struct mcp_event ev = *(struct mcp_event *)&vcpd->mbox[vcpd->mbox_cons % MCP_MBOX_SLOTS];

		__atomic_store_n(&vcpd->mbox_cons, vcpd->mbox_cons + 1, __ATOMIC_RELEASE);
		__vcores[v].stats.events++;
		switch (ev.type) {
		case MCP_EV_VCORE_PREEMPT:
			uthread_recover((int)ev.vcoreid);
			/* ask for the core back: the ksched grants it when one is free */
			syscall0(SYS_poke_ksched);
			break;
		case MCP_EV_SYSCALL:
			parlib_async_event(ev.arg);
			break;
		case MCP_EV_USER:
			if (parlib_user_event_handler)
				parlib_user_event_handler(v, &ev);
			break;
		default:
			break;
		}
	}
	if (vcpd->mbox_overflow != __vcores[v].seen_overflow) {
		__vcores[v].seen_overflow = vcpd->mbox_overflow;
		parlib_async_scan();	/* some MCP_EV_SYSCALL may be among the lost */
	}
}

/*
 * The kernel warned this vcore (MCP_EV_PREEMPT_PENDING, vcpd.preempt_pending)
 * that it takes the core at a deadline.  Its uthread is already back in a
 * run queue (the warning's notification put it there), so yield the core
 * now, cleanly, instead of being stopped wherever we are at the deadline;
 * the other vcores take our queue.  The yield comes back (at vcore_entry)
 * once the kernel regrants a core.
 */
void vcore_answer_warning(int v)
{
	__vcores[v].stats.warnings++;
	if (syscall1(SYS_vcore_yield, 0) < 0)
		__vcores[v].stats.warnings--;	/* events first (EAGAIN): the caller retries */
}

void vcore_entry(long vcoreid)
{
	int v = (int)vcoreid;
	volatile uint32_t *fl = &__procdata->vcpd[v].flags;

	__vcore_ctx_id = v;
	handle_events(v);
	/* Our own saved uthread, unless another vcore is taking or took it. */
	for (;;) {
		uint32_t f = __atomic_load_n(fl, __ATOMIC_ACQUIRE);
		struct uthread *ut;

		if (f & MCP_VC_STEALING) {
			__asm__ __volatile__("pause");
			continue;
		}
		if (!(f & MCP_VC_UTHREAD_SAVED))
			break;
		if (!__atomic_compare_exchange_n(fl, &f, f & ~(MCP_VC_UTHREAD_SAVED | MCP_VC_PREEMPTED),
						 false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			continue;
		ut = __vcores[v].cur;
		__vcores[v].cur = NULL;
		if (!ut)
			break;
		memcpy(&ut->ctx, (const void *)&__procdata->vcpd[v].uthread_ctx, sizeof(ut->ctx));
		memcpy(ut->fpu, (const void *)__procdata->vcpd[v].uthread_fpu, MCP_FPU_AREA_SIZE);
		ut->ctx_kind = MCP_DBG_CTX_HW;
		/* A notification: let the others run first (preemptive round robin). */
		uthread_runnable(ut);
		break;
	}
	__atomic_fetch_and(fl, ~MCP_VC_PREEMPTED, __ATOMIC_ACQ_REL);
	vcore_schedule(v);
}

static void *nothing(void *arg)
{
	return arg;
}

int parlib_init(int nvcores)
{
	struct uthread *main_ut;
	pthread_t t;
	long err;

	/* One real thread, joined: glibc switches its locks to multi-threaded mode. */
	if (pthread_create(&t, NULL, nothing, NULL) || pthread_join(t, NULL))
		return -EAGAIN;
	err = syscall0(SYS_mcp_map_pages);
	if (err)
		return (int)err;
	if (nvcores < 1 || nvcores > max_vcores())
		return -EINVAL;
	main_ut = uthread_init_main();
	if (!main_ut)
		return -ENOMEM;
	__parlib_xsave = (int)__procinfo->fpu_xsave;
	dbg_init();
	for (int v = 0; v < max_vcores(); v++) {
		void *stack = mmap(NULL, VCORE_STACK_SIZE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		void *tls = parlib_alloc_tls();

		if (stack == MAP_FAILED || !tls)
			return -ENOMEM;
		__vcores[v].stack_top = (char *)stack + VCORE_STACK_SIZE;
		__vcores[v].tls = tls;
		__procdata->vcpd[v].vcore_stack = (uint64_t)__vcores[v].stack_top;
		__procdata->vcpd[v].vcore_tls = (uint64_t)tls;
	}
	main_ut->dbg_slot = dbg_add(main_ut);
	dbg_update(main_ut, MCP_DBG_UT_RUNNING, 0);
	__vcores[0].cur = main_ut;
	__procdata->vcore_entry = (uint64_t)parlib_vcore_entry_asm;
	__procdata->res_req_vcores = (uint32_t)nvcores;
	err = syscall0(SYS_change_to_m);
	/* Back here as uthread "main", resumed by vcore 0 (or the call failed). */
	if (!err)
		__parlib_mcp = 1;
	return (int)err;
}
