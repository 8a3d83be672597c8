/*
 * Virtual file system: inodes, dentries, mounts, open files.
 *
 * Model (Linux-style objects, Plan 9-style namespace):
 *  - An inode is a file (regular, directory, symlink, device node,
 *    synthetic device file) of one super block (one file system: the
 *    ramfs root, or one #device).  It carries the POSIX attributes.
 *  - A dentry names an inode inside its parent directory.  For
 *    dcache-authoritative file systems (ramfs, sb->dcache_only) the
 *    dentry tree *is* the directory contents: a linked dentry holds a
 *    "pin" reference until it is unlinked.  Other file systems (devices)
 *    create dentries on lookup and free them when the last user goes.
 *    A child dentry holds a reference on its parent.  No negative dentries.
 *  - A mount attaches (binds) a dentry of some file system on top of a
 *    dentry of another: the namespace root is the ramfs root mount, and
 *    `bind #null/null /dev/null` stacks the device file on the ramfs node.
 *    A position in the namespace is a struct path (mount, dentry), so ".."
 *    at the root of a bound tree returns to where it was bound.
 *  - Paths starting with '#name' start at device name's root (attach).
 *  - A struct file is an open file description (offset, flags, ops).
 *  - struct vfs_ctx is what a process contributes: its fs_struct (root,
 *    cwd, umask; shared between processes cloned with CLONE_FS) and the
 *    ids its permission checks use (always its own).
 *
 * Locking: vfs_lock (a spinlock until the scheduler provides sleeping
 * locks) serialises every namespace operation: lookups, dentry tree
 * changes, mount table, inode attribute changes, and dentry/inode
 * reference counts.  File data is protected by inode->lock; file
 * reference counts are atomic.  Functions named *_locked expect vfs_lock.
 */
#ifndef KERN_VFS_H
#define KERN_VFS_H

#include <kern/types.h>
#include <kern/spinlock.h>
#include <abi/stat.h>
#include <abi/fcntl.h>
#include <abi/dirent.h>

#define PATH_MAX	ABI_PATH_MAX
#define NAME_MAX	ABI_NAME_MAX
#define MAXSYMLINKS	40

struct inode;
struct dentry;
struct file;
struct mount;
struct super;
struct dev;
struct epitem;

struct path {
	struct mount *mnt;
	struct dentry *dentry;
};

/*
 * Where paths start and how new files are masked: Linux's fs_struct.
 * One per process, or one shared by processes cloned with CLONE_FS (the
 * threads of a process share it through their struct proc).
 */
struct fs_struct {
	int refcnt;		/* atomic: vfs_ctx holders */
	struct path root;	/* vfs_lock; both hold path references */
	struct path cwd;	/* vfs_lock */
	u32 umask;		/* atomic (READ_ONCE, __atomic_exchange_n) */
};

struct vfs_ctx {
	struct fs_struct *fs;	/* holds a reference (vfs_ctx_init/copy/share, vfs_ctx_put) */
	u32 uid, gid;		/* effective ids used for permission checks; per process */
};

/* setattr request: fields named in valid are applied. */
#define ATTR_MODE	0x01
#define ATTR_UID	0x02
#define ATTR_GID	0x04
#define ATTR_SIZE	0x08
#define ATTR_ATIME	0x10
#define ATTR_MTIME	0x20
#define ATTR_CTIME	0x40
struct iattr {
	u32 valid;
	u32 mode, uid, gid;
	u64 size;
	s64 atime, mtime, ctime;	/* ns since the epoch */
};

