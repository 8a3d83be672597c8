/*
 * #proc: the Linux /proc file system as a device (bound at /proc at boot
 * by ns_defaults.c).  Directories are synthetic: the root lists the
 * global files and one directory per process; /proc/PID holds stat,
 * status, cmdline, maps... plus fd/ (one symlink per descriptor) and
 * task/ (one directory per thread).  Files are named by qids (see
 * proc_internal.h) so nothing is stored per file: one generator,
 * proc_gen, rebuilds every answer (walk, readdir, stat, owner) from the
 * process table each time.
 *
 * Contents: the text hook formats the whole file at open into a slice
 * that the device layer serves reads from (kern/dev.h), so a reader sees
 * one consistent version (Linux's seq_file gives the same guarantee per
 * read(2) only).  The formatters are in proc_pid.c (per process) and
 * proc_sys.c (global).
 *
 * Locking: gen and readlink run with vfs_lock held (kern/dev.h).  Lock
 * order here: vfs_lock, proc_tree_lock, proc->lock, fdt->lock, mm->lock.
 * Nothing allocates under proc_tree_lock.
 *
 * Debugging files (mem, ctl, dbg, task/TID/regs and fpregs) are not
 * text: proc_dbg.c serves their reads, writes and polls.
 *
 * Privacy (docs/security.md): environ, maps, fd/, exe, cwd and root of a
 * process are visible only to root and to processes with the same uids
 * and gids (proc_may_access); others get EACCES, as on Linux.
 */
#include <kern/dev.h>
#include <kern/vfs.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/fdtable.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include "proc_internal.h"

struct proc_ent {
	const char *name;
	u8 kind;
	u16 mode;
};

static const struct proc_ent root_tab[] = {
	{ "self", PQ_SELF, S_IFLNK | 0777 },
	{ "thread-self", PQ_THREAD_SELF, S_IFLNK | 0777 },
	{ "meminfo", PQ_MEMINFO, S_IFREG | 0444 },
	{ "uptime", PQ_UPTIME, S_IFREG | 0444 },
	{ "cpuinfo", PQ_CPUINFO, S_IFREG | 0444 },
	{ "stat", PQ_STAT, S_IFREG | 0444 },
	{ "loadavg", PQ_LOADAVG, S_IFREG | 0444 },
	{ "version", PQ_VERSION, S_IFREG | 0444 },
	{ "cmdline", PQ_CMDLINE, S_IFREG | 0444 },
	{ "mounts", PQ_MOUNTS, S_IFREG | 0444 },
	{ "filesystems", PQ_FILESYSTEMS, S_IFREG | 0444 },
	{ "interrupts", PQ_INTERRUPTS, S_IFREG | 0444 },
	{ "sys", PQ_SYS, S_IFDIR | 0555 },
};

static const struct proc_ent sys_tab[] = {
	{ "kernel", PQ_SYS_KERNEL, S_IFDIR | 0555 },
};

static const struct proc_ent sys_kernel_tab[] = {
	{ "ostype", PQ_OSTYPE, S_IFREG | 0444 },
	{ "osrelease", PQ_OSRELEASE, S_IFREG | 0444 },
	{ "pid_max", PQ_PID_MAX, S_IFREG | 0444 },
};

/* Entries of /proc/PID; the first NTID_ENTS are also those of task/TID. */
static const struct proc_ent pid_tab[] = {
	{ "stat", PQ_P_STAT, S_IFREG | 0444 },
	{ "status", PQ_P_STATUS, S_IFREG | 0444 },
	{ "statm", PQ_P_STATM, S_IFREG | 0444 },
	{ "comm", PQ_P_COMM, S_IFREG | 0444 },
	{ "cmdline", PQ_P_CMDLINE, S_IFREG | 0444 },
	{ "environ", PQ_P_ENVIRON, S_IFREG | 0400 },
	{ "maps", PQ_P_MAPS, S_IFREG | 0444 },
	{ "exe", PQ_P_EXE, S_IFLNK | 0777 },
	{ "cwd", PQ_P_CWD, S_IFLNK | 0777 },
	{ "root", PQ_P_ROOT, S_IFLNK | 0777 },
	{ "fd", PQ_P_FD_DIR, S_IFDIR | 0500 },
	{ "task", PQ_P_TASK_DIR, S_IFDIR | 0555 },
	{ "vcores", PQ_P_VCORES, S_IFREG | 0444 },
	{ "mem", PQ_P_MEM, S_IFREG | 0600 },
	{ "ctl", PQ_P_CTL, S_IFREG | 0600 },
	{ "dbg", PQ_P_DBG, S_IFREG | 0400 },
	{ "auxv", PQ_P_AUXV, S_IFREG | 0400 },
};

