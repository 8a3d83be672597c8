/*
 * init: the first user process (/init in the initramfs).
 *
 * Model: the kernel has already bound /dev and /proc and started us as
 * PID 1 with the console on fds 0-2 (if it did not, we open /dev/console
 * ourselves).  init mounts nothing; it checks the namespace and reports
 * what is missing, prints a banner, sets PATH/HOME/TERM and then runs one
 * of two workloads:
 *
 *  - interactive: termd (/bin/termd, which runs the login shell on a pty;
 *    `termd=0` on the command line: busybox ash (/bin/sh) itself) in its
 *    own session with the console as controlling tty (setsid + TIOCSCTTY),
 *    restarted whenever it exits (rate-limited to one restart a second),
 *    with the console's terminal settings reset first (a killed termd
 *    leaves the line raw);
 *  - exec: when `exec=<base64 command>` appears in init's argv, its
 *    environment or /proc/cmdline (tools/qemu-run --exec), it prints
 *    "\n@@EXEC-BEGIN@@\n" on the console, runs `/bin/sh -c CMD` once,
 *    then prints DLE "@@EXIT <status>@@\n" (DLE = 0x10; status = exit
 *    code, or 128 + signal number) and powers off with
 *    reboot(LINUX_REBOOT_CMD_POWER_OFF), which the kernel turns into an
 *    isa-debug-exit with status 0; the runner takes CMD's status from the
 *    @@EXIT line, not from QEMU.  `exec_tty=1` (the default) runs CMD on
 *    the console as its controlling terminal, as before.  `exec_tty=0`
 *    runs it as ssh does without a terminal: in its own session with no
 *    controlling tty, stdin on /dev/null, stdout and stderr on one pipe
 *    that init relays to the console as the data arrives, with the
 *    console's output processing off (bytes exact) and every DLE in the
 *    data doubled, so nothing CMD prints can look like the exit marker.
 *    The full protocol is in docs/exec-protocol.md.
 *
 * In both modes init reaps every child (orphans included) with a
 * waitpid(-1) loop.  `init --test-once CMD` runs CMD like exec mode but
 * exits with the status instead of powering off, so init can be tested on
 * host Linux (e.g. under `unshare -Urpf --mount-proc`).  Everything here is
 * plain POSIX plus reboot(2) so the same binary runs on Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define SHELL		"/bin/sh"
#define TERMD		"/bin/termd"	/* the console's terminal daemon (termd/) */
#define EXEC_KEY	"exec="
#define EXEC_TTY_KEY	"exec_tty="
#define CMDLINE_MAX	8192
#define DLE		0x10	/* starts the exit marker; doubled in pipe data */
#define RELAY_BUF	4096

static int init_pid1;
static int use_termd;	/* interactive mode runs /bin/termd (unless termd=0) */

