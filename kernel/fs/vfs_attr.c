/*
 * Attribute calls: stat/statx in the Linux x86-64 layouts, chmod,
 * chown, utimensat, faccessat, truncate and fallocate, with Linux's permission
 * rules (the owner or root may change modes and times; only root may
 * give files away; writing "now" as the time also needs only write
 * permission).  Timestamps are kept as ns since the epoch.
 */
#include <kern/vfs.h>
#include <kern/dev.h>
#include <kern/string.h>
#include <kern/errno.h>

#define NSEC	1000000000ll
#define NO_ID	0xffffffffu

static void ns_to_ts(s64 ns, struct abi_timespec *ts)
{
	ts->tv_sec = ns / NSEC;
	ts->tv_nsec = ns % NSEC;
	if (ts->tv_nsec < 0) {
		ts->tv_nsec += NSEC;
		ts->tv_sec--;
	}
}

int vfs_getattr(struct inode *inode, struct abi_stat *st)
{
	spin_lock(&vfs_lock);
	dev_refresh_inode_locked(inode);
	memset(st, 0, sizeof(*st));
	st->st_dev = inode->sb->dev;
	st->st_ino = inode->ino;
	st->st_nlink = inode->nlink;
	st->st_mode = inode->mode;
	st->st_uid = inode->uid;
	st->st_gid = inode->gid;
	st->st_rdev = inode->rdev;
	st->st_size = (s64)inode->size;
	st->st_blksize = 4096;
	st->st_blocks = inode->sb->blocks ? (s64)inode->sb->blocks(inode) :
			(s64)((inode->size + 511) / 512);
	ns_to_ts(inode->atime, &st->st_atim);
	ns_to_ts(inode->mtime, &st->st_mtim);
	ns_to_ts(inode->ctime, &st->st_ctim);
	spin_unlock(&vfs_lock);
	return 0;
}

static int lookup_at(const struct vfs_ctx *ctx, struct file *dirf, const char *path, int flags,
		     int allowed, struct path *p)
{
	if (flags & ~allowed)
		return -EINVAL;
	return vfs_lookup(ctx, dirf, path,
			  ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
			  ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0), p);
}

int vfs_statat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, int flags,
	       struct abi_stat *st)
{
	struct path p;
	int err = lookup_at(ctx, dirf, path, flags,
			    AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT, &p);

	if (err)
		return err;
	err = vfs_getattr(p.dentry->inode, st);
	path_put(&p);
	return err;
}

int vfs_fstat(struct file *f, struct abi_stat *st)
{
	return vfs_getattr(f->inode, st);
}

static void stx_ts(const struct abi_timespec *ts, struct abi_statx_timestamp *out)
{
	out->tv_sec = ts->tv_sec;
	out->tv_nsec = (u32)ts->tv_nsec;
}

int vfs_statx(const struct vfs_ctx *ctx, struct file *dirf, const char *path, int flags,
	      u32 mask, struct abi_statx *stx)
{
	struct abi_stat st;
	struct path p;
	int err = lookup_at(ctx, dirf, path, flags & ~AT_STATX_SYNC_TYPE,
			    AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT, &p);

	if (err)
		return err;
	if (mask & 0x80000000u) {	/* STATX__RESERVED */
		path_put(&p);
		return -EINVAL;
	}
	err = vfs_getattr(p.dentry->inode, &st);
	path_put(&p);
	if (err)
		return err;
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS;
	stx->stx_blksize = (u32)st.st_blksize;
	stx->stx_nlink = (u32)st.st_nlink;
	stx->stx_uid = st.st_uid;
	stx->stx_gid = st.st_gid;
	stx->stx_mode = (u16)st.st_mode;
	stx->stx_ino = st.st_ino;
	stx->stx_size = (u64)st.st_size;
	stx->stx_blocks = (u64)st.st_blocks;
	stx_ts(&st.st_atim, &stx->stx_atime);
	stx_ts(&st.st_mtim, &stx->stx_mtime);
	stx_ts(&st.st_ctim, &stx->stx_ctime);
	stx->stx_rdev_major = ABI_MAJOR(st.st_rdev);
	stx->stx_rdev_minor = ABI_MINOR(st.st_rdev);
	stx->stx_dev_major = ABI_MAJOR(st.st_dev);
	stx->stx_dev_minor = ABI_MINOR(st.st_dev);
	return 0;
}

