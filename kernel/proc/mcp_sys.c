/*
 * The MCP system calls (numbers and contract in abi/mcp.h, docs/mcp.md):
 * argument checks, then calls into mcp.c.  Thin by design: nothing
 * changes before the last check.  The shared pages are the process's own
 * memory at fixed addresses; SYS_mcp_map_pages (re)creates them and the
 * state that goes with them (struct mcp), so a fork child or an exec'd
 * image that calls it gets fresh pages.
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
#include <kern/syscall.h>
#include <kern/time.h>
#include <kern/fpu_state.h>
#include <arch/trap.h>
#include <arch/apic.h>
#include <abi/mman.h>
#include "mcp_internal.h"

/* A fresh struct mcp for p's current address space; NULL when memory is short. */
static struct mcp *mcp_alloc(struct proc *p)
{
	struct mcp *m = kzmalloc(sizeof(*m), MEM_WAIT);

	if (!m)
		return NULL;
	m->lock = (struct spinlock)SPINLOCK_INITIALIZER("mcp");
	m->proc = p;
	m->mm = p->mm;
	mm_get(p->mm);
	m->max_vcores = MIN(MCP_MAX_VCORES, num_cpus - 1);
	for (int i = 0; i < MCP_MAX_VCORES; i++) {
		m->vc[i].id = i;
		m->vc[i].mcp = m;
		m->vc[i].pcore = -1;
		wait_queue_init(&m->vc[i].wq, "vcore");
	}
	m->info.magic = MCP_PROCINFO_MAGIC;
	m->info.version = MCP_ABI_VERSION;
	m->info.pid = (u32)p->pid;
	m->info.max_vcores = (u32)MAX(m->max_vcores, 0);
	m->info.tsc_freq = tsc_hz;
	m->info.fpu_xsave = fpu_have_xsave;
	m->info.fpu_size = (u32)arch_fpu_sig_size();
	m->info.ncpus = (u32)num_cpus;
	for (int c = 0; c < MCP_MAX_PCORES; c++)
		m->info.pcoremap[c] = -1;
	mcp_async_init(m);
	return m;
}

/* Map the info and data pages at their fixed addresses, replacing what is there; 0 or -errno. */
static int map_shared_pages(struct mm *mm)
{
	int err;

	if (uvm_range_mapped(mm, MCP_PROCINFO_ADDR, MCP_PROCINFO_SIZE) ||
	    uvm_range_mapped(mm, MCP_PROCDATA_ADDR, MCP_PROCDATA_SIZE)) {
		(void)uvm_unmap(mm, MCP_PROCINFO_ADDR, MCP_PROCINFO_SIZE);
		(void)uvm_unmap(mm, MCP_PROCDATA_ADDR, MCP_PROCDATA_SIZE);
	}
	err = uvm_map(mm, MCP_PROCINFO_ADDR, MCP_PROCINFO_SIZE, PROT_READ, VMA_PRIVATE,
		      "[mcp_procinfo]");
	if (err)
		return err;
	return uvm_map(mm, MCP_PROCDATA_ADDR, MCP_PROCDATA_SIZE, PROT_READ | PROT_WRITE,
		       VMA_PRIVATE, "[mcp_procdata]");
}

/* mcp_map_pages(): map procinfo (read-only) and procdata; 0, -EINVAL for an MCP, -ENOMEM. */
SYSCALL_DEFINE0(mcp_map_pages)
{
	struct proc *p = current_proc();
	struct mcp *m = READ_ONCE(p->mcp), *old;
	u64 flags;
	int err;

	if (m && m->mm == p->mm)
		return 0;
	if (m && m->is_mcp)
		return -EINVAL;
	m = mcp_alloc(p);
	if (!m)
		return -ENOMEM;
	err = map_shared_pages(p->mm);
	if (err) {
		mm_put(m->mm);
		kfree(m);
		return err;
	}
	flags = spin_lock_irqsave(&m->lock);
	__mcp_push_info(m);
	spin_unlock_irqrestore(&m->lock, flags);
	flags = spin_lock_irqsave(&p->lock);
	old = p->mcp;
	p->mcp = m;
	spin_unlock_irqrestore(&p->lock, flags);
	if (old) {
		mm_put(old->mm);
		kfree(old);
	}
	return 0;
}

