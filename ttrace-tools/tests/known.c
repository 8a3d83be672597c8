/*
 * known: the target tier's program of known behaviour (ttrace-tools/tests/target.sh).
 *   known syscalls          a fixed syscall sequence with recognisable
 *                           arguments, then exit_group(42)
 *   known emit N CPU        pin to CPU, write N numbered user events
 *                           "@0".."@N-1" to /dev/ttrace/user; prints
 *                           "emit N ok K dropped D" (ENOSPC = dropped)
 *   known drain TTY         wait until TTY has sent everything queued
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
#include <sys/syscall.h>

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

/* Numbered user events on one CPU; 0 or 1. */
static int emit(long n, int cpu)
{
	cpu_set_t set;
	long ok = 0, dropped = 0;
	char buf[32];
	int fd;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) || sched_getcpu() != cpu) {
		perror("known: sched_setaffinity");
		return 1;
	}
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
	fprintf(stderr, "usage: known syscalls | emit N CPU | drain TTY\n");
	return 1;
}
