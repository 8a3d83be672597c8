/*
 * #null: the Linux memory-device files — null (discards writes, reads
 * EOF), zero (reads zeros), full (writes fail with ENOSPC), random and
 * urandom (the kernel ChaCha20 generator; both never block).  The files
 * carry Linux's device numbers (1,3 1,5 1,7 1,8 1,9) so `ls -l /dev` and
 * `test -c` look as on Linux once they are bound there.
 */
#include <kern/dev.h>
#include <kern/random.h>
#include <kern/vfs.h>
#include <kern/string.h>
#include <kern/errno.h>

enum { Qnull = 1, Qzero, Qfull, Qrandom, Qurandom };

static const struct dev_dirent null_tab[] = {
	{ "null", Qnull, S_IFCHR | 0666, 0, ABI_MKDEV(1, 3) },
	{ "zero", Qzero, S_IFCHR | 0666, 0, ABI_MKDEV(1, 5) },
	{ "full", Qfull, S_IFCHR | 0666, 0, ABI_MKDEV(1, 7) },
	{ "random", Qrandom, S_IFCHR | 0666, 0, ABI_MKDEV(1, 8) },
	{ "urandom", Qurandom, S_IFCHR | 0666, 0, ABI_MKDEV(1, 9) },
};

static ssize_t null_read(struct file *f, void *buf, size_t n, u64 off)
{
	switch (dev_file_qid(f)) {
	case Qnull:
		return 0;
	case Qzero:
	case Qfull:
		memset(buf, 0, n);
		return (ssize_t)n;
	case Qrandom:
	case Qurandom:
		random_bytes(buf, n);
		return (ssize_t)n;
	default:
		return -EISDIR;
	}
}

static ssize_t null_write(struct file *f, const void *buf, size_t n, u64 off)
{
	return dev_file_qid(f) == Qfull ? -ENOSPC : (ssize_t)n;
}

static const struct dev null_dev = {
	.name = "null",
	.read = null_read,
	.write = null_write,
	.tab = null_tab,
	.ntab = ARRAY_SIZE(null_tab),
};
DEV_REGISTER(null_dev);
