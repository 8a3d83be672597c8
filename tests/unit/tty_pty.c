/*
 * Host pty reference for tests/unit/test_tty.c: set the given termios
 * flags on a fresh pseudo-terminal's slave, type bytes into the master one
 * at a time, and collect what the host kernel's N_TTY echoes back and what
 * a non-blocking read on the slave returns.  Kept in its own file because
 * the host <termios.h> and the kernel's abi/termios.h define the same
 * names.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "tty_pty.h"

/* Read what is available on fd within ms milliseconds; bytes read. */
static size_t drain(int fd, char *buf, size_t cap, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t n = 0;
	ssize_t r;

	while (n < cap && poll(&p, 1, ms) > 0) {
		r = read(fd, buf + n, cap - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		ms = 50;
	}
	return n;
}

int pty_run(const struct pty_case *c, struct pty_result *res)
{
	struct termios t;
	int m, s = -1;

	memset(res, 0, sizeof(*res));
	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m))
		goto fail_master;
	s = open(ptsname(m), O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (s < 0 || tcgetattr(s, &t))
		goto fail_slave;
	t.c_iflag = c->iflag;
	t.c_oflag = c->oflag;
	t.c_lflag = c->lflag;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(s, TCSANOW, &t))
		goto fail_slave;
	for (size_t i = 0; i < c->inlen; i++) {
		if (write(m, c->in + i, 1) != 1)
			goto fail_slave;
		res->echolen += drain(m, res->echo + res->echolen, sizeof(res->echo) - res->echolen,
				      20);
	}
	res->echolen += drain(m, res->echo + res->echolen, sizeof(res->echo) - res->echolen, 50);
	for (int i = 0; i < 8; i++) {
		ssize_t r = read(s, res->reads[i], sizeof(res->reads[i]));

		if (r < 0)
			break;
		res->readlen[i] = (int)r;
		res->nreads++;
	}
	close(s);
	close(m);
	return 0;
fail_slave:
	if (s >= 0)
		close(s);
fail_master:
	if (m >= 0)
		close(m);
	return -1;
}
