/*
 * eventfds.c: eventfd, timerfd and signalfd: counter semantics
 * (EFD_SEMAPHORE, overflow, EINVAL cases, EAGAIN, blocking), timer
 * expirations, intervals and settime/gettime, signal dequeueing through
 * a signalfd, and their poll readiness and /proc/self/fd names (and a
 * pipe's).  Timing
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
	CHECK("pipe-link", !strncmp(fdlink(p[0]), "pipe:[", 6) && fdlink(p[0])[strlen(fdlink(p[0])) - 1] == ']',
	      "link %s", fdlink(p[0]));
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

static void test_timerfd(void)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } }, cur;
	struct timespec t0, now;
	uint64_t v;
	int fd;

	CHECK_ERR("tfd-badclock", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL);
	CHECK_ERR("tfd-badflags", timerfd_create(CLOCK_MONOTONIC, 0x10), EINVAL);
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	CHECK_OK("tfd-create", fd);
	CHECK("tfd-link", !strcmp(fdlink(fd), "anon_inode:[timerfd]"), "link %s", fdlink(fd));
	CHECK_EQ("tfd-cloexec", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_ERR("tfd-read-disarmed", read(fd, &v, 8), EAGAIN);
	CHECK_ERR("tfd-read-short", read(fd, &v, 4), EINVAL);
	CHECK_EQ("tfd-ready-disarmed", ready(fd), 0);
	CHECK_OK("tfd-gettime-disarmed", timerfd_gettime(fd, &cur));
	CHECK_EQ("tfd-disarmed-value", cur.it_value.tv_sec + cur.it_value.tv_nsec, 0);
	its.it_value.tv_nsec = 1000000000;
	CHECK_ERR("tfd-settime-nsec", timerfd_settime(fd, 0, &its, NULL), EINVAL);
	its.it_value.tv_nsec = 0;
	CHECK_ERR("tfd-settime-flags", timerfd_settime(fd, 4, &its, NULL), EINVAL);
	CHECK_ERR("tfd-settime-badfd", timerfd_settime(99, 0, &its, NULL), EBADF);
	CHECK_ERR("tfd-settime-notimer", timerfd_settime(0, 0, &its, NULL), EINVAL);
	CHECK_ERR("tfd-gettime-notimer", timerfd_gettime(0, &cur), EINVAL);
	/* One-shot, 50 ms: not ready before, one expiration after. */
	its.it_value.tv_nsec = 50 * 1000000;
	CHECK_OK("tfd-settime", timerfd_settime(fd, 0, &its, NULL));
	CHECK_OK("tfd-gettime", timerfd_gettime(fd, &cur));
	CHECK("tfd-gettime-left", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
	      cur.it_value.tv_nsec <= 50 * 1000000, "left %ld.%09ld", (long)cur.it_value.tv_sec,
	      cur.it_value.tv_nsec);
	CHECK_EQ("tfd-gettime-interval", cur.it_interval.tv_sec + cur.it_interval.tv_nsec, 0);
	usleep(200 * 1000);
	CHECK_EQ("tfd-ready-fired", ready(fd), POLLIN);
	CHECK_EQ("tfd-read-fired", read(fd, &v, 8), 8);
	CHECK_EQ("tfd-oneshot-count", v, 1);
	CHECK_ERR("tfd-read-again", read(fd, &v, 8), EAGAIN);
	CHECK_OK("tfd-gettime-done", timerfd_gettime(fd, &cur));
	CHECK_EQ("tfd-done-value", cur.it_value.tv_sec + cur.it_value.tv_nsec, 0);
	/* Periodic, 20 ms: several expirations after 200 ms. */
	its.it_value.tv_nsec = 20 * 1000000;
	its.it_interval.tv_nsec = 20 * 1000000;
	CHECK_OK("tfd-periodic", timerfd_settime(fd, 0, &its, NULL));
	usleep(200 * 1000);
	CHECK_EQ("tfd-periodic-read", read(fd, &v, 8), 8);
	CHECK("tfd-periodic-count", v >= 2, "count %llu", (unsigned long long)v);
	CHECK_OK("tfd-periodic-gettime", timerfd_gettime(fd, &cur));
	CHECK_EQ("tfd-periodic-interval", cur.it_interval.tv_nsec, 20 * 1000000);
	/* Disarm: old value returned, no more expirations. */
	memset(&its, 0, sizeof(its));
	CHECK_OK("tfd-disarm", timerfd_settime(fd, 0, &its, &cur));
	CHECK_EQ("tfd-disarm-old-interval", cur.it_interval.tv_nsec, 20 * 1000000);
	usleep(60 * 1000);
	CHECK_ERR("tfd-disarmed-read", read(fd, &v, 8), EAGAIN);
	close(fd);
	/* Blocking read; absolute CLOCK_REALTIME deadline 100 ms ahead. */
	fd = timerfd_create(CLOCK_REALTIME, 0);
	clock_gettime(CLOCK_REALTIME, &now);
	its.it_value.tv_sec = now.tv_sec + (now.tv_nsec + 100000000) / 1000000000;
	its.it_value.tv_nsec = (now.tv_nsec + 100000000) % 1000000000;
	CHECK_OK("tfd-abs", timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its,
					    NULL));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ("tfd-abs-block", read(fd, &v, 8), 8);
	CHECK_EQ("tfd-abs-count", v, 1);
	CHECK("tfd-abs-waited", ms_since(&t0) >= 80, "waited %ld ms", ms_since(&t0));
	/* An absolute deadline in the past expires at once. */
	its.it_value.tv_sec = 1;
	CHECK_OK("tfd-past", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	CHECK_EQ("tfd-past-read", read(fd, &v, 8), 8);
	close(fd);
	fd = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK);
	CHECK_OK("tfd-boottime", fd);
	close(fd);
}

