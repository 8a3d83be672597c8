/*
 * #ttrace: control of and access to the kernel tracer (kern/ttrace.h),
 * bound at /dev/ttrace.  Files:
 *   ctl       commands, one per write: "start", "stop", "clear",
 *             "mask +sched -syscall" (also "mask all", "mask none", or
 *             bare names: set exactly those), "mode overwrite|discard",
 *             "size N[K|M]" (power of two, 64K..4M).  mode, size and clear
 *             need tracing stopped (-EBUSY); a bad command is -EINVAL.
 *             Reading it shows the state.
 *   info      text: version, CPUs, TSC Hz and invariance, wall-clock anchor,
 *             categories, mode, size, record format.
 *   hdr       binary struct ttrace_stream_hdr made at open (what `ttrace
 *             dump` starts its stream with).
 *   stats     text: one line per CPU: written, lost, bytes in use, size.
 *   cpuN      binary records of CPU N (abi/ttrace.h), consumed by reading;
 *             a read needs room for the largest record (4096 bytes is
 *             always enough) and returns whole records, 0 when empty.
 *             Once tracing is stopped a read also marks drops still pending.
 *   user      a write emits one user event: "@N text" a numbered event N,
 *             anything else a string event (id 0).  -EAGAIN unless tracing
 *             runs with the user category.
 *   syscalls  text: "nr name" for every syscall the kernel implements.
 * Lock: every operation that touches the rings or the configuration holds
 * ttrace_dev_busy (a flag taken by yielding, since starting allocates);
 * the tracepoints themselves never take it.
 */
#include <kern/dev.h>
#include <kern/vfs.h>
#include <kern/slice.h>
#include <kern/sched.h>
#include <kern/smp.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <kern/syscall.h>
#include <kern/ttrace.h>

enum { Qroot, Qctl, Qinfo, Qhdr, Qstats, Quser, Qsyscalls, Qcpu0 = 0x100 };

static const struct dev_dirent ttrace_tab[] = {
	{ .name = "ctl", .qid = Qctl, .mode = S_IFREG | 0644 },
	{ .name = "info", .qid = Qinfo, .mode = S_IFREG | 0444 },
	{ .name = "hdr", .qid = Qhdr, .mode = S_IFREG | 0444 },
	{ .name = "stats", .qid = Qstats, .mode = S_IFREG | 0444 },
	{ .name = "user", .qid = Quser, .mode = S_IFREG | 0222 },
	{ .name = "syscalls", .qid = Qsyscalls, .mode = S_IFREG | 0444 },
};

static const char *const syscall_names[NR_SYSCALLS] = {
#define SYSCALL(nr, name)	[nr] = #name,
#include <kern/syscall_list.h>
#undef SYSCALL
};

static const char *const cat_names[] = {
#define CAT_NAME_(n, bit, s)	[bit] = s,
	TTRACE_CATEGORIES(CAT_NAME_)
#undef CAT_NAME_
};

static const char *const rec_names[256] = {
#define REC_NAME_(n, v, c, s)	[v] = s,
	TTRACE_RECORDS(REC_NAME_)
#undef REC_NAME_
};

static int ttrace_dev_busy;

/* Take the device lock, yielding while another operation holds it; cannot fail. */
static void ttrace_dev_lock(void)
{
	int expected = 0;

	while (!__atomic_compare_exchange_n(&ttrace_dev_busy, &expected, 1, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		expected = 0;
		sched_yield_cpu();
	}
}

/* Release the device lock; cannot fail. */
static void ttrace_dev_unlock(void)
{
	__atomic_store_n(&ttrace_dev_busy, 0, __ATOMIC_RELEASE);
}

/* The generator: the table, then cpu0..cpuN-1; -ENOENT past the end. */
static int ttrace_gen(const struct dev_instance *di, u64 dir, const char *name, int i,
		      struct dev_dirent *out)
{
	int cpu;

	if (i == DEV_GEN_SELF && dir >= Qcpu0 && dir < Qcpu0 + (u64)num_cpus)
		cpu = (int)(dir - Qcpu0);
	else if (i == DEV_GEN_SELF || dir != Qroot || i < (int)ARRAY_SIZE(ttrace_tab))
		return dev_gen_tab(di, dir, name, i, out);
	else
		cpu = i - (int)ARRAY_SIZE(ttrace_tab);
	if (cpu >= num_cpus)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "cpu%d", cpu);
	out->qid = Qcpu0 + (u64)cpu;
	out->mode = S_IFREG | 0444;
	return 0;
}

/* Append the category names of mask to s ("none" if empty); 0 or -ENOMEM. */
static int print_cats(struct slice *s, u32 mask)
{
	int err = 0;

	if (!mask)
		return slice_printf(s, "none") < 0 ? -ENOMEM : 0;
	for (size_t b = 0; b < ARRAY_SIZE(cat_names) && !err; b++)
		if (mask & (1u << b))
			err = slice_printf(s, "%s%s", (mask & ((1u << b) - 1)) ? " " : "",
					   cat_names[b]) < 0 ? -ENOMEM : 0;
	return err;
}

