/*
 * Path resolution (namei) with Linux's rules: "." and "..", repeated
 * slashes, symlinks (at most MAXSYMLINKS = 40 per resolution, ELOOP
 * beyond), trailing slashes (the final component must then be a
 * directory, and a final symlink is followed), search permission on
 * every directory walked (EACCES), ENOTDIR for a non-directory in the
 * middle, ENAMETOOLONG for a component over NAME_MAX or a path of
 * PATH_MAX bytes or more.  ".." never leaves the caller's root, and at
 * the root of a bound tree it continues from the bind point.
 *
 * Plan 9 device paths: a path (or symlink target) starting with '#name'
 * starts at device name's root (dev_attach), e.g. "#null/zero".
 *
 * Resolution works on a private copy of the path; a symlink replaces the
 * consumed prefix by its target (target + rest), so nothing recurses.
 * The walk holds vfs_lock throughout; struct paths it returns carry a
 * dentry reference.
 */
#include <kern/vfs.h>
#include <kern/dev.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>

/* 0 if ctx may access inode with mask (MAY_*), else -EACCES; uid 0 bypasses like Linux. */
int inode_permission(const struct vfs_ctx *ctx, const struct inode *inode, int mask)
{
	u32 mode = inode->mode, perm;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (ctx->uid == 0) {
		if (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & 0111))
			return 0;
		return -EACCES;
	}
	if (ctx->uid == inode->uid)
		perm = mode >> 6;
	else if (ctx->gid == inode->gid)
		perm = mode >> 3;
	else
		perm = mode;
	return ((perm & (u32)mask) == (u32)mask) ? 0 : -EACCES;
}

/* Set *cur (with a reference) to where a path starting at p begins; -errno on failure. */
static int start_at_locked(const struct vfs_ctx *ctx, struct file *dirf, const char **pp,
			   struct path *cur)
{
	const char *p = *pp;

	if (*p == '/') {
		*cur = ctx->fs->root;
	} else if (*p == '#') {
		size_t len = 1;
		int err;

		while (p[len] && p[len] != '/')
			len++;
		err = dev_attach_locked(p + 1, len - 1, cur);
		if (err)
			return err;
		*pp = p + len;
		return 0;
	} else if (dirf) {
		if (*p && !S_ISDIR(dirf->inode->mode))
			return -ENOTDIR;
		*cur = dirf->path;
	} else {
		*cur = ctx->fs->cwd;
	}
	path_get_locked(cur);
	return 0;
}

/* ".." from *cur: stays at ctx's root and at detached roots, crosses bind points. */
static void step_up_locked(const struct vfs_ctx *ctx, struct path *cur)
{
	for (;;) {
		if (cur->mnt == ctx->fs->root.mnt && cur->dentry == ctx->fs->root.dentry)
			return;
		if (cur->dentry != cur->mnt->root) {
			struct dentry *parent = cur->dentry->parent;

			if (!parent)
				return;
			d_get_locked(parent);
			d_put_locked(cur->dentry);
			cur->dentry = parent;
			follow_mounts_locked(cur);
			return;
		}
		if (!cur->mnt->parent)
			return;
		d_get_locked(cur->mnt->mountpoint);
		d_put_locked(cur->dentry);
		cur->dentry = cur->mnt->mountpoint;
		cur->mnt = cur->mnt->parent;
	}
}

/* Child name of dir (referenced dentry) in *out; -ENOENT etc. */
int vfs_lookup_child_locked(struct dentry *dir, const char *name, size_t len,
			       struct dentry **out)
{
	struct dentry *c = d_lookup_child_locked(dir, name, len);
	struct inode *di = dir->inode;
	int err;

	if (c) {
		d_get_locked(c);
		*out = c;
		return 0;
	}
	if (di->sb->dcache_only || !di->iops || !di->iops->lookup)
		return -ENOENT;
	c = d_alloc(dir, name, len);
	if (!c)
		return -ENOMEM;
	err = di->iops->lookup(di, c);
	if (err) {
		d_put_locked(c);
		return err;
	}
	d_add_locked(dir, c);
	*out = c;
	return 0;
}

/* Replace the consumed part of *bufp by the target of link; rest is what follows. */
static int expand_symlink_locked(struct inode *link, char **bufp, const char **pp)
{
	size_t restlen = strlen(*pp), tlen;
	char *nb = kmalloc(PATH_MAX + 1, MEM_WAIT);
	ssize_t n;

	if (!nb)
		return -ENOMEM;
	n = link->iops && link->iops->readlink ? link->iops->readlink(link, nb, PATH_MAX) :
		-EINVAL;
	if (n <= 0) {
		kfree(nb);
		return n < 0 ? (int)n : -ENOENT;
	}
	tlen = (size_t)n;
	if (tlen + restlen >= PATH_MAX) {
		kfree(nb);
		return -ENAMETOOLONG;
	}
	memcpy(nb + tlen, *pp, restlen + 1);
	kfree(*bufp);
	*bufp = nb;
	*pp = nb;
	return 0;
}

