/*
 * Strict cpio "newc" reader (see kern/cpio.h).  Layout of one member:
 *
 *   110-byte ASCII header: "070701" then 13 fields of 8 hex digits
 *   (ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor
 *   rdevminor namesize check), the name (namesize bytes, NUL included),
 *   zero padding so header + name is a multiple of 4, the file data,
 *   padding to a multiple of 4 again.
 *
 * The archive ends with a member named TRAILER!!!; anything after it
 * (the usual zero padding to 512 bytes) is ignored.  Every length is
 * checked against the bytes that remain before it is used, with
 * overflow-safe arithmetic, so a truncated or corrupted archive yields
 * an error and never an out-of-bounds read.
 */
#include <kern/cpio.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/compiler.h>

enum {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
	NFIELDS
};

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len)
{
	it->buf = buf;
	it->len = len;
	it->off = 0;
	it->state = 0;
	it->err = NULL;
	it->err_off = 0;
}

static int fail(struct cpio_iter *it, const char *msg)
{
	it->state = -1;
	it->err = msg;
	it->err_off = it->off;
	return -EINVAL;
}

/* Parse exactly 8 hex digits; false if any is not a hex digit. */
static bool parse_hex8(const u8 *p, u32 *out)
{
	u32 v = 0;

	for (int i = 0; i < 8; i++) {
		u8 c = p[i];
		u32 d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = (v << 4) | d;
	}
	*out = v;
	return true;
}

/* Round x up to a multiple of 4; false on overflow. */
static bool pad4(size_t x, size_t *out)
{
	size_t r;

	if (check_add_overflow(x, (size_t)3, &r))
		return false;
	*out = r & ~(size_t)3;
	return true;
}

static bool valid_type(u32 mode)
{
	switch (mode & 0170000) {
	case 0100000: case 0040000: case 0120000: case 0020000:
	case 0060000: case 0010000: case 0140000:
		return true;
	default:
		return false;
	}
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e)
{
	u32 f[NFIELDS];
	const u8 *h;
	size_t name_end, data_off, data_end, next;
	bool crc;

	if (it->state == 1)
		return 0;
	if (it->state < 0)
		return -EINVAL;
	if (it->off > it->len || it->len - it->off < CPIO_HDR_LEN)
		return fail(it, it->off == it->len ? "archive ends without TRAILER!!!" :
			    "truncated header");
	h = it->buf + it->off;
	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return fail(it, "bad magic (not a newc archive)");
	crc = h[5] == '2';
	for (int i = 0; i < NFIELDS; i++)
		if (!parse_hex8(h + 6 + 8 * i, &f[i]))
			return fail(it, "non-hex digit in header field");
	if (f[F_NAMESIZE] < 2)
		return fail(it, "name size too small");
	if (f[F_NAMESIZE] > CPIO_NAME_MAX)
		return fail(it, "name too long");
	/* Header and name: header offset + 110 + namesize, all checked. */
	name_end = it->off + CPIO_HDR_LEN + f[F_NAMESIZE];
	if (name_end > it->len)
		return fail(it, "truncated name");
	if (h[CPIO_HDR_LEN + f[F_NAMESIZE] - 1] != '\0' ||
	    strnlen((const char *)h + CPIO_HDR_LEN, f[F_NAMESIZE] - 1) != f[F_NAMESIZE] - 1)
		return fail(it, "name not NUL-terminated or contains NUL");
	if (!pad4(name_end, &data_off) || data_off > it->len)
		return fail(it, "truncated name padding");
	if (check_add_overflow(data_off, (size_t)f[F_FILESIZE], &data_end) ||
	    data_end > it->len)
		return fail(it, "file data runs past the end of the archive");
	if (!pad4(data_end, &next))
		return fail(it, "file size overflows");
	/* The final padding may be cut off at the very end of the buffer. */
	if (next > it->len)
		next = it->len;
	e->name = (const char *)h + CPIO_HDR_LEN;
	e->namelen = f[F_NAMESIZE] - 1;
	if (e->namelen == sizeof(CPIO_TRAILER) - 1 &&
	    !memcmp(e->name, CPIO_TRAILER, e->namelen)) {
		it->state = 1;
		it->off = next;
		return 0;
	}
	if (!valid_type(f[F_MODE]))
		return fail(it, "unknown file type in mode");
	if (crc) {
		u32 sum = 0;

		for (size_t i = data_off; i < data_end; i++)
			sum += it->buf[i];
		if (sum != f[F_CHECK])
			return fail(it, "checksum mismatch (070702 archive)");
	}
	if ((f[F_MODE] & 0170000) == 0040000 && f[F_FILESIZE] != 0)
		return fail(it, "directory with nonzero size");
	if ((f[F_MODE] & 0170000) == 0120000 &&
	    (f[F_FILESIZE] == 0 || f[F_FILESIZE] >= CPIO_NAME_MAX))
		return fail(it, "symlink target empty or too long");
	e->ino = f[F_INO];
	e->mode = f[F_MODE];
	e->uid = f[F_UID];
	e->gid = f[F_GID];
	e->nlink = f[F_NLINK];
	e->mtime = f[F_MTIME];
	e->devmajor = f[F_DEVMAJOR];
	e->devminor = f[F_DEVMINOR];
	e->rdevmajor = f[F_RDEVMAJOR];
	e->rdevminor = f[F_RDEVMINOR];
	e->data = it->buf + data_off;
	e->size = f[F_FILESIZE];
	it->off = next;
	return 1;
}
