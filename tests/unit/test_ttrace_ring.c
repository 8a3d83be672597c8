/*
 * Host tests of kernel/debug/ttrace_ring.c, the ttrace per-CPU ring.
 *
 * The ring source is included here (not named on a SOURCES line) so the
 * test can define the two build hooks: a clock that is a plain counter, and
 * TTRACE_RING_HOOK, which runs a nested writer at a chosen point of
 * reserve/commit; sweeping every point in both modes proves nesting at each
 * instruction window is safe.  Then real asynchronous nesting: signal
 * handlers (SIGALRM, and SIGUSR2 nesting inside it like an NMI inside an
 * IRQ) write while the main thread writes and another thread consumes.
 * Every check decodes the whole stream: each event once, per-source ids in
 * order, timestamps never decreasing, and kept + lost == written exactly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <pthread.h>
#include <sys/time.h>
#include <errno.h>
#include <unistd.h>
#include <time.h>
#include "unit.h"

static uint64_t fake_clock;
static uint64_t test_clock(void)
{
	return __atomic_add_fetch(&fake_clock, 1, __ATOMIC_SEQ_CST);
}
#define TTRACE_RING_CLOCK()	test_clock()

struct ttrace_ring;
static void test_hook(struct ttrace_ring *r, int point);
#define TTRACE_RING_HOOK(r, point)	test_hook(r, point)

#include "../../kernel/debug/ttrace_ring.c"

/* Payload of test events: who wrote it and its number from that source. */
struct ev {
	uint32_t src;
	uint32_t id;
};

#define SRC_MAIN	0
#define SRC_NEST	1
#define SRC_NEST2	2
#define SRC_SIG1	3
#define SRC_SIG2	4
#define NSRC		5

/* Payload size varies with the id so records straddle sub-buffer ends. */
static int fixed_size;
static size_t ev_size(uint32_t id)
{
	return sizeof(struct ev) + (fixed_size ? 40 : (id * 37) % 300);
}

static int write_ev(struct ttrace_ring *r, uint32_t src, uint32_t id)
{
	size_t len = ev_size(id);
	struct ttrace_rec *rec = ttrace_ring_reserve(r, TTRACE_REC_USER, src + 100, len);
	struct ev *e;

	if (!rec)
		return -1;
	e = (struct ev *)(rec + 1);
	e->src = src;
	e->id = id;
	memset(e + 1, (int)(id & 0xff), len - sizeof(*e));
	ttrace_ring_commit(r);
	return 0;
}

/* Hook state: at point hook_point, hook_budget more times, nest a writer. */
static int hook_point = -1, hook_budget, hook_depth, hook_max_depth = 1;
static uint32_t next_id[NSRC];
static uint64_t attempted[NSRC];

static void test_hook(struct ttrace_ring *r, int point)
{
	if (point != hook_point || hook_budget <= 0 || hook_depth >= hook_max_depth)
		return;
	hook_budget--;
	hook_depth++;
	attempted[hook_depth]++;
	write_ev(r, hook_depth, next_id[hook_depth]++);
	hook_depth--;
}

/* Decoded stream. */
struct decoded {
	uint64_t count[NSRC];		/* events seen per source */
	uint64_t lost_dropped, lost_over;
	uint32_t last_id[NSRC];
	uint32_t first_id[NSRC];
	int bad_order, bad_payload, bad_tsc, bad_type;
};

static void decode(struct decoded *d, const uint8_t *buf, long n, uint64_t *last_tsc)
{
	long off = 0;

	while (off < n) {
		const struct ttrace_rec *rec = (const void *)(buf + off);
		long len = rec->len8 * 8;

		if (rec->tsc < *last_tsc)
			d->bad_tsc++;
		*last_tsc = rec->tsc;
		if (rec->type == TTRACE_REC_LOST) {
			const struct ttrace_lost *l = (const void *)(rec + 1);

			if (l->cause == TTRACE_LOST_DROPPED)
				d->lost_dropped += l->count;
			else
				d->lost_over += l->count;
		} else if (rec->type == TTRACE_REC_USER) {
			const struct ev *e = (const void *)(rec + 1);
			const uint8_t *p = (const uint8_t *)(e + 1);

			if (e->src >= NSRC || rec->tid != e->src + 100 ||
			    (size_t)len != TTRACE_REC_LEN(ev_size(e->id))) {
				d->bad_payload++;
			} else {
				for (size_t i = 0; i < ev_size(e->id) - sizeof(*e); i++)
					if (p[i] != (e->id & 0xff))
						d->bad_payload++;
				if (d->count[e->src] && e->id <= d->last_id[e->src])
					d->bad_order++;
				if (!d->count[e->src])
					d->first_id[e->src] = e->id;
				d->last_id[e->src] = e->id;
				d->count[e->src]++;
			}
		} else {
			d->bad_type++;
		}
		if (len <= 0)
			break;
		off += len;
	}
}

