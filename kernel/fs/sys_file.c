/*
 * File system calls, part 1: descriptors and I/O (read, write, readv,
 * writev, preadv, pwritev, pread64, pwrite64, lseek, open, openat,
 * close, ioctl, fstat, stat, lstat, newfstatat).  ioctl answers the generic FIONBIO, FIOCLEX,
 * FIONCLEX, FIOASYNC and FIONREAD (regular files) itself.
 * Data moves through a kernel bounce buffer in chunks, so devices and
 * the VFS only ever see kernel memory and user pointers are checked in
 * one place.  RLIMIT_FSIZE is applied once per call, before the chunks,
 * as Linux's generic_write_checks: a write to a regular file is cut
 * short at the limit, and one that cannot write a byte fails with EFBIG
 * and SIGXFSZ.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/signal.h>
#include <kern/vfs.h>
#include <kern/uaccess.h>
#include <kern/kmalloc.h>
#include <kern/errno.h>
#include <kern/string.h>
#include <abi/fcntl.h>
#include <abi/stat.h>
#include <abi/uio.h>
#include <abi/ioctl.h>
#include "internal.h"

#define IO_CHUNK	(64 * 1024)

/* The open file at fd of the current process with a reference, or NULL. */
struct file *fd_file(int fd)
{
	return fdt_get(current_proc()->fdt, fd);
}

/*
 * Common start of read/write: the file at fd (a reference in *f), a check
 * of the user range and a bounce buffer of up to IO_CHUNK bytes (*kbuf).
 * Returns 0, or -EBADF/-EFAULT/-ENOMEM with nothing held.
 */
static long io_begin(int fd, const void *ubuf, size_t n, struct file **f, char **kbuf)
{
	*f = fd_file(fd);
	if (!*f)
		return -EBADF;
	if (!user_range_ok((uintptr_t)ubuf, n)) {
		file_put(*f);
		return -EFAULT;
	}
	*kbuf = kmalloc(MIN(n, IO_CHUNK) ? MIN(n, IO_CHUNK) : 1, MEM_WAIT);
	if (!*kbuf) {
		file_put(*f);
		return -ENOMEM;
	}
	return 0;
}

/* read/pread core: off < 0 means "use and advance the file position". */
static long do_read(int fd, void *ubuf, size_t n, s64 off)
{
	struct file *f;
	char *kbuf;
	long done = io_begin(fd, ubuf, n, &f, &kbuf);

	if (done)
		return done;
	do {
		size_t want = MIN(n - done, IO_CHUNK);
		ssize_t got = off < 0 ? vfs_read(f, kbuf, want) : vfs_pread(f, kbuf, want, off + done);

		if (got < 0) {
			done = done ? done : got;
			break;
		}
		if (copy_to_user((char *)ubuf + done, kbuf, got)) {
			done = done ? done : -EFAULT;
			break;
		}
		done += got;
		if ((size_t)got < want)
			break;
	} while ((size_t)done < n);
	kfree(kbuf);
	file_put(f);
	return done;
}

long write_fsize_check(struct file *f, s64 off, size_t *n, bool signal)
{
	u64 limit = READ_ONCE(current_proc()->rlimits[RLIMIT_FSIZE][0]), pos;

	if (limit == ~0ULL || !*n || !S_ISREG(f->inode->mode) || !(f->fmode & FMODE_WRITE))
		return 0;
	/* The O_APPEND end is read unlocked: a racing append may get past the limit. */
	pos = (f->flags & O_APPEND) ? READ_ONCE(f->inode->size) : off < 0 ? f->pos : (u64)off;
	if (pos >= limit) {
		if (signal)
			send_signal_task(current(), SIGXFSZ, NULL);
		return -EFBIG;
	}
	*n = MIN(*n, (size_t)(limit - pos));
	return 0;
}

/*
 * write/pwrite core (off < 0: at the file position); first is false for
 * a later part of a writev that already wrote (no SIGXFSZ then, as the
 * limit only cuts it short).  Bytes written or -errno.
 */
static long do_write(int fd, const void *ubuf, size_t n, s64 off, bool first)
{
	struct file *f;
	char *kbuf;
	long done = io_begin(fd, ubuf, n, &f, &kbuf);

	if (done)
		return done;
	done = write_fsize_check(f, off, &n, first);
	if (done)
		goto out;
	do {
		size_t want = MIN(n - done, IO_CHUNK);
		ssize_t put;

		if (copy_from_user(kbuf, (const char *)ubuf + done, want)) {
			done = done ? done : -EFAULT;
			break;
		}
		put = off < 0 ? vfs_write(f, kbuf, want) : vfs_pwrite(f, kbuf, want, off + done);
		if (put < 0) {
			if (put == -EPIPE)
				send_signal_task(current(), SIGPIPE, NULL);
			done = done ? done : put;
			break;
		}
		done += put;
		if ((size_t)put < want)
			break;
	} while ((size_t)done < n);
out:
	kfree(kbuf);
	file_put(f);
	return done;
}