struct inode_ops {
	/* Find name d->name in dir and set d->inode (with a reference); -ENOENT if absent. */
	int (*lookup)(struct inode *dir, struct dentry *d);
	/* Create a node (any type incl. directory) of mode/rdev as d; sets d->inode. */
	int (*mknod)(struct inode *dir, struct dentry *d, u32 mode, u64 rdev);
	int (*symlink)(struct inode *dir, struct dentry *d, const char *target);
	/* Add one link to inode (the VFS makes d point at it). */
	int (*link)(struct inode *inode, struct inode *dir, struct dentry *d);
	/* Remove d (file or empty directory) from dir; drops the link count. */
	int (*unlink)(struct inode *dir, struct dentry *d);
	/* Move od to nd's name (nd->inode, if any, is being replaced and already unlinked). */
	int (*rename)(struct inode *odir, struct dentry *od, struct inode *ndir, struct dentry *nd);
	/* Copy the symlink target (no NUL) into buf; returns its length or -errno. */
	ssize_t (*readlink)(struct inode *inode, char *buf, size_t len);
	int (*setattr)(struct inode *inode, const struct iattr *a);
};

/* getdents cursor handed to file_ops.getdents. */
struct dir_ctx {
	u64 pos;		/* in: first cookie wanted; the fs advances it */
	void *buf;
	size_t len, used;
	bool full;
};
/* Append one entry ending at cookie next_pos; false (and ctx->full) if it did not fit. */
bool dir_emit(struct dir_ctx *dc, const char *name, size_t namelen, u64 ino, u8 type,
	      u64 next_pos);

struct file_ops {
	int (*open)(struct file *f);
	void (*release)(struct file *f);
	/* Transfer at *off (updated); return bytes or -errno. */
	ssize_t (*read)(struct file *f, void *buf, size_t n, u64 *off);
	ssize_t (*write)(struct file *f, const void *buf, size_t n, u64 *off);
	/* Emit directory entries from dc->pos (cookies >= 2; . and .. are the VFS's). */
	int (*getdents)(struct file *f, struct dir_ctx *dc);
	long (*ioctl)(struct file *f, u32 cmd, unsigned long arg);
	/* Readiness for poll: POLLIN/POLLOUT bits (abi/poll.h later); NULL = always ready. */
	u32 (*poll)(struct file *f);
	/*
	 * fallocate on a regular file, arguments checked by vfs_fallocate
	 * (off + len does not overflow); limit is RLIMIT_FSIZE.  NULL:
	 * -EOPNOTSUPP.
	 */
	int (*fallocate)(struct file *f, int mode, u64 off, u64 len, u64 limit);
	bool nonseekable;	/* lseek gives -ESPIPE */
};

struct super {
	u64 dev;		/* st_dev */
	bool dcache_only;	/* the dentry tree is the directory contents */
	bool readonly;		/* writes give -EROFS */
	u64 next_ino;		/* vfs_lock */
	const struct dev *device;	/* for #device file systems */
	void (*free_inode)(struct inode *inode);
	/* st_blocks of inode; NULL: size rounded up to 512-byte units. */
	u64 (*blocks)(struct inode *inode);
};

struct inode {
	u64 ino;
	u32 mode, uid, gid, nlink;	/* vfs_lock */
	u64 rdev;
	u64 size;			/* inode->lock for data, vfs_lock for truncate */
	s64 atime, mtime, ctime;	/* ns since the epoch */
	int refcnt;			/* dentries using it; vfs_lock */
	struct super *sb;
	const struct inode_ops *iops;
	const struct file_ops *fops;
	struct spinlock lock;		/* file data of this inode */
	u64 qid;			/* device file systems: the device's file id */
	void *priv;			/* file system data */
};

struct dentry {
	struct dentry *parent;		/* NULL for a file system root */
	struct inode *inode;		/* never NULL once published */
	struct dentry *child_head, *child_tail;	/* vfs_lock */
	struct dentry *next, *prev;	/* siblings, in creation (cookie) order */
	int refcnt;			/* vfs_lock */
	int mounted;			/* mounts on this dentry; vfs_lock */
	bool linked;			/* in parent's child list */
	bool pinned;			/* dcache_only: holds a ref while linked */
	u64 cookie;			/* getdents position of this entry in parent */
	u64 next_cookie;		/* for directories: next cookie to assign */
	char *name;			/* iname, or kmalloc'd after a longer rename */
	u16 namelen;
	u16 icap;			/* bytes available in iname */
	char iname[];
};

