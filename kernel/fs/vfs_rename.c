/*
 * rename/renameat2 with Linux's rules and check order: a file may replace
 * a file, a directory may replace an empty directory, nothing may move
 * into its own subtree (EINVAL) or over its own ancestor (ENOTEMPTY),
 * across mounts gives EXDEV, "." / ".." / "/" give
 * EBUSY, renaming onto another link of the same inode does nothing, and
 * RENAME_NOREPLACE turns replacement into EEXIST.  RENAME_EXCHANGE and
 * RENAME_WHITEOUT are not supported yet (EINVAL).
 */
#include <kern/vfs.h>
#include <kern/errno.h>

static bool is_special(const struct nameidata_last *nd)
{
	return nd->lastlen == 0 || (nd->lastlen == 1 && nd->last[0] == '.') ||
		(nd->lastlen == 2 && nd->last[0] == '.' && nd->last[1] == '.');
}

static bool sticky_ok(const struct vfs_ctx *ctx, struct inode *dir, struct inode *victim)
{
	return !(dir->mode & S_ISVTX) || ctx->uid == 0 || ctx->uid == victim->uid ||
		ctx->uid == dir->uid;
}

static bool is_ancestor(const struct dentry *ancestor, const struct dentry *d)
{
	for (; d; d = d->parent)
		if (d == ancestor)
			return true;
	return false;
}

/* The checks and the move, vfs_lock held; -errno on failure. */
static int rename_locked(const struct vfs_ctx *ctx, struct nameidata_last *on,
			 struct nameidata_last *nn, u32 flags)
{
	struct dentry *odir = on->parent.dentry, *ndir = nn->parent.dentry;
	struct inode *odi = odir->inode, *ndi = ndir->inode;
	struct dentry *od = NULL, *victim = NULL;
	bool isdir;
	int err;

	if (on->parent.mnt != nn->parent.mnt)
		return -EXDEV;
	if (is_special(on))
		return -EBUSY;
	if (is_special(nn))
		return (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	err = vfs_lookup_child_locked(odir, on->last, on->lastlen, &od);
	if (err)
		return err;
	isdir = S_ISDIR(od->inode->mode);
	err = vfs_lookup_child_locked(ndir, nn->last, nn->lastlen, &victim);
	if (err && err != -ENOENT)
		goto out;
	err = 0;
	if (victim && (flags & RENAME_NOREPLACE)) {
		err = -EEXIST;
		goto out;
	}
	if (!isdir && (on->trailing || nn->trailing)) {
		err = -ENOTDIR;
		goto out;
	}
	/* Linux's lock_rename "trap" checks come before the type checks. */
	if (is_ancestor(od, ndir)) {
		err = -EINVAL;	/* into its own subtree */
		goto out;
	}
	if (victim && is_ancestor(victim, odir)) {
		err = -ENOTEMPTY;	/* over an ancestor of the source */
		goto out;
	}
	if (victim && victim->inode == od->inode)
		goto out;	/* same file: nothing to do */
	/* Linux's may_delete(old), may_create/may_delete(new), then the ".." rule. */
	err = inode_permission(ctx, odi, MAY_WRITE | MAY_EXEC);
	if (err)
		goto out;
	if (!sticky_ok(ctx, odi, od->inode)) {
		err = -EPERM;
		goto out;
	}
	err = inode_permission(ctx, ndi, MAY_WRITE | MAY_EXEC);
	if (err)
		goto out;
	if (victim) {
		if (!sticky_ok(ctx, ndi, victim->inode)) {
			err = -EPERM;
			goto out;
		}
		if (isdir && !S_ISDIR(victim->inode->mode)) {
			err = -ENOTDIR;
			goto out;
		}
		if (!isdir && S_ISDIR(victim->inode->mode)) {
			err = -EISDIR;
			goto out;
		}
	}
	/* Moving a directory to a new parent rewrites its "..": needs write on it. */
	if (isdir && odir != ndir && inode_permission(ctx, od->inode, MAY_WRITE)) {
		err = -EACCES;
		goto out;
	}
	if (od->mounted || (victim && victim->mounted)) {
		err = -EBUSY;
		goto out;
	}
	if (victim && isdir && victim->child_head) {
		err = -ENOTEMPTY;
		goto out;
	}
	if (d_dead_locked(&nn->parent)) {
		err = -ENOENT;
		goto out;
	}
	if (!odi->iops || !odi->iops->rename || !ndi->iops || !ndi->iops->unlink) {
		err = -EPERM;
		goto out;
	}
	/* Nothing may fail after the victim is gone. */
	err = d_reserve_name_locked(od, nn->lastlen);
	if (err)
		goto out;
	if (victim) {
		err = ndi->iops->unlink(ndi, victim);
		if (err)
			goto out;
		d_unlink_locked(victim);
	}
	err = odi->iops->rename(odi, od, ndi, victim ? victim : od);
	if (!err)
		err = d_move_locked(od, ndir, nn->last, nn->lastlen);
	if (!err) {
		odi->mtime = odi->ctime = vfs_now();
		ndi->mtime = ndi->ctime = odi->mtime;
	}
out:
	if (victim)
		d_put_locked(victim);
	d_put_locked(od);
	return err;
}

int vfs_renameat2(const struct vfs_ctx *ctx, struct file *olddirf, const char *oldpath,
		  struct file *newdirf, const char *newpath, u32 flags)
{
	struct nameidata_last on, nn;
	int err;

	if (flags & ~(u32)RENAME_NOREPLACE)
		return -EINVAL;
	err = vfs_lookup_parent(ctx, olddirf, oldpath, &on);
	if (err)
		return err;
	err = vfs_lookup_parent(ctx, newdirf, newpath, &nn);
	if (err)
		goto fail_new;
	spin_lock(&vfs_lock);
	err = rename_locked(ctx, &on, &nn, flags);
	spin_unlock(&vfs_lock);
	nameidata_last_put(&nn);
fail_new:
	nameidata_last_put(&on);
	return err;
}