/* info's text; 0 or -ENOMEM. */
static int info_text(struct slice *s)
{
	struct ttrace_stream_hdr h;
	int err;

	ttrace_stream_header(&h);
	err = slice_printf(s, "version %u.%u\ncpus %u\ntsc_hz %llu\ntsc_invariant %d\n"
			   "anchor_tsc %llu\nanchor_wall_ns %llu\nrunning %d\nmode %s\n"
			   "size %u\ncategories ", h.version_major, h.version_minor, h.ncpus,
			   (unsigned long long)h.tsc_hz, !!(h.flags & TTRACE_F_TSC_INVARIANT),
			   (unsigned long long)h.anchor_tsc, (unsigned long long)h.anchor_wall_ns,
			   ttrace_running(), h.mode == TTRACE_MODE_OVERWRITE ? "overwrite" : "discard",
			   h.buf_size);
	if (err >= 0)
		err = print_cats(s, ttrace_categories());
	if (err >= 0)
		err = slice_printf(s, "\nrecord header 16: type u8, len8 u8, cpu u16, tid u32, "
				   "tsc u64\nrecords");
	for (int t = 0; t < 256 && err >= 0; t++)
		if (rec_names[t])
			err = slice_printf(s, " %d=%s", t, rec_names[t]);
	if (err >= 0)
		err = slice_printf(s, "\n");
	return err < 0 ? -ENOMEM : 0;
}

/* stats' text; 0 or -ENOMEM. */
static int stats_text(struct slice *s)
{
	struct ttrace_cpu_stats st;
	u64 used;
	int err = 0;

	for (int c = 0; c < num_cpus && err >= 0; c++) {
		ttrace_cpu_stats(c, &st, &used);
		err = slice_printf(s, "cpu%d written %llu lost %llu used %llu size %llu\n", c,
				   (unsigned long long)st.written, (unsigned long long)st.lost,
				   used, (unsigned long long)st.size);
	}
	return err < 0 ? -ENOMEM : 0;
}

/* syscalls' text; 0 or -ENOMEM. */
static int syscalls_text(struct slice *s)
{
	for (int nr = 0; nr < NR_SYSCALLS; nr++)
		if (syscall_names[nr] && slice_printf(s, "%d %s\n", nr, syscall_names[nr]) < 0)
			return -ENOMEM;
	return 0;
}

/* Contents of the text files, made at open: 0, DEV_NOT_TEXT, or -ENOMEM. */
static int ttrace_text(struct file *f, struct slice *s)
{
	struct ttrace_stream_hdr h;
	int err;

	switch (dev_file_qid(f)) {
	case Qctl:
		err = slice_printf(s, "%s mode %s size %llu mask ",
				   ttrace_running() ? "running" : "stopped",
				   ttrace_buf_mode() == TTRACE_MODE_OVERWRITE ? "overwrite" : "discard",
				   ttrace_buf_size()) < 0 ? -ENOMEM : 0;
		if (!err)
			err = print_cats(s, ttrace_categories());
		if (!err)
			err = slice_printf(s, "\n") < 0 ? -ENOMEM : 0;
		return err;
	case Qinfo:
		return info_text(s);
	case Qhdr:
		ttrace_stream_header(&h);
		return slice_append(s, &h, sizeof(h));
	case Qstats:
		ttrace_dev_lock();
		err = stats_text(s);
		ttrace_dev_unlock();
		return err;
	case Qsyscalls:
		return syscalls_text(s);
	default:
		return DEV_NOT_TEXT;
	}
}

/* Consume records of a cpuN file into buf: bytes, 0 when empty, -EINVAL or -EIO. */
static ssize_t ttrace_read(struct file *f, void *buf, size_t n, u64 off)
{
	u64 qid = dev_file_qid(f);
	ssize_t ret;

	(void)off;
	if (qid < Qcpu0)
		return -EINVAL;
	ttrace_dev_lock();
	ret = ttrace_cpu_read((int)(qid - Qcpu0), buf, n);
	ttrace_dev_unlock();
	return ret;
}

/* The category named s[0..len): its bit, or 0 if there is none. */
static u32 cat_bit(const char *s)
{
	if (!strcmp(s, "all"))
		return TTRACE_CAT_ALL;
	for (size_t b = 0; b < ARRAY_SIZE(cat_names); b++)
		if (!strcmp(s, cat_names[b]))
			return 1u << b;
	return 0;
}

