/*
 * Monitor commands to look at the file tree: `ls [PATH]`, `cat PATH`,
 * `bind SRC DST`.  They use the ordinary VFS calls as root with the
 * namespace root as cwd, so they take vfs_lock: do not use them when the
 * monitor was entered because the kernel is wedged inside the VFS.
 */
#include <kern/vfs.h>
#include <kern/dev.h>
#include <kern/moncmd.h>
#include <kern/printk.h>
#include <kern/string.h>

static int cmd_ls(int argc, char **argv, struct hw_trapframe *tf)
{
	const char *dir = argc > 1 ? argv[1] : "/";
	static char buf[1024], path[512];
	struct vfs_ctx ctx;
	struct file *f;
	ssize_t n;
	int err;

	if (vfs_ctx_init(&ctx))
		return -1;
	err = vfs_openat(&ctx, NULL, dir, O_RDONLY | O_DIRECTORY, 0, &f);
	if (err) {
		printk("ls: %s: %s\n", dir, errstr(err));
		vfs_ctx_put(&ctx);
		return -1;
	}
	while ((n = vfs_getdents64(f, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n; ) {
			struct linux_dirent64 *de = (struct linux_dirent64 *)(buf + off);
			struct abi_stat st = { 0 };

			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			vfs_statat(&ctx, NULL, path, AT_SYMLINK_NOFOLLOW, &st);
			printk("%06o %4u %4u %8lld %s\n", st.st_mode, st.st_uid, st.st_gid,
			       (long long)st.st_size, de->d_name);
			off += de->d_reclen;
		}
	}
	file_put(f);
	vfs_ctx_put(&ctx);
	return n < 0 ? -1 : 0;
}
MONITOR_CMD("ls", "ls [PATH]: list a directory (paths may start with #dev)", cmd_ls);

static int cmd_cat(int argc, char **argv, struct hw_trapframe *tf)
{
	static char buf[256];
	struct vfs_ctx ctx;
	struct file *f;
	ssize_t n;
	size_t total = 0;
	int err;

	if (argc < 2) {
		printk("usage: cat PATH\n");
		return -1;
	}
	if (vfs_ctx_init(&ctx))
		return -1;
	err = vfs_openat(&ctx, NULL, argv[1], O_RDONLY, 0, &f);
	if (err) {
		printk("cat: %s: %s\n", argv[1], errstr(err));
		vfs_ctx_put(&ctx);
		return -1;
	}
	/* Bounded, so `cat #null/zero` ends. */
	while (total < (64 << 10) && (n = vfs_read(f, buf, sizeof(buf))) > 0) {
		console_write(buf, (size_t)n);
		total += (size_t)n;
	}
	file_put(f);
	vfs_ctx_put(&ctx);
	return 0;
}
MONITOR_CMD("cat", "cat PATH: print a file (at most 64 KiB)", cmd_cat);

static int cmd_bind(int argc, char **argv, struct hw_trapframe *tf)
{
	struct vfs_ctx ctx;
	int err;

	if (argc < 3) {
		printk("usage: bind SRC DST\n");
		return -1;
	}
	if (vfs_ctx_init(&ctx))
		return -1;
	err = vfs_bind(&ctx, argv[1], argv[2]);
	vfs_ctx_put(&ctx);
	if (err)
		printk("bind: %s\n", errstr(err));
	return err ? -1 : 0;
}
MONITOR_CMD("bind", "bind SRC DST: make SRC (e.g. #null/null) visible at DST", cmd_bind);
