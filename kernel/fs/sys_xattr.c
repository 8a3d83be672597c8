/*
 * Extended attributes: no file system here stores any.  The calls check
 * that the file exists (so errors match Linux for bad paths and fds) and
 * then behave like a file system with an empty attribute set: get gives
 * ENODATA, list gives an empty list, remove gives ENODATA and set is
 * refused with EOPNOTSUPP.  Programs such as coreutils ls probe for ACLs
 * and SELinux labels this way and treat these answers as "none".
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/vfs.h>
#include <kern/kmalloc.h>
#include <kern/errno.h>
#include <kern/uaccess.h>
#include <abi/fcntl.h>
#include "internal.h"

/* 0 if upath names an existing file (following symlinks if follow), else -errno. */
static long xattr_path(const char *upath, bool follow)
{
	struct abi_stat st;
	struct file *dirf;
	char *path;
	long err = at_args(AT_FDCWD, upath, &path, &dirf);

	if (err)
		return err;
	err = vfs_statat(&current_proc()->fs, dirf, path, follow ? 0 : AT_SYMLINK_NOFOLLOW, &st);
	at_args_put(path, dirf);
	return err;
}

static long xattr_fd(int fd)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

/* Validate an attribute name: -ERANGE if empty or too long, -EFAULT. */
static long xattr_name(const char *uname)
{
	char *name = kmalloc(XATTR_NAME_MAX + 2, MEM_WAIT);
	long n;

	if (!name)
		return -ENOMEM;
	n = strncpy_from_user(name, uname, XATTR_NAME_MAX + 2);
	kfree(name);
	if (n < 0)
		return n;
	return (n == 0 || n > XATTR_NAME_MAX) ? -ERANGE : 0;
}

/* Shared tail of the get/remove calls: the file check result, then the name. */
static long no_attr(long err, const char *uname)
{
	if (!err)
		err = xattr_name(uname);
	return err ? err : -ENODATA;
}

static long no_set(long err, const char *uname)
{
	if (!err)
		err = xattr_name(uname);
	return err ? err : -EOPNOTSUPP;
}

SYSCALL_DEFINE4(getxattr, const char *, path, const char *, name, void *, v, size_t, n)
{
	return no_attr(xattr_path(path, true), name);
}

SYSCALL_DEFINE4(lgetxattr, const char *, path, const char *, name, void *, v, size_t, n)
{
	return no_attr(xattr_path(path, false), name);
}

SYSCALL_DEFINE4(fgetxattr, int, fd, const char *, name, void *, v, size_t, n)
{
	return no_attr(xattr_fd(fd), name);
}

SYSCALL_DEFINE3(listxattr, const char *, path, char *, list, size_t, n)
{
	return xattr_path(path, true);
}

SYSCALL_DEFINE3(llistxattr, const char *, path, char *, list, size_t, n)
{
	return xattr_path(path, false);
}

SYSCALL_DEFINE3(flistxattr, int, fd, char *, list, size_t, n)
{
	return xattr_fd(fd);
}

SYSCALL_DEFINE2(removexattr, const char *, path, const char *, name)
{
	return no_attr(xattr_path(path, true), name);
}

SYSCALL_DEFINE2(lremovexattr, const char *, path, const char *, name)
{
	return no_attr(xattr_path(path, false), name);
}

SYSCALL_DEFINE2(fremovexattr, int, fd, const char *, name)
{
	return no_attr(xattr_fd(fd), name);
}

SYSCALL_DEFINE5(setxattr, const char *, path, const char *, name, const void *, v, size_t, n,
		int, flags)
{
	return no_set(xattr_path(path, true), name);
}

SYSCALL_DEFINE5(lsetxattr, const char *, path, const char *, name, const void *, v, size_t, n,
		int, flags)
{
	return no_set(xattr_path(path, false), name);
}

SYSCALL_DEFINE5(fsetxattr, int, fd, const char *, name, const void *, v, size_t, n, int, flags)
{
	return no_set(xattr_fd(fd), name);
}
