/*
 * mcp_bench: MCP and parlib figures on the target (tests/mcp/bench.sh runs
 * it; the pthread/futex ping-pong it is compared with is
 * bench/progs/pingpong, run on the host and on the target).  Prints
 * "bench NAME: VALUE UNIT" lines:
 *   uthread-switch     uthread_yield between two uthreads on one vcore, per switch
 *   uthread-pingpong   semaphore ping-pong between two uthreads, per round trip
 *   vcore-request      from poke_ksched to every requested vcore running
 *   notify-roundtrip   vcore_notify to another vcore until its handler ran
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
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

static void on_event(int vcoreid, const struct mcp_event *ev)
{
	(void)vcoreid;
	(void)ev;
	__atomic_fetch_add(&handled, 1, __ATOMIC_RELEASE);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 5000;
	struct uthread *u1, *u2;
	uint64_t t0, t1;
	int maxv;

	parlib_user_event_handler = on_event;
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
			int target = (vcore_id() + 1) % maxv;
			long rounds = 200, before;

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
		}
	}
	return 0;
}
