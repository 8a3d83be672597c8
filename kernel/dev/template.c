/*
 * #template: the device to copy when writing a new one.
 *
 * How to write a device
 *  1. Copy this file to kernel/dev/<name>.c (it is compiled in: every .c
 *     under kernel/ is) and rename the symbols.  DEV_REGISTER() at the
 *     bottom is the whole registration; "#<name>/..." then resolves.
 *  2. Name each file by a qid (an enum: 0 is the root directory) and
 *     list the fixed files of the root in a Dirtab (struct dev_dirent:
 *     name, qid, mode, length, rdev for a character device).  A device
 *     with nothing else leaves .gen NULL: walk, stat and readdir all come
 *     from the table (#null, #cons).
 *  3. Files that come and go (processes, PCI functions, ptys) need a gen:
 *     one function that answers "the i-th entry of directory dir", "the
 *     entry named name" (a hint; the walker checks the name) and "dir
 *     itself" (i == DEV_GEN_SELF), returning -ENOENT past the end.  Call
 *     dev_gen_tab() for the static part, as template_gen does below.
 *     Keep what a qid names encoded in the qid, so gen never stores
 *     anything per file (#proc: kind | pid << 8 | tid << 32).
 *  4. Synthetic text (status, info files): write a text hook that
 *     slice_printf()s the whole file; the layer snapshots it at open and
 *     serves reads at any offset.  Return DEV_NOT_TEXT for files your
 *     read hook serves instead (fixed text with dev_read_buf, as hello
 *     here; streams like #cons/kmsg).
 *  5. A ctl file: parse each write with dev_cmd_parse(), find the command
 *     with dev_cmd_lookup() and convert numbers with dev_cmd_uint();
 *     return their errors (see template_write).
 *  6. Instances ("#name.1"): an attach hook that checks di->num (or
 *     di->spec) and points di->priv at the instance's state.  Without it
 *     only "#name" exists.
 *  7. Locks: gen and readlink run under vfs_lock, the rest without it;
 *     a device lock taken in gen nests inside vfs_lock.
 *  8. Tests: a host unit test (tests/unit/test_dev.c drives this file)
 *     or a ktest.
 *
 * This device has up to TEMPLATE_NINST instances, "#template" (= .0) to
 * "#template.3", each with its own state:
 *   hello   fixed text served by the read hook with dev_read_buf (no
 *           snapshot needed): "hello from #template\n"
 *   opens   text made at each open: how many times it was opened
 *   ctl     commands: "items N" (0 <= N <= TEMPLATE_MAX_ITEMS) sets the
 *           number of items, "reset" sets items and opens to 0; reading
 *           it shows "items N".  Errors: -EINVAL for an unknown command,
 *           a wrong number of words or a non-number, -ERANGE for N too
 *           big, -E2BIG for a write of DEV_CMD_LEN bytes or more.
 *   items/  a dynamic directory of files "0".."N-1"; file K reads
 *           "item K\n" (length 7 for one digit: stat tells the truth).
 */
#include <kern/dev.h>
#include <kern/vfs.h>
#include <kern/slice.h>
#include <kern/spinlock.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>

#define TEMPLATE_NINST		4
#define TEMPLATE_MAX_ITEMS	16

enum { Qroot, Qhello, Qopens, Qctl, Qitems, Qitem0 = 0x100 };

static const struct dev_dirent template_tab[] = {
	{ .name = "hello", .qid = Qhello, .mode = S_IFREG | 0444 },
	{ .name = "opens", .qid = Qopens, .mode = S_IFREG | 0444 },
	{ .name = "ctl", .qid = Qctl, .mode = S_IFREG | 0644 },
	{ .name = "items", .qid = Qitems, .mode = S_IFDIR | 0555 },
};

/* State of one instance. */
struct template_state {
	struct spinlock lock;
	u64 opens;		/* lock */
	unsigned long nitems;	/* lock */
};

static struct template_state template_states[TEMPLATE_NINST] = {
	[0 ... TEMPLATE_NINST - 1] = { .lock = SPINLOCK_INITIALIZER("template") },
};

enum { CMD_ITEMS, CMD_RESET };

static const struct dev_cmdtab template_cmds[] = {
	{ CMD_ITEMS, "items", 2 },
	{ CMD_RESET, "reset", 1 },
};

/* Accept "#template" to "#template.3"; -ENOENT for any other spec. */
static int template_attach(struct dev_instance *di)
{
	if (di->num < 0 || di->num >= TEMPLATE_NINST)
		return -ENOENT;
	di->priv = &template_states[di->num];
	return 0;
}

