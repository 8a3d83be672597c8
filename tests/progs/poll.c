/*
 * poll.c: readiness and blocking I/O: poll, ppoll, select, pselect6 on
 * pipes and regular files (revents bits, timeouts, EBADF/EINVAL/EFAULT,
 * POLLNVAL, POLLHUP), a blocked pipe reader woken by a writer process,
 * PIPE_BUF atomicity and EPIPE with SIGPIPE ignored, FIFOs (open
 * semantics, data through them), F_GETPIPE_SZ, FIONREAD, FIONBIO,
 * FIOCLEX, flock and F_GETLK, sendfile.  Output is identical on the host
 * Linux and on the target.
 */
#define _GNU_SOURCE
#include "tprog.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void test_poll(void)
{
	int p[2], fd;
	struct pollfd pf[3];
	struct timespec t0, ts = { 0, 50 * 1000000 };
	sigset_t mask;

	CHECK_OK("pipe", pipe(p));
	pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	CHECK_EQ("poll-empty", poll(pf, 2, 0), 1);
	CHECK_EQ("poll-empty-rd-revents", pf[0].revents, 0);
	CHECK_EQ("poll-wr-revents", pf[1].revents, POLLOUT);
	CHECK_EQ("write1", write(p[1], "x", 1), 1);
	CHECK_EQ("poll-data", poll(pf, 1, 0), 1);
	CHECK_EQ("poll-data-revents", pf[0].revents, POLLIN);
	pf[0].events = POLLIN | POLLRDNORM;
	CHECK_EQ("poll-rdnorm", poll(pf, 1, 0), 1);
	CHECK_EQ("poll-rdnorm-revents", pf[0].revents, POLLIN | POLLRDNORM);
	close(p[1]);
	pf[0].events = POLLIN;
	CHECK_EQ("poll-hup", poll(pf, 1, 0), 1);
	CHECK_EQ("poll-hup-revents", pf[0].revents, POLLIN | POLLHUP);
	close(p[0]);
	CHECK_OK("pipe-2", pipe(p));
	close(p[0]);
	pf[0] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	CHECK_EQ("poll-err", poll(pf, 1, 0), 1);
	CHECK_EQ("poll-err-revents", pf[0].revents, POLLOUT | POLLERR);
	close(p[1]);
	pf[0] = (struct pollfd){ .fd = 999, .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = -1, .events = POLLIN };
	CHECK_EQ("poll-nval", poll(pf, 2, 0), 1);
	CHECK_EQ("poll-nval-revents", pf[0].revents, POLLNVAL);
	CHECK_EQ("poll-negfd-revents", pf[1].revents, 0);
	fd = open("f", O_CREAT | O_RDWR, 0644);
	pf[0] = (struct pollfd){ .fd = fd, .events = POLLIN | POLLOUT };
	CHECK_EQ("poll-regular", poll(pf, 1, 0), 1);
	CHECK_EQ("poll-regular-revents", pf[0].revents, POLLIN | POLLOUT);
	close(fd);
	CHECK_ERR("poll-efault", syscall(SYS_poll, 8ul, 1, 0), EFAULT);
	CHECK_ERR("poll-einval", syscall(SYS_poll, pf, 1ul << 30, 0), EINVAL);
	CHECK_OK("pipe-3", pipe(p));
	pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ("poll-timeout", poll(pf, 1, 60), 0);
	CHECK("poll-timeout-waited", ms_since(&t0) >= 50, "waited %ld ms", ms_since(&t0));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sigemptyset(&mask);
	CHECK_EQ("ppoll-timeout", ppoll(pf, 1, &ts, &mask), 0);
	CHECK("ppoll-timeout-waited", ms_since(&t0) >= 40, "waited %ld ms", ms_since(&t0));
	ts.tv_nsec = 1000000000;
	CHECK_ERR("ppoll-einval", ppoll(pf, 1, &ts, NULL), EINVAL);
	close(p[0]);
	close(p[1]);
}

