/*
 * Out-of-memory policy.  User memory (MEM_USER) can never take the last
 * PMM_RESERVE_PAGES, so when it runs out the kernel still has memory to
 * finish what it is doing.  A user page fault that cannot be satisfied
 * calls oom_kill(): the process with the largest resident set (never
 * init) gets SIGKILL, and the faulting task retries after a short sleep,
 * by which time the victim's exit has returned its pages.  If the faulting
 * process is itself the victim, it simply dies.
 */
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/uvm.h>
#include <kern/printk.h>
#include <kern/pmm.h>

/* Kill the biggest process unless one is already dying; false if no candidate. */
bool oom_kill(void)
{
	struct proc *p, *victim = NULL;
	size_t best = 0;
	int cursor = 0;
	bool dying = false;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	while ((p = __proc_next(&cursor))) {
		if (p->pid == 1 || p->zombie || !p->mm)
			continue;
		if (p->exiting || (p->shared_pending.set & SIGBIT(SIGKILL))) {
			dying = true;
			continue;
		}
		if (p->mm->rss_pages > best) {
			best = p->mm->rss_pages;
			victim = p;
		}
	}
	if (victim && !dying) {
		printk("oom: out of memory (%zu pages free): killing pid %d (%s), %zu KiB resident\n",
		       pmm_free_pages(), victim->pid, victim->comm, best * 4);
		send_signal_proc(victim, SIGKILL, NULL);
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return victim || dying;
}