struct mount {
	struct mount *parent;		/* NULL for a detached root (device, namespace root) */
	struct dentry *mountpoint;	/* in parent */
	struct dentry *root;		/* what is visible there */
	struct mount *next;		/* global mount list; vfs_lock */
};

/* Open file description. */
#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
struct file {
	int refcnt;			/* atomic */
	u32 flags;			/* O_* status flags (O_APPEND, O_NONBLOCK...) */
	u32 fmode;			/* FMODE_* */
	u64 pos;
	struct path path;
	struct inode *inode;
	const struct file_ops *fops;
	void *priv;
	struct epitem *ep_items;	/* epoll registrations of this file; epoll_lock (ipc/epoll.c) */
};

/* Global lock and clock. */
extern struct spinlock vfs_lock;
/* Wall clock for timestamps (ns since the epoch); defaults to 0. */
extern u64 (*vfs_now_ns)(void);
s64 vfs_now(void);

/* vfs.c: object lifetime and mounts. */
/* Create the ramfs root and the root mount, start devices (a core initcall); 0, panics on failure. */
int vfs_init(void);
/* The namespace root (reference not taken). */
struct path vfs_root_path(void);
struct inode *inode_alloc(struct super *sb, u32 mode);
void inode_get_locked(struct inode *inode);
void inode_put_locked(struct inode *inode);
/* New unlinked dentry for name under parent (ref 1); NULL on -ENOMEM. */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len);
void d_add_locked(struct dentry *parent, struct dentry *d);
void d_unlink_locked(struct dentry *d);
void d_get_locked(struct dentry *d);
void d_put_locked(struct dentry *d);
struct dentry *d_lookup_child_locked(struct dentry *parent, const char *name, size_t len);
/* Child of dir (referenced, creating device dentries on demand); -ENOENT if absent. */
int vfs_lookup_child_locked(struct dentry *dir, const char *name, size_t len,
			    struct dentry **out);
/* Make room for a name of len bytes in d (so a later d_move cannot fail); -ENOMEM. */
int d_reserve_name_locked(struct dentry *d, size_t len);
/* Move linked dentry d under newparent with a new name; -ENOMEM on failure. */
int d_move_locked(struct dentry *d, struct dentry *newparent, const char *name, size_t len);
/* True if dir is a dcache_only directory that was removed (no creation allowed). */
bool d_dead_locked(const struct path *dir);
void path_get(const struct path *p);
void path_put(const struct path *p);
void path_get_locked(const struct path *p);
void path_put_locked(const struct path *p);
/* Mount the file system root rootd at mountpoint mp (a new detached tree if mp is NULL). */
struct mount *mount_create_locked(const struct path *mp, struct dentry *rootd);
/* Top mount on path p, or NULL. */
struct mount *mount_lookup_locked(const struct path *p);
/* Set up ctx with a new fs_struct (namespace root as root and cwd, umask 022); 0 or -ENOMEM. */
int vfs_ctx_init(struct vfs_ctx *ctx);
/* dst gets src's ids and a private copy of its fs_struct (fork); 0 or -ENOMEM. */
int vfs_ctx_copy(struct vfs_ctx *dst, const struct vfs_ctx *src);
/* dst gets src's ids and shares its fs_struct (CLONE_FS). */
void vfs_ctx_share(struct vfs_ctx *dst, const struct vfs_ctx *src);
/* Drop ctx's fs_struct reference (the last one drops root and cwd); ctx->fs becomes NULL. */
void vfs_ctx_put(struct vfs_ctx *ctx);
/* Set ctx's umask to mask; returns the old one. */
u32 vfs_set_umask(struct vfs_ctx *ctx, u32 mask);

