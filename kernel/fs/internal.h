/*
 * What the files of kernel/fs share and nothing outside them uses: the
 * argument plumbing of the file system calls in sys_file.c that the other
 * sys_*.c files reuse.  The VFS interface is kern/vfs.h, descriptors are
 * kern/fdtable.h.
 */
#ifndef KERNEL_FS_INTERNAL_H
#define KERNEL_FS_INTERNAL_H

#include <kern/types.h>

struct file;
struct abi_iovec;

/*
 * Resolve the (dirfd, user path) pair every *at call takes: copies the
 * path into a new kernel buffer (*path, kfree it) and takes a reference
 * on the directory file (*dirf, NULL for AT_FDCWD or absolute paths).
 * Returns 0 or -errno (nothing to free then).
 */
int at_args(int dirfd, const char *upath, char **path, struct file **dirf);
/* Release what at_args returned. */
void at_args_put(char *path, struct file *dirf);
/* openat core: path from user, new fd or -errno. */
long do_openat(int dirfd, const char *upath, int flags, u32 mode);
/* readv/writev core, at off (< 0: at and advancing the file position); bytes or -errno. */
long do_iov(int fd, const struct abi_iovec *uiov, int cnt, bool wr, s64 off);

#endif
