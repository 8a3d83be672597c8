/*
 * The boot-time namespace: until user space can bind for itself (init
 * will, Plan 9 style), the kernel binds the #null files at the POSIX
 * paths programs expect: /dev/null, /dev/zero, /dev/full, /dev/random,
 * /dev/urandom, the console (#cons) at /dev/console, /dev/tty, /dev/ttyS0
 * and /dev/kmsg, the second serial port (#uart) at /dev/ttyS1, ptys (#pts)
 * at /dev/pts and /dev/ptmx, #ttrace at /dev/ttrace, the #proc tree at
 * /proc and #pci's Linux view at /sys/bus/pci/devices and drivers (for
 * pciutils).  Devices missing from the
 * build are skipped.  Each file gets an empty ramfs node to sit on (kept
 * if the initramfs already made one, e.g. a real char node); /proc gets
 * an empty directory.
 */
#include <kern/vfs.h>
#include <kern/dev.h>
#include <kern/printk.h>
#include <kern/errno.h>
#include <kern/string.h>
#include <kern/init.h>

static const char *const dev_binds[][2] = {
	{ "#null/null", "/dev/null" },
	{ "#null/zero", "/dev/zero" },
	{ "#null/full", "/dev/full" },
	{ "#null/random", "/dev/random" },
	{ "#null/urandom", "/dev/urandom" },
	{ "#cons/cons", "/dev/console" },
	{ "#cons/tty", "/dev/tty" },	/* wt-tty: ENXIO without a ctty */
	{ "#cons/ttyS0", "/dev/ttyS0" },
	{ "#cons/kmsg", "/dev/kmsg" },
	{ "#uart/ttyS1", "/dev/ttyS1" },
	{ "#pts/ptmx", "/dev/ptmx" },
};

int vfs_bind_defaults(void)
{
	struct vfs_ctx ctx;
	int err, failed = 0;

	if (vfs_ctx_init(&ctx)) {
		printk("namespace: no memory for a file system context\n");
		return -ENOMEM;
	}
	ctx.fs->umask = 0;
	err = vfs_mkdirat(&ctx, NULL, "/dev", 0755);
	if (err && err != -EEXIST)
		printk("namespace: mkdir /dev: %s\n", errstr(err));
	for (size_t i = 0; i < ARRAY_SIZE(dev_binds); i++) {
		const char *src = dev_binds[i][0], *slash = strchr(src, '/');

		/* A device left out of this kernel (or a host test build) is skipped. */
		if (!dev_find(src + 1, slash ? (size_t)(slash - src - 1) : strlen(src + 1)))
			continue;
		err = vfs_mknodat(&ctx, NULL, dev_binds[i][1], S_IFREG | 0666, 0);
		if (!err || err == -EEXIST)
			err = vfs_bind(&ctx, dev_binds[i][0], dev_binds[i][1]);
		if (err) {
			printk("namespace: bind %s %s: %s\n", dev_binds[i][0], dev_binds[i][1],
			       errstr(err));
			failed = err;
		}
	}
	/* /dev/ttrace: the #ttrace directory (kernel/dev/ttrace.c). */
	err = dev_find("ttrace", 6) ? vfs_mkdirat(&ctx, NULL, "/dev/ttrace", 0555) : -ENODEV;
	if ((!err || err == -EEXIST) && (err = vfs_bind(&ctx, "#ttrace", "/dev/ttrace")))
		printk("namespace: bind #ttrace /dev/ttrace: %s\n", errstr(err));
	/* /dev/pts: the #pts directory (ptys) over an empty ramfs directory. */
	err = dev_find("pts", 3) ? vfs_mkdirat(&ctx, NULL, "/dev/pts", 0755) : -ENODEV;
	if (!err || err == -EEXIST)
		err = vfs_bind(&ctx, "#pts", "/dev/pts");
	if (err && err != -ENODEV) {
		printk("namespace: bind #pts /dev/pts: %s\n", errstr(err));
		failed = err;
	}
	/* /proc: the #proc directory bound over an empty ramfs directory. */
	err = dev_find("proc", 4) ? vfs_mkdirat(&ctx, NULL, "/proc", 0555) : -ENODEV;
	if (err == -ENODEV)
		goto out;	/* no #proc in this build */
	if (!err || err == -EEXIST)
		err = vfs_bind(&ctx, "#proc", "/proc");
	if (err) {
		printk("namespace: bind #proc /proc: %s\n", errstr(err));
		failed = err;
	}
	/* #pci/devices at /sys/bus/pci/devices, as Linux's sysfs has it. */
	if (dev_find("pci", 3)) {
		static const char *const dirs[] = { "/sys", "/sys/bus", "/sys/bus/pci",
						    "/sys/bus/pci/devices", "/sys/bus/pci/drivers" };

		for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
			err = vfs_mkdirat(&ctx, NULL, dirs[i], 0755);
			if (err && err != -EEXIST)
				break;
			err = 0;
		}
		if (!err)
			err = vfs_bind(&ctx, "#pci/devices", "/sys/bus/pci/devices");
		if (!err)
			err = vfs_bind(&ctx, "#pci/drivers", "/sys/bus/pci/drivers");
		if (err) {
			printk("namespace: bind #pci at /sys/bus/pci: %s\n", errstr(err));
			failed = err;
		}
	}
out:
	vfs_ctx_put(&ctx);
	return failed;
}
initcall(vfs_bind_defaults, late);
