/*
 * The MCP thread-list provider: an MCP's uthreads and vcores as gdb
 * threads, read from parlib's debugger descriptor through /proc/PID/mem
 * (abi/mcp_dbg.h, docs/mcp-debugger.md), never by asking the 2LS, so it
 * works when the 2LS is wedged.  It wraps the kernel target (target.c):
 * memory, stops, events and hardware slots go straight through; threads,
 * registers and resumes are translated.
 *
 * Thread ids: a uthread is UT_TID_BASE + its uthread id; a vcore task is
 * its kernel tid.  Each kernel task shows exactly once: as the uthread
 * whose slot says RUNNING on its vcore, else as itself ("vcore N", in
 * vcore context), so resuming every listed thread resumes every task.
 * Registers of a uthread: a running one's are its vcore task's (or, when
 * a preemption or notification saved it and nobody took it yet, the
 * vcpd's uthread_ctx); any other's are the struct mcp_uctx its slot
 * points at (a voluntary switch saves only the callee-saved registers,
 * rsp, rip and the fs base; the rest read as 0).  A resume of a uthread
 * that is not running resumes nothing (its vcore will run it).
 *
 * The view is read once per stop (every thread is stopped meanwhile) and
 * dropped at each resume; in non-stop mode (threads running) it is read
 * afresh for each stop_thread and event.  Non-stop stops a uthread by
 * holding it (the slot's hold, descriptor version 2) and, if it runs,
 * stopping its vcore's task; every hold is cleared at a resume of all
 * threads and at detach.  A process that is not an MCP, or has no
 * descriptor yet, is served as plain kernel threads.
 *
 * Stepping a uthread that no vcore runs (held, or runnable on a queue):
 * the trap flag goes into its saved context's rflags and its hold is
 * cleared; the 2LS's context pop ends with popfq and a ret, so the trap
 * comes on whichever vcore runs it next, right after that ret, before the
 * uthread's first instruction.  That first trap (pc still where the step
 * began) is not reported: the vcore's task is stepped once more by the
 * kernel, and that step, one instruction of the uthread, is (the kernel
 * delivers no notification on the return that takes a step: the 2LS's
 * restore of the context it saved would trap before any instruction
 * again, kernel/proc/mcp.c mcp_return_to_user).  A blocked
 * uthread steps when it is woken, as a thread in a system call would.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <abi/mcp.h>
#include <abi/mcp_dbg.h>
#include "target.h"

#define UT_TID_BASE	0x100000
#define MAX_UT_SLOTS	65536		/* refuse a descriptor claiming more */
#define MAX_LAUNCH	16		/* off-vcore steps under way */
#define FL_TF		0x100		/* rflags trap flag */

struct ut {
	struct mcp_dbg_uthread s;	/* the slot, with state/vcore made effective */
	uint64_t addr;			/* the slot in the process */
};

struct mcp_view {
	bool valid;			/* read since the last resume */
	bool mcp;			/* an MCP with a descriptor */
	struct mcp_procinfo info;
	int vc_tid[MCP_MAX_VCORES];	/* kernel tid of each vcore's task, 0 none */
	uint32_t vc_flags[MCP_MAX_VCORES];	/* vcpd flags (MCP_VC_*) */
	uint64_t vc_cur[MCP_MAX_VCORES];	/* descriptor's cur_uthread */
	struct ut *ut;
	int nut;
	bool can_hold;			/* descriptor version 2: slots have hold/held */
	/* Steps of uthreads that were off every vcore (kept across view reads). */
	struct { int tid; uint64_t rip; } launch[MAX_LAUNCH];
	int nlaunch;
};

static struct mcp_view *view_of(struct ktarget *k)
{
	if (!k->mcp)
		k->mcp = calloc(1, sizeof(struct mcp_view));
	return k->mcp;
}

/* Read exactly len bytes of the process at addr: 0 or -1. */
static int rd(struct ktarget *k, uint64_t addr, void *buf, size_t len)
{
	return ktarget_ops.read_mem(k, addr, buf, len) == (int)len ? 0 : -1;
}

