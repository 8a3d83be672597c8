/*
 * Host tests of ramfs file data and open files: read/write/append,
 * pread/pwrite, lseek (incl. holes, SEEK_DATA/HOLE, errors), truncate
 * growth zero-fill, unlinked-but-open files, getdents cookies while the
 * directory changes, fd table semantics (lowest free, dup2/dup3,
 * CLOEXEC, fork copy, EMFILE), timestamps from the clock hook, the
 * initramfs unpacker on an archive made by cpio(1), and -ENOMEM
 * injection on every allocation of a few operations (ASan/LSan catch
 * leaks and use-after-free on the error paths), fallocate among them
 * (allocation all or nothing, punching needs no memory).
 */
// SOURCES: kernel/fs/vfs.c kernel/fs/namei.c kernel/fs/vfs_ops.c kernel/fs/vfs_rename.c kernel/fs/vfs_attr.c kernel/fs/file.c kernel/fs/fdtable.c kernel/fs/ramfs.c kernel/mm/vmobj.c kernel/dev/dev.c kernel/dev/devcmd.c kernel/lib/slice.c kernel/lib/printf.c kernel/fs/initramfs.c kernel/fs/ns_defaults.c kernel/dev/null.c kernel/dev/template.c kernel/dev/root.c kernel/lib/errstr.c kernel/lib/random.c kernel/fs/cpio.c tests/unit/shim_kmalloc.c tests/unit/shim_fs.c
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include <kern/vfs.h>
#include <kern/fdtable.h>
#include <kern/initramfs.h>
#include <kern/dev.h>
#include <kern/errno.h>
#include <kern/vmobj.h>

extern long shim_kmalloc_fail_after;
static struct vfs_ctx ctx;
static u64 fake_now = 1700000000ull * 1000000000ull;

static u64 clock_hook(void)
{
	return fake_now;
}

static struct file *open_or_die(const char *p, int flags, u32 mode)
{
	struct file *f = NULL;
	int err = vfs_openat(&ctx, NULL, p, flags, mode, &f);

	CHECK(err == 0, "open %s: %d", p, err);
	return f;
}

