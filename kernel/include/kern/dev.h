/*
 * Plan 9-style kernel devices.  Each device is one file in kernel/dev/
 * that defines a `struct dev` and registers it with DEV_REGISTER(); the
 * linker gathers the pointers in .devtab.  A path "#name/..." (or
 * "#name.spec/...", see below; device names have no '.') resolves in the
 * device's own tree, which the VFS presents as a small file system of
 * its own: files are named by a 64-bit qid chosen by the device (qid 0
 * is the device's root).
 *
 * One generator describes the tree (9front's Devgen): gen(di, dir, name,
 * i, out) fills *out with
 *  - the i-th entry (i >= 0) of directory dir, for readdir, and for walk:
 *    the generic walk asks for i = 0, 1, 2... and compares names.  When
 *    walking, name is the name looked for, as a hint: a gen may return
 *    that entry directly (#proc answers "1234" without listing every
 *    process); name is NULL when listing;
 *  - the file dir itself when i is DEV_GEN_SELF, for stat.
 * It returns 0, or -ENOENT past the end (or for a missing file); the
 * indices of a directory are dense (#proc lists the i-th live process,
 * not pid i).  A simple device leaves gen NULL and lists its files in
 * tab (a Dirtab, all in the root directory); dev_gen_tab() is that
 * generator and can also be called by a device's own gen for its static
 * part.  Owners and lengths come from the entries too, so stat, ls and
 * walk always agree.
 *
 * Instances: "#name" is instance "" and "#name.spec" instance spec (up to
 * DEV_SPECLEN - 1 bytes; a decimal spec is also in di->num, and "#name.0"
 * is "#name").  A device without an attach hook has only "#name".  Each
 * instance gets its own super block (st_dev) and root, made on first use
 * and kept; the device's hooks receive it (dev_file_instance()).
 *
 * Synthetic files: the text hook, called at open, appends the file's
 * whole contents to a slice (kern/slice.h); reads at any offset are then
 * served from that snapshot, so a reader using small reads sees one
 * consistent version, and it is freed at close.  A device with a text
 * hook leaves f->priv to this layer.  Writes to ctl files are parsed with
 * dev_cmd_parse()/dev_cmd_lookup() (one command per write).
 *
 * kernel/dev/template.c is the device to copy.
 *
 * Device callbacks run with vfs_lock held for attach/gen/readlink and
 * without it for open/close/text/read/write/ioctl/poll.  Buffers are
 * kernel memory.
 */
#ifndef KERN_DEV_H
#define KERN_DEV_H

#include <kern/types.h>
#include <kern/compiler.h>

struct file;
struct path;
struct inode;
struct slice;

#define DEV_NAMELEN	32	/* longest name of a device file, NUL included */
#define DEV_SPECLEN	16	/* longest instance spec, NUL included */

/* One file of a device: a Dirtab row, and what gen reports. */
struct dev_dirent {
	char name[DEV_NAMELEN];
	u64 qid;		/* 0 = root directory */
	u32 mode;		/* S_IF* type and permission bits */
	u64 length;
	u64 rdev;		/* st_rdev (ABI_MKDEV) for S_IFCHR files */
	u32 uid, gid;		/* owner; root unless the device says otherwise */
};

/* An attached instance of a device: "#name" or "#name.spec". */
struct dev_instance {
	const struct dev *dev;
	char spec[DEV_SPECLEN];	/* "" for "#name" */
	int num;		/* spec as a decimal number ("" is 0), or -1 */
	void *priv;		/* the device's, set by its attach hook */
};

/* gen's index for "the file dir itself" (stat). */
#define DEV_GEN_SELF	(-1)

