/*
 * File system calls, part 3: the namespace.  Directory listing
 * (getdents64, getdents), the working directory and root (getcwd, chdir,
 * fchdir, chroot) and the calls that add, remove or rename names (mkdir,
 * mknod, rmdir, unlink, rename, link, symlink, readlink and their *at
 * forms, creat).
 * Each handler copies its paths in with at_args() and hands them to the
 * VFS call of the same name, which implements Linux's checks and errno
 * order; the legacy forms are the *at form with AT_FDCWD.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/vfs.h>
#include <kern/uaccess.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <abi/fcntl.h>
#include "internal.h"

#define DENTS_MAX	(64 * 1024)

/* getdents core: fills a kernel buffer with linux_dirent64 records and copies it out. */
static long do_getdents(int fd, void *ubuf, unsigned int count, bool old)
{
	struct file *f = fd_file(fd);
	size_t len = MIN(count, DENTS_MAX);
	char *kbuf;
	long r;

	if (!f)
		return -EBADF;
	if (!user_range_ok((uintptr_t)ubuf, count)) {
		file_put(f);
		return -EFAULT;
	}
	kbuf = kmalloc(len ? len : 1, MEM_WAIT);
	if (!kbuf) {
		file_put(f);
		return -ENOMEM;
	}
	r = vfs_getdents64(f, kbuf, len);
	if (r > 0 && old) {
		/*
		 * linux_dirent64 {ino, off, reclen, type, name} and linux_dirent
		 * {ino, off, reclen, name, pad, type} have the same record
		 * size, so convert in place: shift the name down one byte and
		 * put the type in the record's last byte.
		 */
		for (long pos = 0; pos < r;) {
			char *rec = kbuf + pos;
			u16 reclen;
			u8 type = (u8)rec[18];
			size_t nlen;

			memcpy(&reclen, rec + 16, sizeof(reclen));
			nlen = strlen(rec + 19);
			memmove(rec + 18, rec + 19, nlen + 1);
			rec[reclen - 1] = (char)type;
			pos += reclen;
		}
	}
	if (r > 0 && copy_to_user(ubuf, kbuf, (size_t)r))
		r = -EFAULT;
	kfree(kbuf);
	file_put(f);
	return r;
}

SYSCALL_DEFINE3(getdents64, int, fd, void *, buf, unsigned int, count)
{
	return do_getdents(fd, buf, count, false);
}

SYSCALL_DEFINE3(getdents, int, fd, void *, buf, unsigned int, count)
{
	return do_getdents(fd, buf, count, true);
}

SYSCALL_DEFINE2(getcwd, char *, ubuf, size_t, size)
{
	char *kbuf = kmalloc(PATH_MAX, MEM_WAIT);
	ssize_t n;

	if (!kbuf)
		return -ENOMEM;
	n = vfs_getcwd(&current_proc()->fs, kbuf, MIN(size, PATH_MAX));
	if (n == -ERANGE && size >= PATH_MAX)
		n = -ENAMETOOLONG;
	if (n > 0 && copy_to_user(ubuf, kbuf, (size_t)n))
		n = -EFAULT;
	kfree(kbuf);
	return n;
}

SYSCALL_DEFINE1(chdir, const char *, upath)
{
	struct file *dirf;
	char *path;
	int err = at_args(AT_FDCWD, upath, &path, &dirf);

	if (err)
		return err;
	err = vfs_chdir(&current_proc()->fs, NULL, path);
	at_args_put(path, dirf);
	return err;
}

SYSCALL_DEFINE1(fchdir, int, fd)
{
	struct file *f = fd_file(fd);
	int err;

	if (!f)
		return -EBADF;
	err = vfs_fchdir(&current_proc()->fs, f);
	file_put(f);
	return err;
}

/* chroot needs CAP_SYS_CHROOT: euid 0 (the filesystem uid only decides the EACCES check). */
SYSCALL_DEFINE1(chroot, const char *, upath)
{
	struct proc *p = current_proc();
	struct file *dirf;
	char *path;
	int err = at_args(AT_FDCWD, upath, &path, &dirf);

	if (err)
		return err;
	err = vfs_chroot(&p->fs, path, p->euid == 0);
	at_args_put(path, dirf);
	return err;
}