static void file_data(void)
{
	struct file *f = open_or_die("/data", O_CREAT | O_RDWR, 0644), *g;
	char buf[100];
	struct abi_stat st;

	CHECK_EQ(vfs_write(f, "hello", 5), 5);
	CHECK_EQ(vfs_lseek(f, 0, SEEK_CUR), 5);
	CHECK_EQ(vfs_lseek(f, 0, SEEK_SET), 0);
	CHECK_EQ(vfs_read(f, buf, sizeof(buf)), 5);
	CHECK_EQ(vfs_read(f, buf, sizeof(buf)), 0);
	CHECK_EQ(vfs_lseek(f, 10, SEEK_END), 15);
	CHECK_EQ(vfs_write(f, "X", 1), 1);
	CHECK_EQ(vfs_pread(f, buf, 16, 0), 16);
	CHECK(!memcmp(buf, "hello\0\0\0\0\0\0\0\0\0\0X", 16), "hole reads as zeros");
	CHECK_EQ(vfs_lseek(f, -100, SEEK_CUR), -EINVAL);
	CHECK_EQ(vfs_lseek(f, 0, 42), -EINVAL);
	CHECK_EQ(vfs_lseek(f, 3, SEEK_DATA), 3);
	CHECK_EQ(vfs_lseek(f, 3, SEEK_HOLE), 16);
	CHECK_EQ(vfs_lseek(f, 16, SEEK_DATA), -ENXIO);
	CHECK_EQ(vfs_pwrite(f, "J", 1, 0), 1);
	CHECK_EQ(vfs_pread(f, buf, 1, 0), 1);
	CHECK(buf[0] == 'J', "pwrite at 0");
	CHECK_EQ(vfs_pread(f, buf, 1, -1), -EINVAL);
	CHECK_EQ(vfs_lseek(f, 0, SEEK_CUR), 16);	/* p* leave the offset alone */
	g = open_or_die("/data", O_WRONLY | O_APPEND, 0);
	CHECK_EQ(vfs_write(g, "++", 2), 2);
	CHECK_EQ(vfs_fstat(g, &st), 0);
	CHECK_EQ(st.st_size, 18);
	CHECK_EQ(vfs_read(g, buf, 1), -EBADF);
	CHECK_EQ(vfs_ftruncate(g, 2, ~0ULL), 0);
	CHECK_EQ(vfs_pread(f, buf, 10, 0), 2);
	CHECK_EQ(vfs_ftruncate(g, 4096 * 3 + 1, ~0ULL), 0);
	CHECK_EQ(vfs_pread(f, buf, 10, 4096 * 3 - 5), 6);
	CHECK(!memcmp(buf, "\0\0\0\0\0\0", 6), "growth is zero-filled");
	/* RLIMIT_FSIZE: growing past the limit fails; shrinking to above it does not. */
	CHECK_EQ(vfs_ftruncate(g, 4096 * 4, 4096), -EFBIG);
	CHECK_EQ(vfs_ftruncate(g, 4096 * 3, 4096), 0);
	CHECK_EQ(vfs_ftruncate(g, 4096 * 3, 4096), 0);
	CHECK_EQ(vfs_ftruncate(g, 4096 * 3 + 1, ~0ULL), 0);
	CHECK_EQ(vfs_write(f, buf, 0), 0);
	file_put(g);
	g = open_or_die("/data", O_RDONLY, 0);
	CHECK_EQ(vfs_write(g, "x", 1), -EBADF);
	CHECK_EQ(vfs_ftruncate(g, 0, ~0ULL), -EINVAL);
	file_put(g);
	/* Large file: many doublings. */
	{
		static char big[1 << 16];
		long total = 0, ok = 1;

		for (int i = 0; i < (int)sizeof(big); i++)
			big[i] = (char)(i * 13);
		vfs_lseek(f, 0, SEEK_SET);
		for (int i = 0; i < 40; i++)
			total += vfs_write(f, big, sizeof(big));
		CHECK_EQ(total, 40l * (long)sizeof(big));
		for (int i = 0; i < 40; i += 7) {
			static char back[1 << 16];

			vfs_pread(f, back, sizeof(back), (s64)i * (s64)sizeof(big));
			ok &= !memcmp(back, big, sizeof(big));
		}
		CHECK(ok, "2.5 MB round trip");
	}
	/* Unlinked while open: data stays readable, nlink 0. */
	CHECK_EQ(vfs_unlinkat(&ctx, NULL, "/data", 0), 0);
	CHECK_EQ(vfs_pread(f, buf, 3, 0), 3);
	CHECK_EQ(vfs_fstat(f, &st), 0);
	CHECK_EQ(st.st_nlink, 0);
	file_put(f);
	/* Directory read gives EISDIR, O_TRUNC on new files is fine. */
	f = open_or_die("/", O_RDONLY, 0);
	CHECK_EQ(vfs_read(f, buf, 1), -EISDIR);
	CHECK_EQ(vfs_lseek(f, 0, SEEK_END), -EINVAL);
	file_put(f);
	f = open_or_die("/new", O_CREAT | O_TRUNC | O_WRONLY, 0);
	CHECK_EQ(vfs_fstat(f, &st), 0);
	CHECK((st.st_mode & 07777) == 0, "mode 0 file created and opened for write anyway");
	file_put(f);
	f = NULL;
	CHECK_EQ(vfs_openat(&ctx, NULL, "/new", O_RDONLY | O_NOFOLLOW | O_DIRECTORY, 0, &f),
		 -ENOTDIR);
}

static void timestamps(void)
{
	struct abi_stat st, dst;
	struct file *f;
	struct abi_timespec ts[2] = { { 5, 6 }, { 7, UTIME_OMIT } };

	fake_now = 1700000000ull * 1000000000ull + 123;
	vfs_mkdirat(&ctx, NULL, "/ts", 0755);
	f = open_or_die("/ts/f", O_CREAT | O_WRONLY, 0644);
	vfs_statat(&ctx, NULL, "/ts/f", 0, &st);
	CHECK(st.st_mtim.tv_sec == 1700000000 && st.st_mtim.tv_nsec == 123, "mtime from hook");
	fake_now += 5000000000ull;
	vfs_write(f, "x", 1);
	file_put(f);
	vfs_statat(&ctx, NULL, "/ts/f", 0, &st);
	CHECK_EQ(st.st_mtim.tv_sec, 1700000005);
	vfs_statat(&ctx, NULL, "/ts", 0, &dst);
	CHECK_EQ(dst.st_mtim.tv_sec, 1700000000);
	fake_now += 5000000000ull;
	vfs_unlinkat(&ctx, NULL, "/ts/f", 0);
	vfs_statat(&ctx, NULL, "/ts", 0, &dst);
	CHECK_EQ(dst.st_mtim.tv_sec, 1700000010);
	f = open_or_die("/ts/g", O_CREAT | O_WRONLY, 0644);
	file_put(f);
	CHECK_EQ(vfs_utimensat(&ctx, NULL, "/ts/g", ts, 0), 0);
	vfs_statat(&ctx, NULL, "/ts/g", 0, &st);
	CHECK(st.st_atim.tv_sec == 5 && st.st_atim.tv_nsec == 6 && st.st_mtim.tv_sec == 1700000010,
	      "utimensat with UTIME_OMIT");
	ts[1].tv_nsec = 1000000000;
	CHECK_EQ(vfs_utimensat(&ctx, NULL, "/ts/g", ts, 0), -EINVAL);
	{
		struct abi_statx sx;

		CHECK_EQ(vfs_statx(&ctx, NULL, "/ts/g", 0, STATX_BASIC_STATS, &sx), 0);
		CHECK(sx.stx_atime.tv_sec == 5 && S_ISREG(sx.stx_mode) && sx.stx_nlink == 1,
		      "statx");
	}
}

