/*
 * pty: pseudo-terminals through glibc, compared with host Linux.
 * posix_openpt/grantpt/unlockpt/ptsname and openpty; a locked slave
 * fails with EIO; the slave is 136:N of /dev/pts/N; canonical input and
 * echo through the master; OPOST on the slave's output; raw mode without
 * echo; VMIN=0/VTIME timeouts; window size set on the master seen on the
 * slave; IUTF8 erase of a multibyte character; IXON stop/start of a
 * writer; IXOFF (a full queue stops the master's writer, no STOP/START
 * on a pty; tcflow TCIOFF/TCION send VSTOP/VSTART); packet mode;
 * termios2 speeds; ISIG: ^C typed into the master signals the foreground
 * group of the session whose ctty the slave is;
 * TIOCGPTPEER; hangups both ways (master reads EIO once the slave is
 * closed, slave reads EOF once the master is).
 */
#include "tprog.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>

/* Linux's struct termios2 (asm/termbits.h clashes with glibc's termios.h). */
struct ktermios2 {
	unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line, c_cc[19];
	unsigned int c_ispeed, c_ospeed;
};
#define KTCGETS2	0x802C542A

/* Read what the master has within ms milliseconds (several reads) into buf; bytes. */
static int drain(int fd, char *buf, int len, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int got = 0;

	while (got < len && poll(&p, 1, ms) == 1 && (p.revents & POLLIN)) {
		int n = read(fd, buf + got, len - got);

		if (n <= 0)
			break;
		got += n;
		ms = 50;
	}
	return got;
}

/* Open a new pty pair the glibc way; 0 or -1. */
static int open_pair(int *m, int *s)
{
	*m = posix_openpt(O_RDWR | O_NOCTTY);
	if (*m < 0 || grantpt(*m) || unlockpt(*m))
		return -1;
	*s = open(ptsname(*m), O_RDWR | O_NOCTTY);
	return *s < 0 ? -1 : 0;
}

static void test_names(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), s, n = -1;
	struct stat st;
	char *name;

	CHECK("posix_openpt", m >= 0, "errno %d", errno);
	CHECK("grantpt", grantpt(m) == 0, "errno %d", errno);
	name = ptsname(m);
	CHECK("ptsname", name && !strncmp(name, "/dev/pts/", 9), "%s", name ? name : "NULL");
	CHECK_ERR("locked slave EIO", open(name, O_RDWR | O_NOCTTY), EIO);
	CHECK("unlockpt", unlockpt(m) == 0, "errno %d", errno);
	CHECK_OK("TIOCGPTN", ioctl(m, TIOCGPTN, &n));
	CHECK("slave stat", stat(name, &st) == 0 && S_ISCHR(st.st_mode) &&
	      major(st.st_rdev) == 136 && (int)minor(st.st_rdev) == n,
	      "mode %o rdev %d:%d n %d", st.st_mode, major(st.st_rdev), minor(st.st_rdev), n);
	CHECK("ptmx stat", stat("/dev/ptmx", &st) == 0 && S_ISCHR(st.st_mode) &&
	      major(st.st_rdev) == 5 && minor(st.st_rdev) == 2, "rdev %d:%d",
	      major(st.st_rdev), minor(st.st_rdev));
	s = open(name, O_RDWR | O_NOCTTY);
	CHECK("slave open", s >= 0, "errno %d", errno);
	CHECK("isatty both", isatty(m) && isatty(s), "no");
	CHECK("ttyname", ttyname(s) && !strcmp(ttyname(s), name), "%s", ttyname(s));
	close(s);
	close(m);
}

static void test_canon(void)
{
	char buf[256];
	int m, s, n;

	if (open_pair(&m, &s)) {
		CHECK("pair", 0, "errno %d", errno);
		return;
	}
	write(m, "hello\r", 6);
	n = read(s, buf, sizeof(buf));
	CHECK("canon read", n == 6 && !memcmp(buf, "hello\n", 6), "n %d", n);
	n = drain(m, buf, sizeof(buf), 200);
	CHECK("echo", n == 7 && !memcmp(buf, "hello\r\n", 7), "n %d", n);
	write(m, "ab\x7f" "c\x15xy\n", 8);
	n = read(s, buf, sizeof(buf));
	CHECK("erase kill", n == 3 && !memcmp(buf, "xy\n", 3), "n %d %.*s", n, n, buf);
	drain(m, buf, sizeof(buf), 200);
	write(s, "a\nb", 3);
	n = drain(m, buf, sizeof(buf), 200);
	CHECK("onlcr", n == 4 && !memcmp(buf, "a\r\nb", 4), "n %d", n);
	write(m, "x\x04", 2);
	n = read(s, buf, sizeof(buf));
	CHECK("veof ends line", n == 1 && buf[0] == 'x', "n %d", n);
	write(m, "\x04", 1);
	n = read(s, buf, sizeof(buf));
	CHECK("veof at start = eof", n == 0, "n %d", n);
	close(s);
	close(m);
}

