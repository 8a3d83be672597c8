/*
 * mcp_bench: MCP and parlib figures on the target (tests/mcp/bench.sh runs
 * it; the pthread/futex ping-pong it is compared with is
 * bench/progs/pingpong, run on the host and on the target).  Prints
 * "bench NAME: VALUE UNIT" lines:
 *   uthread-switch     uthread_yield between two uthreads on one vcore, per switch
 *   uthread-pingpong   semaphore ping-pong between two uthreads, per round trip
 *   vcore-request      from poke_ksched to every requested vcore running
 *   notify-roundtrip   vcore_notify to another vcore until its handler ran
 *   syscall-plain      a plain 1-byte pipe read with data there (the baseline)
 *   async-sync         the same read through SYS_mcp_async, done at once (probe + call)
 *   async-roundtrip    a 1-byte pipe read that waits (a kernel worker runs it):
 *                      from the other uthread's write on the same vcore until the
 *                      reader ran again and submitted its next read
 *   pipe-pingpong-scp  the baseline for that: a plain blocking pipe ping-pong
 *                      between the MCP (its vcore blocks) and a single-core child,
 *                      one byte each way; both ends wake a halted CPU, as the
 *                      async round trip wakes its worker's
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "parlib.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static volatile long yields;

static void *yielder(void *arg)
{
	long n = (long)arg;

	for (long i = 0; i < n; i++)
		uthread_yield();
	return NULL;
}

static struct uth_sem a, b;

static void *ponger(void *arg)
{
	long n = (long)arg;

	for (long i = 0; i < n; i++) {
		uth_sem_down(&a);
		uth_sem_up(&b);
	}
	return NULL;
}

static volatile long handled;
static volatile int spin_stop;

/* Spins with notifications on (a notification interrupts it), yielding now and then. */
static void *spinner(void *arg)
{
	(void)arg;
	while (!spin_stop) {
		for (int i = 0; i < 20000 && !spin_stop; i++)
			__asm__ __volatile__("pause");
		uthread_yield();
	}
	return NULL;
}

static void on_event(int vcoreid, const struct mcp_event *ev)
{
	(void)vcoreid;
	(void)ev;
	__atomic_fetch_add(&handled, 1, __ATOMIC_RELEASE);
}

static int to_child[2], from_child[2];

/* Fork (before parlib_init: an MCP cannot) a child that echoes bytes until EOF. */
static void echo_child_start(void)
{
	char c;

	if (pipe(to_child) || pipe(from_child))
		return;
	if (fork() == 0) {
		close(to_child[1]);
		close(from_child[0]);
		while (syscall3(SYS_read, to_child[0], (long)&c, 1) == 1)
			syscall3(SYS_write, from_child[1], (long)&c, 1);
		_exit(0);
	}
	close(to_child[0]);
	close(from_child[1]);
}

static void bench_pipe_scp(long rounds)
{
	uint64_t t0, t1;
	char c = 'p';

	t0 = now_ns();
	for (long i = 0; i < rounds; i++) {
		syscall3(SYS_write, to_child[1], (long)&c, 1);
		syscall3(SYS_read, from_child[0], (long)&c, 1);
	}
	t1 = now_ns();
	printf("bench pipe-pingpong-scp: %llu ns\n", (unsigned long long)((t1 - t0) / (uint64_t)rounds));
	close(to_child[1]);
}

static int bfd[2];
static volatile long consumed;

