/*
 * epoll.c: epoll_create/create1, epoll_ctl errors (EBADF, EPERM, EINVAL,
 * EEXIST, ENOENT, ELOOP, EPOLLEXCLUSIVE misuse), level-triggered,
 * edge-triggered and one-shot reporting on pipes and eventfds, HUP/ERR
 * always reported, maxevents and timeouts, nested epoll instances,
 * epoll_pwait/epoll_pwait2 signal masks, registrations dropped with the
 * last reference to the file, waiters woken by another process through
 * an eventfd and a signalfd.
 * Results are checked after the calls, with nothing printed in between
 * (no readiness change may slip into an edge-triggered sequence).
 */
#define _GNU_SOURCE
#include "tprog.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int mod(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* Ready events of one epoll_wait(ep, timeout 0) folded into one number: sum of data * events. */
static long wait0(int ep)
{
	struct epoll_event evs[8];
	long sum = 0;
	int n = epoll_wait(ep, evs, 8, 0);

	if (n < 0)
		return -1000 - errno;
	for (int i = 0; i < n; i++)
		sum += (long)evs[i].data.u64 * evs[i].events;
	return sum;
}

static void test_ctl(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep, ep2, p[2], fd, dirfd;

	CHECK_ERR("create-zero", epoll_create(0), EINVAL);
	CHECK_ERR("create1-flags", epoll_create1(1), EINVAL);
	ep = epoll_create(1);
	CHECK_OK("create", ep);
	ep2 = epoll_create1(EPOLL_CLOEXEC);
	CHECK_EQ("create1-cloexec", fcntl(ep2, F_GETFD), FD_CLOEXEC);
	CHECK_OK("pipe", pipe(p));
	fd = open("f", O_CREAT | O_RDWR, 0644);
	dirfd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERR("ctl-badepfd", epoll_ctl(99, EPOLL_CTL_ADD, p[0], &ev), EBADF);
	CHECK_ERR("ctl-badfd", epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev), EBADF);
	CHECK_ERR("ctl-regular", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EPERM);
	CHECK_ERR("ctl-dir", epoll_ctl(ep, EPOLL_CTL_ADD, dirfd, &ev), EPERM);
	CHECK_ERR("ctl-self", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
	CHECK_ERR("ctl-notepoll", epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &ev), EINVAL);
	CHECK_ERR("ctl-badop", epoll_ctl(ep, 7, p[0], &ev), EINVAL);
	CHECK_ERR("ctl-efault", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], (void *)8), EFAULT);
	CHECK_ERR("ctl-del-missing", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);
	CHECK_ERR("ctl-mod-missing", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), ENOENT);
	CHECK_OK("ctl-add", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	CHECK_ERR("ctl-add-again", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
	CHECK_OK("ctl-mod", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	CHECK_OK("ctl-del", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	CHECK_ERR("ctl-del-again", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	CHECK_ERR("excl-mod", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL);
	CHECK_ERR("excl-epoll", epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev), EINVAL);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
	CHECK_ERR("excl-oneshot", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EINVAL);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	CHECK_OK("excl-add", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	ev.events = EPOLLIN;
	CHECK_ERR("excl-mod-item", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL);
	CHECK_OK("excl-del", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	/* Nesting: a cycle is ELOOP. */
	CHECK_OK("nest-add", add(ep, ep2, EPOLLIN, 1));
	CHECK_ERR("nest-loop", add(ep2, ep, EPOLLIN, 1), ELOOP);
	{
		struct epoll_event evs[1];

		CHECK_ERR("wait-maxevents0", epoll_wait(ep, evs, 0, 0), EINVAL);
		CHECK_ERR("wait-maxevents-neg", syscall(SYS_epoll_wait, ep, evs, -1, 0), EINVAL);
		CHECK_ERR("wait-badfd", epoll_wait(99, evs, 1, 0), EBADF);
		CHECK_ERR("wait-notepoll", epoll_wait(p[0], evs, 1, 0), EINVAL);
	}
	CHECK_ERR("read-epoll", read(ep, &ev, sizeof(ev)), EINVAL);
	close(ep);
	close(ep2);
	close(p[0]);
	close(p[1]);
	close(fd);
	close(dirfd);
}

static void test_modes(void)
{
	int ep = epoll_create1(0), p[2], efd = eventfd(0, EFD_NONBLOCK);
	long r[16];
	uint64_t v = 1;
	char buf[8];
	struct timespec t0;

	CHECK_OK("modes-pipe", pipe(p));
	/* Level-triggered: reported while readable. */
	CHECK_OK("lt-add", add(ep, p[0], EPOLLIN, 1));
	CHECK_OK("lt-add-w", add(ep, p[1], EPOLLOUT, 100));
	r[0] = wait0(ep);
	r[1] = write(p[1], "ab", 2);
	r[2] = wait0(ep);
	r[3] = wait0(ep);
	r[4] = read(p[0], buf, 1);
	r[5] = wait0(ep);
	r[6] = read(p[0], buf, 1);
	r[7] = wait0(ep);
	CHECK_EQ("lt-empty", r[0], 100 * EPOLLOUT);
	CHECK_EQ("lt-write", r[1], 2);
	CHECK_EQ("lt-ready", r[2], 100 * EPOLLOUT + EPOLLIN);
	CHECK_EQ("lt-ready-again", r[3], 100 * EPOLLOUT + EPOLLIN);
	CHECK_EQ("lt-partial", r[5], 100 * EPOLLOUT + EPOLLIN);
	CHECK_EQ("lt-drained", r[7], 100 * EPOLLOUT);
	CHECK_OK("lt-del-w", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
	/* Edge-triggered: once per change. */
	CHECK_OK("et-mod", mod(ep, p[0], EPOLLIN | EPOLLET, 2));
	CHECK_OK("et-add-efd", add(ep, efd, EPOLLIN | EPOLLET, 3));
	r[0] = wait0(ep);
	r[1] = write(p[1], "x", 1);
	r[2] = wait0(ep);
	r[3] = wait0(ep);
	r[4] = read(p[0], buf, 8);
	r[5] = wait0(ep);
	r[6] = write(efd, &v, 8);
	r[7] = wait0(ep);
	r[8] = wait0(ep);
	r[9] = write(p[1], "y", 1);
	r[10] = wait0(ep);
	r[11] = read(efd, &v, 8);
	r[12] = read(p[0], buf, 8);
	CHECK_EQ("et-none", r[0], 0);
	CHECK_EQ("et-first", r[2], 2 * EPOLLIN);
	CHECK_EQ("et-no-repeat", r[3], 0);
	CHECK_EQ("et-drained", r[5], 0);
	CHECK_EQ("et-efd", r[7], 3 * EPOLLIN);
	CHECK_EQ("et-efd-no-repeat", r[8], 0);
	CHECK("et-pipe-again", r[10] == 2 * EPOLLIN || r[10] == 2 * EPOLLIN + 3 * EPOLLIN,
	      "got %ld", r[10]);
	CHECK_OK("et-del-efd", epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL));
	/* One-shot: one report, then silent until MOD. */
	CHECK_OK("os-mod", mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 4));
	r[0] = write(p[1], "z", 1);
	r[1] = wait0(ep);
	r[2] = wait0(ep);
	r[3] = mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 5);
	r[4] = wait0(ep);
	r[5] = wait0(ep);
	CHECK_EQ("os-first", r[1], 4 * EPOLLIN);
	CHECK_EQ("os-silent", r[2], 0);
	CHECK_EQ("os-rearm", r[3], 0);
	CHECK_EQ("os-rearmed", r[4], 5 * EPOLLIN);
	CHECK_EQ("os-silent2", r[5], 0);
	r[0] = read(p[0], buf, 8);
	/* HUP is reported without being asked for. */
	CHECK_OK("hup-mod", mod(ep, p[0], 0, 6));
	r[0] = wait0(ep);
	close(p[1]);
	r[1] = wait0(ep);
	CHECK_EQ("hup-none", r[0], 0);
	CHECK_EQ("hup", r[1], 6 * EPOLLHUP);
	CHECK_OK("rdhup-mod", mod(ep, p[0], EPOLLIN | EPOLLRDHUP, 7));
	CHECK_EQ("hup-rdhup", wait0(ep), 7 * EPOLLHUP);
	close(p[0]);
	CHECK_OK("err-pipe", pipe(p));
	CHECK_OK("err-add", add(ep, p[1], EPOLLOUT, 8));
	close(p[0]);
	CHECK_EQ("err", wait0(ep), 8 * (EPOLLOUT | EPOLLERR));
	close(p[1]);
	/* Timeouts. */
	CHECK_OK("to-pipe", pipe(p));
	CHECK_OK("to-add", add(ep, p[0], EPOLLIN, 9));
	{
		struct epoll_event evs[2];
		struct timespec ts = { 0, 60 * 1000000 };

		clock_gettime(CLOCK_MONOTONIC, &t0);
		CHECK_EQ("to-wait", epoll_wait(ep, evs, 2, 60), 0);
		CHECK("to-waited", ms_since(&t0) >= 50, "waited %ld ms", ms_since(&t0));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		CHECK_EQ("to-pwait2", epoll_pwait2(ep, evs, 2, &ts, NULL), 0);
		CHECK("to-pwait2-waited", ms_since(&t0) >= 50, "waited %ld ms", ms_since(&t0));
		ts.tv_nsec = 2000000000;
		CHECK_ERR("to-pwait2-einval", epoll_pwait2(ep, evs, 2, &ts, NULL), EINVAL);
	}
	close(p[0]);
	close(p[1]);
	close(efd);
	close(ep);
}

static void test_maxevents(void)
{
	int ep = epoll_create1(0), efd[3];
	struct epoll_event ev[3];
	int seen = 0;

	for (int i = 0; i < 3; i++) {
		efd[i] = eventfd(1, 0);
		add(ep, efd[i], EPOLLIN, 1u << i);
	}
	/* maxevents 1: three calls see all three (no starvation). */
	for (int i = 0; i < 3; i++) {
		if (epoll_wait(ep, ev, 1, 0) == 1)
			seen |= (int)ev[0].data.u64;
	}
	CHECK_EQ("max1-rotates", seen, 7);
	CHECK_EQ("max-all", epoll_wait(ep, ev, 3, 0), 3);
	CHECK_ERR("wait-efault", syscall(SYS_epoll_wait, ep, 8ul, 1, 0), EFAULT);
	for (int i = 0; i < 3; i++)
		close(efd[i]);
	close(ep);
}

static void test_nested_close(void)
{
	int ep = epoll_create1(0), inner = epoll_create1(0), efd = eventfd(0, 0), dup_fd;
	struct epoll_event ev[2];
	struct pollfd pfd;
	uint64_t v = 1;
	int p[2];

	CHECK_OK("nested-add-efd", add(inner, efd, EPOLLIN, 11));
	CHECK_OK("nested-add-inner", add(ep, inner, EPOLLIN, 12));
	CHECK_EQ("nested-idle", wait0(ep), 0);
	pfd = (struct pollfd){ .fd = inner, .events = POLLIN };
	CHECK_EQ("nested-poll-idle", poll(&pfd, 1, 0), 0);
	CHECK_EQ("nested-write", write(efd, &v, 8), 8);
	CHECK_EQ("nested-poll", poll(&pfd, 1, 0), 1);
	CHECK_EQ("nested-poll-revents", pfd.revents, POLLIN);
	CHECK_EQ("nested-outer", wait0(ep), 12 * EPOLLIN);
	CHECK_EQ("nested-inner", wait0(inner), 11 * EPOLLIN);
	/* A dup keeps the registration; closing the last descriptor drops it. */
	dup_fd = dup(efd);
	close(efd);
	CHECK_EQ("close-dup-still", wait0(inner), 11 * EPOLLIN);
	close(dup_fd);
	CHECK_EQ("close-gone", wait0(inner), 0);
	CHECK_EQ("close-gone-outer", wait0(ep), 0);
	efd = eventfd(1, 0);
	CHECK_ERR("close-del-new", epoll_ctl(inner, EPOLL_CTL_DEL, efd, NULL), ENOENT);
	close(efd);
	/* Closing the read end of a watched pipe reaches its writer: no hidden reference. */
	CHECK_OK("ref-pipe", pipe(p));
	CHECK_OK("ref-add", add(inner, p[0], EPOLLIN, 13));
	close(p[0]);
	CHECK_ERR("ref-epipe", (signal(SIGPIPE, SIG_IGN), write(p[1], "x", 1)), EPIPE);
	close(p[1]);
	close(inner);
	CHECK_EQ("inner-closed", epoll_wait(ep, ev, 2, 0), 0);
	close(ep);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void test_block_and_signals(void)
{
	int ep = epoll_create1(0), efd = eventfd(0, 0);
	struct epoll_event ev[2];
	struct timespec t0;
	sigset_t mask, old;
	pid_t pid;
	uint64_t v;
	int r;

	add(ep, efd, EPOLLIN, 21);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		usleep(100 * 1000);
		v = 1;
		_exit(write(efd, &v, 8) == 8 ? 0 : 1);
	}
	r = epoll_wait(ep, ev, 2, -1);
	CHECK_EQ("block-woken", r, 1);
	CHECK_EQ("block-data", ev[0].data.u64, 21);
	CHECK("block-waited", ms_since(&t0) >= 90, "waited %ld ms", ms_since(&t0));
	waitpid(pid, NULL, 0);
	r = (int)read(efd, &v, 8);
	/* A handled signal interrupts the wait with EINTR. */
	signal(SIGUSR1, on_usr1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, &old);
	pid = fork();
	if (pid == 0) {
		usleep(100 * 1000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	/* Blocked: the signal stays pending and the wait times out. */
	CHECK_EQ("pwait-blocked", epoll_pwait(ep, ev, 2, 400, &mask), 0);
	waitpid(pid, NULL, 0);
	sigemptyset(&mask);
	/* Unblocked by pwait's mask: the pending signal interrupts it at once. */
	CHECK_ERR("pwait-unblocked", epoll_pwait(ep, ev, 2, 5000, &mask), EINTR);
	sigpending(&mask);
	CHECK_EQ("pwait-delivered", sigismember(&mask, SIGUSR1), 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_ERR("pwait-sigsetsize", syscall(SYS_epoll_pwait, ep, ev, 2, 0, &mask, 4), EINVAL);
	/* A signalfd in the set: a signal sent by another process wakes the wait. */
	{
		int sfd;

		sigemptyset(&mask);
		sigaddset(&mask, SIGUSR2);
		sigprocmask(SIG_BLOCK, &mask, &old);
		sfd = signalfd(-1, &mask, SFD_NONBLOCK);
		add(ep, sfd, EPOLLIN, 22);
		pid = fork();
		if (pid == 0) {
			usleep(100 * 1000);
			kill(getppid(), SIGUSR2);
			_exit(0);
		}
		r = epoll_wait(ep, ev, 2, 5000);
		CHECK_EQ("sfd-epoll-woken", r, 1);
		CHECK_EQ("sfd-epoll-data", ev[0].data.u64, 22);
		waitpid(pid, NULL, 0);
		{
			struct signalfd_siginfo si;

			CHECK_EQ("sfd-epoll-read", read(sfd, &si, sizeof(si)), sizeof(si));
			CHECK_EQ("sfd-epoll-signo", si.ssi_signo, SIGUSR2);
		}
		CHECK_EQ("sfd-epoll-idle", epoll_wait(ep, ev, 2, 0), 0);
		close(sfd);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	close(efd);
	close(ep);
}

int main(void)
{
	char dir[256];

	tp_init();
	tp_scratch(dir, sizeof(dir));
	test_ctl();
	test_modes();
	test_maxevents();
	test_nested_close();
	test_block_and_signals();
	tp_rmtree(dir);
	return TP_SUMMARY();
}
