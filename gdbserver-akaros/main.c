/*
 * gdbserver-akaros: GNU gdbserver's command line and messages.
 *
 *   gdbserver-akaros [--once] COMM PROG [ARGS...]   start PROG stopped at its entry
 *   gdbserver-akaros [--once] --attach COMM PID     attach to a running process
 *   gdbserver-akaros --multi COMM [PROG [ARGS...]]  extended-remote (multi.c)
 *
 * COMM is a serial device (the target's /dev/ttyS1, bridged by
 * tools/qemu-run --serial2 tcp:PORT to the host) or "-" for stdin/stdout.
 * One session serves one process: it ends when gdb detaches (the process
 * runs on), kills it, or it exits.  With --multi the server waits instead
 * for gdb's next `run` or `attach`, until `monitor exit` (or the link's
 * end).  If gdb goes away first, or asks to exit, a process we started is
 * killed and one we attached to is let go.  --once is accepted for
 * compatibility (every session is a single one).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <poll.h>
#include <unistd.h>
#include <sys/wait.h>
#include "target.h"

int link_getc(void *lp)
{
	struct link *l = lp;

	if (l->pos == l->len) {
		ssize_t n;

		do
			n = read(l->in, l->buf, sizeof(l->buf));
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			return -1;
		l->pos = 0;
		l->len = (size_t)n;
	}
	return l->buf[l->pos++];
}

ssize_t link_write(void *lp, const void *buf, size_t n)
{
	struct link *l = lp;
	ssize_t w;

	do
		w = write(l->out, buf, n);
	while (w < 0 && errno == EINTR);
	return w;
}

bool link_take_interrupt(struct link *l)
{
	bool irq = false;

	if (l->pos == l->len) {
		int fl = fcntl(l->in, F_GETFL);
		ssize_t n;

		fcntl(l->in, F_SETFL, fl | O_NONBLOCK);
		n = read(l->in, l->buf, sizeof(l->buf));
		fcntl(l->in, F_SETFL, fl);
		if (n <= 0)
			return false;
		l->pos = 0;
		l->len = (size_t)n;
	}
	/* Only ^C matters while the process runs; gdb sends nothing else then. */
	while (l->pos < l->len)
		if (l->buf[l->pos++] == 0x03)
			irq = true;
	return irq;
}

static bool server_has_bp(void *ctx, uint64_t addr)
{
	struct server *s = ctx;

	for (int i = 0; i < NSWBP; i++)
		if (s->bp[i].used && s->bp[i].addr == addr)
			return true;
	return false;
}

/* Open COMM raw: 0 or -1. */
static int open_link(const char *comm, struct link *l)
{
	struct termios tio;
	int fd;

	if (!strcmp(comm, "-")) {
		l->in = 0;
		l->out = 1;
		return 0;
	}
	fd = open(comm, O_RDWR | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", comm, strerror(errno));
		return -1;
	}
	if (!tcgetattr(fd, &tio)) {
		cfmakeraw(&tio);
		tcsetattr(fd, TCSANOW, &tio);
	}
	l->in = l->out = fd;
	return 0;
}