static void *async_reader(void *arg)
{
	long n = (long)arg;
	char c;

	for (long i = 0; i < n; i++) {
		read(bfd[0], &c, 1);
		__atomic_store_n(&consumed, i + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* The syscall-plain, async-sync and async-roundtrip figures (one vcore). */
static void bench_async(long n)
{
	struct parlib_async_stats s0, s1;
	struct uthread *u;
	uint64_t t0, t1;
	char c;
	long rounds = n / 5 > 0 ? n / 5 : 1;

	if (n > 4096)
		n = 4096;	/* what the pipe holds */
	if (pipe(bfd))
		return;
	for (int k = 0; k < 2; k++) {
		for (long i = 0; i < n; i++)
			syscall3(SYS_write, bfd[1], (long)"x", 1);
		t0 = now_ns();
		for (long i = 0; i < n; i++) {
			if (k)
				async_syscall(SYS_read, bfd[0], (long)&c, 1, 0, 0, 0);
			else
				syscall3(SYS_read, bfd[0], (long)&c, 1);
		}
		t1 = now_ns();
		printf("bench %s: %llu ns\n", k ? "async-sync" : "syscall-plain",
		       (unsigned long long)((t1 - t0) / (uint64_t)n));
	}
	consumed = 0;
	parlib_async_stats(&s0);
	u = uthread_create(async_reader, (void *)rounds, "areader");
	t0 = now_ns();
	for (long i = 0; i < rounds; i++) {
		/* the reader waits in the kernel (its call is in flight) for this byte */
		while (__atomic_load_n(&consumed, __ATOMIC_ACQUIRE) < i || !parlib_async_in_flight())
			uthread_yield();
		syscall3(SYS_write, bfd[1], (long)"x", 1);
	}
	uthread_join(u);
	t1 = now_ns();
	parlib_async_stats(&s1);
	printf("bench async-roundtrip: %llu ns (%llu of %ld reads went to a worker)\n",
	       (unsigned long long)((t1 - t0) / (uint64_t)rounds),
	       (unsigned long long)(s1.async - s0.async), rounds);
	close(bfd[0]);
	close(bfd[1]);
	bench_pipe_scp(rounds);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 5000;
	struct uthread *u1, *u2;
	uint64_t t0, t1;
	int maxv;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parlib_user_event_handler = on_event;
	echo_child_start();
	if (parlib_init(1)) {
		printf("bench: parlib_init failed\n");
		return 1;
	}
	maxv = max_vcores();
	/* one vcore: every yield is a real switch between the two */
	u1 = uthread_create(yielder, (void *)n, "y1");
	u2 = uthread_create(yielder, (void *)n, "y2");
	t0 = now_ns();
	uthread_join(u1);
	uthread_join(u2);
	t1 = now_ns();
	printf("bench uthread-switch: %llu ns\n", (unsigned long long)((t1 - t0) / (2 * (uint64_t)n)));
	uth_sem_init(&a, 0);
	uth_sem_init(&b, 0);
	u1 = uthread_create(ponger, (void *)n, "pong");
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		uth_sem_up(&a);
		uth_sem_down(&b);
	}
	t1 = now_ns();
	uthread_join(u1);
	printf("bench uthread-pingpong: %llu ns\n", (unsigned long long)((t1 - t0) / (uint64_t)n));
	bench_async(n);
	if (maxv >= 2) {
		uint64_t best = ~0ULL;

		for (int r = 0; r < 5; r++) {
			/* let the extra vcores go idle and yield, then ask again */
			while (num_vcores() > 1)
				uthread_sleep_ns(5000000);
			t0 = now_ns();
			vcore_request_total(maxv);
			while (num_vcores() < maxv)
				__asm__ __volatile__("pause");
			t1 = now_ns();
			best = t1 - t0 < best ? t1 - t0 : best;
		}
		printf("bench vcore-request: %llu ns (best of 5, %d vcores)\n",
		       (unsigned long long)best, maxv);
		{
			int target;
			long rounds = 200, before;
			struct uthread *busy[MCP_MAX_VCORES];

			/* keep the other vcores busy (a spinning uthread each) so none yields */
			spin_stop = 0;
			for (int i = 0; i < maxv - 1; i++)
				busy[i] = uthread_create(spinner, NULL, "busy");
			vcore_request_total(maxv);
			while (num_vcores() < maxv)
				uthread_yield();
			target = (vcore_id() + 1) % maxv;

			t0 = now_ns();
			for (long i = 0; i < rounds; i++) {
				before = handled;
				vcore_notify(target, 0);
				while (handled == before)
					__asm__ __volatile__("pause");
			}
			t1 = now_ns();
			printf("bench notify-roundtrip: %llu ns (to vcore %d)\n",
			       (unsigned long long)((t1 - t0) / (uint64_t)rounds), target);
			spin_stop = 1;
			for (int i = 0; i < maxv - 1; i++)
				uthread_join(busy[i]);
		}
	}
	return 0;
}