/* Vcore tids from /proc/PID/vcores ("vcore pcore state ... tid" lines). */
static void read_vcore_tids(struct ktarget *k, struct mcp_view *v)
{
	char path[48], line[160];
	FILE *f;

	memset(v->vc_tid, 0, sizeof(v->vc_tid));
	snprintf(path, sizeof(path), "/proc/%d/vcores", k->pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		int vc, pc, tid;
		char st[16];
		unsigned long long a, b, c;

		if (sscanf(line, "%d %d %15s %llu %llu %llu %d", &vc, &pc, st, &a, &b, &c,
			   &tid) == 7 && vc >= 0 && vc < MCP_MAX_VCORES)
			v->vc_tid[vc] = tid;
	}
	fclose(f);
}

/* Copy the used slots of the table at desc (stride desc->uthread_size): 0 or -1. */
static int read_slots(struct ktarget *k, struct mcp_view *v, const struct mcp_dbg_desc *d)
{
	size_t stride = d->uthread_size, n = d->max_uthreads, take;
	uint8_t *tab;

	if (stride < offsetof(struct mcp_dbg_uthread, name) || n > MAX_UT_SLOTS)
		return -1;
	take = stride < sizeof(struct mcp_dbg_uthread) ? stride : sizeof(struct mcp_dbg_uthread);
	tab = malloc(n * stride + 1);
	v->ut = calloc(n + 1, sizeof(*v->ut));
	if (!tab || !v->ut || rd(k, d->uthreads, tab, n * stride)) {
		free(tab);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct mcp_dbg_uthread s;

		memset(&s, 0, sizeof(s));
		memcpy(&s, tab + i * stride, take);
		if (!s.id || s.state == MCP_DBG_UT_FREE)
			continue;
		if (s.seq & 1) {	/* frozen mid-update: where it was before */
			s.state = s.old_state;
			s.vcore = s.old_vcore;
		}
		s.name[MCP_DBG_NAME_LEN - 1] = 0;
		v->ut[v->nut].addr = d->uthreads + i * stride;
		v->ut[v->nut++].s = s;
	}
	free(tab);
	return 0;
}

/* The current view of k (read now if stale); never NULL unless out of memory. */
static struct mcp_view *view(struct ktarget *k)
{
	struct mcp_view *v = view_of(k);
	struct mcp_dbg_desc d;
	uint64_t dp;

	if (!v || v->valid)
		return v;
	free(v->ut);
	memset(v, 0, offsetof(struct mcp_view, launch));
	v->valid = true;
	if (rd(k, MCP_PROCINFO_ADDR, &v->info, sizeof(v->info)) ||
	    v->info.magic != MCP_PROCINFO_MAGIC || !v->info.is_mcp ||
	    rd(k, MCP_PROCDATA_ADDR + offsetof(struct mcp_procdata, dbg_desc), &dp, sizeof(dp)) ||
	    !dp || rd(k, dp, &d, sizeof(d)) || d.magic != MCP_DBG_MAGIC || d.version < 1)
		return v;
	v->can_hold = d.version >= 2 &&
		      d.uthread_size >= offsetof(struct mcp_dbg_uthread, held) + sizeof(uint32_t);
	if (read_slots(k, v, &d)) {
		free(v->ut);
		v->ut = NULL;
		v->nut = 0;
		return v;
	}
	for (int i = 0; i < MCP_MAX_VCORES; i++) {
		uint64_t base = MCP_PROCDATA_ADDR + offsetof(struct mcp_procdata, vcpd) +
				(uint64_t)i * sizeof(struct mcp_vcpd);

		if (rd(k, base + offsetof(struct mcp_vcpd, flags), &v->vc_flags[i], 4))
			v->vc_flags[i] = 0;
		if (i < (int)d.max_vcores && d.vcore_size >= 8 &&
		    rd(k, d.vcores + (uint64_t)i * d.vcore_size, &v->vc_cur[i], 8))
			v->vc_cur[i] = 0;
	}
	read_vcore_tids(k, v);
	v->mcp = true;
	return v;
}

void mcp_release(struct ktarget *k)
{
	struct mcp_view *v = k->mcp;

	if (v)
		free(v->ut);
	free(v);
	k->mcp = NULL;
}

static void drop_view(struct ktarget *k)
{
	if (k->mcp)
		((struct mcp_view *)k->mcp)->valid = false;
}

/* The vcore whose task is ktid, -1 if none. */
static int vcore_of_task(const struct mcp_view *v, int ktid)
{
	for (int i = 0; i < MCP_MAX_VCORES; i++)
		if (v->vc_tid[i] == ktid)
			return i;
	return -1;
}

