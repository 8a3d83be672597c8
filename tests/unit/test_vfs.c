/*
 * Host tests of VFS semantics.  The core is differential: one script of
 * namespace operations (mkdir, open/O_CREAT/O_EXCL/O_DIRECTORY, unlink,
 * rmdir, rename, link, symlink, readlink, stat, lstat, truncate, ...)
 * runs both against the host Linux kernel (inside a temporary directory,
 * through the *at syscalls) and against our VFS (cwd = a fresh directory
 * of the ramfs); every return value / errno and the resulting file types,
 * sizes and link counts must agree (directory sizes are file-system
 * specific and not compared).  Then checks that need a non-root
 * identity (permissions), the symlink limit, devices and bind.
 */
// SOURCES: kernel/fs/vfs.c kernel/fs/namei.c kernel/fs/vfs_ops.c kernel/fs/vfs_rename.c kernel/fs/vfs_attr.c kernel/fs/file.c kernel/fs/fdtable.c kernel/fs/ramfs.c kernel/mm/vmobj.c kernel/dev/dev.c kernel/dev/devcmd.c kernel/lib/slice.c kernel/lib/printf.c kernel/dev/null.c kernel/dev/template.c kernel/dev/root.c kernel/lib/errstr.c kernel/lib/random.c tests/unit/shim_kmalloc.c tests/unit/shim_fs.c
#define _GNU_SOURCE
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <grp.h>
#include "unit.h"
#include <kern/vfs.h>
#include <kern/dev.h>

static struct vfs_ctx ctx;
static int hostdir;

/* One scripted operation. */
struct op {
	const char *op, *a, *b;
	long arg;
};

static const struct op script[] = {
	{ "mkdir", "d" }, { "mkdir", "d" }, { "mkdir", "d/" }, { "mkdir", "d/." },
	{ "mkdir", "d/.." }, { "mkdir", "nodir/x" }, { "mkdir", "e//" },
	{ "creat", "d/f" }, { "creat", "d/f" }, { "excl", "d/f" }, { "creat", "d/g/" },
	{ "creat", "d/f/x" }, { "mkdir", "d/f/x" }, { "stat", "d/f/" }, { "stat", "d/f/." },
	{ "stat", "d/f" }, { "stat", "d" }, { "stat", "d/./../d//f" }, { "stat", "" },
	{ "stat", "missing" }, { "stat", "d/missing/x" }, { "odir", "d/f" }, { "odir", "d" },
	{ "open", "d", NULL, O_WRONLY }, { "open", "d", NULL, O_RDONLY | O_TRUNC },
	{ "open", "d", NULL, O_RDONLY | O_CREAT }, { "open", "missing", NULL, O_RDONLY },
	{ "creat", "." }, { "creat", ".." },
	{ "symlink", "f", "d/l" }, { "symlink", "f", "d/l" }, { "symlink", "", "d/empty" },
	{ "symlink", "nowhere", "d/dangling" }, { "stat", "d/l" }, { "lstat", "d/l" },
	{ "stat", "d/dangling" }, { "lstat", "d/dangling" }, { "excl", "d/dangling" },
	{ "nofollowcreat", "d/dangling" }, { "creat", "d/dangling" }, { "stat", "d/nowhere" },
	{ "symlink", "nodir/x", "d/dangling2" }, { "creat", "d/dangling2" },
	{ "symlink", "d", "dlink" }, { "creat", "dlink" }, { "symlink", "sub/", "d/slash" },
	{ "creat", "d/slash" }, { "stat", "d/l/" },
	{ "lstat", "d/l/" }, { "readlink", "d/l" }, { "readlink", "d/f" },
	{ "readlink", "d/l/" }, { "nofollow", "d/l" }, { "nofollow", "d/f" },
	{ "symlink", "l2", "d/l1" }, { "symlink", "l1", "d/l2" }, { "stat", "d/l1" },
	{ "lstat", "d/l1" }, { "creat", "d/l1" }, { "mkdir", "d/l" },
	{ "symlink", "/", "d/root" }, { "symlink", ".", "d/self" },
	{ "stat", "d/self/self/self/f" },
	{ "write", "d/f", "hello world" }, { "stat", "d/f" }, { "truncate", "d/f", NULL, 5 },
	{ "stat", "d/f" }, { "truncate", "d/f", NULL, 100000 }, { "stat", "d/f" },
	{ "truncate", "d", NULL, 0 }, { "truncate", "d/f", NULL, -1 }, { "truncate", "d/l", NULL, 3 },
	{ "stat", "d/f" },
	{ "link", "d/f", "d/h" }, { "stat", "d/f" }, { "link", "d/f", "d/h" }, { "link", "d", "d/dl" },
	{ "link", "d/missing", "d/x" }, { "link", "d/f", "d/nodir/x" }, { "link", "d/f", "d/new/" },
	{ "link", "d/l", "d/lcopy" }, { "lstat", "d/lcopy" },
	{ "unlink", "d/h" }, { "stat", "d/f" }, { "unlink", "d/h" }, { "unlink", "d" },
	{ "unlink", "d/f/" }, { "unlink", "d/." }, { "unlink", "d/.." }, { "unlink", "d/l" },
	{ "rmdir", "d" }, { "rmdir", "d/f" }, { "rmdir", "d/." }, { "rmdir", "d/.." },
	{ "rmdir", "missing" }, { "mkdir", "d/sub" }, { "mkdir", "d/sub/deeper" },
	{ "rmdir", "d/sub" }, { "rmdir", "d/sub/deeper/" }, { "rmdir", "d/sub" },
	{ "mkdir", "r" }, { "mkdir", "r/a" }, { "mkdir", "r/a/b" }, { "creat", "r/f1" },
	{ "creat", "r/f2" }, { "mkdir", "r/empty" }, { "mkdir", "r/full" }, { "creat", "r/full/x" },
	{ "rename", "r/f1", "r/f2" }, { "stat", "r/f1" }, { "stat", "r/f2" },
	{ "rename", "r/f2", "r/f2" }, { "rename", "r/missing", "r/z" },
	{ "rename", "r/f2", "r/empty" }, { "rename", "r/empty", "r/f2" },
	{ "rename", "r/a", "r/a/b/c" }, { "rename", "r/a", "r/a" }, { "rename", "r/a", "r/full" },
	{ "rename", "r/a", "r/empty" }, { "stat", "r/empty/b" }, { "stat", "r/a" },
	{ "rename", "r/f2", "r/nodir/x" }, { "rename", "r/f2/", "r/g" }, { "rename", "r/f2", "r/g/" },
	{ "rename", "r/empty/", "r/moved/" }, { "stat", "r/moved/b" }, { "rename", "r/.", "r/x" },
	{ "rename", "r/moved", "r/.." }, { "rename", "r/moved", "." },
	{ "link", "r/f2", "r/f2link" }, { "rename", "r/f2", "r/f2link" }, { "stat", "r/f2" },
	{ "noreplace", "r/f2", "r/f2link" }, { "noreplace", "r/f2", "r/f3" }, { "stat", "r/f3" },
	{ "rename", "r/moved/b", "r/moved/../bb" }, { "stat", "r/bb" }, { "getdents", "r" },
	{ "mkdir", "r/bb/.." }, { "rename", "r/bb", "r/bb/sub" },
	{ "chmod", "r/f3", NULL, 0600 }, { "stat", "r/f3" }, { "chmod", "missing", NULL, 0600 },
	{ "access", "r/f3", NULL, R_OK | W_OK }, { "access", "r/f3", NULL, X_OK },
	{ "access", "r", NULL, X_OK }, { "access", "r/f3", NULL, 8 },
	{ "mknod", "r/fifo", NULL, S_IFIFO | 0644 }, { "lstat", "r/fifo" },
	{ "mknod", "r/dir", NULL, S_IFDIR | 0755 }, { "mknod", "r/fifo", NULL, S_IFIFO | 0644 },
	{ "mknod", "r/plain", NULL, 0644 }, { "stat", "r/plain" },
	{ "getdents", "r" }, { "getdents", "r/bb" },
	{ "mkdir", "x" }, { "mkdir", "x/p" }, { "mkdir", "x/q" }, { "mkdir", "x/p/c" },
	{ "mkdir", "x/q/c" }, { "rename", "x/p/c", "x/q/c" }, { "stat", "x/p" }, { "stat", "x/q" },
	{ "stat", "x/q/c" }, { "symlink", "q", "x/ql" }, { "unlink", "x/ql/" }, { "rmdir", "x/ql/" },
	{ "rmdir", "x/ql" }, { "rename", "x/ql/", "x/z" }, { "rename", "x/ql", "x/z" },
	{ "lstat", "x/z" }, { "stat", "x/z/c" }, { "link", "x/z", "x/zl" }, { "lstat", "x/zl" },
	{ "stat", "x/p/../q/./c/" }, { "stat", "x/p/nonexistent/.." }, { "creat", "x/file" },
	{ "stat", "x/file/.." }, { "rmdir", "x/q//c//" }, { "stat", "x/q" }, { "rename", "x/p", "x/q" },
	{ "stat", "x/q" }, { "stat", "x" }, { "symlink", "../x/q", "x/up" }, { "stat", "x/up/" },
	{ "mkdir", "x/up" }, { "mkdir", "x/up/" }, { "rmdir", "x/up" }, { "getdents", "x" },
};

