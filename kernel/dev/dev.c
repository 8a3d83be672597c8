/*
 * Generic device layer: turns the `struct dev` tables gathered in
 * .devtab into small VFS file systems, one per attached instance
 * ("#name" or "#name.spec"), each made on first attach and kept.  Device
 * files become inodes whose qid field is the device's file id; lookups,
 * getdents and stat all ask the device's one generator (gen, or the
 * Dirtab generator dev_gen_tab), as 9front's devwalk/devdirread/devstat
 * do.  Device dentries are not authoritative (sb->dcache_only is false):
 * they are cached while in use and freed afterwards, so dynamic devices
 * (#proc) stay fresh.
 *
 * Synthetic text files: at open the device's text hook builds the whole
 * contents into a slice, published (frozen) into f->priv; reads at any
 * offset are served from it and close drops it.
 *
 * Locking: the instance list and everything an instance holds are
 * protected by vfs_lock, and so are gen and readlink calls.
 */
#include <kern/vfs.h>
#include <kern/dev.h>
#include <kern/slice.h>
#include <kern/poll.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include "internal.h"

#define DEV_MAX		64	/* devices in .devtab: st_dev minors of the "#name" instances */
#define DEV_MAJOR_BASE	0x40	/* st_dev major of device file systems */
#define DEV_NUM_MAX	(1 << 24)	/* a spec at or above this is not a number */

/* An attached instance: its super block, detached mount and root. */
struct dev_mount {
	struct dev_instance inst;
	struct super sb;
	struct mount *mnt;		/* NULL for attach_path devices */
	struct dentry *root;
	struct dev_mount *next;
};
static struct dev_mount *dev_mounts;		/* vfs_lock */
static u32 next_spec_minor = DEV_MAX;		/* vfs_lock: st_dev minors of "#name.spec" */

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

/* Position of d in .devtab (the st_dev minor of its "#name" instance). */
static u32 dev_index(const struct dev *d)
{
	u32 i = 0;

	for_each_dev(p) {
		if (*p == d)
			break;
		i++;
	}
	return i;
}

/* The instance a device super block belongs to (never fails). */
static const struct dev_mount *sb_mount(const struct super *sb)
{
	return container_of(sb, struct dev_mount, sb);
}

/* The root directory's entry of a device without one in its generator. */
static void root_dirent(const struct dev_instance *di, struct dev_dirent *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", di->dev->name);
	out->mode = S_IFDIR | 0555;
}

int dev_gen_tab(const struct dev_instance *di, u64 dir, const char *name, int i,
		struct dev_dirent *out)
{
	const struct dev *d = di->dev;

	(void)name;	/* a table is short: the walker compares every name */
	if (i == DEV_GEN_SELF) {
		if (dir == 0) {
			root_dirent(di, out);
			return 0;
		}
		for (size_t k = 0; k < d->ntab; k++)
			if (d->tab[k].qid == dir) {
				*out = d->tab[k];
				return 0;
			}
		return -ENOENT;
	}
	if (dir != 0 || i < 0 || (size_t)i >= d->ntab)
		return -ENOENT;
	*out = d->tab[i];
	return 0;
}

/* The device's generator, or the Dirtab one: 0 or -errno. */
static int dev_gen(const struct dev_instance *di, u64 dir, const char *name, int i,
		   struct dev_dirent *out)
{
	return di->dev->gen ? di->dev->gen(di, dir, name, i, out) :
		dev_gen_tab(di, dir, name, i, out);
}

/* Entry name[0..len) of directory dir: 0, -ENOENT or the generator's error. */
static int dev_walk(const struct dev_instance *di, u64 dir, const char *name, size_t len,
		    struct dev_dirent *out)
{
	char want[DEV_NAMELEN];

	if (len >= sizeof(want))
		return -ENOENT;
	memcpy(want, name, len);
	want[len] = '\0';
	for (int i = 0;; i++) {
		int r = dev_gen(di, dir, want, i, out);

		if (r)
			return r;
		if (!strcmp(out->name, want))
			return 0;
	}
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
	inode->uid = de->uid;
	inode->gid = de->gid;
	inode->iops = &dev_iops;
	inode->fops = &dev_fops;
	return inode;
}

/*
 * Split "name" or "name.spec" (len bytes) into the device and the
 * canonical spec ("0" is ""), *num its value or -1; 0 or -ENOENT.
 */
