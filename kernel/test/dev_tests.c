/*
 * Self-tests of the device layer in the kernel: #proc's generator (walk,
 * stat, readdir, text read at offsets) on the real process table, which
 * the host unit tests cannot link, and a "#name.spec" instance made with
 * the kernel's allocator.  tests/unit/test_dev.c covers the generic layer
 * in depth through #template.  They may run before any process exists,
 * so they use only the global #proc files.
 */
#include <kern/ktest.h>
#include <kern/vfs.h>
#include <kern/dev.h>
#include <kern/string.h>
#include <kern/errno.h>

/* stat of path in ctx: 0 or -errno. */
static int kt_stat(struct vfs_ctx *ctx, const char *path, struct abi_stat *st)
{
	return vfs_statat(ctx, NULL, path, 0, st);
}

/* Names of the entries of directory path after "." and "..", space-separated, into out. */
static int kt_list(struct vfs_ctx *ctx, const char *path, char *out, size_t len)
{
	char buf[512] __aligned(8);
	struct file *f;
	ssize_t n;
	size_t used = 0;
	int err = vfs_openat(ctx, NULL, path, O_RDONLY | O_DIRECTORY, 0, &f);

	if (err)
		return err;
	out[0] = '\0';
	while ((n = vfs_getdents64(f, buf, sizeof(buf))) > 0)
		for (ssize_t pos = 0; pos < n;) {
			const struct linux_dirent64 *d = (const void *)(buf + pos);

			if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") && used < len)
				used += (size_t)snprintf(out + used, len - used, "%s:%u ", d->d_name,
							 d->d_type);
			pos += d->d_reclen;
		}
	file_put(f);
	return n < 0 ? (int)n : 0;
}

static bool test_dev_proc_gen(void)
{
	struct vfs_ctx ctx;
	struct abi_stat st;
	struct file *f;
	char buf[256];
	size_t got = 0;
	ssize_t r;

	KT_ASSERT(vfs_ctx_init(&ctx) == 0);
	KT_ASSERT(kt_stat(&ctx, "#proc", &st) == 0 && S_ISDIR(st.st_mode) && st.st_ino == 1);
	KT_ASSERT(kt_stat(&ctx, "#proc/sys/kernel/pid_max", &st) == 0);
	KT_ASSERT(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0444 && st.st_uid == 0);
	KT_ASSERT(kt_stat(&ctx, "#proc/nope", &st) == -ENOENT);
	KT_ASSERT(kt_stat(&ctx, "#proc/0", &st) == -ENOENT);
	KT_ASSERT(kt_stat(&ctx, "#proc/01", &st) == -ENOENT);
	KT_ASSERT(kt_stat(&ctx, "#proc/16000000", &st) == -ENOENT);
	KT_ASSERT(kt_stat(&ctx, "#proc/123456789", &st) == -ENOENT);
	KT_ASSERT(kt_stat(&ctx, "#proc/sys/kernel/ostype/x", &st) == -ENOTDIR);
	KT_ASSERT(kt_stat(&ctx, "#proc.1", &st) == -ENOENT);
	KT_ASSERT(kt_list(&ctx, "#proc/sys/kernel", buf, sizeof(buf)) == 0);
	KT_ASSERT_MSG(!strcmp(buf, "ostype:8 osrelease:8 pid_max:8 "), "%s", buf);
	KT_ASSERT(kt_list(&ctx, "#proc/sys", buf, sizeof(buf)) == 0 && !strcmp(buf, "kernel:4 "));
	KT_ASSERT(kt_list(&ctx, "#proc", buf, sizeof(buf)) == 0);
	KT_ASSERT_MSG(!strncmp(buf, "self:10 thread-self:10 meminfo:8 uptime:8 ", 42), "%s", buf);
	/* Text made at open, read in pieces and at an offset. */
	KT_ASSERT(vfs_openat(&ctx, NULL, "#proc/sys/kernel/ostype", O_RDONLY, 0, &f) == 0);
	while ((r = vfs_read(f, buf + got, 2)) > 0 && got < sizeof(buf) - 2)
		got += (size_t)r;
	buf[got] = '\0';
	KT_ASSERT_MSG(!strcmp(buf, "Linux\n"), "%s", buf);
	KT_ASSERT(vfs_pread(f, buf, sizeof(buf), 3) == 3 && !memcmp(buf, "ux\n", 3));
	KT_ASSERT(vfs_pread(f, buf, sizeof(buf), 6) == 0);
	file_put(f);
	vfs_ctx_put(&ctx);
	return true;
}
KTEST_REG(dev_proc_gen, test_dev_proc_gen);

static bool test_dev_instances(void)
{
	struct vfs_ctx ctx;
	struct abi_stat a, b;

	KT_ASSERT(vfs_ctx_init(&ctx) == 0);
	KT_ASSERT(kt_stat(&ctx, "#template.2/items", &a) == 0 && S_ISDIR(a.st_mode));
	KT_ASSERT(kt_stat(&ctx, "#template/items", &b) == 0 && a.st_dev != b.st_dev);
	KT_ASSERT(kt_stat(&ctx, "#template.2/hello", &b) == 0 && a.st_dev == b.st_dev);
	KT_ASSERT(kt_stat(&ctx, "#template.9", &a) == -ENOENT);
	KT_ASSERT(kt_stat(&ctx, "#null.1/null", &a) == -ENOENT);
	vfs_ctx_put(&ctx);
	return true;
}
KTEST_REG(dev_instances, test_dev_instances);