/* The caller's struct mcp if its pages are mapped in its current image, else NULL. */
static struct mcp *own_mcp(void)
{
	struct proc *p = current_proc();
	struct mcp *m = READ_ONCE(p->mcp);

	return m && m->mm == p->mm ? m : NULL;
}

/* Is the caller p's only thread that is not ending?  Takes p->lock. */
static bool only_live_thread(struct proc *p)
{
	struct task *t, *me = current();
	bool alone = true;
	u64 flags = spin_lock_irqsave(&p->lock);

	list_for_each_entry(t, &p->tasks, proc_link)
		if (t != me && !__atomic_load_n(&t->thread_exiting, __ATOMIC_ACQUIRE))
			alone = false;
	spin_unlock_irqrestore(&p->lock, flags);
	return alone;
}

static bool one_task_left(void *arg)
{
	return READ_ONCE(((struct proc *)arg)->nr_tasks) <= 1;
}

/*
 * change_to_m(): become an MCP; returns 0 twice in a sense: the caller's
 * context resumes (when the 2LS runs it) from vcore 0's uthread_ctx.
 * -EINVAL without mapped pages, a vcore entry or vcore 0's stack, or
 * when already an MCP or multi-threaded; -EBUSY when no core is free.
 */
SYSCALL_DEFINE0(change_to_m)
{
	struct proc *p = current_proc();
	struct mcp *m = own_mcp();
	struct {
		u32 res_req_vcores, pad;
		u64 vcore_entry;
	} pd;	/* the head of struct mcp_procdata (all of it is 196 KiB: never on a stack) */
	u64 stack;
	int err;

	if (!m || m->is_mcp || m->max_vcores < 1 || !only_live_thread(p))
		return -EINVAL;
	/*
	 * A thread that was just joined (its CLEARTID wake done) may still be
	 * on its way out of the thread list: wait for it (parlib_init joins
	 * one right before this call; it got -EINVAL here now and then).
	 */
	wait_event_uninterruptible(&p->child_wait, one_task_left, p);
	_Static_assert(offsetof(struct mcp_procdata, vcore_entry) == 8, "procdata head");
	if (copy_from_user(&pd, (void *)MCP_PROCDATA_ADDR, sizeof(pd)) ||
	    copy_from_user(&stack, (void *)VCPD_FIELD(0, vcore_stack), sizeof(stack)))
		return -EFAULT;
	if (pd.vcore_entry < USER_MIN || pd.vcore_entry >= USER_MAX ||
	    stack < USER_MIN || stack >= USER_MAX)
		return -EINVAL;
	/* Private copies of every shared page now, while we are the only thread. */
	err = uvm_populate(m->mm, MCP_PROCDATA_ADDR, MCP_PROCDATA_ADDR + MCP_PROCDATA_SIZE);
	if (err)
		return err;
	err = mcp_change_to_m(m, current()->utf);
	if (err)
		return err;
	tlb_flush_mm(m->mm);
	if (pd.res_req_vcores > 1)
		mcp_grant_vcores(m, (int)pd.res_req_vcores);
	return 0;
}

/* poke_ksched(): grant cores up to res_req_vcores; the vcores online, or -EINVAL for an SCP. */
SYSCALL_DEFINE0(poke_ksched)
{
	struct mcp *m = own_mcp();
	u32 want;

	if (!m || !m->is_mcp)
		return -EINVAL;
	if (copy_from_user(&want, (void *)MCP_PROCDATA_ADDR, sizeof(want)))
		return -EFAULT;
	return mcp_grant_vcores(m, (int)MIN(want, (u32)MCP_MAX_VCORES));
}

/*
 * vcore_yield(flags): give the caller's core back and park until a grant
 * brings one (then the vcore starts again at vcore_entry).  0 after that;
 * -EAGAIN if events are pending or (MCP_YIELD_NICE) nothing else waits
 * for a CPU; -EBUSY for the last vcore; -EINVAL outside a vcore.
 */