static void test_raw(void)
{
	struct termios t;
	struct winsize ws = { .ws_row = 33, .ws_col = 111 }, got = { 0 };
	struct pollfd p;
	char buf[256];
	int m, s, n, avail = -1;

	if (open_pair(&m, &s))
		return;
	tcgetattr(s, &t);
	cfmakeraw(&t);
	CHECK_OK("cfmakeraw", tcsetattr(s, TCSANOW, &t));
	write(m, "x\ry\x03", 4);
	usleep(50000);
	CHECK("FIONREAD", ioctl(s, FIONREAD, &avail) == 0 && avail == 4, "%d", avail);
	n = read(s, buf, sizeof(buf));
	CHECK("raw read", n == 4 && !memcmp(buf, "x\ry\x03", 4), "n %d", n);
	p = (struct pollfd){ .fd = m, .events = POLLIN };
	CHECK("no echo", poll(&p, 1, 100) == 0, "revents %x", p.revents);
	write(s, "a\nb", 3);
	n = drain(m, buf, sizeof(buf), 200);
	CHECK("raw output", n == 3 && !memcmp(buf, "a\nb", 3), "n %d", n);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 1;
	tcsetattr(s, TCSANOW, &t);
	n = read(s, buf, sizeof(buf));
	CHECK("vtime timeout", n == 0, "n %d", n);
	CHECK_OK("TIOCSWINSZ master", ioctl(m, TIOCSWINSZ, &ws));
	CHECK("winsize on slave", ioctl(s, TIOCGWINSZ, &got) == 0 && got.ws_row == 33 &&
	      got.ws_col == 111, "%dx%d", got.ws_row, got.ws_col);
	close(s);
	close(m);
}

static void test_utf8_flow(void)
{
	struct termios t;
	struct ktermios2 t2;
	char buf[256];
	int m, s, n, on = 1;

	if (open_pair(&m, &s))
		return;
	CHECK("TCGETS2 speed", ioctl(s, KTCGETS2, &t2) == 0 && t2.c_ospeed == 38400 &&
	      t2.c_ispeed == 38400, "%u %u", t2.c_ispeed, t2.c_ospeed);
	tcgetattr(s, &t);
	t.c_iflag |= IUTF8;
	tcsetattr(s, TCSANOW, &t);
	write(m, "a\xc3\xa9\x7f\n", 5);
	n = read(s, buf, sizeof(buf));
	CHECK("iutf8 erase", n == 2 && !memcmp(buf, "a\n", 2), "n %d", n);
	n = drain(m, buf, sizeof(buf), 200);
	CHECK("iutf8 erase echo", n == 8 && !memcmp(buf, "a\xc3\xa9\b \b\r\n", 8), "n %d", n);
	/* IXON: ^S typed stops a non-blocking writer, ^Q lets it go on. */
	write(m, "\x13", 1);
	usleep(50000);
	fcntl(s, F_SETFL, O_NONBLOCK);
	CHECK_ERR("stopped writer", write(s, "z", 1), EAGAIN);
	write(m, "\x11", 1);
	usleep(50000);
	CHECK("started writer", write(s, "z", 1) == 1, "errno %d", errno);
	n = drain(m, buf, sizeof(buf), 200);
	CHECK("after start", n == 1 && buf[0] == 'z', "n %d", n);
	CHECK_OK("TIOCPKT", ioctl(m, TIOCPKT, &on));
	write(s, "q", 1);
	n = drain(m, buf, sizeof(buf), 200);
	CHECK("packet data", n == 2 && buf[0] == 0 && buf[1] == 'q', "n %d", n);
	close(s);
	close(m);
}

static volatile sig_atomic_t got_int;

static void on_int(int sig)
{
	(void)sig;
	got_int = 1;
}