/* Start argv stopped at its first instruction: its pid, or -1. */
static int start_program(struct ktarget *k, char **argv, struct stop_info *si)
{
	int st, pid = fork(), err;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		raise(SIGSTOP);		/* the debugger attaches meanwhile */
		execvp(argv[0], argv);
		fprintf(stderr, "Cannot exec %s: %s.\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st))
		return -1;
	err = ktarget_attach(k, pid);
	if (err) {
		fprintf(stderr, "Cannot attach to process %d: %s\n", pid, strerror(-err));
		kill(pid, SIGKILL);
		return -1;
	}
	k->child = true;
	kill(pid, SIGCONT);
	if (ktarget_wait_exec(k, si)) {
		fprintf(stderr, "During startup program exited.\n");
		return -1;
	}
	return pid;
}

static int usage(void)
{
	fprintf(stderr, "Usage:\tgdbserver-akaros [--once] COMM PROG [ARGS ...]\n"
		"\tgdbserver-akaros [--once] --attach COMM PID\n"
		"\tgdbserver-akaros --multi COMM [PROG [ARGS ...]]\n"
		"COMM is a serial device (/dev/ttyS1) or - for stdin/stdout.\n");
	return 1;
}

/* server.spawn: start argv as the session's process. */
static int spawn(struct server *s, char **argv)
{
	struct ktarget *k = s->t;
	int pid = start_program(k, argv, &s->last);

	if (pid < 0) {
		ktarget_close(k);
		return -ECHILD;
	}
	k->is_swbp = server_has_bp;
	k->bp_ctx = s;
	fprintf(stderr, "Process %s created; pid = %d\n", argv[0], pid);
	s->last.kind = STOP_STEP;
	s->pid = pid;
	s->attached = false;
	return 0;
}

/* server.attach_pid: attach to pid and stop it. */
static int attach_pid(struct server *s, int pid)
{
	struct ktarget *k = s->t;
	int err = ktarget_attach(k, pid);

	if (!err)
		err = ktarget_ops.stop(k);
	if (err) {
		fprintf(stderr, "Cannot attach to process %d: %s (%d)\n", pid, strerror(-err), -err);
		ktarget_close(k);
		return err;
	}
	k->is_swbp = server_has_bp;
	k->bp_ctx = s;
	fprintf(stderr, "Attached; pid = %d\n", pid);
	memset(&s->last, 0, sizeof(s->last));
	s->last.kind = STOP_SIGNAL;
	s->last.sig = SIGSTOP;	/* gdb ignores the SIGSTOP of an attach, as from GNU's */
	s->pid = pid;
	s->last.tid = mcp_gdb_tid(k, pid);
	s->attached = true;
	return 0;
}

/* server.release: the process is over; its files closed. */
static void release(struct server *s)
{
	ktarget_close(s->t);
}

/* GNU gdbserver's message for how the session's process ended (s->done). */
static void end_message(struct server *s, struct ktarget *k)
{
	if (s->last.kind == STOP_EXITED)
		fprintf(stderr, "\nChild exited with status %d\n", s->last.status);
	else if (s->last.kind == STOP_KILLED)
		fprintf(stderr, "\nChild terminated with signal = %d\n", s->last.sig);
	else if (k->gone)
		fprintf(stderr, "Killing process(es): %d\n", s->pid);
	else
		fprintf(stderr, "Detaching from process %d\n", s->pid);
}

int main(int argc, char **argv)
{
	static struct link io;
	static struct rsp r;
	static struct server s;
	static struct ktarget k;
	bool attach = false;
	const char *comm;
	int i = 1, pid = 0;

	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--attach"))
			attach = true;
		else if (!strcmp(argv[i], "--multi"))
			s.extended = true;
		else if (strcmp(argv[i], "--once"))
			return usage();
	}
	if (argc - i < (s.extended ? 1 : 2) || (attach && s.extended))
		return usage();
	comm = argv[i++];
	signal(SIGPIPE, SIG_IGN);
	k.is_swbp = server_has_bp;
	k.bp_ctx = &s;
	k.ctl = k.dbg = k.mem = -1;
	s.t = &k;
	s.spawn = spawn;
	s.attach_pid = attach_pid;
	s.release = release;
	if (s.extended) {
		if (i < argc && spawn(&s, argv + i))
			return 1;
		s.has_process = i < argc;
		pid = s.pid;
	} else if (attach) {
		int err;

		pid = atoi(argv[i]);
		err = ktarget_attach(&k, pid);
		if (!err)
			err = ktarget_ops.stop(&k);
		if (err) {
			fprintf(stderr, "Cannot attach to process %d: %s (%d)\n", pid,
				strerror(-err), -err);
			return 1;
		}
		k.is_swbp = server_has_bp;
		k.bp_ctx = &s;
		fprintf(stderr, "Attached; pid = %d\n", pid);
		/* As GNU gdbserver: the attach stop shows as SIGTRAP (gdb does not pass it). */
		s.last.kind = STOP_SIGNAL;
		s.last.sig = SIGTRAP;
		s.last.tid = mcp_gdb_tid(&k, pid);
		s.attached = true;
	} else {
		pid = start_program(&k, argv + i, &s.last);
		if (pid < 0)
			return 1;
		k.is_swbp = server_has_bp;
		k.bp_ctx = &s;
		fprintf(stderr, "Process %s created; pid = %d\n", argv[i], pid);
		s.last.kind = STOP_STEP;
	}
	if (open_link(comm, &io))
		return 1;
	fprintf(stderr, "Remote debugging using %s\n", comm);
	r.write = link_write;
	r.getc = link_getc;
	r.ctx = &io;
	s.link = &r;
	s.io = &io;
	s.ops = mcp_target();
	if (!s.extended) {
		s.pid = pid;
		s.has_process = true;
	}
	while (!s.exit_requested) {
		int c, kind;

		if (s.nonstop && io.pos == io.len && s.has_process) {
			/* Non-stop: events of running threads come while gdb is quiet. */
			struct pollfd fds[2] = { { .fd = io.in, .events = POLLIN },
						 { .fd = s.ops->event_fd(s.t), .events = POLLIN } };

			if (poll(fds, 2, -1) < 0 && errno != EINTR)
				break;
			if (fds[1].revents && nonstop_events(&s))
				break;
			if (s.done)
				goto ended;
			if (!fds[0].revents)
				continue;
		}
		c = link_getc(&io);
		if (c < 0)
			break;
		kind = rsp_feed(&r, c);
		if (kind == RSP_PACKET && server_packet(&s, r.in, r.inlen))
			break;
		if (!s.done)
			continue;
ended:
		end_message(&s, &k);
		if (!s.extended)
			return 0;
		release(&s);
		multi_forget(&s);
	}
	if (!s.has_process)
		return 0;
	server_remove_all(&s);
	if (s.exit_requested) {
		fprintf(stderr, "%s process(es): %d\n", s.attached ? "Detaching" : "Killing", s.pid);
	} else {
		fprintf(stderr, "Remote side has terminated connection.  %s process %d\n",
			s.attached ? "Detaching from" : "Killing", s.pid);
	}
	if (s.attached)
		s.ops->detach(s.t);
	else
		ktarget_ops.kill(&k);
	return 0;
}