static uint8_t readbuf[1 << 16];

/* Drain r (final read) into d; returns the last read's result. */
static long drain(struct ttrace_ring *r, struct decoded *d, unsigned int flags)
{
	uint64_t tsc = 0;
	long n;

	while ((n = ttrace_ring_read(r, readbuf, sizeof(readbuf), flags)) > 0)
		decode(d, readbuf, n, &tsc);
	return n;
}

static struct ttrace_ring *new_ring(uint64_t size, uint64_t subsz, uint32_t mode)
{
	struct ttrace_ring *r = calloc(1, sizeof(*r));
	void *mem = malloc(ttrace_ring_mem_size(size, subsz));

	if (ttrace_ring_init(r, mem, size, subsz, mode, 3))
		return NULL;
	return r;
}

static void free_ring(struct ttrace_ring *r)
{
	free(r->data);
	free(r);
}

static void reset_counts(void)
{
	memset(next_id, 0, sizeof(next_id));
	memset(attempted, 0, sizeof(attempted));
}

static void test_geometry(void)
{
	struct ttrace_ring r;
	uint64_t mem[64];

	CHECK_EQ(ttrace_ring_mem_size(3 * 4096, 4096), 0);
	CHECK_EQ(ttrace_ring_mem_size(8192, 4096), 0);	/* < 4 sub-buffers */
	CHECK_EQ(ttrace_ring_mem_size(65536, 2048), 0);
	CHECK_EQ(ttrace_ring_mem_size(65536, 4096), 65536 + 2 * 16 * 8);
	CHECK_EQ(ttrace_ring_init(&r, mem, 65536, 1000, TTRACE_MODE_DISCARD, 0), -EINVAL);
	CHECK_EQ(ttrace_ring_init(&r, mem, 65536, 4096, 7, 0), -EINVAL);
	CHECK_EQ(ttrace_ring_init(&r, NULL, 65536, 4096, TTRACE_MODE_DISCARD, 0), -EINVAL);
	CHECK_EQ(ttrace_ring_init_split(&r, mem, NULL, 65536, 4096, TTRACE_MODE_DISCARD, 0), -EINVAL);
}

static void test_roundtrip(void)
{
	struct ttrace_ring *r = new_ring(65536, 4096, TTRACE_MODE_DISCARD);
	struct decoded d = { 0 };
	uint8_t small[64];
	long n;

	reset_counts();
	CHECK_EQ(ttrace_ring_read(r, small, sizeof(small), 0), -EINVAL);
	CHECK_EQ(ttrace_ring_read(r, readbuf, sizeof(readbuf), 0), 0);
	for (uint32_t i = 0; i < 100; i++)
		if (write_ev(r, SRC_MAIN, i))
			CHECK(0, "write %u", i);
	n = drain(r, &d, 0);
	CHECK_EQ(n, 0);
	CHECK_EQ(d.count[SRC_MAIN], 100);
	CHECK(!d.bad_order && !d.bad_payload && !d.bad_tsc && !d.bad_type,
	      "order %d payload %d tsc %d type %d", d.bad_order, d.bad_payload, d.bad_tsc,
	      d.bad_type);
	CHECK_EQ(d.lost_dropped + d.lost_over, 0);
	/* The cpu field and a string event through ttrace_ring_write. */
	CHECK_EQ(ttrace_ring_write(r, TTRACE_REC_PRINTK, 9, "\0\0\0\0\0\0\0\0hello", 14), 0);
	n = ttrace_ring_read(r, readbuf, sizeof(readbuf), 0);
	CHECK_EQ(n, 32);
	CHECK(((struct ttrace_rec *)readbuf)->cpu == 3 && ((struct ttrace_rec *)readbuf)->tid == 9 &&
	      !strcmp((char *)readbuf + 24, "hello"), "printk record");
	/* Disabled: nothing recorded, nothing counted. */
	r->enabled = 0;
	CHECK_EQ(ttrace_ring_write(r, TTRACE_REC_USER, 0, "x", 1), -EAGAIN);
	CHECK(ttrace_ring_reserve(r, TTRACE_REC_USER, 0, 8) == NULL, "disabled reserve");
	CHECK_EQ(r->committing, 0);
	CHECK_EQ(ttrace_ring_lost(r), 0);
	free_ring(r);
}

