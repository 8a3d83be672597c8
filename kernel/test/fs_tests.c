/*
 * In-kernel self-tests of the VFS, ramfs, devices and cpio reader.  Each
 * ktest_* function returns normally on success and panics on failure
 * (to be registered with KTEST_REG once kern/ktest.h exists).  They work
 * in a scratch directory /.ktest-fs that they remove again, so they can
 * run after the initramfs has been unpacked.  Host unit tests
 * (tests/unit/test_{vfs,ramfs,cpio}.c) cover the semantics in depth;
 * these check that the same code behaves in the kernel environment
 * (real spinlocks, kmalloc, linker-collected device table).
 */
#include <kern/vfs.h>
#include <kern/dev.h>
#include <kern/fdtable.h>
#include <kern/cpio.h>
#include <kern/initramfs.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include "internal.h"

#define EXPECT(cond)							\
	do {								\
		if (!(cond))						\
			panic("fs ktest failed: %s", #cond);		\
	} while (0)
#define EXPECT_EQ(a, b)							\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		if (__a != __b)						\
			panic("fs ktest failed: %s == %lld, expected %lld", #a, __a, __b); \
	} while (0)

void ktest_vfs_basic(void)
{
	struct vfs_ctx ctx;
	struct file *f;
	struct abi_stat st;
	char buf[32];

	if (vfs_ctx_init(&ctx))
		return;
	EXPECT_EQ(vfs_mkdirat(&ctx, NULL, "/.ktest-fs", 0755), 0);
	EXPECT_EQ(vfs_mkdirat(&ctx, NULL, "/.ktest-fs", 0755), -EEXIST);
	EXPECT_EQ(vfs_openat(&ctx, NULL, "/.ktest-fs/a", O_CREAT | O_RDWR, 0644, &f), 0);
	EXPECT_EQ(vfs_write(f, "kernel", 6), 6);
	EXPECT_EQ(vfs_pread(f, buf, sizeof(buf), 0), 6);
	EXPECT(!memcmp(buf, "kernel", 6));
	file_put(f);
	EXPECT_EQ(vfs_symlinkat(&ctx, "a", NULL, "/.ktest-fs/l"), 0);
	EXPECT_EQ(vfs_statat(&ctx, NULL, "/.ktest-fs/l", 0, &st), 0);
	EXPECT_EQ(st.st_size, 6);
	EXPECT_EQ(vfs_renameat2(&ctx, NULL, "/.ktest-fs/a", NULL, "/.ktest-fs/b", 0), 0);
	EXPECT_EQ(vfs_statat(&ctx, NULL, "/.ktest-fs/l", 0, &st), -ENOENT);
	EXPECT_EQ(vfs_unlinkat(&ctx, NULL, "/.ktest-fs", AT_REMOVEDIR), -ENOTEMPTY);
	EXPECT_EQ(vfs_unlinkat(&ctx, NULL, "/.ktest-fs/l", 0), 0);
	EXPECT_EQ(vfs_unlinkat(&ctx, NULL, "/.ktest-fs/b", 0), 0);
	EXPECT_EQ(vfs_unlinkat(&ctx, NULL, "/.ktest-fs", AT_REMOVEDIR), 0);
	vfs_ctx_put(&ctx);
}

void ktest_vfs_devices(void)
{
	struct vfs_ctx ctx;
	struct fd_table t;
	struct file *f;
	char buf[16];
	int fd;

	if (vfs_ctx_init(&ctx))
		return;
	EXPECT(dev_find("null", 4) != NULL);
	EXPECT(dev_find("template", 8) != NULL);
	EXPECT_EQ(vfs_openat(&ctx, NULL, "#null/zero", O_RDONLY, 0, &f), 0);
	memset(buf, 1, sizeof(buf));
	EXPECT_EQ(vfs_read(f, buf, sizeof(buf)), sizeof(buf));
	EXPECT(buf[0] == 0 && buf[15] == 0);
	fdt_init(&t);
	fd = fdt_install(&t, f, 0, false);
	EXPECT_EQ(fd, 0);
	EXPECT_EQ(fdt_dup3(&t, 0, 5, O_CLOEXEC), 5);
	fdt_close_on_exec(&t);
	EXPECT(fdt_get(&t, 5) == NULL);
	fdt_destroy(&t);
	EXPECT_EQ(vfs_openat(&ctx, NULL, "#template/hello", O_RDONLY, 0, &f), 0);
	EXPECT(vfs_read(f, buf, 5) == 5 && !memcmp(buf, "hello", 5));
	file_put(f);
	EXPECT_EQ(vfs_mkdirat(&ctx, NULL, "/.ktest-dev", 0755), 0);
	EXPECT_EQ(vfs_mknodat(&ctx, NULL, "/.ktest-dev/null", S_IFCHR | 0666, ABI_MKDEV(1, 3)), 0);
	EXPECT_EQ(vfs_openat(&ctx, NULL, "/.ktest-dev/null", O_RDWR, 0, &f), 0);
	EXPECT_EQ(vfs_write(f, "x", 1), 1);
	EXPECT_EQ(vfs_read(f, buf, 1), 0);
	file_put(f);
	EXPECT_EQ(vfs_unlinkat(&ctx, NULL, "/.ktest-dev/null", 0), 0);
	EXPECT_EQ(vfs_unlinkat(&ctx, NULL, "/.ktest-dev", AT_REMOVEDIR), 0);
	vfs_ctx_put(&ctx);
}

/* A two-member newc archive built by hand: a directory and a file. */
static const char ktest_archive[] =
	"070701" "00000001" "000041ED" "00000000" "00000000" "00000002" "00000000"
	"00000000" "00000000" "00000000" "00000000" "00000000" "0000000A" "00000000"
	".ktest-ar\0"		/* 110 + 10 = 120, aligned */
	"070701" "00000002" "000081A4" "00000000" "00000000" "00000001" "00000000"
	"00000003" "00000000" "00000000" "00000000" "00000000" "0000000C" "00000000"
	".ktest-ar/f\0"		/* 110 + 12 = 122 -> pad 2 */
	"\0\0" "abc" "\0"
	"070701" "00000000" "00000000" "00000000" "00000000" "00000001" "00000000"
	"00000000" "00000000" "00000000" "00000000" "00000000" "0000000B" "00000000"
	"TRAILER!!!\0" "\0\0\0";

void ktest_cpio_unpack(void)
{
	struct vfs_ctx ctx;
	struct abi_stat st;
	struct cpio_iter it;
	struct cpio_entry e;

	cpio_iter_init(&it, ktest_archive, sizeof(ktest_archive) - 1);
	EXPECT_EQ(cpio_next(&it, &e), 1);
	EXPECT_EQ(cpio_next(&it, &e), 1);
	EXPECT(e.size == 3 && !memcmp(e.data, "abc", 3));
	EXPECT_EQ(cpio_next(&it, &e), 0);
	cpio_iter_init(&it, ktest_archive, 200);
	cpio_next(&it, &e);
	EXPECT_EQ(cpio_next(&it, &e), -EINVAL);
	if (vfs_ctx_init(&ctx))
		return;
	ctx.fs->umask = 0;
	EXPECT_EQ(initramfs_unpack_buf(&ctx, ktest_archive, sizeof(ktest_archive) - 1), 2);
	EXPECT_EQ(vfs_statat(&ctx, NULL, "/.ktest-ar/f", 0, &st), 0);
	EXPECT(st.st_size == 3 && (st.st_mode & 0777) == 0644);
	EXPECT_EQ(vfs_unlinkat(&ctx, NULL, "/.ktest-ar/f", 0), 0);
	EXPECT_EQ(vfs_unlinkat(&ctx, NULL, "/.ktest-ar", AT_REMOVEDIR), 0);
	vfs_ctx_put(&ctx);
}
