/*
 * termd: the serial console's terminal daemon (design in termd/README.md).
 *
 * Model: termd owns the console line (fd 0, normally /dev/console as
 * init hands it over) in raw mode and takes the kernel's messages for
 * itself (TIOCCONS: printk stops writing to the port and holds its text
 * in #cons/kheld).  It runs a program (a login shell by default) on the
 * slave of a pty, in a new session with the slave as controlling tty,
 * and copies bytes both ways unchanged.  Three things are added:
 *
 *  - size: the terminal at the other end of the line is asked for its
 *    size (CSI 18 t, and a cursor-position report after moving the
 *    cursor to 999;999 as the fallback, all between save/restore
 *    cursor); the answer is set on the pty (the kernel sends SIGWINCH).
 *    At most PROBE_MS is waited; replies that arrive later are swallowed
 *    for LATE_MS; 80x24 when nothing answers.  Probes happen at start,
 *    on `termd resize` (SIGUSR1 to termd; the asking process gets
 *    SIGUSR2 when the new size is set) and on the escape key `Ctrl-] r`.
 *  - kernel messages: while the program shows the alternate screen
 *    (vim, less, top: CSI ?1049h, ?1047h, ?47h) they are held and
 *    counted in the window title; when it leaves, they are printed.  On
 *    the main screen they are printed at once on a fresh line, and the
 *    foreground group gets SIGWINCH so a line editor redraws its line.
 *    A NUL from the kernel means the monitor wrote on the screen: the
 *    program is made to redraw (SIGWINCH after a size bounce).
 *  - escapes: Ctrl-] starts a termd command: `r` re-probes the size,
 *    `k` prints held kernel messages now, `]` (or Ctrl-] again) sends one
 *    Ctrl-] through.
 *    Anything else is passed on with the Ctrl-] before it.
 *
 * `termd resize` (run in the session) asks the termd named by
 * $TERMD_PID to probe.  `termd [-t TERM] [PROG ARGS...]` runs PROG (once;
 * termd exits with its status) instead of restarting a login shell.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PROBE_MS	500		/* longest wait for a size reply */
#define LATE_MS		5000		/* swallow late size replies this long */
#define KMSG_POLL_MS	100		/* how often held kernel text is looked for */
#define HOLD_MAX	(1 << 20)	/* held kernel text kept while a screen is up */
#define CTRL_RB		0x1d		/* Ctrl-]: termd's escape */
#define KHELD_PATH	"#cons/kheld"

static int line = 0;			/* the console line */
static int master = -1;
static int kheld = -1;
static pid_t child;
static volatile sig_atomic_t want_probe, child_done;
static volatile pid_t probe_asker;
static struct termios line_saved;
static int alt_screen;			/* the program shows the alternate screen */
static int at_line_start = 1;		/* last byte sent to the line was '\n' */
static char *held;			/* kernel text held while alt_screen */
static size_t held_len, held_lines;
static int redraw_due;			/* the monitor wrote on the screen */
static unsigned short rows = 24, cols = 80;

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* Write all of buf to fd; -1 on an error other than EINTR/EAGAIN (waited out). */
static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
			struct pollfd pf = { .fd = fd, .events = POLLOUT };

			poll(&pf, 1, 100);
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Send bytes to the line, tracking whether the cursor is at a line start. */
static void to_line(const char *buf, size_t len)
{
	if (!len)
		return;
	write_all(line, buf, len);
	at_line_start = buf[len - 1] == '\n';
}

/* ---- alternate-screen tracking in the program's output ---- */

static int csi_state;			/* 0 text, 1 ESC seen, 2 in CSI */
static char csi_buf[32];
static size_t csi_len;

/* A complete CSI with private parameters: does it switch the alternate screen? */
static void csi_done(char final)
{
	char *p = csi_buf, *end;

	if (csi_len == 0 || csi_buf[0] != '?' || (final != 'h' && final != 'l'))
		return;
	csi_buf[csi_len] = 0;
	p++;
	while (*p) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		if (v == 1049 || v == 1047 || v == 47)
			alt_screen = final == 'h';
		p = *end == ';' ? end + 1 : end;
	}
}

static void scan_output(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = b[i];

		if (csi_state == 0) {
			if (c == 0x1b)
				csi_state = 1;
		} else if (csi_state == 1) {
			csi_state = c == '[' ? 2 : (c == 0x1b ? 1 : 0);
			csi_len = 0;
		} else if (c >= 0x40 && c <= 0x7e) {
			csi_done((char)c);
			csi_state = 0;
		} else if (csi_len < sizeof(csi_buf) - 1) {
			csi_buf[csi_len++] = (char)c;
		} else {
			csi_state = 0;
		}
	}
}