/* Discard: keep exactly the oldest, count exactly the rest. */
static void test_discard(void)
{
	struct ttrace_ring *r = new_ring(65536, 4096, TTRACE_MODE_DISCARD);
	struct decoded d = { 0 };
	uint32_t i, kept = 0;

	reset_counts();
	fixed_size = 1;	/* so the kept ones are exactly the oldest */
	for (i = 0; i < 5000; i++)
		if (write_ev(r, SRC_MAIN, i) == 0)
			kept++;
	CHECK(kept > 100 && kept < 5000, "kept %u", kept);
	CHECK_EQ(r->dropped, 5000 - kept);
	drain(r, &d, 0);
	CHECK_EQ(d.count[SRC_MAIN], kept);
	CHECK_EQ(d.first_id[SRC_MAIN], 0);
	CHECK_EQ(d.last_id[SRC_MAIN], kept - 1);
	/* Space is free again: the next event carries the in-band loss mark. */
	CHECK_EQ(write_ev(r, SRC_MAIN, 5000), 0);
	drain(r, &d, 0);
	CHECK_EQ(d.lost_dropped, 5000 - kept);
	CHECK_EQ(d.count[SRC_MAIN], kept + 1);
	CHECK_EQ(ttrace_ring_lost(r), 5000 - kept);
	/* Loss still pending when tracing stops: the final read marks it. */
	ttrace_ring_reset(r);
	memset(&d, 0, sizeof(d));
	for (i = 0; i < 3000; i++)
		write_ev(r, SRC_MAIN, i);
	drain(r, &d, TTRACE_READ_FINAL);
	CHECK_EQ(d.count[SRC_MAIN] + d.lost_dropped, 3000);
	CHECK(!d.bad_order && !d.bad_payload && !d.bad_tsc && !d.bad_type, "discard decode");
	fixed_size = 0;
	free_ring(r);
}

/* Overwrite: keep exactly a newest suffix, count exactly the rest. */
static void test_overwrite(void)
{
	struct ttrace_ring *r = new_ring(65536, 4096, TTRACE_MODE_OVERWRITE);
	struct decoded d = { 0 };
	uint32_t total = 20000;

	int fails = 0;

	reset_counts();
	for (uint32_t i = 0; i < total; i++)
		fails += write_ev(r, SRC_MAIN, i) != 0;
	CHECK(fails == 0, "overwrite mode never drops: %d", fails);
	drain(r, &d, TTRACE_READ_FINAL);
	CHECK_EQ(d.last_id[SRC_MAIN], total - 1);
	CHECK_EQ(d.first_id[SRC_MAIN], total - d.count[SRC_MAIN]);
	CHECK_EQ(d.lost_over, total - d.count[SRC_MAIN]);
	CHECK(d.count[SRC_MAIN] > 100, "kept %lu", (unsigned long)d.count[SRC_MAIN]);
	CHECK_EQ(ttrace_ring_lost(r), d.lost_over);
	CHECK(!d.bad_order && !d.bad_payload && !d.bad_tsc && !d.bad_type, "overwrite decode");
	/* Reading partway keeps what was read: a second batch loses only its own overflow. */
	memset(&d, 0, sizeof(d));
	for (uint32_t i = 0; i < 50; i++)
		write_ev(r, SRC_MAIN, total + i);
	drain(r, &d, TTRACE_READ_FINAL);
	CHECK_EQ(d.count[SRC_MAIN], 50);
	CHECK_EQ(d.lost_over, 0);
	free_ring(r);
}

/*
 * Nest a writer (and, with depth 2, a writer inside it) at every hook
 * point, many times, in both modes, with and without overflow.
 */