static void test_select(void)
{
	int p[2];
	fd_set r, w;
	struct timeval tv = { 0, 0 };
	struct timespec ts = { 0, 30 * 1000000 };

	CHECK_OK("pipe", pipe(p));
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	CHECK_EQ("select-wr", select(p[1] + 1, &r, &w, NULL, &tv), 1);
	CHECK("select-wr-sets", !FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w), "sets");
	CHECK_EQ("write", write(p[1], "ab", 2), 2);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK_EQ("select-rd", select(p[0] + 1, &r, NULL, NULL, &tv), 1);
	CHECK("select-rd-set", FD_ISSET(p[0], &r), "set");
	FD_ZERO(&r);
	FD_SET(20, &r);
	CHECK_ERR("select-ebadf", select(21, &r, NULL, NULL, &tv), EBADF);
	CHECK_ERR("select-einval", select(-1, NULL, NULL, NULL, &tv), EINVAL);
	tv.tv_sec = -1;
	CHECK_ERR("select-einval-tv", select(0, NULL, NULL, NULL, &tv), EINVAL);
	tv = (struct timeval){ 0, 40000 };
	CHECK_EQ("select-sleep", select(0, NULL, NULL, NULL, &tv), 0);
	CHECK("select-tv-updated", tv.tv_sec == 0 && tv.tv_usec == 0, "%ld.%06ld",
	      (long)tv.tv_sec, (long)tv.tv_usec);
	close(p[1]);
	char buf[4];
	CHECK_EQ("read", read(p[0], buf, 4), 2);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK_EQ("pselect-eof", pselect(p[0] + 1, &r, NULL, NULL, &ts, NULL), 1);
	close(p[0]);
}

