/*
 * #pts: pseudo-terminals, a devpts-like directory (bound at /dev/pts;
 * #pts/ptmx is also bound at /dev/ptmx).  `ptmx` (5:2) is the multiplexer:
 * each open allocates a pty (kern/pty.h) and the file is its master.
 * The directory lists one file "N" (136:N, mode 0620, owned by the
 * master's opener) per pty whose master is open; opening it opens the
 * slave terminal, which a session leader without a terminal takes as its
 * controlling tty unless O_NOCTTY.  Slave files are ordinary terminal
 * files (struct tty_file, drivers/tty/tty_file.c); master files keep
 * their struct pty in f->priv.  TIOCGPTPEER on a master opens its slave
 * as a new descriptor (Linux 4.13; glibc's openpty tries it first).
 */
#include <kern/dev.h>
#include <kern/vfs.h>
#include <kern/tty.h>
#include <kern/pty.h>
#include <kern/proc.h>
#include <kern/fdtable.h>
#include <kern/printk.h>
#include <kern/errno.h>
#include <abi/stat.h>
#include <abi/fcntl.h>
#include <abi/poll.h>
#include <abi/termios.h>
#include <abi/major.h>

enum { Qptmx = 1, Qpts0 = 0x100 };
#define TTY_GID		5	/* Debian's tty group, devpts gid=5 */

static const struct dev_dirent pts_tab[] = {
	{ .name = "ptmx", .qid = Qptmx, .mode = S_IFCHR | 0666,
	  .rdev = ABI_MKDEV(ABI_TTYAUX_MAJOR, ABI_PTMX_MINOR) },
};

/* Directory entry of slave index into out: 0, or -ENOENT if its master is not open. */
static int slave_dirent(int index, struct dev_dirent *out)
{
	u32 uid;

	if (!pty_slot_info(index, &uid))
		return -ENOENT;
	*out = (struct dev_dirent){
		.qid = Qpts0 + (u64)index, .mode = S_IFCHR | 0620, .uid = uid, .gid = TTY_GID,
		.rdev = ABI_MKDEV(ABI_UNIX98_PTY_SLAVE_MAJOR, index),
	};
	snprintf(out->name, sizeof(out->name), "%d", index);
	return 0;
}

/* The root: ptmx, then the open ptys in index order; walks answer "N" directly. */
static int pts_gen(const struct dev_instance *di, u64 dir, const char *name, int i,
		   struct dev_dirent *out)
{
	unsigned long k;
	int seen = 0;

	if (i == DEV_GEN_SELF && dir >= Qpts0)
		return slave_dirent((int)(dir - Qpts0), out);
	if (i == DEV_GEN_SELF || dir != 0 || i < (int)ARRAY_SIZE(pts_tab))
		return dev_gen_tab(di, dir, name, i, out);
	if (name) {
		if (i > (int)ARRAY_SIZE(pts_tab) || dev_cmd_uint(name, PTY_MAX - 1, &k))
			return -ENOENT;
		return slave_dirent((int)k, out);
	}
	for (int idx = 0; idx < PTY_MAX; idx++) {
		if (slave_dirent(idx, out))
			continue;
		if (seen++ == i - (int)ARRAY_SIZE(pts_tab))
			return 0;
	}
	return -ENOENT;
}

static bool is_master(struct file *f)
{
	return dev_file_qid(f) == Qptmx;
}

static bool is_slave(struct file *f)
{
	return dev_file_qid(f) >= Qpts0;
}

/* ptmx: a new pty; a slave: its terminal.  0, -ENOSPC, -EIO (locked or gone) or -ENOMEM. */
static int pts_open(struct file *f)
{
	struct proc *p = current_proc();
	struct pty *pty;
	struct tty *tty;
	int err;

	if (is_master(f)) {
		pty = pty_alloc(p ? p->euid : 0);
		if (!pty)
			return -ENOSPC;
		f->priv = pty;
		return 0;
	}
	if (!is_slave(f))
		return 0;	/* the directory */
	pty = pty_lookup((int)(dev_file_qid(f) - Qpts0));
	if (!pty)
		return -EIO;
	err = pty_slave_open(pty);
	if (err)
		return err;
	tty = pty_tty(pty);
	if (!(f->flags & O_NOCTTY))
		tty_open_ctty(tty, p);
	err = tty_file_open(f, tty, tty_hangup_gen(tty));
	if (err)
		pty_slave_close(pty);
	return err;
}

static void pts_close(struct file *f)
{
	struct tty *tty;

	if (is_master(f)) {
		pty_master_close(f->priv);
		return;
	}
	if (!is_slave(f))
		return;
	tty = tty_file_tty(f);
	tty_file_close(f);
	if (tty)
		pty_slave_close(tty->driver_data);
}

/* Bytes read (the slave's output on a master), or -errno. */
static ssize_t pts_read(struct file *f, void *buf, size_t n, u64 off)
{
	(void)off;
	if (is_master(f))
		return pty_master_read(f->priv, buf, n, f->flags & O_NONBLOCK);
	if (!is_slave(f))
		return -EISDIR;
	return tty_file_read(f, buf, n);
}

/* Bytes written (typed into the slave on a master), or -errno. */
static ssize_t pts_write(struct file *f, const void *buf, size_t n, u64 off)
{
	(void)off;
	if (is_master(f))
		return pty_master_write(f->priv, buf, n, f->flags & O_NONBLOCK);
	if (!is_slave(f))
		return -EISDIR;
	return tty_file_write(f, buf, n);
}

/* TIOCGPTPEER: open the master's slave as a new descriptor with open flags arg; the fd or -errno. */
static long open_peer(struct file *f, unsigned long arg)
{
	struct proc *p = current_proc();
	char path[24];
	struct file *peer;
	long err;

	if (!p)
		return -EPERM;
	if (arg & ~(unsigned long)(O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	/* By its usual name if the namespace has it (ttyname() then works), else in #pts. */
	snprintf(path, sizeof(path), "/dev/pts/%d", pty_index(f->priv));
	err = vfs_openat(&p->fs, NULL, path, (int)arg | O_LARGEFILE, 0, &peer);
	if (err == -ENOENT) {
		snprintf(path, sizeof(path), "#pts/%d", pty_index(f->priv));
		err = vfs_openat(&p->fs, NULL, path, (int)arg | O_LARGEFILE, 0, &peer);
	}
	if (err)
		return err;
	err = fdt_install(p->fdt, peer, 0, arg & O_CLOEXEC);
	if (err < 0)
		file_put(peer);
	return err;
}

/* Master: pty ioctls and the slave's termios; slave: terminal ioctls.  0, a count or -errno. */
static long pts_ioctl(struct file *f, u32 cmd, unsigned long arg)
{
	if (!is_master(f))
		return is_slave(f) ? tty_file_ioctl(f, cmd, arg) : -ENOTTY;
	if (cmd == TIOCGPTPEER)
		return open_peer(f, arg);
	return pty_master_ioctl(f->priv, cmd, arg);
}

/* Readiness bits (never fails). */
static u32 pts_poll(struct file *f)
{
	if (is_master(f))
		return pty_master_poll(f->priv);
	return is_slave(f) ? tty_file_poll(f) : POLLIN | POLLOUT;
}

static const struct dev pts_dev = {
	.name = "pts",
	.gen = pts_gen,
	.open = pts_open,
	.close = pts_close,
	.read = pts_read,
	.write = pts_write,
	.ioctl = pts_ioctl,
	.poll = pts_poll,
	.tab = pts_tab,
	.ntab = ARRAY_SIZE(pts_tab),
};
DEV_REGISTER(pts_dev);
