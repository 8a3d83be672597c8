/*
 * files: file descriptor syscalls - open/openat/close, read/write,
 * lseek, pread64/pwrite64, readv/writev, preadv/pwritev, dup/dup2/dup3,
 * fcntl, pipe/pipe2, /dev/null and /dev/zero - and their error paths
 * (EBADF, EFAULT via the unmapped address 1, EINVAL, ENOENT, EEXIST,
 * ENOTDIR, ESPIPE, EAGAIN and EPIPE with SIGPIPE ignored).  Runs in a scratch directory under $TMPDIR
 * or /tmp; prints only check names so host and target output match.
 */
#include "tprog.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/uio.h>

static void *volatile bad_ptr = (void *)1;
static volatile int neg_count = -1;

static void test_basic_io(void)
{
	char buf[64];
	int fd = open("a.txt", O_CREAT | O_EXCL | O_RDWR, 0644);

	CHECK_OK("open-creat", fd);
	CHECK_EQ("write", write(fd, "hello world\n", 12), 12);
	CHECK_EQ("lseek-cur", lseek(fd, 0, SEEK_CUR), 12);
	CHECK_EQ("lseek-set", lseek(fd, 6, SEEK_SET), 6);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("read-partial", read(fd, buf, 5), 5);
	CHECK("read-data", memcmp(buf, "world", 5) == 0, "got %.5s", buf);
	CHECK_EQ("read-rest", read(fd, buf, sizeof(buf)), 1);
	CHECK_EQ("read-eof", read(fd, buf, sizeof(buf)), 0);
	CHECK_EQ("lseek-end", lseek(fd, -6, SEEK_END), 6);
	CHECK_EQ("pwrite", pwrite(fd, "WORLD", 5, 6), 5);
	CHECK_EQ("pwrite-keeps-offset", lseek(fd, 0, SEEK_CUR), 6);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("pread", pread(fd, buf, 5, 6), 5);
	CHECK("pread-data", memcmp(buf, "WORLD", 5) == 0, "got %.5s", buf);
	CHECK_EQ("pread-keeps-offset", lseek(fd, 0, SEEK_CUR), 6);

	/* A write past EOF leaves a hole that reads as zeros. */
	CHECK_EQ("lseek-past-end", lseek(fd, 100, SEEK_SET), 100);
	CHECK_EQ("write-past-end", write(fd, "x", 1), 1);
	{
		struct stat st;

		CHECK_OK("fstat", fstat(fd, &st));
		CHECK_EQ("fstat-size", st.st_size, 101);
		CHECK("fstat-regular", S_ISREG(st.st_mode), "mode %o",
		      st.st_mode);
		CHECK_EQ("fstat-perm", st.st_mode & 0777, 0644 & ~umask(022));
	}
	memset(buf, 1, sizeof(buf));
	CHECK_EQ("pread-hole", pread(fd, buf, 10, 50), 10);
	CHECK("hole-zero", buf[0] == 0 && buf[9] == 0, "hole not zero");
	CHECK_OK("close", close(fd));

	fd = open("a.txt", O_WRONLY | O_TRUNC);
	CHECK_OK("open-trunc", fd);
	{
		struct stat st;

		fstat(fd, &st);
		CHECK_EQ("trunc-size", st.st_size, 0);
	}
	close(fd);
	fd = open("a.txt", O_WRONLY | O_APPEND);
	write(fd, "12", 2);
	lseek(fd, 0, SEEK_SET);
	write(fd, "34", 2);
	close(fd);
	fd = open("a.txt", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("append-size", read(fd, buf, sizeof(buf)), 4);
	CHECK("append-data", strcmp(buf, "1234") == 0, "got %s", buf);
	CHECK_ERR("write-rdonly-ebadf", write(fd, "x", 1), EBADF);
	close(fd);
}

static void test_vectors(void)
{
	char a[4], b[8];
	struct iovec wv[3] = {
		{ "abc", 3 }, { "", 0 }, { "defghij", 7 },
	};
	struct iovec rv[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	int fd = open("v.txt", O_CREAT | O_RDWR | O_TRUNC, 0600);

	CHECK_EQ("writev", writev(fd, wv, 3), 10);
	lseek(fd, 0, SEEK_SET);
	memset(b, 0, sizeof(b));
	CHECK_EQ("readv", readv(fd, rv, 2), 10);
	CHECK("readv-data", memcmp(a, "abcd", 4) == 0 &&
	      memcmp(b, "efghij", 6) == 0, "got %.4s %.6s", a, b);
	rv[0].iov_base = bad_ptr;
	lseek(fd, 0, SEEK_SET);
	CHECK_ERR("readv-efault", readv(fd, rv, 2), EFAULT);
	CHECK_ERR("readv-einval-count", readv(fd, rv, neg_count), EINVAL);
	rv[0].iov_base = a;
	lseek(fd, 1, SEEK_SET);
	CHECK_EQ("pwritev", pwritev(fd, wv, 3, 5), 10);
	CHECK_EQ("pwritev-keeps-offset", lseek(fd, 0, SEEK_CUR), 1);
	memset(b, 0, sizeof(b));
	CHECK_EQ("preadv", preadv(fd, rv, 2, 4), 11);
	CHECK("preadv-data", memcmp(a, "eabc", 4) == 0 &&
	      memcmp(b, "defghij", 7) == 0, "got %.4s %.7s", a, b);
	CHECK_ERR("preadv-einval-offset", preadv(fd, rv, 2, -1), EINVAL);
	close(fd);
}

static void test_dup_fcntl(void)
{
	char c;
	int fd = open("d.txt", O_CREAT | O_RDWR | O_TRUNC, 0600);
	int fd2, fd3;

	write(fd, "0123456789", 10);
	lseek(fd, 2, SEEK_SET);
	fd2 = dup(fd);
	CHECK("dup", fd2 > fd, "dup gave %d", fd2);
	read(fd2, &c, 1);
	CHECK_EQ("dup-shares-offset", lseek(fd, 0, SEEK_CUR), 3);
	CHECK_EQ("dup2", dup2(fd, 50), 50);
	CHECK_EQ("dup2-same", dup2(fd, fd), fd);
	CHECK_EQ("dup2-fd-flags", fcntl(50, F_GETFD), 0);
	CHECK_EQ("dup3-cloexec", dup3(fd, 51, O_CLOEXEC), 51);
	CHECK_EQ("dup3-fd-flags", fcntl(51, F_GETFD), FD_CLOEXEC);
	CHECK_ERR("dup3-same-einval", dup3(fd, fd, 0), EINVAL);
	CHECK_ERR("dup3-flags-einval", dup3(fd, 52, 0x1234), EINVAL);
	CHECK_ERR("dup-ebadf", dup(999), EBADF);
	CHECK_ERR("dup2-ebadf", dup2(999, 53), EBADF);
	CHECK_ERR("dup2-neg-ebadf", dup2(fd, -1), EBADF);
	fd3 = fcntl(fd, F_DUPFD, 60);
	CHECK_EQ("fcntl-dupfd-min", fd3, 60);
	CHECK_EQ("fcntl-dupfd-cloexec", fcntl(fd, F_DUPFD_CLOEXEC, 60), 61);
	CHECK_EQ("fcntl-getfd-cloexec", fcntl(61, F_GETFD), FD_CLOEXEC);
	CHECK_OK("fcntl-setfd", fcntl(60, F_SETFD, FD_CLOEXEC));
	CHECK_EQ("fcntl-getfd-set", fcntl(60, F_GETFD), FD_CLOEXEC);
	CHECK_EQ("fcntl-getfl", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND),
		 O_RDWR);
	CHECK_OK("fcntl-setfl-append", fcntl(fd, F_SETFL, O_APPEND));
	CHECK_EQ("fcntl-getfl-append", fcntl(fd2, F_GETFL) & O_APPEND,
		 O_APPEND);
	CHECK_ERR("fcntl-ebadf", fcntl(999, F_GETFD), EBADF);
	CHECK_ERR("fcntl-einval", fcntl(fd, 0x7fff), EINVAL);
	for (int i = 50; i <= 61; i++)
		close(i);
	close(fd2);
	CHECK_ERR("close-ebadf", close(fd2), EBADF);
	close(fd);
}

/* read() from a freshly opened path; keeps errno of the read. */
static long read_path(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	long r = read(fd, buf, len);
	int e = errno;

	close(fd);
	errno = e;
	return r;
}

static void test_errors(void)
{
	char buf[8];
	int fd;

	CHECK_ERR("read-ebadf", read(-1, buf, 1), EBADF);
	CHECK_ERR("write-ebadf", write(999, buf, 1), EBADF);
	CHECK_ERR("open-enoent", open("no/such/file", O_RDONLY), ENOENT);
	CHECK_ERR("open-efault", open(bad_ptr, O_RDONLY), EFAULT);
	CHECK_ERR("open-eexist", open("a.txt", O_CREAT | O_EXCL | O_RDWR,
				     0600), EEXIST);
	CHECK_ERR("open-enotdir", open("a.txt/x", O_RDONLY), ENOTDIR);
	CHECK_ERR("open-directory-enotdir",
		  open("a.txt", O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERR("open-dir-write-eisdir", open(".", O_WRONLY), EISDIR);
	fd = open("a.txt", O_RDWR);
	CHECK_ERR("read-efault", read(fd, bad_ptr, 4), EFAULT);
	CHECK_ERR("write-efault", write(fd, bad_ptr, 4), EFAULT);
	CHECK_ERR("lseek-whence-einval", lseek(fd, 0, 99), EINVAL);
	CHECK_ERR("lseek-negative-einval", lseek(fd, -5, SEEK_SET), EINVAL);
	CHECK_ERR("read-dir-eisdir", read_path(".", buf, sizeof(buf)), EISDIR);
	close(fd);
	{
		int at = open(".", O_RDONLY | O_DIRECTORY);

		CHECK_OK("openat-dirfd", fd = openat(at, "a.txt", O_RDONLY));
		close(fd);
		CHECK_ERR("openat-ebadf", openat(999, "a.txt", O_RDONLY),
			  EBADF);
		close(at);
	}
}

static void test_pipes(void)
{
	int p[2];
	char buf[16];

	CHECK_OK("pipe", pipe(p));
	CHECK_EQ("pipe-write", write(p[1], "ping", 4), 4);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("pipe-read", read(p[0], buf, sizeof(buf)), 4);
	CHECK("pipe-data", strcmp(buf, "ping") == 0, "got %s", buf);
	CHECK_ERR("pipe-lseek-espipe", lseek(p[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERR("pipe-pread-espipe", pread(p[0], buf, 1, 0), ESPIPE);
	CHECK_ERR("pipe-write-rdend-ebadf", write(p[0], "x", 1), EBADF);
	close(p[1]);
	CHECK_EQ("pipe-eof", read(p[0], buf, sizeof(buf)), 0);
	close(p[0]);

	CHECK_OK("pipe2", pipe2(p, O_CLOEXEC | O_NONBLOCK));
	CHECK_EQ("pipe2-cloexec", fcntl(p[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ("pipe2-nonblock", fcntl(p[1], F_GETFL) & O_NONBLOCK,
		 O_NONBLOCK);
	CHECK_ERR("pipe2-empty-eagain", read(p[0], buf, 1), EAGAIN);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR("pipe-epipe", write(p[1], "x", 1), EPIPE);
	close(p[1]);
	CHECK_ERR("pipe2-einval", pipe2(p, 0x1234), EINVAL);
	CHECK_ERR("pipe-efault", pipe(bad_ptr), EFAULT);
}

static void test_devices(void)
{
	char buf[16];
	int fd = open("/dev/null", O_RDWR);

	CHECK_OK("open-dev-null", fd);
	CHECK_EQ("dev-null-write", write(fd, "abc", 3), 3);
	CHECK_EQ("dev-null-read", read(fd, buf, sizeof(buf)), 0);
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	CHECK_OK("open-dev-zero", fd);
	memset(buf, 7, sizeof(buf));
	CHECK_EQ("dev-zero-read", read(fd, buf, sizeof(buf)), 16);
	CHECK("dev-zero-data", buf[0] == 0 && buf[15] == 0, "not zero");
	close(fd);
}

int main(void)
{
	char dir[256];

	tp_init();
	umask(022);
	tp_scratch(dir, sizeof(dir));
	test_basic_io();
	test_vectors();
	test_dup_fcntl();
	test_errors();
	test_pipes();
	test_devices();
	if (chdir("/") == 0)
		tp_rmtree(dir);
	return TP_SUMMARY();
}
