/*
 * Many-core processes: vcores, grants, notifications and preemption (the
 * model is in kern/mcp.h; the user-visible contract in abi/mcp.h and
 * docs/mcp.md; the system calls in mcp_sys.c).
 *
 * A vcore is a task of the process pinned to a granted core.  Grants pick
 * the highest free core (core 0 always time-shares), pin the vcore's task
 * there and make any other task on it leave.  Whatever changes a vcore's
 * user context runs on its own CPU at return to user mode
 * (mcp_return_to_user): the start at vcore_entry, a notification (the
 * running context goes to the vcpd's uthread_ctx, the vcore re-enters
 * vcore_entry) and a preemption (the context goes to uthread_ctx or, from
 * vcore context, vcore_ctx; the core is given back; another vcore gets an
 * MCP_EV_VCORE_PREEMPT event; the task parks until the next grant).  The
 * shared pages are ordinary user memory of the process: the kernel reads
 * and writes them with copy_*_user on the vcore's own CPU and with
 * uvm_read/uvm_write elsewhere, and never trusts what it reads (addresses
 * are checked, FPU images validated, a bad page kills the process).
 */
#include <kern/mcp.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/smp.h>
#include <kern/uvm.h>
#include <kern/uaccess.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/time.h>
#include <kern/fpu_state.h>
#include <kern/procdbg.h>
#include <arch/trap.h>
#include <arch/apic.h>
#include <arch/x86.h>
#include "internal.h"
#include "mcp_internal.h"

_Static_assert(sizeof(struct mcp_vcpd) == MCP_VCPD_SIZE, "vcpd layout");
_Static_assert(sizeof(struct mcp_procdata) == MCP_PROCDATA_SIZE, "procdata layout");
_Static_assert(sizeof(struct mcp_procinfo) <= MCP_PROCINFO_SIZE, "procinfo layout");

#define USER_RFLAGS_MASK	0xcd5ULL	/* CF PF AF ZF SF DF OF; IF is forced on */

bool proc_is_mcp(struct proc *p)
{
	struct mcp *m = READ_ONCE(p->mcp);

	return m && READ_ONCE(m->is_mcp);
}

/* Push the kernel's copy of procinfo to the page (m->lock held); seq is odd meanwhile. */
void __mcp_push_info(struct mcp *m)
{
	m->info.seq++;
	(void)uvm_write(m->mm, MCP_PROCINFO_ADDR, &m->info, sizeof(m->info));
	m->info.seq++;
	(void)uvm_write(m->mm, MCP_PROCINFO_ADDR + offsetof(struct mcp_procinfo, seq),
			&m->info.seq, sizeof(m->info.seq));
}

static u32 or_word(volatile u32 *w, void *arg)
{
	return __atomic_fetch_or(w, (u32)(uintptr_t)arg, __ATOMIC_SEQ_CST);
}

static u32 and_not_word(volatile u32 *w, void *arg)
{
	return __atomic_fetch_and(w, ~(u32)(uintptr_t)arg, __ATOMIC_SEQ_CST);
}

/* Atomically set bits in vcore id's vcpd flags; 0 or -EFAULT. */
static int vcpd_flags_set(struct mcp *m, int id, u32 bits)
{
	u32 old;
	physaddr_t pa;

	return uvm_user_word(m->mm, VCPD_FIELD(id, flags), true, or_word, (void *)(uintptr_t)bits,
			     &old, &pa);
}

/* Take a free core for vcore vc and mark it online (m->lock held); the core or -EBUSY. */
int __mcp_vcore_online(struct mcp *m, struct mcp_vcore *vc)
{
	int core = -1;

	for (int c = num_cpus - 1; c > 0 && core < 0; c--)
		if (!corealloc_grant(c, m->proc))
			core = c;
	if (core < 0)
		return -EBUSY;
	vc->pcore = core;
	vc->online = true;
	vc->restart = true;
	m->nr_online++;
	m->info.num_vcores = m->nr_online;
	m->info.vcoremap[vc->id].pcoreid = core;
	m->info.vcoremap[vc->id].valid = 1;
	m->info.vcoremap[vc->id].nr_grants++;
	m->info.pcoremap[core] = vc->id;
	__mcp_push_info(m);
	return core;
}

