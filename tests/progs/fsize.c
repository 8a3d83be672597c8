/*
 * fsize: RLIMIT_FSIZE.  Each case runs in a child that lowers its soft
 * limit to LIMIT bytes.  With a SIGXFSZ handler: write and pwrite are cut
 * short at the limit, a write that cannot write a byte fails with EFBIG
 * and raises SIGXFSZ once, a zero-byte write does nothing, a writev that
 * reaches the limit midway is short without a signal, O_APPEND counts from
 * the end, ftruncate/truncate growing past the limit fail with EFBIG and
 * SIGXFSZ while shrinking a file that is already bigger works, pipes are
 * not limited, memfd files are, sendfile is cut short (and, as Linux's
 * splice retries the rest, raises SIGXFSZ even then).  With the default
 * action the child dies of SIGXFSZ, for write and for ftruncate.  The
 * child reports through its exit status and fixed output lines.
 */
#include "tprog.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define LIMIT	10000

static volatile sig_atomic_t xfsz;
static char buf[3 * LIMIT];

static void on_xfsz(int sig)
{
	(void)sig;
	xfsz++;
}

static void set_limit(void)
{
	struct rlimit rl = { .rlim_cur = LIMIT, .rlim_max = RLIM_INFINITY };

	if (setrlimit(RLIMIT_FSIZE, &rl) < 0) {
		printf("FAIL setrlimit: %s\n", strerror(errno));
		_exit(2);
	}
}

/* The write side of the limit, in a child with a SIGXFSZ handler. */
static void child_writes(void)
{
	int fd = open("w", O_CREAT | O_TRUNC | O_RDWR, 0600), p[2];
	struct iovec iov[2] = { { buf, 6000 }, { buf, 6000 } };

	signal(SIGXFSZ, on_xfsz);
	set_limit();
	CHECK_EQ("write-below", write(fd, buf, 8000), 8000);
	CHECK_EQ("write-short", write(fd, buf, 4000), 2000);
	CHECK_EQ("short-no-signal", xfsz, 0);
	CHECK_ERR("write-at-limit", write(fd, buf, 1), EFBIG);
	CHECK_EQ("signal-once", xfsz, 1);
	CHECK_EQ("write-empty", write(fd, buf, 0), 0);
	CHECK_EQ("empty-no-signal", xfsz, 1);
	CHECK_EQ("pwrite-last", pwrite(fd, "z", 1, LIMIT - 1), 1);
	CHECK_ERR("pwrite-past", pwrite(fd, "z", 1, 3 * LIMIT), EFBIG);
	CHECK_EQ("signal-twice", xfsz, 2);
	lseek(fd, 4000, SEEK_SET);
	CHECK_EQ("writev-short", writev(fd, iov, 2), 6000);
	CHECK_EQ("writev-no-signal", xfsz, 2);
	CHECK_OK("truncate-down", ftruncate(fd, 100));
	CHECK_EQ("writev-cut", pwritev(fd, iov, 2, 0), LIMIT);
	close(fd);
	fd = open("w", O_WRONLY | O_APPEND);
	ftruncate(fd, LIMIT - 10);
	CHECK_EQ("append-short", write(fd, buf, 100), 10);
	CHECK_ERR("append-full", write(fd, buf, 100), EFBIG);
	CHECK_EQ("append-signal", xfsz, 3);
	close(fd);
	if (pipe(p) == 0) {
		CHECK_EQ("pipe-unlimited", write(p[1], buf, 2 * LIMIT), 2 * LIMIT);
		close(p[0]);
		close(p[1]);
	}
	fd = memfd_create("fsize", 0);
	CHECK_EQ("memfd-short", write(fd, buf, 2 * LIMIT), LIMIT);
	close(fd);
	fd = open("big", O_RDONLY);
	p[1] = open("s", O_CREAT | O_TRUNC | O_WRONLY, 0600);
	CHECK_EQ("sendfile-short", sendfile(p[1], fd, NULL, 2 * LIMIT), LIMIT);
	CHECK_EQ("sendfile-short-signal", xfsz, 4);	/* Linux's splice retries the rest */
	CHECK_ERR("sendfile-full", sendfile(p[1], fd, NULL, LIMIT), EFBIG);
	CHECK_EQ("sendfile-signal", xfsz, 5);
	CHECK_EQ("sendfile-in-offset", lseek(fd, 0, SEEK_CUR), LIMIT);
	close(p[1]);
	close(fd);
}

