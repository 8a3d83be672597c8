/*
 * memhog: exhaust anonymous memory and check that the hog, not the
 * system, pays for it.
 *
 * Model: the test process forks a hog that maps anonymous memory in
 * 4 MiB chunks and writes every page (so it is really allocated, not just
 * reserved), reporting its running total through a pipe after each chunk.
 * The hog ends in one of two acceptable ways: mmap fails with ENOMEM (it
 * reports and exits 0), or it is killed (SIGKILL, the OOM policy).  Any
 * other end, or no end within 300 s, fails.  Afterwards the test process
 * must still be able to fork, and map and touch 16 MiB, i.e. the memory
 * came back.  Prints a summary and "ok" or a FAIL line.  -m MIB caps the
 * hog with RLIMIT_AS (for host runs; the default is no cap).
 * Usage: memhog [-m MIB]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK		(4UL << 20)
#define TIMEOUT_MS	300000
#define HOG_ENOMEM	0x10

/* Hog body: touch memory until ENOMEM; never returns. */
static void hog(int out, unsigned long cap_mib)
{
	unsigned long mib = 0;

	if (cap_mib) {
		struct rlimit rl = { cap_mib << 20, cap_mib << 20 };

		setrlimit(RLIMIT_AS, &rl);
	}
	for (;;) {
		char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			int e = errno;

			if (write(out, &mib, sizeof(mib)) < 0)
				_exit(3);
			_exit(e == ENOMEM ? HOG_ENOMEM : 4);
		}
		for (unsigned long i = 0; i < CHUNK; i += 4096)
			p[i] = (char)i;
		mib += CHUNK >> 20;
		if (write(out, &mib, sizeof(mib)) < 0)
			_exit(3);
	}
}

/* Map and touch `mib` MiB; returns 0, or -1 on failure. */
static int touch_mib(unsigned long mib)
{
	size_t len = mib << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	munmap(p, len);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long cap = 0, mib = 0, got;
	int fds[2], status = 0, opt, waited = 0, failed = 0;
	pid_t pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	while ((opt = getopt(argc, argv, "m:")) != -1) {
		if (opt != 'm')
			return 2;
		cap = strtoul(optarg, NULL, 0);
	}
	if (pipe(fds) < 0) {
		printf("FAIL memhog: pipe: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		printf("FAIL memhog: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		close(fds[0]);
		hog(fds[1], cap);
	}
	close(fds[1]);
	for (;;) {
		struct pollfd pfd = { fds[0], POLLIN, 0 };
		int n = poll(&pfd, 1, 1000);

		if (n > 0) {
			if (read(fds[0], &got, sizeof(got)) != sizeof(got))
				break;	/* EOF: the hog is gone */
			mib = got;
			continue;
		}
		waited += 1000;
		if (waited >= TIMEOUT_MS) {
			kill(pid, SIGKILL);
			printf("FAIL memhog: hog still running after %d s (%lu MiB)\n",
			       TIMEOUT_MS / 1000, mib);
			failed = 1;
			break;
		}
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == HOG_ENOMEM)
		printf("memhog: hog got ENOMEM after %lu MiB\n", mib);
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && !failed)
		printf("memhog: hog killed by SIGKILL after %lu MiB\n", mib);
	else if (!failed) {
		printf("FAIL memhog: hog ended with status 0x%x after %lu MiB\n",
		       status, mib);
		failed = 1;
	}
	if (touch_mib(16) < 0) {
		printf("FAIL memhog: cannot touch 16 MiB afterwards: %s\n",
		       strerror(errno));
		failed = 1;
	}
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("FAIL memhog: fork afterwards failed\n");
		failed = 1;
	}
	if (failed)
		return 1;
	printf("ok\n");
	return 0;
}