/* The uthread running on vcore vc (slot RUNNING there; the vcore's cur_uthread wins a tie). */
static struct ut *running_on(struct mcp_view *v, int vc)
{
	struct ut *found = NULL;

	for (int i = 0; i < v->nut; i++)
		if (v->ut[i].s.state == MCP_DBG_UT_RUNNING && v->ut[i].s.vcore == vc &&
		    (!found || v->ut[i].s.id == v->vc_cur[vc]))
			found = &v->ut[i];
	return found;
}

static struct ut *find_ut(struct mcp_view *v, int tid)
{
	if (tid < UT_TID_BASE)
		return NULL;
	for (int i = 0; i < v->nut; i++)
		if (v->ut[i].s.id == (uint64_t)(tid - UT_TID_BASE))
			return &v->ut[i];
	return NULL;
}

/* The kernel task running u now, 0 if none (and its vcore in *vc). */
static int task_of(struct mcp_view *v, struct ut *u, int *vc)
{
	int c = u->s.vcore;

	if (u->s.state != MCP_DBG_UT_RUNNING || c < 0 || c >= MCP_MAX_VCORES || !v->vc_tid[c] ||
	    running_on(v, c) != u)
		return 0;
	*vc = c;
	return v->vc_tid[c];
}

int mcp_gdb_tid(struct ktarget *k, int ktid)
{
	struct mcp_view *v = view(k);
	struct ut *u;
	int vc;

	if (!v || !v->mcp || ktid <= 0)
		return ktid;
	vc = vcore_of_task(v, ktid);
	u = vc >= 0 ? running_on(v, vc) : NULL;
	return u ? UT_TID_BASE + (int)u->s.id : ktid;
}

static int m_threads(void *t, int *tids, int max)
{
	struct ktarget *k = t;
	struct mcp_view *v = view(k);
	int kt[MAX_THREADS], nk, n = 0;

	if (!v || !v->mcp)
		return ktarget_ops.threads(t, tids, max);
	nk = ktarget_ops.threads(t, kt, MAX_THREADS);
	for (int i = 0; i < v->nut && n < max; i++)
		tids[n++] = UT_TID_BASE + (int)v->ut[i].s.id;
	for (int i = 0; i < nk && n < max; i++)
		if (mcp_gdb_tid(k, kt[i]) == kt[i])
			tids[n++] = kt[i];	/* a vcore in vcore context, or not a vcore */
	return n;
}

static int m_thread_info(void *t, int tid, char *name, size_t n, int *core)
{
	struct ktarget *k = t;
	struct mcp_view *v = view(k);
	struct ut *u;
	int vc;

	if (!v || !v->mcp)
		return ktarget_ops.thread_info(t, tid, name, n, core);
	u = find_ut(v, tid);
	if (u) {
		snprintf(name, n, "%s", u->s.name);
		vc = u->s.vcore;
		*core = -1;
		if (task_of(v, u, &vc) && v->info.vcoremap[vc].valid)
			*core = (int)v->info.vcoremap[vc].pcoreid;
		return 0;
	}
	vc = vcore_of_task(v, tid);
	if (vc < 0)
		return ktarget_ops.thread_info(t, tid, name, n, core);
	ktarget_ops.thread_info(t, tid, name, n, core);
	snprintf(name, n, "vcore %d", vc);
	return 0;
}

/* Registers of u from a struct mcp_uctx (all if hw, else the callee-saved ones). */
static void uctx_to_regs(const struct ut *u, const struct mcp_uctx *c, bool hw,
			 struct abi_user_regs *r, struct abi_user_fpregs *f)
{
	memset(r, 0, sizeof(*r));
	memset(f, 0, sizeof(*f));
	r->rbx = c->rbx; r->rbp = c->rbp; r->r12 = c->r12; r->r13 = c->r13;
	r->r14 = c->r14; r->r15 = c->r15; r->rsp = c->rsp; r->rip = c->rip;
	r->eflags = c->rflags ? c->rflags : 0x202;
	r->fs_base = hw && c->fs_base ? c->fs_base : u->s.tls;
	if (hw) {
		r->rax = c->rax; r->rcx = c->rcx; r->rdx = c->rdx; r->rsi = c->rsi;
		r->rdi = c->rdi; r->r8 = c->r8; r->r9 = c->r9; r->r10 = c->r10;
		r->r11 = c->r11;
	}
	r->orig_rax = (uint64_t)-1;
	r->cs = 0x33;
	r->ss = 0x2b;
	f->cwd = 0x37f;
	f->mxcsr = 0x1f80;
}

