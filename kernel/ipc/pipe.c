/*
 * Pipes and FIFOs.
 *
 * Model: a pipe is a PIPE_SIZE byte ring plus counts of the open read
 * and write ends.  Readers block while the ring is empty and a writer
 * exists (EOF once none is left); writers block while there is no room
 * and a reader exists (EPIPE once none is left: the write syscall turns
 * that into SIGPIPE).  A write of at most PIPE_BUF bytes goes in as one
 * piece, larger writes may interleave with other writers.  O_NONBLOCK
 * gives EAGAIN instead of blocking.
 *
 * pipe2() creates an inode on the internal pipefs super block (never in
 * the namespace) and two files on it.  A FIFO is a ramfs inode of type
 * S_IFIFO: opening it attaches to the pipe hanging off inode->priv,
 * creating it on first open, and blocks (unless O_NONBLOCK) until the
 * other side is open too, like Linux: a reader waits for a writer, a
 * writer waits for a reader (O_NONBLOCK writer without reader: ENXIO),
 * O_RDWR never waits.  The pipe is freed with its last open end and
 * detached from the inode, so an idle FIFO holds no buffer.
 *
 * Locking: pipe_attach_lock protects inode->priv of pipe and FIFO inodes
 * and the pipe's users count; pipe->wq.lock protects the ring and the
 * reader/writer counts (wait_event evaluates conditions under it).
 * Order: pipe_attach_lock, then wq.lock.  Every change of readiness
 * calls poll_wake().
 */
#include <kern/pipe.h>
#include <kern/poll.h>
#include <kern/vfs.h>
#include <kern/wait.h>
#include <kern/proc.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/printk.h>
#include <kern/errno.h>
#include <kern/uaccess.h>
#include <kern/syscall.h>
#include <abi/ioctl.h>

struct pipe {
	struct wait_queue wq;	/* readers, writers and openers sleep here */
	char *buf;		/* PIPE_SIZE bytes */
	u32 head, len;		/* ring: len bytes from head; wq.lock */
	int readers, writers;	/* open ends; wq.lock */
	u64 r_opens, w_opens;	/* FIFO open counters (wake blocked opens); wq.lock */
	int users;		/* files attached, incl. blocked opens; pipe_attach_lock */
};

static struct spinlock pipe_attach_lock = SPINLOCK_INITIALIZER("pipe attach");

static struct super pipefs_sb = {
	.dev = 0xc,		/* anonymous block device 0:12, like Linux pipefs */
};

/* A new empty pipe, or NULL on ENOMEM. */
static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzmalloc(sizeof(*p), MEM_WAIT);

	if (!p)
		return NULL;
	p->buf = kmalloc(PIPE_SIZE, MEM_WAIT);
	if (!p->buf) {
		kfree(p);
		return NULL;
	}
	wait_queue_init(&p->wq, "pipe");
	return p;
}

static void pipe_free(struct pipe *p)
{
	kfree(p->buf);
	kfree(p);
}

/* Attach to the pipe of inode (creating it); NULL on ENOMEM. */
static struct pipe *pipe_get_inode(struct inode *inode)
{
	struct pipe *fresh = NULL, *p;

	for (;;) {
		spin_lock(&pipe_attach_lock);
		p = inode->priv;
		if (p || fresh) {
			if (!p) {
				p = fresh;
				inode->priv = p;
				fresh = NULL;
			}
			p->users++;
			spin_unlock(&pipe_attach_lock);
			break;
		}
		spin_unlock(&pipe_attach_lock);
		fresh = pipe_alloc();
		if (!fresh)
			return NULL;
	}
	if (fresh)
		pipe_free(fresh);
	return p;
}

/* Drop one user of inode's pipe p; frees it with the last one. */
static void pipe_put_inode(struct inode *inode, struct pipe *p)
{
	bool last;

	spin_lock(&pipe_attach_lock);
	last = --p->users == 0;
	if (last)
		inode->priv = NULL;
	spin_unlock(&pipe_attach_lock);
	if (last)
		pipe_free(p);
}

/* Count an end opened with fmode; wakes blocked opens and pollers. */
static void pipe_add_ends(struct pipe *p, u32 fmode)
{
	u64 flags = spin_lock_irqsave(&p->wq.lock);

	if (fmode & FMODE_READ) {
		p->readers++;
		p->r_opens++;
	}
	if (fmode & FMODE_WRITE) {
		p->writers++;
		p->w_opens++;
	}
	spin_unlock_irqrestore(&p->wq.lock, flags);
	wake_up(&p->wq);
	poll_wake();
}