/* ---- kernel messages ---- */

/* Tell the foreground program to redraw (its size unchanged: a bounce makes sure). */
static void make_redraw(void)
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols };
	pid_t pg = tcgetpgrp(master);

	if (alt_screen) {
		write_all(line, "\033[?1049h", 8);
		ws.ws_row = rows > 1 ? rows - 1 : rows + 1;
		ioctl(master, TIOCSWINSZ, &ws);
		usleep(20000);
		ws.ws_row = rows;
	}
	ioctl(master, TIOCSWINSZ, &ws);
	if (pg > 0)
		kill(-pg, SIGWINCH);
}

/* Print kernel text on a fresh line (\n -> \r\n). */
static void print_kernel(const char *s, size_t n)
{
	char out[8192];
	size_t o = 0;

	if (!n)
		return;
	if (!at_line_start)
		to_line("\r\n", 2);
	for (size_t i = 0; i < n; i++) {
		if (o + 2 > sizeof(out)) {
			to_line(out, o);
			o = 0;
		}
		if (s[i] == '\n')
			out[o++] = '\r';
		out[o++] = s[i];
	}
	to_line(out, o);
}

/* Show the held text (and say so in the title). */
static void flush_held(void)
{
	if (!held_len)
		return;
	print_kernel(held, held_len);
	held_len = held_lines = 0;
	to_line("\033]2;termd\007", 10);
}

/* Take what the kernel holds for us: print it, or hold it while a screen is up. */
static void poll_kernel(void)
{
	char buf[4096], title[96];
	ssize_t n;
	int printed = 0;

	while (kheld >= 0 && (n = read(kheld, buf, sizeof(buf))) > 0) {
		char *nul;

		while ((nul = memchr(buf, 0, (size_t)n))) {
			memmove(nul, nul + 1, (size_t)(buf + n - nul - 1));
			n--;
			redraw_due = 1;
		}
		if (!alt_screen) {
			print_kernel(buf, (size_t)n);
			printed = n > 0;
			continue;
		}
		if (held_len + (size_t)n > HOLD_MAX)
			continue;	/* everything is in dmesg too */
		held = realloc(held, held_len + (size_t)n);
		if (!held)
			exit(1);
		memcpy(held + held_len, buf, (size_t)n);
		held_len += (size_t)n;
		for (ssize_t i = 0; i < n; i++)
			held_lines += buf[i] == '\n';
		snprintf(title, sizeof(title), "\033]2;termd: %zu kernel messages held\007",
			 held_lines);
		to_line(title, strlen(title));
	}
	if (redraw_due || printed) {
		redraw_due = 0;
		make_redraw();
	}
}

/* ---- size probe ---- */

struct reply {
	int kind;		/* 't' (CSI 8;r;c t) or 'R' (cursor position) */
	int a, b;
};

static unsigned char pend[256];	/* line input bytes kept during a probe */
static size_t pend_len;
static long swallow_until;		/* late replies are dropped until then */

/* Parse a size reply at the start of s[0..n): its length, 0 if none, -1 if it may be one (incomplete). */
static int parse_reply(const unsigned char *s, size_t n, struct reply *r)
{
	int v[3] = { 0 }, nv = 0, digits = 0;
	size_t i;

	if (n < 1 || s[0] != 0x1b)
		return 0;
	if (n < 2)
		return -1;
	if (s[1] != '[')
		return 0;
	for (i = 2; i < n; i++) {
		unsigned char c = s[i];

		if (c >= '0' && c <= '9') {
			if (nv < 3)
				v[nv] = v[nv] * 10 + (c - '0');
			digits = 1;
		} else if (c == ';') {
			if (!digits || ++nv > 2)
				return 0;
			digits = 0;
		} else if ((c == 't' && nv == 2 && v[0] == 8) || (c == 'R' && nv == 1)) {
			if (!digits)
				return 0;
			r->kind = c;
			r->a = c == 't' ? v[1] : v[0];
			r->b = c == 't' ? v[2] : v[1];
			return (int)i + 1;
		} else {
			return 0;
		}
	}
	return i < 16 ? -1 : 0;
}

