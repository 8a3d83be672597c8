/*
 * ramfs: the writable in-memory root file system.  It is
 * dcache-authoritative: the dentry tree is the directory contents, so
 * lookups never reach ramfs and getdents walks the directory dentry's
 * children in creation order (the dentry cookie is the getdents offset,
 * so entries keep their position while others are added or removed).
 *
 * Regular file data lives in a vm_object (kern/vmobj.h) per inode: a
 * sparse array of pages that mmap maps directly (the page cache), with
 * its own lock; inode->size mirrors the object's size.  Symlink targets
 * are a kmalloc'd string.  Sizes and block counts follow Linux tmpfs, so
 * `ls -la` agrees with a host tmpfs: a directory's size is 40 plus 20
 * per entry, a file's st_blocks counts its allocated pages.  Device
 * nodes keep their rdev; file.c maps the known Linux numbers to #devices
 * when they are opened.  Writes and resizes obey the file's seals (kept
 * in its vm_object, set through fcntl F_ADD_SEALS: mm/memfd.c).
 * fallocate follows tmpfs: allocation (growing the file unless
 * FALLOC_FL_KEEP_SIZE) and FALLOC_FL_PUNCH_HOLE; other modes are
 * -EOPNOTSUPP.
 */
#include <kern/vfs.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/vmobj.h>
#include <kern/memlayout.h>

#define DIRENT_BOGO	20	/* tmpfs's per-entry directory size */

/* Account one entry more (+1) or less (-1) in dir's size. */
static void dir_entries(struct inode *dir, int delta)
{
	dir->size += (u64)(s64)(delta * DIRENT_BOGO);
}

/* st_blocks: 512-byte units of allocated pages, 0 for everything but files. */
static u64 ramfs_blocks(struct inode *inode)
{
	struct vm_object *o = inode->priv;
	u64 n = 0;

	if (!S_ISREG(inode->mode) || !o)
		return 0;
	spin_lock(&o->lock);
	for (size_t i = 0; i < o->cap; i++)
		n += o->pages[i] != NULL;
	spin_unlock(&o->lock);
	return n * (PGSIZE / 512);
}

static void ramfs_free_inode(struct inode *inode)
{
	if (S_ISREG(inode->mode) && inode->priv) {
		vmo_put(inode->priv);
	} else if (S_ISLNK(inode->mode)) {
		kfree(inode->priv);
	}
}

static struct super ramfs_sb = {
	.dev = ABI_MKDEV(0, 1),
	.dcache_only = true,
	.free_inode = ramfs_free_inode,
	.blocks = ramfs_blocks,
};

static const struct inode_ops ramfs_dir_iops;
static const struct inode_ops ramfs_iops;
static const struct file_ops ramfs_dir_fops;

/* Set the file size, zero-filling growth; -EPERM (seals) or -errno on failure.  vfs_lock held. */
static int ramfs_resize(struct inode *inode, u64 size)
{
	struct vm_object *o = inode->priv;
	u64 old;
	int err;

	spin_lock(&o->lock);
	old = o->size;
	err = __vmo_seal_resize(o, size);
	if (!err)
		err = __vmo_resize(o, size);
	if (!err)
		inode->size = size;
	spin_unlock(&o->lock);
#ifndef HOST_UNIT_TEST
	if (!err && size < old)
		vmo_unmap_beyond(o, ROUNDUP(size, PGSIZE) / PGSIZE);
#else
	(void)old;
#endif
	return err;
}

static int ramfs_mknod(struct inode *dir, struct dentry *d, u32 mode, u64 rdev)
{
	struct inode *inode = inode_alloc(&ramfs_sb, mode);

	if (!inode)
		return -ENOMEM;
	inode->rdev = rdev;
	inode->iops = &ramfs_iops;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		inode->iops = &ramfs_dir_iops;
		inode->fops = &ramfs_dir_fops;
		inode->nlink = 2;
		inode->size = 2 * DIRENT_BOGO;
		dir->nlink++;
		break;
	case S_IFREG:
		inode->fops = &ramfs_file_ops;
		inode->priv = vmo_create(0);
		if (!inode->priv) {
			inode_put_locked(inode);
			return -ENOMEM;
		}
		break;
	default:
		break;
	}
	d->inode = inode;
	dir_entries(dir, 1);
	return 0;
}

