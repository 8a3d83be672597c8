/*
 * Preemption warnings of many-core processes (MCP_PREEMPT_WARN, abi/mcp.h):
 * the kernel tells a vcore it will lose its core at a deadline, so the 2LS
 * can leave a clean state (no uthread stopped in a critical section, its
 * run queue left to the other vcores) and give the core back itself.
 *
 * A warning sets vc->warn_deadline (a TSC value), writes preempt_pending
 * and preempt_deadline_tsc in the vcore's vcpd and posts
 * MCP_EV_PREEMPT_PENDING to the vcore itself (an IPI if it has
 * notifications enabled, so a running uthread is interrupted into vcore
 * context at once).  It ends in one of two ways, both on the vcore's own
 * CPU: the vcore calls SYS_vcore_yield (mcp_warn_yield: the core goes back,
 * counted as yielded), or a return to user mode after the deadline
 * (mcp_warn_check, reached at least every scheduler tick while the vcore
 * runs in user space) turns the warning into an ordinary forced
 * preemption.  A vcore inside a blocking system call is forced when that
 * call returns.  Counts are in procinfo's warn[] array.
 *
 * Locking as in kern/mcp.h: warn_deadline changes under m->lock; the
 * vcore reads it lock-free at its return to user mode.
 */
#include <kern/mcp.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/uvm.h>
#include <kern/errno.h>
#include <kern/time.h>
#include <arch/x86.h>
#include "internal.h"
#include "mcp_internal.h"

/* grace_ns (at most MCP_PREEMPT_GRACE_MAX) in TSC ticks, without 128-bit division. */
static u64 grace_to_tsc(u64 grace_ns)
{
	return grace_ns / 1000000000ULL * tsc_hz + grace_ns % 1000000000ULL * tsc_hz / 1000000000ULL;
}

void __mcp_vcore_warn(struct mcp *m, struct mcp_vcore *vc, u64 grace_ns)
{
	u64 dl = rdtsc() + grace_to_tsc(grace_ns);
	struct mcp_event ev = { MCP_EV_PREEMPT_PENDING, (u32)vc->id, 0 };
	u32 one = 1;

	if (!dl)
		dl = 1;	/* 0 means "no warning" */
	ev.arg = dl;
	WRITE_ONCE(vc->warn_deadline, dl);
	(void)uvm_write(m->mm, VCPD_FIELD(vc->id, preempt_deadline_tsc), &dl, sizeof(dl));
	(void)uvm_write(m->mm, VCPD_FIELD(vc->id, preempt_pending), &one, sizeof(one));
	m->info.warn[vc->id].nr_warnings++;
	__mcp_post_event(m, vc->id, &ev);
}

bool __mcp_warn_end(struct mcp *m, struct mcp_vcore *vc, enum mcp_warn_end how)
{
	u32 zero = 0;

	if (!vc->warn_deadline)
		return false;
	WRITE_ONCE(vc->warn_deadline, 0);
	(void)uvm_write(m->mm, VCPD_FIELD(vc->id, preempt_pending), &zero, sizeof(zero));
	if (how == MCP_WARN_YIELDED)
		m->info.warn[vc->id].nr_yielded++;
	else if (how == MCP_WARN_FORCED)
		m->info.warn[vc->id].nr_forced++;
	return true;
}

void mcp_warn_check(struct mcp_vcore *vc)
{
	u64 dl = READ_ONCE(vc->warn_deadline);

	if (dl && rdtsc() >= dl)
		__atomic_store_n(&vc->preempt_req, true, __ATOMIC_SEQ_CST);
}

int mcp_warn_yield(struct mcp *m, struct mcp_vcore *vc)
{
	struct mcp_event ev = { MCP_EV_VCORE_PREEMPT, (u32)vc->id, 0 };
	u32 pending = 1;
	int core = -1;
	u64 flags;

	flags = spin_lock_irqsave(&m->lock);
	/* Under the lock that posts events: none can slip in after this test. */
	(void)uvm_read(m->mm, VCPD_FIELD(vc->id, notif_pending), &pending, sizeof(pending));
	if (pending || !vc->online || !__mcp_warn_end(m, vc, MCP_WARN_YIELDED)) {
		spin_unlock_irqrestore(&m->lock, flags);
		return -EAGAIN;
	}
	__atomic_store_n(&vc->preempt_req, false, __ATOMIC_SEQ_CST);
	__mcp_vcore_offline(m, vc);
	m->info.vcoremap[vc->id].nr_preempts_done++;
	/* as a forced preemption: another vcore hears of it (and asks for the core back) */
	for (int w = 0; w < m->max_vcores; w++)
		if (m->vc[w].online) {
			__mcp_post_event(m, w, &ev);
			break;
		}
	/* The last vcore comes back at once: an MCP with no vcore could never ask again. */
	if (READ_ONCE(vc->preempt_regrant) || !m->nr_online)
		core = __mcp_vcore_online(m, vc);
	__mcp_push_info(m);
	spin_unlock_irqrestore(&m->lock, flags);
	if (core >= 0) {
		sched_vcore_bind(current(), core);
		sched_evict_core(core);
	} else {
		mcp_vcore_park(vc);
	}
	return 0;
}
