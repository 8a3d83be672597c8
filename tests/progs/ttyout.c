/*
 * ttyout: terminal output flow control, compared with host Linux.
 * On a terminal set raw and non-blocking: tcdrain and TIOCOUTQ when
 * idle; with output stopped (tcflow TCOOFF) non-blocking writes end in
 * EAGAIN, TIOCOUTQ counts exactly the bytes accepted and poll shows no
 * POLLOUT; after TCOON, POLLOUT comes back, tcdrain returns and TIOCOUTQ
 * is 0.  A Linux pty accepts nothing while stopped, a serial port fills
 * its transmit buffer (Linux's 8250: 4 KiB, ours 8 KiB) first: the
 * checks hold for both, and -d prints the count as an "info" line.
 *
 * Modes: no argument: the checks on a pty slave, then a pty's own flow
 * control (a slave writer fills the unread master until EAGAIN, reading
 * the master brings POLLOUT back) - the progs-target tier compares this
 * with the host.  -p: only the device checks, on a pty (the host
 * reference for -d).  -d DEV: the device checks on DEV (the console or
 * /dev/ttyS1 on the target, tests/e2e/test_console_tx.py); nothing is
 * printed until output is started again, since DEV may be stdout's
 * terminal.  Filler bytes are NULs, invisible on a screen.
 */
#include "tprog.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>

#define CHUNK	512
#define LIMIT	(1 << 20)	/* a fill that never ends in EAGAIN fails here */

struct result {
	char line[8][160];
	int n;
	long queued, outq;
};

/* Note one check's line (printed later: DEV may be stopped stdout). */
static void note(struct result *r, const char *name, int ok, const char *fmt, long a, long b)
{
	char detail[96];

	if (r->n == 8)
		return;
	snprintf(detail, sizeof(detail), fmt, a, b);
	if (ok)
		snprintf(r->line[r->n++], sizeof(r->line[0]), "ok %s", name);
	else
		snprintf(r->line[r->n++], sizeof(r->line[0]), "FAIL %s: %s", name, detail);
}

/* Bytes TIOCOUTQ reports, or -1. */
static long outq(int fd)
{
	int v;

	return ioctl(fd, TIOCOUTQ, &v) < 0 ? -1 : v;
}

/* Non-blocking writes of NULs until one fails; bytes accepted, *err its errno. */
static long fill(int fd, int *err)
{
	static const char zeros[CHUNK];
	long total = 0;
	ssize_t n;

	*err = 0;
	while (total < LIMIT) {
		n = write(fd, zeros, sizeof(zeros));
		if (n < 0) {
			*err = errno;
			break;
		}
		total += n;
	}
	return total;
}

/* The device checks on terminal fd (raw, non-blocking; termios restored). */
static void dev_checks(int fd, struct result *r)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	struct termios saved, raw;
	int err, fl = fcntl(fd, F_GETFL);

	tcgetattr(fd, &saved);
	raw = saved;
	cfmakeraw(&raw);
	tcsetattr(fd, TCSADRAIN, &raw);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);

	note(r, "tcdrain-idle", tcdrain(fd) == 0, "errno %ld%ld", errno, 0);
	note(r, "outq-idle-zero", outq(fd) == 0, "TIOCOUTQ %ld%ld", outq(fd), 0);
	tcflow(fd, TCOOFF);
	r->queued = fill(fd, &err);
	r->outq = outq(fd);
	note(r, "stopped-fill-ends-in-eagain", err == EAGAIN, "accepted %ld, errno %ld", r->queued, err);
	note(r, "stopped-outq-is-queued", r->outq == r->queued, "TIOCOUTQ %ld, queued %ld", r->outq,
	     r->queued);
	note(r, "stopped-full-no-pollout", poll(&p, 1, 0) == 0, "revents %#lx%ld", p.revents, 0);
	tcflow(fd, TCOON);
	note(r, "started-pollout", poll(&p, 1, 10000) == 1 && (p.revents & POLLOUT),
	     "revents %#lx%ld", p.revents, 0);
	note(r, "tcdrain-after-start", tcdrain(fd) == 0, "errno %ld%ld", errno, 0);
	note(r, "outq-zero-after-drain", outq(fd) == 0, "TIOCOUTQ %ld%ld", outq(fd), 0);

	fcntl(fd, F_SETFL, fl);
	tcsetattr(fd, TCSADRAIN, &saved);
}

/* Print r's lines and count them. */
static void report(struct result *r)
{
	for (int i = 0; i < r->n; i++) {
		if (!strncmp(r->line[i], "ok ", 3))
			tp_passed++;
		else
			tp_failed++;
		printf("%s\n", r->line[i]);
	}
}

/* Open a pty pair; 0 or -1. */
static int open_pair(int *m, int *s)
{
	*m = posix_openpt(O_RDWR | O_NOCTTY);
	if (*m < 0 || grantpt(*m) || unlockpt(*m))
		return -1;
	*s = open(ptsname(*m), O_RDWR | O_NOCTTY);
	return *s < 0 ? -1 : 0;
}

/* A pty's own flow control: an unread master stops a slave writer. */
static void pty_checks(int m, int s)
{
	struct pollfd p = { .fd = s, .events = POLLOUT };
	struct termios raw;
	char buf[4096];
	long got = 0;
	int err;

	tcgetattr(s, &raw);
	cfmakeraw(&raw);
	tcsetattr(s, TCSANOW, &raw);
	fcntl(s, F_SETFL, O_RDWR | O_NONBLOCK);
	fcntl(m, F_SETFL, O_RDWR | O_NONBLOCK);
	long put = fill(s, &err);

	CHECK("pty-unread-master-fill-eagain", err == EAGAIN && put > 0, "put %ld errno %d", put, err);
	CHECK("pty-full-no-pollout", poll(&p, 1, 0) == 0, "revents %#x", p.revents);
	for (int idle = 0; idle < 20 && got < put;) {
		ssize_t n = read(m, buf, sizeof(buf));

		if (n > 0) {
			got += n;
			idle = 0;
		} else {
			struct pollfd pm = { .fd = m, .events = POLLIN };

			poll(&pm, 1, 100);
			idle++;
		}
	}
	CHECK_EQ("pty-master-reads-all", got, put);
	CHECK("pty-pollout-after-master-read", poll(&p, 1, 5000) == 1 && (p.revents & POLLOUT),
	      "revents %#x", p.revents);
}

int main(int argc, char **argv)
{
	struct result r = { 0 };
	int m, s;

	tp_init();
	if (argc == 3 && !strcmp(argv[1], "-d")) {
		int fd = open(argv[2], O_RDWR | O_NOCTTY);

		if (fd < 0) {
			printf("FAIL open %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		dev_checks(fd, &r);
		report(&r);
		printf("info queued %ld outq %ld\n", r.queued, r.outq);
		return TP_SUMMARY();
	}
	if (open_pair(&m, &s)) {
		printf("FAIL open_pair: %s\n", strerror(errno));
		return 1;
	}
	dev_checks(s, &r);
	report(&r);
	if (argc == 2 && !strcmp(argv[1], "-p"))
		return TP_SUMMARY();
	close(s);
	close(m);
	if (open_pair(&m, &s)) {
		printf("FAIL open_pair: %s\n", strerror(errno));
		return 1;
	}
	pty_checks(m, s);
	return TP_SUMMARY();
}