static void regs_to_uctx(const struct abi_user_regs *r, struct mcp_uctx *c)
{
	c->rax = r->rax; c->rbx = r->rbx; c->rcx = r->rcx; c->rdx = r->rdx;
	c->rsi = r->rsi; c->rdi = r->rdi; c->rbp = r->rbp; c->r8 = r->r8;
	c->r9 = r->r9; c->r10 = r->r10; c->r11 = r->r11; c->r12 = r->r12;
	c->r13 = r->r13; c->r14 = r->r14; c->r15 = r->r15; c->rsp = r->rsp;
	c->rip = r->rip; c->rflags = r->eflags; c->fs_base = r->fs_base;
}

/* Where u's registers are: a task (returned), or a uctx at *addr (hw: all valid). */
static int regs_home(struct mcp_view *v, struct ut *u, uint64_t *addr, bool *hw,
		     uint64_t *fpu)
{
	int vc = -1, task = task_of(v, u, &vc);
	uint64_t vcpd = MCP_PROCDATA_ADDR + offsetof(struct mcp_procdata, vcpd);

	*fpu = 0;
	if (task && (v->vc_flags[vc] & MCP_VC_UTHREAD_SAVED)) {
		vcpd += (uint64_t)vc * sizeof(struct mcp_vcpd);
		*addr = vcpd + offsetof(struct mcp_vcpd, uthread_ctx);
		*fpu = vcpd + offsetof(struct mcp_vcpd, uthread_fpu);
		*hw = true;
		return 0;
	}
	if (task)
		return task;
	*addr = u->s.ctx;
	*hw = u->s.ctx_kind == MCP_DBG_CTX_HW;
	return 0;
}

/*
 * Where tid's registers are: *task set when a kernel task holds them,
 * else the saved uctx at *addr read into *c (hw: all registers valid,
 * *fpu: its FPU area or 0).  Returns 0, 1 if tid is not a uthread of an
 * MCP (the plain target serves it), or -EIO if the context is unreadable.
 */
static int uctx_locate(struct ktarget *k, int tid, int *task, uint64_t *addr, bool *hw,
		       uint64_t *fpu, struct mcp_uctx *c, struct ut **up)
{
	struct mcp_view *v = view(k);
	struct ut *u = v && v->mcp ? find_ut(v, tid) : NULL;

	if (!u)
		return 1;
	*up = u;
	*task = regs_home(v, u, addr, hw, fpu);
	if (*task)
		return 0;
	if (!*addr || rd(k, *addr, c, sizeof(*c)))
		return -EIO;
	return 0;
}

static int m_get_regs(void *t, int tid, struct abi_user_regs *r, struct abi_user_fpregs *f)
{
	struct ktarget *k = t;
	struct ut *u = NULL;
	struct mcp_uctx c;
	uint64_t addr = 0, fpu = 0;
	bool hw = false;
	int task = 0, rc = uctx_locate(k, tid, &task, &addr, &hw, &fpu, &c, &u);

	if (rc == 1)
		return ktarget_ops.get_regs(t, tid, r, f);
	if (rc)
		return rc;
	if (task)
		return ktarget_ops.get_regs(t, task, r, f);
	uctx_to_regs(u, &c, hw, r, f);
	if (fpu && rd(k, fpu, f, sizeof(*f)))
		return -EIO;
	return 0;
}

static int m_set_regs(void *t, int tid, const struct abi_user_regs *r,
		      const struct abi_user_fpregs *f)
{
	struct ktarget *k = t;
	struct ut *u = NULL;
	struct mcp_uctx c;
	uint64_t addr = 0, fpu = 0;
	bool hw = false;
	int task = 0, rc = uctx_locate(k, tid, &task, &addr, &hw, &fpu, &c, &u);

	if (rc == 1)
		return ktarget_ops.set_regs(t, tid, r, f);
	if (rc)
		return rc;
	if (task)
		return ktarget_ops.set_regs(t, task, r, f);
	regs_to_uctx(r, &c);
	if (ktarget_ops.write_mem(k, addr, &c, sizeof(c)) != (int)sizeof(c))
		return -EIO;
	return 0;
}