static void getdents_while_changing(void)
{
	char name[32], buf[200];
	int seen[4000] = { 0 }, dup = 0, missing = 0;
	struct file *f;
	ssize_t n;

	vfs_mkdirat(&ctx, NULL, "/many", 0755);
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "/many/f%d", i);
		file_put(open_or_die(name, O_CREAT | O_WRONLY, 0644));
	}
	f = open_or_die("/many", O_RDONLY | O_DIRECTORY, 0);
	for (int round = 0; (n = vfs_getdents64(f, buf, sizeof(buf))) > 0; round++) {
		for (ssize_t off = 0; off < n; ) {
			struct linux_dirent64 *de = (void *)(buf + off);
			int idx;

			if (de->d_name[0] == 'f') {
				idx = atoi(de->d_name + 1);
				if (seen[idx]++)
					dup++;
				CHECK(de->d_type == DT_REG, "d_type");
			}
			off += de->d_reclen;
		}
		/* Delete an entry not yet seen and add new ones: never duplicates. */
		snprintf(name, sizeof(name), "/many/f%d", 199 - round);
		if (round < 200 && !seen[199 - round])
			vfs_unlinkat(&ctx, NULL, name, 0), seen[199 - round] = -1000;
		if (round < 20) {
			snprintf(name, sizeof(name), "/many/f%d", 200 + round);
			file_put(open_or_die(name, O_CREAT | O_WRONLY, 0644));
		}
	}
	CHECK_EQ(n, 0);
	for (int i = 0; i < 200; i++)
		if (seen[i] == 0)
			missing++;
	CHECK(dup == 0 && missing == 0, "every surviving entry exactly once (dup %d missing %d)",
	      dup, missing);
	CHECK_EQ(vfs_lseek(f, 0, SEEK_SET), 0);
	CHECK(vfs_getdents64(f, buf, sizeof(buf)) > 0, "rewind");
	CHECK_EQ(vfs_getdents64(f, buf, 10), -EINVAL);
	file_put(f);
	f = open_or_die("/many/f0", O_RDONLY, 0);
	CHECK_EQ(vfs_getdents64(f, buf, sizeof(buf)), -ENOTDIR);
	file_put(f);
	vfs_mkdirat(&ctx, NULL, "/gone", 0755);
	f = open_or_die("/gone", O_RDONLY, 0);
	vfs_unlinkat(&ctx, NULL, "/gone", AT_REMOVEDIR);
	CHECK_EQ(vfs_getdents64(f, buf, sizeof(buf)), -ENOENT);
	file_put(f);
}