/* A child leads a session on the slave; ^C typed into the master must reach it. */
static void test_isig(void)
{
	char *name, buf[64];
	int m, status = -1, n;
	pid_t pid;
	int sync[2];

	m = posix_openpt(O_RDWR | O_NOCTTY);
	grantpt(m);
	unlockpt(m);
	name = ptsname(m);
	pipe(sync);
	pid = fork();
	if (pid == 0) {
		int s;

		signal(SIGINT, on_int);
		setsid();
		s = open(name, O_RDWR);		/* becomes our controlling tty */
		if (s < 0)
			_exit(2);
		if (tcgetpgrp(s) != getpid())
			_exit(3);
		write(sync[1], "r", 1);
		for (int i = 0; i < 200 && !got_int; i++)
			usleep(10000);
		_exit(got_int ? 0 : 4);
	}
	read(sync[0], buf, 1);
	write(m, "\x03", 1);
	waitpid(pid, &status, 0);
	CHECK("isig ^C to foreground", WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "status %x", status);
	n = drain(m, buf, sizeof(buf), 200);
	CHECK("^C echo", n == 2 && !memcmp(buf, "^C", 2), "n %d", n);
	/* The slave's only file closed with the child: master reads fail with EIO. */
	CHECK_ERR("master EIO after slave close", read(m, buf, sizeof(buf)), EIO);
	close(m);
	close(sync[0]);
	close(sync[1]);
}

static void test_openpty_peer(void)
{
	char name[64], buf[16];
	int m, s, peer, n;

	CHECK("openpty", openpty(&m, &s, name, NULL, NULL) == 0, "errno %d", errno);
	CHECK("openpty name", ttyname(s) && !strcmp(ttyname(s), name), "%s", name);
	peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	CHECK("TIOCGPTPEER", peer >= 0 && isatty(peer) && ttyname(peer) &&
	      !strcmp(ttyname(peer), name),
	      "peer %d errno %d", peer, errno);
	close(peer);
	close(m);
	n = read(s, buf, sizeof(buf));
	CHECK("slave EOF after master close", n == 0, "n %d errno %d", n, errno);
	CHECK_ERR("slave write EIO after master close", write(s, "x", 1), EIO);
	close(s);
}

/*
 * IXOFF on a pty: Linux's pty driver has no throttle operation, so a
 * full input queue stops the master's writer (EAGAIN) and sends no STOP,
 * and draining it sends no START; tcflow(TCIOFF/TCION) on the slave sends
 * its VSTOP/VSTART characters to the master, as on a serial port.
 */
static void test_ixoff(void)
{
	struct pollfd p;
	struct termios t;
	char buf[4096];
	long wrote = 0, got = 0;
	int m, s, n;

	if (open_pair(&m, &s))
		return;
	tcgetattr(s, &t);
	cfmakeraw(&t);
	t.c_iflag |= IXOFF;
	CHECK_OK("ixoff set", tcsetattr(s, TCSANOW, &t));
	fcntl(m, F_SETFL, O_NONBLOCK);
	fcntl(s, F_SETFL, O_NONBLOCK);
	memset(buf, 'i', sizeof(buf));
	while (wrote < (1 << 20) && (n = write(m, buf, sizeof(buf))) > 0)
		wrote += n;
	CHECK("ixoff full queue EAGAIN", wrote < (1 << 20) && errno == EAGAIN,
	      "wrote %ld errno %d", wrote, errno);
	n = drain(m, buf, sizeof(buf), 200);
	CHECK("ixoff no STOP from a pty", n == 0, "n %d first %#x", n, n > 0 ? buf[0] : 0);
	while ((n = read(s, buf, sizeof(buf))) > 0)
		got += n;
	CHECK("ixoff every byte read", got == wrote, "wrote %ld read %ld", wrote, got);
	n = drain(m, buf, sizeof(buf), 200);
	CHECK("ixoff no START from a pty", n == 0, "n %d first %#x", n, n > 0 ? buf[0] : 0);
	p = (struct pollfd){ .fd = m, .events = POLLOUT };
	CHECK("ixoff master writable again", poll(&p, 1, 1000) == 1 && (p.revents & POLLOUT),
	      "revents %#x", p.revents);
	CHECK_OK("TCIOFF", tcflow(s, TCIOFF));
	n = drain(m, buf, sizeof(buf), 200);
	CHECK("TCIOFF sends STOP", n == 1 && buf[0] == 0x13, "n %d first %#x", n, buf[0]);
	CHECK_OK("TCION", tcflow(s, TCION));
	n = drain(m, buf, sizeof(buf), 200);
	CHECK("TCION sends START", n == 1 && buf[0] == 0x11, "n %d first %#x", n, buf[0]);
	t.c_cc[VSTOP] = 'S';
	t.c_cc[VSTART] = 'Q';
	tcsetattr(s, TCSANOW, &t);
	tcflow(s, TCIOFF);
	tcflow(s, TCION);
	n = drain(m, buf, sizeof(buf), 200);
	CHECK("TCIOFF/TCION send VSTOP/VSTART", n == 2 && !memcmp(buf, "SQ", 2),
	      "n %d %.*s", n, n, buf);
	close(s);
	close(m);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_names();
	test_canon();
	test_raw();
	test_utf8_flow();
	test_isig();
	test_ixoff();
	test_openpty_peer();
	return TP_SUMMARY();
}
