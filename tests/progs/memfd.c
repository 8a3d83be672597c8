/*
 * memfd: memfd_create files are anonymous in-memory regular files:
 * mode 0777, no links, named "/memfd:NAME (deleted)" in /proc/self/fd
 * and /proc/self/maps, readable, writable, truncatable and mappable
 * shared (also across fork).  Argument errors: unknown flags, a NAME
 * longer than 249 bytes, a bad pointer.  Also: an unlinked file's fd
 * link ends in " (deleted)".  Seals (MFD_ALLOW_SEALING, F_ADD_SEALS,
 * F_GET_SEALS): which calls each seal refuses and with what errno,
 * F_SEAL_WRITE's EBUSY while a shared mapping may write (counted
 * through mprotect splits, fork and munmap), F_SEAL_GROW's page-wise
 * short writes.  Output is fixed lines only.
 */
#include "tprog.h"
#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PG 4096

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE	0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC		0x0020
#endif

static long memfd(const char *name, unsigned flags)
{
	return syscall(SYS_memfd_create, name, flags);
}

/* readlink of /proc/self/fd/fd into buf (NUL-terminated). */
static void fd_link(int fd, char *buf, size_t len)
{
	char p[64];
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	n = readlink(p, buf, len - 1);
	buf[n > 0 ? n : 0] = 0;
}

/* Path of the /proc/self/maps area holding addr, or "" */
static void map_name(const void *addr, char *out, size_t len)
{
	char line[PATH_MAX + 128];
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi;
	int n;

	out[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %*s %*x %*x:%*x %*u %n", &lo, &hi, &n) < 2)
			continue;
		if ((unsigned long)addr >= lo && (unsigned long)addr < hi) {
			line[strcspn(line, "\n")] = 0;
			snprintf(out, len, "%s", line + n);
			break;
		}
	}
	if (f)
		fclose(f);
}

static void test_basic(void)
{
	char buf[PG * 2], link[PATH_MAX];
	struct stat st, st2;
	int fd = memfd("hello", 0), fd2 = memfd("hello", MFD_CLOEXEC);

	CHECK("create", fd >= 0 && fd2 >= 0, "fd %d fd2 %d errno %d", fd, fd2, errno);
	CHECK_OK("fstat", fstat(fd, &st));
	CHECK("mode", st.st_mode == (S_IFREG | 0777), "mode %o", st.st_mode);
	CHECK_EQ("nlink", st.st_nlink, 0);
	CHECK_EQ("size0", st.st_size, 0);
	fstat(fd2, &st2);
	CHECK("distinct", st.st_ino != st2.st_ino, "same inode");
	CHECK_EQ("cloexec", fcntl(fd2, F_GETFD), FD_CLOEXEC);
	CHECK_EQ("no-cloexec", fcntl(fd, F_GETFD), 0);
	CHECK_EQ("rdwr", fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	fd_link(fd, link, sizeof(link));
	CHECK("fd-link", !strcmp(link, "/memfd:hello (deleted)"), "link '%s'", link);
	CHECK_ERR("not-by-name", open("/memfd:hello", O_RDONLY), ENOENT);

	memset(buf, 'x', 5000);
	CHECK_EQ("write", write(fd, buf, 5000), 5000);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("pread", pread(fd, buf, sizeof(buf), 0), 5000);
	CHECK("data", buf[0] == 'x' && buf[4999] == 'x', "data");
	CHECK_OK("ftruncate-grow", ftruncate(fd, 3 * PG));
	fstat(fd, &st);
	CHECK_EQ("size-grown", st.st_size, 3 * PG);
	CHECK_EQ("zero-tail", pread(fd, buf, 1, 3 * PG - 1) == 1 ? buf[0] : -1, 0);
	CHECK_OK("ftruncate-shrink", ftruncate(fd, 2 * PG));
	fstat(fd, &st);
	CHECK_EQ("size-shrunk", st.st_size, 2 * PG);
	close(fd2);
	close(fd);
}

static void test_mmap(void)
{
	char name[PATH_MAX], *p, *q, c = 0;
	int fd = memfd("map", 0), ws = 0;
	pid_t pid;

	ftruncate(fd, 2 * PG);
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("mmap", p != MAP_FAILED, "errno %d", errno);
	if (p == MAP_FAILED)
		return;
	p[PG + 1] = 'm';
	pread(fd, &c, 1, PG + 1);
	CHECK_EQ("map-to-file", c, 'm');
	pwrite(fd, "w", 1, 7);
	CHECK_EQ("file-to-map", p[7], 'w');
	q = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, PG);
	CHECK("second-map", q != MAP_FAILED && q[1] == 'm', "q %p", q);
	map_name(q, name, sizeof(name));
	CHECK("maps-name", !strcmp(name, "/memfd:map (deleted)"), "name '%s'", name);
	pid = fork();
	if (pid == 0) {
		p[3] = 'c';
		_exit(0);
	}
	waitpid(pid, &ws, 0);
	CHECK_EQ("fork-shared", p[3], 'c');
	munmap(q, PG);
	munmap(p, 2 * PG);
	close(fd);
}

