/*
 * Plan 9-style kernel devices.  Each device is one file in kernel/dev/
 * that defines a `struct dev` and registers it with DEV_REGISTER(); the
 * linker gathers the pointers in .devtab.  Path "#name/..." resolves in
 * the device's own tree (see namei.c), which the VFS presents as a small
 * file system of its own: files are identified by a 64-bit qid chosen by
 * the device (qid 0 is the device's root directory).
 *
 * A simple device only supplies a static table of its files (tab/ntab,
 * all in the root directory) and read/write; the generic helpers walk
 * the table, list it and stat from it.  dev_read_buf() serves a
 * synthetic file from a memory buffer with offset handling.  Richer
 * devices (directories, dynamic entries) supply walk/gen/stat.
 *
 * Device callbacks run with vfs_lock held for walk/gen/stat/readlink and
 * without it for open/close/read/write/ioctl/poll.  Buffers are kernel memory.
 */
#ifndef KERN_DEV_H
#define KERN_DEV_H

#include <kern/types.h>
#include <kern/compiler.h>

struct file;
struct path;

/* One file of a device, as walk/gen/stat report it. */
struct dev_dirent {
	const char *name;
	u64 qid;		/* 0 = root directory */
	u32 mode;		/* S_IF* type and permission bits */
	u64 length;
	u64 rdev;		/* st_rdev (ABI_MKDEV) for S_IFCHR files */
};

struct dev {
	const char *name;	/* "#name" */
	void (*init)(void);
	/* Optional replacement root (e.g. #root is the ramfs); reference in *out. */
	int (*attach)(struct path *out);
	/* Child name[0..len) of directory dir: 0 or -ENOENT.  Default: tab. */
	int (*walk)(u64 dir, const char *name, size_t len, struct dev_dirent *out);
	/* i-th entry (from 0) of directory dir: 0, or -ENOENT past the end.  Default: tab. */
	int (*gen)(u64 dir, int i, struct dev_dirent *out);
	/* Fresh attributes of qid (e.g. a length that changes).  Default: tab. */
	int (*stat)(u64 qid, struct dev_dirent *out);
	/* Owner of qid (default root); #proc files belong to their process.  vfs_lock held. */
	void (*owner)(u64 qid, u32 *uid, u32 *gid);
	/* Target of symlink qid (no NUL) into buf; length or -errno.  Called with vfs_lock held. */
	ssize_t (*readlink)(u64 qid, char *buf, size_t len);
	int (*open)(struct file *f);
	void (*close)(struct file *f);
	ssize_t (*read)(struct file *f, void *buf, size_t n, u64 off);
	ssize_t (*write)(struct file *f, const void *buf, size_t n, u64 off);
	long (*ioctl)(struct file *f, u32 cmd, unsigned long arg);
	u32 (*poll)(struct file *f);
	const struct dev_dirent *tab;	/* flat root directory for simple devices */
	size_t ntab;
};

#ifdef HOST_UNIT_TEST
#define DEVTAB_SECTION	"devtab"
#else
#define DEVTAB_SECTION	".devtab"
#endif
#define DEV_REGISTER(d)							\
	static const struct dev *const __devtab_##d __used		\
		__section(DEVTAB_SECTION) __aligned(8) = &(d)

/* Call every device's init hook (from vfs_init). */
void devs_init(void);
/* Device named name[0..len), or NULL. */
const struct dev *dev_find(const char *name, size_t len);
/* Root of device name[0..len) with a reference; -ENOENT for an unknown device. */
int dev_attach_locked(const char *name, size_t len, struct path *out);
/* Refresh a device inode's length/mode from the device's stat (vfs_lock held). */
struct inode;
void dev_refresh_inode_locked(struct inode *inode);
/* qid of an open device file. */
u64 dev_file_qid(const struct file *f);
/* Copy from the synthetic file src[0..srclen) at off into dst; returns bytes copied. */
ssize_t dev_read_buf(void *dst, size_t n, u64 off, const void *src, size_t srclen);
/* Same for a NUL-terminated string. */
ssize_t dev_read_str(void *dst, size_t n, u64 off, const char *s);
/*
 * Per-open snapshots for text files that change (#proc, stats): at open,
 * gen(f, buf, cap) formats the whole file into buf and returns the length
 * it needed (like snprintf; it is called again with a bigger buffer if
 * that exceeded cap).  Reads then serve that text, so a reader that uses
 * small reads still sees one consistent version.  dev_snap_open returns
 * 0 or -ENOMEM; use dev_snap_read/dev_snap_close as the read/close hooks
 * (they keep the text in f->priv).
 */
int dev_snap_open(struct file *f, size_t (*gen)(struct file *f, char *buf, size_t cap));
ssize_t dev_snap_read(struct file *f, void *buf, size_t n, u64 off);
void dev_snap_close(struct file *f);

/* Generic table-driven walk/gen/stat (used when a device leaves them NULL). */
int devwalk_tab(const struct dev *d, u64 dir, const char *name, size_t len,
		struct dev_dirent *out);
int devgen_tab(const struct dev *d, u64 dir, int i, struct dev_dirent *out);
int devstat_tab(const struct dev *d, u64 qid, struct dev_dirent *out);

/* #device path ("#null/null") serving Linux character device rdev, or NULL. */
const char *chrdev_path(u64 rdev);

/* Error strings, one table for the kernel (kernel/lib/errstr.c). */
const char *errstr(int err);

#endif
