/*
 * Namespace-changing operations with Linux's error semantics: mknod,
 * mkdir, symlink, link, unlink/rmdir, rename, readlink and Plan 9 bind.
 * Each resolves the parent with vfs_lookup_parent(), then re-takes
 * vfs_lock and performs checks in the order Linux does (existence,
 * permission, sticky bit, type, busy, emptiness) so the first error a
 * program sees is the one Linux would report.
 */
#include <kern/vfs.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>

static bool is_dot(const char *s, size_t len)
{
	return len == 1 && s[0] == '.';
}

static bool is_dotdot(const char *s, size_t len)
{
	return len == 2 && s[0] == '.' && s[1] == '.';
}

static void touch_dir(struct inode *dir)
{
	dir->mtime = dir->ctime = vfs_now();
}

/* Sticky-directory rule: may ctx remove victim from dir? */
static bool sticky_ok(const struct vfs_ctx *ctx, struct inode *dir, struct inode *victim)
{
	return !(dir->mode & S_ISVTX) || ctx->uid == 0 || ctx->uid == victim->uid ||
		ctx->uid == dir->uid;
}

/* Create path as mode/rdev (or a symlink to target); -errno on failure. */
static int create_node(const struct vfs_ctx *ctx, struct file *dirf, const char *path,
		       u32 mode, u64 rdev, const char *target)
{
	struct nameidata_last nd;
	struct dentry *dir, *d, *old;
	struct inode *di;
	int err;

	err = vfs_lookup_parent(ctx, dirf, path, &nd);
	if (err)
		return err;
	spin_lock(&vfs_lock);
	dir = nd.parent.dentry;
	di = dir->inode;
	if (nd.lastlen == 0 || is_dot(nd.last, nd.lastlen) || is_dotdot(nd.last, nd.lastlen)) {
		err = -EEXIST;
		goto out;
	}
	err = vfs_lookup_child_locked(dir, nd.last, nd.lastlen, &old);
	if (!err) {
		d_put_locked(old);
		err = -EEXIST;
		goto out;
	}
	if (err != -ENOENT)
		goto out;
	if (nd.trailing && !S_ISDIR(mode)) {
		err = -ENOENT;
		goto out;
	}
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
	if (!di->iops || (target ? !di->iops->symlink : !di->iops->mknod)) {
		err = -EPERM;
		goto out;
	}
	d = d_alloc(dir, nd.last, nd.lastlen);
	if (!d) {
		err = -ENOMEM;
		goto out;
	}
	err = target ? di->iops->symlink(di, d, target) : di->iops->mknod(di, d, mode, rdev);
	if (err) {
		d_put_locked(d);
		goto out;
	}
	d->inode->uid = ctx->uid;
	d->inode->gid = (di->mode & S_ISGID) ? di->gid : ctx->gid;
	if ((di->mode & S_ISGID) && S_ISDIR(mode))
		d->inode->mode |= S_ISGID;
	d_add_locked(dir, d);
	d_put_locked(d);
	touch_dir(di);
out:
	spin_unlock(&vfs_lock);
	nameidata_last_put(&nd);
	return err;
}

int vfs_mknodat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, u32 mode,
		u64 rdev)
{
	u32 type = mode & S_IFMT;

	if (type == 0)
		type = S_IFREG;
	if (type == S_IFDIR)
		return -EPERM;
	if (type == S_IFLNK)
		return -EINVAL;
	if ((type == S_IFCHR || type == S_IFBLK) && ctx->uid != 0)
		return -EPERM;
	return create_node(ctx, dirf, path, type | (mode & 07777 & ~READ_ONCE(ctx->fs->umask)), rdev, NULL);
}

int vfs_mkdirat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, u32 mode)
{
	return create_node(ctx, dirf, path, S_IFDIR | (mode & 01777 & ~READ_ONCE(ctx->fs->umask)), 0, NULL);
}

int vfs_symlinkat(const struct vfs_ctx *ctx, const char *target, struct file *dirf,
		  const char *path)
{
	size_t tlen = strnlen(target, PATH_MAX);

	if (tlen == 0)
		return -ENOENT;
	if (tlen >= PATH_MAX)
		return -ENAMETOOLONG;
	return create_node(ctx, dirf, path, S_IFLNK | 0777, 0, target);
}

int vfs_unlinkat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, int flags)
{
	bool rmdir = flags & AT_REMOVEDIR;
	struct nameidata_last nd;
	struct dentry *dir, *victim = NULL;
	struct inode *di, *vi;
	int err;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	err = vfs_lookup_parent(ctx, dirf, path, &nd);
	if (err)
		return err;
	spin_lock(&vfs_lock);
	dir = nd.parent.dentry;
	di = dir->inode;
	if (nd.lastlen == 0) {
		err = rmdir ? -EBUSY : -EISDIR;
		goto out;
	}
	if (is_dot(nd.last, nd.lastlen) || is_dotdot(nd.last, nd.lastlen)) {
		err = !rmdir ? -EISDIR : is_dot(nd.last, nd.lastlen) ? -EINVAL : -ENOTEMPTY;
		goto out;
	}
	err = vfs_lookup_child_locked(dir, nd.last, nd.lastlen, &victim);
	if (err)
		goto out;
	vi = victim->inode;
	if (!rmdir && nd.trailing) {
		err = S_ISDIR(vi->mode) ? -EISDIR : -ENOTDIR;
		goto out;
	}
	err = inode_permission(ctx, di, MAY_WRITE | MAY_EXEC);
	if (err)
		goto out;
	if (!sticky_ok(ctx, di, vi)) {
		err = -EPERM;
		goto out;
	}
	if (rmdir && !S_ISDIR(vi->mode)) {
		err = -ENOTDIR;
		goto out;
	}
	if (!rmdir && S_ISDIR(vi->mode)) {
		err = -EISDIR;
		goto out;
	}
	if (victim->mounted) {
		err = -EBUSY;
		goto out;
	}
	if (rmdir && victim->child_head) {
		err = -ENOTEMPTY;
		goto out;
	}
	if (di->sb->readonly) {
		err = -EROFS;
		goto out;
	}
	if (!di->iops || !di->iops->unlink) {
		err = -EPERM;
		goto out;
	}
	err = di->iops->unlink(di, victim);
	if (err)
		goto out;
	d_unlink_locked(victim);
	touch_dir(di);
out:
	if (victim)
		d_put_locked(victim);
	spin_unlock(&vfs_lock);
	nameidata_last_put(&nd);
	return err;
}

