/*
 * #null: the Linux memory-device files — null (discards writes, reads
 * EOF), zero (reads zeros), full (writes fail with ENOSPC), random and
 * urandom (the kernel ChaCha20 generator; both never block).  The files
 * carry Linux's device numbers (1,3 1,5 1,7 1,8 1,9, abi/major.h) so
 * `ls -l /dev` and `test -c` look as on Linux once they are bound there,
 * and a device node with one of them opens the file (chrdev_path).  A
 * static device: its table is its whole tree.
 */
#include <kern/dev.h>
#include <kern/random.h>
#include <kern/vfs.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <abi/major.h>

enum { Qnull = 1, Qzero, Qfull, Qrandom, Qurandom };

#define MEM_CHR(minor)	.mode = S_IFCHR | 0666, .rdev = ABI_MKDEV(ABI_MEM_MAJOR, minor)

static const struct dev_dirent null_tab[] = {
	{ .name = "null", .qid = Qnull, MEM_CHR(ABI_MEM_NULL_MINOR) },
	{ .name = "zero", .qid = Qzero, MEM_CHR(ABI_MEM_ZERO_MINOR) },
	{ .name = "full", .qid = Qfull, MEM_CHR(ABI_MEM_FULL_MINOR) },
	{ .name = "random", .qid = Qrandom, MEM_CHR(ABI_MEM_RANDOM_MINOR) },
	{ .name = "urandom", .qid = Qurandom, MEM_CHR(ABI_MEM_URANDOM_MINOR) },
};

/* Bytes read into buf; -EISDIR for the directory. */
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

/* Bytes "written" (all of them), or -ENOSPC for full. */
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
