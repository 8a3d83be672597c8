/*
 * threads_par: threads of one process run in parallel.  Four threads spin
 * until each has seen, through getcpu, at least min(CPUs, 4) distinct CPUs
 * in use at once by the group (or a time limit passes).  Prints only
 * fixed lines; `-v` adds the CPU numbers seen.
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
		cpu_of[i] = -1;
		pthread_create(&t[i], NULL, spin, (void *)i);
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
