/*
 * File system calls, part 4: attributes.  Permission checks (access,
 * faccessat, faccessat2), modes and owners (chmod, fchmod, fchmodat,
 * chown, fchown, lchown, fchownat), times (utimensat, utimes, utime,
 * futimesat), sizes (truncate, ftruncate, fallocate: growing past
 * RLIMIT_FSIZE is EFBIG and SIGXFSZ), statx, statfs/fstatfs, and the sync family, which
 * has nothing to do on a RAM file system.
 *
 * access() checks with the real user and group ids, faccessat2 with
 * AT_EACCESS with the effective ones, as on Linux.  statfs describes the
 * ramfs as Linux describes a tmpfs: 4 KiB blocks, sized from free memory.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/signal.h>
#include <kern/vfs.h>
#include <kern/pmm.h>
#include <kern/clock.h>
#include <kern/uaccess.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <abi/fcntl.h>
#include <abi/stat.h>
#include "internal.h"

static long do_faccessat(int dirfd, const char *upath, int mode, int flags)
{
	struct proc *p = current_proc();
	struct vfs_ctx ctx = p->fs;	/* borrowed: no references of its own */
	struct file *dirf;
	char *path;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!(flags & AT_EACCESS)) {
		ctx.uid = p->uid;
		ctx.gid = p->gid;
	}
	err = at_args(dirfd, upath, &path, &dirf);
	if (err)
		return err;
	err = vfs_faccessat(&ctx, dirf, path, mode, flags);
	at_args_put(path, dirf);
	return err;
}

SYSCALL_DEFINE2(access, const char *, path, int, mode)
{
	return do_faccessat(AT_FDCWD, path, mode, 0);
}

