/*
 * uthreads and the default 2LS: per-vcore FIFO run queues with work
 * stealing.
 *
 * A uthread leaves its vcore only through uthread_switch_out: its
 * callee-saved registers are saved, the vcore continues on its own stack
 * and TLS, runs the caller's callback (enqueue it somewhere, drop a lock)
 * and then vcore_schedule picks the next uthread: its own queue first,
 * then other vcores' queues (stealing from the head), then sleepers whose
 * time has come.  The callback runs only once the uthread is off its
 * stack, so another vcore may run it at once.
 *
 * A uthread interrupted by the kernel (notification or preemption) has its
 * full context in its vcore's vcpd (MCP_VC_UTHREAD_SAVED).  Whoever clears
 * that flag owns it: the vcore itself when it re-enters vcore_entry, or
 * another vcore that saw an MCP_EV_VCORE_PREEMPT event (uthread_recover),
 * which first sets MCP_VC_STEALING so the owner waits while it copies.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <asm/prctl.h>
#include <sys/syscall.h>
#include <ctype.h>
#include "internal.h"

struct vcore_state __vcores[MCP_MAX_VCORES];
__thread struct uthread *__uth_self;
__thread int __vcore_ctx_id = -1;
int __parlib_xsave;

static void *main_tcb;
static uint64_t next_id = 1;
static volatile int sleep_lock;
static struct uthread *sleepers;
/* vcores in vcore_schedule's idle loop (atomic): the last one never yields while there are sleepers */
static int idle_watchers;

extern void *_dl_allocate_tls(void *mem);
extern void _dl_deallocate_tls(void *tcb, bool dealloc_tcb);
extern void __ctype_init(void);

void parlib_set_fs(void *base)
{
	syscall2(SYS_arch_prctl, ARCH_SET_FS, (long)base);
}

void *parlib_alloc_tls(void)
{
	void *tcb = _dl_allocate_tls(NULL);

	if (!tcb)
		return NULL;
	/* tcbhead_t: tcb, dtv, self, multiple_threads, gscope, sysinfo, stack and pointer guards */
	((void **)tcb)[0] = tcb;
	((void **)tcb)[2] = tcb;
	memcpy((char *)tcb + 24, (char *)main_tcb + 24, 56 - 24);
	return tcb;
}

/* The address of TLS variable var of the current TLS block, moved to another block. */
static void *tls_var_in(void *tcb, void *var)
{
	void *fs;

	__asm__("movq %%fs:0, %0" : "=r"(fs));
	return (char *)tcb + ((char *)var - (char *)fs);
}

int vcore_id(void)
{
	if (__vcore_ctx_id >= 0)
		return __vcore_ctx_id;
	return __uth_self ? __uth_self->vcoreid : 0;
}

struct uthread *uthread_self(void)
{
	return __vcore_ctx_id >= 0 ? NULL : __uth_self;
}

uint64_t uthread_id(const struct uthread *ut)
{
	return ut->id;
}

const char *uthread_name(const struct uthread *ut)
{
	return ut->name;
}

/* A zeroed uthread with its FPU area and name; NULL when memory is short. */
static struct uthread *uthread_alloc(const char *name)
{
	struct uthread *ut = calloc(1, sizeof(*ut));

	if (!ut)
		return NULL;
	ut->fpu = aligned_alloc(64, MCP_FPU_AREA_SIZE);
	if (!ut->fpu) {
		free(ut);
		return NULL;
	}
	memset(ut->fpu, 0, MCP_FPU_AREA_SIZE);
	ut->id = __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED);
	snprintf(ut->name, sizeof(ut->name), "%s", name ? name : "uthread");
	ut->vcoreid = -1;
	ut->dbg_slot = -1;
	return ut;
}

struct uthread *uthread_init_main(void)
{
	struct uthread *ut = uthread_alloc("main");

