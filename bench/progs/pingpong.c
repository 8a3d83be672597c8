/*
 * pingpong: futex wake latency.  Two threads bounce a futex word N times
 * (default 20000): each waits (FUTEX_WAIT_PRIVATE) until the word holds
 * its turn, then hands the turn over and wakes the other.  Prints
 * "pingpong: N round trips, X ns per round trip" (CLOCK_MONOTONIC).
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile int word;	/* 0: ping's turn, 1: pong's turn */
static long rounds;

static void wait_for(int want)
{
	while (__atomic_load_n(&word, __ATOMIC_ACQUIRE) != want)
		syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, !want, NULL, NULL, 0);
}

static void hand_over(int to)
{
	__atomic_store_n(&word, to, __ATOMIC_RELEASE);
	syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *pong(void *arg)
{
	(void)arg;
	for (long i = 0; i < rounds; i++) {
		wait_for(1);
		hand_over(0);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	pthread_t t;
	double ns;

	rounds = argc > 1 ? atol(argv[1]) : 20000;
	pthread_create(&t, NULL, pong, NULL);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < rounds; i++) {
		hand_over(1);
		wait_for(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	pthread_join(t, NULL);
	ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	printf("pingpong: %ld round trips, %.0f ns per round trip\n", rounds, ns / rounds);
	return 0;
}