/* Entries of task/TID after the first NTID_ENTS of pid_tab. */
static const struct proc_ent tid_tab[] = {
	{ "regs", PQ_T_REGS, S_IFREG | 0600 },
	{ "fpregs", PQ_T_FPREGS, S_IFREG | 0600 },
};
#define NTID_ENTS	7

/* The table entry of kind, or NULL. */
static const struct proc_ent *ent_of_kind(int kind, const struct proc_ent *tab, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i].kind == kind)
			return &tab[i];
	return NULL;
}

/* The entry of a table file kind, or NULL for the root and numbered entries. */
static const struct proc_ent *find_ent(int kind)
{
	const struct proc_ent *e = ent_of_kind(kind, root_tab, ARRAY_SIZE(root_tab));

	if (!e)
		e = ent_of_kind(kind, sys_tab, ARRAY_SIZE(sys_tab));
	if (!e)
		e = ent_of_kind(kind, sys_kernel_tab, ARRAY_SIZE(sys_kernel_tab));
	if (!e)
		e = ent_of_kind(kind, pid_tab, ARRAY_SIZE(pid_tab));
	if (!e)
		e = ent_of_kind(kind, tid_tab, ARRAY_SIZE(tid_tab));
	return e;
}

/* Does fd exist in p (p->lock held)? Sets *fmode. */
static bool fd_exists(struct proc *p, int fd, u32 *fmode)
{
	bool ok = false;

	if (!p->fdt)
		return false;
	spin_lock(&p->fdt->lock);
	if (fd >= 0 && fd < p->fdt->size && p->fdt->files[fd]) {
		*fmode = p->fdt->files[fd]->fmode;
		ok = true;
	}
	spin_unlock(&p->fdt->lock);
	return ok;
}

/* Is tid a thread of p (p->lock held)?  Kernel workers are not (struct task.kworker). */
static bool has_task(struct proc *p, int tid)
{
	struct task *t;

	list_for_each_entry(t, &p->tasks, proc_link)
		if (t->tid == tid && !t->kworker)
			return true;
	return false;
}

/*
 * The entry of qid (name, mode, owner), checking that what it names
 * exists; 0 or -ENOENT.  Files of /proc/PID belong to the process's
 * effective ids, the rest to root.
 */
static int proc_stat(u64 qid, struct dev_dirent *out)
{
	int kind = PROC_QKIND(qid), pid = PROC_QPID(qid), aux = PROC_QAUX(qid);
	const struct proc_ent *e;
	struct proc *p;
	u32 fmode = 0;
	u64 flags;
	int err = 0;

	memset(out, 0, sizeof(*out));
	out->qid = qid;
	if (kind == PQ_ROOT) {
		snprintf(out->name, sizeof(out->name), "proc");
		out->mode = S_IFDIR | 0555;
		return 0;
	}
	e = find_ent(kind);
	if (e)
		snprintf(out->name, sizeof(out->name), "%s", e->name);
	else
		snprintf(out->name, sizeof(out->name), "%d", kind == PQ_PID_DIR ? pid : aux);
	out->mode = e ? e->mode : S_IFDIR | 0555;
	if (kind < PQ_PID_DIR)
		return 0;
	flags = spin_lock_irqsave(&proc_tree_lock);
	p = __pid_lookup(pid);
	if (!p || p->pid != pid) {
		err = -ENOENT;
		goto out;
	}
	out->uid = p->euid;
	out->gid = p->egid;
	spin_lock(&p->lock);
	if (kind == PQ_P_FD) {
		if (!fd_exists(p, aux, &fmode))
			err = -ENOENT;
		out->mode = S_IFLNK | 0100 | ((fmode & FMODE_READ) ? 0400 : 0) |
			((fmode & FMODE_WRITE) ? 0200 : 0);
	} else if (aux && !has_task(p, aux)) {
		err = -ENOENT;
	}
	spin_unlock(&p->lock);
out:
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return err;
}