SYSCALL_DEFINE3(faccessat, int, dirfd, const char *, path, int, mode)
{
	return do_faccessat(dirfd, path, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, int, dirfd, const char *, path, int, mode, int, flags)
{
	return do_faccessat(dirfd, path, mode, flags);
}

static long do_fchmodat(int dirfd, const char *upath, u32 mode, int flags)
{
	struct file *dirf;
	char *path;
	int err = at_args(dirfd, upath, &path, &dirf);

	if (err)
		return err;
	err = vfs_fchmodat(&current_proc()->fs, dirf, path, mode, flags);
	at_args_put(path, dirf);
	return err;
}

SYSCALL_DEFINE3(fchmodat, int, dirfd, const char *, path, u32, mode)
{
	return do_fchmodat(dirfd, path, mode, 0);
}

SYSCALL_DEFINE2(chmod, const char *, path, u32, mode)
{
	return do_fchmodat(AT_FDCWD, path, mode, 0);
}

SYSCALL_DEFINE2(fchmod, int, fd, u32, mode)
{
	struct file *f = fd_file(fd);
	int err;

	if (!f)
		return -EBADF;
	err = f->fops ? vfs_fchmod(&current_proc()->fs, f, mode) : -EBADF;
	file_put(f);
	return err;
}

static long do_fchownat(int dirfd, const char *upath, u32 uid, u32 gid, int flags)
{
	struct file *dirf;
	char *path;
	int err = at_args(dirfd, upath, &path, &dirf);

	if (err)
		return err;
	err = vfs_fchownat(&current_proc()->fs, dirf, path, uid, gid, flags);
	at_args_put(path, dirf);
	return err;
}

SYSCALL_DEFINE5(fchownat, int, dirfd, const char *, path, u32, uid, u32, gid, int, flags)
{
	return do_fchownat(dirfd, path, uid, gid, flags);
}

SYSCALL_DEFINE3(chown, const char *, path, u32, uid, u32, gid)
{
	return do_fchownat(AT_FDCWD, path, uid, gid, 0);
}

SYSCALL_DEFINE3(lchown, const char *, path, u32, uid, u32, gid)
{
	return do_fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE3(fchown, int, fd, u32, uid, u32, gid)
{
	struct file *f = fd_file(fd);
	int err;

	if (!f)
		return -EBADF;
	err = f->fops ? vfs_fchownat(&current_proc()->fs, f, "", uid, gid, AT_EMPTY_PATH)
		      : -EBADF;
	file_put(f);
	return err;
}

/* utimensat core on kernel times (NULL = now); upath NULL means the file dirfd. */
static long do_utimens(int dirfd, const char *upath, const struct abi_timespec *times,
		       int flags)
{
	struct file *dirf;
	char *path;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!upath) {
		if (dirfd == AT_FDCWD)
			return -EFAULT;
		dirf = fd_file(dirfd);
		if (!dirf)
			return -EBADF;
		err = vfs_utimensat(&current_proc()->fs, dirf, NULL, times, flags);
		file_put(dirf);
		return err;
	}
	err = at_args(dirfd, upath, &path, &dirf);
	if (err)
		return err;
	err = vfs_utimensat(&current_proc()->fs, dirf, path, times, flags);
	at_args_put(path, dirf);
	return err;
}

SYSCALL_DEFINE4(utimensat, int, dirfd, const char *, path, const struct abi_timespec *, utimes,
		int, flags)
{
	struct abi_timespec ts[2];

	if (utimes && copy_from_user(ts, utimes, sizeof(ts)))
		return -EFAULT;
	return do_utimens(dirfd, path, utimes ? ts : NULL, flags);
}

/* utimes/futimesat: timevals to timespecs; -EINVAL for a bad tv_usec. */
static long do_futimesat(int dirfd, const char *path, const struct abi_timeval *utv)
{
	struct abi_timeval tv[2];
	struct abi_timespec ts[2];

	if (!utv)
		return do_utimens(dirfd, path, NULL, 0);
	if (copy_from_user(tv, utv, sizeof(tv)))
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return do_utimens(dirfd, path, ts, 0);
}

SYSCALL_DEFINE2(utimes, const char *, path, const struct abi_timeval *, tv)
{
	return do_futimesat(AT_FDCWD, path, tv);
}

SYSCALL_DEFINE3(futimesat, int, dirfd, const char *, path, const struct abi_timeval *, tv)
{
	return do_futimesat(dirfd, path, tv);
}

SYSCALL_DEFINE2(utime, const char *, path, const struct abi_utimbuf *, ubuf)
{
	struct abi_utimbuf b;
	struct abi_timespec ts[2];

	if (!ubuf)
		return do_utimens(AT_FDCWD, path, NULL, 0);
	if (copy_from_user(&b, ubuf, sizeof(b)))
		return -EFAULT;
	ts[0] = (struct abi_timespec){ .tv_sec = b.actime };
	ts[1] = (struct abi_timespec){ .tv_sec = b.modtime };
	return do_utimens(AT_FDCWD, path, ts, 0);
}

/* The caller's RLIMIT_FSIZE in bytes (~0: none). */
static u64 fsize_limit(void)
{
	return READ_ONCE(current_proc()->rlimits[RLIMIT_FSIZE][0]);
}

/* Linux sends SIGXFSZ when a truncate fails for growing past RLIMIT_FSIZE; err passes through. */
static int fsize_signal(int err, s64 len, u64 limit)
{
	if (err == -EFBIG && (u64)len > limit)
		send_signal_task(current(), SIGXFSZ, NULL);
	return err;
}

SYSCALL_DEFINE2(truncate, const char *, upath, s64, len)
{
	u64 limit = fsize_limit();
	struct file *dirf;
	char *path;
	int err;

	if (len < 0)
		return -EINVAL;
	err = at_args(AT_FDCWD, upath, &path, &dirf);
	if (err)
		return err;
	err = vfs_truncate(&current_proc()->fs, dirf, path, len, limit);
	at_args_put(path, dirf);
	return fsize_signal(err, len, limit);
}

SYSCALL_DEFINE2(ftruncate, int, fd, s64, len)
{
	struct file *f = fd_file(fd);
	u64 limit = fsize_limit();
	int err;

	if (!f)
		return -EBADF;
	err = len < 0 ? -EINVAL : vfs_ftruncate(f, len, limit);
	file_put(f);
	return fsize_signal(err, len, limit);
}

SYSCALL_DEFINE4(fallocate, int, fd, int, mode, s64, off, s64, len)
{
	struct file *f = fd_file(fd);
	u64 limit = fsize_limit();
	s64 end;
	int err;

	if (!f)
		return -EBADF;
	err = (f->flags & O_PATH) ? -EBADF : vfs_fallocate(f, mode, off, len, limit);
	file_put(f);
	/* EFBIG for an overflowing range is not the rlimit's: no signal. */
	if (off >= 0 && len > 0 && !check_add_overflow(off, len, &end))
		err = fsize_signal(err, end, limit);
	return err;
}

SYSCALL_DEFINE5(statx, int, dirfd, const char *, upath, int, flags, u32, mask,
		struct abi_statx *, ubuf)
{
	struct abi_statx stx;
	struct file *dirf;
	char *path;
	int err;

	err = at_args(dirfd, upath, &path, &dirf);
	if (err)
		return err;
	err = vfs_statx(&current_proc()->fs, dirf, path, flags, mask, &stx);
	at_args_put(path, dirf);
	if (!err && copy_to_user(ubuf, &stx, sizeof(stx)))
		err = -EFAULT;
	return err;
}

static void fill_statfs(struct abi_statfs *st)
{
	u64 free_pages = pmm_free_pages();

	memset(st, 0, sizeof(*st));
	st->f_type = TMPFS_MAGIC;
	st->f_bsize = 4096;
	st->f_frsize = 4096;
	st->f_blocks = pmm_total_pages() / 2;
	st->f_bfree = MIN(free_pages, st->f_blocks);
	st->f_bavail = st->f_bfree;
	st->f_files = st->f_blocks / 2;
	st->f_ffree = st->f_files;
	st->f_namelen = NAME_MAX;
	st->f_flags = ST_RELATIME;
}

SYSCALL_DEFINE2(statfs, const char *, upath, struct abi_statfs *, ubuf)
{
	struct abi_statfs st;
	struct file *dirf;
	struct path p;
	char *path;
	int err = at_args(AT_FDCWD, upath, &path, &dirf);

	if (err)
		return err;
	err = vfs_lookup(&current_proc()->fs, NULL, path, LOOKUP_FOLLOW, &p);
	at_args_put(path, dirf);
	if (err)
		return err;
	path_put(&p);
	fill_statfs(&st);
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(fstatfs, int, fd, struct abi_statfs *, ubuf)
{
	struct file *f = fd_file(fd);
	struct abi_statfs st;

	if (!f)
		return -EBADF;
	file_put(f);
	fill_statfs(&st);
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

/* fsync/fdatasync/syncfs: nothing is cached anywhere, only the fd is checked. */
static long sync_fd(int fd)
{
	struct file *f = fd_file(fd);
	long r;

	if (!f)
		return -EBADF;
	r = f->fops ? 0 : -EBADF;
	file_put(f);
	return r;
}

SYSCALL_DEFINE1(fsync, int, fd)
{
	return sync_fd(fd);
}

SYSCALL_DEFINE1(fdatasync, int, fd)
{
	return sync_fd(fd);
}

SYSCALL_DEFINE1(syncfs, int, fd)
{
	return sync_fd(fd);
}

SYSCALL_DEFINE0(sync)
{
	return 0;
}