static void fd_tables(void)
{
	struct fd_table t, c;
	struct file *f = open_or_die("/fdfile", O_CREAT | O_RDWR, 0644), *g;
	int fd;

	fdt_init(&t);
	file_get(f);
	CHECK_EQ(fdt_install(&t, f, 0, false), 0);
	file_get(f);
	CHECK_EQ(fdt_install(&t, f, 0, true), 1);
	CHECK_EQ(fdt_dup(&t, 0, 0, false), 2);
	CHECK_EQ(fdt_close(&t, 1), 0);
	CHECK_EQ(fdt_close(&t, 1), -EBADF);
	CHECK_EQ(fdt_dup(&t, 0, 0, false), 1);
	CHECK_EQ(fdt_dup(&t, 0, 10, true), 10);
	CHECK_EQ(fdt_get_cloexec(&t, 10), 1);
	CHECK_EQ(fdt_get_cloexec(&t, 9), -EBADF);
	CHECK_EQ(fdt_dup3(&t, 0, 0, 0), -EINVAL);
	CHECK_EQ(fdt_dup3(&t, 0, 0, -1), 0);
	CHECK_EQ(fdt_dup3(&t, 7, 7, -1), -EBADF);
	CHECK_EQ(fdt_dup3(&t, 0, 500, O_CLOEXEC), 500);
	CHECK_EQ(fdt_get_cloexec(&t, 500), 1);
	CHECK_EQ(fdt_dup3(&t, 0, 500, -1), 500);
	CHECK_EQ(fdt_get_cloexec(&t, 500), 0);
	CHECK_EQ(fdt_dup3(&t, 0, 1024, -1), -EBADF);
	CHECK_EQ(fdt_dup3(&t, 0, 5, 0x1234), -EINVAL);
	CHECK_EQ(fdt_dup(&t, 99, 0, false), -EBADF);
	CHECK_EQ(fdt_copy(&c, &t), 0);
	g = fdt_get(&c, 500);
	CHECK(g == f, "fork copy shares the description");
	file_put(g);
	fdt_close_on_exec(&c);
	CHECK(fdt_get(&c, 10) == NULL, "exec closed cloexec fd");
	g = fdt_get(&c, 2);
	CHECK(g == f, "exec kept plain fd");
	file_put(g);
	fdt_destroy(&c);
	for (fd = 0; fd < 2000; fd++)
		if (fdt_dup(&t, 0, 0, false) < 0)
			break;
	CHECK_EQ(fdt_dup(&t, 0, 0, false), -EMFILE);
	CHECK_EQ(fdt_install(&t, f, 1024, false), -EINVAL);
	CHECK_EQ(f->refcnt, 1 + 1024);
	fdt_destroy(&t);
	CHECK_EQ(f->refcnt, 1);
	file_put(f);
}

static void unpack(void)
{
	FILE *fp = fopen("tests/unit/data/sample.cpio", "rb");
	static unsigned char buf[1 << 18];
	size_t len = fp ? fread(buf, 1, sizeof(buf), fp) : 0;
	struct vfs_ctx uc;
	struct abi_stat st, st2;
	struct file *f;
	char data[16];
	int n;

	if (fp)
		fclose(fp);
	CHECK(len > 1000, "sample archive read");
	CHECK_EQ(vfs_ctx_copy(&uc, &ctx), 0);
	uc.fs->umask = 0;
	n = initramfs_unpack_buf(&uc, buf, len);
	CHECK(n >= 10, "unpacked %d entries", n);
	CHECK_EQ(vfs_statat(&ctx, NULL, "/t/file.txt", 0, &st), 0);
	CHECK(st.st_size == 6 && (st.st_mode & 07777) == 0640 && st.st_mtim.tv_sec == 1000000000,
	      "file attrs size %lld mode %o mtime %lld", (long long)st.st_size, st.st_mode,
	      (long long)st.st_mtim.tv_sec);
	f = open_or_die("/t/link", O_RDONLY, 0);
	CHECK(vfs_read(f, data, sizeof(data)) == 6 && !memcmp(data, "hello\n", 6), "via symlink");
	file_put(f);
	CHECK_EQ(vfs_statat(&ctx, NULL, "/t/hard1", 0, &st), 0);
	CHECK_EQ(vfs_statat(&ctx, NULL, "/t/hard2", 0, &st2), 0);
	CHECK(st.st_ino == st2.st_ino && st.st_nlink == 2 && st.st_size == 7,
	      "hard links joined (nlink %d size %lld)", (int)st.st_nlink, (long long)st.st_size);
	CHECK_EQ(vfs_statat(&ctx, NULL, "/t/big", 0, &st), 0);
	CHECK_EQ(st.st_size, 100000);
	CHECK_EQ(vfs_statat(&ctx, NULL, "/t/fifo", 0, &st), 0);
	CHECK(S_ISFIFO(st.st_mode), "fifo node");
	/* Truncated archive: earlier members stay, an error is returned. */
	CHECK_EQ(initramfs_unpack_buf(&uc, buf, 700), -EINVAL);
	/* Hostile names are skipped. */
	{
		static unsigned char evil[512];
		const char *name = "../../escape";
		size_t nl = strlen(name) + 1, off;

		sprintf((char *)evil, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			1, 0100644, 0, 0, 1, 0, 0, 0, 0, 0, 0, (unsigned)nl, 0);
		memcpy(evil + 110, name, nl);
		off = (110 + nl + 3) & ~3ul;
		sprintf((char *)evil + off, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 11, 0);
		memcpy(evil + off + 110, "TRAILER!!!", 11);
		CHECK_EQ(initramfs_unpack_buf(&uc, evil, off + 124), 0);
		CHECK_EQ(vfs_statat(&ctx, NULL, "/escape", 0, &st), -ENOENT);
	}
	vfs_ctx_put(&uc);
}