/* Give vcore vc's core back (m->lock held). */
void __mcp_vcore_offline(struct mcp *m, struct mcp_vcore *vc)
{
	if (!vc->online)
		return;
	m->info.pcoremap[vc->pcore] = -1;
	corealloc_revoke(vc->pcore);
	vc->online = false;
	m->nr_online--;
	m->info.num_vcores = m->nr_online;
	m->info.vcoremap[vc->id].valid = 0;
	__mcp_push_info(m);
}

/*
 * Post ev to vcore id's mailbox (an online vcore's if id has no core and
 * any has) and raise its notif_pending (m->lock held); an online vcore
 * with notifications enabled gets an IPI.
 */
void __mcp_post_event(struct mcp *m, int id, const struct mcp_event *ev)
{
	struct mcp_vcore *vc = &m->vc[id];
	u32 idx[2], one = 1, disabled = 1;

	/* A vcore without a core reads nothing until a grant: an online one gets it instead. */
	for (int w = 0; !vc->online && m->nr_online && w < m->max_vcores; w++)
		if (m->vc[w].online) {
			id = w;
			vc = &m->vc[w];
		}
	if (uvm_read(m->mm, VCPD_FIELD(id, mbox_prod), idx, sizeof(idx)))
		return;
	if (idx[0] - idx[1] >= MCP_MBOX_SLOTS) {
		u32 over;

		if (!uvm_read(m->mm, VCPD_FIELD(id, mbox_overflow), &over, sizeof(over))) {
			over++;
			(void)uvm_write(m->mm, VCPD_FIELD(id, mbox_overflow), &over, sizeof(over));
		}
	} else {
		(void)uvm_write(m->mm, VCPD_FIELD(id, mbox[0]) +
				(idx[0] % MCP_MBOX_SLOTS) * sizeof(*ev), ev, sizeof(*ev));
		idx[0]++;
		(void)uvm_write(m->mm, VCPD_FIELD(id, mbox_prod), &idx[0], sizeof(idx[0]));
	}
	(void)uvm_write(m->mm, VCPD_FIELD(id, notif_pending), &one, sizeof(one));
	smp_mb();	/* pairs with the 2LS: clear notif_disabled, fence, test notif_pending */
	(void)uvm_read(m->mm, VCPD_FIELD(id, notif_disabled), &disabled, sizeof(disabled));
	if (!vc->online)
		return;
	__atomic_store_n(&vc->kick, true, __ATOMIC_RELEASE);
	if (!disabled && vc->pcore != core_id())
		send_ipi(vc->pcore, VEC_RESCHED);
}

/* A new vcore task of m's process, not yet runnable; NULL when memory or ids run out. */
static struct task *vcore_task_create(struct mcp *m)
{
	struct task *t = proc_new_task(m->proc, "vcore", false);

	if (!t)
		return NULL;
	t->tid = tid_alloc_for(m->proc);
	if (t->tid < 0) {
		t->tid = 0;
		proc_remove_task(m->proc, t);
		task_free(t);
		return NULL;
	}
	/* t->vcore is set when the task is installed: a spare must not own the vcore */
	t->sigmask = ~SIG_UNBLOCKABLE;	/* signals reach an MCP as SIGKILL/SIGSTOP only */
	return t;
}

/* Start or wake vcore vc's task on its new core (after __mcp_vcore_online). */
static void vcore_kick_task(struct mcp_vcore *vc, struct task *t, int core, bool fresh)
{
	sched_vcore_bind(t, core);
	sched_evict_core(core);
	if (fresh)
		task_wakeup(t);
	else
		wake_up(&vc->wq);
	if (core != core_id())
		send_ipi(core, VEC_RESCHED);
}

int mcp_grant_vcores(struct mcp *m, int want)
{
	want = MIN(want, m->max_vcores);
	for (int id = 0; id < m->max_vcores && READ_ONCE(m->nr_online) < want; id++) {
		struct mcp_vcore *vc = &m->vc[id];
		struct task *t = NULL, *spare = NULL;
		bool fresh = false;
		int core;
		u64 flags;

		if (READ_ONCE(vc->online) || READ_ONCE(vc->restart))
			continue;
		if (!READ_ONCE(vc->task)) {
			spare = vcore_task_create(m);
			if (!spare)
				break;
		}
		flags = spin_lock_irqsave(&m->lock);
		if (vc->online || !m->is_mcp || m->nr_online >= want ||
		    READ_ONCE(m->proc->exiting) || (!vc->task && !spare)) {
			spin_unlock_irqrestore(&m->lock, flags);
			core = -EAGAIN;
			goto drop_spare;
		}
		core = __mcp_vcore_online(m, vc);
		if (core >= 0 && !vc->task && spare) {
			vc->task = spare;
			spare->vcore = vc;
			spare = NULL;
			fresh = true;
		}
		t = vc->task;
		spin_unlock_irqrestore(&m->lock, flags);
		if (core >= 0)
			vcore_kick_task(vc, t, core, fresh);
drop_spare:
		if (spare) {
			/* unused (or the process is exiting): it never ran */
			proc_remove_task(m->proc, spare);
			tid_free(spare->tid);
			task_free(spare);
			wake_up(&m->proc->child_wait);	/* an exit may wait for our count */
		}
		if (core == -EBUSY)
			break;
	}
	return READ_ONCE(m->nr_online);
}

