/*
 * File descriptor tables: a process's map from small integers to open
 * file descriptions, with Linux semantics: new descriptors take the
 * lowest free number (at or above a minimum), dup2/dup3 replace the
 * target atomically, FD_CLOEXEC is per descriptor, fork copies the table
 * (sharing the descriptions), exec closes the close-on-exec ones.  The
 * table grows on demand up to max (RLIMIT_NOFILE, EMFILE beyond).
 */
#ifndef KERN_FDTABLE_H
#define KERN_FDTABLE_H

#include <kern/types.h>
#include <kern/spinlock.h>

struct file;

#define FDT_DEFAULT_MAX	1024

struct fd_table {
	struct spinlock lock;	/* protects every field below */
	int size;		/* slots in files/cloexec */
	int max;		/* descriptors allowed (RLIMIT_NOFILE) */
	struct file **files;
	u8 *cloexec;
	int sharers;		/* atomic: extra processes sharing it (CLONE_FILES), 0 = sole owner */
};

void fdt_init(struct fd_table *t);
/* Close every descriptor and free the arrays. */
void fdt_destroy(struct fd_table *t);
/* Make dst (uninitialised) a copy of src for fork; -ENOMEM on failure. */
int fdt_copy(struct fd_table *dst, struct fd_table *src);
/* Install f at the lowest free fd >= minfd (takes over the caller's reference on success); fd or -EMFILE/-EINVAL. */
int fdt_install(struct fd_table *t, struct file *f, int minfd, bool cloexec);
/* File at fd with a new reference, or NULL (EBADF). */
struct file *fdt_get(struct fd_table *t, int fd);
/* Close fd; 0 or -EBADF. */
int fdt_close(struct fd_table *t, int fd);
/* dup(2)/fcntl(F_DUPFD[_CLOEXEC]): new fd or -EBADF/-EMFILE/-EINVAL. */
int fdt_dup(struct fd_table *t, int oldfd, int minfd, bool cloexec);
/* dup2 (flags < 0) or dup3 (flags = 0 or O_CLOEXEC): newfd or -errno. */
int fdt_dup3(struct fd_table *t, int oldfd, int newfd, int flags);
/* FD_CLOEXEC state: 0/1, or -EBADF. */
int fdt_get_cloexec(struct fd_table *t, int fd);
int fdt_set_cloexec(struct fd_table *t, int fd, bool on);
/* close_range: close (or, with cloexec, mark close-on-exec) every open fd in [first, last]. */
void fdt_close_range(struct fd_table *t, unsigned int first, unsigned int last, bool cloexec);
/* Drop a process's reference to t (shared with CLONE_FILES); the last one closes and frees it. */
void fdt_put(struct fd_table *t);
/* Close every close-on-exec descriptor (execve). */
void fdt_close_on_exec(struct fd_table *t);

/* The open file at fd of the current process with a reference (file_put it), or NULL. */
struct file *fd_file(int fd);

#endif