	if (!ut)
		return NULL;
	__asm__("movq %%fs:0, %0" : "=r"(main_tcb));
	ut->tls = main_tcb;
	ut->state = UT_RUNNING;
	ut->vcoreid = 0;
	__uth_self = ut;
	return ut;
}

/* First code of a new uthread (entered through parlib_pop_ctx with rdi = itself). */
static void __attribute__((noreturn)) uthread_start(struct uthread *ut)
{
	__ctype_init();
	uthread_exit(ut->fn(ut->arg));
}

struct uthread *uthread_create(void *(*fn)(void *), void *arg, const char *name)
{
	struct uthread *ut = uthread_alloc(name);
	uint64_t top;

	if (!ut)
		return NULL;
	ut->stack_size = UTHREAD_STACK_SIZE;
	ut->stack = mmap(NULL, ut->stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	ut->tls = ut->stack == MAP_FAILED ? NULL : parlib_alloc_tls();
	if (!ut->tls) {
		if (ut->stack != MAP_FAILED)
			munmap(ut->stack, ut->stack_size);
		free(ut->fpu);
		free(ut);
		return NULL;
	}
	*(struct uthread **)tls_var_in(ut->tls, &__uth_self) = ut;
	*(int *)tls_var_in(ut->tls, &__vcore_ctx_id) = -1;
	ut->fn = fn;
	ut->arg = arg;
	top = ((uint64_t)ut->stack + ut->stack_size) & ~15ULL;
	ut->ctx.rsp = top - 8;		/* as if called: rsp + 8 is 16-aligned */
	ut->ctx.rip = (uint64_t)uthread_start;
	ut->ctx.rdi = (uint64_t)ut;
	ut->ctx.rflags = 0x202;
	ut->ctx.fs_base = (uint64_t)ut->tls;
	ut->ctx_kind = MCP_DBG_CTX_SW;
	/* a clean FPU control state for the SW restore: fcw 0x37f, mxcsr 0x1f80 */
	*(uint16_t *)ut->fpu = 0x37f;
	*(uint32_t *)(ut->fpu + 24) = 0x1f80;
	ut->state = UT_RUNNABLE;
	ut->dbg_slot = dbg_add(ut);
	uthread_runnable(ut);
	return ut;
}

void uthread_runnable(struct uthread *ut)
{
	int v = vcore_id();
	struct vcore_state *vs;
	int n;

	if (v < 0 || v >= MCP_MAX_VCORES)
		v = 0;
	vs = &__vcores[v];
	ut->state = UT_RUNNABLE;
	dbg_update(ut, MCP_DBG_UT_RUNNABLE, ut->vcoreid);
	n = spin_lock_notif(&vs->rq_lock);
	ut->next = NULL;
	if (vs->rq_tail)
		vs->rq_tail->next = ut;
	else
		vs->rq_head = ut;
	vs->rq_tail = ut;
	vs->rq_len++;
	spin_unlock_notif(&vs->rq_lock, n);
	/* More work than vcores: bring back vcores that yielded (up to the request). */
	if (__procinfo->num_vcores < __procdata->res_req_vcores && vs->rq_len > 1)
		syscall0(SYS_poke_ksched);
}

/* Pop the head of vcore v's queue; NULL if empty (vcore context). */
static struct uthread *rq_pop(int v)
{
	struct vcore_state *vs = &__vcores[v];
	struct uthread *ut;

	if (!vs->rq_head)
		return NULL;
	spin_lock(&vs->rq_lock);
	ut = vs->rq_head;
	if (ut) {
		vs->rq_head = ut->next;
		if (!vs->rq_head)
			vs->rq_tail = NULL;
		vs->rq_len--;
	}
	spin_unlock(&vs->rq_lock);
	return ut;
}

/*
 * Balance: take the head of the longest queue if it holds at least two
 * more uthreads than ours (a yield requeues on the same vcore, so without
 * this a queue that got one uthread would keep its vcore for itself).
 */
static struct uthread *rq_steal_busiest(int v)
{
	int best = -1, best_len = __vcores[v].rq_len + 1;
	struct uthread *ut;

