/*
 * #template: the device to copy when writing a new one.  It shows the
 * minimum: a table of files (all in the device's root directory), a read
 * that serves synthetic text with dev_read_buf(), and a write that keeps
 * a small buffer, and a text file generated once per open (dev_snap_*),
 * the pattern for files whose contents change.  `cat '#template/hello'`
 * prints a greeting; text written to '#template/echo' is read back from
 * it; '#template/opens' counts the opens of itself.
 *
 * To make a device: copy this file to kernel/dev/<name>.c, rename the
 * symbols, fill the table (qids are yours; 0 is the root directory) and
 * the read/write switch.  Directories and dynamic files: supply
 * walk/gen/stat in struct dev (see kern/dev.h).
 */
#include <kern/dev.h>
#include <kern/vfs.h>
#include <kern/spinlock.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>

enum { Qhello = 1, Qecho, Qopens };

static const struct dev_dirent template_tab[] = {
	{ "hello", Qhello, S_IFREG | 0444, 0, 0 },
	{ "echo", Qecho, S_IFREG | 0666, 0, 0 },
	{ "opens", Qopens, S_IFREG | 0444, 0, 0 },
};

static struct spinlock echo_lock = SPINLOCK_INITIALIZER("template");
static char echo_buf[64];	/* echo_lock */
static size_t echo_len;		/* echo_lock */
static u64 nopens;		/* echo_lock */

/* Text of "opens": formatted once per open, like snprintf. */
static size_t opens_gen(struct file *f, char *buf, size_t cap)
{
	u64 n;

	spin_lock(&echo_lock);
	n = ++nopens;
	spin_unlock(&echo_lock);
	return (size_t)snprintf(buf, cap, "opened %llu times\n", n);
}

static int template_open(struct file *f)
{
	return dev_file_qid(f) == Qopens ? dev_snap_open(f, opens_gen) : 0;
}

static void template_close(struct file *f)
{
	if (dev_file_qid(f) == Qopens)
		dev_snap_close(f);
}

static ssize_t template_read(struct file *f, void *buf, size_t n, u64 off)
{
	ssize_t r;

	switch (dev_file_qid(f)) {
	case Qhello:
		return dev_read_str(buf, n, off, "hello from #template\n");
	case Qecho:
		spin_lock(&echo_lock);
		r = dev_read_buf(buf, n, off, echo_buf, echo_len);
		spin_unlock(&echo_lock);
		return r;
	case Qopens:
		return dev_snap_read(f, buf, n, off);
	default:
		return -EISDIR;
	}
}

static ssize_t template_write(struct file *f, const void *buf, size_t n, u64 off)
{
	if (dev_file_qid(f) != Qecho)
		return -EPERM;
	if (n > sizeof(echo_buf))
		return -ENOSPC;
	spin_lock(&echo_lock);
	memcpy(echo_buf, buf, n);
	echo_len = n;
	spin_unlock(&echo_lock);
	return (ssize_t)n;
}

static const struct dev template_dev = {
	.name = "template",
	.open = template_open,
	.close = template_close,
	.read = template_read,
	.write = template_write,
	.tab = template_tab,
	.ntab = ARRAY_SIZE(template_tab),
};
DEV_REGISTER(template_dev);