static void test_hook_nesting(void)
{
	static const uint32_t modes[2] = { TTRACE_MODE_DISCARD, TTRACE_MODE_OVERWRITE };

	for (int m = 0; m < 2; m++) {
		for (int point = 0; point < 8; point++) {
			for (int depth = 1; depth <= 2; depth++) {
				for (int overflow = 0; overflow < 2; overflow++) {
					struct ttrace_ring *r = new_ring(overflow ? 65536 : 1 << 20,
									 4096, modes[m]);
					struct decoded d = { 0 };
					uint32_t n = overflow ? 6000 : 300, fails = 0;
					uint64_t kept, lost, att;

					reset_counts();
					hook_point = point;
					hook_max_depth = depth;
					for (uint32_t i = 0; i < n; i++) {
						/* One nested writer per outer one (two at depth 2). */
						hook_budget = depth;
						attempted[SRC_MAIN]++;
						fails += write_ev(r, SRC_MAIN, next_id[SRC_MAIN]++) != 0;
					}
					hook_point = -1;
					drain(r, &d, TTRACE_READ_FINAL);
					kept = d.count[0] + d.count[1] + d.count[2];
					lost = d.lost_dropped + d.lost_over;
					att = attempted[0] + attempted[1] + attempted[2];
					CHECK(kept + lost == att && r->committing == 0 &&
					      !d.bad_order && !d.bad_payload && !d.bad_tsc &&
					      !d.bad_type && r->written + r->dropped == att,
					      "mode %u point %d depth %d overflow %d: kept %lu lost %lu "
					      "attempted %lu (nested %lu+%lu) order %d payload %d tsc %d type %d",
					      modes[m], point, depth, overflow, (unsigned long)kept,
					      (unsigned long)lost, (unsigned long)att,
					      (unsigned long)attempted[1], (unsigned long)attempted[2],
					      d.bad_order, d.bad_payload, d.bad_tsc, d.bad_type);
					CHECK(attempted[1] > 0, "point %d was reached", point);
					if (!overflow)
						CHECK(lost == 0 && fails == 0, "no loss without overflow");
					free_ring(r);
				}
			}
		}
	}
	hook_max_depth = 1;
}

/*
 * Asynchronous nesting: the main thread writes; a 20 us interval timer
 * sends it SIGALRM, whose handler writes and sometimes raises SIGUSR2 (its
 * handler writes too, nested like an NMI in an IRQ); a reader thread, with
 * both signals blocked, consumes concurrently.
 *
 * The ring allows one writer CPU, so every handler must run on the main
 * thread.  SIGALRM is process-directed: Linux hands it to any thread that
 * does not block it when the main thread is off CPU with a signal pending,
 * so the reader is created with both signals already blocked (a mask it
 * sets itself comes too late on a loaded host: handlers then wrote from two
 * CPUs at once and corrupted the stream), and a handler that finds itself
 * on another thread is counted as a failure.
 */
static struct ttrace_ring *sig_ring;
static uint32_t sig_ids[NSRC];
static uint64_t sig_attempt[NSRC];
static uint64_t sig_in_critical;	/* handler found a writer in flight */
static pthread_t sig_writer;		/* the one thread allowed to write */
static uint64_t sig_wrong_thread;	/* handlers that ran elsewhere */

static void on_sigusr2(int sig)
{
	(void)sig;
	if (!pthread_equal(pthread_self(), sig_writer))
		sig_wrong_thread++;
	sig_attempt[SRC_SIG2]++;
	write_ev(sig_ring, SRC_SIG2, sig_ids[SRC_SIG2]++);
}

static void on_sigalrm(int sig)
{
	(void)sig;
	if (!pthread_equal(pthread_self(), sig_writer))
		sig_wrong_thread++;
	if (sig_ring->committing)
		sig_in_critical++;
	sig_attempt[SRC_SIG1]++;
	write_ev(sig_ring, SRC_SIG1, sig_ids[SRC_SIG1]++);
	if ((sig_ids[SRC_SIG1] & 3) == 0)
		raise(SIGUSR2);
}

static struct decoded sig_dec;
static volatile int reader_stop;

