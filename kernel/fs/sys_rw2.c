/*
 * preadv2 and pwritev2: preadv/pwritev with an offset that may be -1 (use
 * and advance the file position, as readv/writev) and per-call RWF_*
 * flags, Linux 6.1's set.  The transfer itself is sys_file.c's vector
 * core; this file only decides what the flags mean here:
 *  - RWF_HIPRI, RWF_DSYNC, RWF_SYNC: accepted; files live in memory, so
 *    there is no device to poll or to flush to.
 *  - RWF_NOWAIT: regular files (ramfs) never wait, so it is accepted for
 *    them; other files (pipes, ttys, devices) give EOPNOTSUPP, as Linux
 *    does for files without FMODE_NOWAIT (Linux has it for pipes; here a
 *    pipe read could block, so it is refused rather than ignored).
 *  - RWF_APPEND: the write goes to the end of a regular file, and with
 *    offset -1 the file position follows it (Linux's IOCB_APPEND).  The
 *    end is read before the write, so a racing append can interleave.
 *  - anything else: EOPNOTSUPP.
 * Checks follow Linux's order: EINVAL for an offset below -1, EBADF,
 * ESPIPE (offset on an unseekable file), the iovec (EINVAL, EFAULT),
 * EBADF for the wrong access mode, 0 for nothing to transfer (before the
 * flags are looked at), then EOPNOTSUPP.
 */
#include <kern/syscall.h>
#include <kern/vfs.h>
#include <kern/uaccess.h>
#include <kern/errno.h>
#include <abi/stat.h>
#include <kern/fdtable.h>
#include <abi/uio.h>
#include "internal.h"

#define RWF_SUPPORTED	(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND)

/* Validate cnt iovecs at uiov and sum their lengths into *total; 0 or -EINVAL/-EFAULT. */
static long iov_total(const struct abi_iovec *uiov, int cnt, u64 *total)
{
	struct abi_iovec iov;

	*total = 0;
	if (cnt < 0 || cnt > UIO_MAXIOV)
		return -EINVAL;
	for (int i = 0; i < cnt; i++) {
		if (copy_from_user(&iov, &uiov[i], sizeof(iov)))
			return -EFAULT;
		if ((s64)iov.len < 0)
			return -EINVAL;
		*total += iov.len;
	}
	return 0;
}

/* preadv2/pwritev2 core: bytes transferred or -errno. */
static long do_rw2(int fd, const struct abi_iovec *uiov, int cnt, s64 pos, u32 flags, bool wr)
{
	struct file *f;
	u64 total;
	long ret;

	if (pos < -1)
		return -EINVAL;
	f = fd_file(fd);
	if (!f)
		return -EBADF;
	ret = -ESPIPE;
	if (pos >= 0 && f->fops && f->fops->nonseekable)
		goto out;
	ret = iov_total(uiov, cnt, &total);
	if (ret)
		goto out;
	ret = -EBADF;
	if (!(f->fmode & (wr ? FMODE_WRITE : FMODE_READ)))
		goto out;
	ret = 0;
	if (!total)
		goto out;
	ret = -EOPNOTSUPP;
	if (flags & ~RWF_SUPPORTED)
		goto out;
	if ((flags & RWF_NOWAIT) && !S_ISREG(f->inode->mode))
		goto out;
	if (wr && (flags & RWF_APPEND) && S_ISREG(f->inode->mode)) {
		s64 end = (s64)READ_ONCE(f->inode->size);

		ret = do_iov(fd, uiov, cnt, true, end);
		if (ret > 0 && pos == -1)
			f->pos = (u64)(end + ret);
		goto out;
	}
	ret = do_iov(fd, uiov, cnt, wr, pos);
out:
	file_put(f);
	return ret;
}

/* x86-64 passes the whole offset in pos_l; pos_h only matters on 32-bit. */
SYSCALL_DEFINE6(preadv2, int, fd, const struct abi_iovec *, iov, int, cnt, s64, pos_l,
		s64, pos_h, u32, flags)
{
	(void)pos_h;
	return do_rw2(fd, iov, cnt, pos_l, flags, false);
}

SYSCALL_DEFINE6(pwritev2, int, fd, const struct abi_iovec *, iov, int, cnt, s64, pos_l,
		s64, pos_h, u32, flags)
{
	(void)pos_h;
	return do_rw2(fd, iov, cnt, pos_l, flags, true);
}