static int host_errno(long r)
{
	return r < 0 ? -errno : (int)r;
}

static int host_stat(const char *p, int flags, char *desc, size_t dlen)
{
	struct stat st;

	if (fstatat(hostdir, p, &st, flags) < 0)
		return -errno;
	snprintf(desc, dlen, "type %o size %lld nlink %d mode %o", st.st_mode & S_IFMT,
		 S_ISDIR(st.st_mode) ? 0ll : (long long)st.st_size,
		 (int)st.st_nlink,
		 st.st_mode & 07777);
	return 0;
}

static int our_stat(const char *p, int flags, char *desc, size_t dlen)
{
	struct abi_stat st;
	int r = vfs_statat(&ctx, NULL, p, flags, &st);

	if (r)
		return r;
	snprintf(desc, dlen, "type %o size %lld nlink %d mode %o", st.st_mode & S_IFMT,
		 S_ISDIR(st.st_mode) ? 0ll : (long long)st.st_size,
		 (int)st.st_nlink,
		 st.st_mode & 07777);
	return 0;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, space-separated names of directory p ("." and ".." included). */
static int host_names(const char *p, char *out, size_t len)
{
	char cmd[4096];
	int fd = openat(hostdir, p, O_RDONLY | O_DIRECTORY);
	char buf[4096], *names[256];
	int n = 0;
	long r;

	if (fd < 0)
		return -errno;
	while ((r = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (long off = 0; off < r; ) {
			struct linux_dirent64 *de = (void *)(buf + off);

			names[n++] = strdup(de->d_name);
			off += de->d_reclen;
		}
	close(fd);
	qsort(names, n, sizeof(char *), cmpstr);
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		snprintf(cmd, sizeof(cmd), "%s ", names[i]);
		strncat(out, cmd, len - strlen(out) - 1);
		free(names[i]);
	}
	return 0;
}

static int our_names(const char *p, char *out, size_t len)
{
	struct file *f;
	char buf[128], *names[256];
	int n = 0, r = vfs_openat(&ctx, NULL, p, O_RDONLY | O_DIRECTORY, 0, &f);
	ssize_t got;

	if (r)
		return r;
	/* A small buffer forces many calls and exercises the cookies. */
	while ((got = vfs_getdents64(f, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0; off < got; ) {
			struct linux_dirent64 *de = (void *)(buf + off);

			names[n++] = strdup(de->d_name);
			off += de->d_reclen;
		}
	file_put(f);
	qsort(names, n, sizeof(char *), cmpstr);
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		strncat(out, names[i], len - strlen(out) - 2);
		strcat(out, " ");
		free(names[i]);
	}
	return got < 0 ? (int)got : 0;
}

/* Run op on the host; desc gets any observed detail. */
static int run_host(const struct op *o, char *desc, size_t dlen)
{
	int fd, r;
	char buf[256];

	desc[0] = 0;
	if (!strcmp(o->op, "mkdir"))
		return host_errno(mkdirat(hostdir, o->a, 0755));
	if (!strcmp(o->op, "creat") || !strcmp(o->op, "excl") || !strcmp(o->op, "odir") ||
	    !strcmp(o->op, "open") || !strcmp(o->op, "nofollow") ||
	    !strcmp(o->op, "nofollowcreat")) {
		int fl = !strcmp(o->op, "creat") ? O_CREAT | O_WRONLY :
			!strcmp(o->op, "nofollowcreat") ? O_CREAT | O_NOFOLLOW | O_WRONLY :
			!strcmp(o->op, "excl") ? O_CREAT | O_EXCL | O_WRONLY :
			!strcmp(o->op, "odir") ? O_DIRECTORY | O_RDONLY :
			!strcmp(o->op, "nofollow") ? O_NOFOLLOW | O_RDONLY : (int)o->arg;

		fd = openat(hostdir, o->a, fl, 0644);
		if (fd < 0)
			return -errno;
		close(fd);
		return 0;
	}
	if (!strcmp(o->op, "write")) {
		fd = openat(hostdir, o->a, O_WRONLY);
		if (fd < 0)
			return -errno;
		r = host_errno(write(fd, o->b, strlen(o->b)));
		close(fd);
		return r;
	}
	if (!strcmp(o->op, "stat"))
		return host_stat(o->a, *o->a ? 0 : AT_EMPTY_PATH * 0, desc, dlen);
	if (!strcmp(o->op, "lstat"))
		return host_stat(o->a, AT_SYMLINK_NOFOLLOW, desc, dlen);
	if (!strcmp(o->op, "readlink")) {
		ssize_t n = readlinkat(hostdir, o->a, buf, sizeof(buf));

		if (n < 0)
			return -errno;
		snprintf(desc, dlen, "%.*s", (int)n, buf);
		return (int)n;
	}
	if (!strcmp(o->op, "symlink"))
		return host_errno(symlinkat(o->a, hostdir, o->b));
	if (!strcmp(o->op, "link"))
		return host_errno(linkat(hostdir, o->a, hostdir, o->b, 0));
	if (!strcmp(o->op, "unlink"))
		return host_errno(unlinkat(hostdir, o->a, 0));
	if (!strcmp(o->op, "rmdir"))
		return host_errno(unlinkat(hostdir, o->a, AT_REMOVEDIR));
	if (!strcmp(o->op, "rename"))
		return host_errno(renameat(hostdir, o->a, hostdir, o->b));
	if (!strcmp(o->op, "noreplace"))
		return host_errno(syscall(SYS_renameat2, hostdir, o->a, hostdir, o->b,
					  RENAME_NOREPLACE));
	if (!strcmp(o->op, "truncate")) {
		fd = openat(hostdir, ".", O_RDONLY);
		r = fchdir(hostdir);
		r = host_errno(truncate(o->a, o->arg));
		close(fd);
		return r;
	}
	if (!strcmp(o->op, "chmod"))
		return host_errno(fchmodat(hostdir, o->a, (mode_t)o->arg, 0));
	if (!strcmp(o->op, "access"))
		return host_errno(faccessat(hostdir, o->a, (int)o->arg, 0));
	if (!strcmp(o->op, "mknod"))
		return host_errno(mknodat(hostdir, o->a, (mode_t)o->arg, 0));
	if (!strcmp(o->op, "getdents"))
		return host_names(o->a, desc, dlen);
	return -9999;
}

static int run_ours(const struct op *o, char *desc, size_t dlen)
{
	struct file *f;
	char buf[256];
	int r;

	desc[0] = 0;
	if (!strcmp(o->op, "mkdir"))
		return vfs_mkdirat(&ctx, NULL, o->a, 0755);
	if (!strcmp(o->op, "creat") || !strcmp(o->op, "excl") || !strcmp(o->op, "odir") ||
	    !strcmp(o->op, "open") || !strcmp(o->op, "nofollow") ||
	    !strcmp(o->op, "nofollowcreat")) {
		int fl = !strcmp(o->op, "creat") ? O_CREAT | O_WRONLY :
			!strcmp(o->op, "nofollowcreat") ? O_CREAT | O_NOFOLLOW | O_WRONLY :
			!strcmp(o->op, "excl") ? O_CREAT | O_EXCL | O_WRONLY :
			!strcmp(o->op, "odir") ? O_DIRECTORY | O_RDONLY :
			!strcmp(o->op, "nofollow") ? O_NOFOLLOW | O_RDONLY : (int)o->arg;

		r = vfs_openat(&ctx, NULL, o->a, fl, 0644, &f);
		if (!r)
			file_put(f);
		return r;
	}
	if (!strcmp(o->op, "write")) {
		ssize_t n;

		r = vfs_openat(&ctx, NULL, o->a, O_WRONLY, 0, &f);
		if (r)
			return r;
		n = vfs_write(f, o->b, strlen(o->b));
		file_put(f);
		return (int)n;
	}
	if (!strcmp(o->op, "stat"))
		return our_stat(o->a, 0, desc, dlen);
	if (!strcmp(o->op, "lstat"))
		return our_stat(o->a, AT_SYMLINK_NOFOLLOW, desc, dlen);
	if (!strcmp(o->op, "readlink")) {
		ssize_t n = vfs_readlinkat(&ctx, NULL, o->a, buf, sizeof(buf));

		if (n >= 0)
			snprintf(desc, dlen, "%.*s", (int)n, buf);
		return (int)n;
	}
	if (!strcmp(o->op, "symlink"))
		return vfs_symlinkat(&ctx, o->a, NULL, o->b);
	if (!strcmp(o->op, "link"))
		return vfs_linkat(&ctx, NULL, o->a, NULL, o->b, 0);
	if (!strcmp(o->op, "unlink"))
		return vfs_unlinkat(&ctx, NULL, o->a, 0);
	if (!strcmp(o->op, "rmdir"))
		return vfs_unlinkat(&ctx, NULL, o->a, AT_REMOVEDIR);
	if (!strcmp(o->op, "rename"))
		return vfs_renameat2(&ctx, NULL, o->a, NULL, o->b, 0);
	if (!strcmp(o->op, "noreplace"))
		return vfs_renameat2(&ctx, NULL, o->a, NULL, o->b, RENAME_NOREPLACE);
	if (!strcmp(o->op, "truncate"))
		return vfs_truncate(&ctx, NULL, o->a, o->arg, ~0ULL);
	if (!strcmp(o->op, "chmod"))
		return vfs_fchmodat(&ctx, NULL, o->a, (u32)o->arg, 0);
	if (!strcmp(o->op, "access"))
		return vfs_faccessat(&ctx, NULL, o->a, (int)o->arg, 0);
	if (!strcmp(o->op, "mknod"))
		return vfs_mknodat(&ctx, NULL, o->a, (u32)o->arg, 0);
	if (!strcmp(o->op, "getdents"))
		return our_names(o->a, desc, dlen);
	return -9999;
}

static void differential(void)
{
	char tmpl[] = "/tmp/vfstestXXXXXX", cmd[256];

	if (!mkdtemp(tmpl) || (hostdir = open(tmpl, O_RDONLY | O_DIRECTORY)) < 0) {
		CHECK(0, "host temp dir");
		return;
	}
	umask(022);
	CHECK_EQ(vfs_mkdirat(&ctx, NULL, "/w", 0755), 0);
	CHECK_EQ(vfs_chdir(&ctx, NULL, "/w"), 0);
	for (size_t i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
		const struct op *o = &script[i];
		char hd[4096], od[4096];
		int hr = run_host(o, hd, sizeof(hd)), orr = run_ours(o, od, sizeof(od));

		CHECK(hr == orr && !strcmp(hd, od), "#%zu %s %s %s: host %d '%s', ours %d '%s'",
		      i, o->op, o->a, o->b ? o->b : "", hr, hd, orr, od);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpl);
	if (system(cmd))
		printf("could not remove %s\n", tmpl);
	close(hostdir);
}

/* Random path over a tiny alphabet so operations collide often. */
static void random_path(unsigned *seed, char *out, size_t len)
{
	static const char *const comps[] = { "a", "b", "c", "l", ".", "..", "a", "b" };
	int depth = 1 + (int)((*seed = *seed * 1103515245 + 12345) >> 16) % 3;

	out[0] = 0;
	for (int i = 0; i < depth; i++) {
		*seed = *seed * 1103515245 + 12345;
		if (i)
			strncat(out, "/", len - strlen(out) - 1);
		strncat(out, comps[(*seed >> 16) % 8], len - strlen(out) - 1);
	}
	*seed = *seed * 1103515245 + 12345;
	if ((*seed >> 16) % 8 == 0)
		strncat(out, "/", len - strlen(out) - 1);
}

/*
 * Could path leave the directory it is resolved in?  Counted lexically;
 * symlink targets never contain "." or ".." components, so each link
 * expands to at least one real level and the lexical depth is a lower
 * bound of the real one.
 */
static bool escapes(const char *p)
{
	int depth = 0;

	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 2 && !strncmp(p, "..", 2))
			depth--;
		else if (len && !(len == 1 && *p == '.'))
			depth++;
		if (depth < 0)
			return true;
		p += len;
		while (*p == '/')
			p++;
	}
	return false;
}

/* Thousands of random operations, host vs ours, in fresh directories. */
static void random_differential(void)
{
	static const char *const ops[] = { "mkdir", "creat", "excl", "unlink", "rmdir", "rename",
		"link", "symlink", "stat", "lstat", "readlink", "odir", "truncate", "noreplace",
		"nofollowcreat", "getdents", "mkdir", "creat", "rename", "open", "open", "access",
		"chmod" };
	static const int oflags[] = { O_RDONLY, O_WRONLY, O_RDWR, O_ACCMODE, O_RDONLY | O_TRUNC,
		O_WRONLY | O_CREAT | O_TRUNC, O_RDWR | O_CREAT | O_EXCL, O_RDONLY | O_DIRECTORY,
		O_WRONLY | O_NOFOLLOW, O_RDONLY | O_CREAT | O_DIRECTORY, O_PATH,
		O_PATH | O_NOFOLLOW, O_WRONLY | O_APPEND | O_CREAT };
	char tmpl[] = "/tmp/vfsrandXXXXXX", cmd[256];
	unsigned seed = 4242;
	int mismatches = 0;

	if (!mkdtemp(tmpl) || (hostdir = open(tmpl, O_RDONLY | O_DIRECTORY)) < 0) {
		CHECK(0, "host temp dir");
		return;
	}
	if (fchmod(hostdir, 0755))
		printf("fchmod failed\n");
	CHECK_EQ(vfs_mkdirat(&ctx, NULL, "/rw", 0755), 0);
	CHECK_EQ(vfs_chdir(&ctx, NULL, "/rw"), 0);
	for (int i = 0; i < 6000; i++) {
		char a[64], b[64], hd[4096], od[4096];
		struct op o;
		int hr, orr;

		seed = seed * 1103515245 + 12345;
		o.op = ops[(seed >> 16) % (sizeof(ops) / sizeof(ops[0]))];
		random_path(&seed, a, sizeof(a));
		random_path(&seed, b, sizeof(b));
		/* Keep everything inside the test directory (see escapes()). */
		if (escapes(a) || escapes(b))
			continue;
		if (!strcmp(o.op, "symlink") && (strstr(b, ".") || b[strlen(b) - 1] == '/'))
			continue;
		o.a = !strcmp(o.op, "symlink") ? b : a;
		o.b = !strcmp(o.op, "symlink") ? a : b;
		o.arg = (seed >> 20) % 100;
		if (!strcmp(o.op, "open"))
			o.arg = oflags[(seed >> 20) % (sizeof(oflags) / sizeof(oflags[0]))];
		else if (!strcmp(o.op, "access"))
			o.arg = (seed >> 20) % 8;
		else if (!strcmp(o.op, "chmod"))
			o.arg = (seed >> 20) % 2 ? 0644 : 0755;
		hr = run_host(&o, hd, sizeof(hd));
		orr = run_ours(&o, od, sizeof(od));
		if (hr != orr || strcmp(hd, od)) {
			if (mismatches++ < 15)
				printf("random #%d %s %s %s: host %d '%s', ours %d '%s'\n", i, o.op,
				       o.a, o.b, hr, hd, orr, od);
		}
	}
	CHECK(mismatches == 0, "%d random operations disagree with Linux", mismatches);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpl);
	if (system(cmd))
		printf("could not remove %s\n", tmpl);
	close(hostdir);
}