/* name as a decimal number < 2^24 without leading zeros, or -1. */
static int parse_num(const char *name)
{
	size_t len = strlen(name);
	int n = 0;

	if (len == 0 || len > 8 || (name[0] == '0' && len > 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		n = n * 10 + (name[i] - '0');
	}
	return n < (1 << 24) ? n : -1;
}

/* Search tab (first n entries) for name; qid built with pid/aux, or 0 if absent. */
static u64 walk_tab(const struct proc_ent *tab, size_t n, const char *name, int pid, int aux)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(tab[i].name, name))
			return PROC_QID(tab[i].kind, pid, aux);
	return 0;
}

/* qid of entry name of directory dir, or 0 if dir cannot hold that name. */
static u64 proc_walk_qid(u64 dir, const char *name)
{
	int pid = PROC_QPID(dir), num = parse_num(name);
	u64 q = 0;

	switch (PROC_QKIND(dir)) {
	case PQ_ROOT:
		q = walk_tab(root_tab, ARRAY_SIZE(root_tab), name, 0, 0);
		if (!q && num > 0)
			q = PROC_QID(PQ_PID_DIR, num, 0);
		break;
	case PQ_SYS:
		q = walk_tab(sys_tab, ARRAY_SIZE(sys_tab), name, 0, 0);
		break;
	case PQ_SYS_KERNEL:
		q = walk_tab(sys_kernel_tab, ARRAY_SIZE(sys_kernel_tab), name, 0, 0);
		break;
	case PQ_PID_DIR:
		q = walk_tab(pid_tab, ARRAY_SIZE(pid_tab), name, pid, 0);
		break;
	case PQ_TID_DIR:
		q = walk_tab(pid_tab, NTID_ENTS, name, pid, PROC_QAUX(dir));
		if (!q)
			q = walk_tab(tid_tab, ARRAY_SIZE(tid_tab), name, pid, PROC_QAUX(dir));
		break;
	case PQ_P_TASK_DIR:
		if (num > 0)
			q = PROC_QID(PQ_TID_DIR, pid, num);
		break;
	case PQ_P_FD_DIR:
		if (num >= 0)
			q = PROC_QID(PQ_P_FD, pid, num);
		break;
	}
	return q;
}

/* The i-th pid (from 0) in the table, or -1. */
static int nth_pid(int i)
{
	int cursor = 0, pid = -1;
	struct proc *p;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	while ((p = __proc_next(&cursor)))
		if (i-- == 0) {
			pid = p->pid;
			break;
		}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return pid;
}

/* The i-th thread id or open fd of pid, or -1. */
static int nth_sub(int pid, int i, bool fds)
{
	struct proc *p;
	struct task *t;
	int ret = -1;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	p = __pid_lookup(pid);
	if (!p || p->pid != pid)
		goto out;
	spin_lock(&p->lock);
	if (!fds) {
		list_for_each_entry(t, &p->tasks, proc_link)
			if (!t->kworker && i-- == 0) {
				ret = t->tid;
				break;
			}
	} else if (p->fdt) {
		spin_lock(&p->fdt->lock);
		for (int fd = 0; fd < p->fdt->size; fd++)
			if (p->fdt->files[fd] && i-- == 0) {
				ret = fd;
				break;
			}
		spin_unlock(&p->fdt->lock);
	}
	spin_unlock(&p->lock);
out:
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return ret;
}

