/*
 * Generic device layer: turns the `struct dev` tables gathered in
 * .devtab into small VFS file systems, one per device, created on first
 * attach ("#name").  Device files become inodes whose qid field is the
 * device's file id; lookups call the device's walk, getdents its gen,
 * and stat refreshes the attributes from its stat.  Device dentries are
 * not authoritative (sb->dcache_only is false): they are cached while
 * in use and freed afterwards, so dynamic devices (#proc) stay fresh.
 *
 * Also the table-driven defaults, dev_read_buf() and the per-open
 * snapshots (dev_snap_*) for synthetic files.
 */
#include <kern/vfs.h>
#include <kern/dev.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>

#ifdef HOST_UNIT_TEST
extern const struct dev *const __start_devtab[], *const __stop_devtab[];
#define DEVTAB_BEGIN	__start_devtab
#define DEVTAB_END	__stop_devtab
#else
extern const struct dev *const __devtab_start[], *const __devtab_end[];
#define DEVTAB_BEGIN	__devtab_start
#define DEVTAB_END	__devtab_end
#endif

#define DEV_MAX	64
#define DEV_MAJOR_BASE	0x40	/* st_dev major numbers of devices */

/* Per-device runtime state, indexed like .devtab.  vfs_lock. */
struct dev_state {
	struct super sb;
	struct mount *mnt;
	struct dentry *root;
};
static struct dev_state dev_states[DEV_MAX];

static const struct inode_ops dev_iops;
static const struct file_ops dev_fops;

/* Linker-section bounds compared as integers: they are one array to the linker only. */
static size_t ndevs(void)
{
	return ((uintptr_t)DEVTAB_END - (uintptr_t)DEVTAB_BEGIN) / sizeof(DEVTAB_BEGIN[0]);
}

#define for_each_dev(p)							\
	for (const struct dev *const *p = DEVTAB_BEGIN; p != DEVTAB_BEGIN + ndevs(); p++)

void devs_init(void)
{
	size_t n = 0;

	for_each_dev(p) {
		n++;
		if ((*p)->init)
			(*p)->init();
	}
	assert(n <= DEV_MAX);
}

const struct dev *dev_find(const char *name, size_t len)
{
	for_each_dev(p)
		if (strlen((*p)->name) == len && !memcmp((*p)->name, name, len))
			return *p;
	return NULL;
}

int devwalk_tab(const struct dev *d, u64 dir, const char *name, size_t len,
		struct dev_dirent *out)
{
	if (dir != 0)
		return -ENOENT;
	for (size_t i = 0; i < d->ntab; i++)
		if (strlen(d->tab[i].name) == len && !memcmp(d->tab[i].name, name, len)) {
			*out = d->tab[i];
			return 0;
		}
	return -ENOENT;
}

int devgen_tab(const struct dev *d, u64 dir, int i, struct dev_dirent *out)
{
	if (dir != 0 || i < 0 || (size_t)i >= d->ntab)
		return -ENOENT;
	*out = d->tab[i];
	return 0;
}

int devstat_tab(const struct dev *d, u64 qid, struct dev_dirent *out)
{
	if (qid == 0) {
		out->name = d->name;
		out->qid = 0;
		out->mode = S_IFDIR | 0555;
		out->length = 0;
		return 0;
	}
	for (size_t i = 0; i < d->ntab; i++)
		if (d->tab[i].qid == qid) {
			*out = d->tab[i];
			return 0;
		}
	return -ENOENT;
}

static int dev_walk(const struct dev *d, u64 dir, const char *name, size_t len,
		    struct dev_dirent *out)
{
	return d->walk ? d->walk(dir, name, len, out) : devwalk_tab(d, dir, name, len, out);
}

static int dev_stat(const struct dev *d, u64 qid, struct dev_dirent *out)
{
	return d->stat ? d->stat(qid, out) : devstat_tab(d, qid, out);
}

/* New inode for device file de; NULL on ENOMEM. */
static struct inode *dev_inode(struct super *sb, const struct dev_dirent *de)
{
	struct inode *inode = inode_alloc(sb, de->mode);