/* Same setup on both sides, as root: directories and files of various modes and owners. */
static const struct op perm_setup[] = {
	{ "mkdir", "open" }, { "mkdir", "closed" }, { "mkdir", "world" }, { "mkdir", "sticky" },
	{ "mkdir", "mine" }, { "chmod", "closed", NULL, 0700 }, { "chmod", "world", NULL, 0777 },
	{ "chmod", "sticky", NULL, 01777 }, { "chown", "mine", NULL, 1000 },
	{ "creat", "open/a" }, { "creat", "closed/a" }, { "creat", "world/a" },
	{ "creat", "sticky/a" }, { "creat", "sticky/b" }, { "chown", "sticky/b", NULL, 1000 },
	{ "creat", "mine/a" }, { "chown", "mine/a", NULL, 1000 }, { "creat", "open/secret" },
	{ "chmod", "open/secret", NULL, 0600 }, { "creat", "world/rw" },
	{ "chmod", "world/rw", NULL, 0666 }, { "mkdir", "world/d" }, { "mkdir", "sticky/d" },
	{ "creat", "open/x" }, { "chmod", "open/x", NULL, 0755 },
};

static int host_chown(const char *p, long uid)
{
	return host_errno(fchownat(hostdir, p, (uid_t)uid, (gid_t)uid, 0));
}