static void pipe_drop_ends(struct pipe *p, u32 fmode)
{
	u64 flags = spin_lock_irqsave(&p->wq.lock);

	if (fmode & FMODE_READ)
		p->readers--;
	if (fmode & FMODE_WRITE)
		p->writers--;
	spin_unlock_irqrestore(&p->wq.lock, flags);
	wake_up(&p->wq);
	poll_wake();
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;

	if (!p)
		return;
	pipe_drop_ends(p, f->fmode);
	pipe_put_inode(f->inode, p);
}

static bool pipe_readable(void *arg)
{
	const struct pipe *p = arg;

	return p->len || !p->writers;
}

static ssize_t pipe_read(struct file *f, void *buf, size_t n, u64 *off)
{
	struct pipe *p = f->priv;

	(void)off;
	if (!n)
		return 0;
	for (;;) {
		u64 flags = spin_lock_irqsave(&p->wq.lock);

		if (p->len) {
			size_t got = MIN(n, p->len), first = MIN(got, PIPE_SIZE - p->head);

			memcpy(buf, p->buf + p->head, first);
			memcpy((char *)buf + first, p->buf, got - first);
			p->head = (u32)((p->head + got) % PIPE_SIZE);
			p->len -= (u32)got;
			if (!p->len)
				p->head = 0;
			spin_unlock_irqrestore(&p->wq.lock, flags);
			wake_up(&p->wq);
			poll_wake();
			return (ssize_t)got;
		}
		if (!p->writers) {
			spin_unlock_irqrestore(&p->wq.lock, flags);
			return 0;
		}
		spin_unlock_irqrestore(&p->wq.lock, flags);
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event(&p->wq, pipe_readable, p, 0))
			return -ERESTARTSYS;
	}
}

struct pipe_wcond {
	struct pipe *p;
	size_t need;
};

static bool pipe_writable(void *arg)
{
	const struct pipe_wcond *c = arg;

	return !c->p->readers || PIPE_SIZE - c->p->len >= c->need;
}

static ssize_t pipe_write(struct file *f, const void *buf, size_t n, u64 *off)
{
	struct pipe *p = f->priv;
	struct pipe_wcond c = { .p = p };
	size_t done = 0;

	(void)off;
	while (done < n || !n) {
		size_t room;
		u64 flags;

		/* Writes up to PIPE_BUF go in whole; longer ones as room appears. */
		c.need = n <= PIPE_BUF ? n : 1;
		flags = spin_lock_irqsave(&p->wq.lock);
		if (!p->readers) {
			spin_unlock_irqrestore(&p->wq.lock, flags);
			return done ? (ssize_t)done : -EPIPE;
		}
		if (!n) {
			spin_unlock_irqrestore(&p->wq.lock, flags);
			return 0;
		}
		room = PIPE_SIZE - p->len;
		if (room >= c.need && room) {
			size_t put = MIN(room, n - done);
			u32 tail = (p->head + p->len) % PIPE_SIZE;
			size_t first = MIN(put, PIPE_SIZE - tail);

			memcpy(p->buf + tail, (const char *)buf + done, first);
			memcpy(p->buf, (const char *)buf + done + first, put - first);
			p->len += (u32)put;
			done += put;
			spin_unlock_irqrestore(&p->wq.lock, flags);
			wake_up(&p->wq);
			poll_wake();
			continue;
		}
		spin_unlock_irqrestore(&p->wq.lock, flags);
		if (f->flags & O_NONBLOCK)
			return done ? (ssize_t)done : -EAGAIN;
		if (wait_event(&p->wq, pipe_writable, &c, 0))
			return done ? (ssize_t)done : -ERESTARTSYS;
	}
	return (ssize_t)done;
}

static u32 pipe_poll(struct file *f)
{
	struct pipe *p = f->priv;
	u32 mask = 0;
	u64 flags = spin_lock_irqsave(&p->wq.lock);

	if (f->fmode & FMODE_READ) {
		if (p->len)
			mask |= POLLIN;
		if (!p->writers)
			mask |= POLLHUP;
	}
	if (f->fmode & FMODE_WRITE) {
		if (PIPE_SIZE - p->len >= PIPE_BUF)
			mask |= POLLOUT;
		if (!p->readers)
			mask |= POLLERR;
	}
	spin_unlock_irqrestore(&p->wq.lock, flags);
	return mask;
}

static long pipe_ioctl(struct file *f, u32 cmd, unsigned long arg)
{
	struct pipe *p = f->priv;
	int n;

	if (cmd != FIONREAD)
		return -ENOTTY;
	n = (int)__atomic_load_n(&p->len, __ATOMIC_RELAXED);
	return copy_to_user((void *)arg, &n, sizeof(n)) ? -EFAULT : 0;
}