static void *reader(void *arg)
{
	uint64_t tsc = 0;
	static uint8_t buf[1 << 15];
	long n;

	(void)arg;
	for (;;) {
		int stop = reader_stop;

		while ((n = ttrace_ring_read(sig_ring, buf, sizeof(buf), 0)) > 0)
			decode(&sig_dec, buf, n, &tsc);
		if (n < 0) {
			sig_dec.bad_type += 1000;
			break;
		}
		if (stop)
			break;
	}
	return NULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void test_signal_nesting(uint32_t mode, uint64_t size)
{
	struct sigaction sa1 = { 0 }, sa2 = { 0 };
	struct itimerval it = { { 0, 20 }, { 0, 20 } }, off = { { 0, 0 }, { 0, 0 } };
	pthread_t rd;
	sigset_t set, oldset;
	uint64_t kept, lost, att, t0;
	uint32_t i;

	sig_ring = new_ring(size, 4096, mode);
	memset(&sig_dec, 0, sizeof(sig_dec));
	memset(sig_ids, 0, sizeof(sig_ids));
	memset(sig_attempt, 0, sizeof(sig_attempt));
	sig_in_critical = 0;
	sig_wrong_thread = 0;
	sig_writer = pthread_self();
	sa1.sa_handler = on_sigalrm;
	sa2.sa_handler = on_sigusr2;
	sigaction(SIGALRM, &sa1, NULL);
	sigaction(SIGUSR2, &sa2, NULL);
	reader_stop = 0;
	/* The reader inherits the blocked mask from its first instruction. */
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, &oldset);
	pthread_create(&rd, NULL, reader, NULL);
	pthread_sigmask(SIG_SETMASK, &oldset, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	t0 = now_ns();
	for (i = 0; now_ns() - t0 < 300000000ull || sig_in_critical < 50; i++) {
		sig_attempt[SRC_MAIN]++;
		write_ev(sig_ring, SRC_MAIN, i);
		for (volatile int spin = 0; spin < 20; spin++)
			;
		if (now_ns() - t0 > 5000000000ull)
			break;
	}
	setitimer(ITIMER_REAL, &off, NULL);
	signal(SIGALRM, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	reader_stop = 1;
	pthread_join(rd, NULL);
	{
		uint64_t tsc = 0;
		long n;

		while ((n = ttrace_ring_read(sig_ring, readbuf, sizeof(readbuf), TTRACE_READ_FINAL)) > 0)
			decode(&sig_dec, readbuf, n, &tsc);
	}
	kept = sig_dec.count[SRC_MAIN] + sig_dec.count[SRC_SIG1] + sig_dec.count[SRC_SIG2];
	lost = sig_dec.lost_dropped + sig_dec.lost_over;
	att = sig_attempt[SRC_MAIN] + sig_attempt[SRC_SIG1] + sig_attempt[SRC_SIG2];
	CHECK(kept + lost == att && !sig_dec.bad_order && !sig_dec.bad_payload &&
	      !sig_dec.bad_tsc && !sig_dec.bad_type,
	      "mode %u: kept %lu + lost %lu != attempted %lu, or order %d payload %d tsc %d type %d",
	      mode, (unsigned long)kept, (unsigned long)lost, (unsigned long)att,
	      sig_dec.bad_order, sig_dec.bad_payload, sig_dec.bad_tsc, sig_dec.bad_type);
	CHECK(sig_attempt[SRC_SIG1] > 100 && sig_attempt[SRC_SIG2] > 10 && sig_in_critical >= 50,
	      "signals: %lu sig1, %lu sig2, %lu inside a writer",
	      (unsigned long)sig_attempt[SRC_SIG1], (unsigned long)sig_attempt[SRC_SIG2],
	      (unsigned long)sig_in_critical);
	CHECK_EQ(ttrace_ring_lost(sig_ring), lost);
	CHECK_EQ(sig_wrong_thread, 0);
	printf("signal nesting, mode %u: %lu events (%lu in handlers, %lu interrupted a writer), "
	       "%lu lost\n", mode, (unsigned long)att,
	       (unsigned long)(sig_attempt[SRC_SIG1] + sig_attempt[SRC_SIG2]),
	       (unsigned long)sig_in_critical, (unsigned long)lost);
	free_ring(sig_ring);
}

int main(void)
{
	test_geometry();
	test_roundtrip();
	test_discard();
	test_overwrite();
	test_hook_nesting();
	test_signal_nesting(TTRACE_MODE_DISCARD, 1 << 20);
	test_signal_nesting(TTRACE_MODE_OVERWRITE, 1 << 16);
	test_signal_nesting(TTRACE_MODE_DISCARD, 1 << 14);
	return UNIT_SUMMARY();
}
