/*
 * Open file descriptions: open(2) with Linux's flag semantics, and the
 * read/write/lseek/getdents/ioctl entry points the syscall layer wraps.
 *
 * A struct file holds a path reference for its lifetime; its refcount is
 * atomic (fd tables and in-flight syscalls hold references).  The
 * position is updated after each transfer without a lock: concurrent
 * read() calls on one shared description may interleave like on Linux
 * for non-regular files.  Opening a character device node of the ramfs
 * opens the #device file its Linux device number maps to (chrdev_path).
 * O_CREAT follows a final symlink and creates a missing target, as Linux.
 */
#include <kern/vfs.h>
#include <kern/dev.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/pipe.h>

#define MAX_RW_COUNT	0x7ffff000ul	/* Linux's per-call transfer limit */

void file_get(struct file *f)
{
	__atomic_fetch_add(&f->refcnt, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refcnt, 1, __ATOMIC_ACQ_REL))
		return;
#ifndef HOST_UNIT_TEST		/* no epoll in the host unit tests */
	if (READ_ONCE(f->ep_items))
		eventpoll_release(f);
#endif
	if (f->fops && f->fops->release)
		f->fops->release(f);
	path_put(&f->path);
	kfree(f);
}

int vfs_open_path(const struct path *p, int flags, struct file **out)
{
	struct file *f = kzmalloc(sizeof(*f), MEM_WAIT);
	int acc = flags & O_ACCMODE;

	if (!f)
		return -ENOMEM;
	f->refcnt = 1;
	/* O_NOCTTY stays until the open method has seen it (a tty may become the ctty). */
	f->flags = (u32)flags & ~(u32)(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
	if (!(flags & O_PATH)) {
		f->fmode = (acc == O_RDONLY || acc == O_RDWR ? FMODE_READ : 0) |
			(acc == O_WRONLY || acc == O_RDWR ? FMODE_WRITE : 0);
	}
	f->path = *p;
	path_get(&f->path);
	f->inode = p->dentry->inode;
	f->fops = (flags & O_PATH) ? NULL : f->inode->fops;
#ifndef HOST_UNIT_TEST		/* pipes need the scheduler */
	if (!(flags & O_PATH) && S_ISFIFO(f->inode->mode) && f->fops != &pipe_file_ops)
		f->fops = &fifo_file_ops;
#endif
	if (f->fops && f->fops->open) {
		int err = f->fops->open(f);

		if (err) {
			path_put(&f->path);
			kfree(f);
			return err;
		}
	}
	f->flags &= ~(u32)O_NOCTTY;
	*out = f;
	return 0;
}

/* Copy of symlink inode's target into *out (kmalloc'd); -errno on failure. */
static int read_link_locked(struct inode *inode, char **out)
{
	char *buf = kmalloc(PATH_MAX, MEM_WAIT);
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	n = inode->iops && inode->iops->readlink ?
		inode->iops->readlink(inode, buf, PATH_MAX - 1) : -EINVAL;
	if (n <= 0) {
		kfree(buf);
		return n < 0 ? (int)n : -ENOENT;
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}

/* O_CREAT half of open: find or create the last component. */
/*
 * Returns 0 with *p set, -errno, or 1 when the last component is a
 * symlink to follow: *link gets its target (kmalloc'd) and *linkdir the
 * directory it is relative to (with a reference).
 */
static int open_create(const struct vfs_ctx *ctx, struct file *dirf, const char *path,
		       int flags, u32 mode, struct path *p, bool *created, char **link,
		       struct path *linkdir)
{
	struct nameidata_last nd;
	struct dentry *dir, *d;
	struct inode *di;
	int err;

	err = vfs_lookup_parent(ctx, dirf, path, &nd);
	if (err)
		return err;
	spin_lock(&vfs_lock);
	dir = nd.parent.dentry;
	di = dir->inode;
	/* Linux: "." ".." "/" are existing directories; a trailing slash is EISDIR. */
	if (nd.lastlen == 0 || (nd.lastlen == 1 && nd.last[0] == '.') ||
	    (nd.lastlen == 2 && nd.last[0] == '.' && nd.last[1] == '.')) {
		err = (flags & O_EXCL) ? -EEXIST : -EISDIR;
		goto out;
	}
	if (nd.trailing) {
		err = -EISDIR;
		goto out;
	}
	err = vfs_lookup_child_locked(dir, nd.last, nd.lastlen, &d);
	if (!err) {
		if (flags & O_EXCL) {
			d_put_locked(d);
			err = -EEXIST;
			goto out;
		}
		if (S_ISLNK(d->inode->mode)) {
			err = (flags & O_NOFOLLOW) ? -ELOOP : read_link_locked(d->inode, link);
			if (err == 0) {
				*linkdir = nd.parent;
				path_get_locked(linkdir);
				err = 1;
			}
			d_put_locked(d);
			goto out;
		}
		p->mnt = nd.parent.mnt;
		p->dentry = d;
		follow_mounts_locked(p);
		goto out;
	}
	if (err != -ENOENT)
		goto out;
	err = inode_permission(ctx, di, MAY_WRITE | MAY_EXEC);
	if (err)
		goto out;
	if (d_dead_locked(&nd.parent)) {
		err = -ENOENT;
		goto out;
	}
	if (di->sb->readonly) {
		err = -EROFS;
		goto out;
	}
	if (!di->iops || !di->iops->mknod) {
		err = -EACCES;
		goto out;
	}
	d = d_alloc(dir, nd.last, nd.lastlen);
	if (!d) {
		err = -ENOMEM;
		goto out;
	}
	err = di->iops->mknod(di, d, S_IFREG | (mode & 07777 & ~READ_ONCE(ctx->fs->umask)), 0);
	if (err) {
		d_put_locked(d);
		goto out;
	}
	d->inode->uid = ctx->uid;
	d->inode->gid = (di->mode & S_ISGID) ? di->gid : ctx->gid;
	d_add_locked(dir, d);
	di->mtime = di->ctime = vfs_now();
	p->mnt = nd.parent.mnt;
	p->dentry = d;		/* keeps the d_alloc reference */
	*created = true;
out:
	spin_unlock(&vfs_lock);
	nameidata_last_put(&nd);
	return err;
}

/* Checks on an existing file being opened; 0 or -errno. */
static int may_open(const struct vfs_ctx *ctx, struct inode *inode, int flags)
{
	int acc = flags & O_ACCMODE, mask = 0;

	if (flags & O_PATH)
		return 0;
	if (S_ISLNK(inode->mode))
		return -ELOOP;
	if (acc == O_RDONLY || acc == O_RDWR || acc == O_ACCMODE)
		mask |= MAY_READ;
	if (acc != O_RDONLY || (flags & O_TRUNC))
		mask |= MAY_WRITE;
	if (S_ISDIR(inode->mode) && ((mask & MAY_WRITE) || (flags & O_CREAT)))
		return -EISDIR;
	if (S_ISSOCK(inode->mode) || S_ISBLK(inode->mode))
		return -ENXIO;
	if (inode_permission(ctx, inode, mask))
		return -EACCES;
	if ((mask & MAY_WRITE) && inode->sb->readonly && !S_ISCHR(inode->mode))
		return -EROFS;
	return 0;
}

/*
 * open_create, following final symlinks like Linux does for O_CREAT
 * (creating the target of a dangling link), at most MAXSYMLINKS times.
 */
static int open_create_follow(const struct vfs_ctx *ctx, struct file *dirf, const char *path,
			      int flags, u32 mode, struct path *p, bool *created)
{
	struct file at = { 0 };
	char *link = NULL, *prev = NULL;
	struct path linkdir = { 0 }, prevdir = { 0 };
	int n = 0;

	for (;;) {
		int err = open_create(ctx, dirf, path, flags, mode, p, created, &link, &linkdir);
		kfree(prev);
		if (prevdir.dentry)
			path_put(&prevdir);
		if (err != 1)
			return err;
		if (++n > MAXSYMLINKS) {
			kfree(link);
			path_put(&linkdir);
			return -ELOOP;
		}
		/* Resolve the target relative to the link's directory. */
		at.path = linkdir;
		at.inode = linkdir.dentry->inode;
		dirf = &at;
		path = link;
		prev = link;
		prevdir = linkdir;
	}
}

int vfs_openat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, int flags,
	       u32 mode, struct file **out)
{
	struct path p;
	bool created = false;
	int err;

	if ((flags & O_TMPFILE) == O_TMPFILE)
		return -EOPNOTSUPP;
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return -EINVAL;	/* Linux >= 6.4 */
	if ((flags & O_CREAT) && !(flags & O_PATH))
		err = open_create_follow(ctx, dirf, path, flags, mode, &p, &created);
	else
		err = vfs_lookup(ctx, dirf, path,
				 ((flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
				 ((flags & O_DIRECTORY) ? LOOKUP_DIRECTORY : 0), &p);
	if (err)
		return err;
	if (!created) {
		err = may_open(ctx, p.dentry->inode, flags);
		if (err)
			goto out;
	}
	if ((flags & O_DIRECTORY) && !S_ISDIR(p.dentry->inode->mode)) {
		err = -ENOTDIR;
		goto out;
	}
	if (S_ISCHR(p.dentry->inode->mode) && !p.dentry->inode->sb->device &&
	    !(flags & O_PATH)) {
		char dp[64];
		struct path devp;

		err = chrdev_path(p.dentry->inode->rdev, dp, sizeof(dp));
		if (err)
			goto out;
		err = vfs_lookup(ctx, NULL, dp, LOOKUP_FOLLOW, &devp);
		if (err)
			goto out;
		path_put(&p);
		p = devp;
	}
	/* Linux truncates even for O_RDONLY | O_TRUNC (may_open demanded write access). */
	if ((flags & O_TRUNC) && !created && S_ISREG(p.dentry->inode->mode)) {
		struct iattr a = { .valid = ATTR_SIZE, .size = 0 };

		err = vfs_setattr(p.dentry, &a);
		if (err)
			goto out;
	}
	err = vfs_open_path(&p, flags, out);
out:
	path_put(&p);
	return err;
}

static ssize_t do_read(struct file *f, void *buf, size_t n, u64 *off)
{
	if (!(f->fmode & FMODE_READ))
		return -EBADF;
	if (S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (!f->fops || !f->fops->read)
		return -EINVAL;
	return f->fops->read(f, buf, MIN(n, MAX_RW_COUNT), off);
}

static ssize_t do_write(struct file *f, const void *buf, size_t n, u64 *off)
{
	if (!(f->fmode & FMODE_WRITE))
		return -EBADF;
	if (!f->fops || !f->fops->write)
		return -EINVAL;
	return f->fops->write(f, buf, MIN(n, MAX_RW_COUNT), off);
}

ssize_t vfs_read(struct file *f, void *buf, size_t n)
{
	u64 off = f->pos;
	ssize_t r = do_read(f, buf, n, &off);

	if (r >= 0)
		f->pos = off;
	return r;
}

ssize_t vfs_write(struct file *f, const void *buf, size_t n)
{
	u64 off = f->pos;
	ssize_t r = do_write(f, buf, n, &off);

	if (r >= 0)
		f->pos = off;
	return r;
}

ssize_t vfs_pread(struct file *f, void *buf, size_t n, s64 off)
{
	u64 o = (u64)off;

	if (off < 0)
		return -EINVAL;
	if (f->fops && f->fops->nonseekable)
		return -ESPIPE;
	return do_read(f, buf, n, &o);
}

ssize_t vfs_pwrite(struct file *f, const void *buf, size_t n, s64 off)
{
	u64 o = (u64)off;

	if (off < 0)
		return -EINVAL;
	if (f->fops && f->fops->nonseekable)
		return -ESPIPE;
	return do_write(f, buf, n, &o);
}

s64 vfs_lseek(struct file *f, s64 off, int whence)
{
	s64 base, size = (s64)f->inode->size, res;
	bool dir = S_ISDIR(f->inode->mode);

	if (f->fops && f->fops->nonseekable)
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (s64)f->pos;
		break;
	case SEEK_END:
		if (dir)
			return -EINVAL;
		base = size;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (dir)
			return -EINVAL;
		if (off < 0 || off >= size)
			return -ENXIO;
		f->pos = (u64)(whence == SEEK_DATA ? off : size);
		return (s64)f->pos;
	default:
		return -EINVAL;
	}
	if (check_add_overflow(base, off, &res) || res < 0)
		return -EINVAL;
	f->pos = (u64)res;
	return res;
}

ssize_t vfs_getdents64(struct file *f, void *buf, size_t len)
{
	struct dir_ctx dc = { .pos = f->pos, .buf = buf, .len = len };
	struct dentry *d = f->path.dentry;
	int err;

	if (!S_ISDIR(f->inode->mode) || !f->fops || !f->fops->getdents)
		return f->fops ? -ENOTDIR : -EBADF;
	spin_lock(&vfs_lock);
	err = d_dead_locked(&f->path) ? -ENOENT : 0;	/* removed directory, as Linux */
	spin_unlock(&vfs_lock);
	if (err)
		return err;
	if (dc.pos == 0 && !dir_emit(&dc, ".", 1, f->inode->ino, DT_DIR, 1))
		return -EINVAL;
	if (dc.pos == 1) {
		u64 pino = d->parent ? d->parent->inode->ino : f->inode->ino;

		if (!dir_emit(&dc, "..", 2, pino, DT_DIR, 2))
			goto done;
	}
	err = f->fops->getdents(f, &dc);
	if (err)
		return err;
done:
	if (dc.used == 0 && dc.full)
		return -EINVAL;
	f->pos = dc.pos;
	return (ssize_t)dc.used;
}

long vfs_ioctl(struct file *f, u32 cmd, unsigned long arg)
{
	if (!f->fops)
		return -EBADF;
	return f->fops->ioctl ? f->fops->ioctl(f, cmd, arg) : -ENOTTY;
}

static int set_cwd(const struct vfs_ctx *ctx_ro, struct vfs_ctx *ctx, struct path *p)
{
	struct path old;
	int err;

	if (!S_ISDIR(p->dentry->inode->mode)) {
		path_put(p);
		return -ENOTDIR;
	}
	err = inode_permission(ctx_ro, p->dentry->inode, MAY_EXEC);
	if (err) {
		path_put(p);
		return err;
	}
	spin_lock(&vfs_lock);
	old = ctx->fs->cwd;
	ctx->fs->cwd = *p;
	path_put_locked(&old);
	spin_unlock(&vfs_lock);
	return 0;
}

int vfs_chdir(struct vfs_ctx *ctx, struct file *dirf, const char *path)
{
	struct path p;
	int err = vfs_lookup(ctx, dirf, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);

	if (err)
		return err;
	return set_cwd(ctx, ctx, &p);
}

int vfs_chroot(struct vfs_ctx *ctx, const char *path, bool privileged)
{
	struct path p, old;
	int err = vfs_lookup(ctx, NULL, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);

	if (err)
		return err;
	err = inode_permission(ctx, p.dentry->inode, MAY_EXEC);
	if (!err && !privileged)
		err = -EPERM;
	if (err) {
		path_put(&p);
		return err;
	}
	spin_lock(&vfs_lock);
	old = ctx->fs->root;
	ctx->fs->root = p;
	path_put_locked(&old);
	spin_unlock(&vfs_lock);
	return 0;
}

int vfs_fchdir(struct vfs_ctx *ctx, struct file *f)
{
	struct path p = f->path;

	path_get(&p);
	return set_cwd(ctx, ctx, &p);
}