/* "mask" words: +cat/-cat change, bare names set; 0 or -EINVAL for an unknown name. */
static int set_mask(const struct dev_cmd *cmd)
{
	u32 mask = ttrace_categories(), set = 0, bit;
	bool bare = false;

	if (cmd->argc < 2)
		return -EINVAL;
	for (int i = 1; i < cmd->argc; i++) {
		const char *w = cmd->argv[i];

		if (!strcmp(w, "none")) {
			bare = true;
			continue;
		}
		bit = cat_bit(w[0] == '+' || w[0] == '-' ? w + 1 : w);
		if (!bit)
			return -EINVAL;
		if (w[0] == '+')
			mask |= bit;
		else if (w[0] == '-')
			mask &= ~bit;
		else {
			bare = true;
			set |= bit;
		}
	}
	ttrace_set_categories(bare ? set : mask);
	return 0;
}

/* "size N[K|M]" in bytes; 0 or -EINVAL. */
static int parse_size(const char *s, u64 *out)
{
	char num[24];
	size_t n = strlen(s);
	unsigned long v;
	u64 mul = 1;

	if (!n || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n + 1);
	if (num[n - 1] == 'K' || num[n - 1] == 'k')
		mul = 1024;
	else if (num[n - 1] == 'M' || num[n - 1] == 'm')
		mul = 1024 * 1024;
	if (mul > 1)
		num[n - 1] = 0;
	if (dev_cmd_uint(num, 1ul << 30, &v))
		return -EINVAL;
	*out = v * mul;
	return 0;
}

enum { CMD_START, CMD_STOP, CMD_CLEAR, CMD_MODE, CMD_SIZE };

static const struct dev_cmdtab ttrace_cmds[] = {
	{ CMD_START, "start", 1 },
	{ CMD_STOP, "stop", 1 },
	{ CMD_CLEAR, "clear", 1 },
	{ CMD_MODE, "mode", 2 },
	{ CMD_SIZE, "size", 2 },
};

/* Run one ctl command: 0 or -errno (header). */
static int run_ctl(struct dev_cmd *cmd)
{
	const struct dev_cmdtab *ct;
	u64 size;

	if (cmd->argc >= 1 && !strcmp(cmd->argv[0], "mask"))
		return set_mask(cmd);
	ct = dev_cmd_lookup(cmd, ttrace_cmds, ARRAY_SIZE(ttrace_cmds));
	if (!ct)
		return -EINVAL;
	switch (ct->id) {
	case CMD_START:
		return ttrace_start();
	case CMD_STOP:
		ttrace_stop();
		return 0;
	case CMD_CLEAR:
		return ttrace_clear();
	case CMD_MODE:
		if (!strcmp(cmd->argv[1], "overwrite"))
			return ttrace_configure(TTRACE_MODE_OVERWRITE, ttrace_buf_size());
		if (!strcmp(cmd->argv[1], "discard"))
			return ttrace_configure(TTRACE_MODE_DISCARD, ttrace_buf_size());
		return -EINVAL;
	default:
		if (parse_size(cmd->argv[1], &size))
			return -EINVAL;
		return ttrace_configure(ttrace_buf_mode(), size);
	}
}

/* A user event from "@N text" or plain text (one trailing newline dropped); n, or -errno. */
static ssize_t user_write(const char *buf, size_t n)
{
	size_t len = n, i = 1;
	unsigned long id = 0;
	int err;

	if (len && buf[len - 1] == '\n')
		len--;
	if (len && buf[0] == '@') {
		while (i < len && buf[i] >= '0' && buf[i] <= '9' && id <= 0xffffffffu)
			id = id * 10 + (unsigned long)(buf[i++] - '0');
		if (i == 1 || id > 0xffffffffu || (i < len && buf[i] != ' '))
			return -EINVAL;
		if (i < len)
			i++;
		buf += i;
		len -= i;
	}
	err = ttrace_user_event((u32)id, buf, len);
	return err ? err : (ssize_t)n;
}

/* Writes to ctl and user: all n bytes, or -errno (-EPERM for the other files). */
static ssize_t ttrace_write(struct file *f, const void *buf, size_t n, u64 off)
{
	struct dev_cmd cmd;
	int err;

	(void)off;
	if (dev_file_qid(f) == Quser)
		return user_write(buf, n);
	if (dev_file_qid(f) != Qctl)
		return -EPERM;
	err = dev_cmd_parse(&cmd, buf, n);
	if (err)
		return err;
	ttrace_dev_lock();
	err = run_ctl(&cmd);
	ttrace_dev_unlock();
	return err ? err : (ssize_t)n;
}

static const struct dev ttrace_dev = {
	.name = "ttrace",
	.gen = ttrace_gen,
	.text = ttrace_text,
	.read = ttrace_read,
	.write = ttrace_write,
	.tab = ttrace_tab,
	.ntab = ARRAY_SIZE(ttrace_tab),
};
DEV_REGISTER(ttrace_dev);
