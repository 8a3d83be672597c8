/*
 * VFS object lifetime: inodes, dentries, mounts and the process-side
 * vfs_ctx (see kern/vfs.h for the model and lock rules).
 *
 * Reference rules: a dentry holds one reference on its inode and one on
 * its parent dentry; a linked dentry of a dcache_only file system holds
 * one on itself ("pin") until it is unlinked; a struct path holds one on
 * its dentry.  Mounts are never freed (there is no umount yet), so paths
 * do not count references on them.  When a dentry's count reaches zero it
 * is removed from its parent's list and freed, which may cascade upwards.
 *
 * vfs_lock is a spinlock for now; every allocation made under it uses
 * MEM_WAIT on the understanding that it becomes a sleeping lock when the
 * scheduler exists (the allocator does not sleep before that either).
 */
#include <kern/vfs.h>
#include <kern/dev.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <kern/init.h>
#ifndef HOST_UNIT_TEST
#include <kern/clock.h>
#endif

struct spinlock vfs_lock = SPINLOCK_INITIALIZER("vfs");
u64 (*vfs_now_ns)(void);

static struct mount *mount_list;	/* vfs_lock; newest first */
static struct mount *root_mount;

s64 vfs_now(void)
{
	if (vfs_now_ns)
		return (s64)vfs_now_ns();
#ifdef HOST_UNIT_TEST
	return 0;
#else
	return clock_realtime_ns();	/* the wall clock (time/clock.c) */
#endif
}

/* Fresh inode with one reference; NULL if memory is short (never with MEM_WAIT). */
struct inode *inode_alloc(struct super *sb, u32 mode)
{
	struct inode *inode = kzmalloc(sizeof(*inode), MEM_WAIT);
	s64 now = vfs_now();

	if (!inode)
		return NULL;
	inode->sb = sb;
	inode->ino = ++sb->next_ino;
	inode->mode = mode;
	inode->nlink = 1;
	inode->refcnt = 1;
	inode->atime = inode->mtime = inode->ctime = now;
	spinlock_init(&inode->lock, "inode");
	return inode;
}

void inode_get_locked(struct inode *inode)
{
	inode->refcnt++;
}

void inode_put_locked(struct inode *inode)
{
	assert(inode->refcnt > 0);
	if (--inode->refcnt)
		return;
	if (inode->sb->free_inode)
		inode->sb->free_inode(inode);
	kfree(inode);
}

/* New dentry named name[0..len) under parent (takes a parent ref); NULL on ENOMEM. */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d = kzmalloc(sizeof(*d) + len + 1, MEM_WAIT);

	if (!d)
		return NULL;
	d->name = d->iname;
	memcpy(d->name, name, len);
	d->name[len] = '\0';
	d->namelen = (u16)len;
	d->icap = (u16)(len + 1);
	d->refcnt = 1;
	d->next_cookie = 2;	/* 0 and 1 are "." and ".." */
	d->parent = parent;
	if (parent)
		parent->refcnt++;
	return d;
}

void d_get_locked(struct dentry *d)
{
	d->refcnt++;
}

static void d_remove_from_parent(struct dentry *d)
{
	struct dentry *p = d->parent;

	if (d->prev)
		d->prev->next = d->next;
	else
		p->child_head = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		p->child_tail = d->prev;
	d->next = d->prev = NULL;
	d->linked = false;
}

void d_put_locked(struct dentry *d)
{
	while (d) {
		struct dentry *parent = d->parent;

		assert(d->refcnt > 0);
		if (--d->refcnt)
			return;
		assert(!d->child_head && !d->mounted);
		if (d->linked)
			d_remove_from_parent(d);
		if (d->inode)
			inode_put_locked(d->inode);
		if (d->name != d->iname)
			kfree(d->name);
		kfree(d);
		d = parent;
	}
}

/* Link d (already holding d->inode) into parent's contents. */
static void d_link_tail(struct dentry *parent, struct dentry *d)
{
	d->cookie = parent->next_cookie++;
	d->prev = parent->child_tail;
	d->next = NULL;
	if (parent->child_tail)
		parent->child_tail->next = d;
	else
		parent->child_head = d;
	parent->child_tail = d;
	d->linked = true;
}

int d_reserve_name_locked(struct dentry *d, size_t len)
{
	char *nn;

	if (len + 1 <= d->icap)
		return 0;
	nn = kmalloc(len + 1, MEM_WAIT);
	if (!nn)
		return -ENOMEM;
	memcpy(nn, d->name, d->namelen + 1);
	if (d->name != d->iname)
		kfree(d->name);
	d->name = nn;
	d->icap = (u16)(len + 1);
	return 0;
}

int d_move_locked(struct dentry *d, struct dentry *newparent, const char *name, size_t len)
{
	struct dentry *oldparent = d->parent;
	int err = d_reserve_name_locked(d, len);

	if (err)
		return err;
	memcpy(d->name, name, len);
	d->name[len] = '\0';
	d->namelen = (u16)len;
	d_remove_from_parent(d);
	d->parent = newparent;
	newparent->refcnt++;
	d_link_tail(newparent, d);
	d_put_locked(oldparent);
	return 0;
}

bool d_dead_locked(const struct path *dir)
{
	return dir->dentry->inode->sb->dcache_only && !dir->dentry->linked &&
		dir->dentry->parent;
}

void d_add_locked(struct dentry *parent, struct dentry *d)
{
	d_link_tail(parent, d);
	if (d->inode->sb->dcache_only) {
		d->pinned = true;
		d->refcnt++;
	}
}

