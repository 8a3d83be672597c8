/*
 * Host tests of the generic device layer (kernel/dev/dev.c, devcmd.c)
 * through the #template device, whose tree is a Dirtab plus a dynamic
 * directory from its generator: the first attach survives -ENOMEM at each
 * of its allocations and leaves nothing half made behind (this program
 * runs alone, so #template is attached here for the first time); walk
 * and stat agree with the table and the generator; readdir resumes at
 * every cookie; text files read the same at any offset; ctl commands and
 * their errors; instances ("#template.1"); and the character device
 * numbers found in the devices' tables.
 */
// SOURCES: kernel/fs/vfs.c kernel/fs/namei.c kernel/fs/vfs_ops.c kernel/fs/vfs_rename.c kernel/fs/vfs_attr.c kernel/fs/file.c kernel/fs/fdtable.c kernel/fs/ramfs.c kernel/mm/vmobj.c kernel/dev/dev.c kernel/dev/devcmd.c kernel/lib/slice.c kernel/lib/printf.c kernel/dev/null.c kernel/dev/template.c kernel/dev/root.c kernel/lib/errstr.c kernel/lib/random.c tests/unit/shim_kmalloc.c tests/unit/shim_fs.c
#include <stdio.h>
#include <string.h>
#include "unit.h"
#include <kern/vfs.h>
#include <kern/dev.h>
#include <kern/errno.h>

extern long shim_kmalloc_fail_after;
static struct vfs_ctx ctx;

/*
 * Fail the k-th allocation of the first attach of #template for every k:
 * each failure is -ENOMEM, and the attach that finally succeeds returns a
 * complete root (a mount and a dentry), not one left over by a failure.
 */
static void first_attach_enomem(void)
{
	struct path p = { 0 };
	int ok = 1, k, r = -ENOMEM;

	for (k = 0; k < 50; k++) {
		shim_kmalloc_fail_after = k;
		spin_lock(&vfs_lock);
		r = dev_attach_locked("template", 8, &p);
		spin_unlock(&vfs_lock);
		shim_kmalloc_fail_after = -1;
		if (r == 0)
			break;
		ok &= r == -ENOMEM;
	}
	CHECK(ok && r == 0, "attach fails with -ENOMEM until it succeeds (%d at k=%d)", r, k);
	CHECK(p.mnt != NULL && p.dentry != NULL && p.mnt->root == p.dentry,
	      "attach after failures gives a mount and its root (mnt %p)", (void *)p.mnt);
	if (p.mnt)
		path_put(&p);
	CHECK_EQ(vfs_statat(&ctx, NULL, "#template/hello", 0, &(struct abi_stat){ 0 }), 0);
}

/* stat of path: 0 or -errno, *st filled. */
static int st(const char *path, struct abi_stat *out)
{
	return vfs_statat(&ctx, NULL, path, 0, out);
}

static struct file *open_ok(const char *path, int flags)
{
	struct file *f = NULL;
	int err = vfs_openat(&ctx, NULL, path, flags, 0, &f);

	CHECK(err == 0, "open %s: %d", path, err);
	return f;
}

/* Write string cmd to path as one write; the write's result (or the open's error). */
static long ctl(const char *path, const char *cmd)
{
	struct file *f;
	long r = vfs_openat(&ctx, NULL, path, O_WRONLY, 0, &f);

	if (r)
		return r;
	r = vfs_write(f, cmd, strlen(cmd));
	file_put(f);
	return r;
}

/* Whole contents of path into buf (NUL-terminated); length or -errno. */
static long slurp(const char *path, char *buf, size_t len)
{
	struct file *f;
	long r = vfs_openat(&ctx, NULL, path, O_RDONLY, 0, &f), n = 0;

	if (r)
		return r;
	while ((r = vfs_read(f, buf + n, len - 1 - (size_t)n)) > 0)
		n += r;
	buf[n] = '\0';
	file_put(f);
	return r < 0 ? r : n;
}