static void test_errors(void)
{
	char name[300];
	long fd;

	memset(name, 'n', sizeof(name));
	name[249] = 0;
	fd = memfd(name, 0);
	CHECK("name-249", fd >= 0, "errno %d", errno);
	if (fd >= 0)
		close(fd);
	name[249] = 'n';
	name[250] = 0;
	CHECK_ERR("name-250", memfd(name, 0), EINVAL);
	CHECK_ERR("bad-pointer", memfd((const char *)16, 0), EFAULT);
	CHECK_ERR("bad-flags", memfd("x", 0x100), EINVAL);
}

/* Not memfd itself: any unlinked file's fd link says " (deleted)". */
static void test_unlinked_link(void)
{
	char want[PATH_MAX + 16], real[PATH_MAX], link[PATH_MAX];
	int fd = open("gone", O_RDWR | O_CREAT, 0600);

	if (!realpath("gone", real))
		real[0] = 0;
	snprintf(want, sizeof(want), "%s (deleted)", real);
	unlink("gone");
	fd_link(fd, link, sizeof(link));
	CHECK("unlinked-link", !strcmp(link, want), "link '%s'", link);
	close(fd);
}

static void test_seal_flags(void)
{
	int fd = memfd("s0", 0), sfd = memfd("s1", MFD_ALLOW_SEALING), pfd[2];

	CHECK_EQ("seals-default", fcntl(fd, F_GET_SEALS), F_SEAL_SEAL);
	CHECK_ERR("seals-default-add", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM);
	CHECK_EQ("seals-allow", fcntl(sfd, F_GET_SEALS), 0);
	CHECK_ERR("seals-unknown", fcntl(sfd, F_ADD_SEALS, 0x40), EINVAL);
	CHECK_OK("seals-none", fcntl(sfd, F_ADD_SEALS, 0));
	CHECK_EQ("seals-still-none", fcntl(sfd, F_GET_SEALS), 0);
	CHECK_OK("seals-seal", fcntl(sfd, F_ADD_SEALS, F_SEAL_SEAL));
	CHECK_ERR("seals-sealed", fcntl(sfd, F_ADD_SEALS, F_SEAL_SHRINK), EPERM);
	CHECK_ERR("seals-sealed-none", fcntl(sfd, F_ADD_SEALS, 0), EPERM);
	if (pipe(pfd) == 0) {
		CHECK_ERR("seals-pipe-get", fcntl(pfd[0], F_GET_SEALS), EINVAL);
		CHECK_ERR("seals-pipe-add", fcntl(pfd[1], F_ADD_SEALS, F_SEAL_SEAL), EINVAL);
		CHECK_ERR("seals-pipe-rdonly", fcntl(pfd[0], F_ADD_SEALS, F_SEAL_SEAL), EPERM);
		close(pfd[0]);
		close(pfd[1]);
	}
	close(fd);
	close(sfd);
}