	if (!inode)
		return NULL;
	inode->ino = de->qid + 1;	/* stable across lookups */
	inode->qid = de->qid;
	inode->size = de->length;
	inode->rdev = de->rdev;
	if (sb->device && sb->device->owner)
		sb->device->owner(de->qid, &inode->uid, &inode->gid);
	inode->iops = &dev_iops;
	inode->fops = &dev_fops;
	return inode;
}

int dev_attach_locked(const char *name, size_t len, struct path *out)
{
	const struct dev *d = dev_find(name, len);
	struct dev_state *st;
	struct dev_dirent de;
	struct inode *inode;

	if (!d)
		return -ENOENT;
	if (d->attach)
		return d->attach(out);
	st = dev_states;
	for_each_dev(p) {
		if (*p == d)
			break;
		st++;
	}
	if (!st->root) {
		struct dentry *root;
		struct mount *mnt;

		st->sb.dev = ABI_MKDEV(DEV_MAJOR_BASE, st - dev_states);
		st->sb.device = d;
		if (dev_stat(d, 0, &de))
			return -EIO;
		inode = dev_inode(&st->sb, &de);
		if (!inode)
			return -ENOMEM;
		root = d_alloc(NULL, d->name, strlen(d->name));
		if (!root) {
			inode_put_locked(inode);
			return -ENOMEM;
		}
		root->inode = inode;
		mnt = mount_create_locked(NULL, root);
		if (!mnt) {
			d_put_locked(root);	/* frees the dentry and its inode */
			return -ENOMEM;
		}
		/* Published only once complete: a failure above leaves no stale root. */
		st->root = root;
		st->mnt = mnt;
	}
	out->mnt = st->mnt;
	out->dentry = st->root;
	path_get_locked(out);
	return 0;
}

static int dev_lookup(struct inode *dir, struct dentry *dentry)
{
	const struct dev *d = dir->sb->device;
	struct dev_dirent de;
	int err = dev_walk(d, dir->qid, dentry->name, dentry->namelen, &de);

	if (err)
		return err;
	dentry->inode = dev_inode(dir->sb, &de);
	return dentry->inode ? 0 : -ENOMEM;
}

static int dev_setattr(struct inode *inode, const struct iattr *a)
{
	/* Device files ignore truncation (O_TRUNC on /dev/null) and keep fixed modes. */
	return (a->valid & ~(u32)(ATTR_SIZE | ATTR_ATIME | ATTR_MTIME | ATTR_CTIME)) ?
		-EPERM : 0;
}

/* Symlinks of dynamic devices (#proc/self...); vfs_lock held. */
static ssize_t dev_readlink(struct inode *inode, char *buf, size_t len)
{
	const struct dev *d = inode->sb->device;

	return d->readlink ? d->readlink(inode->qid, buf, len) : -EINVAL;
}

static const struct inode_ops dev_iops = {
	.lookup = dev_lookup,
	.setattr = dev_setattr,
	.readlink = dev_readlink,
};

/* Refresh inode attributes from the device (stat, called with vfs_lock). */
void dev_refresh_inode_locked(struct inode *inode)
{
	struct dev_dirent de;

	if (inode->sb->device && !dev_stat(inode->sb->device, inode->qid, &de)) {
		inode->size = de.length;
		inode->mode = de.mode;
		if (inode->sb->device->owner)
			inode->sb->device->owner(inode->qid, &inode->uid, &inode->gid);
	}
}

u64 dev_file_qid(const struct file *f)
{
	return f->inode->qid;
}

static int dev_open(struct file *f)
{
	const struct dev *d = f->inode->sb->device;

	return d->open ? d->open(f) : 0;
}

static void dev_release(struct file *f)
{
	const struct dev *d = f->inode->sb->device;

	if (d->close)
		d->close(f);
}

static ssize_t dev_read(struct file *f, void *buf, size_t n, u64 *off)
{
	const struct dev *d = f->inode->sb->device;
	ssize_t r;

	if (!d->read)
		return -EINVAL;
	r = d->read(f, buf, n, *off);
	if (r > 0)
		*off += (u64)r;
	return r;
}