/* Set or clear u's hold (the 2LS keeps a held uthread off its vcores): 0 or -EIO. */
static int set_hold(struct ktarget *k, struct mcp_view *v, struct ut *u, uint32_t on)
{
	uint64_t a = u->addr + offsetof(struct mcp_dbg_uthread, hold);

	if (!v->can_hold)
		return -EOPNOTSUPP;
	if (ktarget_ops.write_mem(k, a, &on, sizeof(on)) != (int)sizeof(on))
		return -EIO;
	u->s.hold = on;
	return 0;
}

/*
 * Arm a step of u, which no vcore runs: the trap flag in its saved
 * context, and a note to swallow the trap its context pop takes.  0 or
 * -errno (no saved context, or no room for the note).
 */
static int launch_step(struct ktarget *k, struct mcp_view *v, struct ut *u)
{
	uint64_t a = u->s.ctx + offsetof(struct mcp_uctx, rflags), fl, rip;
	int tid = UT_TID_BASE + (int)u->s.id, i;

	if (!u->s.ctx || u->s.ctx_kind == MCP_DBG_CTX_NONE || !v->can_hold ||
	    rd(k, a, &fl, sizeof(fl)) ||
	    rd(k, u->s.ctx + offsetof(struct mcp_uctx, rip), &rip, sizeof(rip)))
		return -EINVAL;
	for (i = 0; i < v->nlaunch && v->launch[i].tid != tid; i++)
		;
	if (i == MAX_LAUNCH)
		return -ENOSPC;
	fl |= FL_TF;
	if (ktarget_ops.write_mem(k, a, &fl, sizeof(fl)) != (int)sizeof(fl))
		return -EIO;
	v->launch[i].tid = tid;
	v->launch[i].rip = rip;
	if (i == v->nlaunch)
		v->nlaunch++;
	return 0;
}

/*
 * Forget an armed step of u that has not begun (u stopped again, or
 * continued instead): the trap flag out of its saved context.
 */
static void cancel_launch(struct ktarget *k, struct mcp_view *v, struct ut *u)
{
	uint64_t a = u->s.ctx + offsetof(struct mcp_uctx, rflags), fl;
	int tid = UT_TID_BASE + (int)u->s.id, i;

	for (i = 0; i < v->nlaunch && v->launch[i].tid != tid; i++)
		;
	if (i == v->nlaunch)
		return;
	v->launch[i] = v->launch[--v->nlaunch];
	if (u->s.ctx && !rd(k, a, &fl, sizeof(fl)) && (fl & FL_TF)) {
		fl &= ~(uint64_t)FL_TF;
		ktarget_ops.write_mem(k, a, &fl, sizeof(fl));
	}
}

/*
 * An event of kernel task ktid shown as uthread si->tid: is it the trap
 * of an armed off-vcore step before the uthread's first instruction?
 * Then the task is stepped once more (true: do not report it).
 */
static bool launch_trap(struct ktarget *k, int ktid, const struct stop_info *si)
{
	struct mcp_view *v = view_of(k);
	struct abi_user_regs r;
	struct abi_user_fpregs f;
	int i;

	if (!v || si->kind != STOP_STEP)
		return false;
	for (i = 0; i < v->nlaunch && v->launch[i].tid != si->tid; i++)
		;
	if (i == v->nlaunch)
		return false;
	v->launch[i] = v->launch[--v->nlaunch];
	if (ktarget_ops.get_regs(k, ktid, &r, &f) || r.rip != v->launch[v->nlaunch].rip)
		return false;	/* it did run an instruction: that is the step */
	if (r.eflags & FL_TF) {
		r.eflags &= ~(uint64_t)FL_TF;
		ktarget_ops.set_regs(k, ktid, &r, &f);
	}
	drop_view(k);
	return ktarget_ops.resume(k, ktid, true, 0) == 0;
}