/* Remove size replies from buf[0..*n); report them in got (last one of each kind). */
static void strip_replies(unsigned char *buf, size_t *n, struct reply *t, struct reply *cpr)
{
	size_t i = 0, o = 0;

	while (i < *n) {
		struct reply r;
		int len = parse_reply(buf + i, *n - i, &r);

		if (len > 0) {
			*(r.kind == 't' ? t : cpr) = r;
			i += (size_t)len;
			continue;
		}
		buf[o++] = buf[i++];
	}
	*n = o;
}

/* Ask the terminal for its size and set it on the pty; keeps other input for the program. */
static void probe_size(void)
{
	static const char ask[] = "\0337\033[18t\033[999;999H\033[6n\0338";
	struct reply t = { 0 }, cpr = { 0 };
	long deadline = now_ms() + PROBE_MS;
	struct winsize ws = { 0 };

	pend_len = 0;
	write_all(line, ask, sizeof(ask) - 1);
	while (!cpr.kind) {
		long left = deadline - now_ms();
		struct pollfd pf = { .fd = line, .events = POLLIN };
		ssize_t n;

		if (left <= 0 || poll(&pf, 1, (int)left) <= 0) {
			if (left <= 0)
				break;
			continue;
		}
		n = read(line, pend + pend_len, sizeof(pend) - pend_len);
		if (n <= 0)
			break;
		pend_len += (size_t)n;
		strip_replies(pend, &pend_len, &t, &cpr);
		if (pend_len == sizeof(pend))
			break;
	}
	/*
	 * CSI 18 t gives the size even past 999x999, but some terminals get
	 * it wrong (tmux 3.3a answers width;height): when the cursor report
	 * came too and disagrees within its range, the cursor report wins.
	 */
	if (t.kind && cpr.kind && cpr.a < 999 && cpr.b < 999 && (t.a != cpr.a || t.b != cpr.b))
		t.kind = 0;
	if (t.kind && t.a > 0 && t.b > 0) {
		rows = (unsigned short)t.a;
		cols = (unsigned short)t.b;
	} else if (cpr.kind && cpr.a > 0 && cpr.b > 0) {
		rows = (unsigned short)cpr.a;
		cols = (unsigned short)cpr.b;
	}
	if (!cpr.kind)
		swallow_until = now_ms() + LATE_MS;	/* a slow terminal may still answer */
	ws.ws_row = rows;
	ws.ws_col = cols;
	if (master >= 0)
		ioctl(master, TIOCSWINSZ, &ws);
}

/* ---- the program on the pty ---- */

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	probe_asker = si->si_pid;
	want_probe = 1;
}

static void on_chld(int sig)
{
	(void)sig;
	child_done = 1;
}

/* Open a pty and start argv (or a login shell) on its slave; the child's pid, or -1. */
static pid_t start_child(char **argv, const char *term)
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols };
	char *name, pidbuf[16];
	pid_t pid;

	if (master < 0) {
		master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (master < 0 || grantpt(master) || unlockpt(master))
			return -1;
	}
	ioctl(master, TIOCSWINSZ, &ws);
	name = ptsname(master);
	if (!name)
		return -1;
	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)getpid());
	pid = fork();
	if (pid != 0)
		return pid;
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;

	for (int s = 1; s < NSIG; s++)
		sigaction(s, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	int s = open(name, O_RDWR);	/* our controlling terminal */

	if (s < 0)
		_exit(126);
	ioctl(s, TIOCSCTTY, 0);
	dup2(s, 0);
	dup2(s, 1);
	dup2(s, 2);
	if (s > 2)
		close(s);
	setenv("TERM", term, 1);
	setenv("TERMD_PID", pidbuf, 1);
	if (!getenv("LANG"))
		setenv("LANG", "C.UTF-8", 1);
	if (argv && argv[0]) {
		execvp(argv[0], argv);
		_exit(127);
	}
	execl("/bin/sh", "-sh", (char *)NULL);
	_exit(127);
}

/* Line input for the program: termd's escape, late size replies; the rest to the master. */
static void from_line(unsigned char *buf, size_t n)
{
	static int escape;
	unsigned char out[4096 + 2];
	size_t o = 0;

	if (swallow_until && now_ms() < swallow_until) {
		struct reply t = { 0 }, cpr = { 0 };

		strip_replies(buf, &n, &t, &cpr);
		if (cpr.kind)
			swallow_until = 0;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = buf[i];

		if (escape) {
			escape = 0;
			if (c == 'r') {
				want_probe = 1;
				continue;
			}
			if (c == 'k') {
				flush_held();
				continue;
			}
			if (c == ']' || c == CTRL_RB) {
				out[o++] = CTRL_RB;
				continue;
			}
			out[o++] = CTRL_RB;
		} else if (c == CTRL_RB) {
			escape = 1;
			continue;
		}
		out[o++] = c;
	}
	write_all(master, out, o);
}