/*
 * The walker.  With nd == NULL resolve the whole path into *out; with nd
 * stop before the last component and describe it in nd.
 */
static int walk_locked(const struct vfs_ctx *ctx, struct file *dirf, const char *path,
		       int flags, struct path *out, struct nameidata_last *nd)
{
	struct path cur;
	char *buf;
	const char *p;
	int nlinks = 0, err;
	bool trailing = false;
	size_t plen = strnlen(path, PATH_MAX);

	if (plen >= PATH_MAX)
		return -ENAMETOOLONG;
	if (plen == 0 && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	buf = kmalloc(PATH_MAX + 1, MEM_WAIT);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, path, plen + 1);
	p = buf;
	err = start_at_locked(ctx, dirf, &p, &cur);
	if (err)
		goto fail_start;
	for (;;) {
		const char *name, *after, *q;
		struct dentry *child;
		size_t len = 0;
		bool is_last;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		name = p;
		while (name[len] && name[len] != '/')
			len++;
		after = name + len;
		for (q = after; *q == '/'; q++)
			;
		is_last = !*q;
		trailing = is_last && *after == '/';
		if (!S_ISDIR(cur.dentry->inode->mode)) {
			err = -ENOTDIR;
			goto fail;
		}
		err = inode_permission(ctx, cur.dentry->inode, MAY_EXEC);
		if (err)
			goto fail;
		if (is_last && nd) {
			if (len > NAME_MAX) {
				err = -ENAMETOOLONG;
				goto fail;
			}
			nd->parent = cur;
			nd->last = name;
			nd->lastlen = len;
			nd->trailing = trailing;
			nd->buf = buf;
			return 0;
		}
		if (len > NAME_MAX) {
			err = -ENAMETOOLONG;
			goto fail;
		}
		p = after;
		if (len == 1 && name[0] == '.')
			continue;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			step_up_locked(ctx, &cur);
			continue;
		}
		err = vfs_lookup_child_locked(cur.dentry, name, len, &child);
		if (err)
			goto fail;
		if (S_ISLNK(child->inode->mode) &&
		    (!is_last || (flags & LOOKUP_FOLLOW) || trailing)) {
			if (++nlinks > MAXSYMLINKS) {
				d_put_locked(child);
				err = -ELOOP;
				goto fail;
			}
			err = expand_symlink_locked(child->inode, &buf, &p);
			d_put_locked(child);
			if (err)
				goto fail;
			if (*p == '/' || *p == '#') {
				struct path next;

				err = start_at_locked(ctx, NULL, &p, &next);
				if (err)
					goto fail;
				path_put_locked(&cur);
				cur = next;
			}
			continue;
		}
		{
			struct path next = { cur.mnt, child };

			follow_mounts_locked(&next);
			path_put_locked(&cur);
			cur = next;
		}
	}
	if (nd) {
		/* No last component ("/", "a/.", "#dev"): the parent is the result. */
		nd->parent = cur;
		nd->last = p;
		nd->lastlen = 0;
		nd->trailing = false;
		nd->buf = buf;
		return 0;
	}
	if (((flags & LOOKUP_DIRECTORY) || trailing) && !S_ISDIR(cur.dentry->inode->mode)) {
		err = -ENOTDIR;
		goto fail;
	}
	kfree(buf);
	if (out)
		*out = cur;
	else
		path_put_locked(&cur);
	return 0;
fail:
	path_put_locked(&cur);
fail_start:
	kfree(buf);
	return err;
}

int vfs_lookup(const struct vfs_ctx *ctx, struct file *dirf, const char *path, int flags,
	       struct path *out)
{
	int err;

	spin_lock(&vfs_lock);
	err = walk_locked(ctx, dirf, path, flags, out, NULL);
	spin_unlock(&vfs_lock);
	return err;
}

int vfs_lookup_parent(const struct vfs_ctx *ctx, struct file *dirf, const char *path,
		      struct nameidata_last *nd)
{
	int err;

	spin_lock(&vfs_lock);
	err = walk_locked(ctx, dirf, path, 0, NULL, nd);
	spin_unlock(&vfs_lock);
	return err;
}