/* Walk and stat answer from the Dirtab and from the generator alike. */
static void walk_and_stat(void)
{
	struct abi_stat a, b;
	char name[64];

	CHECK_EQ(st("#template", &a), 0);
	CHECK(S_ISDIR(a.st_mode) && (a.st_mode & 07777) == 0555 && a.st_ino == 1, "root %o", a.st_mode);
	CHECK_EQ(st("#template/hello", &a), 0);
	CHECK(S_ISREG(a.st_mode) && (a.st_mode & 07777) == 0444 && a.st_ino == 2 && a.st_uid == 0,
	      "hello %o ino %llu", a.st_mode, (unsigned long long)a.st_ino);
	CHECK_EQ(st("#template/ctl", &b), 0);
	CHECK(S_ISREG(b.st_mode) && (b.st_mode & 07777) == 0644 && b.st_dev == a.st_dev,
	      "ctl %o", b.st_mode);
	CHECK_EQ(st("#template/items", &a), 0);
	CHECK(S_ISDIR(a.st_mode), "items is a directory");
	CHECK_EQ(st("#template/nope", &a), -ENOENT);
	CHECK_EQ(st("#template/hello/x", &a), -ENOTDIR);
	CHECK_EQ(st("#template/items/0", &a), -ENOENT);
	memset(name, 'a', sizeof(name));
	memcpy(name, "#template/", 10);
	name[sizeof(name) - 1] = '\0';
	CHECK_EQ(st(name, &a), -ENOENT);	/* longer than DEV_NAMELEN */
	CHECK_EQ(st("#template/..", &a), 0);
	CHECK(a.st_ino == 1, "'..' at a device root stays there");
	/* The dynamic directory follows the ctl file; stat and walk agree with it. */
	CHECK_EQ(ctl("#template/ctl", "items 3\n"), 8);
	CHECK_EQ(st("#template/items/2", &a), 0);
	CHECK(S_ISREG(a.st_mode) && a.st_size == 7 && a.st_ino == 0x100 + 2 + 1,
	      "item 2: mode %o size %lld", a.st_mode, (long long)a.st_size);
	CHECK_EQ(st("#template/items/3", &a), -ENOENT);
	CHECK_EQ(st("#template/items/02", &a), -ENOENT);
	CHECK_EQ(st("#template/items/x", &a), -ENOENT);
	CHECK_EQ(ctl("#template/ctl", "items 1"), 7);
	CHECK_EQ(st("#template/items/2", &a), -ENOENT);
	CHECK_EQ(ctl("#template/ctl", "items 3"), 7);
}

/* Names and cookies of a getdents64 buffer appended to out ("name/type/off "). */
static void dents(const char *buf, long n, char *out, size_t len, long long *last_off)
{
	for (long pos = 0; pos < n;) {
		const struct linux_dirent64 *d = (const void *)(buf + pos);
		size_t used = strlen(out);

		snprintf(out + used, len - used, "%s/%u/%lld ", d->d_name, d->d_type,
			 (long long)d->d_off);
		*last_off = d->d_off;
		pos += d->d_reclen;
	}
}

/* One big getdents, one record per call, and an lseek to every cookie list the same. */
static void readdir_offsets(void)
{
	static const char want[] = "./4/1 ../4/2 hello/8/3 opens/8/4 ctl/8/5 items/4/6 ";
	static const char items[] = "./4/1 ../4/2 0/8/3 1/8/4 2/8/5 ";
	char buf[1024] __attribute__((aligned(8))), all[512] = "", one[512] = "", tail[512];
	struct file *f = open_ok("#template", O_RDONLY | O_DIRECTORY);
	long long off = 0, offs[8];
	long n;
	int k = 0;

	if (!f)
		return;
	n = vfs_getdents64(f, buf, sizeof(buf));
	dents(buf, n, all, sizeof(all), &off);
	CHECK(!strcmp(all, want), "readdir: %s", all);
	CHECK_EQ(vfs_getdents64(f, buf, sizeof(buf)), 0);
	CHECK_EQ(vfs_lseek(f, 0, SEEK_SET), 0);
	while ((n = vfs_getdents64(f, buf, 32)) > 0 && k < 8) {
		dents(buf, n, one, sizeof(one), &off);
		offs[k++] = off;
	}
	CHECK(n == 0 && !strcmp(one, want), "one at a time (%ld): %s", n, one);
	for (int i = 0; i < k; i++) {
		CHECK_EQ(vfs_lseek(f, offs[i], SEEK_SET), offs[i]);
		tail[0] = '\0';
		n = vfs_getdents64(f, buf, sizeof(buf));
		dents(buf, n, tail, sizeof(tail), &off);
		CHECK(strstr(want, tail) && !strcmp(want + strlen(want) - strlen(tail), tail),
		      "from cookie %lld: %s", offs[i], tail);
	}
	CHECK_EQ(vfs_lseek(f, 1000000, SEEK_SET), 1000000);
	CHECK_EQ(vfs_getdents64(f, buf, sizeof(buf)), 0);
	file_put(f);
	f = open_ok("#template/items", O_RDONLY | O_DIRECTORY);
	if (!f)
		return;
	all[0] = '\0';
	n = vfs_getdents64(f, buf, sizeof(buf));
	dents(buf, n, all, sizeof(all), &off);
	CHECK(!strcmp(all, items), "items: %s", all);
	file_put(f);
}

