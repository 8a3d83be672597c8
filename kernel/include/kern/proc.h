/*
 * Processes.
 *
 * A struct proc owns an address space (mm), a file descriptor table, a
 * filesystem context (root, cwd, umask), signal dispositions and one or
 * more tasks (threads).  Its state follows Akaros: CREATED (built by
 * proc_create, not yet runnable: the parent may still set up its fds and
 * cwd), RUNNABLE_S/RUNNING_S (a single-core process time-sharing the
 * provisioned cores), WAITING (every thread blocked), DYING (exiting; a
 * zombie until its parent reaps it).  RUNNABLE_M/RUNNING_M are reserved
 * for many-core processes.
 *
 * Locking (order: proc_tree_lock -> proc->lock -> sighand->lock; each
 * field below names the lock that guards it):
 *  - proc_tree_lock (global): the pid table, the tree (parent, children,
 *    sibling), process groups and sessions (pgid, sid, ctty), and the end
 *    of a process: zombie and exit_status are set in one section that
 *    also notifies the parent, so wait4, which scans under it, sees both.
 *  - proc->lock: state, the thread list (tasks, nr_tasks; tasks is also
 *    changed only under sighand->lock, so signal code may walk it
 *    holding either), the scheduling
 *    policy, and mm/fdt/fs while they are detached at exit (readers that
 *    take references, like #proc, hold it).
 *  - sighand->lock: signals pending for the process and the job-control
 *    reports (stop_report, cont_report, cont_notify).
 *  - child_events is atomic; exiting is set with an atomic
 *    compare-exchange (the first exit_group wins).
 *  - The credentials and the rest are changed only by the process's own
 *    threads (set*id, rlimits, personality...), without a lock; other
 *    processes read single fields (a permission check may see an old
 *    value, never a torn one).
 */
#ifndef KERN_PROC_H
#define KERN_PROC_H

#include <kern/types.h>
#include <kern/list.h>
#include <kern/spinlock.h>
#include <kern/wait.h>
#include <kern/vfs.h>
#include <kern/fdtable.h>
#include <kern/signal.h>
#include <kern/ktimer.h>
#include <abi/resource.h>

struct mm;
struct task;
struct proc_dbg;
struct mcp;

enum proc_state {
	PROC_CREATED,
	PROC_RUNNABLE_S,
	PROC_RUNNING_S,
	PROC_WAITING,
	PROC_DYING,
	PROC_RUNNABLE_M,
	PROC_RUNNING_M,
};

#define PROC_COMM_LEN	16
#define PROC_MAX	4096	/* process table size (fork fails with EAGAIN past it) */

struct tty;

struct proc {
	int pid;
	int pgid, sid;
	struct tty *ctty;		/* controlling terminal (its session is ours) or NULL;
				 * written under proc_tree_lock, see drivers/tty/tty_jobctrl.c */
	enum proc_state state;		/* written under lock; lock-free readers get a snapshot */
	struct spinlock lock;
	struct proc *parent;		/* under proc_tree_lock */
	struct list_head children;	/* under proc_tree_lock */
	struct list_head sibling;	/* in parent->children, under proc_tree_lock */
	struct list_head tasks;		/* struct task.proc_link, under lock (changes also
					 * under sighand->lock) */
	int nr_tasks;			/* live tasks, under lock */
	struct mm *mm;			/* cleared at exit under lock */
	struct fd_table *fdt;		/* cleared at exit under lock */
	struct vfs_ctx fs;		/* ids for permission checks; fs_struct (root, cwd,
				 * umask) own or shared (CLONE_FS), see kern/vfs.h */
	struct sighand *sighand;
	u32 uid, euid, suid, gid, egid, sgid;
	int exit_signal;		/* sent to the parent at exit (SIGCHLD, or 0) */
	int exit_status;		/* wait status word (W* encoding), valid when zombie;
					 * under proc_tree_lock */
	int stop_report;		/* wait status of an unreported stop, 0 if none;
					 * under sighand->lock */
	bool zombie;			/* all tasks gone, waiting for the parent;
					 * under proc_tree_lock */
	bool exiting;			/* exit_group in progress; atomic (see above) */
	bool cont_report;		/* resumed by SIGCONT, not yet reported (WCONTINUED);
					 * under sighand->lock */
	bool cont_notify;		/* resumed, CLD_CONTINUED not yet sent (the first
					 * resumed thread sends it); under sighand->lock */
	struct ktimer itimer_real;	/* ITIMER_REAL / alarm: SIGALRM on expiry */
	u64 itimer_real_interval_ns;	/* reload value, 0 = one-shot */
	struct wait_queue child_wait;	/* the parent's wait4 sleeps here */
	u32 child_events;		/* atomic: bumped after each change among our children
					 * that wait4 may report (exit, stop, continue, a zombie
					 * handed to us); wait4 sleeps until it moves */
	struct sigpending shared_pending;	/* process-wide signals, under sighand->lock */
	char comm[PROC_COMM_LEN];
	char exe[256];			/* path of the executable */
	u64 start_ns;
	u64 utime_ns, stime_ns;		/* of exited threads */
	u64 cutime_ns, cstime_ns;	/* of reaped children */
	u64 rlimits[16][2];		/* RLIMIT_* soft/hard (enforced: FSIZE, NOFILE, AS, MEMLOCK;
					 * NICE/RTPRIO in the sched_* permission rules) */
	u32 personality;		/* personality(2); stored and inherited, see sys_misc.c */
	int sched_policy;		/* SCHED_OTHER/BATCH/IDLE of every thread, under lock */
	bool sched_reset_on_fork;	/* SCHED_RESET_ON_FORK, under lock */
	uintptr_t clear_child_tid;	/* of the main task (set_tid_address) */
	struct task *vfork_parent;	/* woken when this child execs or exits */
	struct proc_dbg *dbg;		/* debugger state (kern/procdbg.h), from the first attach
					 * until freed; set under lock */
	bool nondumpable;		/* prctl(PR_SET_DUMPABLE, 0): no debugger but root */
	bool vfork_done;
	struct mcp *mcp;			/* MCP state once the shared pages are mapped (kern/mcp.h);
					 * set under lock, freed with the process */
};

