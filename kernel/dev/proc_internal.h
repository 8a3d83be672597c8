/*
 * #proc internals shared by kernel/dev/proc*.c (see proc.c for the model).
 *
 * A file of #proc is named by a 64-bit qid: kind | pid << 8 | aux << 32,
 * where kind is one of the PQ_* values below, pid the process (0 for the
 * global files) and aux a thread id (task/TID files; 0 = the process
 * view) or a file descriptor (fd/N).  Contents are generated once per
 * open into a slice (kern/slice.h) and served from it by offset.
 */
#ifndef KERN_DEV_PROC_INTERNAL_H
#define KERN_DEV_PROC_INTERNAL_H

#include <kern/types.h>
#include <kern/slice.h>
#include <kern/proc.h>

enum proc_kind {
	PQ_ROOT,
	/* global files */
	PQ_SELF, PQ_THREAD_SELF, PQ_MEMINFO, PQ_UPTIME, PQ_CPUINFO, PQ_STAT,
	PQ_LOADAVG, PQ_VERSION, PQ_CMDLINE, PQ_MOUNTS, PQ_FILESYSTEMS,
	PQ_SYS, PQ_SYS_KERNEL, PQ_HOSTNAME, PQ_OSTYPE, PQ_OSRELEASE, PQ_PID_MAX,
	PQ_INTERRUPTS,
	/* per process (aux = tid for the task/TID view) */
	PQ_PID_DIR, PQ_P_STAT, PQ_P_STATUS, PQ_P_STATM, PQ_P_CMDLINE, PQ_P_ENVIRON,
	PQ_P_MAPS, PQ_P_COMM, PQ_P_EXE, PQ_P_CWD, PQ_P_ROOT, PQ_P_FD_DIR, PQ_P_FD,
	PQ_P_TASK_DIR, PQ_TID_DIR, PQ_P_VCORES, PQ_P_AUXV,
	/* debugging (proc_dbg.c) */
	PQ_P_MEM, PQ_P_CTL, PQ_P_DBG, PQ_T_REGS, PQ_T_FPREGS,
	PQ_NKINDS
};

#define PROC_QID(kind, pid, aux)	((u64)(kind) | (u64)(pid) << 8 | (u64)(aux) << 32)
#define PROC_QKIND(q)		((int)((q) & 0xff))
#define PROC_QPID(q)		((int)(((q) >> 8) & 0xffffff))
#define PROC_QAUX(q)		((int)(((q) >> 32) & 0xffffff))

/* What the formatters need of a process or thread, copied under its locks. */
struct proc_info {
	int pid, tid, ppid, pgid, sid;
	int tty_nr, tpgid;		/* controlling terminal (Linux encoding), its foreground group */
	char comm[PROC_COMM_LEN];
	char state;			/* R S T Z */
	u32 uid, euid, suid, gid, egid, sgid;
	u32 fsuid, fsgid;		/* the filesystem ids (setfsuid) */
	u32 umask;
	int threads;
	int cpu;
	int exit_signal, exit_code;
	u64 utime_ns, stime_ns, cutime_ns, cstime_ns, start_ns;
	u64 sigpnd, shdpnd, sigblk, sigign, sigcgt;
	int fdsize;
	struct mm *mm;			/* referenced (proc_info_put drops it), NULL for zombies */
};

/* Fill pi for process pid (thread tid, or 0); 0 or -ENOENT.  Takes proc_tree_lock. */
int proc_info_get(int pid, int tid, struct proc_info *pi);
void proc_info_put(struct proc_info *pi);
/* May the current process see pid's private files (environ, maps, fd, exe...)? 0 or -EACCES. */
int proc_may_access(int pid);

/* Per-process generators (proc_pid.c): 0 or -errno; pid/tid from the qid. */
int proc_gen_pid(int kind, int pid, int tid, struct slice *s);
/* Debugging files (proc_dbg.c): is kind one, and their hooks (as struct dev's). */
bool proc_dbg_kind(int kind);
int proc_dbg_open(struct file *f);
void proc_dbg_close(struct file *f);
ssize_t proc_dbg_read(struct file *f, void *buf, size_t n, u64 off);
ssize_t proc_dbg_write(struct file *f, const void *buf, size_t n, u64 off);
u32 proc_dbg_poll(struct file *f);

/* Global generators (proc_sys.c). */
int proc_gen_global(int kind, struct slice *s);

#endif