/* Print to the console (stderr); never fails visibly. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

/* Make sure fds 0-2 are open on the console; returns nothing, best effort. */
static void setup_console(void)
{
	int fd;

	if (fcntl(0, F_GETFD) >= 0 && fcntl(1, F_GETFD) >= 0 &&
	    fcntl(2, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/* Report the kernel-provided namespace pieces that are missing. */
static void check_namespace(void)
{
	static const char *const need[] = {
		"/dev/console", "/dev/null", "/dev/tty", "/proc/self",
		"/proc/cmdline", SHELL, "/tmp",
	};
	struct stat st;

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (stat(need[i], &st) < 0)
			say("init: warning: %s missing (%s)\n", need[i],
			    strerror(errno));
}

static void banner(void)
{
	struct utsname u;

	say("\nAkaros-style x86-64 \xe2\x80\x94 busybox shell on ttyS0\n");
	if (uname(&u) == 0)
		say("kernel: %s %s %s %s\n", u.sysname, u.release, u.version,
		    u.machine);
}

static int b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Decode base64 (std or URL alphabet, padding optional); NULL on bad input. */
static char *b64_decode(const char *in, size_t len)
{
	char *out = malloc(len * 3 / 4 + 4);
	unsigned int acc = 0;
	int bits = 0;
	size_t n = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len && in[i] != '='; i++) {
		int v = b64_value((unsigned char)in[i]);

		if (v < 0) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[n] = '\0';
	return out;
}

/* The value of word `key` (e.g. "exec=") in a word list, malloc'd; NULL if none. */
static char *find_word_in(const char *s, const char *key)
{
	const char *p = s;

	while ((p = strstr(p, key)) != NULL) {
		if (p == s || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n') {
			const char *v = p + strlen(key);

			return strndup(v, strcspn(v, " \t\n"));
		}
		p++;
	}
	return NULL;
}

/* Value of word `key` ("name=") from argv, environ or /proc/cmdline; NULL if none. */
static char *find_word(int argc, char **argv, const char *key)
{
	char buf[CMDLINE_MAX], name[32];
	const char *env;
	ssize_t n;
	int fd;

	for (int i = 1; i < argc; i++) {
		char *v = find_word_in(argv[i], key);

		if (v)
			return v;
	}
	snprintf(name, sizeof(name), "%.*s", (int)strlen(key) - 1, key);
	env = getenv(name);
	if (env)
		return strdup(env);
	fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return find_word_in(buf, key);
}

/* The decoded exec= command; NULL if there is none or it is not base64. */
static char *find_exec(int argc, char **argv)
{
	char *b64 = find_word(argc, argv, EXEC_KEY), *cmd;

	if (!b64)
		return NULL;
	cmd = b64_decode(b64, strlen(b64));
	free(b64);
	return cmd;
}

/* exec_tty=0 asks for a pipe instead of the console; 1 (the default) otherwise. */
static int find_exec_tty(int argc, char **argv)
{
	char *v = find_word(argc, argv, EXEC_TTY_KEY);
	int tty = !(v && strcmp(v, "0") == 0);

	free(v);
	return tty;
}

/*
 * Child side: default signal actions, nothing blocked, own session; with
 * `out` < 0 the console becomes the controlling tty, else stdin is
 * /dev/null and stdout/stderr go to `out`.  Then exec sh; never returns.
 */
static void exec_shell(const char *cmd, int out)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;

	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	if (out >= 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0 && null != 0) {
			dup2(null, 0);
			close(null);
		}
		dup2(out, 1);
		dup2(out, 2);
		if (out > 2)
			close(out);
	} else if (isatty(0)) {
		ioctl(0, TIOCSCTTY, 1);
		tcsetpgrp(0, getpid());
	}
	if (cmd)
		execl(SHELL, "sh", "-c", cmd, (char *)NULL);
	else if (use_termd && access(TERMD, X_OK) == 0)
		execl(TERMD, "termd", (char *)NULL);
	else
		execl(SHELL, "-sh", (char *)NULL);
	say("init: cannot run %s: %s\n", SHELL, strerror(errno));
	_exit(127);
}

/* Fork a shell (see exec_shell for `out`); returns its pid or -1 (error reported). */
static pid_t spawn_shell(const char *cmd, int out)
{
	pid_t pid = fork();

	if (pid < 0) {
		say("init: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0)
		exec_shell(cmd, out);
	return pid;
}

/* Reap children until `pid` exits; returns its wait status, -1 on ECHILD. */
static int reap_until(pid_t pid)
{
	for (;;) {
		int status;
		pid_t got = waitpid(-1, &status, 0);

		if (got == pid)
			return status;
		if (got < 0 && errno == ECHILD)
			return -1;
	}
}

static int status_code(int status)
{
	if (status < 0)
		return 127;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 127;
}

/* Write all of buf to fd, retrying on EINTR; -1 on another error. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copy what is readable on `in` to stdout with each DLE doubled; 0 at EOF, 1 if more may come. */
static int relay_chunk(int in)
{
	char buf[RELAY_BUF], out[2 * RELAY_BUF];
	ssize_t n = read(in, buf, sizeof(buf));
	size_t o = 0;

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : 0;
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == DLE)
			out[o++] = DLE;
		out[o++] = buf[i];
	}
	write_all(1, out, o);
	return n > 0;
}

/* SIGCHLD handler: only interrupts ppoll/sigsuspend in relay_until_exit. */
static void note_sigchld(int sig)
{
	(void)sig;
}

/*
 * Relay the pipe `in` to the console until the shell `pid` has exited and
 * what it left in the pipe is out (later writes of background jobs are
 * not waited for), reaping every child meanwhile; returns its wait status,
 * -1 if it vanished.  SIGCHLD is blocked except inside ppoll, so an exit
 * always ends the wait.
 */
static int relay_until_exit(int in, pid_t pid)
{
	struct sigaction sa = { .sa_handler = note_sigchld };
	struct pollfd pfd = { .fd = in, .events = POLLIN };
	sigset_t block, during;
	int status = -1, open_in = 1;

	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &during);
	sigdelset(&during, SIGCHLD);
	while (pid) {
		pid_t got;
		int st, n;

		while ((got = waitpid(-1, &st, WNOHANG)) > 0) {
			if (got == pid) {
				status = st;
				pid = 0;
			}
		}
		if (!pid || (got < 0 && errno == ECHILD))
			break;
		if (!open_in) {
			sigsuspend(&during);
			continue;
		}
		n = ppoll(&pfd, 1, NULL, &during);
		/* Without a working ppoll, plain blocking reads still relay. */
		if (n > 0 || (n < 0 && errno != EINTR))
			open_in = relay_chunk(in);
	}
	/* The shell is gone: take what it wrote, without waiting for more. */
	fcntl(in, F_SETFL, fcntl(in, F_GETFL) | O_NONBLOCK);
	while (open_in && poll(&pfd, 1, 0) > 0 && relay_chunk(in))
		;
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	return status;
}