static ssize_t dev_write(struct file *f, const void *buf, size_t n, u64 *off)
{
	const struct dev *d = f->inode->sb->device;
	ssize_t r;

	if (!d->write)
		return -EINVAL;
	r = d->write(f, buf, n, *off);
	if (r > 0)
		*off += (u64)r;
	return r;
}

static int dev_getdents(struct file *f, struct dir_ctx *dc)
{
	const struct dev *d = f->inode->sb->device;
	struct dev_dirent de;
	static const u8 dtype[16] = { [S_IFDIR >> 12] = DT_DIR, [S_IFREG >> 12] = DT_REG,
		[S_IFLNK >> 12] = DT_LNK, [S_IFCHR >> 12] = DT_CHR, [S_IFIFO >> 12] = DT_FIFO };

	spin_lock(&vfs_lock);
	for (u64 i = dc->pos - 2;; i++) {
		int err = d->gen ? d->gen(f->inode->qid, (int)i, &de) :
			devgen_tab(d, f->inode->qid, (int)i, &de);

		if (err)
			break;
		if (!dir_emit(dc, de.name, strlen(de.name), de.qid + 1,
			      dtype[(de.mode & S_IFMT) >> 12], i + 3))
			break;
	}
	spin_unlock(&vfs_lock);
	return 0;
}

static long dev_ioctl(struct file *f, u32 cmd, unsigned long arg)
{
	const struct dev *d = f->inode->sb->device;

	return d->ioctl ? d->ioctl(f, cmd, arg) : -ENOTTY;
}

static u32 dev_poll(struct file *f)
{
	const struct dev *d = f->inode->sb->device;

	return d->poll ? d->poll(f) : 0x5;	/* POLLIN | POLLOUT */
}

static const struct file_ops dev_fops = {
	.open = dev_open,
	.release = dev_release,
	.read = dev_read,
	.write = dev_write,
	.getdents = dev_getdents,
	.ioctl = dev_ioctl,
	.poll = dev_poll,
};

ssize_t dev_read_buf(void *dst, size_t n, u64 off, const void *src, size_t srclen)
{
	if (off >= srclen)
		return 0;
	if (n > srclen - off)
		n = srclen - (size_t)off;
	memcpy(dst, (const char *)src + off, n);
	return (ssize_t)n;
}

ssize_t dev_read_str(void *dst, size_t n, u64 off, const char *s)
{
	return dev_read_buf(dst, n, off, s, strlen(s));
}

/* Linux character device numbers that device nodes in the initramfs may carry. */
static const struct {
	u32 major, minor;
	const char *path;
} chrdevs[] = {
	{ 1, 3, "#null/null" },
	{ 1, 5, "#null/zero" },
	{ 1, 7, "#null/full" },
	{ 1, 8, "#null/random" },
	{ 1, 9, "#null/urandom" },
	{ 4, 64, "#cons/ttyS0" },
	{ 5, 0, "#cons/tty" },
	{ 5, 1, "#cons/cons" },
};

const char *chrdev_path(u64 rdev)
{
	for (size_t i = 0; i < ARRAY_SIZE(chrdevs); i++)
		if (ABI_MAJOR(rdev) == chrdevs[i].major && ABI_MINOR(rdev) == chrdevs[i].minor)
			return chrdevs[i].path;
	return NULL;
}

struct dev_snap {
	size_t len;
	char text[];
};

int dev_snap_open(struct file *f, size_t (*gen)(struct file *f, char *buf, size_t cap))
{
	size_t cap = 256;

	for (;;) {
		struct dev_snap *s = kmalloc(sizeof(*s) + cap, MEM_WAIT);
		size_t need;

		if (!s)
			return -ENOMEM;
		need = gen(f, s->text, cap);
		if (need <= cap) {
			s->len = need;
			f->priv = s;
			return 0;
		}
		kfree(s);
		cap = need;
	}
}

ssize_t dev_snap_read(struct file *f, void *buf, size_t n, u64 off)
{
	const struct dev_snap *s = f->priv;

	return s ? dev_read_buf(buf, n, off, s->text, s->len) : 0;
}

void dev_snap_close(struct file *f)
{
	kfree(f->priv);
	f->priv = NULL;
}