static bool vcore_may_leave_park(void *arg)
{
	struct mcp_vcore *vc = arg;

	return READ_ONCE(vc->online) || READ_ONCE(vc->mcp->proc->exiting) ||
	       signal_pending_mask(current(), SIGBIT(SIGKILL));
}

/*
 * Sleep until the vcore has a core again (then run on it) or the process
 * dies (then return on whatever core: the return to user mode kills us).
 */
void mcp_vcore_park(struct mcp_vcore *vc)
{
	for (;;) {
		int err = wait_event(&vc->wq, vcore_may_leave_park, vc, 0);

		if (!err)
			break;
		if (signal_pending_mask(current(), SIGBIT(SIGKILL)))
			return;
		if (READ_ONCE(current()->dbg_hold)) {
			procdbg_park(current()->utf);	/* a debugger's stop, coreless */
			continue;
		}
		do_signals(current()->utf);	/* SIGSTOP: stop here until SIGCONT */
	}
	if (READ_ONCE(vc->online))
		sched_vcore_bind(current(), READ_ONCE(vc->pcore));
}

static bool user_addr_ok(u64 a)
{
	return a >= USER_MIN && a < USER_MAX;
}

/* Save tf, fs base and the FPU into vcore id's uthread_ctx or vcore_ctx; 0 or -EFAULT. */
static int vcore_save_ctx(struct mcp_vcore *vc, struct hw_trapframe *tf, bool vcore_ctx)
{
	struct task *t = current();
	struct mcp_uctx c = {
		tf->rax, tf->rbx, tf->rcx, tf->rdx, tf->rsi, tf->rdi, tf->rbp,
		tf->r8, tf->r9, tf->r10, tf->r11, tf->r12, tf->r13, tf->r14, tf->r15,
		tf->rsp, tf->rip, tf->rflags, rdmsr(MSR_FS_BASE), tf->trapno,
	};
	u64 ctx = vcore_ctx ? VCPD_FIELD(vc->id, vcore_ctx) : VCPD_FIELD(vc->id, uthread_ctx);
	u64 fpu = vcore_ctx ? VCPD_FIELD(vc->id, vcore_fpu) : VCPD_FIELD(vc->id, uthread_fpu);

	arch_fpu_sigsave(t->fpu);	/* the task's own area: rewritten at its next switch */
	if (copy_to_user((void *)ctx, &c, sizeof(c)) ||
	    copy_to_user((void *)fpu, t->fpu, MIN(arch_fpu_sig_size(), MCP_FPU_AREA_SIZE)))
		return -EFAULT;
	return 0;
}

/* Point tf at vcore_entry in vcore context (notifications off); 0 or -EFAULT. */
static int vcore_enter(struct mcp_vcore *vc, struct hw_trapframe *tf)
{
	u64 entry, st[2];
	u32 one = 1;

	if (copy_from_user(&entry, (void *)(MCP_PROCDATA_ADDR +
					    offsetof(struct mcp_procdata, vcore_entry)), 8) ||
	    copy_from_user(st, (void *)VCPD_FIELD(vc->id, vcore_stack), sizeof(st)) ||
	    copy_to_user((void *)VCPD_FIELD(vc->id, notif_disabled), &one, sizeof(one)))
		return -EFAULT;
	if (!user_addr_ok(entry) || !user_addr_ok(st[0]) || (st[1] && !user_addr_ok(st[1])))
		return -EFAULT;
	memset(&tf->rax, 0, offsetof(struct hw_trapframe, r15) + sizeof(tf->r15) -
	       offsetof(struct hw_trapframe, rax));
	tf->rdi = (u64)vc->id;
	tf->rip = entry;
	tf->rsp = st[0];
	tf->rflags = 0x202;
	tf->trapno = VEC_RESCHED;	/* not a syscall any more: no restart fix-up */
	current()->fs_base = st[1];
	wrmsr(MSR_FS_BASE, st[1]);
	return 0;
}