const struct file_ops pipe_file_ops = {
	.release = pipe_release,
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.nonseekable = true,
};

struct fifo_ocond {
	struct pipe *p;
	bool want_writer;
	u64 seen;
};

static bool fifo_peer_opened(void *arg)
{
	const struct fifo_ocond *c = arg;

	return c->want_writer ? c->p->w_opens != c->seen || c->p->writers
			      : c->p->r_opens != c->seen || c->p->readers;
}

/* FIFO open: attach, count our end, wait for the other side; -errno on failure. */
static int fifo_open(struct file *f)
{
	struct pipe *p = pipe_get_inode(f->inode);
	struct fifo_ocond c = { .p = p };
	bool nonblock = f->flags & O_NONBLOCK;
	u64 flags;

	if (!p)
		return -ENOMEM;
	f->priv = p;
	flags = spin_lock_irqsave(&p->wq.lock);
	if (f->fmode == FMODE_WRITE && nonblock && !p->readers) {
		spin_unlock_irqrestore(&p->wq.lock, flags);
		pipe_put_inode(f->inode, p);
		return -ENXIO;
	}
	c.want_writer = f->fmode == FMODE_READ;
	c.seen = c.want_writer ? p->w_opens : p->r_opens;
	spin_unlock_irqrestore(&p->wq.lock, flags);
	pipe_add_ends(p, f->fmode);
	if (f->fmode == FMODE_READ || f->fmode == FMODE_WRITE) {
		if ((f->fmode == FMODE_WRITE || !nonblock) &&
		    wait_event(&p->wq, fifo_peer_opened, &c, 0)) {
			pipe_drop_ends(p, f->fmode);
			pipe_put_inode(f->inode, p);
			return -ERESTARTSYS;
		}
	}
	return 0;
}

const struct file_ops fifo_file_ops = {
	.open = fifo_open,
	.release = pipe_release,
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.nonseekable = true,
};

bool file_is_pipe(const struct file *f)
{
	return f->fops == &pipe_file_ops || f->fops == &fifo_file_ops;
}

/* One end of the pipe behind d; -ENOMEM. */
static int pipe_end(struct dentry *d, struct pipe *p, int flags, struct file **out)
{
	struct path path = { .mnt = NULL, .dentry = d };
	int err = vfs_open_path(&path, flags, out);

	if (err)
		return err;
	(*out)->priv = p;
	spin_lock(&pipe_attach_lock);
	p->users++;
	spin_unlock(&pipe_attach_lock);
	pipe_add_ends(p, (*out)->fmode);
	return 0;
}

int pipe_create(int flags, struct file **rd, struct file **wr)
{
	struct vfs_ctx *ctx = &current_proc()->fs;
	struct dentry *d;
	struct inode *inode;
	struct pipe *p;
	char name[32];
	int err = -ENOMEM;

	spin_lock(&vfs_lock);
	inode = inode_alloc(&pipefs_sb, S_IFIFO | 0600);
	spin_unlock(&vfs_lock);
	if (!inode)
		return -ENOMEM;
	/* Named like Linux's pipefs files: /proc/PID/fd shows "pipe:[INO]". */
	d = d_alloc(NULL, name, (size_t)snprintf(name, sizeof(name), "pipe:[%llu]",
						 (unsigned long long)inode->ino));
	if (!d) {
		spin_lock(&vfs_lock);
		inode_put_locked(inode);
		spin_unlock(&vfs_lock);
		return -ENOMEM;
	}
	inode->uid = ctx->uid;
	inode->gid = ctx->gid;
	inode->fops = &pipe_file_ops;
	d->inode = inode;
	p = pipe_alloc();
	if (!p)
		goto fail_pipe;
	inode->priv = p;
	/* The inode's own reference on p until both ends hold theirs. */
	p->users = 1;
	err = pipe_end(d, p, O_RDONLY | (flags & O_NONBLOCK), rd);
	if (err)
		goto fail_rd;
	err = pipe_end(d, p, O_WRONLY | (flags & O_NONBLOCK), wr);
	if (err)
		goto fail_wr;
	pipe_put_inode(inode, p);
	spin_lock(&vfs_lock);
	d_put_locked(d);
	spin_unlock(&vfs_lock);
	return 0;
fail_wr:
	file_put(*rd);
fail_rd:
	pipe_put_inode(inode, p);
fail_pipe:
	spin_lock(&vfs_lock);
	d_put_locked(d);
	spin_unlock(&vfs_lock);
	return err;
}
