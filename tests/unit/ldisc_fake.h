/*
 * ldisc_fake.h: the line-discipline callbacks shared by the ldisc unit
 * tests (test_tty.c, test_ldisc_rx.c).  Output is collected in out/outlen
 * (bytes past its size are dropped) and signals in sigs/nsigs; each test's
 * setup() clears both.  Header-only: every test is its own program.
 */
#ifndef TESTS_UNIT_LDISC_FAKE_H
#define TESTS_UNIT_LDISC_FAKE_H

#include <string.h>
#include <kern/ldisc.h>

static char out[4096];
static size_t outlen;
static int sigs[16], nsigs;

/* ldisc output callback: append to out; never fails (overflow is dropped). */
static void fake_output(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (outlen + n <= sizeof(out)) {
		memcpy(out + outlen, s, n);
		outlen += n;
	}
}

/* ldisc signal callback: record sig in sigs; never fails (past 16 dropped). */
static void fake_signal(void *ctx, int sig)
{
	(void)ctx;
	if (nsigs < (int)(sizeof(sigs) / sizeof(sigs[0])))
		sigs[nsigs++] = sig;
}

static const struct ldisc_ops fake_ops = { fake_output, fake_signal };

#endif
