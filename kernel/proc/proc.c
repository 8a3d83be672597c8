/*
 * The process table and process lifetime: allocation, the pid table, the
 * parent/child tree, create-then-run (proc_create/proc_run), and starting
 * /init.  fork/clone are in proc/clone.c, exit and wait in proc/exit.c,
 * exec in proc/exec.c.
 */
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/uvm.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <kern/time.h>
#include <kern/fpu_state.h>
#include <arch/trap.h>
#include "internal.h"

struct spinlock proc_tree_lock = SPINLOCK_INITIALIZER("proc_tree");
/* Under proc_tree_lock: pid -> proc (live or zombie). */
static struct proc *pid_table[PROC_MAX];
static int last_pid;
/*
 * How many processes (live or zombie) use each number as their process
 * group or session id.  Such a number is not handed out again until they
 * are gone, as Linux keeps a group's or session's struct pid alive: a new
 * process must never find itself the "leader" of an old group.
 * proc_tree_lock.
 */
static u16 id_users[PROC_MAX];

/* ITIMER_REAL expiry (tick context): SIGALRM, and reload if periodic. */
void itimer_real_fire(struct ktimer *t)
{
	struct proc *p = container_of(t, struct proc, itimer_real);

	send_signal_proc(p, SIGALRM, NULL);
	if (p->itimer_real_interval_ns && !p->exiting)
		ktimer_arm(t, nsec_since_boot() + p->itimer_real_interval_ns);
}

struct proc *current_proc(void)
{
	struct task *t = current();

	return t ? t->proc : NULL;
}

struct proc *__pid_lookup(int pid)
{
	if (pid <= 0 || pid >= PROC_MAX)
		return NULL;
	return pid_table[pid];
}

struct proc *__proc_next(int *cursor)
{
	/* Thread ids share the table; list each process once, under its pid. */
	while (++*cursor < PROC_MAX)
		if (pid_table[*cursor] && pid_table[*cursor]->pid == *cursor)
			return pid_table[*cursor];
	return NULL;
}

/* Allocate a pid for p (proc_tree_lock held); -EAGAIN when the table is full. */
static int __pid_alloc(struct proc *p)
{
	for (int i = 1; i < PROC_MAX; i++) {
		int pid = (last_pid + i) % PROC_MAX;

		if (pid > 0 && !pid_table[pid] && !id_users[pid]) {
			pid_table[pid] = p;
			last_pid = pid;
			return pid;
		}
	}
	return -EAGAIN;
}

/* Count one more (delta 1) or one fewer (-1) user of id; ids outside the table are ignored. */
static void id_use(int id, int delta)
{
	if (id > 0 && id < PROC_MAX)
		id_users[id] = (u16)(id_users[id] + delta);
}

void __proc_set_ids(struct proc *p, int pgid, int sid)
{
	id_use(p->pgid, -1);
	id_use(p->sid, -1);
	p->pgid = pgid;
	p->sid = sid;
	id_use(pgid, 1);
	id_use(sid, 1);
}

void __proc_unhash(struct proc *p)
{
	__proc_set_ids(p, 0, 0);
	pid_table[p->pid] = NULL;
}

/* A thread id for a new thread of p (ids share the pid space); -EAGAIN if full. */
int tid_alloc_for(struct proc *p)
{
	u64 flags = spin_lock_irqsave(&proc_tree_lock);
	int tid = __pid_alloc(p);

	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return tid;
}

/* Release a thread id that is not its process's pid. */
void tid_free(int tid)
{
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	pid_table[tid] = NULL;
	spin_unlock_irqrestore(&proc_tree_lock, flags);
}

/* A zeroed process with locks, lists and default limits; NULL when memory is short. */
struct proc *proc_alloc(void)
{
	struct proc *p = kzmalloc(sizeof(*p), MEM_WAIT);

