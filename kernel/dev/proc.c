/*
 * #proc: the Linux /proc file system as a device (bound at /proc at boot
 * by ns_defaults.c).  Directories are synthetic: the root lists the
 * global files and one directory per process; /proc/PID holds stat,
 * status, cmdline, maps... plus fd/ (one symlink per descriptor) and
 * task/ (one directory per thread).  Files are named by qids (see
 * proc_internal.h) so nothing is stored per file; walk/gen/stat rebuild
 * the answer from the process table each time.
 *
 * Contents: at open the whole text is generated into a slice which is
 * then published (frozen) and kept in f->priv; reads of any size at any
 * offset are served from it, so a reader sees one consistent version
 * (Linux's seq_file gives the same guarantee per read(2) only).  The
 * formatters are in proc_pid.c (per process) and proc_sys.c (global).
 *
 * Locking: walk/gen/stat/readlink run with vfs_lock held (kern/dev.h).
 * Lock order here: vfs_lock, proc_tree_lock, proc->lock, fdt->lock,
 * mm->lock.  Nothing allocates under proc_tree_lock.  Names of numeric
 * entries are formatted into proc_namebuf, which vfs_lock protects (the
 * VFS copies the name before it drops the lock).
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
};
#define NTID_ENTS	7

static char proc_namebuf[24];	/* vfs_lock */

/* The table entry of kind, or NULL. */
static const struct proc_ent *ent_of_kind(int kind, const struct proc_ent *tab, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i].kind == kind)
			return &tab[i];
	return NULL;
}

static const struct proc_ent *find_ent(int kind)
{
	const struct proc_ent *e = ent_of_kind(kind, root_tab, ARRAY_SIZE(root_tab));

	if (!e)
		e = ent_of_kind(kind, sys_tab, ARRAY_SIZE(sys_tab));
	if (!e)
		e = ent_of_kind(kind, sys_kernel_tab, ARRAY_SIZE(sys_kernel_tab));
	if (!e)
		e = ent_of_kind(kind, pid_tab, ARRAY_SIZE(pid_tab));
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

/* Is tid a thread of p (p->lock held)? */
static bool has_task(struct proc *p, int tid)
{
	struct task *t;

	list_for_each_entry(t, &p->tasks, proc_link)
		if (t->tid == tid)
			return true;
	return false;
}

/* Attributes of qid, checking that what it names exists; 0 or -ENOENT. */
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
		out->name = "proc";
		out->mode = S_IFDIR | 0555;
		return 0;
	}
	e = find_ent(kind);
	out->name = e ? e->name : proc_namebuf;
	out->mode = e ? e->mode : S_IFDIR | 0555;
	if (kind < PQ_PID_DIR)
		return 0;
	flags = spin_lock_irqsave(&proc_tree_lock);
	p = __pid_lookup(pid);
	if (!p || p->pid != pid) {
		err = -ENOENT;
		goto out;
	}
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

/* Files of /proc/PID belong to the process's effective ids, the rest to root. */
static void proc_owner(u64 qid, u32 *uid, u32 *gid)
{
	int pid = PROC_QPID(qid);
	struct proc *p;
	u64 flags;

	*uid = *gid = 0;
	if (PROC_QKIND(qid) < PQ_PID_DIR)
		return;
	flags = spin_lock_irqsave(&proc_tree_lock);
	p = __pid_lookup(pid);
	if (p && p->pid == pid) {
		*uid = p->euid;
		*gid = p->egid;
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
}

/* name[0..len) as a decimal number < 2^24, or -1. */
static int parse_num(const char *name, size_t len)
{
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
static u64 walk_tab(const struct proc_ent *tab, size_t n, const char *name, size_t len,
		    int pid, int aux)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(tab[i].name) == len && !memcmp(tab[i].name, name, len))
			return PROC_QID(tab[i].kind, pid, aux);
	return 0;
}

