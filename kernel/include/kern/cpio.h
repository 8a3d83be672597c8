/*
 * Reader for cpio "newc" archives (the initramfs format; magic 070701,
 * or 070702 with a checksum).  The reader is a strict iterator over an
 * in-memory buffer: it validates every header (magic, hex digits, name
 * length and NUL, 4-byte padding, size bounds) and never reads outside
 * [buf, buf + len).  On error it stops with a static message and the
 * byte offset of the offending header, so callers can print a precise
 * diagnostic.  Arch-independent; used by the kernel and host tests.
 */
#ifndef KERN_CPIO_H
#define KERN_CPIO_H

#include <kern/types.h>

#define CPIO_HDR_LEN		110
#define CPIO_NAME_MAX		4096	/* longest accepted name, NUL included */
#define CPIO_TRAILER		"TRAILER!!!"

struct cpio_entry {
	const char *name;	/* NUL-terminated, inside the buffer */
	size_t namelen;		/* strlen(name) */
	u32 ino, mode, uid, gid, nlink;
	u64 mtime;		/* seconds since the epoch */
	u32 devmajor, devminor;
	u32 rdevmajor, rdevminor;
	const void *data;	/* file body (symlink target for S_IFLNK) */
	size_t size;
};

struct cpio_iter {
	const u8 *buf;
	size_t len;
	size_t off;		/* offset of the next header */
	int state;		/* 0 = more, 1 = trailer seen, -1 = error */
	const char *err;	/* static message when state == -1 */
	size_t err_off;		/* header offset the error refers to */
};

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len);
/* Next member: 1 with *e filled, 0 at TRAILER!!!, -EINVAL on a malformed archive (it->err says why). */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e);

#endif