/*
 * Linux's fs.protected_hardlinks = 1 (the usual default): only the owner
 * (or root) may link to a file, unless it is a regular file the caller can
 * read and write that is neither setuid nor setgid-executable.
 */
static bool may_hardlink(const struct vfs_ctx *ctx, const struct inode *inode)
{
	if (ctx->uid == 0 || ctx->uid == inode->uid)
		return true;
	if (!S_ISREG(inode->mode) || (inode->mode & S_ISUID) ||
	    (inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		return false;
	return inode_permission(ctx, inode, MAY_READ | MAY_WRITE) == 0;
}

int vfs_linkat(const struct vfs_ctx *ctx, struct file *olddirf, const char *oldpath,
	       struct file *newdirf, const char *newpath, int flags)
{
	struct nameidata_last nd;
	struct path old;
	struct dentry *dir, *d, *exist;
	struct inode *di, *oi;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = vfs_lookup(ctx, olddirf, oldpath,
			 ((flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0) |
			 ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0), &old);
	if (err)
		return err;
	err = vfs_lookup_parent(ctx, newdirf, newpath, &nd);
	if (err)
		goto fail_parent;
	spin_lock(&vfs_lock);
	dir = nd.parent.dentry;
	di = dir->inode;
	oi = old.dentry->inode;
	if (nd.lastlen == 0 || is_dot(nd.last, nd.lastlen) || is_dotdot(nd.last, nd.lastlen)) {
		err = -EEXIST;
		goto out;
	}
	err = vfs_lookup_child_locked(dir, nd.last, nd.lastlen, &exist);
	if (!err) {
		d_put_locked(exist);
		err = -EEXIST;
		goto out;
	}
	if (err != -ENOENT)
		goto out;
	if (nd.trailing) {
		err = -ENOENT;
		goto out;
	}
	if (old.mnt != nd.parent.mnt) {
		err = -EXDEV;
		goto out;
	}
	if (!may_hardlink(ctx, oi)) {
		err = -EPERM;
		goto out;
	}
	err = inode_permission(ctx, di, MAY_WRITE | MAY_EXEC);
	if (err)
		goto out;
	if (S_ISDIR(oi->mode)) {
		err = -EPERM;
		goto out;
	}
	if (oi->nlink == 0) {
		err = -ENOENT;
		goto out;
	}
	if (!di->iops || !di->iops->link) {
		err = -EPERM;
		goto out;
	}
	d = d_alloc(dir, nd.last, nd.lastlen);
	if (!d) {
		err = -ENOMEM;
		goto out;
	}
	err = di->iops->link(oi, di, d);
	if (err) {
		d_put_locked(d);
		goto out;
	}
	d_add_locked(dir, d);
	d_put_locked(d);
	touch_dir(di);
out:
	spin_unlock(&vfs_lock);
	nameidata_last_put(&nd);
fail_parent:
	path_put(&old);
	return err;
}

ssize_t vfs_readlinkat(const struct vfs_ctx *ctx, struct file *dirf, const char *path,
		       char *buf, size_t len)
{
	struct path p;
	struct inode *inode;
	ssize_t n;
	int err;

	if (len == 0 || len > (size_t)0x7fffffff)
		return -EINVAL;
	err = vfs_lookup(ctx, dirf, path, LOOKUP_EMPTY, &p);
	if (err)
		return err;
	inode = p.dentry->inode;
	if (!S_ISLNK(inode->mode) || !inode->iops || !inode->iops->readlink)
		n = -EINVAL;
	else {
		/* readlink hooks run under vfs_lock, as in path walks (namei.c). */
		spin_lock(&vfs_lock);
		n = inode->iops->readlink(inode, buf, len);
		spin_unlock(&vfs_lock);
	}
	path_put(&p);
	return n;
}

int vfs_bind(const struct vfs_ctx *ctx, const char *src, const char *dst)
{
	struct path s, d;
	int err;

	err = vfs_lookup(ctx, NULL, src, LOOKUP_FOLLOW, &s);
	if (err)
		return err;
	err = vfs_lookup(ctx, NULL, dst, LOOKUP_FOLLOW, &d);
	if (err)
		goto fail_dst;
	spin_lock(&vfs_lock);
	if (S_ISDIR(s.dentry->inode->mode) != S_ISDIR(d.dentry->inode->mode))
		err = S_ISDIR(d.dentry->inode->mode) ? -ENOTDIR : -EISDIR;
	else if (!mount_create_locked(&d, s.dentry))
		err = -ENOMEM;
	path_put_locked(&d);
	spin_unlock(&vfs_lock);
fail_dst:
	path_put(&s);
	return err;
}