	for (int w = 0; w < MCP_MAX_VCORES; w++)
		if (w != v && __vcores[w].rq_len > best_len) {
			best = w;
			best_len = __vcores[w].rq_len;
		}
	if (best < 0)
		return NULL;
	ut = rq_pop(best);
	if (ut)
		__vcores[v].stats.steals++;
	return ut;
}

/* Sleepers whose deadline passed become runnable (vcore context). */
static void wake_sleepers(void)
{
	struct uthread **pp, *ut, *due = NULL;
	uint64_t now;

	if (!sleepers)
		return;
	now = read_tsc();
	spin_lock(&sleep_lock);
	for (pp = &sleepers; (ut = *pp);) {
		if (ut->wake_tsc <= now) {
			*pp = ut->next;
			ut->next = due;
			due = ut;
		} else {
			pp = &ut->next;
		}
	}
	spin_unlock(&sleep_lock);
	while ((ut = due)) {
		due = ut->next;
		uthread_runnable(ut);
	}
}

/* Run ut on vcore v (vcore context); never returns. */
static void __attribute__((noreturn)) run_uthread(int v, struct uthread *ut)
{
	struct vcore_state *vs = &__vcores[v];
	volatile struct mcp_vcpd *vcpd = &__procdata->vcpd[v];
	const void *fpu = ut->ctx_kind == MCP_DBG_CTX_HW ? ut->fpu : NULL;

	ut->vcoreid = v;
	__atomic_add_fetch(&ut->resumes, 1, __ATOMIC_RELEASE);
	ut->state = UT_RUNNING;
	vs->cur = ut;
	vs->stats.runs++;
	dbg_update(ut, MCP_DBG_UT_RUNNING, v);
	dbg_vcore_cur(v, ut->id);
	parlib_set_fs(ut->tls);
	if (!fpu) {
		/* a voluntary switch keeps only the FPU control words */
		__asm__ __volatile__("fldcw %0; ldmxcsr %1" : : "m"(*(uint16_t *)ut->fpu),
				     "m"(*(uint32_t *)(ut->fpu + 24)));
	}
	parlib_pop_ctx(&ut->ctx, fpu, __parlib_xsave, &vcpd->notif_disabled, v);
}

/*
 * How long (TSC time) a vcore finds nothing to do before it gives its
 * core back.  Time, not a count of idle rounds: a round is a pause, and
 * under QEMU's TCG every pause hands the emulator to another vCPU, so
 * 20000 rounds (about a millisecond on hardware) took longer than 5 s
 * there and idle vcores never yielded (mcp-target notify-offline).
 */
#define VCORE_IDLE_NS	10000000ULL

void vcore_schedule(int v)
{
	uint64_t hz = __procinfo->tsc_freq ? __procinfo->tsc_freq : 1000000000ULL;
	uint64_t idle_tsc = (uint64_t)((unsigned __int128)VCORE_IDLE_NS * hz / 1000000000ULL);
	uint64_t idle_since = 0;	/* TSC when this idle stretch began, 0: not idle */
	bool watching = false;

	for (;;) {
		struct uthread *ut;

		handle_events(v);
		if (__procdata->vcpd[v].preempt_pending) {
			if (watching)	/* the yield may not return: stop counting as a watcher */
				__atomic_fetch_sub(&idle_watchers, 1, __ATOMIC_ACQ_REL);
			watching = false;
			vcore_answer_warning(v);	/* returns only if events came first */
			continue;
		}
		wake_sleepers();
		dbg_release_held();
		ut = rq_steal_busiest(v);
		if (!ut)
			ut = rq_pop(v);
		for (int i = 1; !ut && i < MCP_MAX_VCORES; i++) {
			ut = rq_pop((v + i) % MCP_MAX_VCORES);
			if (ut)
				__vcores[v].stats.steals++;
		}
		if (ut && dbg_held(v, ut))
			ut = NULL;	/* a debugger holds it: parked in dbg.c */
		if (ut) {
			if (watching)
				__atomic_fetch_sub(&idle_watchers, 1, __ATOMIC_ACQ_REL);
			run_uthread(v, ut);
		}
		if (!watching) {
			__atomic_fetch_add(&idle_watchers, 1, __ATOMIC_ACQ_REL);
			watching = true;
		}
		for (int w = 0; w < max_vcores(); w++)
			if (w != v && uthread_recover(w))
				idle_since = 0;
		if (!idle_since)
			idle_since = read_tsc();
		if (read_tsc() - idle_since < idle_tsc) {
			__asm__ __volatile__("pause");
			continue;
		}
		idle_since = 0;
		parlib_async_scan();	/* calls whose event a full mailbox lost */
		/*
		 * Nothing to do for a while: give the core back (the last vcore naps
		 * instead).  Sleepers are woken only from this loop, and the other
		 * vcores may all be running uthreads that never come back here (no
		 * time slicing): with sleepers, a vcore leaves only if another idle
		 * vcore stays to wake them (the counter decides which one stays).
		 */
		if (__atomic_sub_fetch(&idle_watchers, 1, __ATOMIC_ACQ_REL) == 0 &&
		    __atomic_load_n(&sleepers, __ATOMIC_ACQUIRE)) {
			__atomic_fetch_add(&idle_watchers, 1, __ATOMIC_ACQ_REL);
			if (!parlib_async_in_flight())
				syscall2(SYS_nanosleep, (long)&(struct { long s, ns; }){ 0, 200000 }, 0);
			continue;
		}
		watching = false;
		/*
		 * The last vcore naps only with no asynchronous call in flight: a
		 * nap lasts a scheduler tick, and the call's event would wait for it.
		 */
		if (vcore_yield(false) < 0 && !parlib_async_in_flight())
			syscall2(SYS_nanosleep, (long)&(struct { long s, ns; }){ 0, 200000 }, 0);
	}
}

void uthread_switch_out(void (*cb)(struct uthread *ut, void *arg), void *arg);

/* On the vcore stack after a uthread left: back to vcore TLS, run its callback, schedule. */
static void switched_out(void *p)
{
	struct uthread *ut = p;
	int v = ut->vcoreid;

	parlib_set_fs(__vcores[v].tls);
	__vcores[v].cur = NULL;
	dbg_vcore_cur(v, 0);
	ut->yield_cb(ut, ut->yield_arg);
	vcore_schedule(v);
}

void uthread_switch_out(void (*cb)(struct uthread *ut, void *arg), void *arg)
{
	struct uthread *ut = __uth_self;
	int v;

	/* Notifications off on the vcore we are on (recheck: a preemption may have moved us). */
	for (;;) {
		v = ut->vcoreid;
		__procdata->vcpd[v].notif_disabled = 1;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (ut->vcoreid == v)
			break;
		__procdata->vcpd[v].notif_disabled = 0;
	}
	ut->yield_cb = cb;
	ut->yield_arg = arg;
	ut->ctx_kind = MCP_DBG_CTX_SW;
	ut->ctx.fs_base = (uint64_t)ut->tls;
	__asm__ __volatile__("fnstcw %0; stmxcsr %1" : "=m"(*(uint16_t *)ut->fpu),
			     "=m"(*(uint32_t *)(ut->fpu + 24)));
	parlib_save_and_call(&ut->ctx, switched_out, ut, __vcores[v].stack_top);
}

static void yield_cb(struct uthread *ut, void *arg)
{
	(void)arg;
	uthread_runnable(ut);
}

void uthread_yield(void)
{
	uthread_switch_out(yield_cb, NULL);
}

static void sleep_cb(struct uthread *ut, void *arg)
{
	(void)arg;
	ut->state = UT_BLOCKED;
	dbg_update(ut, MCP_DBG_UT_BLOCKED, ut->vcoreid);
	spin_lock(&sleep_lock);
	ut->next = sleepers;
	sleepers = ut;
	spin_unlock(&sleep_lock);
}

void uthread_sleep_ns(uint64_t ns)
{
	struct uthread *ut = __uth_self;
	uint64_t hz = __procinfo->tsc_freq ? __procinfo->tsc_freq : 1000000000ULL;

	ut->wake_tsc = read_tsc() + (uint64_t)((unsigned __int128)ns * hz / 1000000000ULL);
	uthread_switch_out(sleep_cb, NULL);
}

static void exit_cb(struct uthread *ut, void *arg)
{
	struct uthread *j;

	(void)arg;
	dbg_update(ut, MCP_DBG_UT_EXITED, ut->vcoreid);
	spin_lock(&ut->join_lock);
	ut->state = UT_EXITED;
	ut->exited = true;
	j = ut->joiner;
	spin_unlock(&ut->join_lock);	/* the last touch of ut: a joiner may free it now */
	if (j)
		uthread_runnable(j);
}

void uthread_exit(void *ret)
{
	__uth_self->retval = ret;
	uthread_switch_out(exit_cb, NULL);
	__builtin_unreachable();
}

static void join_cb(struct uthread *me, void *arg)
{
	struct uthread *ut = arg;

	me->state = UT_BLOCKED;
	dbg_update(me, MCP_DBG_UT_BLOCKED, me->vcoreid);
	spin_lock(&ut->join_lock);
	if (ut->exited) {
		spin_unlock(&ut->join_lock);
		uthread_runnable(me);
		return;
	}
	ut->joiner = me;
	spin_unlock(&ut->join_lock);
}

void *uthread_join(struct uthread *ut)
{
	void *ret;
	int vc;

	if (!__atomic_load_n(&ut->exited, __ATOMIC_ACQUIRE))
		uthread_switch_out(join_cb, ut);
	/* exit_cb set exited on the vcore stack; once it dropped join_lock, ut is ours */
	vc = spin_lock_notif(&ut->join_lock);
	spin_unlock_notif(&ut->join_lock, vc);
	ret = ut->retval;
	dbg_remove(ut);
	_dl_deallocate_tls(ut->tls, true);
	munmap(ut->stack, ut->stack_size);
	free(ut->fpu);
	free(ut);
	return ret;
}

bool uthread_recover(int v)
{
	volatile uint32_t *fl = &__procdata->vcpd[v].flags;
	uint32_t f = __atomic_load_n(fl, __ATOMIC_ACQUIRE);
	struct uthread *ut;
	int me = vcore_id();

	if (!(f & MCP_VC_PREEMPTED) || !(f & MCP_VC_UTHREAD_SAVED) || (f & MCP_VC_STEALING))
		return false;
	if (__procinfo->vcoremap[v].valid)
		return false;	/* it has a core again: it takes its uthread back itself */
	if (!__atomic_compare_exchange_n(fl, &f, f | MCP_VC_STEALING, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return false;
	ut = __vcores[v].cur;
	if (ut) {
		memcpy(&ut->ctx, (const void *)&__procdata->vcpd[v].uthread_ctx, sizeof(ut->ctx));
		memcpy(ut->fpu, (const void *)__procdata->vcpd[v].uthread_fpu, MCP_FPU_AREA_SIZE);
		ut->ctx_kind = MCP_DBG_CTX_HW;
		__vcores[v].cur = NULL;
	}
	__atomic_fetch_and(fl, ~(MCP_VC_UTHREAD_SAVED | MCP_VC_STEALING | MCP_VC_PREEMPTED),
			   __ATOMIC_ACQ_REL);
	if (ut) {
		__vcores[me].stats.recovered++;
		uthread_runnable(ut);
	}
	return ut != NULL;
}

void parlib_vcore_stats(int v, struct parlib_vcore_stats *out)
{
	*out = __vcores[v].stats;
}
