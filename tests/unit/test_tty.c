/*
 * Host tests of the line discipline (kernel/drivers/tty/ldisc.c) with a fake
 * terminal (output captured in a buffer) and a fake signal sink: canonical
 * editing (ERASE, KILL, WERASE, LNEXT, REPRINT), EOF, ISIG and NOFLSH,
 * raw mode, echo variants (ECHOCTL, ECHONL, ECHOK without ECHOKE), input
 * mapping (ICRNL, INLCR, IGNCR, ISTRIP), IUTF8 erase, IXON/IXANY flow
 * control, output processing (ONLCR, OCRNL)
 * and the VMIN/VTIME read policy with a simulated clock.  Where the host
 * has ptys, the same keystrokes are typed into a real Linux pty
 * (tty_pty.c) and the echo bytes and read results must match exactly.
 */
// SOURCES: kernel/drivers/tty/ldisc.c tests/unit/tty_pty.c
#include <string.h>
#include <kern/ldisc.h>
#include <abi/signal.h>
#include "unit.h"
#include "tty_pty.h"
#include "ldisc_fake.h"

#define SANE_L	(ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN)

static struct ldisc ld;

static void setup(unsigned int iflag, unsigned int oflag, unsigned int lflag)
{
	struct abi_termios t;

	ldisc_init(&ld, &fake_ops, NULL);
	t = ld.t;
	t.c_iflag = iflag;
	t.c_oflag = oflag;
	t.c_lflag = lflag;
	ldisc_set_termios(&ld, &t);
	outlen = 0;
	nsigs = 0;
}

static void type(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ldisc_input(&ld, (u8)s[i]);
}

/* Non-blocking reads like the pty reference: results in r (same layout). */
static void sim_reads(struct pty_result *r)
{
	r->nreads = 0;
	while (r->nreads < 8) {
		bool eof;
		size_t n = ldisc_read(&ld, (u8 *)r->reads[r->nreads], sizeof(r->reads[0]), &eof);

		if (!n && !eof)
			break;
		r->readlen[r->nreads++] = (int)n;
	}
}

static bool out_is(const char *s, size_t n)
{
	return outlen == n && !memcmp(out, s, n);
}