/* Apply a with the file system's setattr and update ctime; -errno on failure. */
int vfs_setattr(struct dentry *d, struct iattr *a)
{
	struct inode *inode = d->inode;
	int err;

	spin_lock(&vfs_lock);
	if (inode->sb->readonly) {
		err = -EROFS;
		goto out;
	}
	if (!inode->iops || !inode->iops->setattr) {
		err = -EPERM;
		goto out;
	}
	if (!(a->valid & ATTR_CTIME)) {
		a->valid |= ATTR_CTIME;
		a->ctime = vfs_now();
	}
	if ((a->valid & ATTR_SIZE) && !(a->valid & ATTR_MTIME)) {
		a->valid |= ATTR_MTIME;
		a->mtime = a->ctime;
	}
	err = inode->iops->setattr(inode, a);
out:
	spin_unlock(&vfs_lock);
	return err;
}

static int chmod_path(const struct vfs_ctx *ctx, struct dentry *d, u32 mode)
{
	struct inode *inode = d->inode;
	struct iattr a = { .valid = ATTR_MODE, .mode = mode & 07777 };

	if (ctx->uid != 0 && ctx->uid != inode->uid)
		return -EPERM;
	if (ctx->uid != 0 && !S_ISDIR(inode->mode) && ctx->gid != inode->gid)
		a.mode &= ~(u32)S_ISGID;
	return vfs_setattr(d, &a);
}

int vfs_fchmodat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, u32 mode,
		 int flags)
{
	struct path p;
	int err = lookup_at(ctx, dirf, path, flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p);

	if (err)
		return err;
	/* Linux: symlink modes cannot be changed. */
	err = S_ISLNK(p.dentry->inode->mode) ? -EOPNOTSUPP : chmod_path(ctx, p.dentry, mode);
	path_put(&p);
	return err;
}

int vfs_fchmod(const struct vfs_ctx *ctx, struct file *f, u32 mode)
{
	return chmod_path(ctx, f->path.dentry, mode);
}

int vfs_fchownat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, u32 uid,
		 u32 gid, int flags)
{
	struct iattr a = { 0 };
	struct inode *inode;
	struct path p;
	int err = lookup_at(ctx, dirf, path, flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p);

	if (err)
		return err;
	inode = p.dentry->inode;
	if (uid != NO_ID && uid != inode->uid && ctx->uid != 0)
		err = -EPERM;
	else if (gid != NO_ID && gid != inode->gid && ctx->uid != 0 &&
		 (ctx->uid != inode->uid || gid != ctx->gid))
		err = -EPERM;
	if (!err) {
		if (uid != NO_ID) {
			a.valid |= ATTR_UID;
			a.uid = uid;
		}
		if (gid != NO_ID) {
			a.valid |= ATTR_GID;
			a.gid = gid;
		}
		/* A non-root chown clears set-id bits like Linux. */
		if (a.valid && ctx->uid != 0 && !S_ISDIR(inode->mode) &&
		    (inode->mode & (S_ISUID | S_ISGID))) {
			a.valid |= ATTR_MODE;
			a.mode = inode->mode & ~(u32)(S_ISUID | S_ISGID);
		}
		err = a.valid ? vfs_setattr(p.dentry, &a) : 0;
	}
	path_put(&p);
	return err;
}

static bool ts_valid(const struct abi_timespec *ts)
{
	return ts->tv_nsec == UTIME_NOW || ts->tv_nsec == UTIME_OMIT ||
		(ts->tv_nsec >= 0 && ts->tv_nsec < NSEC);
}

int vfs_utimensat(const struct vfs_ctx *ctx, struct file *dirf, const char *path,
		  const struct abi_timespec *times, int flags)
{
	struct iattr a = { .valid = ATTR_ATIME | ATTR_MTIME };
	s64 now = vfs_now();
	bool to_now = !times || (times[0].tv_nsec == UTIME_NOW && times[1].tv_nsec == UTIME_NOW);
	struct inode *inode;
	struct path p;
	int err;

	if (times && (!ts_valid(&times[0]) || !ts_valid(&times[1])))
		return -EINVAL;
	if (times && times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT)
		return 0;
	if (!path) {		/* futimens */
		if (!dirf)
			return -EFAULT;
		p = dirf->path;
		path_get(&p);
	} else {
		err = lookup_at(ctx, dirf, path, flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p);
		if (err)
			return err;
	}
	inode = p.dentry->inode;
	err = 0;
	if (ctx->uid != 0 && ctx->uid != inode->uid &&
	    (!to_now || inode_permission(ctx, inode, MAY_WRITE)))
		err = to_now ? -EACCES : -EPERM;
	if (!err) {
		a.atime = a.mtime = now;
		if (times) {
			if (times[0].tv_nsec == UTIME_OMIT)
				a.valid &= ~(u32)ATTR_ATIME;
			else if (times[0].tv_nsec != UTIME_NOW)
				a.atime = times[0].tv_sec * NSEC + times[0].tv_nsec;
			if (times[1].tv_nsec == UTIME_OMIT)
				a.valid &= ~(u32)ATTR_MTIME;
			else if (times[1].tv_nsec != UTIME_NOW)
				a.mtime = times[1].tv_sec * NSEC + times[1].tv_nsec;
		}
		err = vfs_setattr(p.dentry, &a);
	}
	path_put(&p);
	return err;
}

