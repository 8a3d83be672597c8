/*
 * Who may debug whom (docs/security.md), run as root: another user's
 * process cannot be read, written or attached to; the same user's can,
 * unless it made itself non-dumpable; root can always.  Prints "ok"/"FAIL"
 * per check and "N passed, N failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/wait.h>

static volatile long secret = 42;

/* A process of uid running until killed (non-dumpable if asked). */
static int spawn(int uid, int dumpable)
{
	int p = fork();

	if (p == 0) {
		if (setgid(uid) || setuid(uid))
			_exit(1);
		prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0);
		for (;;)
			pause();
	}
	return p;
}

static long peek(int pid)
{
	long v = 0;
	struct iovec l = { &v, sizeof(v) }, r = { (void *)&secret, sizeof(v) };

	return process_vm_readv(pid, &l, 1, &r, 1, 0) == sizeof(v) ? v : -errno;
}

static int try_open(int pid, const char *name)
{
	char p[64];
	int fd;

	snprintf(p, sizeof(p), "/proc/%d/%s", pid, name);
	fd = open(p, O_RDWR);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Run fn's checks as uid in a child; its exit status is the failure count. */
static int as_user(int uid, int victim, int (*fn)(int))
{
	int p = fork(), st;

	if (p == 0) {
		if (setgid(uid) || setuid(uid))
			_exit(100);
		_exit(fn(victim));
	}
	waitpid(p, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

#define CHECK(cond, ...) do { int ok_ = (cond); printf("%s ", ok_ ? "ok  " : "FAIL"); \
	printf(__VA_ARGS__); printf("\n"); fails += !ok_; } while (0)

static int other_user(int victim)
{
	int fails = 0;

	CHECK(peek(victim) == -EPERM, "other user: process_vm_readv EPERM");
	CHECK(try_open(victim, "mem") == -EACCES, "other user: /proc/PID/mem EACCES");
	CHECK(try_open(victim, "ctl") == -EACCES, "other user: /proc/PID/ctl EACCES");
	return fails;
}

static int same_user(int victim)
{
	int fails = 0;

	CHECK(peek(victim) == 42, "same user: process_vm_readv reads");
	CHECK(try_open(victim, "ctl") == 0, "same user: /proc/PID/ctl opens");
	return fails;
}

static int same_user_nondumpable(int victim)
{
	int fails = 0;

	CHECK(peek(victim) == -EPERM, "non-dumpable: process_vm_readv EPERM");
	CHECK(try_open(victim, "mem") == -EACCES, "non-dumpable: /proc/PID/mem EACCES");
	return fails;
}

int main(void)
{
	int a = spawn(1000, 1), b = spawn(1000, 0), fails = 0, total = 0, ctl, ctl2;
	int pair[2];

	setvbuf(stdout, NULL, _IONBF, 0);

	usleep(100000);
	fails += as_user(1001, a, other_user), total += 3;
	fails += as_user(1000, a, same_user), total += 2;
	fails += as_user(1000, b, same_user_nondumpable), total += 2;
	CHECK(peek(b) == 42, "root reads a non-dumpable process");
	total++;
	{
		char p[64];

		snprintf(p, sizeof(p), "/proc/%d/ctl", a);
		ctl = open(p, O_RDWR);
		total += 2;
		CHECK(ctl >= 0 && write(ctl, "attach", 6) == 6, "root attaches");
		/* A second debugger (another process) is refused while the first holds it. */
		if (pipe(pair) == 0 && fork() == 0) {
			ctl2 = open(p, O_RDWR);
			_exit(ctl2 >= 0 && write(ctl2, "attach", 6) < 0 && errno == EBUSY ? 0 : 1);
		}
		{
			int st;

			wait(&st);
			CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "second debugger EBUSY");
		}
	}
	kill(a, SIGKILL);
	kill(b, SIGKILL);
	close(ctl);
	while (wait(NULL) > 0)
		;
	printf("%d passed, %d failed\n", total - fails, fails);
	return fails != 0;
}
