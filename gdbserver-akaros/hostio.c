/*
 * vFile (GDB's "host I/O"): gdb reads files of the target through the
 * server, e.g. the executable and libraries with `set sysroot target:`
 * (its default) or `remote get`.  The reading subset of GNU gdbserver's
 * hostio.c: vFile:setfs, open, pread, close, fstat and readlink; writing
 * (pwrite, unlink, open for writing) is refused with EACCES, so a target
 * file cannot be changed through the link.  Files are the server's own
 * namespace (the process's root is the same on this kernel: setfs only
 * checks its argument).  Replies are GNU's: "F" RESULT [,ERRNO] [; DATA],
 * numbers in hex, errno as GDB's fileio numbers, data binary (escaped by
 * the framing).  Descriptors are the server's, at most HOSTIO_MAX open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "gdbserver.h"

#define HOSTIO_MAX	16
#define PATH_LEN	1024
/* GDB's fileio open flags (gdb/doc, "Open Flags"). */
#define FILEIO_O_ACCMODE	3
#define FILEIO_O_APPEND		0x8
#define FILEIO_O_CREAT		0x200
#define FILEIO_O_TRUNC		0x400
#define FILEIO_O_EXCL		0x800
#define FILEIO_EUNKNOWN		9999

static int fds[HOSTIO_MAX];	/* open descriptors (slot used when nonzero: fd + 1) */

static int reply(struct server *s, const char *str)
{
	return rsp_send_str(s->link, str);
}

/* errno as GDB's fileio errno (the same numbers but ENAMETOOLONG; unknown ones EUNKNOWN). */
static int fileio_errno(int e)
{
	switch (e) {
	case EPERM: case ENOENT: case EINTR: case EBADF: case EACCES: case EFAULT:
	case EBUSY: case EEXIST: case ENODEV: case ENOTDIR: case EISDIR: case EINVAL:
	case ENFILE: case EMFILE: case EFBIG: case ENOSPC: case ESPIPE: case EROFS:
		return e;
	case ENAMETOOLONG:
		return 91;
	default:
		return FILEIO_EUNKNOWN;
	}
}

/* F-1,ERRNO for the Linux errno e. */
static int err_reply(struct server *s, int e)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "F-1,%x", fileio_errno(e));
	return reply(s, buf);
}

/* Parse a hex number at *p followed by end (',' ';' or NUL): false if malformed. */
static bool num(const char **p, char end, uint64_t *v)
{
	bool ok = true;
	const char *q = *p;

	*v = parse_hex(p, &ok);
	if (!ok || *p == q || **p != end)
		return false;
	if (end)
		(*p)++;
	return true;
}

/* A hex-encoded path at *p up to end: false if malformed, empty or too long. */
static bool path_arg(const char **p, char end, char *out)
{
	const char *e = end ? strchr(*p, end) : *p + strlen(*p);
	size_t hl = e ? (size_t)(e - *p) : 0;

	if (!e || !hl || hl % 2 || hl / 2 >= PATH_LEN || from_hex(out, *p, hl / 2))
		return false;
	out[hl / 2] = 0;
	if (strlen(out) != hl / 2)
		return false;	/* a NUL inside */
	*p = e + (end ? 1 : 0);
	return true;
}

/* The open descriptor in slot v, -1 if v names none. */
static int slot_fd(uint64_t v)
{
	return v < HOSTIO_MAX && fds[v] ? fds[v] - 1 : -1;
}

static int do_open(struct server *s, const char *p)
{
	char path[PATH_LEN], buf[32];
	uint64_t flags, mode;
	int fd, i;

	if (!path_arg(&p, ',', path) || !num(&p, ',', &flags) || !num(&p, 0, &mode))
		return reply(s, "E01");
	if ((flags & FILEIO_O_ACCMODE) != 0 ||
	    (flags & (FILEIO_O_APPEND | FILEIO_O_CREAT | FILEIO_O_TRUNC | FILEIO_O_EXCL)))
		return err_reply(s, EACCES);	/* reading only */
	for (i = 0; i < HOSTIO_MAX && fds[i]; i++)
		;
	if (i == HOSTIO_MAX)
		return err_reply(s, EMFILE);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_reply(s, errno);
	fds[i] = fd + 1;
	snprintf(buf, sizeof(buf), "F%x", i);
	return reply(s, buf);
}