static void test_signalfd(void)
{
	struct signalfd_siginfo si[3];
	sigset_t mask, old, two;
	struct timespec t0;
	pid_t pid;
	int fd, r;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGUSR2);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &old);
	CHECK_ERR("sfd-badflags", signalfd(-1, &mask, 0x10), EINVAL);
	CHECK_ERR("sfd-badsize", syscall(SYS_signalfd4, -1, &mask, 4, 0), EINVAL);
	CHECK_ERR("sfd-efault", syscall(SYS_signalfd4, -1, 8ul, 8, 0), EFAULT);
	CHECK_ERR("sfd-badfd", signalfd(99, &mask, 0), EBADF);
	CHECK_ERR("sfd-notsfd", signalfd(0, &mask, 0), EINVAL);
	sigaddset(&mask, SIGKILL);
	sigaddset(&mask, SIGSTOP);
	fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	CHECK_OK("sfd-create", fd);
	CHECK("sfd-link", !strcmp(fdlink(fd), "anon_inode:[signalfd]"), "link %s", fdlink(fd));
	CHECK_EQ("sfd-cloexec", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_ERR("sfd-empty", read(fd, si, sizeof(si)), EAGAIN);
	CHECK_ERR("sfd-short", read(fd, si, 127), EINVAL);
	CHECK_EQ("sfd-ready-idle", ready(fd), 0);
	kill(getpid(), SIGUSR2);
	raise(SIGUSR1);
	CHECK_EQ("sfd-ready", ready(fd), POLLIN);
	r = (int)read(fd, si, sizeof(si));
	CHECK_EQ("sfd-read-two", r, 256);
	CHECK_EQ("sfd-first-signo", si[0].ssi_signo, SIGUSR1);
	CHECK_EQ("sfd-first-code", si[0].ssi_code, SI_TKILL);
	CHECK_EQ("sfd-first-pid", si[0].ssi_pid, getpid());
	CHECK_EQ("sfd-first-uid", si[0].ssi_uid, getuid());
	CHECK_EQ("sfd-second-signo", si[1].ssi_signo, SIGUSR2);
	CHECK_EQ("sfd-second-code", si[1].ssi_code, SI_USER);
	CHECK_EQ("sfd-ready-after", ready(fd), 0);
	sigpending(&two);
	CHECK_EQ("sfd-consumed", sigismember(&two, SIGUSR1) + sigismember(&two, SIGUSR2), 0);
	/* A new mask through the same fd. */
	sigemptyset(&two);
	sigaddset(&two, SIGUSR2);
	CHECK_EQ("sfd-update", signalfd(fd, &two, 0), fd);
	raise(SIGUSR1);
	CHECK_ERR("sfd-masked-out", read(fd, si, sizeof(si)), EAGAIN);
	sigpending(&two);
	CHECK_EQ("sfd-still-pending", sigismember(&two, SIGUSR1), 1);
	CHECK_EQ("sfd-restore", signalfd(fd, &mask, 0), fd);
	CHECK_EQ("sfd-read-one", read(fd, si, sizeof(si)), 128);
	CHECK_EQ("sfd-one-signo", si[0].ssi_signo, SIGUSR1);
	close(fd);
	/* Blocking read: SIGCHLD from a child exiting later, with its status. */
	fd = signalfd(-1, &mask, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		usleep(100 * 1000);
		_exit(7);
	}
	r = (int)read(fd, si, sizeof(si));
	CHECK_EQ("sfd-chld-read", r, 128);
	CHECK_EQ("sfd-chld-signo", si[0].ssi_signo, SIGCHLD);
	CHECK_EQ("sfd-chld-code", si[0].ssi_code, CLD_EXITED);
	CHECK_EQ("sfd-chld-pid", si[0].ssi_pid, pid);
	CHECK_EQ("sfd-chld-status", si[0].ssi_status, 7);
	CHECK("sfd-chld-waited", ms_since(&t0) >= 90, "waited %ld ms", ms_since(&t0));
	waitpid(pid, NULL, 0);
	close(fd);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int main(void)
{
	tp_init();
	test_eventfd();
	test_timerfd();
	test_signalfd();
	return TP_SUMMARY();
}