/* Text files: a snapshot per open, read at any offset and size. */
static void text_offsets(void)
{
	static const char hello[] = "hello from #template\n";
	struct file *f = open_ok("#template/hello", O_RDONLY), *g;
	char buf[64], a[64], b[64];
	size_t len = strlen(hello);

	if (!f)
		return;
	for (size_t off = 0; off <= len + 2; off++) {
		memset(buf, 0, sizeof(buf));
		long r = vfs_pread(f, buf, sizeof(buf), (s64)off);

		CHECK(r == (long)(off < len ? len - off : 0) && !memcmp(buf, hello + MIN(off, len), (size_t)r),
		      "pread at %zu: %ld", off, r);
	}
	/* Small sequential reads see the whole file once. */
	memset(buf, 0, sizeof(buf));
	for (size_t got = 0; got < sizeof(buf) - 1;) {
		long r = vfs_read(f, buf + got, 3);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	CHECK(!strcmp(buf, hello), "3-byte reads: %s", buf);
	CHECK_EQ(vfs_write(f, "x", 1), -EBADF);
	file_put(f);
	/* "opens" is made at open: two opens, two versions, each stable. */
	CHECK(slurp("#template/opens", a, sizeof(a)) > 0, "opens");
	f = open_ok("#template/opens", O_RDONLY);
	g = open_ok("#template/opens", O_RDONLY);
	if (!f || !g)
		return;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	CHECK_EQ(vfs_read(f, a, 4), 4);
	CHECK(vfs_read(g, b, sizeof(b) - 1) > 0, "second");
	CHECK(vfs_read(f, a + 4, sizeof(a) - 5) > 0, "rest of first");
	CHECK(!strcmp(a, "opened 2 times\n") && !strcmp(b, "opened 3 times\n"), "'%s' '%s'", a, b);
	file_put(f);
	file_put(g);
	CHECK_EQ(slurp("#template/items/1", a, sizeof(a)), 7);
	CHECK(!strcmp(a, "item 1\n"), "item 1: %s", a);
}

/* ctl commands and every error they can give. */
static void ctl_commands(void)
{
	char buf[300];

	CHECK_EQ(ctl("#template/ctl", "items 16"), 8);
	CHECK_EQ(ctl("#template/ctl", "items 17"), -ERANGE);
	CHECK_EQ(ctl("#template/ctl", "items 99999999999999999999999"), -ERANGE);
	CHECK_EQ(ctl("#template/ctl", "items x"), -EINVAL);
	CHECK_EQ(ctl("#template/ctl", "items 1x"), -EINVAL);
	CHECK_EQ(ctl("#template/ctl", "items -1"), -EINVAL);
	CHECK_EQ(ctl("#template/ctl", "items"), -EINVAL);
	CHECK_EQ(ctl("#template/ctl", "items 1 2"), -EINVAL);
	CHECK_EQ(ctl("#template/ctl", "bogus"), -EINVAL);
	CHECK_EQ(ctl("#template/ctl", ""), -EINVAL);
	CHECK_EQ(ctl("#template/ctl", " \t\n"), -EINVAL);
	CHECK_EQ(ctl("#template/ctl", "items 2\nitems 3"), -EINVAL);
	CHECK_EQ(ctl("#template/ctl", "a b c d e f g h i"), -EINVAL);
	memset(buf, 'x', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	CHECK_EQ(ctl("#template/ctl", buf), -E2BIG);
	CHECK_EQ(slurp("#template/ctl", buf, sizeof(buf)), 9);
	CHECK(!strcmp(buf, "items 16\n"), "failed commands changed nothing: %s", buf);
	CHECK_EQ(ctl("#template/ctl", "  items\t 4 \n"), 12);
	CHECK_EQ(slurp("#template/ctl", buf, sizeof(buf)), 8);
	CHECK(!strcmp(buf, "items 4\n"), "ctl reads back %s", buf);
	CHECK_EQ(ctl("#template/hello", "items 1"), -EPERM);	/* root opens it; the device refuses */
	CHECK_EQ(ctl("#template/ctl", "reset"), 5);
	CHECK_EQ(slurp("#template/opens", buf, sizeof(buf)), 15);
	CHECK(!strcmp(buf, "opened 1 times\n"), "reset: %s", buf);
}

/* "#name.spec": instances with their own state and st_dev; refused specs. */
static void instances(void)
{
	struct abi_stat a, b;
	char buf[64];

	CHECK_EQ(st("#template.1/items", &a), 0);
	CHECK_EQ(st("#template/items", &b), 0);
	CHECK(a.st_dev != b.st_dev && a.st_ino == b.st_ino, "instance 1 is its own file system");
	CHECK_EQ(st("#template.0/items", &a), 0);
	CHECK(a.st_dev == b.st_dev, "#template.0 is #template");
	CHECK_EQ(slurp("#template.1/hello", buf, sizeof(buf)), 23);
	CHECK(!strcmp(buf, "hello from #template.1\n"), "%s", buf);
	CHECK_EQ(ctl("#template.1/ctl", "items 2"), 7);
	CHECK_EQ(st("#template.1/items/1", &a), 0);
	CHECK_EQ(st("#template/items/1", &a), -ENOENT);	/* instance 0 has none after reset */
	CHECK_EQ(st("#template.3", &a), 0);
	CHECK_EQ(st("#template.4", &a), -ENOENT);
	CHECK_EQ(st("#template.", &a), -ENOENT);
	CHECK_EQ(st("#template.01", &a), -ENOENT);
	CHECK_EQ(st("#template.abc/hello", &a), -ENOENT);
	CHECK_EQ(st("#template.12345678901234567890", &a), -ENOENT);
	CHECK_EQ(st("#null.1/null", &a), -ENOENT);
	CHECK_EQ(st("#null.0/null", &a), 0);
	CHECK_EQ(st("#nosuch.1", &a), -ENOENT);
	CHECK_EQ(st("#root.1", &a), -ENOENT);
	CHECK_EQ(st("#root", &a), 0);
	CHECK(S_ISDIR(a.st_mode), "#root");
}

/* Character device numbers come from the devices' own tables. */
static void chrdevs(void)
{
	char buf[32];

	CHECK_EQ(chrdev_path(ABI_MKDEV(1, 3), buf, sizeof(buf)), 0);
	CHECK(!strcmp(buf, "#null/null"), "%s", buf);
	CHECK_EQ(chrdev_path(ABI_MKDEV(1, 9), buf, sizeof(buf)), 0);
	CHECK(!strcmp(buf, "#null/urandom"), "%s", buf);
	CHECK_EQ(chrdev_path(ABI_MKDEV(1, 4), buf, sizeof(buf)), -ENXIO);
	CHECK_EQ(chrdev_path(ABI_MKDEV(99, 3), buf, sizeof(buf)), -ENXIO);
	CHECK_EQ(chrdev_path(ABI_MKDEV(1, 3), buf, 8), -ENAMETOOLONG);
}

/* The number parser of ctl arguments at its limits. */
static void cmd_numbers(void)
{
	unsigned long v = 7;

	CHECK(dev_cmd_uint("0", 0, &v) == 0 && v == 0, "0");
	CHECK_EQ(dev_cmd_uint("1", 0, &v), -ERANGE);
	CHECK(dev_cmd_uint("18446744073709551615", (~0UL), &v) == 0 && v == (~0UL), "max");
	CHECK_EQ(dev_cmd_uint("18446744073709551616", (~0UL), &v), -ERANGE);
	CHECK_EQ(dev_cmd_uint("184467440737095516160", (~0UL), &v), -ERANGE);
	CHECK_EQ(dev_cmd_uint("99999999999999999999x", (~0UL), &v), -EINVAL);
	CHECK_EQ(dev_cmd_uint("", 10, &v), -EINVAL);
	CHECK_EQ(dev_cmd_uint("+1", 10, &v), -EINVAL);
}

int main(void)
{
	vfs_init();
	vfs_ctx_init(&ctx);
	first_attach_enomem();
	walk_and_stat();
	readdir_offsets();
	text_offsets();
	ctl_commands();
	instances();
	chrdevs();
	cmd_numbers();
	vfs_ctx_put(&ctx);
	return UNIT_SUMMARY();
}