static void show(const char *what, const char *s, size_t n)
{
	printf("  %s: \"", what);
	for (size_t i = 0; i < n; i++)
		printf((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f ? "\\x%02x" : "%c",
		       (unsigned char)s[i]);
	printf("\"\n");
}

static int pty_ok = -1;

/* Type in into both the fake ldisc and a host pty; echo and reads must match. */
static void compare(const char *name, unsigned int iflag, unsigned int oflag, unsigned int lflag,
		    const char *in, size_t inlen)
{
	struct pty_case c = { iflag, oflag, lflag, in, inlen };
	static struct pty_result host, sim;
	bool same;

	if (pty_ok == 0)
		return;
	if (pty_run(&c, &host)) {
		printf("no host pty: skipping pty comparisons\n");
		pty_ok = 0;
		return;
	}
	pty_ok = 1;
	setup(iflag, oflag, lflag);
	type(in, inlen);
	sim_reads(&sim);
	same = out_is(host.echo, host.echolen) && sim.nreads == host.nreads;
	for (int i = 0; same && i < sim.nreads; i++)
		same = sim.readlen[i] == host.readlen[i] &&
		       !memcmp(sim.reads[i], host.reads[i], (size_t)sim.readlen[i]);
	CHECK(same, "pty comparison '%s' differs", name);
	printf("%s pty %s\n", same ? "ok  " : "FAIL", name);
	if (!same) {
		show("host echo", host.echo, host.echolen);
		show("ours echo", out, outlen);
		for (int i = 0; i < host.nreads; i++)
			show("host read", host.reads[i], (size_t)host.readlen[i]);
		for (int i = 0; i < sim.nreads; i++)
			show("ours read", sim.reads[i], (size_t)sim.readlen[i]);
	}
}

#define CMP(name, i, o, l, s) compare(name, i, o, l, s, sizeof(s) - 1)

static void test_pty_comparisons(void)
{
	CMP("erase", ICRNL, OPOST | ONLCR, SANE_L, "ab\x7f" "c\r");
	CMP("erase without ECHOE", ICRNL, OPOST | ONLCR, SANE_L & ~ECHOE, "ab\x7f" "c\r");
	CMP("werase", ICRNL, OPOST | ONLCR, SANE_L, "hello wor\x17ld foo_1 \x17\r");
	CMP("kill (ECHOKE)", ICRNL, OPOST | ONLCR, SANE_L, "abc\x15xy\r");
	CMP("kill without ECHOKE", ICRNL, OPOST | ONLCR, SANE_L & ~ECHOKE, "abc\x15xy\r");
	CMP("tab erase", ICRNL, OPOST | ONLCR, SANE_L, "a\tb\x7f\x7f\x7fz\r");
	CMP("control char erase", ICRNL, OPOST | ONLCR, SANE_L, "a\x01\x7f\x02\r");
	CMP("no ECHOCTL", ICRNL, OPOST | ONLCR, SANE_L & ~ECHOCTL, "a\x01\x7f\x02\r");
	CMP("EOF after text", ICRNL, OPOST | ONLCR, SANE_L, "ab\x04");
	CMP("EOF on empty line", ICRNL, OPOST | ONLCR, SANE_L, "x\r\x04");
	CMP("interrupt flushes", ICRNL, OPOST | ONLCR, SANE_L, "ab\x03" "cd\r");
	CMP("NOFLSH", ICRNL, OPOST | ONLCR, SANE_L | NOFLSH, "ab\x03" "cd\r");
	CMP("raw", 0, 0, 0, "abc\r\x03\x7f");
	CMP("-icanon echo", ICRNL, OPOST | ONLCR, SANE_L & ~ICANON, "x\ny\r\x01");
	CMP("ECHONL", ICRNL, OPOST | ONLCR, (SANE_L & ~ECHO) | ECHONL, "ab\r");
	CMP("-echo", ICRNL, OPOST | ONLCR, SANE_L & ~ECHO, "ab\x7f\r");
	CMP("LNEXT", ICRNL, OPOST | ONLCR, SANE_L, "\x16\x03" "a\x16" "b\r");
	CMP("REPRINT", ICRNL, OPOST | ONLCR, SANE_L, "ab\x12" "c\r");
	CMP("ISTRIP", ICRNL | ISTRIP, OPOST | ONLCR, SANE_L, "\xe1\r");
	CMP("INLCR/ICRNL", INLCR | ICRNL, OPOST | ONLCR, SANE_L & ~ICANON, "a\nb\r");
	CMP("IGNCR", IGNCR, OPOST | ONLCR, SANE_L, "a\rb\n");
	CMP("-opost echo", ICRNL, 0, SANE_L, "ab\r");
	CMP("IUTF8 erase", ICRNL | IUTF8, OPOST | ONLCR, SANE_L, "a\xc3\xa9\xe2\x82\xac\x7f\x7f" "b\r");
	CMP("IUTF8 tab erase", ICRNL | IUTF8, OPOST | ONLCR, SANE_L, "\xc3\xa9\t\x7f" "x\r");
	CMP("no IUTF8 erase", ICRNL, OPOST | ONLCR, SANE_L, "a\xc3\xa9\x7f" "b\r");
	CMP("IXON start/stop consumed", ICRNL | IXON, OPOST | ONLCR, SANE_L, "a\x13" "b\x11" "c\r");
}

/* IXON: STOP stops output until START; IXANY restarts on any byte; ldisc_room. */
static void test_flow(void)
{
	setup(ICRNL | IXON, OPOST | ONLCR, SANE_L);
	type("\x13", 1);
	CHECK(ld.stopped, "STOP did not stop output");
	type("a", 1);
	CHECK(ld.stopped, "a byte restarted output without IXANY");
	type("\x11", 1);
	CHECK(!ld.stopped, "START did not restart output");
	setup(ICRNL | IXON | IXANY, OPOST | ONLCR, SANE_L);
	type("\x13" "a", 2);
	CHECK(!ld.stopped, "IXANY: a byte did not restart output");
	setup(0, 0, 0);
	CHECK_EQ(ldisc_room(&ld), LDISC_BUF);
	type("abc", 3);
	CHECK_EQ(ldisc_room(&ld), LDISC_BUF - 3);
}

static void test_signals(void)
{
	setup(ICRNL, OPOST | ONLCR, SANE_L);
	type("\x03\x1c\x1a", 3);
	CHECK(nsigs == 3 && sigs[0] == SIGINT && sigs[1] == SIGQUIT && sigs[2] == SIGTSTP,
	      "ISIG: %d signals", nsigs);
	CHECK(out_is("^C^\\^Z", 6), "ISIG echo");
	setup(ICRNL, OPOST | ONLCR, SANE_L & ~ISIG);
	type("\x03\r", 2);
	CHECK_EQ(nsigs, 0);
	CHECK(ldisc_readable(&ld), "-isig: ^C is data");
	setup(0, 0, 0);
	type("\x03", 1);
	CHECK_EQ(nsigs, 0);
}

static void test_canonical_reads(void)
{
	u8 buf[16];
	bool eof;

	setup(ICRNL, OPOST | ONLCR, SANE_L);
	type("abc", 3);
	CHECK(!ldisc_readable(&ld), "partial line is not readable");
	type("\r", 1);
	CHECK(ldisc_readable(&ld), "completed line is readable");
	CHECK_EQ(ldisc_read(&ld, buf, 2, &eof), 2);
	CHECK_EQ(ldisc_read(&ld, buf, 16, &eof), 2);
	CHECK(buf[0] == 'c' && buf[1] == '\n', "rest of the line");
	type("one\rtwo\r", 8);
	CHECK_EQ(ldisc_read(&ld, buf, 16, &eof), 4);
	CHECK_EQ(ldisc_read(&ld, buf, 16, &eof), 4);
	CHECK(!memcmp(buf, "two\n", 4), "second line");
	type("\x04", 1);
	CHECK(ldisc_readable(&ld), "EOF is readable");
	CHECK(ldisc_read(&ld, buf, 16, &eof) == 0 && eof, "EOF reads 0");
	CHECK(!ldisc_readable(&ld), "EOF consumed");
	/* Leaving canonical mode makes the partial line readable. */
	type("xy", 2);
	struct abi_termios t = ld.t;

	t.c_lflag &= ~ICANON;
	ldisc_set_termios(&ld, &t);
	CHECK_EQ(ldisc_avail(&ld), 2);
	/* A full line accepts only its end. */
	setup(ICRNL, 0, ICANON);
	for (int i = 0; i < LDISC_BUF + 10; i++)
		ldisc_input(&ld, 'a');
	CHECK_EQ(ld.linelen, LDISC_BUF - 1);
	ldisc_input(&ld, '\r');
	CHECK_EQ(ldisc_avail(&ld), LDISC_BUF);
}

static void test_output(void)
{
	setup(0, OPOST | ONLCR, 0);
	ldisc_write(&ld, "a\nb", 3);
	CHECK(out_is("a\r\nb", 4), "ONLCR");
	setup(0, OPOST | OCRNL, 0);
	ldisc_write(&ld, "a\rb", 3);
	CHECK(out_is("a\nb", 3), "OCRNL");
	setup(0, ONLCR, 0);
	ldisc_write(&ld, "a\n", 2);
	CHECK(out_is("a\n", 2), "ONLCR needs OPOST");
	setup(0, OPOST | ONLCR, 0);
	static char big[1000];

	memset(big, '\n', sizeof(big));
	ldisc_write(&ld, big, sizeof(big));
	CHECK_EQ(outlen, 2000);
}

/* Simulate a blocking non-canonical read of n bytes; bytes arrive at times arr[] (100 ms units). */
static size_t sim_timed_read(int vmin, int vtime, size_t n, const int *arr, int narr, int *end)
{
	struct abi_termios t;
	size_t got = 0;
	int now = 0, next = 0, deadline = -1;
	bool timed_out = false;
	u8 buf[64];
	bool eof;

	setup(0, 0, 0);
	t = ld.t;
	t.c_cc[VMIN] = (u8)vmin;
	t.c_cc[VTIME] = (u8)vtime;
	ldisc_set_termios(&ld, &t);
	for (;;) {
		while (next < narr && arr[next] <= now)
			ldisc_input(&ld, (u8)('a' + next++));
		size_t took = ldisc_read(&ld, buf, n - got, &eof);

		got += took;
		if (ldisc_read_done(&ld, n, got, timed_out))
			break;
		u64 to = ldisc_read_timeout_ns(&ld, got);

		if (to && (took || deadline < 0))
			deadline = now + (int)(to / 100000000ULL);
		if (!to)
			deadline = -1;
		/* Sleep until the next byte or the deadline. */
		int wake = next < narr ? arr[next] : 1000000;

		if (deadline >= 0 && deadline < wake) {
			now = deadline;
			timed_out = true;
		} else if (wake == 1000000) {
			now = -1;	/* would block forever */
			break;
		} else {
			now = wake;
		}
	}
	*end = now;
	return got;
}

static void test_vmin_vtime(void)
{
	static const int arr[] = { 0, 1, 2, 10, 11 };
	int end;

	CHECK_EQ(sim_timed_read(0, 0, 10, arr, 0, &end), 0);	/* polling read: nothing */
	CHECK_EQ(end, 0);
	CHECK_EQ(sim_timed_read(0, 5, 10, arr, 0, &end), 0);	/* VMIN=0 VTIME=5: times out */
	CHECK_EQ(end, 5);
	CHECK_EQ(sim_timed_read(0, 5, 10, (const int[]){ 3 }, 1, &end), 1);	/* first byte ends it */
	CHECK_EQ(end, 3);
	CHECK_EQ(sim_timed_read(3, 0, 10, arr, 5, &end), 3);	/* VMIN=3: three bytes */
	CHECK_EQ(end, 2);
	CHECK_EQ(sim_timed_read(3, 0, 2, arr, 5, &end), 2);	/* n < VMIN */
	CHECK_EQ(sim_timed_read(10, 0, 10, arr, 0, &end), 0);	/* blocks forever */
	CHECK_EQ(end, -1);
	CHECK_EQ(sim_timed_read(5, 3, 10, arr, 5, &end), 3);	/* inter-byte timer after byte 3 */
	CHECK_EQ(end, 5);
	CHECK_EQ(sim_timed_read(5, 20, 10, arr, 5, &end), 5);	/* timer long enough: VMIN reached */
	CHECK_EQ(end, 11);
	CHECK_EQ(sim_timed_read(1, 0, 10, arr, 5, &end), 1);
	setup(0, 0, ICANON);
	CHECK_EQ(ldisc_read_timeout_ns(&ld, 0), 0);
}

int main(void)
{
	test_signals();
	test_canonical_reads();
	test_output();
	test_vmin_vtime();
	test_flow();
	test_pty_comparisons();
	return UNIT_SUMMARY();
}