/* User (uid/gid 1000) operations: host in a setuid child, ours with a user vfs_ctx. */
static void permission_differential(void)
{
	static const char *const ops[] = { "mkdir", "creat", "unlink", "rmdir", "rename", "link",
		"symlink", "stat", "odir", "open", "truncate", "chmod", "access", "getdents",
		"readlink", "excl" };
	static const char *const dirs[] = { "open", "closed", "world", "sticky", "mine" };
	static const char *const names[] = { "a", "b", "secret", "rw", "d", "x", "new" };
	static const int oflags[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDONLY | O_TRUNC,
		O_WRONLY | O_CREAT };
	enum { N = 3000 };
	struct result { int r; char desc[200]; } *host;
	struct op *script = calloc(N, sizeof(*script));
	char (*paths)[2][64] = calloc(N, sizeof(*paths));
	char tmpl[] = "/tmp/vfspermXXXXXX", cmd[256];
	struct vfs_ctx user;
	unsigned seed = 777;
	int mismatches = 0;
	pid_t pid;

	host = mmap(NULL, N * sizeof(*host), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		    -1, 0);
	if (host == MAP_FAILED || !mkdtemp(tmpl) || (hostdir = open(tmpl, O_RDONLY)) < 0 ||
	    fchmod(hostdir, 0755) || geteuid() != 0) {
		printf("permission differential skipped (needs root on the host)\n");
		return;
	}
	CHECK_EQ(vfs_mkdirat(&ctx, NULL, "/pd", 0755), 0);
	CHECK_EQ(vfs_chdir(&ctx, NULL, "/pd"), 0);
	for (size_t i = 0; i < sizeof(perm_setup) / sizeof(perm_setup[0]); i++) {
		const struct op *o = &perm_setup[i];
		char d[64];
		int hr = !strcmp(o->op, "chown") ? host_chown(o->a, o->arg) : run_host(o, d, 64);
		int orr = !strcmp(o->op, "chown") ?
			vfs_fchownat(&ctx, NULL, o->a, (u32)o->arg, (u32)o->arg, 0) :
			run_ours(o, d, 64);

		CHECK(hr == 0 && orr == 0, "setup %s %s: %d %d", o->op, o->a, hr, orr);
	}
	for (int i = 0; i < N; i++) {
		struct op *o = &script[i];

		for (int k = 0; k < 2; k++) {
			seed = seed * 1103515245 + 12345;
			snprintf(paths[i][k], 64, "%s/%s", dirs[(seed >> 16) % 5],
				 names[(seed >> 8) % 7]);
		}
		seed = seed * 1103515245 + 12345;
		o->op = ops[(seed >> 16) % (sizeof(ops) / sizeof(ops[0]))];
		o->a = paths[i][0];
		o->b = paths[i][1];
		if (!strcmp(o->op, "open"))
			o->arg = oflags[(seed >> 8) % 5];
		else if (!strcmp(o->op, "chmod"))
			o->arg = ((seed >> 8) & 1) ? 0600 : 0755;
		else if (!strcmp(o->op, "access"))
			o->arg = (seed >> 8) % 8;
		else
			o->arg = (seed >> 8) % 10;
	}
	/* Host: a child with uid/gid 1000 runs the script and records results. */
	pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(1);
		umask(022);
		for (int i = 0; i < N; i++)
			host[i].r = run_host(&script[i], host[i].desc, sizeof(host[i].desc));
		_exit(0);
	}
	{
		int status = 0;

		waitpid(pid, &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "host user child ran");
	}
	vfs_ctx_copy(&user, &ctx);
	user.uid = user.gid = 1000;
	{
		struct vfs_ctx saved = ctx;

		ctx = user;	/* run_ours uses the global ctx */
		for (int i = 0; i < N; i++) {
			char od[200];
			int orr = run_ours(&script[i], od, sizeof(od));

			if (orr != host[i].r || strcmp(od, host[i].desc)) {
				if (mismatches++ < 15)
					printf("perm #%d %s %s %s %lo: host %d '%s', ours %d '%s'\n", i,
					       script[i].op, script[i].a, script[i].b, script[i].arg,
					       host[i].r, host[i].desc, orr, od);
			}
		}
		ctx = saved;
	}
	CHECK(mismatches == 0, "%d of %d user operations disagree with Linux", mismatches, N);
	vfs_ctx_put(&user);
	CHECK_EQ(vfs_chdir(&ctx, NULL, "/"), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpl);
	if (system(cmd))
		printf("could not remove %s\n", tmpl);
	close(hostdir);
	munmap(host, N * sizeof(*host));
	free(script);
	free(paths);
}