/* Resume the vcore context saved at a preemption; 0, or -EFAULT if it is bad. */
static int vcore_resume_saved(struct mcp_vcore *vc, struct hw_trapframe *tf)
{
	struct task *t = current();
	struct mcp_uctx c;
	physaddr_t pa;
	u32 old;

	if (copy_from_user(&c, (void *)VCPD_FIELD(vc->id, vcore_ctx), sizeof(c)) ||
	    copy_from_user(t->fpu, (void *)VCPD_FIELD(vc->id, vcore_fpu),
			   MIN(arch_fpu_sig_size(), MCP_FPU_AREA_SIZE)))
		return -EFAULT;
	if (!user_addr_ok(c.rip) || !user_addr_ok(c.rsp) || (c.fs_base && !user_addr_ok(c.fs_base)) ||
	    !arch_fpu_sigrestore(t->fpu))
		return -EFAULT;
	tf->rax = c.rax; tf->rbx = c.rbx; tf->rcx = c.rcx; tf->rdx = c.rdx;
	tf->rsi = c.rsi; tf->rdi = c.rdi; tf->rbp = c.rbp;
	tf->r8 = c.r8; tf->r9 = c.r9; tf->r10 = c.r10; tf->r11 = c.r11;
	tf->r12 = c.r12; tf->r13 = c.r13; tf->r14 = c.r14; tf->r15 = c.r15;
	tf->rsp = c.rsp;
	tf->rip = c.rip;
	tf->rflags = (c.rflags & USER_RFLAGS_MASK) | 0x202;
	t->fs_base = c.fs_base;
	wrmsr(MSR_FS_BASE, c.fs_base);
	tf->trapno = VEC_RESCHED;	/* not a syscall any more: no restart fix-up */
	return uvm_user_word(vc->mcp->mm, VCPD_FIELD(vc->id, flags), true, and_not_word,
			     (void *)(uintptr_t)MCP_VC_VCORE_SAVED, &old, &pa);
}

/* A new core: resume the preempted vcore context, or start at vcore_entry. */
static int vcore_start(struct mcp_vcore *vc, struct hw_trapframe *tf)
{
	u32 flags;

	if (copy_from_user(&flags, (void *)VCPD_FIELD(vc->id, flags), sizeof(flags)))
		return -EFAULT;
	if (flags & MCP_VC_VCORE_SAVED)
		return vcore_resume_saved(vc, tf);
	return vcore_enter(vc, tf);
}

/*
 * Lose the core (a preemption the process or the kernel asked for): save
 * the context where the 2LS finds it, tell another vcore, and park until
 * a core comes back (at once with preempt_regrant, or when the last vcore
 * goes: an MCP with no vcore could never ask again).
 */
