/*
 * cowrace: threads of a forked child increment one counter on a page that
 * is still copy-on-write from the fork, all at once.
 *
 * Model: each round forks a child; the counter's page is shared with the
 * parent, read-only in both.  The child starts NTHREADS threads that each
 * increment the counter at once (atomically) and then stay on their CPU a
 * while, and itself keeps reading the counter (so its CPU caches the
 * read-only translation) until it reaches NTHREADS or a bound; then it
 * joins them.  The first increment copies the page; the others must land
 * on the copy.  The child exits 0 if the counter ends at NTHREADS.
 *
 * The kernel bug this catches: the copy was installed before the other
 * CPUs flushed the old translation, so a thread could read the old page
 * and write the new one (QEMU's single-threaded TCG does a locked add as
 * a load through the cached entry and a store through a fresh walk),
 * losing an increment; tests/stress/threadexit then waited forever.
 * Usage: cowrace [ROUNDS] (default 1000).  Prints "ok cowrace (N rounds)"
 * or "FAIL cowrace: ...", and "N passed, N failed".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define NTHREADS 3

static volatile int counter;

static void *incrementer(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < 20000; i++)
		__asm__ __volatile__("pause");	/* stay; under TCG: let other vCPUs run */
	return NULL;
}

/* The child's body: NTHREADS increments; exits 0 if none was lost, else 10 + the count. */
static void __attribute__((noreturn)) child(void)
{
	pthread_t t[NTHREADS];
	int n = 0;

	for (int i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[n], NULL, incrementer, NULL) == 0)
			n++;
	for (long k = 0; counter < n && k < 20000000; k++)
		;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	_exit(counter == NTHREADS ? 0 : 10 + counter);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 1000;
	int n, st = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	counter = 0;	/* the parent maps the page writable; every child inherits it COW */
	for (n = 0; n < rounds; n++) {
		pid_t pid;

		pid = fork();
		if (pid < 0) {
			perror("cowrace: fork");
			return 1;
		}
		if (pid == 0)
			child();
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			break;
	}
	if (n < rounds) {
		if (WIFEXITED(st) && WEXITSTATUS(st) >= 10)
			printf("FAIL cowrace: round %d: %d threads incremented, counter %d\n", n,
			       NTHREADS, WEXITSTATUS(st) - 10);
		else
			printf("FAIL cowrace: round %d: child wait status 0x%x\n", n, st);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	printf("ok cowrace (%d rounds)\n1 passed, 0 failed\n", rounds);
	return 0;
}
