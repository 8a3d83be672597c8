/*
 * known: the target tier's program of known behaviour (ttrace-tools/tests/target.sh).
 *   known syscalls          a fixed syscall sequence with recognisable
 *                           arguments, then exit_group(42)
 *   known emit N CPU        pin to CPU, write N numbered user events
 *                           "@0".."@N-1" to /dev/ttrace/user; prints
 *                           "emit N ok K dropped D" (ENOSPC = dropped)
 *   known drain TTY         wait until TTY has sent everything queued
 *   known exc               raise #UD (ud2) and #BP (int3), each caught by
 *                           a signal handler; prints "exc ok"
 *   known sendfile CPU MB   on CPU, next to a spinning child pinned there
 *                           too, sendfile MB MiB from /dev/zero to
 *                           /dev/null; prints "sendfile N bytes"
 * Static; exit status 1 on a usage or setup error.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <termios.h>
#include <unistd.h>
#include <signal.h>
#include <ucontext.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* The sequence target.sh looks for, in this order, with these arguments. */
static int syscalls(void)
{
	syscall(SYS_getppid);
	syscall(SYS_write, 1, "known\n", 6);
	syscall(SYS_lseek, 77, 12345, SEEK_SET);			/* -EBADF */
	syscall(SYS_openat, AT_FDCWD, "/ttrace-no-such-file", O_RDONLY);	/* -ENOENT */
	syscall(SYS_dup, 999);						/* -EBADF */
	syscall(SYS_exit_group, 42);
	return 1;
}

/* Pin the caller to cpu; 0 or 1. */
static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) || sched_getcpu() != cpu) {
		perror("known: sched_setaffinity");
		return 1;
	}
	return 0;
}

/* Numbered user events on one CPU; 0 or 1. */
static int emit(long n, int cpu)
{
	long ok = 0, dropped = 0;
	char buf[32];
	int fd;

	if (pin(cpu))
		return 1;
	fd = open("/dev/ttrace/user", O_WRONLY);
	if (fd < 0) {
		perror("known: /dev/ttrace/user");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		int len = snprintf(buf, sizeof(buf), "@%ld", i);

		if (write(fd, buf, (size_t)len) == len)
			ok++;
		else if (errno == ENOSPC)
			dropped++;
		else {
			perror("known: write");
			return 1;
		}
	}
	printf("emit %ld ok %ld dropped %ld\n", n, ok, dropped);
	return 0;
}

/* SIGILL from ud2: step over the 2-byte instruction. */
static void on_sigill(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)si;
	((ucontext_t *)ctx)->uc_mcontext.gregs[REG_RIP] += 2;
}

/* SIGTRAP from int3: rip is already past it. */
static void on_sigtrap(int sig)
{
	(void)sig;
}

/* A #UD and a #BP, both survived; 0 or 1. */
static int exc(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigill, .sa_flags = SA_SIGINFO };

	if (sigaction(SIGILL, &sa, NULL) || signal(SIGTRAP, on_sigtrap) == SIG_ERR) {
		perror("known: sigaction");
		return 1;
	}
	__asm__ __volatile__("ud2");
	__asm__ __volatile__("int3");
	printf("exc ok\n");
	return 0;
}

/* One long sendfile sharing its CPU with a spinner; 0 or 1. */
static int long_sendfile(int cpu, long mb)
{
	int in = open("/dev/zero", O_RDONLY), out = open("/dev/null", O_WRONLY);
	long left = mb << 20, total = 0;
	pid_t child;

	if (in < 0 || out < 0 || pin(cpu))
		return 1;
	child = fork();
	if (child == 0)
		for (;;)
			__asm__ __volatile__("" ::: "memory");
	if (child < 0) {
		perror("known: fork");
		return 1;
	}
	usleep(50000);	/* the spinner is on the CPU's queue */
	while (left > 0) {
		ssize_t n = sendfile(out, in, NULL, (size_t)left);

		if (n <= 0) {
			perror("known: sendfile");
			break;
		}
		left -= n;
		total += n;
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	printf("sendfile %ld bytes\n", total);
	return left > 0;
}

/* Wait until tty has sent its queued output (TCSADRAIN); 0 or 1. */
static int drain(const char *tty)
{
	struct termios t;
	int fd = open(tty, O_WRONLY | O_NOCTTY);

	if (fd < 0 || tcgetattr(fd, &t) || tcsetattr(fd, TCSADRAIN, &t)) {
		perror(tty);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "syscalls"))
		return syscalls();
	if (argc == 4 && !strcmp(argv[1], "emit"))
		return emit(atol(argv[2]), atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "drain"))
		return drain(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "exc"))
		return exc();
	if (argc == 4 && !strcmp(argv[1], "sendfile"))
		return long_sendfile(atoi(argv[2]), atol(argv[3]));
	fprintf(stderr, "usage: known syscalls | emit N CPU | drain TTY | exc | sendfile CPU MB\n");
	return 1;
}
