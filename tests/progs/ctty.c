/*
 * ctty: controlling terminal and session rules (ioctl_tty(2), setsid(2),
 * proc(5)).  Two modes:
 *
 *  - no arguments (the progs tiers, compared with host Linux): a child in
 *    a new session has no controlling terminal: /proc/self/stat tty_nr 0
 *    and tpgid -1, /dev/tty fails with ENXIO, TIOCNOTTY and TIOCSCTTY on
 *    a non-terminal fail with ENOTTY, a second setsid fails with EPERM.
 *    This holds whether or not the runner itself has a terminal.
 *  - `ctty leader` (tests/e2e/test_console.py, by `exec` from the login
 *    shell, so we lead the session that owns the console on fd 0):
 *    another session's TIOCSCTTY fails with EPERM; TIOCNOTTY from a
 *    non-leader drops only its own ctty; from the leader
 *    it sends SIGHUP and SIGCONT to the foreground group and the whole
 *    session loses the terminal; the leader can then take the free
 *    console back with TIOCSCTTY.
 *
 * Children report by exit status only; the parent prints every check.
 */
#include "tprog.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

/* Fields 7 (tty_nr) and 8 (tpgid) of /proc/PID/stat (0 = self); 0 or -1. */
static int stat_tty(pid_t pid, long *tty_nr, long *tpgid)
{
	char path[64], buf[512], *p;
	int fd, n;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/stat");
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* comm may contain spaces */
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %ld %ld", tty_nr, tpgid) != 2)
		return -1;
	return 0;
}

/* Exit status of child pid, or -1 if it did not exit normally. */
static int wait_code(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Child: a new session has no controlling terminal; 0 or the failed step. */
static int new_session_child(void)
{
	long tty_nr, tpgid;
	int fd;

	if (setsid() != getpid())
		return 1;
	if (stat_tty(0, &tty_nr, &tpgid) || tty_nr != 0 || tpgid != -1)
		return 2;
	if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
		return 3;
	fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return 4;
	if (ioctl(fd, TIOCNOTTY) != -1 || errno != ENOTTY)
		return 5;
	if (ioctl(fd, TIOCSCTTY, 0) != -1 || errno != ENOTTY)
		return 6;
	if (setsid() != -1 || errno != EPERM)
		return 7;
	return 0;
}

static void test_new_session(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(new_session_child());
	CHECK_EQ("new-session-no-ctty", wait_code(pid), 0);
}

/* Child of the leader: TIOCNOTTY drops only our ctty; 0 or the failed step. */
static int non_leader_notty_child(void)
{
	long tty_nr, tpgid;

	if (ioctl(0, TIOCNOTTY) != 0)
		return 1;
	if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
		return 2;
	if (stat_tty(0, &tty_nr, &tpgid) || tty_nr != 0 || tpgid != -1)
		return 3;
	return 0;
}

/* Child: a new session cannot take a console another session owns (no force). */
static int steal_child(void)
{
	if (setsid() != getpid())
		return 1;
	if (ioctl(0, TIOCSCTTY, 0) != -1 || errno != EPERM)
		return 2;
	return 0;
}

static int sig_pipe = -1;

/* Report a hangup signal through the pipe. */
static void note_signal(int sig)
{
	char c = sig == SIGHUP ? 'H' : 'C';

	write(sig_pipe, &c, 1);
}

/* Foreground-group member: reports SIGHUP/SIGCONT, then waits to be killed. */
static void __attribute__((noreturn)) hangup_witness(int wfd)
{
	struct sigaction sa = { .sa_handler = note_signal };

	sig_pipe = wfd;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	write(wfd, "R", 1);
	for (;;)
		pause();
}

static void test_leader(void)
{
	long tty_nr, tpgid;
	char got[3] = "";
	int fds[2], fd;
	pid_t pid;

	CHECK("leader-owns-console", getsid(0) == getpid() && !stat_tty(0, &tty_nr, &tpgid) &&
	      tty_nr != 0 && tpgid == getpgrp(), "sid %d tty_nr %ld tpgid %ld",
	      (int)getsid(0), tty_nr, tpgid);
	pid = fork();
	if (pid == 0)
		_exit(non_leader_notty_child());
	CHECK_EQ("tiocnotty-non-leader", wait_code(pid), 0);
	pid = fork();
	if (pid == 0)
		_exit(steal_child());
	CHECK_EQ("tiocsctty-owned-eperm", wait_code(pid), 0);
	fd = open("/dev/tty", O_RDWR);
	CHECK("leader-keeps-ctty", fd >= 0, "open /dev/tty: %s", strerror(errno));
	if (fd >= 0)
		close(fd);

	if (pipe(fds) < 0) {
		CHECK("pipe", 0, "%s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0)
		hangup_witness(fds[1]);
	signal(SIGHUP, SIG_IGN);	/* we are in the foreground group too */
	read(fds[0], got, 1);
	CHECK_OK("tiocnotty-leader", ioctl(0, TIOCNOTTY));
	got[0] = got[1] = '\0';
	for (int i = 0; i < 2; i++)
		read(fds[0], &got[i], 1);
	/* Both pending at once: Linux runs the SIGCONT handler first (nested frames). */
	CHECK("hangup-sighup-and-sigcont", !strcmp(got, "HC") || !strcmp(got, "CH"),
	      "got \"%s\"", got);
	CHECK_ERR("leader-dev-tty-enxio", open("/dev/tty", O_RDWR), ENXIO);
	CHECK("session-lost-ctty", !stat_tty(pid, &tty_nr, &tpgid) && tty_nr == 0 &&
	      tpgid == -1, "witness tty_nr %ld tpgid %ld", tty_nr, tpgid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	CHECK_OK("tiocsctty-free-console", ioctl(0, TIOCSCTTY, 0));
	CHECK("reacquired", !stat_tty(0, &tty_nr, &tpgid) && tty_nr != 0 &&
	      tpgid == getpgrp(), "tty_nr %ld tpgid %ld", tty_nr, tpgid);
}

int main(int argc, char **argv)
{
	tp_init();
	if (argc > 1 && !strcmp(argv[1], "leader"))
		test_leader();
	else
		test_new_session();
	return TP_SUMMARY();
}