/* `termd resize`: ask our termd to probe and wait for it; 0 or 1. */
static int cmd_resize(void)
{
	const char *p = getenv("TERMD_PID");
	struct timespec two = { 2, 0 };
	sigset_t set;

	if (!p || atoi(p) <= 0) {
		fprintf(stderr, "termd resize: not under termd (no TERMD_PID)\n");
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (kill(atoi(p), SIGUSR1) < 0) {
		perror("termd resize");
		return 1;
	}
	if (sigtimedwait(&set, NULL, &two) < 0) {
		fprintf(stderr, "termd resize: no answer from termd\n");
		return 1;
	}
	return 0;
}

/* Set the line raw and take the kernel's messages. */
static void take_line(void)
{
	struct termios t;
	const char *name = ttyname(0);
	int fd = name ? open(name, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;

	/* Our own open file: when termd dies it closes and the kernel takes the line back. */
	if (fd >= 0)
		line = fd;
	if (tcgetattr(line, &line_saved) == 0) {
		t = line_saved;
		cfmakeraw(&t);
		tcsetattr(line, TCSAFLUSH, &t);
	}
	kheld = open(KHELD_PATH, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kheld >= 0 && ioctl(line, TIOCCONS) < 0) {
		close(kheld);
		kheld = -1;
	}
	fcntl(line, F_SETFL, fcntl(line, F_GETFL) | O_NONBLOCK);
}

/* Copy between the line and the master until the child has exited; its wait status. */
static int relay(void)
{
	unsigned char buf[4096];
	int status = 0;

	for (;;) {
		struct pollfd pf[2] = { { .fd = line, .events = POLLIN },
					{ .fd = master, .events = POLLIN } };
		ssize_t n;

		if (want_probe) {
			want_probe = 0;
			probe_size();
			if (pend_len)
				from_line(pend, pend_len);
			if (probe_asker > 0)
				kill(probe_asker, SIGUSR2);
			probe_asker = 0;
		}
		poll_kernel();
		if (!alt_screen && held_len)
			flush_held();
		if (child_done && waitpid(child, &status, WNOHANG) == child) {
			/* Show what the program wrote last. */
			while ((n = read(master, buf, sizeof(buf))) > 0)
				to_line((char *)buf, (size_t)n);
			return status;
		}
		child_done = 0;
		if (poll(pf, 2, KMSG_POLL_MS) < 0)
			continue;
		if (pf[0].revents & POLLIN) {
			n = read(line, buf, sizeof(buf));
			if (n > 0)
				from_line(buf, (size_t)n);
		}
		if (pf[1].revents & (POLLIN | POLLHUP)) {
			n = read(master, buf, sizeof(buf));
			if (n > 0) {
				scan_output(buf, (size_t)n);
				to_line((char *)buf, (size_t)n);
			} else if (n < 0 && errno == EIO) {
				child_done = 1;	/* every slave closed: the child is going */
				usleep(10000);
			}
		}
	}
}

int main(int argc, char **argv)
{
	const char *term = getenv("TERMD_TERM") ? getenv("TERMD_TERM") : "xterm-256color";
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO | SA_RESTART };
	int argi = 1, status;

	if (argc > 1 && !strcmp(argv[1], "resize"))
		return cmd_resize();
	if (argc > 2 && !strcmp(argv[1], "-t")) {
		term = argv[2];
		argi = 3;
	}
	if (argi < argc && !strcmp(argv[argi], "--"))
		argi++;
	sigaction(SIGUSR1, &sa, NULL);
	sa = (struct sigaction){ .sa_handler = on_chld, .sa_flags = SA_RESTART };
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	take_line();
	probe_size();
	for (;;) {
		long start = now_ms();

		child_done = 0;
		child = start_child(argi < argc ? argv + argi : NULL, term);
		if (child < 0) {
			perror("termd: cannot start the program");
			break;
		}
		if (pend_len) {
			write_all(master, pend, pend_len);	/* typed during the first probe */
			pend_len = 0;
		}
		status = relay();
		if (argi < argc)
			break;
		if (now_ms() - start < 1000)
			sleep(1);	/* a shell that dies at once is not restarted in a loop */
	}
	tcsetattr(line, TCSANOW, &line_saved);
	if (argi < argc)
		return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 1;
}
