/*
 * Where an MCP's vcores show: the "Vcores:" and "VcoreMap:" lines of
 * /proc/PID/status, the #proc/PID/vcores file (one line per vcore with
 * its core and preemption counts) and the vcore lines of the monitor's
 * `ps`.  The /proc generators take proc_tree_lock and the MCP's lock; the
 * monitor reads without locks (it may run on a wedged system).
 */
#include <kern/mcp.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/slice.h>
#include <kern/printk.h>
#include <kern/errno.h>
#include "mcp_internal.h"

/* The live MCP with pid, or NULL (proc_tree_lock held). */
static struct mcp *__mcp_lookup(int pid)
{
	struct proc *p = __pid_lookup(pid);

	if (!p || p->pid != pid || p->zombie || !proc_is_mcp(p))
		return NULL;
	return p->mcp;
}

int mcp_gen_status(int pid, struct slice *s)
{
	u64 flags = spin_lock_irqsave(&proc_tree_lock), mflags;
	struct mcp *m = __mcp_lookup(pid);
	int r = 0;

	if (!m)
		goto out;
	mflags = spin_lock_irqsave(&m->lock);
	r = slice_printf(s, "Vcores:\t%d\nVcoreMap:\t", m->nr_online);
	for (int i = 0; i < m->max_vcores && r >= 0; i++)
		if (m->vc[i].online)
			r = slice_printf(s, "%d:%d ", i, m->vc[i].pcore);
	if (r >= 0)
		r = slice_printf(s, "\n");
	spin_unlock_irqrestore(&m->lock, mflags);
out:
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return r < 0 ? -ENOMEM : 0;
}

int mcp_gen_vcores(int pid, struct slice *s)
{
	u64 flags = spin_lock_irqsave(&proc_tree_lock), mflags;
	struct mcp *m = __mcp_lookup(pid);
	int r = 0;

	if (!m)
		goto out;
	mflags = spin_lock_irqsave(&m->lock);
	r = slice_printf(s, "vcore pcore state   grants preempts_sent preempts_done tid\n");
	for (int i = 0; i < m->max_vcores && r >= 0; i++) {
		const struct mcp_vcore_info *vi = &m->info.vcoremap[i];
		struct mcp_vcore *vc = &m->vc[i];

		if (!vc->task && !vi->nr_grants)
			continue;
		r = slice_printf(s, "%5d %5d %-7s %6llu %13llu %13llu %d\n", i,
				 vc->online ? vc->pcore : -1, vc->online ? "online" : "parked",
				 (unsigned long long)vi->nr_grants,
				 (unsigned long long)vi->nr_preempts_sent,
				 (unsigned long long)vi->nr_preempts_done, vc->task ? vc->task->tid : 0);
	}
	spin_unlock_irqrestore(&m->lock, mflags);
out:
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return r < 0 ? -ENOMEM : 0;
}

void mcp_print_vcores(struct proc *p)
{
	struct mcp *m = READ_ONCE(p->mcp);

	if (!m || !READ_ONCE(m->is_mcp))
		return;
	for (int i = 0; i < m->max_vcores; i++)
		if (READ_ONCE(m->vc[i].online))
			printk("      vcore %d on core %d (tid %d)\n", i, READ_ONCE(m->vc[i].pcore),
			       m->vc[i].task ? m->vc[i].task->tid : 0);
}
