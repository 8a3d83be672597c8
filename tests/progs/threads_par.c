/*
 * threads_par: threads of one process run on several CPUs.  Four threads,
 * thread i created pinned (pthread_attr_setaffinity_np, so the creator sets
 * the new thread's mask) to the (i mod n)-th of the n = min(CPUs, 4) CPUs
 * the process may use, spin recording sched_getcpu(); the main thread
 * waits until it sees the group on n distinct CPUs at once (or a time
 * limit passes).  Pinning makes the claim hold on a loaded Linux host too,
 * where the load balancer may leave unpinned threads of a low-weight task
 * group on one CPU for seconds.  Prints only fixed lines; `-v` adds the
 * counts.
 */
#include "tprog.h"
#include <pthread.h>
#include <sched.h>
#include <time.h>

#define NT 4

static volatile int cpu_of[NT];
static volatile int stop;

static void *spin(void *arg)
{
	long id = (long)arg;

	while (!stop)
		cpu_of[id] = sched_getcpu();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[NT];
	cpu_set_t set;
	struct timespec t0, t1;
	int want, best = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	sched_getaffinity(0, sizeof(set), &set);
	want = CPU_COUNT(&set) < NT ? CPU_COUNT(&set) : NT;
	for (long i = 0; i < NT; i++) {
		pthread_attr_t attr;
		cpu_set_t one;
		int k = i % want, c = 0;

		while (!CPU_ISSET(c, &set) || k--)
			c++;
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		pthread_attr_init(&attr);
		pthread_attr_setaffinity_np(&attr, sizeof(one), &one);
		cpu_of[i] = -1;
		if (pthread_create(&t[i], &attr, spin, (void *)i))
			return printf("pthread_create failed\n"), 1;
		pthread_attr_destroy(&attr);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		int seen[1024] = { 0 }, n = 0;

		for (int i = 0; i < NT; i++) {
			int c = cpu_of[i];

			if (c >= 0 && c < 1024 && !seen[c]++)
				n++;
		}
		if (n > best)
			best = n;
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while (best < want && t1.tv_sec - t0.tv_sec < 5);
	stop = 1;
	for (int i = 0; i < NT; i++)
		pthread_join(t[i], NULL);
	if (argc > 1 && !strcmp(argv[1], "-v"))
		printf("cpus %d, threads seen on %d at once\n", CPU_COUNT(&set), best);
	CHECK("threads spread over the CPUs", best >= want, "saw %d of %d", best, want);
	return TP_SUMMARY();
}