int vfs_faccessat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, int mode,
		  int flags)
{
	struct path p;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	err = lookup_at(ctx, dirf, path, flags,
			AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH, &p);
	if (err)
		return err;
	if (mode)
		err = inode_permission(ctx, p.dentry->inode, mode);
	if (!err && (mode & W_OK) && p.dentry->inode->sb->readonly)
		err = -EROFS;
	path_put(&p);
	return err;
}

/*
 * Resize d's file to len; -EFBIG if that grows it past limit (Linux's
 * inode_newsize_ok: a file already beyond the limit may still shrink).
 * The size is read without the data lock: a racing write may move it.
 */
static int truncate_dentry(struct dentry *d, s64 len, u64 limit)
{
	struct iattr a = { .valid = ATTR_SIZE, .size = (u64)len };

	if ((u64)len > limit && (u64)len > READ_ONCE(d->inode->size))
		return -EFBIG;
	return vfs_setattr(d, &a);
}

int vfs_truncate(const struct vfs_ctx *ctx, struct file *dirf, const char *path, s64 len,
		 u64 limit)
{
	struct path p;
	struct inode *inode;
	int err;

	if (len < 0)
		return -EINVAL;
	err = vfs_lookup(ctx, dirf, path, LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	inode = p.dentry->inode;
	if (S_ISDIR(inode->mode))
		err = -EISDIR;
	else if (!S_ISREG(inode->mode))
		err = -EINVAL;
	else
		err = inode_permission(ctx, inode, MAY_WRITE);
	if (!err)
		err = truncate_dentry(p.dentry, len, limit);
	path_put(&p);
	return err;
}

int vfs_ftruncate(struct file *f, s64 len, u64 limit)
{
	if (len < 0 || !S_ISREG(f->inode->mode) || !(f->fmode & FMODE_WRITE))
		return -EINVAL;
	return truncate_dentry(f->path.dentry, len, limit);
}

/*
 * Linux's (6.17) rule for mode: one operation, with FALLOC_FL_KEEP_SIZE
 * required by PUNCH_HOLE and refused by COLLAPSE/INSERT_RANGE and
 * WRITE_ZEROES; 0 or -EOPNOTSUPP.  What a file system supports is its own.
 */
static int falloc_mode_ok(int mode)
{
	bool keep = mode & FALLOC_FL_KEEP_SIZE;

	switch (mode & ~FALLOC_FL_KEEP_SIZE) {
	case 0:
	case FALLOC_FL_UNSHARE_RANGE:
	case FALLOC_FL_ZERO_RANGE:
		return 0;
	case FALLOC_FL_PUNCH_HOLE:
		return keep ? 0 : -EOPNOTSUPP;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
	case FALLOC_FL_WRITE_ZEROES:
		return keep ? -EOPNOTSUPP : 0;
	default:
		return -EOPNOTSUPP;
	}
}

int vfs_fallocate(struct file *f, int mode, s64 off, s64 len, u64 limit)
{
	u32 type = f->inode->mode;
	s64 end;
	int err;

	if (off < 0 || len <= 0)
		return -EINVAL;
	err = falloc_mode_ok(mode);
	if (err)
		return err;
	if (!(f->fmode & FMODE_WRITE))
		return -EBADF;
	if (S_ISFIFO(type))
		return -ESPIPE;
	if (S_ISDIR(type))
		return -EISDIR;
	if (!S_ISREG(type) && !S_ISBLK(type))
		return -ENODEV;
	if (check_add_overflow(off, len, &end))
		return -EFBIG;
	if (!f->fops || !f->fops->fallocate)
		return -EOPNOTSUPP;
	return f->fops->fallocate(f, mode, (u64)off, (u64)len, limit);
}
