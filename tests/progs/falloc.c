/*
 * falloc: fallocate(2) and posix_fallocate(3) on in-memory files, with
 * tmpfs's rules.  memfd files are tmpfs on Linux whatever TMPDIR is, so
 * every data check uses one; a scratch file (TMPDIR, may be ext4 on the
 * host) is only used where the VFS decides before the file system does.
 * Covered: the errno order of the VFS (EBADF, EINVAL, EOPNOTSUPP for
 * unknown or badly combined modes, EBADF for a file not open for writing,
 * ESPIPE, ENODEV, EFBIG on overflow), tmpfs's EOPNOTSUPP for ZERO_RANGE,
 * COLLAPSE_RANGE, INSERT_RANGE and UNSHARE_RANGE; allocation growing the
 * size or not (KEEP_SIZE) and its st_blocks; hole punching seen by read()
 * and by shared and private mappings (copied pages stay), its st_blocks,
 * pages kept past the end freed by a punch or a truncate; seals
 * (F_SEAL_GROW, F_SEAL_WRITE, F_SEAL_FUTURE_WRITE); RLIMIT_FSIZE (EFBIG
 * and SIGXFSZ, also with KEEP_SIZE, not for punching or overflow); mtime.
 * Output is fixed lines only.
 */
#include "tprog.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define PG	4096

#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE		0x01
#define FALLOC_FL_PUNCH_HOLE		0x02
#define FALLOC_FL_COLLAPSE_RANGE	0x08
#define FALLOC_FL_ZERO_RANGE		0x10
#define FALLOC_FL_INSERT_RANGE		0x20
#endif
#ifndef FALLOC_FL_UNSHARE_RANGE
#define FALLOC_FL_UNSHARE_RANGE		0x40
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE		0x0010
#endif
#define KEEP	FALLOC_FL_KEEP_SIZE
#define PUNCH	(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)

static volatile sig_atomic_t xfsz;

static void on_xfsz(int sig)
{
	(void)sig;
	xfsz++;
}

static long long size_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) < 0 ? -1 : (long long)st.st_size;
}

static long long blocks_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) < 0 ? -1 : (long long)st.st_blocks;
}

/* 1 if the n bytes at off all equal c (read with pread). */
static int bytes_are(int fd, off_t off, size_t n, char c)
{
	char buf[PG];

	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);

		if (pread(fd, buf, k, off) != (ssize_t)k)
			return 0;
		for (size_t i = 0; i < k; i++)
			if (buf[i] != c)
				return 0;
		n -= k;
		off += k;
	}
	return 1;
}

