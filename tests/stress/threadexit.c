/*
 * threadexit: a process torn down while its threads spin on other CPUs.
 *
 * Model: each round forks a child that starts three threads spinning in
 * user mode (so they are on CPUs, not asleep, when the teardown kills
 * them) and then ends the process one of three ways, in turn:
 *   exec-thread  a non-leader thread calls execve (Linux's de_thread: the
 *                siblings die, the thread takes over the pid);
 *   exec-leader  the main thread calls execve;
 *   exit-thread  a non-leader thread calls exit (exit_group).
 * The parent expects exit status 0 (/bin/true, or the exit) every time.
 * The kernel bug this catches: a killed sibling that kept the old page
 * tables loaded while the exec'ing or exiting thread freed them, so its
 * CPU triple-faulted on the next interrupt (about one round in 30 with 4
 * CPUs).  Usage: threadexit [ROUNDS] (default 150).  Prints one line per
 * mode, "ok NAME" or "FAIL NAME: ...", and "N passed, N failed".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

enum mode { EXEC_THREAD, EXEC_LEADER, EXIT_THREAD, NR_MODES };

static const char *const mode_name[NR_MODES] = { "exec-thread", "exec-leader", "exit-thread" };

static volatile int spinning;

static void *spinner(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&spinning, 1, __ATOMIC_SEQ_CST);
	for (;;)
		__asm__ __volatile__("pause");
	return NULL;
}

static void end_process(enum mode m)
{
	char *argv[] = { "/bin/true", NULL };

	if (m == EXIT_THREAD)
		exit(0);
	execv(argv[0], argv);
	_exit(99);
}

static void *ender(void *arg)
{
	while (__atomic_load_n(&spinning, __ATOMIC_SEQ_CST) < 3)
		;
	end_process((enum mode)(long)arg);
	return NULL;
}

/* One round in mode m; 0 if the child ended with status 0, else its wait status (or -1). */
static int round_once(enum mode m)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		pthread_t t;

		for (int i = 0; i < 3; i++)
			pthread_create(&t, NULL, spinner, NULL);
		if (m == EXEC_LEADER) {
			while (__atomic_load_n(&spinning, __ATOMIC_SEQ_CST) < 3)
				;
			end_process(m);
		}
		pthread_create(&t, NULL, ender, (void *)(long)m);
		for (;;)
			pause();
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : st;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 150;
	int pass = 0, fail = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (int m = 0; m < NR_MODES; m++) {
		int bad = 0, n;

		for (n = 0; n < rounds && !bad; n++)
			bad = round_once((enum mode)m);
		if (bad) {
			printf("FAIL %s: round %d ended with status 0x%x\n", mode_name[m], n, bad);
			fail++;
		} else {
			printf("ok %s (%d rounds)\n", mode_name[m], rounds);
			pass++;
		}
	}
	printf("%d passed, %d failed\n", pass, fail);
	return fail != 0;
}
