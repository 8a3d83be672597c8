/* Host pty reference runner for test_tty.c (see tty_pty.c). */
#ifndef TTY_PTY_H
#define TTY_PTY_H

#include <stddef.h>

struct pty_case {
	unsigned int iflag, oflag, lflag;
	const char *in;
	size_t inlen;
};

struct pty_result {
	char echo[1024];
	size_t echolen;
	char reads[8][256];	/* successive non-blocking reads of the slave */
	int readlen[8];
	int nreads;		/* reads that did not fail (EAGAIN ends the list) */
};

/* Run one case on a host pty; 0, or -1 if no pty is available. */
int pty_run(const struct pty_case *c, struct pty_result *res);

#endif