/* The number of items of instance di (never fails). */
static unsigned long nitems(const struct dev_instance *di)
{
	struct template_state *ts = di->priv;
	unsigned long n;

	spin_lock(&ts->lock);
	n = ts->nitems;
	spin_unlock(&ts->lock);
	return n;
}

/* The entry of item k: 0, or -ENOENT if the instance has no such item. */
static int item_dirent(const struct dev_instance *di, u64 k, struct dev_dirent *out)
{
	if (k >= nitems(di))
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%llu", k);
	out->qid = Qitem0 + k;
	out->mode = S_IFREG | 0444;
	out->length = strlen(out->name) + 6;	/* "item K\n" */
	return 0;
}

/* The generator (kern/dev.h): items/ is dynamic, the rest is the table. */
static int template_gen(const struct dev_instance *di, u64 dir, const char *name, int i,
			struct dev_dirent *out)
{
	unsigned long k;

	if (i == DEV_GEN_SELF && dir >= Qitem0)
		return item_dirent(di, dir - Qitem0, out);
	if (i == DEV_GEN_SELF || dir != Qitems)
		return dev_gen_tab(di, dir, name, i, out);
	if (!name)
		return item_dirent(di, (u64)i, out);
	/* Walking: answer the name directly instead of listing every item ("01" fails the compare). */
	if (i > 0 || dev_cmd_uint(name, TEMPLATE_MAX_ITEMS, &k))
		return -ENOENT;
	return item_dirent(di, k, out);
}

/* Count opens of "opens"; 0 (never fails). */
static int template_open(struct file *f)
{
	struct template_state *ts = dev_file_instance(f)->priv;

	if (dev_file_qid(f) == Qopens) {
		spin_lock(&ts->lock);
		ts->opens++;
		spin_unlock(&ts->lock);
	}
	return 0;
}

/* Contents of the text files, made at open: 0, DEV_NOT_TEXT for hello, or -ENOMEM. */
static int template_text(struct file *f, struct slice *s)
{
	const struct dev_instance *di = dev_file_instance(f);
	struct template_state *ts = di->priv;
	u64 qid = dev_file_qid(f), opens;
	unsigned long n;
	int r;

	spin_lock(&ts->lock);
	opens = ts->opens;
	n = ts->nitems;
	spin_unlock(&ts->lock);
	switch (qid) {
	case Qhello:
		return DEV_NOT_TEXT;	/* template_read serves it */
	case Qopens:
		r = slice_printf(s, "opened %llu times\n", opens);
		break;
	case Qctl:
		r = slice_printf(s, "items %lu\n", n);
		break;
	default:
		r = slice_printf(s, "item %llu\n", qid - Qitem0);
		break;
	}
	return r < 0 ? r : 0;
}

/* Bytes of hello at off (the only file not made by template_text); -EINVAL for others. */
static ssize_t template_read(struct file *f, void *buf, size_t n, u64 off)
{
	const struct dev_instance *di = dev_file_instance(f);
	char hello[DEV_SPECLEN + 32];
	int len;

	if (dev_file_qid(f) != Qhello)
		return -EINVAL;
	len = snprintf(hello, sizeof(hello), "hello from #template%s%s\n", di->spec[0] ? "." : "",
		       di->spec);
	return dev_read_buf(buf, n, off, hello, (size_t)len);
}

/* Run one ctl command: n (all of it), or the parse error (header). */
static ssize_t template_write(struct file *f, const void *buf, size_t n, u64 off)
{
	struct template_state *ts = dev_file_instance(f)->priv;
	const struct dev_cmdtab *ct;
	struct dev_cmd cmd;
	unsigned long items = 0;
	int err;

	(void)off;
	if (dev_file_qid(f) != Qctl)
		return -EPERM;
	err = dev_cmd_parse(&cmd, buf, n);
	if (err)
		return err;
	ct = dev_cmd_lookup(&cmd, template_cmds, ARRAY_SIZE(template_cmds));
	if (!ct)
		return -EINVAL;
	if (ct->id == CMD_ITEMS) {
		err = dev_cmd_uint(cmd.argv[1], TEMPLATE_MAX_ITEMS, &items);
		if (err)
			return err;
	}
	spin_lock(&ts->lock);
	ts->nitems = items;
	if (ct->id == CMD_RESET)
		ts->opens = 0;
	spin_unlock(&ts->lock);
	return (ssize_t)n;
}

static const struct dev template_dev = {
	.name = "template",
	.attach = template_attach,
	.gen = template_gen,
	.open = template_open,
	.text = template_text,
	.read = template_read,
	.write = template_write,
	.tab = template_tab,
	.ntab = ARRAY_SIZE(template_tab),
};
DEV_REGISTER(template_dev);