static int vcore_preempt_self(struct mcp_vcore *vc, struct hw_trapframe *tf)
{
	struct mcp *m = vc->mcp;
	bool regrant = READ_ONCE(vc->preempt_regrant);
	struct mcp_event ev = { MCP_EV_VCORE_PREEMPT, (u32)vc->id, 0 };
	u32 disabled = 1;
	int core = -1, err;
	u64 flags;

	__atomic_store_n(&vc->preempt_req, false, __ATOMIC_SEQ_CST);
	if (copy_from_user(&disabled, (void *)VCPD_FIELD(vc->id, notif_disabled), 4))
		return -EFAULT;
	err = vcore_save_ctx(vc, tf, disabled);
	if (!err)
		err = vcpd_flags_set(m, vc->id, MCP_VC_PREEMPTED |
				     (disabled ? MCP_VC_VCORE_SAVED : MCP_VC_UTHREAD_SAVED) |
				     (fpu_have_xsave ? MCP_VC_FPU_XSAVE : 0));
	if (err)
		return err;
	flags = spin_lock_irqsave(&m->lock);
	(void)__mcp_warn_end(m, vc, MCP_WARN_FORCED);	/* a warned vcore that did not yield */
	__mcp_vcore_offline(m, vc);
	m->info.vcoremap[vc->id].nr_preempts_done++;
	for (int w = 0; w < m->max_vcores; w++)
		if (m->vc[w].online) {
			__mcp_post_event(m, w, &ev);
			break;
		}
	if (!m->nr_online)
		__mcp_post_event(m, vc->id, &ev);	/* our own uthread: we find it when back */
	if (regrant || !m->nr_online)
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

void mcp_return_to_user(struct hw_trapframe *tf)
{
	struct task *t = current();
	struct mcp_vcore *vc = t->vcore;
	int err = 0;

	if (!vc)
		return;
	mcp_warn_check(vc);
	if (__atomic_load_n(&vc->preempt_req, __ATOMIC_ACQUIRE) && READ_ONCE(vc->online))
		err = vcore_preempt_self(vc, tf);
	if (!err && READ_ONCE(vc->restart) && READ_ONCE(vc->online)) {
		WRITE_ONCE(vc->restart, false);
		__atomic_store_n(&vc->kick, false, __ATOMIC_SEQ_CST);
		err = vcore_start(vc, tf);
	} else if (!err && !(READ_ONCE(t->dbg_step) && (tf->rflags & FL_TF)) &&
		   __atomic_exchange_n(&vc->kick, false, __ATOMIC_ACQ_REL)) {
		/*
		 * Not while a debugger's single step goes out (procdbg_park
		 * set TF): the uthread's context, TF and all, would go to the
		 * vcpd and vcore_entry run instead; the 2LS's restore of it
		 * (popfq; ret) then traps before any instruction of it, and
		 * the debugger sees a step that did not move.  The kick stays
		 * set: the notification comes at the return after the step.
		 */
		u32 nf[2];	/* notif_disabled, notif_pending */

		err = copy_from_user(nf, (void *)VCPD_FIELD(vc->id, notif_disabled), sizeof(nf));
		if (!err && !nf[0] && nf[1]) {
			err = vcore_save_ctx(vc, tf, false);
			if (!err)
				err = vcpd_flags_set(vc->mcp, vc->id, MCP_VC_UTHREAD_SAVED |
						     (fpu_have_xsave ? MCP_VC_FPU_XSAVE : 0));
			if (!err)
				err = vcore_enter(vc, tf);
		}
	}
	if (err)
		force_fatal_sigsegv();	/* the shared pages are gone or hold garbage */
}

void mcp_task_exit(struct proc *p, struct task *t)
{
	struct mcp *m = READ_ONCE(p->mcp);
	struct mcp_vcore *vc = t->vcore;
	u64 flags;

	if (!m || !vc)
		return;
	flags = spin_lock_irqsave(&m->lock);
	if (vc->task == t) {
		__mcp_vcore_offline(m, vc);
		vc->task = NULL;
	}
	spin_unlock_irqrestore(&m->lock, flags);
	t->vcore = NULL;
}

void mcp_free(struct proc *p)
{
	struct mcp *m = p->mcp;

	if (!m)
		return;
	p->mcp = NULL;
	mcp_async_free(m);
	mm_put(m->mm);
	kfree(m);
}

int mcp_change_to_m(struct mcp *m, struct hw_trapframe *tf)
{
	struct task *t = current();
	struct mcp_vcore *vc0 = &m->vc[0];
	u64 rax = tf->rax, flags;
	int err, core;

	tf->rax = 0;	/* the saved context returns 0 from change_to_m */
	err = vcore_save_ctx(vc0, tf, false);
	tf->rax = rax;
	if (!err)
		err = vcpd_flags_set(m, 0, MCP_VC_UTHREAD_SAVED |
				     (fpu_have_xsave ? MCP_VC_FPU_XSAVE : 0));
	if (err)
		return err;
	flags = spin_lock_irqsave(&m->lock);
	if (m->is_mcp) {
		spin_unlock_irqrestore(&m->lock, flags);
		return -EINVAL;
	}
	core = __mcp_vcore_online(m, vc0);
	if (core < 0) {
		spin_unlock_irqrestore(&m->lock, flags);
		return core;
	}
	m->is_mcp = true;
	m->info.is_mcp = 1;
	m->user_sigmask = t->sigmask;
	vc0->task = t;
	t->vcore = vc0;
	t->sigmask = ~SIG_UNBLOCKABLE;
	__mcp_push_info(m);
	spin_unlock_irqrestore(&m->lock, flags);
	flags = spin_lock_irqsave(&m->proc->lock);
	m->proc->state = PROC_RUNNING_M;
	spin_unlock_irqrestore(&m->proc->lock, flags);
	sched_vcore_bind(t, core);
	sched_evict_core(core);
	return 0;
}