SYSCALL_DEFINE1(vcore_yield, u64, yflags)
{
	struct mcp_vcore *vc = current()->vcore;
	struct mcp *m = own_mcp();
	u32 pending = 1;
	u64 flags;

	if (!vc || !m || yflags & ~(u64)MCP_YIELD_NICE)
		return -EINVAL;
	if (READ_ONCE(vc->warn_deadline))
		return mcp_warn_yield(m, vc);	/* answering a preemption warning */
	if ((yflags & MCP_YIELD_NICE) && !sched_runnable_count())
		return -EAGAIN;
	flags = spin_lock_irqsave(&m->lock);
	/* Under the lock that posts events: none can slip in after this test. */
	(void)uvm_read(m->mm, VCPD_FIELD(vc->id, notif_pending), &pending, sizeof(pending));
	if (pending || m->nr_online <= 1) {
		spin_unlock_irqrestore(&m->lock, flags);
		return pending ? -EAGAIN : -EBUSY;
	}
	__mcp_vcore_offline(m, vc);
	spin_unlock_irqrestore(&m->lock, flags);
	mcp_vcore_park(vc);
	return 0;
}

/* vcore_notify(vcoreid, type, arg): post an event; 0, -EINVAL (bad vcore, not an MCP). */
SYSCALL_DEFINE3(vcore_notify, u32, vcoreid, u32, type, u64, arg)
{
	struct mcp *m = own_mcp();
	struct mcp_event ev = { type, vcoreid, arg };
	u64 flags;

	if (!m || !m->is_mcp || vcoreid >= (u32)m->max_vcores)
		return -EINVAL;
	flags = spin_lock_irqsave(&m->lock);
	__mcp_post_event(m, (int)vcoreid, &ev);
	spin_unlock_irqrestore(&m->lock, flags);
	return 0;
}

/*
 * vcore_preempt(pid, vcoreid, flags, grace_ns): take vcore vcoreid of MCP
 * pid (0: the caller) off its core at its next return to user mode
 * (MCP_PREEMPT_REGRANT: and give it a core again at once; MCP_PREEMPT_WARN:
 * warn it first and force it only after grace_ns, mcp_warn.c).  0; -ESRCH
 * no such process; -EPERM another user's; -EINVAL not an MCP, bad vcore,
 * flags or grace; -EAGAIN the vcore has no core now or is already being
 * preempted.
 */
SYSCALL_DEFINE4(vcore_preempt, int, pid, u32, vcoreid, u32, pflags, u64, grace_ns)
{
	struct proc *me = current_proc(), *p;
	struct mcp *m;
	int core = -1, err = 0;
	u64 flags, mflags;

	if (pflags & ~(u32)(MCP_PREEMPT_REGRANT | MCP_PREEMPT_WARN) ||
	    vcoreid >= MCP_MAX_VCORES || pid < 0)
		return -EINVAL;
	if ((pflags & MCP_PREEMPT_WARN) && (!grace_ns || grace_ns > MCP_PREEMPT_GRACE_MAX))
		return -EINVAL;
	flags = spin_lock_irqsave(&proc_tree_lock);
	p = pid ? __pid_lookup(pid) : me;
	if (!p || p->pid != (pid ? pid : me->pid) || p->zombie) {
		err = -ESRCH;
		goto out;
	}
	if (me->euid && me->euid != p->uid && me->uid != p->uid) {
		err = -EPERM;
		goto out;
	}
	m = READ_ONCE(p->mcp);
	if (!m || !proc_is_mcp(p) || vcoreid >= (u32)m->max_vcores) {
		err = -EINVAL;
		goto out;
	}
	mflags = spin_lock_irqsave(&m->lock);
	if (!m->vc[vcoreid].online || READ_ONCE(m->vc[vcoreid].preempt_req) ||
	    m->vc[vcoreid].warn_deadline) {
		err = -EAGAIN;
	} else {
		WRITE_ONCE(m->vc[vcoreid].preempt_regrant, !!(pflags & MCP_PREEMPT_REGRANT));
		if (pflags & MCP_PREEMPT_WARN)
			__mcp_vcore_warn(m, &m->vc[vcoreid], grace_ns);
		else
			__atomic_store_n(&m->vc[vcoreid].preempt_req, true, __ATOMIC_SEQ_CST);
		m->info.vcoremap[vcoreid].nr_preempts_sent++;
		__mcp_push_info(m);
		core = m->vc[vcoreid].pcore;
	}
	spin_unlock_irqrestore(&m->lock, mflags);
out:
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	if (core >= 0 && core != core_id())
		send_ipi(core, VEC_RESCHED);
	return err;
}