	if (!p)
		return NULL;
	spinlock_init(&p->lock, "proc");
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	INIT_LIST_HEAD(&p->tasks);
	wait_queue_init(&p->child_wait, "child_wait");
	ktimer_init(&p->itimer_real, itimer_real_fire);
	p->start_ns = nsec_since_boot();
	for (int i = 0; i < 16; i++) {
		p->rlimits[i][0] = ~0ULL;
		p->rlimits[i][1] = ~0ULL;
	}
	p->rlimits[7][0] = FDT_DEFAULT_MAX;	/* RLIMIT_NOFILE */
	p->rlimits[7][1] = FDT_DEFAULT_MAX;
	p->rlimits[3][0] = 8 << 20;		/* RLIMIT_STACK */
	p->rlimits[4][0] = 0;			/* RLIMIT_CORE: no core files (none are written) */
	/* Linux's defaults: 8 MiB of mlock, no nice raising, no real-time priority. */
	p->rlimits[RLIMIT_MEMLOCK][0] = p->rlimits[RLIMIT_MEMLOCK][1] = 8 << 20;
	p->rlimits[RLIMIT_NICE][0] = p->rlimits[RLIMIT_NICE][1] = 0;
	p->rlimits[RLIMIT_RTPRIO][0] = p->rlimits[RLIMIT_RTPRIO][1] = 0;
	return p;
}

int proc_register(struct proc *p, struct proc *parent, struct proc *creator)
{
	u64 flags = spin_lock_irqsave(&proc_tree_lock);
	int pid = __pid_alloc(p);

	if (pid < 0) {
		spin_unlock_irqrestore(&proc_tree_lock, flags);
		return pid;
	}
	p->pid = pid;
	p->parent = parent;
	if (parent)
		list_add_tail(&p->sibling, &parent->children);
	if (creator) {
		/* Group, session and terminal come from the caller, even with CLONE_PARENT. */
		__proc_set_ids(p, creator->pgid, creator->sid);
		p->ctty = creator->ctty;
	} else {
		__proc_set_ids(p, pid, pid);
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return 0;
}

/* Attach a task to p as one of its threads. */
void proc_add_task(struct proc *p, struct task *t)
{
	u64 flags = spin_lock_irqsave(&p->lock);

	t->proc = p;
	spin_lock(&p->sighand->lock);	/* signal code walks the list under it */
	list_add_tail(&t->proc_link, &p->tasks);
	spin_unlock(&p->sighand->lock);
	p->nr_tasks++;
	spin_unlock_irqrestore(&p->lock, flags);
}

/* Find thread tid (of process tgid if tgid > 0); proc_tree_lock held. */
struct task *__thread_lookup(int tgid, int tid)
{
	struct proc *p = __pid_lookup(tid);
	struct task *t;

	if (!p || p->zombie || (tgid > 0 && p->pid != tgid))
		return NULL;
	list_for_each_entry(t, &p->tasks, proc_link)
		if (t->tid == tid && !t->kworker)	/* no signals to a kernel worker */
			return t;
	return NULL;
}

/* A fresh user task for p with FPU state (a kworker if kworker); NULL when memory is short. */
struct task *proc_new_task(struct proc *p, const char *name, bool kworker)
{
	struct task *t = task_alloc(name);

	if (!t)
		return NULL;
	t->kworker = kworker;
	t->fpu = fpu_state_alloc();
	if (!t->fpu) {
		task_free(t);
		return NULL;
	}
	task_setup_user(t);
	proc_add_task(p, t);
	return t;
}

int proc_run(struct proc *p)
{
	struct task *t;
	u64 flags = spin_lock_irqsave(&p->lock);

	if (p->state != PROC_CREATED) {
		spin_unlock_irqrestore(&p->lock, flags);
		return -EINVAL;
	}
	p->state = PROC_RUNNABLE_S;
	spin_unlock_irqrestore(&p->lock, flags);
	list_for_each_entry(t, &p->tasks, proc_link)
		task_wakeup(t);
	return 0;
}
