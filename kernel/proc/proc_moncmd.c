/*
 * Monitor commands about processes: `ps` lists every process with its
 * threads' states and CPUs, and `kill PID [SIG]` signals one from the
 * monitor.  They run with interrupts off on a possibly wedged system, so
 * they only try the process-table lock and say so if it is held.
 */
#include <kern/moncmd.h>
#include <kern/proc.h>
#include <kern/mcp.h>
#include <kern/sched.h>
#include <kern/uvm.h>
#include <kern/printk.h>
#include <kern/string.h>

static const char *const proc_state_names[] = {
	[PROC_CREATED] = "CREATED", [PROC_RUNNABLE_S] = "RUNNABLE_S",
	[PROC_RUNNING_S] = "RUNNING_S", [PROC_WAITING] = "WAITING", [PROC_DYING] = "DYING",
	[PROC_RUNNABLE_M] = "RUNNABLE_M", [PROC_RUNNING_M] = "RUNNING_M",
};

static const char task_state_letter[] = {
	[TASK_CREATED] = 'C', [TASK_RUNNABLE] = 'R', [TASK_RUNNING] = 'O',
	[TASK_SLEEPING] = 'S', [TASK_UNINTERRUPTIBLE] = 'D', [TASK_DEAD] = 'X',
};

static int cmd_ps(int argc, char **argv, struct hw_trapframe *tf)
{
	struct proc *p;
	int cursor = 0;

	(void)argc;
	(void)argv;
	(void)tf;
	if (!spin_trylock(&proc_tree_lock)) {
		printk("ps: the process table is locked (held by CPU %d)\n", proc_tree_lock.holder);
		return -1;
	}
	printk("  PID  PPID  PGID   SID STATE      RSS(KiB) THREADS              COMMAND\n");
	while ((p = __proc_next(&cursor))) {
		char threads[24];
		struct task *t;
		int n = 0;

		list_for_each_entry(t, &p->tasks, proc_link) {
			if (n < (int)sizeof(threads) - 4) {
				threads[n++] = task_state_letter[t->state];
				if (t->state == TASK_RUNNING)
					threads[n++] = '0' + t->cpu % 10;
			}
		}
		threads[n] = 0;
		printk("%5d %5d %5d %5d %-10s %8zu %-20s %s%s\n", p->pid,
		       p->parent ? p->parent->pid : 0, p->pgid, p->sid,
		       p->zombie ? "ZOMBIE" : proc_state_names[p->state],
		       p->mm ? p->mm->rss_pages * 4 : 0, threads, p->comm,
		       p->exiting ? " (exiting)" : "");
		mcp_print_vcores(p);
	}
	spin_unlock(&proc_tree_lock);
	printk("threads: C created, R runnable, O on CPU n, S sleeping, D uninterruptible, X dead\n");
	return 0;
}
MONITOR_CMD("ps", "list processes and their threads", cmd_ps);

static int cmd_kill(int argc, char **argv, struct hw_trapframe *tf)
{
	int pid, sig;
	struct proc *p;

	(void)tf;
	if (argc < 2) {
		printk("usage: kill PID [SIGNAL]\n");
		return -1;
	}
	pid = (int)strtol(argv[1], NULL, 0);
	sig = argc > 2 ? (int)strtol(argv[2], NULL, 0) : SIGKILL;
	if (!spin_trylock(&proc_tree_lock)) {
		printk("kill: the process table is locked\n");
		return -1;
	}
	p = __pid_lookup(pid);
	if (p && p->pid == pid && !p->zombie)
		send_signal_proc(p, sig, NULL);
	else
		printk("kill: no process %d\n", pid);
	spin_unlock(&proc_tree_lock);
	return 0;
}
MONITOR_CMD("kill", "kill PID [SIG]: signal a process (default SIGKILL)", cmd_kill);
