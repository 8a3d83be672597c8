/*
 * memfd: memfd_create files are anonymous in-memory regular files:
 * mode 0777, no links, named "/memfd:NAME (deleted)" in /proc/self/fd
 * and /proc/self/maps, readable, writable, truncatable and mappable
 * shared (also across fork).  Argument errors: unknown flags, a NAME
 * longer than 249 bytes, a bad pointer.  Also: an unlinked file's fd
 * link ends in " (deleted)".  Output is fixed lines only.
 */
#include "tprog.h"
#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PG 4096

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

int main(void)
{
	char dir[PATH_MAX];

	tp_init();
	tp_scratch(dir, sizeof(dir));
	test_basic();
	test_mmap();
	test_errors();
	test_unlinked_link();
	if (chdir("/") == 0)
		tp_rmtree(dir);
	return TP_SUMMARY();
}