extern struct spinlock proc_tree_lock;

/* The process of the current task, NULL for kernel threads. */
struct proc *current_proc(void);
/* Find a live or zombie process by pid (proc_tree_lock held). */
struct proc *__pid_lookup(int pid);
/* Create-then-run, step one: a CREATED process running path; see docs/processes.md. */
int proc_create(struct proc *parent, const char *path, char *const argv[], char *const envp[],
		struct proc **out);
/* Create-then-run, step two: make a CREATED process runnable. */
int proc_run(struct proc *p);
/* fork/vfork/clone: duplicate the current process per flags; returns the child's pid or -errno. */
long proc_clone(u64 flags, uintptr_t newsp, uintptr_t parent_tid, uintptr_t child_tid, u64 tls);
/* Replace the current process's image; 0 (never returns to the old image) or -errno. */
int proc_execve(const char *path, char *const uargv[], char *const uenvp[], bool user_ptrs);
/* execveat: path relative to dirfd, AT_EMPTY_PATH / AT_SYMLINK_NOFOLLOW; as proc_execve. */
int proc_execveat(int dirfd, const char *upath, char *const uargv[], char *const uenvp[],
		  int flags);
/* Terminate the whole process with a wait status; never returns. */
void __noreturn proc_exit_group(int wstatus);
/* Terminate only the current thread. */
void __noreturn proc_exit_thread(int code);
/* wait4/waitid core. */
long proc_wait(int pid, int *wstatus, int options, bool waitid_style, void *siginfo_out);
/* Start /init as pid 1 from the initramfs; panics if it cannot. */
void proc_start_init(const char *path);
/* Iterate over processes for ps/proc (proc_tree_lock held by the caller). */
struct proc *__proc_next(int *cursor);
/*
 * Give p a pid and link it under parent (NULL: none); its group, session
 * and terminal come from creator (NULL: a new session led by p).  0 or
 * -EAGAIN when no number is free.
 */
int proc_register(struct proc *p, struct proc *parent, struct proc *creator);
/* Move p into group pgid of session sid, keeping the id use counts (proc_tree_lock held). */
void __proc_set_ids(struct proc *p, int pgid, int sid);
/* Take p out of the pid table and drop its group/session uses (proc_tree_lock held). */
void __proc_unhash(struct proc *p);

/* Process groups (proc/pgrp.c); all with proc_tree_lock held. */
/* Send sig to every live process of group pgrp (no-op for pgrp <= 0). */
void __signal_pgrp(int pgrp, int sig);
/* Is group pgrp of session sid orphaned if process ignore (may be NULL) is left out? */
bool __pgrp_orphaned(int pgrp, int sid, struct proc *ignore);
/*
 * q's group lost its link through parent (q's parent, or the exiting q's
 * own parent with ignore = q): if that orphaned it and it has stopped
 * members, send it SIGHUP and SIGCONT.
 */
void __kill_orphaned_pgrp(struct proc *q, struct proc *parent, struct proc *ignore);

#endif