static void symlink_limits(void)
{
	char name[32], target[32], longname[300], *longpath;
	struct abi_stat st;

	vfs_mkdirat(&ctx, NULL, "/chain", 0755);
	struct file *f;

	CHECK_EQ(vfs_openat(&ctx, NULL, "/chain/file", O_CREAT | O_WRONLY, 0644, &f), 0);
	file_put(f);
	/* s40 -> file, s39 -> s40, ... s0 -> s1: s1 needs 40 follows, s0 needs 41. */
	for (int i = 40; i >= 0; i--) {
		snprintf(name, sizeof(name), "/chain/s%d", i);
		if (i == 40)
			snprintf(target, sizeof(target), "file");
		else
			snprintf(target, sizeof(target), "s%d", i + 1);
		vfs_symlinkat(&ctx, target, NULL, name);
	}
	CHECK_EQ(vfs_statat(&ctx, NULL, "/chain/s1", 0, &st), 0);
	CHECK_EQ(vfs_statat(&ctx, NULL, "/chain/s0", 0, &st), -ELOOP);
	CHECK_EQ(vfs_statat(&ctx, NULL, "/chain/s0", AT_SYMLINK_NOFOLLOW, &st), 0);
	memset(longname, 'x', 256);
	longname[256] = 0;
	CHECK_EQ(vfs_mkdirat(&ctx, NULL, longname, 0755), -ENAMETOOLONG);
	CHECK_EQ(vfs_statat(&ctx, NULL, longname, 0, &st), -ENAMETOOLONG);
	longname[255] = 0;
	CHECK_EQ(vfs_mkdirat(&ctx, NULL, longname, 0755), 0);
	CHECK_EQ(vfs_unlinkat(&ctx, NULL, longname, AT_REMOVEDIR), 0);
	longpath = malloc(5000);
	memset(longpath, '/', 4999);
	longpath[4999] = 0;
	CHECK_EQ(vfs_statat(&ctx, NULL, longpath, 0, &st), -ENAMETOOLONG);
	longpath[4095] = 0;
	CHECK_EQ(vfs_statat(&ctx, NULL, longpath, 0, &st), 0);
	free(longpath);
}

