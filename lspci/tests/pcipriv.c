/*
 * pcipriv - the access rules of the kernel's config-space files, run as
 * root on the target by tests/target.sh (lspci-target tier).
 *
 * Usage: pcipriv RAW CONFIG   (the #pci raw file and the sysfs config file
 * of one function whose config space does not change by itself, e.g. the
 * VGA function).  Prints "ok NAME" or "FAIL NAME: detail" per check and
 * exits 1 if any failed.  Checks: as root the whole space reads (its stat
 * length), reads past the end return 0 bytes, both files hold the same
 * bytes, random (offset, length) reads agree with the whole read, random
 * writes of the bytes already there leave the space unchanged; then, as
 * uid 65534, reads stop at 64 bytes, opening for writing is refused and a
 * write through a descriptor root opened fails with EPERM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failed;

/* Record one check. */
static void check(const char *name, int ok, const char *fmt, long a, long b)
{
	if (ok) {
		printf("ok %s\n", name);
		return;
	}
	failed = 1;
	printf("FAIL %s: ", name);
	printf(fmt, a, b);
	putchar('\n');
}

/* Read all of path into buf (max bytes) with reads of chunk bytes; returns the count or -errno. */
static long read_all(const char *path, unsigned char *buf, long max, long chunk)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -errno;
	while (n < max && (r = read(fd, buf + n, (size_t)(chunk < max - n ? chunk : max - n))) > 0)
		n += r;
	close(fd);
	return n;
}

int main(int argc, char **argv)
{
	static unsigned char whole[8192], other[8192], piece[8192];
	struct stat st;
	long size, n;
	int fd, wfd;

	if (argc != 3 || stat(argv[1], &st)) {
		fprintf(stderr, "usage: pcipriv RAW CONFIG\n");
		return 2;
	}
	size = (long)st.st_size;
	check("stat-size", size == 256 || size == 4096, "size %ld%ld", size, 0);
	n = read_all(argv[1], whole, sizeof(whole), 4096);
	check("root-reads-all", n == size, "read %ld of %ld", n, size);
	n = read_all(argv[2], other, sizeof(other), 7);
	check("sysfs-same-length", n == size, "read %ld of %ld", n, size);
	check("sysfs-same-bytes", !memcmp(whole, other, (size_t)size), "differ%ld%ld", 0, 0);
	fd = open(argv[1], O_RDWR);
	check("root-opens-rw", fd >= 0, "errno %ld%ld", errno, 0);
	n = pread(fd, piece, 16, size);
	check("read-at-end-is-0", n == 0, "got %ld%ld", n, 0);
	n = pread(fd, piece, 16, size - 3);
	check("read-across-end-is-short", n == 3, "got %ld%ld", n, 0);
	srand(1234);
	for (int i = 0; i < 3000; i++) {
		long off = rand() % (size + 8), len = rand() % 40 + 1;
		long want = off >= size ? 0 : (off + len > size ? size - off : len);

		n = pread(fd, piece, (size_t)len, off);
		if (n != want || (n > 0 && memcmp(piece, whole + off, (size_t)n))) {
			check("fuzz-read", 0, "at %ld: got %ld", off, n);
			break;
		}
		if (i % 3 == 0 && off >= 0x10 && off < size) {	/* write back the same bytes (BARs on) */
			n = pwrite(fd, whole + off, (size_t)(want < 8 ? want : 8), off);
			if (n != (want < 8 ? want : 8)) {
				check("fuzz-write", 0, "at %ld: wrote %ld", off, n);
				break;
			}
		}
		if (i == 2999)
			check("fuzz-read-write", 1, "", 0, 0);
	}
	n = read_all(argv[1], other, sizeof(other), 4096);
	check("fuzz-left-space-unchanged", n == size && !memcmp(whole, other, (size_t)size),
	      "read %ld, size %ld", n, size);
	wfd = fd;
	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)) {
		check("setresuid", 0, "errno %ld%ld", errno, 0);
		return 1;
	}
	n = read_all(argv[1], other, sizeof(other), 4096);
	check("user-raw-sees-64", n == 64 && !memcmp(whole, other, 64), "read %ld%ld", n, 0);
	n = read_all(argv[2], other, sizeof(other), 5);
	check("user-config-sees-64", n == 64 && !memcmp(whole, other, 64), "read %ld%ld", n, 0);
	fd = open(argv[1], O_RDONLY);
	n = pread(fd, other, 16, 64);
	check("user-read-past-64-is-0", n == 0, "got %ld%ld", n, 0);
	close(fd);
	fd = open(argv[2], O_WRONLY);
	check("user-open-config-for-write-refused", fd < 0 && errno == EACCES, "fd %ld errno %ld",
	      fd, errno);
	fd = open(argv[1], O_RDWR);
	check("user-open-raw-for-write-refused", fd < 0 && errno == EACCES, "fd %ld errno %ld",
	      fd, errno);
	n = pwrite(wfd, whole + 0x3c, 1, 0x3c);
	check("user-write-eperm", n < 0 && errno == EPERM, "ret %ld errno %ld", n, errno);
	return failed;
}