static void test_blocking(void)
{
	int p[2], st;
	char buf[8192];
	pid_t pid;
	struct pollfd pf;

	CHECK_OK("pipe", pipe(p));
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		write(p[1], "late", 4);
		_exit(0);
	}
	CHECK_EQ("read-blocks-then-data", read(p[0], buf, sizeof(buf)), 4);
	waitpid(pid, &st, 0);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		write(p[1], "poll", 4);
		_exit(0);
	}
	pf = (struct pollfd){ .fd = p[0], .events = POLLIN };
	CHECK_EQ("poll-wakes", poll(&pf, 1, 5000), 1);
	CHECK_EQ("poll-wakes-revents", pf.revents, POLLIN);
	waitpid(pid, &st, 0);
	CHECK_EQ("read-after-poll", read(p[0], buf, sizeof(buf)), 4);
	/* Fill the pipe: a nonblocking writer stops at 64 KiB. */
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	memset(buf, 'z', sizeof(buf));
	long total = 0, n;
	while ((n = write(p[1], buf, sizeof(buf))) > 0)
		total += n;
	CHECK_EQ("pipe-capacity", total, 65536);
	CHECK("pipe-full-eagain", n == -1 && errno == EAGAIN, "n %ld errno %d", n, errno);
	CHECK_EQ("getpipe-sz", fcntl(p[1], F_GETPIPE_SZ), 65536);
	int avail = 0;
	CHECK_OK("fionread", ioctl(p[0], FIONREAD, &avail));
	CHECK_EQ("fionread-value", avail, 65536);
	/* A blocked writer completes when the reader drains. */
	fcntl(p[1], F_SETFL, 0);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		usleep(50000);
		while (read(p[0], buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	CHECK_EQ("write-blocks-then-done", write(p[1], buf, 100), 100);
	close(p[1]);
	close(p[0]);
	waitpid(pid, &st, 0);
	signal(SIGPIPE, SIG_IGN);
	CHECK_OK("pipe-2", pipe(p));
	close(p[0]);
	CHECK_ERR("epipe", write(p[1], "x", 1), EPIPE);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
}

static void test_fifo_misc(void)
{
	int r, w, fd, on = 1;
	char buf[16];
	struct stat st;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	CHECK_OK("mkfifo", mkfifo("ff", 0600));
	CHECK_OK("stat-fifo", stat("ff", &st));
	CHECK("stat-fifo-type", S_ISFIFO(st.st_mode), "mode %o", st.st_mode);
	CHECK_ERR("fifo-wr-nonblock-enxio", open("ff", O_WRONLY | O_NONBLOCK), ENXIO);
	r = open("ff", O_RDONLY | O_NONBLOCK);
	CHECK("fifo-rd-nonblock", r >= 0, "errno %d", errno);
	w = open("ff", O_WRONLY);
	CHECK("fifo-wr", w >= 0, "errno %d", errno);
	CHECK_EQ("fifo-write", write(w, "fifo", 4), 4);
	CHECK_EQ("fifo-read", read(r, buf, sizeof(buf)), 4);
	CHECK_ERR("fifo-empty-eagain", read(r, buf, sizeof(buf)), EAGAIN);
	close(w);
	CHECK_EQ("fifo-eof", read(r, buf, sizeof(buf)), 0);
	close(r);
	fd = open("ff", O_RDWR);
	CHECK_EQ("fifo-rdwr", write(fd, "rw", 2), 2);
	CHECK_EQ("fifo-rdwr-read", read(fd, buf, 2), 2);
	CHECK_ERR("fifo-lseek", lseek(fd, 0, SEEK_SET), ESPIPE);
	CHECK_ERR("fifo-getpipe-sz-reg", fcntl(open("ff2", O_CREAT | O_RDWR, 0600), F_GETPIPE_SZ),
		  EBADF);
	close(fd);
	fd = open("reg", O_CREAT | O_RDWR, 0644);
	CHECK_EQ("write-reg", write(fd, "hello world", 11), 11);
	lseek(fd, 6, SEEK_SET);
	int avail = -1;
	CHECK_OK("fionread-reg", ioctl(fd, FIONREAD, &avail));
	CHECK_EQ("fionread-reg-value", avail, 5);
	CHECK_OK("fionbio", ioctl(fd, FIONBIO, &on));
	CHECK("fionbio-flag", fcntl(fd, F_GETFL) & O_NONBLOCK, "flags %x", fcntl(fd, F_GETFL));
	CHECK_OK("fioclex", ioctl(fd, FIOCLEX));
	CHECK_EQ("fioclex-flag", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_OK("flock-ex", flock(fd, LOCK_EX));
	CHECK_OK("flock-un", flock(fd, LOCK_UN));
	CHECK_ERR("flock-einval", flock(fd, 0), EINVAL);
	CHECK_ERR("flock-ebadf", flock(999, LOCK_SH), EBADF);
	CHECK_OK("getlk", fcntl(fd, F_GETLK, &fl));
	CHECK_EQ("getlk-unlck", fl.l_type, F_UNLCK);
	fl.l_type = F_WRLCK;
	CHECK_OK("setlk", fcntl(fd, F_SETLK, &fl));
	fl.l_type = 7;
	CHECK_ERR("setlk-einval", fcntl(fd, F_SETLK, &fl), EINVAL);
	int out = open("copy", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	off_t off = 6;
	CHECK_EQ("sendfile", sendfile(out, fd, &off, 100), 5);
	CHECK_EQ("sendfile-off", off, 11);
	CHECK_ERR("sendfile-ebadf", sendfile(out, 999, NULL, 1), EBADF);
	close(out);
	CHECK_OK("stat-copy", stat("copy", &st));
	CHECK_EQ("sendfile-size", st.st_size, 5);
	close(fd);
}

int main(void)
{
	char dir[256];

	tp_init();
	umask(022);
	tp_scratch(dir, sizeof(dir));
	test_poll();
	test_select();
	test_blocking();
	test_fifo_misc();
	if (chdir("/") == 0)
		tp_rmtree(dir);
	return TP_SUMMARY();
}