static int parse_attach(const char *s, size_t len, const struct dev **d,
			char spec[DEV_SPECLEN], int *num)
{
	size_t nlen = 0, slen;
	const char *sp;
	long v = 0;

	while (nlen < len && s[nlen] != '.')
		nlen++;
	*d = dev_find(s, nlen);
	if (!*d)
		return -ENOENT;
	spec[0] = '\0';
	*num = 0;
	if (nlen == len)
		return 0;
	sp = s + nlen + 1;
	slen = len - nlen - 1;
	if (slen == 0 || slen >= DEV_SPECLEN)
		return -ENOENT;
	memcpy(spec, sp, slen);
	spec[slen] = '\0';
	for (size_t k = 0; k < slen && v >= 0; k++)
		v = (sp[k] >= '0' && sp[k] <= '9') ? v * 10 + (sp[k] - '0') : -1;
	if (v >= DEV_NUM_MAX || (slen > 1 && sp[0] == '0'))
		v = -1;
	*num = (int)v;
	if (v == 0)
		spec[0] = '\0';
	return 0;
}

/*
 * Make instance spec of d: accepted by the device, then given a super
 * block and, unless it is an existing tree, a root inode, dentry and
 * detached mount.  Published in dev_mounts only once complete, so a
 * failure leaves nothing behind.  0, the attach hook's error, -ENOMEM or
 * -EIO (no root from the generator).
 */
static int instance_create_locked(const struct dev *d, const char *spec, int num,
				  struct dev_mount **out)
{
	struct dev_mount *m = kzmalloc(sizeof(*m), MEM_WAIT);
	char rootname[DEV_NAMELEN + DEV_SPECLEN];
	struct dev_dirent de;
	struct inode *inode;
	struct dentry *root;
	int err;

	if (!m)
		return -ENOMEM;
	m->inst.dev = d;
	snprintf(m->inst.spec, sizeof(m->inst.spec), "%s", spec);
	m->inst.num = num;
	err = d->attach ? d->attach(&m->inst) : (spec[0] ? -ENOENT : 0);
	if (err)
		goto out_free;
	m->sb.dev = ABI_MKDEV(DEV_MAJOR_BASE, spec[0] ? next_spec_minor : dev_index(d));
	m->sb.device = d;
	if (!d->attach_path) {
		err = -EIO;
		if (dev_gen(&m->inst, 0, NULL, DEV_GEN_SELF, &de))
			goto out_free;
		err = -ENOMEM;
		inode = dev_inode(&m->sb, &de);
		if (!inode)
			goto out_free;
		snprintf(rootname, sizeof(rootname), "%s%s%s", d->name, spec[0] ? "." : "", spec);
		root = d_alloc(NULL, rootname, strlen(rootname));
		if (!root) {
			inode_put_locked(inode);
			goto out_free;
		}
		root->inode = inode;
		m->mnt = mount_create_locked(NULL, root);
		if (!m->mnt) {
			d_put_locked(root);	/* frees the dentry and its inode */
			goto out_free;
		}
		m->root = root;
	}
	if (spec[0])
		next_spec_minor++;
	m->next = dev_mounts;
	dev_mounts = m;
	*out = m;
	return 0;
out_free:
	kfree(m);
	return err;
}

int dev_attach_locked(const char *name, size_t len, struct path *out)
{
	char spec[DEV_SPECLEN];
	const struct dev *d;
	struct dev_mount *m;
	int num, err = parse_attach(name, len, &d, spec, &num);

	if (err)
		return err;
	for (m = dev_mounts; m; m = m->next)
		if (m->inst.dev == d && !strcmp(m->inst.spec, spec))
			break;
	if (!m) {
		err = instance_create_locked(d, spec, num, &m);
		if (err)
			return err;
	}
	if (d->attach_path)
		return d->attach_path(&m->inst, out);
	out->mnt = m->mnt;
	out->dentry = m->root;
	path_get_locked(out);
	return 0;
}

/* inode_ops.lookup: a new inode for the entry; -ENOENT or -ENOMEM. */
static int dev_lookup(struct inode *dir, struct dentry *dentry)
{
	struct dev_dirent de;
	int err = dev_walk(&sb_mount(dir->sb)->inst, dir->qid, dentry->name, dentry->namelen, &de);

	if (err)
		return err;
	dentry->inode = dev_inode(dir->sb, &de);
	return dentry->inode ? 0 : -ENOMEM;
}

/* Sizes and times are accepted and ignored; -EPERM for mode and owner. */
static int dev_setattr(struct inode *inode, const struct iattr *a)
{
	/* O_TRUNC on /dev/null must work; modes and owners are the device's. */
	return (a->valid & ~(u32)(ATTR_SIZE | ATTR_ATIME | ATTR_MTIME | ATTR_CTIME)) ?
		-EPERM : 0;
}

/* Symlinks of dynamic devices (#proc/self...); vfs_lock held.  -EINVAL if none. */
static ssize_t dev_readlink(struct inode *inode, char *buf, size_t len)
{
	const struct dev_instance *di = &sb_mount(inode->sb)->inst;

	return di->dev->readlink ? di->dev->readlink(di, inode->qid, buf, len) : -EINVAL;
}

