/*
 * forkbomb: fill the process table and check that fork fails cleanly,
 * that the bomb can be killed, and that fork works again afterwards.
 *
 * Model: the test process T makes itself a child subreaper (so orphaned
 * bomb processes come back to it; if the kernel lacks the prctl, init
 * reaps them) and forks a leader L in a new process group.  L and every
 * descendant fork in a loop: each success bumps a shared counter, each
 * new child joins the loop; the first fork that fails records its errno
 * in shared memory and every process then sleeps.  T waits until a
 * failure is recorded (or CAP processes exist, or 120 s pass), kills the
 * whole group with SIGKILL (repeatedly, in case a fork raced the kill),
 * reaps, and waits until the group is empty.  Then fork must work again.
 * Passes if fork failed with EAGAIN (ENOMEM is reported but accepted:
 * Linux also uses it when the kernel is out of memory), the group
 * vanished within 60 s and a fresh fork succeeded; prints a summary and
 * "ok" or a FAIL line.  RLIMIT_NPROC is left alone unless -n N is given
 * (for host runs, where the real process table is huge and shared).
 * Usage: forkbomb [-n NPROC_LIMIT] [-c CAP]   (default CAP 1000000)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Shared between every bomb process and the test process. */
struct bomb_state {
	volatile long created;	/* successful forks */
	volatile int fail_errno;	/* first fork failure, 0 until then */
	volatile int stop;	/* set by the cap: stop forking */
};

static struct bomb_state *st;
static long cap = 1000000;

/* Body of every bomb process; never returns. */
static void bomb(void)
{
	for (;;) {
		pid_t pid;

		if (st->fail_errno || st->stop) {
			pause();
			continue;
		}
		pid = fork();
		if (pid < 0) {
			if (!st->fail_errno)
				st->fail_errno = errno;
			continue;
		}
		if (pid > 0 && __atomic_add_fetch(&st->created, 1,
						  __ATOMIC_SEQ_CST) >= cap)
			st->stop = 1;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Kill group `pgid` until it is empty; returns 0, -1 after 60 s. */
static int kill_group(pid_t pgid)
{
	double until = now() + 60.0;

	while (now() < until) {
		if (kill(-pgid, SIGKILL) < 0 && errno == ESRCH)
			return 0;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(10000);
	}
	return -1;
}

int main(int argc, char **argv)
{
	double t0, until;
	pid_t leader, pid;
	int opt, status, failed = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	while ((opt = getopt(argc, argv, "n:c:")) != -1) {
		if (opt == 'n') {
			struct rlimit rl;

			rl.rlim_cur = rl.rlim_max = strtoul(optarg, NULL, 0);
			if (setrlimit(RLIMIT_NPROC, &rl) < 0)
				perror("forkbomb: setrlimit");
		} else if (opt == 'c') {
			cap = strtol(optarg, NULL, 0);
		} else {
			return 2;
		}
	}
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED) {
		printf("FAIL forkbomb: mmap: %s\n", strerror(errno));
		return 1;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		printf("forkbomb: no child subreaper (%s); init reaps orphans\n",
		       strerror(errno));
	t0 = now();
	leader = fork();
	if (leader < 0) {
		printf("FAIL forkbomb: first fork: %s\n", strerror(errno));
		return 1;
	}
	if (leader == 0) {
		setpgid(0, 0);
		bomb();
	}
	setpgid(leader, leader);
	until = t0 + 120.0;
	while (!st->fail_errno && !st->stop && now() < until)
		usleep(10000);
	printf("forkbomb: %ld forks in %.1f s, then %s\n", st->created,
	       now() - t0, st->fail_errno ? strerror(st->fail_errno) :
	       st->stop ? "the cap" : "the 120 s limit");
	if (st->fail_errno != EAGAIN && st->fail_errno != ENOMEM) {
		printf("FAIL forkbomb: fork never failed with EAGAIN\n");
		failed = 1;
	} else if (st->fail_errno == ENOMEM) {
		printf("forkbomb: note: ENOMEM, not EAGAIN (out of memory before "
		       "the process table filled)\n");
	}
	if (kill_group(leader) < 0) {
		printf("FAIL forkbomb: process group still alive after 60 s of "
		       "SIGKILL\n");
		failed = 1;
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	printf("forkbomb: group gone %.1f s after the start\n", now() - t0);
	pid = fork();
	if (pid == 0)
		_exit(7);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 7) {
		printf("FAIL forkbomb: fork after the bomb: %s\n",
		       pid < 0 ? strerror(errno) : "child status wrong");
		failed = 1;
	}
	if (failed)
		return 1;
	printf("ok\n");
	return 0;
}