/* namei.c: path resolution. */
#define LOOKUP_FOLLOW		0x1	/* follow a final symlink */
#define LOOKUP_DIRECTORY	0x2	/* final component must be a directory */
#define LOOKUP_EMPTY		0x4	/* "" means the start directory */
#define MAY_EXEC	1
#define MAY_WRITE	2
#define MAY_READ	4
int inode_permission(const struct vfs_ctx *ctx, const struct inode *inode, int mask);
/* Resolve path relative to dirf (NULL = cwd); *out gets references. -errno on failure. */
int vfs_lookup(const struct vfs_ctx *ctx, struct file *dirf, const char *path, int flags,
	       struct path *out);
/*
 * Resolve everything but the last component.  *parent gets a reference,
 * last/lastlen name it inside path (may be "." or ".."; len 0 for "/"),
 * *trailing is true if the path ended in '/'.
 */
struct nameidata_last {
	struct path parent;
	const char *last;
	size_t lastlen;
	bool trailing;
	char *buf;		/* owns the resolved copy of the path */
};
int vfs_lookup_parent(const struct vfs_ctx *ctx, struct file *dirf, const char *path,
		      struct nameidata_last *nd);
void nameidata_last_put(struct nameidata_last *nd);
/* Follow mounts stacked on *p (vfs_lock held). */
void follow_mounts_locked(struct path *p);

/* vfs_ops.c: namespace-changing calls (Linux semantics, -errno). */
int vfs_mknodat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, u32 mode,
		u64 rdev);
int vfs_mkdirat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, u32 mode);
int vfs_unlinkat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, int flags);
int vfs_symlinkat(const struct vfs_ctx *ctx, const char *target, struct file *dirf,
		  const char *path);
int vfs_linkat(const struct vfs_ctx *ctx, struct file *olddirf, const char *oldpath,
	       struct file *newdirf, const char *newpath, int flags);
int vfs_renameat2(const struct vfs_ctx *ctx, struct file *olddirf, const char *oldpath,
		  struct file *newdirf, const char *newpath, u32 flags);
ssize_t vfs_readlinkat(const struct vfs_ctx *ctx, struct file *dirf, const char *path,
		       char *buf, size_t len);
/* Plan 9 bind: make the file at src visible at dst (both must be dirs or both not). */
int vfs_bind(const struct vfs_ctx *ctx, const char *src, const char *dst);

/* ns_defaults.c: bind the #null files at /dev/{null,zero,full,random,urandom} (a late initcall); 0 or the last -errno. */
int vfs_bind_defaults(void);

/* vfs_attr.c: attributes. */
int vfs_getattr(struct inode *inode, struct abi_stat *st);
int vfs_statat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, int flags,
	       struct abi_stat *st);
int vfs_statx(const struct vfs_ctx *ctx, struct file *dirf, const char *path, int flags,
	      u32 mask, struct abi_statx *stx);
int vfs_fstat(struct file *f, struct abi_stat *st);
int vfs_fchmodat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, u32 mode,
		 int flags);
int vfs_fchmod(const struct vfs_ctx *ctx, struct file *f, u32 mode);
int vfs_fchownat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, u32 uid,
		 u32 gid, int flags);
/* times[0] = atime, times[1] = mtime (NULL = now); UTIME_NOW/UTIME_OMIT honoured. */
int vfs_utimensat(const struct vfs_ctx *ctx, struct file *dirf, const char *path,
		  const struct abi_timespec *times, int flags);
int vfs_faccessat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, int mode,
		  int flags);
/* Set a regular file's size to len; -EFBIG if that grows it past limit (RLIMIT_FSIZE, ~0: none). */
int vfs_truncate(const struct vfs_ctx *ctx, struct file *dirf, const char *path, s64 len,
		 u64 limit);
int vfs_ftruncate(struct file *f, s64 len, u64 limit);
/*
 * fallocate(2) on f with Linux's checks and their order: -EINVAL (range),
 * -EOPNOTSUPP (mode), -EBADF (not open for writing), -ESPIPE, -EISDIR,
 * -ENODEV (not a regular file), -EFBIG (off + len overflows), then the
 * file system's own (limit: RLIMIT_FSIZE, ~0 for none).
 */