/* Remove d from the namespace; the caller still holds its own reference. */
void d_unlink_locked(struct dentry *d)
{
	if (d->linked)
		d_remove_from_parent(d);
	if (d->pinned) {
		d->pinned = false;
		d_put_locked(d);
	}
}

struct dentry *d_lookup_child_locked(struct dentry *parent, const char *name, size_t len)
{
	for (struct dentry *c = parent->child_head; c; c = c->next)
		if (c->namelen == len && !memcmp(c->name, name, len))
			return c;
	return NULL;
}

void path_get_locked(const struct path *p)
{
	d_get_locked(p->dentry);
}

void path_put_locked(const struct path *p)
{
	d_put_locked(p->dentry);
}

void path_get(const struct path *p)
{
	spin_lock(&vfs_lock);
	path_get_locked(p);
	spin_unlock(&vfs_lock);
}

void path_put(const struct path *p)
{
	spin_lock(&vfs_lock);
	path_put_locked(p);
	spin_unlock(&vfs_lock);
}

/* Stack rootd on mp (or make a detached tree if mp is NULL); NULL on ENOMEM. */
struct mount *mount_create_locked(const struct path *mp, struct dentry *rootd)
{
	struct mount *m = kzmalloc(sizeof(*m), MEM_WAIT);

	if (!m)
		return NULL;
	m->root = rootd;
	d_get_locked(rootd);
	if (mp) {
		m->parent = mp->mnt;
		m->mountpoint = mp->dentry;
		d_get_locked(mp->dentry);
		mp->dentry->mounted++;
		m->next = mount_list;
		mount_list = m;
	}
	return m;
}

struct mount *mount_lookup_locked(const struct path *p)
{
	if (!p->dentry->mounted)
		return NULL;
	for (struct mount *m = mount_list; m; m = m->next)
		if (m->parent == p->mnt && m->mountpoint == p->dentry)
			return m;
	return NULL;
}

void follow_mounts_locked(struct path *p)
{
	struct mount *m;

	while ((m = mount_lookup_locked(p))) {
		d_get_locked(m->root);
		d_put_locked(p->dentry);
		p->mnt = m;
		p->dentry = m->root;
	}
}

struct path vfs_root_path(void)
{
	struct path p = { root_mount, root_mount->root };

	return p;
}

/* A new fs_struct at root/cwd (references taken) with umask; NULL when memory is short. */
static struct fs_struct *fs_alloc(const struct fs_struct *from)
{
	struct fs_struct *fs = kzmalloc(sizeof(*fs), MEM_WAIT);

	if (!fs)
		return NULL;
	fs->refcnt = 1;
	spin_lock(&vfs_lock);
	fs->root = from ? from->root : vfs_root_path();
	fs->cwd = from ? from->cwd : fs->root;
	path_get_locked(&fs->root);
	path_get_locked(&fs->cwd);
	spin_unlock(&vfs_lock);
	fs->umask = from ? READ_ONCE(from->umask) : 022;
	return fs;
}

int vfs_ctx_init(struct vfs_ctx *ctx)
{
	ctx->uid = ctx->gid = 0;
	ctx->fs = fs_alloc(NULL);
	return ctx->fs ? 0 : -ENOMEM;
}

int vfs_ctx_copy(struct vfs_ctx *dst, const struct vfs_ctx *src)
{
	dst->uid = src->uid;
	dst->gid = src->gid;
	dst->fs = fs_alloc(src->fs);
	return dst->fs ? 0 : -ENOMEM;
}

void vfs_ctx_share(struct vfs_ctx *dst, const struct vfs_ctx *src)
{
	dst->uid = src->uid;
	dst->gid = src->gid;
	dst->fs = src->fs;
	__atomic_fetch_add(&dst->fs->refcnt, 1, __ATOMIC_RELAXED);
}

void vfs_ctx_put(struct vfs_ctx *ctx)
{
	struct fs_struct *fs = ctx->fs;

	ctx->fs = NULL;
	if (!fs || __atomic_sub_fetch(&fs->refcnt, 1, __ATOMIC_ACQ_REL))
		return;
	spin_lock(&vfs_lock);
	path_put_locked(&fs->root);
	path_put_locked(&fs->cwd);
	spin_unlock(&vfs_lock);
	kfree(fs);
}

u32 vfs_set_umask(struct vfs_ctx *ctx, u32 mask)
{
	return __atomic_exchange_n(&ctx->fs->umask, mask, __ATOMIC_RELAXED);
}

bool dir_emit(struct dir_ctx *dc, const char *name, size_t namelen, u64 ino, u8 type,
	      u64 next_pos)
{
	size_t reclen = ROUNDUP(__builtin_offsetof(struct linux_dirent64, d_name) + namelen + 1,
				8);
	struct linux_dirent64 *de;

	if (dc->len - dc->used < reclen) {
		dc->full = true;
		return false;
	}
	de = (struct linux_dirent64 *)((char *)dc->buf + dc->used);
	memset(de, 0, reclen);
	de->d_ino = ino;
	de->d_off = (s64)next_pos;
	de->d_reclen = (u16)reclen;
	de->d_type = type;
	memcpy(de->d_name, name, namelen);
	dc->used += reclen;
	dc->pos = next_pos;
	return true;
}

/* Create the ramfs root and the namespace root mount, then start devices; panics on failure. */
int vfs_init(void)
{
	struct dentry *root = ramfs_create_root();

	assert(root);
	spin_lock(&vfs_lock);
	root_mount = mount_create_locked(NULL, root);
	spin_unlock(&vfs_lock);
	assert(root_mount);
	devs_init();
	return 0;
}
initcall(vfs_init, core);