static void permissions(void)
{
	struct vfs_ctx user;
	struct file *f = NULL;
	struct abi_stat st;

	vfs_mkdirat(&ctx, NULL, "/perm", 0755);
	vfs_mkdirat(&ctx, NULL, "/perm/locked", 0700);
	vfs_openat(&ctx, NULL, "/perm/locked/secret", O_CREAT | O_WRONLY, 0600, &f);
	file_put(f);
	vfs_openat(&ctx, NULL, "/perm/ro", O_CREAT | O_WRONLY, 0644, &f);
	file_put(f);
	vfs_mkdirat(&ctx, NULL, "/perm/tmp", 01777);
	vfs_fchmodat(&ctx, NULL, "/perm/tmp", 01777, 0);
	vfs_ctx_copy(&user, &ctx);
	user.uid = 1000;
	user.gid = 1000;
	CHECK_EQ(vfs_statat(&user, NULL, "/perm/locked/secret", 0, &st), -EACCES);
	CHECK_EQ(vfs_statat(&user, NULL, "/perm/locked", 0, &st), 0);
	CHECK_EQ(vfs_openat(&user, NULL, "/perm/ro", O_WRONLY, 0, &f), -EACCES);
	CHECK_EQ(vfs_openat(&user, NULL, "/perm/ro", O_RDONLY | O_TRUNC, 0, &f), -EACCES);
	CHECK_EQ(vfs_openat(&user, NULL, "/perm/ro", O_RDONLY, 0, &f), 0);
	file_put(f);
	CHECK_EQ(vfs_mkdirat(&user, NULL, "/perm/new", 0755), -EACCES);
	CHECK_EQ(vfs_mkdirat(&user, NULL, "/perm/ro", 0755), -EEXIST);
	CHECK_EQ(vfs_unlinkat(&user, NULL, "/perm/ro", 0), -EACCES);
	CHECK_EQ(vfs_fchmodat(&user, NULL, "/perm/ro", 0777, 0), -EPERM);
	CHECK_EQ(vfs_faccessat(&user, NULL, "/perm/ro", R_OK, 0), 0);
	CHECK_EQ(vfs_faccessat(&user, NULL, "/perm/ro", W_OK, 0), -EACCES);
	CHECK_EQ(vfs_faccessat(&ctx, NULL, "/perm/ro", X_OK, 0), -EACCES);	/* root needs an x bit */
	CHECK_EQ(vfs_faccessat(&ctx, NULL, "/perm/ro", W_OK, 0), 0);
	/* Sticky /tmp: users create their own files, cannot delete others'. */
	CHECK_EQ(vfs_openat(&user, NULL, "/perm/tmp/mine", O_CREAT | O_WRONLY, 0644, &f), 0);
	file_put(f);
	CHECK_EQ(vfs_statat(&user, NULL, "/perm/tmp/mine", 0, &st), 0);
	CHECK(st.st_uid == 1000 && st.st_gid == 1000 && (st.st_mode & 0777) == 0644,
	      "new file owned by creator, umask applied (uid %u mode %o)", st.st_uid, st.st_mode);
	vfs_openat(&ctx, NULL, "/perm/tmp/roots", O_CREAT | O_WRONLY, 0666, &f);
	file_put(f);
	CHECK_EQ(vfs_unlinkat(&user, NULL, "/perm/tmp/roots", 0), -EPERM);
	CHECK_EQ(vfs_renameat2(&user, NULL, "/perm/tmp/roots", NULL, "/perm/tmp/x", 0), -EPERM);
	CHECK_EQ(vfs_mkdirat(&user, NULL, "/perm/tmp/udir", 0755), 0);
	CHECK_EQ(vfs_mkdirat(&ctx, NULL, "/perm/tmp/rootdir", 0777), 0);
	CHECK_EQ(vfs_fchmodat(&ctx, NULL, "/perm/tmp", 0777, 0), 0);
	CHECK_EQ(vfs_renameat2(&user, NULL, "/perm/tmp/rootdir", NULL, "/perm/tmp/udir/x", 0),
		 -EACCES);	/* not writable by the user: its ".." cannot change */
	CHECK_EQ(vfs_renameat2(&user, NULL, "/perm/tmp/rootdir", NULL, "/perm/tmp/y", 0), 0);
	CHECK_EQ(vfs_fchmodat(&ctx, NULL, "/perm/tmp", 01777, 0), 0);
	CHECK_EQ(vfs_unlinkat(&user, NULL, "/perm/tmp/mine", 0), 0);
	CHECK_EQ(vfs_unlinkat(&ctx, NULL, "/perm/tmp/roots", 0), 0);
	CHECK_EQ(vfs_chdir(&user, NULL, "/perm/locked"), -EACCES);
	CHECK_EQ(vfs_fchownat(&user, NULL, "/perm/ro", 1000, -1, 0), -EPERM);
	CHECK_EQ(vfs_fchownat(&ctx, NULL, "/perm/ro", 1000, 1000, 0), 0);
	CHECK_EQ(vfs_fchmodat(&user, NULL, "/perm/ro", 0600, 0), 0);
	CHECK_EQ(vfs_utimensat(&user, NULL, "/perm/ro", NULL, 0), 0);
	vfs_ctx_put(&user);
}

