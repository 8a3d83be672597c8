/*
 * timeit: run a command N times (fork, execv, wait) with its output sent
 * to /dev/null and print "timeit: median X us over N runs" measured with
 * CLOCK_MONOTONIC around each run.  Usage: timeit N PATH [ARGS...].
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[1]) : 0;
	double *us;

	if (n <= 0 || n > 1000) {
		fprintf(stderr, "usage: timeit N PATH [ARGS...]\n");
		return 2;
	}
	us = calloc((size_t)n, sizeof(*us));
	for (int i = 0; i < n; i++) {
		struct timespec a, b;
		int st;
		pid_t pid;

		clock_gettime(CLOCK_MONOTONIC, &a);
		pid = fork();
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 1);
			execv(argv[2], argv + 2);
			_exit(127);
		}
		waitpid(pid, &st, 0);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "timeit: %s failed (status %#x)\n", argv[2], st);
			return 1;
		}
		us[i] = (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3;
	}
	qsort(us, (size_t)n, sizeof(*us), cmp);
	printf("timeit: median %.0f us over %d runs\n", us[n / 2], n);
	return 0;
}