/* Entry i of a table directory: 0, or -ENOENT past the end or if the process went away. */
static int gen_tab(const struct proc_ent *tab, size_t n, int i, int pid, int aux,
		   struct dev_dirent *out)
{
	if ((size_t)i >= n)
		return -ENOENT;
	return proc_stat(PROC_QID(tab[i].kind, pid, aux), out);
}

/* Is kind a directory of #proc? */
static bool is_dir_kind(int kind)
{
	return kind == PQ_ROOT || kind == PQ_SYS || kind == PQ_SYS_KERNEL ||
		kind == PQ_PID_DIR || kind == PQ_TID_DIR || kind == PQ_P_TASK_DIR ||
		kind == PQ_P_FD_DIR;
}

/*
 * The generator (kern/dev.h): the entries of the fixed directories come
 * from the tables, those of the root (after the table), task/ and fd/
 * from the process table.  A walk names its entry directly (numbers are
 * never listed to be found).  0, -ENOENT or -ENOTDIR.
 */
static int proc_gen(const struct dev_instance *di, u64 dir, const char *name, int i,
		    struct dev_dirent *out)
{
	int pid = PROC_QPID(dir), n;
	u64 q;

	(void)di;
	if (i == DEV_GEN_SELF)
		return proc_stat(dir, out);
	if (!is_dir_kind(PROC_QKIND(dir)))
		return -ENOTDIR;
	if (name) {
		q = i == 0 ? proc_walk_qid(dir, name) : 0;
		return q ? proc_stat(q, out) : -ENOENT;
	}
	switch (PROC_QKIND(dir)) {
	case PQ_ROOT:
		if ((size_t)i < ARRAY_SIZE(root_tab))
			return gen_tab(root_tab, ARRAY_SIZE(root_tab), i, 0, 0, out);
		n = nth_pid(i - (int)ARRAY_SIZE(root_tab));
		q = PROC_QID(PQ_PID_DIR, n, 0);
		break;
	case PQ_SYS:
		return gen_tab(sys_tab, ARRAY_SIZE(sys_tab), i, 0, 0, out);
	case PQ_SYS_KERNEL:
		return gen_tab(sys_kernel_tab, ARRAY_SIZE(sys_kernel_tab), i, 0, 0, out);
	case PQ_PID_DIR:
		return gen_tab(pid_tab, ARRAY_SIZE(pid_tab), i, pid, 0, out);
	case PQ_TID_DIR:
		if (i >= NTID_ENTS)
			return gen_tab(tid_tab, ARRAY_SIZE(tid_tab), i - NTID_ENTS, pid,
				       PROC_QAUX(dir), out);
		return gen_tab(pid_tab, NTID_ENTS, i, pid, PROC_QAUX(dir), out);
	case PQ_P_TASK_DIR:
		n = nth_sub(pid, i, false);
		q = PROC_QID(PQ_TID_DIR, pid, n);
		break;
	default:	/* PQ_P_FD_DIR */
		n = nth_sub(pid, i, true);
		q = PROC_QID(PQ_P_FD, pid, n);
		break;
	}
	if (n < 0)
		return -ENOENT;
	/* A process that vanished since nth_*: list it anyway (getdents is racy on Linux too). */
	if (proc_stat(q, out))
		out->mode = S_IFDIR | 0555;
	return 0;
}

/* The reader's root for naming paths (vfs_lock held). */
static struct path reader_root(void)
{
	struct proc *me = current_proc();

	return me && me->fs.fs ? me->fs.fs->root : vfs_root_path();
}

/* d_path into buf of len (readlink semantics: no NUL, truncated). */
static ssize_t link_path(const struct path *p, char *buf, size_t len)
{
	char tmp[256];
	struct path root = reader_root();
	ssize_t n = d_path_locked(&root, p, tmp, sizeof(tmp));

	if (n < 0)
		return n;
	n = MIN((size_t)n, len);
	memcpy(buf, tmp, (size_t)n);
	return n;
}

