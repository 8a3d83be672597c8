/*
 * Scheduling policy calls: sched_setscheduler, sched_getscheduler,
 * sched_setparam, sched_getparam, sched_get_priority_max/min and
 * sched_rr_get_interval.
 *
 * Model: the scheduler (sched/sched.c) has one class, round robin on the
 * 4 ms tick, so a policy is a recorded label.  SCHED_OTHER, SCHED_BATCH
 * and SCHED_IDLE are accepted, stored per process (Linux keeps them per
 * thread; here all threads of a process share one value), inherited by
 * fork and reported back; they change nothing about how the process runs.
 * SCHED_FIFO and SCHED_RR would promise preemption and priority that this
 * scheduler does not have, so after Linux's argument checks they fail
 * with EPERM even for root instead of pretending (docs/syscalls.md).
 * SCHED_DEADLINE fails with EINVAL, as Linux's sched_setscheduler does
 * without a sched_attr.  Argument and permission checks follow Linux's
 * order: EINVAL for a negative pid, a missing param or a bad policy or
 * priority, EFAULT, ESRCH, then EPERM (other owner, leaving SCHED_IDLE or
 * clearing SCHED_RESET_ON_FORK without CAP_SYS_NICE, i.e. euid 0, and with
 * RLIMIT_NICE/RLIMIT_RTPRIO too low).
 *
 * Locking: proc_tree_lock keeps the target alive; its proc->lock covers
 * sched_policy and sched_reset_on_fork.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/uaccess.h>
#include <kern/errno.h>
#include <abi/stat.h>
#include <abi/sched.h>

#define SETPARAM_POLICY		(-1)
#define MAX_RT_PRIO		100
#define RR_INTERVAL_NS		4000000		/* the scheduler tick */

/* Is policy one of the real-time ones (FIFO, RR)? */
static bool rt_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

/* Is policy a Linux policy number (reset flag already stripped)? */
static bool valid_policy(int policy)
{
	return policy == SCHED_OTHER || rt_policy(policy) || policy == SCHED_BATCH ||
	       policy == SCHED_IDLE || policy == SCHED_DEADLINE;
}

/* The process pid names (0: the caller, a thread id: its process); NULL if none.  proc_tree_lock held. */
static struct proc *__sched_target(int pid)
{
	return pid ? __pid_lookup(pid) : current_proc();
}

/* Does the caller own p in the sense of Linux's check_same_owner? */
static bool same_owner(const struct proc *me, const struct proc *p)
{
	return me->euid == p->euid || me->euid == p->uid;
}

/*
 * May the caller give p policy (reset: with SCHED_RESET_ON_FORK) and prio?
 * 0 or -EPERM; p->lock held.  Linux's user_check_sched_setscheduler with
 * every process at nice 0.
 */
static int __sched_permission(struct proc *me, struct proc *p, int policy, u32 prio, bool reset)
{
	bool priv_needed = false;
	u64 rtprio = p->rlimits[RLIMIT_RTPRIO][0];

	if (rt_policy(policy)) {
		if (policy != p->sched_policy && !rtprio)
			priv_needed = true;
		if (prio > rtprio)
			priv_needed = true;
	}
	if (policy == SCHED_DEADLINE)
		priv_needed = true;
	/* Leaving SCHED_IDLE is a nice reduction to 0: RLIMIT_NICE must reach 20. */
	if (p->sched_policy == SCHED_IDLE && policy != SCHED_IDLE && p->rlimits[RLIMIT_NICE][0] < 20)
		priv_needed = true;
	if (!same_owner(me, p))
		priv_needed = true;
	if (p->sched_reset_on_fork && !reset)
		priv_needed = true;
	if (priv_needed && me->euid != 0)
		return -EPERM;
	/* No real-time class exists: refuse rather than pretend (see the header). */
	if (rt_policy(policy))
		return -EPERM;
	return 0;
}

