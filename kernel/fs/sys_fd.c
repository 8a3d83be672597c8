/*
 * File system calls, part 2: descriptor management (dup, dup2, dup3,
 * close_range, fcntl, flock, pipe, pipe2) and file-to-file copies (sendfile,
 * copy_file_range, cut short by RLIMIT_FSIZE like write), plus
 * fadvise64.  fcntl's F_ADD_SEALS/F_GET_SEALS are memfd.c's.
 *
 * Record and flock locks are advisory and there is only one user of the
 * machine's files at a time in practice, so they are accepted after the
 * same validation Linux does and never conflict: F_GETLK always answers
 * F_UNLCK.  That is enough for programs that lock "just in case".
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/signal.h>
#include <kern/vfs.h>
#include <kern/fdtable.h>
#include <kern/pipe.h>
#include <kern/uaccess.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <abi/fcntl.h>

SYSCALL_DEFINE1(dup, int, fd)
{
	return fdt_dup(current_proc()->fdt, fd, 0, false);
}

SYSCALL_DEFINE2(dup2, int, oldfd, int, newfd)
{
	return fdt_dup3(current_proc()->fdt, oldfd, newfd, -1);
}

SYSCALL_DEFINE3(dup3, int, oldfd, int, newfd, int, flags)
{
	return fdt_dup3(current_proc()->fdt, oldfd, newfd, flags);
}

/* F_GETLK/F_SETLK*: validate the request; no lock ever conflicts. */
static long fcntl_lock(struct file *f, int cmd, struct abi_flock *ufl)
{
	struct abi_flock fl;

	if (copy_from_user(&fl, ufl, sizeof(fl)))
		return -EFAULT;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK && fl.l_type != F_UNLCK)
		return -EINVAL;
	if (fl.l_whence != SEEK_SET && fl.l_whence != SEEK_CUR && fl.l_whence != SEEK_END)
		return -EINVAL;
	if (cmd >= F_OFD_GETLK && fl.l_pid)
		return -EINVAL;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		if (fl.l_type == F_UNLCK)
			return -EINVAL;
		fl.l_type = F_UNLCK;
		return copy_to_user(ufl, &fl, sizeof(fl)) ? -EFAULT : 0;
	}
	if (!f->fops)
		return -EBADF;		/* O_PATH */
	if (fl.l_type == F_RDLCK && !(f->fmode & FMODE_READ))
		return -EBADF;
	if (fl.l_type == F_WRLCK && !(f->fmode & FMODE_WRITE))
		return -EBADF;
	return 0;
}

#define SETFL_MASK	(O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

