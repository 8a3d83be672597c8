/*
 * Core allocation, kept apart from the run-queue policy (sched/sched.c):
 * this file only decides which cores are provisioned for time-sharing
 * (single-core processes and kernel threads) and which are granted to a
 * many-core process and stay dedicated to it (proc/mcp.c grants and
 * revokes; the run queue then gives a granted core only its owner's tasks).
 */
#include <kern/smp.h>
#include <kern/spinlock.h>
#include <kern/errno.h>

/* corealloc_lock protects granted_to. */
static struct spinlock corealloc_lock = SPINLOCK_INITIALIZER("corealloc");
static void *granted_to[MAX_CPUS];	/* owning MCP, NULL = time-sharing */

bool corealloc_is_timesharing(int core)
{
	return cpu_online[core] && !READ_ONCE(granted_to[core]);
}

/* Dedicate core to owner; 0, or -EBUSY if it is already granted, -EINVAL for core 0. */
int corealloc_grant(int core, void *owner)
{
	u64 flags;
	int err = 0;

	if (core <= 0 || core >= num_cpus || core >= MAX_CPUS || !cpu_online[core])
		return -EINVAL;	/* core 0 always time-shares: someone must run the SCPs */
	flags = spin_lock_irqsave(&corealloc_lock);
	if (granted_to[core])
		err = -EBUSY;
	else
		granted_to[core] = owner;
	spin_unlock_irqrestore(&corealloc_lock, flags);
	return err;
}

/* Return a granted core to time-sharing. */
void corealloc_revoke(int core)
{
	u64 flags = spin_lock_irqsave(&corealloc_lock);

	granted_to[core] = NULL;
	spin_unlock_irqrestore(&corealloc_lock, flags);
}

/* The owner a core is granted to, NULL if it time-shares. */
void *corealloc_owner(int core)
{
	return core >= 0 && core < MAX_CPUS ? READ_ONCE(granted_to[core]) : NULL;
}

/* Number of cores currently time-sharing. */
int corealloc_nr_timesharing(void)
{
	int n = 0;

	for (int c = 0; c < num_cpus; c++)
		n += corealloc_is_timesharing(c);
	return n;
}