struct dev {
	const char *name;	/* "#name" */
	void (*init)(void);
	/* Accept instance di->spec/di->num and set di->priv: 0 or -errno.  Default: "#name" only. */
	int (*attach)(struct dev_instance *di);
	/* The instance is an existing tree (#root is the ramfs): its root, referenced, in *out. */
	int (*attach_path)(const struct dev_instance *di, struct path *out);
	/* The generator (see above).  Default: dev_gen_tab. */
	int (*gen)(const struct dev_instance *di, u64 dir, const char *name, int i,
		   struct dev_dirent *out);
	/* Target of symlink qid (no NUL) into buf; length or -errno. */
	ssize_t (*readlink)(const struct dev_instance *di, u64 qid, char *buf, size_t len);
	int (*open)(struct file *f);
	void (*close)(struct file *f);
	/* Contents of a synthetic file appended to s at open: 0, DEV_NOT_TEXT or -errno. */
	int (*text)(struct file *f, struct slice *s);
	ssize_t (*read)(struct file *f, void *buf, size_t n, u64 off);
	ssize_t (*write)(struct file *f, const void *buf, size_t n, u64 off);
	long (*ioctl)(struct file *f, u32 cmd, unsigned long arg);
	u32 (*poll)(struct file *f);
	const struct dev_dirent *tab;	/* Dirtab: the root directory of a static device */
	size_t ntab;
};

/* text's return for "this file is not synthetic text: use read". */
#define DEV_NOT_TEXT	1

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
/* Device named name[0..len) (no spec), or NULL. */
const struct dev *dev_find(const char *name, size_t len);
/*
 * Root of "#" name[0..len) ("name" or "name.spec") with a reference:
 * 0, -ENOENT for an unknown device or an instance it refuses, -ENOMEM.
 */
int dev_attach_locked(const char *name, size_t len, struct path *out);
/* Refresh a device inode's length/mode/owner from the device's gen (vfs_lock held). */
void dev_refresh_inode_locked(struct inode *inode);
/* qid of an open device file. */
u64 dev_file_qid(const struct file *f);
/* Instance an open device file belongs to. */
const struct dev_instance *dev_file_instance(const struct file *f);

/* The Dirtab generator over di->dev->tab (the root's entries). */
int dev_gen_tab(const struct dev_instance *di, u64 dir, const char *name, int i,
		struct dev_dirent *out);
/* Copy from src[0..srclen) at off into dst (at most n bytes); returns bytes copied. */
ssize_t dev_read_buf(void *dst, size_t n, u64 off, const void *src, size_t srclen);

/* One ctl command: words of one write, NUL-terminated in buf. */
#define DEV_CMD_LEN	128
#define DEV_CMD_MAXARGS	8
struct dev_cmd {
	int argc;
	char *argv[DEV_CMD_MAXARGS];
	char buf[DEV_CMD_LEN];
};
/* A command a ctl file accepts: its id, name and number of words (name included). */
struct dev_cmdtab {
	int id;
	const char *name;
	int argc;
};
/*
 * Split a write of n bytes (words separated by blanks, one trailing
 * newline allowed) into cmd: 0, -EINVAL (no words, more than
 * DEV_CMD_MAXARGS, a NUL or a second line) or -E2BIG (DEV_CMD_LEN bytes
 * or more).
 */
int dev_cmd_parse(struct dev_cmd *cmd, const void *buf, size_t n);
/* The command of tab named by cmd's first word with its number of words; NULL if none. */
const struct dev_cmdtab *dev_cmd_lookup(const struct dev_cmd *cmd, const struct dev_cmdtab *tab,
					size_t n);
/* Decimal argument s as *out <= max: 0, -EINVAL (not a number) or -ERANGE. */
int dev_cmd_uint(const char *s, unsigned long max, unsigned long *out);

/*
 * The #device path ("#null/null") of the file listed in a device's table
 * with Linux character device number rdev, into buf: 0, -ENXIO if no
 * device has it, -ENAMETOOLONG.
 */
int chrdev_path(u64 rdev, char *buf, size_t len);

/* Error strings, one table for the kernel (kernel/lib/errstr.c). */
const char *errstr(int err);

#endif