SYSCALL_DEFINE3(read, int, fd, void *, buf, size_t, n)
{
	return do_read(fd, buf, n, -1);
}

SYSCALL_DEFINE3(write, int, fd, const void *, buf, size_t, n)
{
	return do_write(fd, buf, n, -1, true);
}

SYSCALL_DEFINE4(pread64, int, fd, void *, buf, size_t, n, s64, off)
{
	return off < 0 ? -EINVAL : do_read(fd, buf, n, off);
}

SYSCALL_DEFINE4(pwrite64, int, fd, const void *, buf, size_t, n, s64, off)
{
	return off < 0 ? -EINVAL : do_write(fd, buf, n, off, true);
}

/* readv/writev core, at off (< 0: at and advancing the file position); bytes or -errno. */
long do_iov(int fd, const struct abi_iovec *uiov, int cnt, bool wr, s64 off)
{
	struct abi_iovec iov;
	long total = 0;

	if (cnt < 0 || cnt > UIO_MAXIOV)
		return -EINVAL;
	for (int i = 0; i < cnt; i++) {
		long r;
		s64 at;

		if (copy_from_user(&iov, &uiov[i], sizeof(iov)))
			return total ? total : -EFAULT;
		if ((s64)iov.len < 0)
			return -EINVAL;
		if (!iov.len)
			continue;
		at = off < 0 ? -1 : off + total;
		r = wr ? do_write(fd, (const void *)iov.base, iov.len, at, !total)
		       : do_read(fd, (void *)iov.base, iov.len, at);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((u64)r < iov.len)
			break;
	}
	return total;
}

SYSCALL_DEFINE3(readv, int, fd, const struct abi_iovec *, iov, int, cnt)
{
	return do_iov(fd, iov, cnt, false, -1);
}

SYSCALL_DEFINE3(writev, int, fd, const struct abi_iovec *, iov, int, cnt)
{
	return do_iov(fd, iov, cnt, true, -1);
}

/* x86-64 passes the whole offset in pos_l; pos_h only matters on 32-bit. */
SYSCALL_DEFINE5(preadv, int, fd, const struct abi_iovec *, iov, int, cnt, s64, pos_l,
		s64, pos_h)
{
	(void)pos_h;
	return pos_l < 0 ? -EINVAL : do_iov(fd, iov, cnt, false, pos_l);
}

SYSCALL_DEFINE5(pwritev, int, fd, const struct abi_iovec *, iov, int, cnt, s64, pos_l,
		s64, pos_h)
{
	(void)pos_h;
	return pos_l < 0 ? -EINVAL : do_iov(fd, iov, cnt, true, pos_l);
}

SYSCALL_DEFINE3(lseek, int, fd, s64, off, int, whence)
{
	struct file *f = fd_file(fd);
	s64 r;

	if (!f)
		return -EBADF;
	r = vfs_lseek(f, off, whence);
	file_put(f);
	return r;
}

/* openat core: path from user, new fd or -errno. */
long do_openat(int dirfd, const char *upath, int flags, u32 mode)
{
	struct proc *p = current_proc();
	struct file *dirf = NULL, *f;
	char *path = kmalloc(PATH_MAX, MEM_WAIT);
	long err;

	if (!path)
		return -ENOMEM;
	err = strncpy_from_user(path, upath, PATH_MAX);
	if (err < 0)
		goto out;
	if (dirfd != AT_FDCWD && path[0] != '/') {
		dirf = fd_file(dirfd);
		if (!dirf) {
			err = -EBADF;
			goto out;
		}
	}
	/* x86-64 Linux forces O_LARGEFILE (visible in F_GETFL), except for O_PATH. */
	if (!(flags & O_PATH))
		flags |= O_LARGEFILE;
	mode &= ~READ_ONCE(p->fs.fs->umask) & 07777;
	err = vfs_openat(&p->fs, dirf, path, flags, mode, &f);
	if (!err) {
		err = fdt_install(p->fdt, f, 0, flags & O_CLOEXEC);
		if (err < 0)
			file_put(f);
	}
out:
	if (dirf)
		file_put(dirf);
	kfree(path);
	return err;
}

