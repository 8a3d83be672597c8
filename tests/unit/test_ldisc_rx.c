/*
 * Host tests of received-byte flags in the line discipline
 * (ldisc_input_flag, kernel/drivers/tty/ldisc.c): a BREAK under IGNBRK,
 * BRKINT (SIGINT, input flushed unless NOFLSH), PARMRK (0377 0 0) and
 * none of them (a NUL); parity and framing errors with and without INPCK,
 * IGNPAR and PARMRK (0377 0 c, or a NUL); the marks going onto the
 * canonical line without echo; and PARMRK doubling a received 0377, also
 * compared with a host Linux pty (tty_pty.c) where there is one.  The
 * expected bytes are those of Linux's 8250 driver and N_TTY together
 * (the driver passes a flagged byte as normal when the flag's input
 * check is off).
 */
// SOURCES: kernel/drivers/tty/ldisc.c tests/unit/tty_pty.c
#include <string.h>
#include <kern/ldisc.h>
#include <abi/signal.h>
#include "unit.h"
#include "tty_pty.h"
#include "ldisc_fake.h"

static struct ldisc ld;

/* A fresh ldisc with iflag and lflag (oflag 0), nothing output or signalled. */
static void setup(unsigned int iflag, unsigned int lflag)
{
	struct abi_termios t;

	ldisc_init(&ld, &fake_ops, NULL);
	t = ld.t;
	t.c_iflag = iflag;
	t.c_oflag = 0;
	t.c_lflag = lflag;
	ldisc_set_termios(&ld, &t);
	outlen = 0;
	nsigs = 0;
}

/* Everything a reader gets now, as one string; its length. */
static size_t read_all(char *buf, size_t len)
{
	size_t got = 0, n;
	bool eof;

	while ((n = ldisc_read(&ld, (u8 *)buf + got, len - got, &eof)) > 0)
		got += n;
	return got;
}

/* Feed c with flag in non-canonical mode under iflag; the reader must get want. */
static void expect_raw(const char *name, unsigned int iflag, u8 c, int flag, const char *want,
		       size_t wantlen)
{
	char buf[64];
	size_t n;

	setup(iflag, 0);
	ldisc_input_flag(&ld, c, flag);
	n = read_all(buf, sizeof(buf));
	CHECK(n == wantlen && !memcmp(buf, want, n), "%s: got %zu bytes", name, n);
	CHECK(outlen == 0, "%s: echoed %zu bytes", name, outlen);
}

static void test_break(void)
{
	expect_raw("break plain", 0, 0, LDISC_RX_BREAK, "\0", 1);
	expect_raw("break ignbrk", IGNBRK | BRKINT | PARMRK, 0, LDISC_RX_BREAK, "", 0);
	expect_raw("break parmrk", PARMRK, 0, LDISC_RX_BREAK, "\377\0\0", 3);
	CHECK_EQ(nsigs, 0);

	/* BRKINT: SIGINT, queued input flushed, nothing read. */
	setup(BRKINT, ICANON | ISIG);
	ldisc_input(&ld, 'a');
	ldisc_input_flag(&ld, 0, LDISC_RX_BREAK);
	CHECK(nsigs == 1 && sigs[0] == SIGINT, "brkint: %d signals", nsigs);
	CHECK_EQ(ld.linelen, 0);
	/* ... and with NOFLSH the line stays. */
	setup(BRKINT | PARMRK, ICANON | NOFLSH);
	ldisc_input(&ld, 'a');
	ldisc_input_flag(&ld, 0, LDISC_RX_BREAK);
	CHECK(nsigs == 1 && sigs[0] == SIGINT, "brkint noflsh: %d signals", nsigs);
	CHECK_EQ(ld.linelen, 1);
}

static void test_parity_frame(void)
{
	static const int flags[] = { LDISC_RX_PARITY, LDISC_RX_FRAME };

	for (int i = 0; i < 2; i++) {
		int f = flags[i];

		expect_raw("error unchecked", 0, 'x', f, "x", 1);
		expect_raw("error unchecked ignpar", IGNPAR | PARMRK, 'x', f, "x", 1);
		expect_raw("error inpck", INPCK, 'x', f, "\0", 1);
		expect_raw("error inpck ignpar", INPCK | IGNPAR, 'x', f, "", 0);
		expect_raw("error inpck parmrk", INPCK | PARMRK, 'x', f, "\377\0x", 3);
	}
}

static void test_canonical_marks(void)
{
	char buf[64];
	size_t n;

	/* The mark joins the line being edited, unechoed; the line ends as usual. */
	setup(INPCK | PARMRK, ICANON | ECHO);
	ldisc_input(&ld, 'a');
	ldisc_input_flag(&ld, 'b', LDISC_RX_PARITY);
	CHECK_EQ(read_all(buf, sizeof(buf)), 0);
	ldisc_input(&ld, '\n');
	n = read_all(buf, sizeof(buf));
	CHECK(n == 5 && !memcmp(buf, "a\377\0b\n", 5), "canonical mark: %zu bytes", n);
	CHECK(outlen == 2 && !memcmp(out, "a\n", 2), "canonical mark echo: %zu bytes", outlen);
}

static void test_parmrk_doubling(void)
{
	static const char in[] = "a\377b";
	struct pty_case c = { PARMRK, 0, 0, in, 3 };
	static struct pty_result host;
	char buf[64];
	size_t n;

	setup(PARMRK, 0);
	for (int i = 0; i < 3; i++)
		ldisc_input(&ld, (u8)in[i]);
	n = read_all(buf, sizeof(buf));
	CHECK(n == 4 && !memcmp(buf, "a\377\377b", 4), "parmrk doubling: %zu bytes", n);
	/* ISTRIP first: 0377 becomes 0177, not doubled. */
	setup(PARMRK | ISTRIP, 0);
	ldisc_input(&ld, 0xff);
	n = read_all(buf, sizeof(buf));
	CHECK(n == 1 && buf[0] == 0x7f, "parmrk istrip: %zu bytes", n);

	if (pty_run(&c, &host)) {
		printf("no host pty: skipping the pty comparison\n");
		return;
	}
	n = 0;
	for (int i = 0; i < host.nreads; i++) {
		memcpy(buf + n, host.reads[i], (size_t)host.readlen[i]);
		n += (size_t)host.readlen[i];
	}
	CHECK(n == 4 && !memcmp(buf, "a\377\377b", 4), "host pty parmrk doubling: %zu bytes", n);
}

int main(void)
{
	test_break();
	test_parity_frame();
	test_canonical_marks();
	test_parmrk_doubling();
	return UNIT_SUMMARY();
}
