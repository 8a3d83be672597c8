/*
 * procbench: process-layer micro-benchmarks, the same static binary on
 * our kernel and on the Linux reference guest (bench/guest-bench.py).
 *
 * Model: each subcommand times a loop with CLOCK_MONOTONIC after one
 * warm-up round and prints one machine-readable line "NAME VALUE UNIT":
 *   procbench getpid N     raw getpid syscalls   -> "getpid <ns> ns/call"
 *   procbench spawn N      fork + execve(self, "child") + wait4
 *                                                -> "spawn <us> us/iter"
 *   procbench pipe MIB     MIB MiB through a pipe from a child in 64 KiB
 *                          writes                -> "pipe <MB/s> MB/s"
 *   procbench child        exit 0 at once (the exec target of spawn)
 * Exit status 0 on success, 1 (with a message) if a call failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PIPE_BLOCK	(64 * 1024)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int bench_getpid(long n)
{
	double t0;

	for (long i = 0; i < n / 10 + 1; i++)
		syscall(SYS_getpid);
	t0 = now();
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	printf("getpid %.1f ns/call\n", (now() - t0) * 1e9 / (double)n);
	return 0;
}

/* One fork+exec+wait; returns 0, or -1 with a message. */
static int spawn_once(const char *self)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("procbench: fork");
		return -1;
	}
	if (pid == 0) {
		execl(self, "procbench", "child", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "procbench: child failed (status 0x%x)\n", status);
		return -1;
	}
	return 0;
}

static int bench_spawn(const char *self, long n)
{
	double t0;

	if (spawn_once(self) < 0)
		return 1;
	t0 = now();
	for (long i = 0; i < n; i++)
		if (spawn_once(self) < 0)
			return 1;
	printf("spawn %.1f us/iter\n", (now() - t0) * 1e6 / (double)n);
	return 0;
}

static int bench_pipe(long mib)
{
	static char buf[PIPE_BLOCK];
	long total = mib << 20, got = 0;
	int fds[2], status;
	double t0;
	pid_t pid;

	if (pipe(fds) < 0) {
		perror("procbench: pipe");
		return 1;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("procbench: fork");
		return 1;
	}
	if (pid == 0) {
		close(fds[0]);
		memset(buf, 'x', sizeof(buf));
		for (long sent = 0; sent < total; sent += PIPE_BLOCK)
			if (write(fds[1], buf, PIPE_BLOCK) != PIPE_BLOCK)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	for (;;) {
		ssize_t r = read(fds[0], buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += r;
	}
	waitpid(pid, &status, 0);
	if (got != total) {
		fprintf(stderr, "procbench: pipe moved %ld of %ld bytes\n", got,
			total);
		return 1;
	}
	printf("pipe %.1f MB/s\n", (double)total / 1e6 / (now() - t0));
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[2], NULL, 0) : 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && strcmp(argv[1], "child") == 0)
		return 0;
	if (argc < 3 || n <= 0) {
		fprintf(stderr, "usage: procbench getpid N | spawn N | pipe MIB | child\n");
		return 2;
	}
	if (strcmp(argv[1], "getpid") == 0)
		return bench_getpid(n);
	if (strcmp(argv[1], "spawn") == 0)
		return bench_spawn(argv[0], n);
	if (strcmp(argv[1], "pipe") == 0)
		return bench_pipe(n);
	fprintf(stderr, "procbench: unknown benchmark %s\n", argv[1]);
	return 2;
}
