/*
 * eventfds.c: eventfd, timerfd and signalfd: counter semantics
 * (EFD_SEMAPHORE, overflow, EINVAL cases, EAGAIN, blocking), timer
 * expirations, intervals and settime/gettime, signal dequeueing through
 * a signalfd, and their poll readiness and /proc/self/fd names.  Timing
 * checks are coarse ("at least", "before the deadline"), so the output
 * is the same on the host Linux and on a slow emulated target.
 */
#define _GNU_SOURCE
#include "tprog.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Readiness bits of fd (POLLIN | POLLOUT asked) right now. */
static int ready(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

/* The /proc/self/fd link of fd, or "?". */
static const char *fdlink(int fd)
{
	static char buf[128];
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return "?";
	buf[n] = '\0';
	return buf;
}

static void test_eventfd(void)
{
	uint64_t v, big[2];
	int fd, p[2];
	pid_t pid;
	struct timespec t0;

	fd = eventfd(3, EFD_NONBLOCK);
	CHECK_OK("efd-create", fd);
	CHECK("efd-link", !strcmp(fdlink(fd), "anon_inode:[eventfd]"), "link %s", fdlink(fd));
	CHECK_EQ("efd-ready-init", ready(fd), POLLIN | POLLOUT);
	CHECK_EQ("efd-read", read(fd, &v, 8), 8);
	CHECK_EQ("efd-read-val", v, 3);
	CHECK_ERR("efd-read-empty", read(fd, &v, 8), EAGAIN);
	CHECK_EQ("efd-ready-empty", ready(fd), POLLOUT);
	CHECK_ERR("efd-read-short", read(fd, &v, 7), EINVAL);
	v = 5;
	CHECK_ERR("efd-write-short", write(fd, &v, 4), EINVAL);
	v = UINT64_MAX;
	CHECK_ERR("efd-write-max", write(fd, &v, 8), EINVAL);
	v = 5;
	CHECK_EQ("efd-write", write(fd, &v, 8), 8);
	big[0] = 7;
	CHECK_ERR("efd-write-long", write(fd, big, 16), EINVAL);
	CHECK_EQ("efd-write2", write(fd, big, 8), 8);
	CHECK_EQ("efd-read-sum", read(fd, big, 16), 8);
	CHECK_EQ("efd-read-sum-val", big[0], 12);
	v = 0xfffffffffffffffeULL;
	CHECK_EQ("efd-write-top", write(fd, &v, 8), 8);
	CHECK_EQ("efd-ready-full", ready(fd), POLLIN);
	v = 1;
	CHECK_ERR("efd-write-overflow", write(fd, &v, 8), EAGAIN);
	v = 0;
	CHECK_EQ("efd-write-zero-full", write(fd, &v, 8), 8);
	CHECK_EQ("efd-read-top", read(fd, &v, 8), 8);
	CHECK_EQ("efd-read-top-val", v, 0xfffffffffffffffeULL);
	close(fd);

	fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
	CHECK_EQ("efd-cloexec", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ("efd-nonblock", fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	CHECK_EQ("efd-sem-read1", read(fd, &v, 8), 8);
	CHECK_EQ("efd-sem-val1", v, 1);
	CHECK_EQ("efd-sem-read2", read(fd, &v, 8), 8);
	CHECK_EQ("efd-sem-val2", v, 1);
	CHECK_ERR("efd-sem-empty", read(fd, &v, 8), EAGAIN);
	close(fd);
	CHECK_ERR("efd-badflags", eventfd(0, 0x10), EINVAL);
	fd = eventfd(0, 0);
	CHECK_OK("efd-blocking", fd);

	/* A blocking read waits for a writer in another process. */
	CHECK_OK("efd-pipe", pipe(p));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		char c;

		if (read(p[0], &c, 1) != 1)
			_exit(1);
		usleep(100 * 1000);
		v = 42;
		_exit(write(fd, &v, 8) == 8 ? 0 : 1);
	}
	if (write(p[1], "x", 1) != 1)
		printf("FAIL pipe write\n");
	v = 0;
	CHECK_EQ("efd-block-read", read(fd, &v, 8), 8);
	CHECK_EQ("efd-block-val", v, 42);
	CHECK("efd-block-waited", ms_since(&t0) >= 90, "waited %ld ms", ms_since(&t0));
	waitpid(pid, NULL, 0);
	/* A blocked writer waits for a reader to make room. */
	v = 0xfffffffffffffffeULL;
	CHECK_EQ("efd-fill", write(fd, &v, 8), 8);
	pid = fork();
	if (pid == 0) {
		usleep(100 * 1000);
		_exit(read(fd, &v, 8) == 8 ? 0 : 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	v = 9;
	CHECK_EQ("efd-block-write", write(fd, &v, 8), 8);
	CHECK("efd-block-write-waited", ms_since(&t0) >= 90, "waited %ld ms", ms_since(&t0));
	waitpid(pid, NULL, 0);
	CHECK_EQ("efd-after-block-write", read(fd, &v, 8), 8);
	CHECK_EQ("efd-after-block-val", v, 9);
	close(fd);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	tp_init();
	test_eventfd();
	return TP_SUMMARY();
}