int ramfs_new_file_locked(struct dentry *d, u32 mode)
{
	struct inode *inode = inode_alloc(&ramfs_sb, S_IFREG | (mode & 07777));

	if (!inode)
		return -ENOMEM;
	inode->iops = &ramfs_iops;
	inode->fops = &ramfs_file_ops;
	inode->nlink = 0;	/* in no directory */
	inode->priv = vmo_create(0);
	if (!inode->priv) {
		inode_put_locked(inode);
		return -ENOMEM;
	}
	d->inode = inode;
	return 0;
}

static int ramfs_symlink(struct inode *dir, struct dentry *d, const char *target)
{
	size_t len = strlen(target);
	struct inode *inode = inode_alloc(&ramfs_sb, S_IFLNK | 0777);

	if (!inode)
		return -ENOMEM;
	inode->iops = &ramfs_iops;
	inode->priv = kmalloc(len + 1, MEM_WAIT);
	if (!inode->priv) {
		inode_put_locked(inode);
		return -ENOMEM;
	}
	memcpy(inode->priv, target, len + 1);
	inode->size = len;
	d->inode = inode;
	dir_entries(dir, 1);
	return 0;
}

static int ramfs_link(struct inode *inode, struct inode *dir, struct dentry *d)
{
	inode->nlink++;
	inode->ctime = vfs_now();
	inode_get_locked(inode);
	d->inode = inode;
	dir_entries(dir, 1);
	return 0;
}

static int ramfs_unlink(struct inode *dir, struct dentry *d)
{
	struct inode *inode = d->inode;

	if (S_ISDIR(inode->mode)) {
		inode->nlink = 0;
		dir->nlink--;
	} else {
		inode->nlink--;
	}
	dir_entries(dir, -1);
	inode->ctime = vfs_now();
	return 0;
}

static int ramfs_rename(struct inode *odir, struct dentry *od, struct inode *ndir,
			struct dentry *nd)
{
	if (S_ISDIR(od->inode->mode) && odir != ndir) {
		odir->nlink--;
		ndir->nlink++;
	}
	dir_entries(odir, -1);
	dir_entries(ndir, 1);
	od->inode->ctime = vfs_now();
	return 0;
}

static ssize_t ramfs_readlink(struct inode *inode, char *buf, size_t len)
{
	size_t n = MIN(len, (size_t)inode->size);

	memcpy(buf, inode->priv, n);
	return (ssize_t)n;
}

/* -EPERM if a mode change of a regular file touches exec bits under F_SEAL_EXEC. */
static int exec_sealed(struct inode *inode, const struct iattr *a)
{
	struct vm_object *o = inode->priv;
	bool sealed;

	if (!(a->valid & ATTR_MODE) || !S_ISREG(inode->mode) || !((inode->mode ^ a->mode) & 0111))
		return 0;
	spin_lock(&o->lock);
	sealed = o->seals & F_SEAL_EXEC;
	spin_unlock(&o->lock);
	return sealed ? -EPERM : 0;
}

static int ramfs_setattr(struct inode *inode, const struct iattr *a)
{
	int err = exec_sealed(inode, a);

	if (err)
		return err;
	if (a->valid & ATTR_SIZE) {
		if (!S_ISREG(inode->mode))
			return S_ISDIR(inode->mode) ? -EISDIR : -EINVAL;
		err = ramfs_resize(inode, a->size);
		if (err)
			return err;
	}
	if (a->valid & ATTR_MODE)
		inode->mode = (inode->mode & S_IFMT) | (a->mode & 07777);
	if (a->valid & ATTR_UID)
		inode->uid = a->uid;
	if (a->valid & ATTR_GID)
		inode->gid = a->gid;
	if (a->valid & ATTR_ATIME)
		inode->atime = a->atime;
	if (a->valid & ATTR_MTIME)
		inode->mtime = a->mtime;
	if (a->valid & ATTR_CTIME)
		inode->ctime = a->ctime;
	return 0;
}

static const struct inode_ops ramfs_dir_iops = {
	.mknod = ramfs_mknod,
	.symlink = ramfs_symlink,
	.link = ramfs_link,
	.unlink = ramfs_unlink,
	.rename = ramfs_rename,
	.setattr = ramfs_setattr,
};

static const struct inode_ops ramfs_iops = {
	.readlink = ramfs_readlink,
	.setattr = ramfs_setattr,
};