/* sched_setscheduler/sched_setparam core (policy SETPARAM_POLICY: keep the current one); 0 or -errno. */
static long set_scheduler(int pid, int policy, const struct abi_sched_param *uparam)
{
	struct proc *me = current_proc(), *p;
	struct abi_sched_param sp;
	bool reset = false;
	long ret;
	u64 tree, flags;

	if (!uparam || pid < 0)
		return -EINVAL;
	if (copy_from_user(&sp, uparam, sizeof(sp)))
		return -EFAULT;
	if (policy != SETPARAM_POLICY && (policy & SCHED_RESET_ON_FORK)) {
		reset = true;
		policy &= ~SCHED_RESET_ON_FORK;
	}
	tree = spin_lock_irqsave(&proc_tree_lock);
	p = __sched_target(pid);
	if (!p) {
		ret = -ESRCH;
		goto out_unlock_tree;
	}
	flags = spin_lock_irqsave(&p->lock);
	if (policy == SETPARAM_POLICY) {
		policy = p->sched_policy;
		reset = p->sched_reset_on_fork;
	}
	ret = -EINVAL;
	if (!valid_policy(policy) || (u32)sp.sched_priority > MAX_RT_PRIO - 1)
		goto out_unlock;
	/* Real-time policies need a priority of 1..99, the others 0; DEADLINE needs a sched_attr. */
	if (policy == SCHED_DEADLINE || rt_policy(policy) != (sp.sched_priority != 0))
		goto out_unlock;
	ret = __sched_permission(me, p, policy, (u32)sp.sched_priority, reset);
	if (ret)
		goto out_unlock;
	p->sched_policy = policy;
	p->sched_reset_on_fork = reset;
out_unlock:
	spin_unlock_irqrestore(&p->lock, flags);
out_unlock_tree:
	spin_unlock_irqrestore(&proc_tree_lock, tree);
	return ret;
}

SYSCALL_DEFINE3(sched_setscheduler, int, pid, int, policy, const struct abi_sched_param *, param)
{
	if (policy < 0)
		return -EINVAL;
	return set_scheduler(pid, policy, param);
}

SYSCALL_DEFINE2(sched_setparam, int, pid, const struct abi_sched_param *, param)
{
	return set_scheduler(pid, SETPARAM_POLICY, param);
}

SYSCALL_DEFINE1(sched_getscheduler, int, pid)
{
	struct proc *p;
	long ret;
	u64 tree;

	if (pid < 0)
		return -EINVAL;
	tree = spin_lock_irqsave(&proc_tree_lock);
	p = __sched_target(pid);
	if (p)
		ret = READ_ONCE(p->sched_policy) |
		      (READ_ONCE(p->sched_reset_on_fork) ? SCHED_RESET_ON_FORK : 0);
	else
		ret = -ESRCH;
	spin_unlock_irqrestore(&proc_tree_lock, tree);
	return ret;
}

/* 0 if pid names a process (0: the caller), else -ESRCH. */
static long sched_pid_exists(int pid)
{
	u64 tree = spin_lock_irqsave(&proc_tree_lock);
	struct proc *p = __sched_target(pid);

	spin_unlock_irqrestore(&proc_tree_lock, tree);
	return p ? 0 : -ESRCH;
}

SYSCALL_DEFINE2(sched_getparam, int, pid, struct abi_sched_param *, param)
{
	struct abi_sched_param sp = { 0 };	/* no real-time priority ever */
	long ret;

	if (!param || pid < 0)
		return -EINVAL;
	ret = sched_pid_exists(pid);
	if (ret)
		return ret;
	return copy_to_user(param, &sp, sizeof(sp)) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(sched_get_priority_max, int, policy)
{
	if (rt_policy(policy))
		return MAX_RT_PRIO - 1;
	return valid_policy(policy) ? 0 : -EINVAL;
}

SYSCALL_DEFINE1(sched_get_priority_min, int, policy)
{
	if (rt_policy(policy))
		return 1;
	return valid_policy(policy) ? 0 : -EINVAL;
}

SYSCALL_DEFINE2(sched_rr_get_interval, int, pid, struct abi_timespec *, uts)
{
	struct abi_timespec ts = { 0, RR_INTERVAL_NS };
	long ret;

	if (pid < 0)
		return -EINVAL;
	ret = sched_pid_exists(pid);
	if (ret)
		return ret;
	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}