static void default_binds_and_snapshots(void)
{
	struct abi_stat st;
	struct file *f, *g;
	char a[64] = { 0 }, b[64] = { 0 };

	CHECK_EQ(vfs_bind_defaults(), 0);
	CHECK_EQ(vfs_statat(&ctx, NULL, "/dev/urandom", 0, &st), 0);
	CHECK(S_ISCHR(st.st_mode) && ABI_MINOR(st.st_rdev) == 9, "/dev/urandom bound");
	f = open_or_die("/dev/null", O_RDWR, 0);
	CHECK_EQ(vfs_write(f, "x", 1), 1);
	CHECK_EQ(vfs_read(f, a, 1), 0);
	file_put(f);
	/* Snapshot files: each open sees its own text, small reads stay consistent. */
	f = open_or_die("#template/opens", O_RDONLY, 0);
	g = open_or_die("#template/opens", O_RDONLY, 0);
	CHECK_EQ(vfs_read(f, a, 3), 3);
	CHECK(vfs_read(f, a + 3, sizeof(a) - 4) > 0, "rest of snapshot");
	CHECK(vfs_read(g, b, sizeof(b) - 1) > 0, "second snapshot");
	CHECK(!strcmp(a, "opened 1 times\n") && !strcmp(b, "opened 2 times\n"),
	      "snapshots '%s' '%s'", a, b);
	file_put(f);
	file_put(g);
}

/* Fail the k-th allocation of an operation for every k until it succeeds. */
static void enomem_paths(void)
{
	int ok = 1, k;
	struct file *f;

	vfs_mkdirat(&ctx, NULL, "/nm", 0755);
	vfs_symlinkat(&ctx, "../nm", NULL, "/nm/up");
	for (k = 0; k < 50; k++) {
		int r;

		shim_kmalloc_fail_after = k;
		r = vfs_openat(&ctx, NULL, "/nm/up/up/newfile", O_CREAT | O_WRONLY, 0644, &f);
		shim_kmalloc_fail_after = -1;
		if (r == 0) {
			file_put(f);
			break;
		}
		ok &= r == -ENOMEM;
	}
	CHECK(ok && k < 50, "open O_CREAT survives ENOMEM at each of %d allocations", k);
	for (k = 0, ok = 1; k < 50; k++) {
		int r;

		shim_kmalloc_fail_after = k;
		r = vfs_renameat2(&ctx, NULL, "/nm/newfile", NULL,
				  "/nm/a-much-longer-name-that-needs-a-new-allocation", 0);
		shim_kmalloc_fail_after = -1;
		if (r == 0)
			break;
		ok &= r == -ENOMEM;
	}
	CHECK(ok && k < 50, "rename survives ENOMEM (%d)", k);
	CHECK_EQ(vfs_statat(&ctx, NULL, "/nm/a-much-longer-name-that-needs-a-new-allocation", 0,
			    &(struct abi_stat){ 0 }), 0);
	CHECK_EQ(vfs_statat(&ctx, NULL, "/nm/newfile", 0, &(struct abi_stat){ 0 }), -ENOENT);
	for (k = 0, ok = 1; k < 50; k++) {
		int r;

		shim_kmalloc_fail_after = k;
		r = vfs_statat(&ctx, NULL, "#template/hello", 0, &(struct abi_stat){ 0 });
		shim_kmalloc_fail_after = -1;
		if (r == 0)
			break;
		ok &= r == -ENOMEM;
	}
	CHECK(ok && k < 50, "device walk survives ENOMEM (%d)", k);
}