static void devices_and_bind(void)
{
	struct file *f;
	struct abi_stat st;
	char buf[64];
	unsigned char rnd[32] = { 0 };
	int nz = 0;

	CHECK_EQ(vfs_openat(&ctx, NULL, "#null/zero", O_RDONLY, 0, &f), 0);
	memset(buf, 1, sizeof(buf));
	CHECK_EQ(vfs_read(f, buf, sizeof(buf)), sizeof(buf));
	CHECK(buf[0] == 0 && buf[63] == 0, "zero reads zeros");
	file_put(f);
	CHECK_EQ(vfs_openat(&ctx, NULL, "#null/full", O_WRONLY, 0, &f), 0);
	CHECK_EQ(vfs_write(f, "x", 1), -ENOSPC);
	file_put(f);
	CHECK_EQ(vfs_openat(&ctx, NULL, "#null/urandom", O_RDONLY, 0, &f), 0);
	CHECK_EQ(vfs_read(f, rnd, sizeof(rnd)), sizeof(rnd));
	for (int i = 0; i < 32; i++)
		nz += rnd[i] != 0;
	CHECK(nz > 20, "urandom looks random (%d nonzero)", nz);
	file_put(f);
	CHECK_EQ(vfs_statat(&ctx, NULL, "#nosuchdev/x", 0, &st), -ENOENT);
	CHECK_EQ(vfs_statat(&ctx, NULL, "#null/nosuch", 0, &st), -ENOENT);
	CHECK_EQ(vfs_statat(&ctx, NULL, "#null", 0, &st), 0);
	CHECK(S_ISDIR(st.st_mode), "#null root is a directory");
	CHECK_EQ(vfs_mkdirat(&ctx, NULL, "#null/x", 0755), -EPERM);
	/* Bind device files onto ramfs nodes, as init will for /dev. */
	CHECK_EQ(vfs_mkdirat(&ctx, NULL, "/dev", 0755), 0);
	vfs_openat(&ctx, NULL, "/dev/null", O_CREAT | O_WRONLY, 0666, &f);
	file_put(f);
	CHECK_EQ(vfs_bind(&ctx, "#null/null", "/dev/null"), 0);
	CHECK_EQ(vfs_statat(&ctx, NULL, "/dev/null", 0, &st), 0);
	CHECK(S_ISCHR(st.st_mode) && ABI_MAJOR(st.st_rdev) == 1 && ABI_MINOR(st.st_rdev) == 3,
	      "/dev/null is char 1,3 after bind (mode %o)", st.st_mode);
	CHECK_EQ(vfs_openat(&ctx, NULL, "/dev/null", O_WRONLY | O_TRUNC | O_CREAT, 0666, &f), 0);
	CHECK_EQ(vfs_write(f, "discard", 7), 7);
	file_put(f);
	CHECK_EQ(vfs_unlinkat(&ctx, NULL, "/dev/null", 0), -EBUSY);
	/* Bind a whole device directory; ".." from it returns to the bind point's parent. */
	CHECK_EQ(vfs_mkdirat(&ctx, NULL, "/dev/t", 0755), 0);
	CHECK_EQ(vfs_bind(&ctx, "#template", "/dev/t"), 0);
	CHECK_EQ(vfs_openat(&ctx, NULL, "/dev/t/hello", O_RDONLY, 0, &f), 0);
	memset(buf, 0, sizeof(buf));
	CHECK(vfs_read(f, buf, sizeof(buf)) > 0 && !strncmp(buf, "hello", 5), "template hello");
	file_put(f);
	CHECK_EQ(vfs_statat(&ctx, NULL, "/dev/t/../null", 0, &st), 0);
	CHECK(S_ISCHR(st.st_mode), "/dev/t/.. is /dev");
	CHECK_EQ(vfs_bind(&ctx, "#template", "/dev/null"), -EISDIR);
	CHECK_EQ(vfs_bind(&ctx, "#null/zero", "/dev/t"), -ENOTDIR);
	/* mknod'd char nodes open the matching device. */
	CHECK_EQ(vfs_mknodat(&ctx, NULL, "/dev/zero", S_IFCHR | 0666, ABI_MKDEV(1, 5)), 0);
	CHECK_EQ(vfs_openat(&ctx, NULL, "/dev/zero", O_RDONLY, 0, &f), 0);
	memset(buf, 1, sizeof(buf));
	CHECK_EQ(vfs_read(f, buf, 8), 8);
	CHECK(buf[0] == 0 && buf[7] == 0, "char node 1,5 reads zeros");
	file_put(f);
	CHECK_EQ(vfs_mknodat(&ctx, NULL, "/dev/weird", S_IFCHR | 0666, ABI_MKDEV(99, 1)), 0);
	CHECK_EQ(vfs_openat(&ctx, NULL, "/dev/weird", O_RDONLY, 0, &f), -ENXIO);
	/* #root is the ramfs root. */
	CHECK_EQ(vfs_statat(&ctx, NULL, "#root/dev/t/hello", 0, &st), 0);
	/* Symlink into a device. */
	CHECK_EQ(vfs_symlinkat(&ctx, "#null/zero", NULL, "/dev/z2"), 0);
	CHECK_EQ(vfs_statat(&ctx, NULL, "/dev/z2", 0, &st), 0);
	CHECK(S_ISCHR(st.st_mode), "symlink to #null/zero");
	/* getdents of a device directory. */
	{
		char names[512];

		CHECK_EQ(our_names("#null", names, sizeof(names)), 0);
		CHECK(!strcmp(names, ". .. full null random urandom zero "), "#null lists: %s",
		      names);
	}
}