/* The truncate side, in a child with a SIGXFSZ handler; "big" is 3 * LIMIT long. */
static void child_truncates(void)
{
	int fd = open("t", O_CREAT | O_TRUNC | O_RDWR, 0600), big = open("big", O_RDWR);
	struct stat st;

	signal(SIGXFSZ, on_xfsz);
	set_limit();
	CHECK_OK("truncate-to-limit", ftruncate(fd, LIMIT));
	CHECK_ERR("ftruncate-past", ftruncate(fd, LIMIT + 1), EFBIG);
	CHECK_EQ("ftruncate-signal", xfsz, 1);
	CHECK_ERR("truncate-past", truncate("t", 2 * LIMIT), EFBIG);
	CHECK_EQ("truncate-signal", xfsz, 2);
	CHECK_OK("shrink-still-big", ftruncate(big, 2 * LIMIT));
	fstat(big, &st);
	CHECK_EQ("shrunk", st.st_size, 2 * LIMIT);
	CHECK_ERR("regrow-big", ftruncate(big, 2 * LIMIT + 1), EFBIG);
	CHECK_ERR("write-in-big", pwrite(big, "x", 1, LIMIT + 5), EFBIG);
	CHECK_EQ("big-signals", xfsz, 4);
	close(big);
	close(fd);
}

/* Default action: the child dies of SIGXFSZ (by write if by_write, else by ftruncate). */
static void child_dies(int by_write)
{
	int fd = open(by_write ? "d1" : "d2", O_CREAT | O_TRUNC | O_RDWR, 0600);

	signal(SIGXFSZ, SIG_DFL);
	set_limit();
	if (by_write)
		pwrite(fd, "x", 1, LIMIT);
	else
		ftruncate(fd, LIMIT + 1);
	_exit(0);
}

/*
 * Run fn in a child; returns its wait status.  The child prints into a
 * pipe that the parent copies to stdout afterwards: with its file size
 * limit lowered, the child could not write to a stdout redirected to a
 * regular file already past the limit (the test runners do that).
 */
static int in_child(void (*fn)(void))
{
	int st = 0, p[2];
	char out[4096];
	ssize_t n;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 1);
		close(p[1]);
		tp_failed = 0;
		fn();
		_exit(tp_failed ? 1 : 0);
	}
	close(p[1]);
	waitpid(pid, &st, 0);
	while ((n = read(p[0], out, sizeof(out))) > 0)
		fwrite(out, 1, (size_t)n, stdout);
	close(p[0]);
	return st;
}

static void die_write(void)
{
	child_dies(1);
}

static void die_truncate(void)
{
	child_dies(0);
}

int main(void)
{
	char dir[4096];
	struct rlimit rl;
	int st, fd;

	tp_init();
	tp_scratch(dir, sizeof(dir));
	memset(buf, 'f', sizeof(buf));
	fd = open("big", O_CREAT | O_TRUNC | O_WRONLY, 0600);
	write(fd, buf, 3 * LIMIT);
	close(fd);
	CHECK("default-unlimited", getrlimit(RLIMIT_FSIZE, &rl) == 0 &&
	      rl.rlim_cur == RLIM_INFINITY, "cur %llu", (unsigned long long)rl.rlim_cur);
	st = in_child(child_writes);
	CHECK("writes-child", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	st = in_child(child_truncates);
	CHECK("truncates-child", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	st = in_child(die_write);
	CHECK("write-kills", WIFSIGNALED(st) && WTERMSIG(st) == SIGXFSZ, "status %#x", st);
	st = in_child(die_truncate);
	CHECK("truncate-kills", WIFSIGNALED(st) && WTERMSIG(st) == SIGXFSZ, "status %#x", st);
	if (chdir("/") == 0)
		tp_rmtree(dir);
	return TP_SUMMARY();
}