/* fallocate: all or nothing under -ENOMEM, punching without memory, limits, modes. */
static void fallocate_paths(void)
{
	struct file *f = open_or_die("/fa", O_CREAT | O_RDWR, 0644), *r;
	struct abi_stat st;
	char buf[4];
	int ok = 1, k;

	CHECK_EQ(vfs_pwrite(f, "abc", 3, 4096), 3);
	for (k = 0; k < 50; k++) {
		int e;

		shim_kmalloc_fail_after = k;
		e = vfs_fallocate(f, 0, 0, 5 * 4096, ~0ULL);
		shim_kmalloc_fail_after = -1;
		if (!e)
			break;
		vfs_fstat(f, &st);
		ok &= e == -ENOMEM && st.st_size == 4099 && st.st_blocks == 8;
	}
	CHECK(ok && k >= 4 && k < 50, "fallocate adds nothing under ENOMEM (%d)", k);
	vfs_fstat(f, &st);
	CHECK_EQ(st.st_size, 5 * 4096);
	CHECK_EQ(st.st_blocks, 40);
	CHECK(vfs_pread(f, buf, 3, 4096) == 3 && !memcmp(buf, "abc", 3), "data kept");
	shim_kmalloc_fail_after = 0;
	CHECK_EQ(vfs_fallocate(f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4097, 2 * 4096, ~0ULL), 0);
	shim_kmalloc_fail_after = -1;
	vfs_fstat(f, &st);
	CHECK_EQ(st.st_blocks, 32);
	CHECK(vfs_pread(f, buf, 3, 4096) == 3 && !memcmp(buf, "a\0\0", 3), "punched bytes");
	CHECK_EQ(vfs_fallocate(f, FALLOC_FL_KEEP_SIZE, VMO_MAX_SIZE, 1, ~0ULL), -EFBIG);
	CHECK_EQ(vfs_fallocate(f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, VMO_MAX_SIZE, 1, ~0ULL), 0);
	CHECK_EQ(vfs_fallocate(f, 0, 0, 6 * 4096, 5 * 4096 + 1), -EFBIG);
	CHECK_EQ(vfs_fallocate(f, 0, 0, 5 * 4096, 4096), 0);	/* not growing: no limit */
	CHECK_EQ(vfs_fallocate(f, FALLOC_FL_ZERO_RANGE, 0, 1, ~0ULL), -EOPNOTSUPP);
	CHECK_EQ(vfs_fallocate(f, 0, 0x7fffffffffffffffLL, 1, ~0ULL), -EFBIG);
	r = open_or_die("/fa", O_RDONLY, 0);
	CHECK_EQ(vfs_fallocate(r, 0, 0, 1, ~0ULL), -EBADF);
	CHECK_EQ(vfs_fallocate(r, 0, 0, 0, ~0ULL), -EINVAL);
	file_put(r);
	file_put(f);
}

/* A shared fs_struct (CLONE_FS) sees chdir and umask; a copied one does not; ids stay apart. */
static void shared_fs(void)
{
	struct vfs_ctx sh, cp;
	char cwd[64];

	CHECK_EQ(vfs_mkdirat(&ctx, NULL, "/fsdir", 0755), 0);
	vfs_ctx_share(&sh, &ctx);
	CHECK_EQ(vfs_ctx_copy(&cp, &ctx), 0);
	sh.uid = 1000;
	CHECK_EQ(vfs_chdir(&sh, NULL, "/fsdir"), 0);
	CHECK_EQ(vfs_set_umask(&sh, 077), 022);
	CHECK(vfs_getcwd(&ctx, cwd, sizeof(cwd)) > 0 && !strcmp(cwd, "/fsdir"), "shared cwd %s", cwd);
	CHECK_EQ(READ_ONCE(ctx.fs->umask), 077);
	CHECK_EQ(ctx.uid, 0);
	CHECK(vfs_getcwd(&cp, cwd, sizeof(cwd)) > 0 && !strcmp(cwd, "/"), "copied cwd %s", cwd);
	CHECK_EQ(READ_ONCE(cp.fs->umask), 022);
	vfs_ctx_put(&sh);
	CHECK_EQ(vfs_chdir(&ctx, NULL, "/"), 0);	/* ctx's fs_struct outlived sh */
	vfs_set_umask(&ctx, 022);
	vfs_ctx_put(&cp);
	CHECK_EQ(vfs_unlinkat(&ctx, NULL, "/fsdir", AT_REMOVEDIR), 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	vfs_now_ns = clock_hook;
	vfs_init();
	vfs_ctx_init(&ctx);
	file_data();
	timestamps();
	getdents_while_changing();
	fd_tables();
	unpack();
	shared_fs();
	enomem_paths();
	fallocate_paths();
	default_binds_and_snapshots();
	CHECK(!strcmp(errstr(-ENOENT), "No such file or directory"), "errstr");
	vfs_ctx_put(&ctx);
	return UNIT_SUMMARY();
}