static ssize_t ramfs_read(struct file *f, void *buf, size_t n, u64 *off)
{
	struct inode *inode = f->inode;
	struct vm_object *o = inode->priv;

	spin_lock(&o->lock);
	n = __vmo_read(o, buf, n, *off);
	spin_unlock(&o->lock);
	*off += n;
	inode->atime = vfs_now();
	return (ssize_t)n;
}

static ssize_t ramfs_write(struct file *f, const void *buf, size_t n, u64 *off)
{
	struct inode *inode = f->inode;
	struct vm_object *o = inode->priv;
	int err;

	if (!n)
		return 0;	/* Linux: no seal or size effect */
	spin_lock(&o->lock);
	if (f->flags & O_APPEND)
		*off = o->size;
	err = __vmo_seal_write(o, *off, &n);
	if (!err)
		err = __vmo_write(o, buf, n, *off);
	inode->size = o->size;
	spin_unlock(&o->lock);
	if (err)
		return err;
	*off += n;
	inode->mtime = inode->ctime = vfs_now();
	return (ssize_t)n;
}

/*
 * tmpfs's fallocate: PUNCH_HOLE (with KEEP_SIZE) frees [off, off + len),
 * else the range gets pages and, without KEEP_SIZE, the file grows over
 * it.  -EOPNOTSUPP (other modes), -EPERM (seals), -EFBIG (growing past
 * limit or VMO_MAX_SIZE, even with KEEP_SIZE), -ENOMEM (nothing added).
 */
static int ramfs_fallocate(struct file *f, int mode, u64 off, u64 len, u64 limit)
{
	struct inode *inode = f->inode;
	struct vm_object *o = inode->priv;
	u64 end = off + len;
	int err;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		err = vmo_punch(o, off, end);
		goto out;
	}
	spin_lock(&o->lock);
	if (end > o->size && (end > limit || end > VMO_MAX_SIZE))
		err = -EFBIG;
	else if (end > o->size && (o->seals & F_SEAL_GROW))
		err = -EPERM;
	else
		err = __vmo_alloc_range(o, off / PGSIZE, ROUNDUP(end, PGSIZE) / PGSIZE);
	if (!err && !(mode & FALLOC_FL_KEEP_SIZE) && end > o->size)
		err = __vmo_resize(o, end);
	inode->size = o->size;
	spin_unlock(&o->lock);
out:
	if (!err)
		inode->mtime = inode->ctime = vfs_now();
	return err;
}

/* The page cache object of an open ramfs regular file, or NULL for other files. */
struct vm_object *ramfs_file_object(struct file *f)
{
	if (f->fops != &ramfs_file_ops || !S_ISREG(f->inode->mode))
		return NULL;
	return f->inode->priv;
}

const struct file_ops ramfs_file_ops = {
	.read = ramfs_read,
	.write = ramfs_write,
	.fallocate = ramfs_fallocate,
};

static u8 mode_to_dtype(u32 mode)
{
	return (u8)((mode & S_IFMT) >> 12);	/* DT_* are the S_IFMT bits shifted */
}

static int ramfs_getdents(struct file *f, struct dir_ctx *dc)
{
	struct dentry *dir = f->path.dentry;

	spin_lock(&vfs_lock);
	for (struct dentry *c = dir->child_head; c; c = c->next) {
		if (c->cookie < dc->pos)
			continue;
		if (!dir_emit(dc, c->name, c->namelen, c->inode->ino,
			      mode_to_dtype(c->inode->mode), c->cookie + 1))
			break;
	}
	spin_unlock(&vfs_lock);
	return 0;
}

static const struct file_ops ramfs_dir_fops = {
	.getdents = ramfs_getdents,
};

/* Root directory of the (single) ramfs, with a reference for the caller. */
struct dentry *ramfs_create_root(void)
{
	struct inode *inode = inode_alloc(&ramfs_sb, S_IFDIR | 0755);
	struct dentry *d;

	if (!inode)
		return NULL;
	inode->iops = &ramfs_dir_iops;
	inode->fops = &ramfs_dir_fops;
	inode->nlink = 2;
	inode->size = 2 * DIRENT_BOGO;
	d = d_alloc(NULL, "/", 1);
	if (!d) {
		spin_lock(&vfs_lock);
		inode_put_locked(inode);
		spin_unlock(&vfs_lock);
		return NULL;
	}
	d->inode = inode;
	return d;
}