static int m_resume(void *t, int tid, bool step, int sig)
{
	struct ktarget *k = t;
	struct mcp_view *v = view(k);
	struct ut *u = v && v->mcp && tid ? find_ut(v, tid) : NULL;
	int vc, task = tid;

	if (v && v->mcp && tid == 0)	/* everything goes: no hold stays */
		for (int i = 0; i < v->nut; i++)
			if (v->ut[i].s.hold)
				set_hold(k, v, &v->ut[i], 0);
	if (u) {
		task = task_of(v, u, &vc);
		if (!task && step) {
			int err = launch_step(k, v, u);

			if (err)
				return err;
		} else if (!task) {
			cancel_launch(k, v, u);
		}
		if (u->s.hold)
			set_hold(k, v, u, 0);
	}
	drop_view(k);
	if (tid && !task)
		return 0;	/* not running: its vcore runs it when the 2LS picks it */
	return ktarget_ops.resume(t, task, step, sig);	/* task 0: every task */
}

/* Forget every armed step that has not begun (all-stop: a stop ends them all). */
static void cancel_all_launches(struct ktarget *k)
{
	struct mcp_view *v = view(k);

	while (v && v->nlaunch) {
		struct ut *u = find_ut(v, v->launch[0].tid);

		if (u)
			cancel_launch(k, v, u);
		else
			v->launch[0] = v->launch[--v->nlaunch];
	}
}

static int m_wait(void *t, struct link *io, struct stop_info *si)
{
	struct ktarget *k = t;
	int err;

	for (;;) {
		int ktid;

		drop_view(k);
		err = ktarget_ops.wait(t, io, si);
		if (err || si->kind == STOP_EXITED || si->kind == STOP_KILLED)
			return err;
		ktid = si->tid;
		si->tid = mcp_gdb_tid(k, ktid);
		if (!launch_trap(k, ktid, si)) {
			cancel_all_launches(k);	/* all-stop: gdb's other steps are over */
			return 0;
		}
	}
}

/* Detach: no uthread stays held by us, then the kernel lets every task go. */
static int m_detach(void *t)
{
	struct ktarget *k = t;
	struct mcp_view *v;

	drop_view(k);
	v = view(k);
	if (v && v->mcp)
		for (int i = 0; i < v->nut; i++)
			if (v->ut[i].s.hold)
				set_hold(k, v, &v->ut[i], 0);
	drop_view(k);
	return ktarget_ops.detach(t);
}

static int m_stop(void *t)
{
	drop_view(t);
	return ktarget_ops.stop(t);
}

/*
 * Stop one uthread while the rest run: hold it (the 2LS parks it instead
 * of running it) and, if a vcore runs it, stop that vcore's task.  The 2LS
 * publishes RUNNING before it checks hold, so after setting hold a state
 * other than RUNNING means it will not run; RUNNING means it is on the
 * vcore (or about to be parked there): stop the task and look again.  A
 * task stopped for a uthread that left it meanwhile goes on.
 */
static int m_stop_thread(void *t, int tid)
{
	struct ktarget *k = t;
	struct mcp_view *v;
	struct ut *u;
	int vc = -1, task, err;

	drop_view(k);
	v = view(k);
	u = v && v->mcp ? find_ut(v, tid) : NULL;
	if (!u)
		return ktarget_ops.stop_thread(t, tid);
	err = set_hold(k, v, u, 1);
	if (err)
		return err;
	for (int tries = 0; tries < 100; tries++) {
		drop_view(k);
		v = view(k);
		u = find_ut(v, tid);
		if (!u)
			return -ESRCH;
		task = task_of(v, u, &vc);
		if (!task && u->s.state == MCP_DBG_UT_RUNNING) {
			usleep(1000);	/* between the 2LS's publishing and its check */
			continue;
		}
		if (!task) {
			cancel_launch(k, v, u);	/* a step it had not begun is over */
			return 0;	/* held off the vcores */
		}
		err = ktarget_ops.stop_thread(t, task);
		if (err)
			return err;
		drop_view(k);
		v = view(k);
		u = find_ut(v, tid);
		if (u && task_of(v, u, &vc) == task)
			return 0;	/* stopped on its vcore */
		ktarget_ops.resume(t, task, false, 0);	/* it left: held now */
	}
	return -EAGAIN;
}

static int m_next_event(void *t, struct stop_info *si)
{
	struct ktarget *k = t;
	int r;

	for (;;) {
		int ktid;

		r = ktarget_ops.next_event(t, si);
		drop_view(k);
		if (r <= 0 || si->kind == STOP_EXITED || si->kind == STOP_KILLED)
			return r;
		ktid = si->tid;
		si->tid = mcp_gdb_tid(k, ktid);
		if (!launch_trap(k, ktid, si))
			return r;
	}
}

