/*
 * sysloop N: N getppid() system calls, timed with CLOCK_MONOTONIC; prints
 * "sysloop N calls T ns X ns/call".  The target half of bench/kernel.sh.
 * Static; exit status 1 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

/* Monotonic time in ns. */
static long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	long long t0, t;

	if (n <= 0) {
		fprintf(stderr, "usage: sysloop N\n");
		return 1;
	}
	t0 = now();
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	t = now() - t0;
	printf("sysloop %ld calls %lld ns %.1f ns/call\n", n, t, (double)t / (double)n);
	return 0;
}