/* The checks the VFS makes before the file system sees the call. */
static void test_errors(void)
{
	int fd = memfd_create("err", 0), ro, op, p[2], dn, dir;

	CHECK_ERR("badfd", fallocate(999, 0, 0, 1), EBADF);
	CHECK_ERR("badfd-before-len", fallocate(999, 0, 0, 0), EBADF);
	CHECK_ERR("offset-negative", fallocate(fd, 0, -1, 1), EINVAL);
	CHECK_ERR("len-zero", fallocate(fd, 0, 0, 0), EINVAL);
	CHECK_ERR("len-negative", fallocate(fd, 0, 0, -1), EINVAL);
	CHECK_ERR("zero-range", fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 1), EOPNOTSUPP);
	CHECK_ERR("zero-range-keep", fallocate(fd, FALLOC_FL_ZERO_RANGE | KEEP, 0, 1), EOPNOTSUPP);
	CHECK_ERR("collapse-range", fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, PG), EOPNOTSUPP);
	CHECK_ERR("insert-range", fallocate(fd, FALLOC_FL_INSERT_RANGE, 0, PG), EOPNOTSUPP);
	CHECK_ERR("unshare-range", fallocate(fd, FALLOC_FL_UNSHARE_RANGE, 0, 1), EOPNOTSUPP);
	CHECK_ERR("punch-without-keep", fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 1), EOPNOTSUPP);
	CHECK_ERR("punch-and-zero", fallocate(fd, PUNCH | FALLOC_FL_ZERO_RANGE, 0, 1), EOPNOTSUPP);
	CHECK_ERR("mode-unknown", fallocate(fd, 0x100, 0, 1), EOPNOTSUPP);
	CHECK_ERR("mode-negative", fallocate(fd, -1, 0, 1), EOPNOTSUPP);
	CHECK_ERR("overflow", fallocate(fd, 0, INT64_MAX, 1), EFBIG);
	CHECK_ERR("overflow-keep", fallocate(fd, KEEP, INT64_MAX, 1), EFBIG);
	CHECK_ERR("overflow-punch", fallocate(fd, PUNCH, INT64_MAX, 1), EFBIG);
	CHECK_EQ("errors-no-size", size_of(fd), 0);
	CHECK_EQ("errors-no-blocks", blocks_of(fd), 0);
	close(fd);

	close(open("ro", O_CREAT | O_WRONLY, 0600));
	ro = open("ro", O_RDONLY);
	CHECK_ERR("readonly", fallocate(ro, 0, 0, 1), EBADF);
	CHECK_ERR("readonly-len-first", fallocate(ro, 0, 0, 0), EINVAL);
	CHECK_ERR("readonly-mode-first", fallocate(ro, 0x100, 0, 1), EOPNOTSUPP);
	CHECK_ERR("readonly-punch-nokeep", fallocate(ro, FALLOC_FL_PUNCH_HOLE, 0, 1), EOPNOTSUPP);
	CHECK_ERR("readonly-collapse-keep", fallocate(ro, FALLOC_FL_COLLAPSE_RANGE | KEEP, 0, 1),
		  EOPNOTSUPP);
	CHECK_ERR("readonly-zero-range", fallocate(ro, FALLOC_FL_ZERO_RANGE, 0, 1), EBADF);
	CHECK_EQ("posix-readonly", posix_fallocate(ro, 0, 1), EBADF);
	close(ro);
	op = open("ro", O_PATH);
	CHECK_ERR("opath", fallocate(op, 0, 0, 1), EBADF);
	CHECK_ERR("opath-before-len", fallocate(op, 0, 0, 0), EBADF);
	close(op);
	if (pipe(p) == 0) {
		CHECK_ERR("pipe-read-end", fallocate(p[0], 0, 0, 1), EBADF);
		CHECK_ERR("pipe-write-end", fallocate(p[1], 0, 0, 1), ESPIPE);
		CHECK_ERR("pipe-len-first", fallocate(p[1], 0, 0, 0), EINVAL);
		CHECK_ERR("pipe-before-overflow", fallocate(p[1], 0, INT64_MAX, 1), ESPIPE);
		CHECK_EQ("posix-pipe", posix_fallocate(p[1], 0, 1), ESPIPE);
		close(p[0]);
		close(p[1]);
	}
	dn = open("/dev/null", O_WRONLY);
	CHECK_ERR("chardev", fallocate(dn, 0, 0, 1), ENODEV);
	CHECK_ERR("chardev-before-overflow", fallocate(dn, 0, INT64_MAX, 1), ENODEV);
	close(dn);
	dir = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERR("directory", fallocate(dir, 0, 0, 1), EBADF);
	close(dir);
}

