/*
 * The debugger descriptor (abi/mcp_dbg.h, docs/mcp-debugger.md): a table
 * of every uthread and a per-vcore array, found from outside through
 * mcp_procdata.dbg_desc.  Slots are added and freed under dbg_lock with
 * desc.gen odd meanwhile; a slot's fields change inside its own seq
 * (odd while changing), with old_state/old_vcore written first so a
 * reader that froze the process mid-update still knows where the uthread
 * was.
 *
 * Holding (version 2, for a debugger's non-stop mode): a debugger sets a
 * slot's hold; the 2LS checks it after publishing the uthread RUNNING and
 * before running it, so a debugger that set hold and then reads RUNNING
 * knows the uthread is (or is about to be) on that vcore, and one that
 * reads any other state knows it will not run.  A held uthread is parked
 * on held_list (its slot's held set, state RUNNABLE) until the debugger
 * clears hold; vcore_schedule then requeues it.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static struct mcp_dbg_desc desc;
static struct mcp_dbg_uthread *slots;
static struct mcp_dbg_vcore dvcores[MCP_MAX_VCORES];
static volatile int dbg_lock;
static struct uthread *held_list;	/* parked by a debugger's hold; held_lock */
static volatile int held_lock;
static volatile int nr_held;

void dbg_init(void)
{
	slots = calloc(PARLIB_MAX_UTHREADS, sizeof(*slots));
	desc.magic = MCP_DBG_MAGIC;
	desc.version = MCP_DBG_VERSION;
	desc.max_uthreads = slots ? PARLIB_MAX_UTHREADS : 0;
	desc.max_vcores = MCP_MAX_VCORES;
	desc.uthreads = (uint64_t)slots;
	desc.vcores = (uint64_t)dvcores;
	desc.uthread_size = sizeof(struct mcp_dbg_uthread);
	desc.vcore_size = sizeof(struct mcp_dbg_vcore);
	__procdata->dbg_desc = (uint64_t)&desc;
}

static void gen_bump(void)
{
	__atomic_store_n(&desc.gen, desc.gen + 1, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

int dbg_add(struct uthread *ut)
{
	int vc, slot = -1;

	if (!slots)
		return -1;
	vc = spin_lock_notif(&dbg_lock);
	for (unsigned i = 0; i < desc.max_uthreads; i++)
		if (slots[i].state == MCP_DBG_UT_FREE) {
			slot = (int)i;
			break;
		}
	if (slot >= 0) {
		struct mcp_dbg_uthread *s = &slots[slot];

		gen_bump();
		s->state = MCP_DBG_UT_RUNNABLE;
		s->old_state = MCP_DBG_UT_RUNNABLE;
		s->id = ut->id;
		s->vcore = s->old_vcore = -1;
		s->ctx_kind = (uint32_t)ut->ctx_kind;
		s->ctx = (uint64_t)&ut->ctx;
		s->tls = (uint64_t)ut->tls;
		s->stack_lo = (uint64_t)ut->stack;
		s->stack_hi = (uint64_t)ut->stack + ut->stack_size;
		memcpy(s->name, ut->name, sizeof(s->name));
		desc.nr_uthreads++;
		gen_bump();
	}
	spin_unlock_notif(&dbg_lock, vc);
	return slot;
}

void dbg_update(struct uthread *ut, int state, int vcore)
{
	struct mcp_dbg_uthread *s;

	if (ut->dbg_slot < 0)
		return;
	s = &slots[ut->dbg_slot];
	s->old_state = s->state;
	s->old_vcore = s->vcore;
	__atomic_store_n(&s->seq, s->seq + 1, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	s->state = (uint32_t)state;
	s->vcore = vcore;
	s->ctx_kind = state == MCP_DBG_UT_RUNNING ? MCP_DBG_CTX_NONE : (uint32_t)ut->ctx_kind;
	__atomic_store_n(&s->seq, s->seq + 1, __ATOMIC_RELEASE);
}

void dbg_remove(struct uthread *ut)
{
	int vc;

	if (ut->dbg_slot < 0)
		return;
	vc = spin_lock_notif(&dbg_lock);
	gen_bump();
	memset(&slots[ut->dbg_slot], 0, sizeof(slots[0]));
	desc.nr_uthreads--;
	gen_bump();
	spin_unlock_notif(&dbg_lock, vc);
	ut->dbg_slot = -1;
}

void dbg_vcore_cur(int v, uint64_t id)
{
	dvcores[v].cur_uthread = id;
	if (id)
		dvcores[v].nr_switches++;
	dvcores[v].nr_steals = __vcores[v].stats.steals;
}

bool dbg_held(int v, struct uthread *ut)
{
	struct mcp_dbg_uthread *s;

	if (ut->dbg_slot < 0)
		return false;
	s = &slots[ut->dbg_slot];
	dbg_update(ut, MCP_DBG_UT_RUNNING, v);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&s->hold, __ATOMIC_ACQUIRE))
		return false;
	dbg_update(ut, MCP_DBG_UT_RUNNABLE, v);
	spin_lock(&held_lock);
	ut->next = held_list;
	held_list = ut;
	nr_held++;
	spin_unlock(&held_lock);
	__atomic_store_n(&s->held, 1, __ATOMIC_RELEASE);
	return true;
}

void dbg_release_held(void)
{
	struct uthread **pp, *ut, *due = NULL;

	if (!__atomic_load_n(&nr_held, __ATOMIC_ACQUIRE))
		return;
	spin_lock(&held_lock);
	for (pp = &held_list; (ut = *pp);) {
		if (!__atomic_load_n(&slots[ut->dbg_slot].hold, __ATOMIC_ACQUIRE)) {
			*pp = ut->next;
			ut->next = due;
			due = ut;
			nr_held--;
		} else {
			pp = &ut->next;
		}
	}
	spin_unlock(&held_lock);
	while ((ut = due)) {
		due = ut->next;
		__atomic_store_n(&slots[ut->dbg_slot].held, 0, __ATOMIC_RELEASE);
		uthread_runnable(ut);
	}
}