static int proc_walk(u64 dir, const char *name, size_t len, struct dev_dirent *out)
{
	int pid = PROC_QPID(dir), num = parse_num(name, len);
	u64 q = 0;
	int err;

	switch (PROC_QKIND(dir)) {
	case PQ_ROOT:
		q = walk_tab(root_tab, ARRAY_SIZE(root_tab), name, len, 0, 0);
		if (!q && num > 0)
			q = PROC_QID(PQ_PID_DIR, num, 0);
		break;
	case PQ_SYS:
		q = walk_tab(sys_tab, ARRAY_SIZE(sys_tab), name, len, 0, 0);
		break;
	case PQ_SYS_KERNEL:
		q = walk_tab(sys_kernel_tab, ARRAY_SIZE(sys_kernel_tab), name, len, 0, 0);
		break;
	case PQ_PID_DIR:
		q = walk_tab(pid_tab, ARRAY_SIZE(pid_tab), name, len, pid, 0);
		break;
	case PQ_TID_DIR:
		q = walk_tab(pid_tab, NTID_ENTS, name, len, pid, PROC_QAUX(dir));
		break;
	case PQ_P_TASK_DIR:
		if (num > 0)
			q = PROC_QID(PQ_TID_DIR, pid, num);
		break;
	case PQ_P_FD_DIR:
		if (num >= 0)
			q = PROC_QID(PQ_P_FD, pid, num);
		break;
	default:
		return -ENOTDIR;
	}
	if (!q)
		return -ENOENT;
	if (len >= sizeof(proc_namebuf))
		return -ENOENT;
	memcpy(proc_namebuf, name, len);
	proc_namebuf[len] = '\0';
	err = proc_stat(q, out);
	out->name = proc_namebuf;
	return err;
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
			if (i-- == 0) {
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

static int gen_tab(const struct proc_ent *tab, size_t n, int i, int pid, int aux,
		   struct dev_dirent *out)
{
	int err;

	if ((size_t)i >= n)
		return -ENOENT;
	err = proc_stat(PROC_QID(tab[i].kind, pid, aux), out);
	out->name = tab[i].name;
	return err;
}

static int proc_gen(u64 dir, int i, struct dev_dirent *out)
{
	int pid = PROC_QPID(dir), n;
	u64 q;

	if (i < 0)
		return -ENOENT;
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
		return gen_tab(pid_tab, NTID_ENTS, i, pid, PROC_QAUX(dir), out);
	case PQ_P_TASK_DIR:
		n = nth_sub(pid, i, false);
		q = PROC_QID(PQ_TID_DIR, pid, n);
		break;
	case PQ_P_FD_DIR:
		n = nth_sub(pid, i, true);
		q = PROC_QID(PQ_P_FD, pid, n);
		break;
	default:
		return -ENOENT;
	}
	if (n < 0)
		return -ENOENT;
	snprintf(proc_namebuf, sizeof(proc_namebuf), "%d", n);
	/* A process that vanished since nth_*: list it anyway (getdents is racy on Linux too). */
	if (proc_stat(q, out))
		out->mode = S_IFDIR | 0555;
	out->qid = q;
	out->name = proc_namebuf;
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

static ssize_t proc_readlink(u64 qid, char *buf, size_t len)
{
	struct task *t = current();
	char tmp[32];
	int n;

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

static int proc_open(struct file *f)
{
	u64 qid = dev_file_qid(f);
	int kind = PROC_QKIND(qid), pid = PROC_QPID(qid), err;
	struct slice *s;

	f->priv = NULL;
	if (kind == PQ_P_FD_DIR || kind == PQ_P_ENVIRON || kind == PQ_P_MAPS) {
		err = proc_may_access(pid);
		if (err)
			return err;
	}
	if (S_ISDIR(f->inode->mode))
		return 0;
	s = slice_new(MEM_WAIT);
	if (!s)
		return -ENOMEM;
	if (kind >= PQ_PID_DIR)
		err = proc_gen_pid(kind, pid, PROC_QAUX(qid), s);
	else
		err = proc_gen_global(kind, s);
	if (err) {
		slice_free(s);
		return err;
	}
	f->priv = slice_publish(s);
	return 0;
}

static void proc_close(struct file *f)
{
	if (f->priv)
		slice_put(f->priv);
	f->priv = NULL;
}

static ssize_t proc_read(struct file *f, void *buf, size_t n, u64 off)
{
	const struct slice *s = f->priv;

	if (!s)
		return -EISDIR;
	return dev_read_buf(buf, n, off, s->buf, s->len);
}

static const struct dev proc_dev = {
	.name = "proc",
	.walk = proc_walk,
	.gen = proc_gen,
	.stat = proc_stat,
	.owner = proc_owner,
	.readlink = proc_readlink,
	.open = proc_open,
	.close = proc_close,
	.read = proc_read,
};
DEV_REGISTER(proc_dev);