static long do_fcntl(struct file *f, int fd, int cmd, unsigned long arg)
{
	struct fd_table *fdt = current_proc()->fdt;

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((long)(int)arg != (long)arg || (int)arg < 0)
			return -EINVAL;
		return fdt_dup(fdt, fd, (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return fdt_get_cloexec(fdt, fd);
	case F_SETFD:
		return fdt_set_cloexec(fdt, fd, arg & FD_CLOEXEC);
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		if (!f->fops)
			return -EBADF;
		__atomic_store_n(&f->flags, (f->flags & ~SETFL_MASK) | ((u32)arg & SETFL_MASK),
				 __ATOMIC_RELAXED);
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return fcntl_lock(f, cmd, (struct abi_flock *)arg);
	case F_GETOWN:
	case F_GETSIG:
	case F_GETLEASE:
		return cmd == F_GETLEASE ? F_UNLCK : 0;
	case F_SETOWN:
	case F_SETSIG:
		return f->fops ? 0 : -EBADF;
	case F_GETPIPE_SZ:
		return file_is_pipe(f) ? PIPE_SIZE : -EBADF;
	case F_SETPIPE_SZ:
		if (!file_is_pipe(f))
			return -EBADF;
		return arg <= PIPE_SIZE ? PIPE_SIZE : -EPERM;
	case F_ADD_SEALS:
		return f->fops ? memfd_add_seals(f, (u32)arg) : -EBADF;
	case F_GET_SEALS:
		return f->fops ? memfd_get_seals(f) : -EBADF;
	default:
		return -EINVAL;
	}
}

/*
 * Give p a private copy of a descriptor table it shares with other
 * processes (CLONE_FILES); 0 or -ENOMEM.  The threads of p keep sharing
 * the table, which belongs to the process here, not to each thread.
 */
static int unshare_fdt(struct proc *p)
{
	struct fd_table *old = p->fdt, *n;
	u64 flags;

	if (!READ_ONCE(old->sharers))
		return 0;
	n = kzmalloc(sizeof(*n), MEM_WAIT);
	if (!n)
		return -ENOMEM;
	if (fdt_copy(n, old)) {
		kfree(n);
		return -ENOMEM;
	}
	n->sharers = 0;
	flags = spin_lock_irqsave(&p->lock);	/* #proc readers look at p->fdt under it */
	p->fdt = n;
	spin_unlock_irqrestore(&p->lock, flags);
	fdt_put(old);
	return 0;
}

SYSCALL_DEFINE3(close_range, unsigned int, first, unsigned int, last, unsigned int, flags)
{
	struct proc *p = current_proc();
	int err;

	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if (flags & CLOSE_RANGE_UNSHARE) {
		err = unshare_fdt(p);
		if (err)
			return err;
	}
	fdt_close_range(p->fdt, first, last, flags & CLOSE_RANGE_CLOEXEC);
	return 0;
}

SYSCALL_DEFINE3(fcntl, int, fd, int, cmd, unsigned long, arg)
{
	struct file *f = fd_file(fd);
	long r;

	if (!f)
		return -EBADF;
	r = do_fcntl(f, fd, cmd, arg);
	file_put(f);
	return r;
}

SYSCALL_DEFINE2(flock, int, fd, unsigned int, op)
{
	struct file *f = fd_file(fd);
	unsigned int type = op & ~LOCK_NB;
	long r = 0;

	if (!f)
		return -EBADF;
	if (!f->fops)
		r = -EBADF;
	else if (type != LOCK_SH && type != LOCK_EX && type != LOCK_UN)
		r = -EINVAL;
	file_put(f);
	return r;
}

SYSCALL_DEFINE2(pipe2, int *, ufds, int, flags)
{
	struct fd_table *fdt = current_proc()->fdt;
	struct file *rd, *wr;
	int fds[2], err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	err = pipe_create(flags, &rd, &wr);
	if (err)
		return err;
	fds[0] = fdt_install(fdt, rd, 0, flags & O_CLOEXEC);
	if (fds[0] < 0) {
		err = fds[0];
		goto fail_rd;
	}
	fds[1] = fdt_install(fdt, wr, 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		err = fds[1];
		goto fail_wr;
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fdt_close(fdt, fds[1]);
		fdt_close(fdt, fds[0]);
		return -EFAULT;
	}
	return 0;
fail_wr:
	fdt_close(fdt, fds[0]);
	file_put(wr);
	return err;
fail_rd:
	file_put(rd);
	file_put(wr);
	return err;
}

SYSCALL_DEFINE1(pipe, int *, ufds)
{
	return sys_pipe2(&(struct syscall_args){ .a = { (u64)ufds, 0 } });
}

#define POSIX_FADV_MAX	5

SYSCALL_DEFINE4(fadvise64, int, fd, s64, off, s64, len, int, advice)
{
	struct file *f = fd_file(fd);
	long r = 0;

	if (!f)
		return -EBADF;
	if (file_is_pipe(f))
		r = -ESPIPE;
	else if (advice < 0 || advice > POSIX_FADV_MAX || len < 0)
		r = -EINVAL;
	(void)off;
	file_put(f);
	return r;
}

#define COPY_CHUNK	(64 * 1024)
#define MAX_RW_COUNT	0x7ffff000ul

/*
 * Copy up to count bytes from in (at *inoff, or its position if inoff is
 * NULL) to out (likewise), yielding the CPU between chunks when the tick
 * asks.  Returns bytes copied, or -errno if none.
 */
static long copy_between(struct file *in, s64 *inoff, struct file *out, s64 *outoff,
			 size_t count)
{
	char *buf = kmalloc(COPY_CHUNK, MEM_WAIT);
	size_t done = 0;
	long r = 0;

	if (!buf)
		return -ENOMEM;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	while (done < count) {
		size_t want = MIN(count - done, COPY_CHUNK);
		ssize_t got = inoff ? vfs_pread(in, buf, want, *inoff) : vfs_read(in, buf, want);
		ssize_t put;
		size_t len;

		if (got <= 0) {
			r = got;
			break;
		}
		len = (size_t)got;
		put = write_fsize_check(out, outoff ? *outoff : -1, &len, true);
		if (!put)
			put = outoff ? vfs_pwrite(out, buf, len, *outoff) : vfs_write(out, buf, len);
		/* Linux's splice writes again what RLIMIT_FSIZE cut: SIGXFSZ after a short copy too. */
		if (put >= 0 && (size_t)put == len && len < (size_t)got)
			send_signal_task(current(), SIGXFSZ, NULL);
		if (put < 0) {
			if (put == -EPIPE)
				send_signal_task(current(), SIGPIPE, NULL);
			if (!inoff)
				in->pos -= (u64)got;	/* none of this chunk was written */
			r = put;
			break;
		}
		if (inoff)
			*inoff += put;
		else if (put < got)
			in->pos -= (u64)(got - put);	/* give back what was not written */
		if (outoff)
			*outoff += put;
		done += (size_t)put;
		if (put < got || (size_t)got < want)
			break;
		/* The kernel is not preemptive: a long copy yields when its slice is up. */
		cond_resched();
	}
	kfree(buf);
	if (done)
		return (long)done;
	return r == -ERESTARTSYS ? -EINTR : r;
}

SYSCALL_DEFINE4(sendfile, int, outfd, int, infd, s64 *, uoff, size_t, count)
{
	struct file *in = fd_file(infd), *out = fd_file(outfd);
	s64 off = 0;
	long r;

	r = -EBADF;
	if (!in || !out)
		goto out;
	if (!(in->fmode & FMODE_READ) || !(out->fmode & FMODE_WRITE))
		goto out;
	r = -EINVAL;
	if (out->flags & O_APPEND)
		goto out;
	r = -EFAULT;
	if (uoff && copy_from_user(&off, uoff, sizeof(off)))
		goto out;
	r = -EINVAL;
	if (off < 0)
		goto out;
	r = -ESPIPE;
	if (uoff && in->fops && in->fops->nonseekable)
		goto out;
	r = copy_between(in, uoff ? &off : NULL, out, NULL, count);
	if (uoff && r >= 0 && copy_to_user(uoff, &off, sizeof(off)))
		r = -EFAULT;
out:
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return r;
}

SYSCALL_DEFINE6(copy_file_range, int, infd, s64 *, uinoff, int, outfd, s64 *, uoutoff,
		size_t, len, unsigned int, flags)
{
	struct file *in = fd_file(infd), *out = fd_file(outfd);
	s64 inoff = 0, outoff = 0;
	long r;

	r = -EBADF;
	if (!in || !out)
		goto out;
	r = -EINVAL;
	if (flags)
		goto out;
	r = -EBADF;
	if (!(in->fmode & FMODE_READ) || !(out->fmode & FMODE_WRITE) || (out->flags & O_APPEND))
		goto out;
	r = -EISDIR;
	if (S_ISDIR(in->inode->mode) || S_ISDIR(out->inode->mode))
		goto out;
	r = -EINVAL;
	if (!S_ISREG(in->inode->mode) || !S_ISREG(out->inode->mode))
		goto out;
	r = -EFAULT;
	if ((uinoff && copy_from_user(&inoff, uinoff, sizeof(inoff))) ||
	    (uoutoff && copy_from_user(&outoff, uoutoff, sizeof(outoff))))
		goto out;
	if (!uinoff)
		inoff = (s64)in->pos;
	if (!uoutoff)
		outoff = (s64)out->pos;
	r = -EINVAL;
	if (inoff < 0 || outoff < 0)
		goto out;
	if (in->inode == out->inode && inoff < outoff + (s64)len && outoff < inoff + (s64)len)
		goto out;
	r = copy_between(in, &inoff, out, &outoff, len);
	if (r >= 0) {
		if (uinoff ? copy_to_user(uinoff, &inoff, sizeof(inoff)) : 0)
			r = -EFAULT;
		else if (!uinoff)
			in->pos = (u64)inoff;
		if (uoutoff ? copy_to_user(uoutoff, &outoff, sizeof(outoff)) : 0)
			r = -EFAULT;
		else if (!uoutoff)
			out->pos = (u64)outoff;
	}
out:
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return r;
}