static void cwd_and_getcwd(void)
{
	char buf[256];
	struct vfs_ctx c2;

	vfs_ctx_copy(&c2, &ctx);
	CHECK_EQ(vfs_mkdirat(&c2, NULL, "/g", 0755), 0);
	CHECK_EQ(vfs_mkdirat(&c2, NULL, "/g/h", 0755), 0);
	CHECK_EQ(vfs_chdir(&c2, NULL, "/g/h"), 0);
	CHECK_EQ(vfs_getcwd(&c2, buf, sizeof(buf)), 5);
	CHECK(!strcmp(buf, "/g/h"), "getcwd %s", buf);
	CHECK_EQ(vfs_getcwd(&c2, buf, 3), -ERANGE);
	CHECK_EQ(vfs_renameat2(&c2, NULL, "/g", NULL, "/g2", 0), 0);
	vfs_getcwd(&c2, buf, sizeof(buf));
	CHECK(!strcmp(buf, "/g2/h"), "getcwd after rename %s", buf);
	CHECK_EQ(vfs_unlinkat(&c2, NULL, "/g2/h", AT_REMOVEDIR), 0);
	CHECK_EQ(vfs_getcwd(&c2, buf, sizeof(buf)), -ENOENT);
	CHECK_EQ(vfs_mkdirat(&c2, NULL, "x", 0755), -ENOENT);
	CHECK_EQ(vfs_chdir(&c2, NULL, ".."), 0);
	vfs_getcwd(&c2, buf, sizeof(buf));
	CHECK(!strcmp(buf, "/g2"), "getcwd after .. from removed dir %s", buf);
	CHECK_EQ(vfs_chdir(&c2, NULL, "/dev/t"), 0);
	vfs_getcwd(&c2, buf, sizeof(buf));
	CHECK(!strcmp(buf, "/dev/t"), "getcwd inside a bind %s", buf);
	CHECK_EQ(vfs_chdir(&c2, NULL, "/../../.."), 0);
	vfs_getcwd(&c2, buf, sizeof(buf));
	CHECK(!strcmp(buf, "/"), "root's .. is root %s", buf);
	vfs_ctx_put(&c2);
}

/* Our ABI structs against the C library's view of the kernel's. */
static void abi_layout(void)
{
	CHECK_EQ(sizeof(struct abi_stat), sizeof(struct stat));
	CHECK_EQ(offsetof(struct abi_stat, st_mode), offsetof(struct stat, st_mode));
	CHECK_EQ(offsetof(struct abi_stat, st_nlink), offsetof(struct stat, st_nlink));
	CHECK_EQ(offsetof(struct abi_stat, st_rdev), offsetof(struct stat, st_rdev));
	CHECK_EQ(offsetof(struct abi_stat, st_size), offsetof(struct stat, st_size));
	CHECK_EQ(offsetof(struct abi_stat, st_blocks), offsetof(struct stat, st_blocks));
	CHECK_EQ(offsetof(struct abi_stat, st_mtim), offsetof(struct stat, st_mtim));
	CHECK_EQ(offsetof(struct abi_stat, st_ctim), offsetof(struct stat, st_ctim));
	CHECK_EQ(sizeof(struct abi_statx), sizeof(struct statx));
	CHECK_EQ(offsetof(struct abi_statx, stx_mode), offsetof(struct statx, stx_mode));
	CHECK_EQ(offsetof(struct abi_statx, stx_mtime), offsetof(struct statx, stx_mtime));
	CHECK_EQ(offsetof(struct abi_statx, stx_dev_minor), offsetof(struct statx, stx_dev_minor));
	CHECK_EQ(ABI_MKDEV(1, 3), makedev(1, 3));
	CHECK_EQ(ABI_MKDEV(259, 70000), makedev(259, 70000));
	CHECK_EQ(ABI_MAJOR(makedev(4095, 1048575)), 4095);
	CHECK_EQ(ABI_MINOR(makedev(4095, 1048575)), 1048575);
}

int main(void)
{
	abi_layout();
	vfs_init();
	vfs_ctx_init(&ctx);
	differential();
	random_differential();
	permission_differential();
	symlink_limits();
	permissions();
	devices_and_bind();
	cwd_and_getcwd();
	vfs_ctx_put(&ctx);
	return UNIT_SUMMARY();
}
