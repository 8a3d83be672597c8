/*
 * init: the first user process (/init in the initramfs).
 *
 * Model: the kernel has already bound /dev and /proc and started us as
 * PID 1 with the console on fds 0-2 (if it did not, we open /dev/console
 * ourselves).  init mounts nothing; it checks the namespace and reports
 * what is missing, prints a banner, sets PATH/HOME/TERM and then runs one
 * of two workloads:
 *
 *  - interactive: busybox ash (/bin/sh) as a login shell in its own
 *    session with the console as controlling tty (setsid + TIOCSCTTY),
 *    restarted whenever it exits (rate-limited to one restart a second);
 *  - exec: when `exec=<base64 command>` appears in init's argv, its
 *    environment or /proc/cmdline (tools/qemu-run --exec), it runs
 *    `/bin/sh -c CMD` once between two marker lines, "\n@@EXEC-BEGIN@@\n"
 *    before it and "\n@@EXIT <status>@@\n" after it, on the console
 *    (status = exit code, or 128 + signal number) and powers off with
 *    reboot(LINUX_REBOOT_CMD_POWER_OFF), which the kernel turns into an
 *    isa-debug-exit with status 0; the runner takes CMD's status from the
 *    @@EXIT line, not from QEMU.
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
#include <time.h>
#include <unistd.h>

#define SHELL		"/bin/sh"
#define EXEC_KEY	"exec="
#define CMDLINE_MAX	8192

static int init_pid1;

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

/* The decoded command from a whitespace-separated word list, or NULL. */
static char *find_exec_in(const char *s)
{
	const char *p = s;

	while ((p = strstr(p, EXEC_KEY)) != NULL) {
		if (p == s || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n') {
			const char *v = p + strlen(EXEC_KEY);
			size_t len = strcspn(v, " \t\n");

			return b64_decode(v, len);
		}
		p++;
	}
	return NULL;
}

/* exec= command from argv, environ or /proc/cmdline; NULL if none. */
static char *find_exec(int argc, char **argv)
{
	char buf[CMDLINE_MAX];
	const char *env = getenv("exec");
	ssize_t n;
	int fd;

	for (int i = 1; i < argc; i++) {
		char *cmd = find_exec_in(argv[i]);

		if (cmd)
			return cmd;
	}
	if (env)
		return b64_decode(env, strlen(env));
	fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return find_exec_in(buf);
}

/* Child side: own session, console as controlling tty, then exec sh. */
static void exec_shell(const char *cmd)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };

	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL);
	setsid();
	if (isatty(0)) {
		ioctl(0, TIOCSCTTY, 1);
		tcsetpgrp(0, getpid());
	}
	if (cmd)
		execl(SHELL, "sh", "-c", cmd, (char *)NULL);
	else
		execl(SHELL, "-sh", (char *)NULL);
	say("init: cannot run %s: %s\n", SHELL, strerror(errno));
	_exit(127);
}

/* Fork a shell; returns its pid or -1 (error reported). */
static pid_t spawn_shell(const char *cmd)
{
	pid_t pid = fork();

	if (pid < 0) {
		say("init: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0)
		exec_shell(cmd);
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

/* Run CMD once; powers off (or exits when `test_once`); never returns. */
static void run_once(const char *cmd, int test_once)
{
	pid_t pid;
	int code;

	/* The host runner drops everything up to and including this line. */
	fflush(stdout);
	fflush(stderr);
	dprintf(1, "\n@@EXEC-BEGIN@@\n");
	pid = spawn_shell(cmd);
	code = pid < 0 ? 127 : status_code(reap_until(pid));

	/* Let orphans that are already gone be reaped; do not wait for others. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	fflush(stdout);
	dprintf(1, "\n@@EXIT %d@@\n", code);
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

/* Interactive shell forever, restarted at most once a second. */
static void run_interactive(void)
{
	for (;;) {
		double start = now_sec();
		pid_t pid = spawn_shell(NULL);

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
	int test_once = 0;

	init_pid1 = getpid() == 1;
	setup_console();
	if (argc >= 3 && strcmp(argv[1], "--test-once") == 0) {
		test_once = 1;
		cmd = strdup(argv[2]);
	} else {
		cmd = find_exec(argc, argv);
	}
	setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
	setenv("HOME", "/root", 1);
	if (!getenv("TERM") || strcmp(getenv("TERM"), "dumb") == 0 ||
	    strcmp(getenv("TERM"), "linux") == 0)
		setenv("TERM", "vt100", 1);
	unsetenv("exec");
	if (!cmd) {
		banner();
		check_namespace();
		if (chdir("/root") < 0)
			chdir("/");
		run_interactive();
	}
	/* exec mode: no banner or warnings; the host sees only CMD's output. */
	run_once(cmd, test_once);
	return 0;
}