static const struct inode_ops dev_iops = {
	.lookup = dev_lookup,
	.setattr = dev_setattr,
	.readlink = dev_readlink,
};

void dev_refresh_inode_locked(struct inode *inode)
{
	struct dev_dirent de;

	if (!inode->sb->device ||
	    dev_gen(&sb_mount(inode->sb)->inst, inode->qid, NULL, DEV_GEN_SELF, &de))
		return;
	inode->size = de.length;
	inode->mode = de.mode;
	inode->uid = de.uid;
	inode->gid = de.gid;
}

u64 dev_file_qid(const struct file *f)
{
	return f->inode->qid;
}

const struct dev_instance *dev_file_instance(const struct file *f)
{
	return &sb_mount(f->inode->sb)->inst;
}

/* The device's open, then the text snapshot of a readable synthetic file; 0 or -errno. */
static int dev_open(struct file *f)
{
	const struct dev *d = f->inode->sb->device;
	struct slice *s;
	int err = d->open ? d->open(f) : 0;

	if (err || !d->text || S_ISDIR(f->inode->mode) || !(f->fmode & FMODE_READ))
		return err;
	s = slice_new(MEM_WAIT);
	if (!s) {
		err = -ENOMEM;
		goto out_close;
	}
	err = d->text(f, s);
	if (err) {
		slice_free(s);
		if (err == DEV_NOT_TEXT)
			return 0;
		goto out_close;
	}
	f->priv = slice_publish(s);
	return 0;
out_close:
	if (d->close)
		d->close(f);
	return err;
}

/* The device's close, then drop the text snapshot. */
static void dev_release(struct file *f)
{
	const struct dev *d = f->inode->sb->device;

	if (d->close)
		d->close(f);
	if (d->text && f->priv) {
		slice_put(f->priv);
		f->priv = NULL;
	}
}

/* From the text snapshot or the device's read: bytes, or -EINVAL without either. */
static ssize_t dev_read(struct file *f, void *buf, size_t n, u64 *off)
{
	const struct dev *d = f->inode->sb->device;
	const struct slice *s = d->text ? f->priv : NULL;
	ssize_t r;

	if (s)
		r = dev_read_buf(buf, n, *off, s->buf, s->len);
	else if (d->read)
		r = d->read(f, buf, n, *off);
	else
		r = -EINVAL;
	if (r > 0)
		*off += (u64)r;
	return r;
}

/* The device's write: bytes, or -EINVAL for a device that takes none. */
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

/* Entries of the directory from the generator: entry i has cookie i + 3 ('.' and '..' first). */
static int dev_getdents(struct file *f, struct dir_ctx *dc)
{
	const struct dev_instance *di = dev_file_instance(f);
	struct dev_dirent de;
	static const u8 dtype[16] = { [S_IFDIR >> 12] = DT_DIR, [S_IFREG >> 12] = DT_REG,
		[S_IFLNK >> 12] = DT_LNK, [S_IFCHR >> 12] = DT_CHR, [S_IFIFO >> 12] = DT_FIFO };

	spin_lock(&vfs_lock);
	for (u64 i = dc->pos - 2; i <= INT32_MAX; i++) {
		int r = dev_gen(di, f->inode->qid, NULL, (int)i, &de);

		if (r)
			break;
		if (!dir_emit(dc, de.name, strlen(de.name), de.qid + 1,
			      dtype[(de.mode & S_IFMT) >> 12], i + 3))
			break;
	}
	spin_unlock(&vfs_lock);
	return 0;
}

/* The device's ioctl, or -ENOTTY. */
static long dev_ioctl(struct file *f, u32 cmd, unsigned long arg)
{
	const struct dev *d = f->inode->sb->device;

	return d->ioctl ? d->ioctl(f, cmd, arg) : -ENOTTY;
}

/* The device's readiness; always readable and writable by default. */
static u32 dev_poll(struct file *f)
{
	const struct dev *d = f->inode->sb->device;

	return d->poll ? d->poll(f) : POLLIN | POLLOUT;
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

int chrdev_path(u64 rdev, char *buf, size_t len)
{
	for_each_dev(p) {
		const struct dev *d = *p;

		for (size_t i = 0; i < d->ntab; i++) {
			const struct dev_dirent *e = &d->tab[i];

			if (!S_ISCHR(e->mode) || ABI_MAJOR(e->rdev) != ABI_MAJOR(rdev) ||
			    ABI_MINOR(e->rdev) != ABI_MINOR(rdev))
				continue;
			if ((size_t)snprintf(buf, len, "#%s/%s", d->name, e->name) >= len)
				return -ENAMETOOLONG;
			return 0;
		}
	}
	return -ENXIO;
}
