/*
 * ttrace-bench: cost of one trace event with the ttrace ring buffer
 * (kernel/debug/ttrace_ring.c, the code the kernel runs) next to LTTng-UST
 * for the same event (a sys_enter record: nr and four arguments), in one
 * run on one CPU, enabled and disabled.
 *
 * The ttrace tracepoint is what the kernel's will be: a test of the
 * category mask (one predictable branch when disabled), then reserve, fill,
 * commit on this CPU's ring in overwrite mode with the TSC clock.  LTTng's
 * ttbench:on must be enabled in a session (run.sh makes a snapshot session,
 * LTTng's flight-recorder mode, like ours); ttbench:off never is.
 *
 * Prints one line per case, "name: X.XX ns/event", best of ROUNDS runs of
 * N events each, and then the ratios.  Usage: ttrace-bench [N] [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "ttrace_ring.h"
#include "lttng_tp.h"

static uint32_t ttrace_mask = TTRACE_CAT_SYSCALL;
static struct ttrace_ring ring;
static uint32_t cur_tid;

/* The tracepoint as the kernel writes it: one branch when disabled. */
#define ttrace_sys_enter(nr_, a0_, a1_, a2_, a3_)					\
	do {										\
		if (__builtin_expect(__atomic_load_n(&ttrace_mask, __ATOMIC_RELAXED) &	\
				     TTRACE_CAT_SYSCALL, 0))				\
			trace_sys_enter_slow(nr_, a0_, a1_, a2_, a3_);			\
	} while (0)

/* The enabled path: reserve, fill, commit (a drop is counted by the ring). */
static __attribute__((noinline)) void trace_sys_enter_slow(uint32_t nr, uint64_t a0,
							    uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct ttrace_rec *rec = ttrace_ring_reserve(&ring, TTRACE_REC_SYS_ENTER, cur_tid,
						     sizeof(struct ttrace_sys_enter));
	struct ttrace_sys_enter *e;

	if (!rec)
		return;
	e = (struct ttrace_sys_enter *)(rec + 1);
	e->nr = nr;
	e->reserved = 0;
	e->args[0] = a0;
	e->args[1] = a1;
	e->args[2] = a2;
	e->args[3] = a3;
	ttrace_ring_commit(&ring);
}

/* CLOCK_MONOTONIC in seconds. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

enum bench_case { TTRACE_ON, TTRACE_OFF, LTTNG_ON, LTTNG_OFF, EMPTY };

/* One loop per case, so each measures only its own tracepoint. */
#define BENCH_LOOP(name, body)							\
	static __attribute__((noinline)) double name(long n)			\
	{									\
		double t0 = now();						\
										\
		for (long i = 0; i < n; i++) {					\
			body;							\
			__asm__ __volatile__("" ::: "memory");			\
		}								\
		return (now() - t0) * 1e9 / n;					\
	}

BENCH_LOOP(loop_ttrace, ttrace_sys_enter((uint32_t)i, i, 2, 3, 4))
BENCH_LOOP(loop_lttng_on, tracepoint(ttbench, on, (unsigned int)i, i, 2, 3, 4))
BENCH_LOOP(loop_lttng_off, tracepoint(ttbench, off, (unsigned int)i, i, 2, 3, 4))
BENCH_LOOP(loop_empty, (void)0)

/* ns per iteration of one case over n iterations. */
static double run(enum bench_case c, long n)
{
	switch (c) {
	case TTRACE_ON:
	case TTRACE_OFF:
		return loop_ttrace(n);
	case LTTNG_ON:
		return loop_lttng_on(n);
	case LTTNG_OFF:
		return loop_lttng_off(n);
	default:
		return loop_empty(n);
	}
}

/* The best of rounds runs of one case. */
static double best(enum bench_case c, long n, int rounds)
{
	double b = 1e30;

	for (int r = 0; r < rounds; r++) {
		double t = run(c, n);

		if (t < b)
			b = t;
	}
	return b;
}

/* Returns 0, or 1 if the ring cannot be set up. */
int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	uint64_t size = 1 << 20, subsz = 4096;
	double on, off, lon, loff, empty;

	if (ttrace_ring_init(&ring, malloc(ttrace_ring_mem_size(size, subsz)), size, subsz,
			     TTRACE_MODE_OVERWRITE, 0)) {
		fprintf(stderr, "ttrace-bench: ring init failed\n");
		return 1;
	}
	cur_tid = (uint32_t)syscall(SYS_gettid);
	run(TTRACE_ON, n / 10);		/* warm caches and the ring */
	run(LTTNG_ON, n / 10);
	empty = best(EMPTY, n * 10, rounds);
	ttrace_mask = TTRACE_CAT_SYSCALL;
	on = best(TTRACE_ON, n, rounds);
	lon = best(LTTNG_ON, n, rounds);
	ttrace_mask = 0;
	off = best(TTRACE_OFF, n * 10, rounds);
	loff = best(LTTNG_OFF, n * 10, rounds);
	printf("loop overhead: %.2f ns/iteration (included below)\n", empty);
	printf("ttrace enabled: %.2f ns/event\n", on);
	printf("lttng-ust enabled: %.2f ns/event\n", lon);
	printf("ttrace disabled: %.2f ns/event\n", off);
	printf("lttng-ust disabled: %.2f ns/event\n", loff);
	printf("ratio enabled ttrace/lttng-ust: %.3f\n", on / lon);
	{
		uint64_t t0 = ttrace_rdtsc(), t1;
		double w0 = now(), w1;

		for (int i = 0; i < 1000000; i++)
			t1 = ttrace_rdtsc();
		w1 = now();
		printf("of which the clock (rdtsc): %.2f ns/read\n", (w1 - w0) * 1e9 / 1000000);
		(void)t0;
		(void)t1;
	}
	printf("ttrace events recorded: %llu (overwrite mode, the ring keeps the newest)\n",
	       (unsigned long long)ring.written);
	return 0;
}