static const char *ut_state(uint32_t st)
{
	static const char *const names[] = { "free", "runnable", "running", "blocked", "exited" };

	return st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}

/* monitor uthreads: one line per uthread. */
static int show_uthreads(struct mcp_view *v, char *out, size_t n)
{
	size_t o = 0;

	o += (size_t)snprintf(out, n, "%6s  %-24s %-9s %s\n", "Id", "Name", "State", "Vcore");
	for (int i = 0; i < v->nut && o < n; i++) {
		const struct mcp_dbg_uthread *s = &v->ut[i].s;
		char vc[16] = "-";

		if (s->vcore >= 0)
			snprintf(vc, sizeof(vc), s->state == MCP_DBG_UT_RUNNING ? "%d" : "(%d)",
				 s->vcore);
		o += (size_t)snprintf(out + o, n - o, "%6llu  %-24s %-9s %s\n",
				      (unsigned long long)s->id, s->name, ut_state(s->state), vc);
	}
	if (o < n)
		o += (size_t)snprintf(out + o, n - o, "%d uthreads; (N): last ran on vcore N\n",
				      v->nut);
	return (int)(o < n ? o : n - 1);
}

/* monitor vcores: one line per vcore the kernel knows (/proc/PID/vcores). */
static int show_vcores(struct ktarget *k, struct mcp_view *v, char *out, size_t n)
{
	char path[48], line[160];
	size_t o = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/vcores", k->pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	o += (size_t)snprintf(out, n, "%5s %5s %-7s %6s %-6s %s\n", "Vcore", "Pcore", "State",
			      "Tid", "Notifs", "Running");
	while (fgets(line, sizeof(line), f) && o < n) {
		int vc, pc, tid;
		char st[16], run[64] = "vcore context", notif[8] = "?";
		unsigned long long a, b, c;
		uint32_t dis;
		struct ut *u;

		if (sscanf(line, "%d %d %15s %llu %llu %llu %d", &vc, &pc, st, &a, &b, &c,
			   &tid) != 7 || vc < 0 || vc >= MCP_MAX_VCORES)
			continue;
		if (!rd(k, MCP_PROCDATA_ADDR + offsetof(struct mcp_procdata, vcpd) +
			(uint64_t)vc * sizeof(struct mcp_vcpd) +
			offsetof(struct mcp_vcpd, notif_disabled), &dis, sizeof(dis)))
			snprintf(notif, sizeof(notif), "%s", dis ? "off" : "on");
		u = running_on(v, vc);
		if (u)
			snprintf(run, sizeof(run), "uthread %llu \"%s\"",
				 (unsigned long long)u->s.id, u->s.name);
		if (!tid)
			snprintf(run, sizeof(run), "-");
		o += (size_t)snprintf(out + o, n - o, "%5d %5d %-7s %6d %-6s %s\n", vc, pc, st, tid,
				      notif, run);
	}
	fclose(f);
	return (int)(o < n ? o : n - 1);
}

static int m_monitor(void *t, const char *cmd, char *out, size_t n)
{
	struct ktarget *k = t;
	struct mcp_view *v;
	bool ut = !strcmp(cmd, "uthreads");

	if (k->nonstop)
		drop_view(k);	/* threads run meanwhile: what they are now */
	v = view(k);

	if (!ut && strcmp(cmd, "vcores"))
		return -ENOENT;
	if (!v)
		return -ENOMEM;
	if (!v->mcp)
		return snprintf(out, n, "Process %d is not an MCP with parlib's debugger "
				"descriptor: no %s.\n", k->pid, cmd);
	return ut ? show_uthreads(v, out, n) : show_vcores(k, v, out, n);
}

static struct target_ops mops;

const struct target_ops *mcp_target(void)
{
	mops = ktarget_ops;
	mops.threads = m_threads;
	mops.thread_info = m_thread_info;
	mops.get_regs = m_get_regs;
	mops.set_regs = m_set_regs;
	mops.resume = m_resume;
	mops.wait = m_wait;
	mops.stop = m_stop;
	mops.monitor = m_monitor;
	mops.stop_thread = m_stop_thread;
	mops.detach = m_detach;
	mops.next_event = m_next_event;
	return &mops;
}