/* Allocation: mode 0 grows the size, KEEP_SIZE does not; st_blocks counts pages. */
static void test_allocate(void)
{
	int fd = memfd_create("alloc", 0);
	char c;

	CHECK_OK("alloc", fallocate(fd, 0, 0, 3 * PG + 100));
	CHECK_EQ("alloc-size", size_of(fd), 3 * PG + 100);
	CHECK_EQ("alloc-blocks", blocks_of(fd), 32);
	CHECK("alloc-zeros", bytes_are(fd, 0, 3 * PG + 100, 0), "not zero");
	CHECK_OK("alloc-inside", fallocate(fd, 0, 10, 20));
	CHECK_EQ("alloc-inside-size", size_of(fd), 3 * PG + 100);
	CHECK_OK("keep", fallocate(fd, KEEP, 8 * PG, PG));
	CHECK_EQ("keep-size", size_of(fd), 3 * PG + 100);
	CHECK_EQ("keep-blocks", blocks_of(fd), 40);
	CHECK_EQ("keep-read-eof", pread(fd, &c, 1, 8 * PG), 0);
	CHECK_OK("truncate-drops-kept", ftruncate(fd, 2 * PG));
	CHECK_EQ("truncate-drops-kept-blocks", blocks_of(fd), 16);
	CHECK_OK("regrow", ftruncate(fd, 9 * PG));
	CHECK_EQ("regrow-blocks", blocks_of(fd), 16);
	CHECK_OK("alloc-unaligned", fallocate(fd, 0, 20 * PG + 5, 1));
	CHECK_EQ("alloc-unaligned-size", size_of(fd), 20 * PG + 6);
	CHECK_EQ("alloc-unaligned-blocks", blocks_of(fd), 24);
	CHECK_OK("keep-inside", fallocate(fd, KEEP, 0, 21 * PG));
	CHECK_EQ("keep-inside-size", size_of(fd), 20 * PG + 6);
	CHECK_EQ("keep-inside-blocks", blocks_of(fd), 21 * 8);
	close(fd);

	fd = memfd_create("posix", 0);
	CHECK_EQ("posix", posix_fallocate(fd, 100, 5000), 0);
	CHECK_EQ("posix-size", size_of(fd), 5100);
	CHECK_EQ("posix-blocks", blocks_of(fd), 16);
	CHECK_EQ("posix-len-zero", posix_fallocate(fd, 0, 0), EINVAL);
	close(fd);
	fd = open("append", O_CREAT | O_WRONLY | O_APPEND, 0600);
	CHECK_OK("append-file", fallocate(fd, 0, 0, 100));
	CHECK_EQ("append-file-size", size_of(fd), 100);
	CHECK_EQ("posix-file", posix_fallocate(fd, 0, 300), 0);
	CHECK_EQ("posix-file-size", size_of(fd), 300);
	close(fd);
}