int vfs_fallocate(struct file *f, int mode, s64 off, s64 len, u64 limit);
int vfs_setattr(struct dentry *d, struct iattr *a);

/* file.c: open files. */
int vfs_openat(const struct vfs_ctx *ctx, struct file *dirf, const char *path, int flags,
	       u32 mode, struct file **out);
/* Open an already resolved path (used by namei users and devices). */
int vfs_open_path(const struct path *p, int flags, struct file **out);
void file_get(struct file *f);
void file_put(struct file *f);
ssize_t vfs_read(struct file *f, void *buf, size_t n);
ssize_t vfs_write(struct file *f, const void *buf, size_t n);
ssize_t vfs_pread(struct file *f, void *buf, size_t n, s64 off);
ssize_t vfs_pwrite(struct file *f, const void *buf, size_t n, s64 off);
s64 vfs_lseek(struct file *f, s64 off, int whence);
ssize_t vfs_getdents64(struct file *f, void *buf, size_t len);
long vfs_ioctl(struct file *f, u32 cmd, unsigned long arg);
int vfs_chdir(struct vfs_ctx *ctx, struct file *dirf, const char *path);
int vfs_fchdir(struct vfs_ctx *ctx, struct file *f);
/*
 * chroot: make the directory at path the root of ctx's fs_struct (shared
 * under CLONE_FS; the cwd stays where it is).  -ENOENT/-ENOTDIR/-EACCES as
 * chdir, then -EPERM unless privileged (CAP_SYS_CHROOT).
 */
int vfs_chroot(struct vfs_ctx *ctx, const char *path, bool privileged);
/* Absolute path of p as seen from ctx's root into buf; returns length or -errno. */
ssize_t vfs_getcwd(const struct vfs_ctx *ctx, char *buf, size_t len);
/* Name of p from root into buf (NUL-terminated, no allocation); length or -ENAMETOOLONG. */
ssize_t d_path_locked(const struct path *root, const struct path *p, char *buf, size_t len);
/* Absolute name of an open file from the namespace root; length or -ENAMETOOLONG. */
ssize_t vfs_file_path(const struct file *f, char *buf, size_t len);

/*
 * anon_inode.c: a new file "anon_inode:[kind]" with fops, f->priv = priv,
 * opened read-write (flags: O_NONBLOCK); 0 or -ENOMEM (priv untouched).
 */
int anon_file_open(const char *kind, const struct file_ops *fops, void *priv, int flags,
		   struct file **out);
/* True if f is an anonymous file with these fops. */
bool file_is_anon(const struct file *f, const struct file_ops *fops);

/* epoll.c: drop every epoll registration of f (its last reference went). */
void eventpoll_release(struct file *f);

/* ramfs.c */
struct dentry *ramfs_create_root(void);
extern const struct file_ops ramfs_file_ops;
struct vm_object *ramfs_file_object(struct file *f);
/* Give unlinked dentry d a new empty regular file of mode (memfd); 0 or -ENOMEM; vfs_lock held. */
int ramfs_new_file_locked(struct dentry *d, u32 mode);

/*
 * sys_file.c (kernel only): RLIMIT_FSIZE for a write of *n bytes to f at
 * off (< 0: its position; O_APPEND: its end).  0, with *n cut to end at
 * the limit; -EFBIG if not a byte fits, sending SIGXFSZ if signal.
 */
long write_fsize_check(struct file *f, s64 off, size_t *n, bool signal);

/* memfd.c: file seals (fcntl F_ADD_SEALS/F_GET_SEALS) of ramfs regular files. */
/*
 * Add seals to f's file: 0, or -EPERM (f not open for writing, or
 * F_SEAL_SEAL set), -EINVAL (unknown bits, a file without seals), -EBUSY
 * (F_SEAL_WRITE while a shared mapping may write the file).
 */
int memfd_add_seals(struct file *f, u32 seals);
/* The F_SEAL_* of f's file, or -EINVAL for a file without seals. */
int memfd_get_seals(struct file *f);

#endif