static long do_mknodat(int dirfd, const char *upath, u32 mode, u64 dev)
{
	struct file *dirf;
	char *path;
	int err;

	switch (mode & S_IFMT) {
	case 0: case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	err = at_args(dirfd, upath, &path, &dirf);
	if (err)
		return err;
	/* The device number arrives in the kernel's encoding: major << 8 | minor, 20-bit minor. */
	err = vfs_mknodat(&current_proc()->fs, dirf, path, mode, dev);
	at_args_put(path, dirf);
	return err;
}

SYSCALL_DEFINE4(mknodat, int, dirfd, const char *, path, u32, mode, unsigned int, dev)
{
	return do_mknodat(dirfd, path, mode, dev);
}

SYSCALL_DEFINE3(mknod, const char *, path, u32, mode, unsigned int, dev)
{
	return do_mknodat(AT_FDCWD, path, mode, dev);
}

static long do_mkdirat(int dirfd, const char *upath, u32 mode)
{
	struct file *dirf;
	char *path;
	int err = at_args(dirfd, upath, &path, &dirf);

	if (err)
		return err;
	err = vfs_mkdirat(&current_proc()->fs, dirf, path, mode);
	at_args_put(path, dirf);
	return err;
}

SYSCALL_DEFINE3(mkdirat, int, dirfd, const char *, path, u32, mode)
{
	return do_mkdirat(dirfd, path, mode);
}

SYSCALL_DEFINE2(mkdir, const char *, path, u32, mode)
{
	return do_mkdirat(AT_FDCWD, path, mode);
}

static long do_unlinkat(int dirfd, const char *upath, int flags)
{
	struct file *dirf;
	char *path;
	int err;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	err = at_args(dirfd, upath, &path, &dirf);
	if (err)
		return err;
	err = vfs_unlinkat(&current_proc()->fs, dirf, path, flags);
	at_args_put(path, dirf);
	return err;
}

SYSCALL_DEFINE3(unlinkat, int, dirfd, const char *, path, int, flags)
{
	return do_unlinkat(dirfd, path, flags);
}

SYSCALL_DEFINE1(unlink, const char *, path)
{
	return do_unlinkat(AT_FDCWD, path, 0);
}

SYSCALL_DEFINE1(rmdir, const char *, path)
{
	return do_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

static long do_renameat2(int odirfd, const char *uold, int ndirfd, const char *unew, u32 flags)
{
	struct file *odirf, *ndirf;
	char *opath, *npath;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	err = at_args(odirfd, uold, &opath, &odirf);
	if (err)
		return err;
	err = at_args(ndirfd, unew, &npath, &ndirf);
	if (err)
		goto out_old;
	err = vfs_renameat2(&current_proc()->fs, odirf, opath, ndirf, npath, flags);
	at_args_put(npath, ndirf);
out_old:
	at_args_put(opath, odirf);
	return err;
}

SYSCALL_DEFINE5(renameat2, int, odirfd, const char *, oldp, int, ndirfd, const char *, newp,
		u32, flags)
{
	return do_renameat2(odirfd, oldp, ndirfd, newp, flags);
}

SYSCALL_DEFINE4(renameat, int, odirfd, const char *, oldp, int, ndirfd, const char *, newp)
{
	return do_renameat2(odirfd, oldp, ndirfd, newp, 0);
}

SYSCALL_DEFINE2(rename, const char *, oldp, const char *, newp)
{
	return do_renameat2(AT_FDCWD, oldp, AT_FDCWD, newp, 0);
}

static long do_linkat(int odirfd, const char *uold, int ndirfd, const char *unew, int flags)
{
	struct file *odirf, *ndirf;
	char *opath, *npath;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = at_args(odirfd, uold, &opath, &odirf);
	if (err)
		return err;
	/* AT_EMPTY_PATH on a descriptor: the old file is odirfd itself. */
	if (!odirf && !opath[0] && (flags & AT_EMPTY_PATH) && odirfd != AT_FDCWD) {
		odirf = fd_file(odirfd);
		if (!odirf) {
			at_args_put(opath, NULL);
			return -EBADF;
		}
	}
	err = at_args(ndirfd, unew, &npath, &ndirf);
	if (err)
		goto out_old;
	err = vfs_linkat(&current_proc()->fs, odirf, opath, ndirf, npath, flags);
	at_args_put(npath, ndirf);
out_old:
	at_args_put(opath, odirf);
	return err;
}

SYSCALL_DEFINE5(linkat, int, odirfd, const char *, oldp, int, ndirfd, const char *, newp,
		int, flags)
{
	return do_linkat(odirfd, oldp, ndirfd, newp, flags);
}

SYSCALL_DEFINE2(link, const char *, oldp, const char *, newp)
{
	return do_linkat(AT_FDCWD, oldp, AT_FDCWD, newp, 0);
}

static long do_symlinkat(const char *utarget, int dirfd, const char *upath)
{
	char *target = kmalloc(PATH_MAX, MEM_WAIT), *path;
	struct file *dirf;
	long err;

	if (!target)
		return -ENOMEM;
	err = strncpy_from_user(target, utarget, PATH_MAX);
	if (err < 0)
		goto out;
	err = at_args(dirfd, upath, &path, &dirf);
	if (err)
		goto out;
	err = vfs_symlinkat(&current_proc()->fs, target, dirf, path);
	at_args_put(path, dirf);
out:
	kfree(target);
	return err;
}

SYSCALL_DEFINE3(symlinkat, const char *, target, int, dirfd, const char *, path)
{
	return do_symlinkat(target, dirfd, path);
}

SYSCALL_DEFINE2(symlink, const char *, target, const char *, path)
{
	return do_symlinkat(target, AT_FDCWD, path);
}

static long do_readlinkat(int dirfd, const char *upath, char *ubuf, int size)
{
	struct file *dirf;
	char *path, *kbuf;
	long n;

	if (size <= 0)
		return -EINVAL;
	n = at_args(dirfd, upath, &path, &dirf);
	if (n)
		return n;
	/* readlinkat(fd, "", ...) reads the symlink fd was opened on (O_PATH). */
	if (!path[0] && dirfd != AT_FDCWD && !dirf) {
		dirf = fd_file(dirfd);
		if (!dirf) {
			at_args_put(path, NULL);
			return -EBADF;
		}
	}
	kbuf = kmalloc(MIN((size_t)size, PATH_MAX), MEM_WAIT);
	if (!kbuf) {
		at_args_put(path, dirf);
		return -ENOMEM;
	}
	n = vfs_readlinkat(&current_proc()->fs, dirf, path, kbuf, MIN((size_t)size, PATH_MAX));
	if (n > 0 && copy_to_user(ubuf, kbuf, (size_t)n))
		n = -EFAULT;
	kfree(kbuf);
	at_args_put(path, dirf);
	return n;
}

SYSCALL_DEFINE4(readlinkat, int, dirfd, const char *, path, char *, buf, int, size)
{
	return do_readlinkat(dirfd, path, buf, size);
}

SYSCALL_DEFINE3(readlink, const char *, path, char *, buf, int, size)
{
	return do_readlinkat(AT_FDCWD, path, buf, size);
}

SYSCALL_DEFINE2(creat, const char *, path, u32, mode)
{
	return do_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