/* Callers of vfs_lookup_parent hold vfs_lock again when they use nd; this drops it all. */
void nameidata_last_put(struct nameidata_last *nd)
{
	path_put(&nd->parent);
	kfree(nd->buf);
	nd->buf = NULL;
}

ssize_t vfs_getcwd(const struct vfs_ctx *ctx, char *buf, size_t len)
{
	struct path cur;
	char *tmp = kmalloc(PATH_MAX, MEM_WAIT);
	size_t pos = PATH_MAX - 1, n;
	ssize_t ret;

	if (!tmp)
		return -ENOMEM;
	tmp[pos] = '\0';
	spin_lock(&vfs_lock);
	cur = ctx->fs->cwd;
	if (d_dead_locked(&cur)) {
		ret = -ENOENT;
		goto out;
	}
	while (!(cur.mnt == ctx->fs->root.mnt && cur.dentry == ctx->fs->root.dentry)) {
		if (cur.dentry == cur.mnt->root) {
			if (!cur.mnt->parent)
				break;
			cur.dentry = cur.mnt->mountpoint;
			cur.mnt = cur.mnt->parent;
			continue;
		}
		n = cur.dentry->namelen;
		if (pos < n + 1) {
			ret = -ENAMETOOLONG;
			goto out;
		}
		pos -= n;
		memcpy(tmp + pos, cur.dentry->name, n);
		tmp[--pos] = '/';
		cur.dentry = cur.dentry->parent;
	}
	if (pos == PATH_MAX - 1)
		tmp[--pos] = '/';
	n = PATH_MAX - pos;	/* with the NUL */
	if (n > len) {
		ret = -ERANGE;
		goto out;
	}
	memcpy(buf, tmp + pos, n);
	ret = (ssize_t)n;
out:
	spin_unlock(&vfs_lock);
	kfree(tmp);
	return ret;
}

#define DELETED		" (deleted)"

/*
 * Name of p as seen from root, written into buf (NUL-terminated); returns
 * the length without the NUL, or -ENAMETOOLONG.  A position outside root
 * in a detached tree (a '#device' opened by name) reads "#dev/rest"; an
 * unlinked ramfs file gets Linux's " (deleted)" suffix; an anonymous file
 * (no mount: pipes, anon_inode files) is its dentry's name ("pipe:[N]").  vfs_lock held; never allocates (used by #proc under other spinlocks).
 */
ssize_t d_path_locked(const struct path *root, const struct path *p, char *buf, size_t len)
{
	struct path cur = *p;
	size_t pos = len, n;
	bool dev = false;

	if (len < 2)
		return -ENAMETOOLONG;
	if (!p->mnt) {
		/* An anonymous file (pipe, eventfd...): its dentry's name is the whole name. */
		n = p->dentry->namelen;
		if (n + 1 > len)
			return -ENAMETOOLONG;
		memcpy(buf, p->dentry->name, n);
		buf[n] = '\0';
		return (ssize_t)n;
	}
	buf[--pos] = '\0';
	while (!(cur.mnt == root->mnt && cur.dentry == root->dentry)) {
		if (cur.dentry == cur.mnt->root) {
			if (!cur.mnt->parent) {
				dev = cur.dentry->parent == NULL && cur.mnt != root->mnt;
				break;
			}
			cur.dentry = cur.mnt->mountpoint;
			cur.mnt = cur.mnt->parent;
			continue;
		}
		n = cur.dentry->namelen;
		if (pos < n + 1)
			return -ENAMETOOLONG;
		pos -= n;
		memcpy(buf + pos, cur.dentry->name, n);
		buf[--pos] = '/';
		cur.dentry = cur.dentry->parent;
	}
	if (dev) {
		n = cur.dentry->namelen;
		if (pos < n + 1)
			return -ENAMETOOLONG;
		pos -= n;
		memcpy(buf + pos, cur.dentry->name, n);
		buf[--pos] = '#';
	} else if (pos == len - 1) {
		buf[--pos] = '/';
	}
	n = len - 1 - pos;
	memmove(buf, buf + pos, n + 1);
	if (d_dead_locked(p)) {
		if (n + sizeof(DELETED) > len)
			return -ENAMETOOLONG;
		memcpy(buf + n, DELETED, sizeof(DELETED));
		n += sizeof(DELETED) - 1;
	}
	return (ssize_t)n;
}

ssize_t vfs_file_path(const struct file *f, char *buf, size_t len)
{
	struct path root = vfs_root_path();
	ssize_t n;

	spin_lock(&vfs_lock);
	n = d_path_locked(&root, &f->path, buf, len);
	spin_unlock(&vfs_lock);
	return n;
}