static void test_seal_size(void)
{
	char buf[3 * PG];
	int fd = memfd("size", MFD_ALLOW_SEALING);
	struct stat st;

	memset(buf, 'a', sizeof(buf));
	write(fd, buf, 3 * PG);
	CHECK_OK("shrink-seal", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	CHECK_EQ("shrink-get", fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK);
	CHECK_ERR("shrink-truncate", ftruncate(fd, PG), EPERM);
	CHECK_OK("shrink-same", ftruncate(fd, 3 * PG));
	CHECK_OK("shrink-grow-ok", ftruncate(fd, 4 * PG + 100));
	CHECK_OK("grow-seal", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	CHECK_EQ("grow-get", fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_GROW);
	CHECK_ERR("grow-truncate", ftruncate(fd, 5 * PG), EPERM);
	CHECK_OK("grow-same", ftruncate(fd, 4 * PG + 100));
	CHECK_EQ("grow-write-inside", pwrite(fd, buf, 2 * PG, 2 * PG + 50), 2 * PG);
	CHECK_ERR("grow-write-tail", pwrite(fd, buf, 200, 4 * PG), EPERM);
	CHECK_EQ("grow-write-short", pwrite(fd, buf, 2 * PG, 3 * PG + 50), PG - 50);
	CHECK_EQ("grow-write-empty", pwrite(fd, buf, 0, 10 * PG), 0);
	fcntl(fd, F_SETFL, O_APPEND);
	CHECK_ERR("grow-append", write(fd, buf, 1), EPERM);
	fstat(fd, &st);
	CHECK_EQ("grow-size", st.st_size, 4 * PG + 100);
	close(fd);
}

/* F_ADD_SEALS F_SEAL_WRITE on fd: 0 or the errno. */
static int seal_write(int fd)
{
	return fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) < 0 ? errno : 0;
}

static void test_seal_write_busy(void)
{
	int fd = memfd("busy", MFD_ALLOW_SEALING), ws = 0, go[2];
	char *p, *q, c = 0;
	pid_t pid;

	ftruncate(fd, 2 * PG);
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK("busy-maps", p != MAP_FAILED && q != MAP_FAILED, "errno %d", errno);
	if (p == MAP_FAILED || q == MAP_FAILED)
		return;
	CHECK_EQ("busy-shared", seal_write(fd), EBUSY);
	mprotect(p, PG, PROT_READ);	/* split: both halves still may write */
	munmap(p + PG, PG);
	CHECK_EQ("busy-split", seal_write(fd), EBUSY);
	if (pipe(go) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		read(go[0], &c, 1);	/* keep the inherited mapping until told */
		_exit(0);
	}
	close(go[0]);
	munmap(p, PG);
	CHECK_EQ("busy-child", seal_write(fd), EBUSY);
	close(go[1]);
	waitpid(pid, &ws, 0);
	CHECK_EQ("busy-private-ok", seal_write(fd), 0);
	CHECK_EQ("busy-get", fcntl(fd, F_GET_SEALS), F_SEAL_WRITE);
	q[0] = 'p';	/* a private copy stays writable */
	CHECK_EQ("busy-private-write", pread(fd, &c, 1, 0) == 1 ? c : -1, 0);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("busy-ro-map", p != MAP_FAILED, "errno %d", errno);
	CHECK_EQ("busy-again", seal_write(fd), 0);
	munmap(q, PG);
	if (p != MAP_FAILED)
		munmap(p, PG);
	close(fd);

	/* A read-only shared mapping of a writable descriptor may become writable. */
	fd = memfd("busy-ro", MFD_ALLOW_SEALING);
	ftruncate(fd, PG);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK_EQ("busy-ro-shared", seal_write(fd), EBUSY);
	munmap(p, PG);
	CHECK_EQ("busy-unmapped", seal_write(fd), 0);
	close(fd);
}

static void test_seal_write(void)
{
	int fd = memfd("wr", MFD_ALLOW_SEALING);
	char *p, c = 'x';

	ftruncate(fd, PG);
	CHECK_OK("write-seal", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	CHECK_ERR("write-write", write(fd, "x", 1), EPERM);
	CHECK_ERR("write-pwrite", pwrite(fd, "x", 1, 0), EPERM);
	CHECK_EQ("write-empty", write(fd, "x", 0), 0);
	CHECK_OK("write-truncate-grow", ftruncate(fd, 2 * PG));
	CHECK_OK("write-truncate-shrink", ftruncate(fd, PG));
	CHECK("write-map-shared", mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) ==
	      MAP_FAILED && errno == EPERM, "errno %d", errno);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("write-map-ro", p != MAP_FAILED, "errno %d", errno);
	if (p != MAP_FAILED) {
		CHECK_ERR("write-mprotect", mprotect(p, PG, PROT_READ | PROT_WRITE), EACCES);
		munmap(p, PG);
	}
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK("write-map-private", p != MAP_FAILED, "errno %d", errno);
	if (p != MAP_FAILED) {
		p[0] = 'q';
		pread(fd, &c, 1, 0);
		CHECK_EQ("write-private-copy", c, 0);
		munmap(p, PG);
	}
	close(fd);
}

static void test_seal_future_write(void)
{
	int fd = memfd("fw", MFD_ALLOW_SEALING);
	char *p, c = 0;

	ftruncate(fd, PG);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK_OK("future-seal", fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
	CHECK_ERR("future-write", write(fd, "x", 1), EPERM);
	CHECK("future-map", mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) ==
	      MAP_FAILED && errno == EPERM, "errno %d", errno);
	if (p != MAP_FAILED) {
		p[5] = 'o';	/* the old mapping still writes */
		pread(fd, &c, 1, 5);
		CHECK_EQ("future-old-map", c, 'o');
		munmap(p, PG);
	}
	CHECK_OK("future-truncate", ftruncate(fd, 2 * PG));
	close(fd);
}

static void test_seal_exec(void)
{
	int fd = memfd("ex", MFD_ALLOW_SEALING);

	CHECK_OK("exec-seal", fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC));
	CHECK_EQ("exec-implies", fcntl(fd, F_GET_SEALS),
		 F_SEAL_EXEC | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE);
	CHECK_ERR("exec-chmod", fchmod(fd, 0666), EPERM);
	CHECK_OK("exec-chmod-rw", fchmod(fd, 0755));
	close(fd);
}

int main(void)
{
	char dir[PATH_MAX];

	tp_init();
	tp_scratch(dir, sizeof(dir));
	test_basic();
	test_mmap();
	test_errors();
	test_unlinked_link();
	test_seal_flags();
	test_seal_size();
	test_seal_write_busy();
	test_seal_write();
	test_seal_future_write();
	test_seal_exec();
	if (chdir("/") == 0)
		tp_rmtree(dir);
	return TP_SUMMARY();
}