/* Target of a per-process link (exe, cwd, root, fd/N); vfs_lock held. */
static ssize_t pid_readlink(int kind, int pid, int aux, char *buf, size_t len)
{
	struct proc *p;
	struct file *f;
	ssize_t n = -ENOENT;
	u64 flags;

	if (proc_may_access(pid))
		return -EACCES;
	flags = spin_lock_irqsave(&proc_tree_lock);
	p = __pid_lookup(pid);
	if (!p || p->pid != pid)
		goto out;
	spin_lock(&p->lock);
	if (kind == PQ_P_EXE && p->exe[0]) {
		n = MIN(strlen(p->exe), len);
		memcpy(buf, p->exe, (size_t)n);
	} else if ((kind == PQ_P_CWD || kind == PQ_P_ROOT) && p->fs.fs) {
		n = link_path(kind == PQ_P_CWD ? &p->fs.fs->cwd : &p->fs.fs->root, buf, len);
	} else if (kind == PQ_P_FD && p->fdt) {
		spin_lock(&p->fdt->lock);
		f = aux < p->fdt->size ? p->fdt->files[aux] : NULL;
		if (f && f->path.dentry)
			n = link_path(&f->path, buf, len);
		else if (f)
			n = snprintf(buf, len, "anon_inode:[%llu]", f->inode ?
				     (unsigned long long)f->inode->ino : 0ULL);
		spin_unlock(&p->fdt->lock);
	}
	spin_unlock(&p->lock);
out:
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return n < 0 ? n : (ssize_t)MIN((size_t)n, len);
}

/* Target of symlink qid (self, thread-self, exe, cwd, root, fd/N): length or -errno. */
static ssize_t proc_readlink(const struct dev_instance *di, u64 qid, char *buf, size_t len)
{
	struct task *t = current();
	char tmp[32];
	int n;

	(void)di;
	switch (PROC_QKIND(qid)) {
	case PQ_SELF:
		if (!t->proc)
			return -ENOENT;
		n = snprintf(tmp, sizeof(tmp), "%d", t->proc->pid);
		break;
	case PQ_THREAD_SELF:
		if (!t->proc)
			return -ENOENT;
		n = snprintf(tmp, sizeof(tmp), "%d/task/%d", t->proc->pid, t->tid);
		break;
	case PQ_P_EXE:
	case PQ_P_CWD:
	case PQ_P_ROOT:
	case PQ_P_FD:
		return pid_readlink(PROC_QKIND(qid), PROC_QPID(qid), PROC_QAUX(qid), buf, len);
	default:
		return -EINVAL;
	}
	n = MIN(n, (int)len);
	memcpy(buf, tmp, (size_t)n);
	return n;
}

/* Private files (fd/, environ, maps) need proc_may_access: 0, -EACCES or -ENOENT. */
static int proc_open(struct file *f)
{
	u64 qid = dev_file_qid(f);
	int kind = PROC_QKIND(qid);

	if (kind == PQ_P_FD_DIR || kind == PQ_P_ENVIRON || kind == PQ_P_MAPS || kind == PQ_P_AUXV)
		return proc_may_access(PROC_QPID(qid));
	if (proc_dbg_kind(kind))
		return proc_dbg_open(f);
	return 0;
}

/* The text of a file, made at open: 0 or -errno (-ENOENT: the process is gone). */
static int proc_text(struct file *f, struct slice *s)
{
	u64 qid = dev_file_qid(f);
	int kind = PROC_QKIND(qid);

	if (proc_dbg_kind(kind))
		return DEV_NOT_TEXT;	/* served by proc_dbg.c */
	if (kind >= PQ_PID_DIR)
		return proc_gen_pid(kind, PROC_QPID(qid), PROC_QAUX(qid), s);
	return proc_gen_global(kind, s);
}

static const struct dev proc_dev = {
	.name = "proc",
	.gen = proc_gen,
	.readlink = proc_readlink,
	.open = proc_open,
	.close = proc_dbg_close,
	.text = proc_text,
	.read = proc_dbg_read,
	.write = proc_dbg_write,
	.poll = proc_dbg_poll,
};
DEV_REGISTER(proc_dev);