/* Run CMD with its output on a relayed pipe (exec_tty=0); returns its wait status. */
static int run_on_pipe(const char *cmd)
{
	struct termios saved, raw;
	int p[2], have_tty, status;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		say("init: pipe: %s\n", strerror(errno));
		return -1;
	}
	/* Bytes exact on the console: no \n -> \r\n while relaying. */
	have_tty = tcgetattr(1, &saved) == 0;
	if (have_tty) {
		raw = saved;
		raw.c_oflag &= ~OPOST;
		tcsetattr(1, TCSADRAIN, &raw);
	}
	pid = spawn_shell(cmd, p[1]);
	close(p[1]);
	status = pid < 0 ? -1 : relay_until_exit(p[0], pid);
	close(p[0]);
	if (have_tty)
		tcsetattr(1, TCSADRAIN, &saved);
	return status;
}

/* Run CMD once; powers off (or exits when `test_once`); never returns. */
static void run_once(const char *cmd, int use_tty, int test_once)
{
	int code;

	/* The host runner drops everything up to and including this line. */
	fflush(stdout);
	fflush(stderr);
	dprintf(1, "\n@@EXEC-BEGIN@@\n");
	if (use_tty) {
		pid_t pid = spawn_shell(cmd, -1);

		code = pid < 0 ? 127 : status_code(reap_until(pid));
	} else {
		code = status_code(run_on_pipe(cmd));
	}

	/* Let orphans that are already gone be reaped; do not wait for others. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	fflush(stdout);
	dprintf(1, "%c@@EXIT %d@@\n", DLE, code);
	if (test_once)
		exit(code);
	sync();
	reboot(RB_POWER_OFF);
	say("init: power off failed: %s\n", strerror(errno));
	if (!init_pid1)
		exit(code);
	for (;;)
		pause();
}

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Interactive shell forever, restarted at most once a second.  The
 * console's terminal settings as init found them are put back before each
 * start (as getty and systemd reset the tty): a termd killed by a signal
 * leaves the line raw.
 */
static void run_interactive(void)
{
	struct termios sane;
	int have_tty = tcgetattr(0, &sane) == 0;

	for (;;) {
		double start = now_sec();
		pid_t pid;

		if (have_tty)
			tcsetattr(0, TCSANOW, &sane);
		pid = spawn_shell(NULL, -1);

		if (pid >= 0) {
			int status = reap_until(pid);

			say("\ninit: shell exited (status %d), restarting\n",
			    status_code(status));
		}
		while (now_sec() - start < 1.0)
			usleep(100 * 1000);
	}
}

int main(int argc, char **argv)
{
	char *cmd;
	int test_once = 0, use_tty;

	init_pid1 = getpid() == 1;
	setup_console();
	if (argc >= 3 && strcmp(argv[1], "--test-once") == 0) {
		test_once = 1;
		cmd = strdup(argv[2]);
	} else {
		cmd = find_exec(argc, argv);
	}
	use_tty = find_exec_tty(argc, argv);
	{
		char *t = find_word(argc, argv, "termd=");

		use_termd = !(t && strcmp(t, "0") == 0);
		free(t);
	}
	setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
	setenv("HOME", "/root", 1);
	if (!getenv("TERM") || strcmp(getenv("TERM"), "dumb") == 0 ||
	    strcmp(getenv("TERM"), "linux") == 0)
		setenv("TERM", "vt100", 1);
	unsetenv("exec");
	unsetenv("exec_tty");
	unsetenv("termd");
	if (!cmd) {
		banner();
		check_namespace();
		if (chdir("/root") < 0)
			chdir("/");
		run_interactive();
	}
	/* exec mode: no banner or warnings; the host sees only CMD's output. */
	run_once(cmd, use_tty, test_once);
	return 0;
}