static int do_pread(struct server *s, const char *p)
{
	static char data[PKT_MAX / 2], out[PKT_MAX / 2 + 32];
	uint64_t slot, count, off;
	int fd, hl;
	ssize_t n;

	if (!num(&p, ',', &slot) || !num(&p, ',', &count) || !num(&p, 0, &off))
		return reply(s, "E01");
	fd = slot_fd(slot);
	if (fd < 0)
		return err_reply(s, EBADF);
	if (off > (uint64_t)INT64_MAX)
		return err_reply(s, EINVAL);
	/* Escaped data may double: the payload must fit the packet size either way. */
	if (count > sizeof(data) - 32)
		count = sizeof(data) - 32;
	n = pread(fd, data, count, (off_t)off);
	if (n < 0)
		return err_reply(s, errno);
	hl = snprintf(out, 32, "F%zx;", (size_t)n);
	memcpy(out + hl, data, (size_t)n);
	return rsp_send(s->link, out, (size_t)hl + (size_t)n);
}

static int do_close(struct server *s, const char *p)
{
	uint64_t slot;
	int fd;

	if (!num(&p, 0, &slot))
		return reply(s, "E01");
	fd = slot_fd(slot);
	if (fd < 0)
		return err_reply(s, EBADF);
	fds[slot] = 0;
	if (close(fd))
		return err_reply(s, errno);
	return reply(s, "F0");
}

/* Store v big-endian in n bytes at out. */
static void be(uint8_t *out, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		out[i] = (uint8_t)v;
}

/* fstat: GDB's struct stat (64 bytes, big-endian fields). */
static int do_fstat(struct server *s, const char *p)
{
	char out[16 + 64];
	uint8_t *st;
	struct stat sb;
	uint64_t slot;
	int fd, hl;

	if (!num(&p, 0, &slot))
		return reply(s, "E01");
	fd = slot_fd(slot);
	if (fd < 0)
		return err_reply(s, EBADF);
	if (fstat(fd, &sb))
		return err_reply(s, errno);
	hl = snprintf(out, 16, "F%x;", 64);
	st = (uint8_t *)out + hl;
	be(st, sb.st_dev, 4);
	be(st + 4, sb.st_ino, 4);
	be(st + 8, sb.st_mode, 4);
	be(st + 12, sb.st_nlink, 4);
	be(st + 16, sb.st_uid, 4);
	be(st + 20, sb.st_gid, 4);
	be(st + 24, sb.st_rdev, 4);
	be(st + 28, (uint64_t)sb.st_size, 8);
	be(st + 36, (uint64_t)sb.st_blksize, 8);
	be(st + 44, (uint64_t)sb.st_blocks, 8);
	be(st + 52, (uint64_t)sb.st_atime, 4);
	be(st + 56, (uint64_t)sb.st_mtime, 4);
	be(st + 60, (uint64_t)sb.st_ctime, 4);
	return rsp_send(s->link, out, (size_t)hl + 64);
}

static int do_readlink(struct server *s, const char *p)
{
	char path[PATH_LEN], out[PATH_LEN + 16], target[PATH_LEN];
	ssize_t n;
	int hl;

	if (!path_arg(&p, 0, path))
		return reply(s, "E01");
	n = readlink(path, target, sizeof(target));
	if (n < 0)
		return err_reply(s, errno);
	if ((size_t)n >= sizeof(target))
		return err_reply(s, ENAMETOOLONG);
	hl = snprintf(out, 16, "F%zx;", (size_t)n);
	memcpy(out + hl, target, (size_t)n);
	return rsp_send(s->link, out, (size_t)hl + (size_t)n);
}

int hostio_packet(struct server *s, const char *pkt)
{
	const char *p;
	uint64_t pid;

	if (strncmp(pkt, "vFile:", 6))
		return 1;
	p = pkt + 6;
	if (!strncmp(p, "setfs:", 6)) {
		p += 6;
		return reply(s, num(&p, 0, &pid) ? "F0" : "E01");
	}
	if (!strncmp(p, "open:", 5))
		return do_open(s, p + 5);
	if (!strncmp(p, "pread:", 6))
		return do_pread(s, p + 6);
	if (!strncmp(p, "close:", 6))
		return do_close(s, p + 6);
	if (!strncmp(p, "fstat:", 6))
		return do_fstat(s, p + 6);
	if (!strncmp(p, "readlink:", 9))
		return do_readlink(s, p + 9);
	if (!strncmp(p, "pwrite:", 7) || !strncmp(p, "unlink:", 7))
		return err_reply(s, EACCES);	/* reading only */
	return reply(s, "");
}