/* Punching: zeros for read(), shared and private mappings; the size stays. */
static void test_punch(void)
{
	int fd = memfd_create("punch", 0);
	char *m, *pm, buf[4 * PG];
	volatile char c;

	memset(buf, 'a', sizeof(buf));
	write(fd, buf, 3 * PG + 100);
	CHECK_OK("keep-past-end", fallocate(fd, KEEP, 8 * PG, PG));
	CHECK_EQ("punch-before-blocks", blocks_of(fd), 40);
	CHECK_OK("punch-page", fallocate(fd, PUNCH, PG, PG));
	CHECK_EQ("punch-page-blocks", blocks_of(fd), 32);
	CHECK_EQ("punch-page-size", size_of(fd), 3 * PG + 100);
	CHECK("punch-page-zeros", bytes_are(fd, PG, PG, 0), "not zero");
	CHECK("punch-page-around", bytes_are(fd, 0, PG, 'a') && bytes_are(fd, 2 * PG, PG + 100, 'a'),
	      "neighbours changed");
	CHECK_OK("punch-part", fallocate(fd, PUNCH, 10, 100));
	CHECK_EQ("punch-part-blocks", blocks_of(fd), 32);
	CHECK("punch-part-zeros", bytes_are(fd, 10, 100, 0) && bytes_are(fd, 0, 10, 'a') &&
	      bytes_are(fd, 110, PG - 110, 'a'), "wrong bytes");
	CHECK_OK("punch-past-end", fallocate(fd, PUNCH, 7 * PG, 3 * PG));
	CHECK_EQ("punch-past-end-blocks", blocks_of(fd), 24);
	CHECK_EQ("punch-past-end-size", size_of(fd), 3 * PG + 100);
	CHECK_OK("punch-all", fallocate(fd, PUNCH, 0, 1 << 20));
	CHECK_EQ("punch-all-blocks", blocks_of(fd), 0);
	CHECK_EQ("punch-all-size", size_of(fd), 3 * PG + 100);
	CHECK("punch-all-zeros", bytes_are(fd, 0, 3 * PG + 100, 0), "not zero");

	/* Mappings: the shared one sees every punched byte; a private copy stays. */
	ftruncate(fd, 4 * PG);
	m = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pm = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED || pm == MAP_FAILED) {
		CHECK("mmap", 0, "errno %d", errno);
		close(fd);
		return;
	}
	memset(m, 'x', 4 * PG);
	pm[PG] = 'p';			/* private copy of page 1 */
	c = pm[2 * PG];			/* page 2 mapped, not copied */
	(void)c;
	CHECK_OK("punch-mapped", fallocate(fd, PUNCH, 100, 3 * PG));
	CHECK("shared-sees-hole", m[99] == 'x' && m[100] == 0 && m[PG] == 0 && m[2 * PG] == 0 &&
	      m[3 * PG + 99] == 0 && m[3 * PG + 100] == 'x', "bytes %d %d %d %d %d %d",
	      m[99], m[100], m[PG], m[2 * PG], m[3 * PG + 99], m[3 * PG + 100]);
	CHECK("private-copy-stays", pm[PG] == 'p' && pm[PG + 1] == 'x', "bytes %d %d",
	      pm[PG], pm[PG + 1]);
	CHECK("private-sees-hole", pm[2 * PG] == 0 && pm[3 * PG + 100] == 'x', "bytes %d %d",
	      pm[2 * PG], pm[3 * PG + 100]);
	CHECK("read-sees-hole", bytes_are(fd, 100, 3 * PG, 0) && bytes_are(fd, 0, 100, 'x') &&
	      bytes_are(fd, 3 * PG + 100, PG - 100, 'x'), "wrong bytes");
	m[PG] = 'y';			/* a fresh page under the shared mapping */
	CHECK("shared-refault", bytes_are(fd, PG, 1, 'y') && pm[PG] == 'p', "wrong bytes");
	munmap(m, 4 * PG);
	munmap(pm, 4 * PG);
	close(fd);
}

/* Seals: GROW refuses growth even with KEEP_SIZE, WRITE/FUTURE_WRITE refuse punching. */
static void test_seals(void)
{
	int fd = memfd_create("seal", MFD_ALLOW_SEALING);

	ftruncate(fd, 4 * PG);
	fcntl(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK);
	CHECK_OK("grow-seal-inside", fallocate(fd, 0, 0, PG));
	CHECK_OK("grow-seal-last-page", fallocate(fd, 0, 4 * PG - 10, 10));
	CHECK_ERR("grow-seal-past", fallocate(fd, 0, 4 * PG - 1, 2), EPERM);
	CHECK_ERR("grow-seal-keep-past", fallocate(fd, KEEP, 4 * PG, 1), EPERM);
	CHECK_OK("grow-seal-punch", fallocate(fd, PUNCH, 0, 1 << 20));
	CHECK_EQ("grow-seal-size", size_of(fd), 4 * PG);
	close(fd);

	fd = memfd_create("seal", MFD_ALLOW_SEALING);
	ftruncate(fd, PG);
	fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE);
	CHECK_OK("write-seal-alloc", fallocate(fd, 0, 0, PG));
	CHECK_OK("write-seal-alloc-grows", fallocate(fd, 0, 0, 2 * PG));
	CHECK_EQ("write-seal-size", size_of(fd), 2 * PG);
	CHECK_ERR("write-seal-punch", fallocate(fd, PUNCH, 0, 1), EPERM);
	CHECK_ERR("write-seal-zero-range", fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 1), EOPNOTSUPP);
	close(fd);

	fd = memfd_create("seal", MFD_ALLOW_SEALING);
	fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE);
	CHECK_ERR("future-write-punch", fallocate(fd, PUNCH, 0, 1), EPERM);
	CHECK_OK("future-write-alloc", fallocate(fd, 0, 0, 1));
	close(fd);
}