SYSCALL_DEFINE3(open, const char *, path, int, flags, u32, mode)
{
	return do_openat(AT_FDCWD, path, flags, mode);
}

SYSCALL_DEFINE4(openat, int, dirfd, const char *, path, int, flags, u32, mode)
{
	return do_openat(dirfd, path, flags, mode);
}

SYSCALL_DEFINE1(close, int, fd)
{
	return fdt_close(current_proc()->fdt, fd);
}

/* The ioctls every file answers (Linux's do_vfs_ioctl); -ENOIOCTLCMD-like 1 if not one. */
static long generic_ioctl(struct file *f, int fd, u32 cmd, unsigned long arg)
{
	int on;

	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		return fdt_set_cloexec(current_proc()->fdt, fd, cmd == FIOCLEX);
	case FIONBIO:
	case FIOASYNC:
		if (copy_from_user(&on, (const void *)arg, sizeof(on)))
			return -EFAULT;
		if (cmd == FIONBIO) {
			if (on)
				__atomic_fetch_or(&f->flags, O_NONBLOCK, __ATOMIC_RELAXED);
			else
				__atomic_fetch_and(&f->flags, ~(u32)O_NONBLOCK, __ATOMIC_RELAXED);
		}
		return 0;
	case FIONREAD:
		if (!S_ISREG(f->inode->mode))
			return 1;
		on = f->inode->size > f->pos ? (int)MIN(f->inode->size - f->pos, 0x7fffffffu) : 0;
		return copy_to_user((void *)arg, &on, sizeof(on)) ? -EFAULT : 0;
	default:
		return 1;
	}
}

SYSCALL_DEFINE3(ioctl, int, fd, u32, cmd, unsigned long, arg)
{
	struct file *f = fd_file(fd);
	long r;

	if (!f)
		return -EBADF;
	r = f->fops ? generic_ioctl(f, fd, cmd, arg) : -EBADF;
	if (r == 1)
		r = vfs_ioctl(f, cmd, arg);
	file_put(f);
	return r;
}

SYSCALL_DEFINE2(fstat, int, fd, struct abi_stat *, ust)
{
	struct file *f = fd_file(fd);
	struct abi_stat st;
	int err;

	if (!f)
		return -EBADF;
	err = vfs_fstat(f, &st);
	file_put(f);
	if (!err && copy_to_user(ust, &st, sizeof(st)))
		err = -EFAULT;
	return err;
}

/*
 * Resolve the (dirfd, user path) pair every *at call takes: copies the
 * path into a new kernel buffer (*path, kfree it) and takes a reference
 * on the directory file (*dirf, NULL for AT_FDCWD or absolute paths).
 * Returns 0 or -errno (nothing to free then).
 */
int at_args(int dirfd, const char *upath, char **path, struct file **dirf)
{
	long n;

	*dirf = NULL;
	*path = kmalloc(PATH_MAX, MEM_WAIT);
	if (!*path)
		return -ENOMEM;
	n = strncpy_from_user(*path, upath, PATH_MAX);
	if (n < 0) {
		kfree(*path);
		return n;
	}
	if (dirfd != AT_FDCWD && (*path)[0] != '/') {
		*dirf = fd_file(dirfd);
		if (!*dirf) {
			kfree(*path);
			return -EBADF;
		}
	}
	return 0;
}

void at_args_put(char *path, struct file *dirf)
{
	if (dirf)
		file_put(dirf);
	kfree(path);
}

static long do_fstatat(int dirfd, const char *upath, struct abi_stat *ust, int flags)
{
	struct abi_stat st;
	struct file *dirf;
	char *path;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */))
		return -EINVAL;
	err = at_args(dirfd, upath, &path, &dirf);
	if (err)
		return err;
	err = vfs_statat(&current_proc()->fs, dirf, path, flags, &st);
	at_args_put(path, dirf);
	if (!err && copy_to_user(ust, &st, sizeof(st)))
		err = -EFAULT;
	return err;
}

SYSCALL_DEFINE4(newfstatat, int, dirfd, const char *, path, struct abi_stat *, st, int, flags)
{
	return do_fstatat(dirfd, path, st, flags);
}

SYSCALL_DEFINE2(stat, const char *, path, struct abi_stat *, st)
{
	return do_fstatat(AT_FDCWD, path, st, 0);
}

SYSCALL_DEFINE2(lstat, const char *, path, struct abi_stat *, st)
{
	return do_fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}