/* RLIMIT_FSIZE in a child with a SIGXFSZ handler; reports through its exit status. */
static void child_fsize(void)
{
	struct rlimit rl = { .rlim_cur = 10000, .rlim_max = RLIM_INFINITY };
	int fd = memfd_create("fsize", 0), big = memfd_create("big", 0);

	ftruncate(big, 20000);
	signal(SIGXFSZ, on_xfsz);
	setrlimit(RLIMIT_FSIZE, &rl);
	CHECK_OK("fsize-to-limit", fallocate(fd, 0, 0, 10000));
	CHECK_ERR("fsize-past", fallocate(fd, 0, 0, 10001), EFBIG);
	CHECK_EQ("fsize-past-signal", xfsz, 1);
	CHECK_ERR("fsize-keep-past", fallocate(fd, KEEP, 9000, 2000), EFBIG);
	CHECK_EQ("fsize-keep-signal", xfsz, 2);
	CHECK_OK("fsize-punch-past", fallocate(fd, PUNCH, 0, 20000));
	CHECK_ERR("fsize-overflow", fallocate(fd, 0, INT64_MAX, 1), EFBIG);
	CHECK_EQ("fsize-overflow-no-signal", xfsz, 2);
	CHECK_OK("fsize-inside-big", fallocate(big, 0, 15000, 100));
	CHECK_ERR("fsize-past-big", fallocate(big, 0, 15000, 10000), EFBIG);
	CHECK_EQ("fsize-big-signal", xfsz, 3);
	CHECK_EQ("posix-fsize", posix_fallocate(fd, 0, 20000), EFBIG);
	CHECK_EQ("posix-fsize-signal", xfsz, 4);
	CHECK_EQ("fsize-size", size_of(fd), 10000);
}

/* With the default action, fallocate past RLIMIT_FSIZE kills. */
static void child_fsize_dies(void)
{
	struct rlimit rl = { .rlim_cur = 10000, .rlim_max = RLIM_INFINITY };
	int fd = memfd_create("die", 0);

	signal(SIGXFSZ, SIG_DFL);
	setrlimit(RLIMIT_FSIZE, &rl);
	fallocate(fd, 0, 0, 10001);
}

/* Run fn in a child; its wait status, its failures counted as one failed check. */
static int in_child(void (*fn)(void))
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		tp_failed = 0;
		fn();
		_exit(tp_failed ? 1 : 0);
	}
	waitpid(pid, &st, 0);
	return st;
}

/* Every successful mode updates mtime (tmpfs's file_modified). */
static void test_mtime(void)
{
	struct timespec old[2] = { { 1000, 0 }, { 1000, 0 } };
	struct stat st;
	int fd = memfd_create("mtime", 0);

	futimens(fd, old);
	fallocate(fd, KEEP, 0, PG);
	fstat(fd, &st);
	CHECK("mtime-keep", st.st_mtime != 1000 && st.st_ctime != 1000, "mtime %ld",
	      (long)st.st_mtime);
	futimens(fd, old);
	fallocate(fd, PUNCH, 0, PG);
	fstat(fd, &st);
	CHECK("mtime-punch", st.st_mtime != 1000, "mtime %ld", (long)st.st_mtime);
	futimens(fd, old);
	fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, PG);
	fstat(fd, &st);
	CHECK_EQ("mtime-failed-call", st.st_mtime, 1000);
	close(fd);
}

int main(void)
{
	char dir[4096];
	int st;

	tp_init();
	tp_scratch(dir, sizeof(dir));
	test_errors();
	test_allocate();
	test_punch();
	test_seals();
	test_mtime();
	st = in_child(child_fsize);
	CHECK("fsize-child", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	st = in_child(child_fsize_dies);
	CHECK("fsize-kills", WIFSIGNALED(st) && WTERMSIG(st) == SIGXFSZ, "status %#x", st);
	if (chdir("/") == 0)
		tp_rmtree(dir);
	return TP_SUMMARY();
}
