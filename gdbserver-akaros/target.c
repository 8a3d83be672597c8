/*
 * The process through the kernel's debugging files (docs/debugging.md):
 * /proc/PID/ctl for attach, stop, cont, step, dr, detach and kill;
 * /proc/PID/dbg for events; /proc/PID/mem for memory; task/TID/regs and
 * fpregs for registers.  Threads come from a thread-list provider, here
 * the kernel's task list (/proc/PID/task); an MCP's uthreads would be
 * another provider behind the same target_ops.threads.
 *
 * All-stop, as GNU gdbserver: when an event arrives every thread is
 * stopped ("stop") and the events that raced with the stop are read too;
 * one is chosen to report (a single step gdb asked for first, else one at
 * random, so no thread starves the others), the other threads' hits of
 * our breakpoints are undone (pc back on the int3: hit again when resumed,
 * or run on if gdb removed the breakpoint meanwhile) and their other
 * events are kept pending, each reported only after gdb has resumed its
 * thread again (gdb stepping one thread over a breakpoint must see that
 * thread's step, not another thread's older event).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "target.h"

/* Write one ctl command: 0 or -errno. */
static int ctl(struct ktarget *k, const char *fmt, ...)
{
	char cmd[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return write(k->ctl, cmd, (size_t)n) == n ? 0 : -errno;
}

static int kt_read_mem(void *t, uint64_t addr, void *buf, size_t len)
{
	struct ktarget *k = t;
	ssize_t n = pread(k->mem, buf, len, (off_t)addr);

	return n < 0 ? -errno : (int)n;
}

static int kt_write_mem(void *t, uint64_t addr, const void *buf, size_t len)
{
	struct ktarget *k = t;
	ssize_t n = pwrite(k->mem, buf, len, (off_t)addr);

	return n < 0 ? -errno : (int)n;
}

/* Read or write a task file whole: 0 or -errno. */
static int task_file(struct ktarget *k, int tid, const char *name, void *buf, size_t len,
		     bool write_it)
{
	char path[64];
	int fd, err = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/%s", k->pid, tid, name);
	fd = open(path, write_it ? O_WRONLY : O_RDONLY);
	if (fd < 0)
		return -errno;
	n = write_it ? pwrite(fd, buf, len, 0) : pread(fd, buf, len, 0);
	if (n != (ssize_t)len)
		err = n < 0 ? -errno : -EIO;
	close(fd);
	return err;
}

static int kt_get_regs(void *t, int tid, struct abi_user_regs *r, struct abi_user_fpregs *f)
{
	int err = task_file(t, tid, "regs", r, sizeof(*r), false);

	return err ? err : task_file(t, tid, "fpregs", f, sizeof(*f), false);
}

static int kt_set_regs(void *t, int tid, const struct abi_user_regs *r,
		       const struct abi_user_fpregs *f)
{
	int err = task_file(t, tid, "regs", (void *)r, sizeof(*r), true);

	return err ? err : task_file(t, tid, "fpregs", (void *)f, sizeof(*f), true);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The kernel's thread list: every task of the process, in tid order. */
static int kt_threads(void *t, int *tids, int max)
{
	struct ktarget *k = t;
	char path[48];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", k->pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max)
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
			tids[n++] = atoi(de->d_name);
	closedir(d);
	qsort(tids, (size_t)n, sizeof(int), cmp_int);
	return n;
}

static int kt_thread_info(void *t, int tid, char *name, size_t n, int *core)
{
	struct ktarget *k = t;
	char path[64], buf[512], *p;
	int fd, i;
	ssize_t got;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", k->pid, tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got <= 0)
		return -EIO;
	buf[got] = 0;
	/* "tid (comm) S ...": comm may hold spaces and parentheses; the last ')' ends it. */
	p = strchr(buf, '(');
	if (p && strrchr(buf, ')')) {
		char *e = strrchr(buf, ')');

		snprintf(name, n, "%.*s", (int)(e - p - 1), p + 1);
		p = e + 2;
		for (i = 3; i < 39 && p; i++) {	/* field 39: processor */
			p = strchr(p, ' ');
			if (p)
				p++;
		}
		if (p)
			*core = atoi(p);
	}
	return 0;
}

static int kt_set_hw(void *t, int slot, uint64_t addr, int rw, int len)
{
	if (rw < 0)
		return ctl(t, "dr %d off", slot);
	return ctl(t, "dr %d %llx %d %d", slot, (unsigned long long)addr, rw, len);
}

static int kt_resume(void *t, int tid, bool step, int sig)
{
	struct ktarget *k = t;
	bool held = false;

	if (tid == 0) {
		/* Threads with a pending event stay stopped until it is reported. */
		int tids[MAX_THREADS], n = kt_threads(t, tids, MAX_THREADS);

		if (!k->npending)
			return ctl(k, "cont 0 %d", sig);
		for (int i = 0; i < n; i++)
			kt_resume(t, tids[i], false, sig);
		return 0;
	}
	for (int i = 0; i < k->npending; i++)
		if (k->pending[i].tid == tid) {
			k->pend_ok[i] = true;	/* resumed: its event may be reported */
			held = true;
		}
	if (held)
		return 0;
	if (step)
		k->stepping = tid;
	return ctl(k, "%s %d %d", step ? "step" : "cont", tid, sig);
}

static int kt_stop(void *t)
{
	return ctl(t, "stop");
}

/* Event line into si; false for events that stop nothing (clone). */
static bool parse_event(const char *line, struct stop_info *si)
{
	int a, b;
	unsigned long long dr6;

	memset(si, 0, sizeof(*si));
	if (sscanf(line, "break %d", &a) == 1) {
		si->kind = STOP_BREAK;
		si->tid = a;
	} else if (sscanf(line, "trap %d %llx", &a, &dr6) == 2) {
		si->tid = a;
		si->kind = STOP_STEP;
		for (int i = 0; i < 4; i++)
			if (dr6 & (1u << i)) {
				si->kind = STOP_WATCH;
				si->slot = i;
				break;
			}
	} else if (sscanf(line, "signal %d %d", &a, &b) == 2) {
		si->kind = STOP_SIGNAL;
		si->tid = a;
		si->sig = b;
	} else if (sscanf(line, "exec %d", &a) == 1) {
		si->kind = STOP_EXEC;
		si->tid = a;
	} else if (sscanf(line, "exit %d", &a) == 1) {
		if (WIFEXITED(a)) {
			si->kind = STOP_EXITED;
			si->status = WEXITSTATUS(a);
		} else {
			si->kind = STOP_KILLED;
			si->sig = WTERMSIG(a);
		}
	} else {
		return false;
	}
	return true;
}

/* Put a second thread's hit of our breakpoint back (pc on the int3): true if done. */
static bool undo_break(struct ktarget *k, int tid)
{
	struct abi_user_regs r;
	struct abi_user_fpregs f;

	if (kt_get_regs(k, tid, &r, &f) || !k->is_swbp || !k->is_swbp(k->bp_ctx, r.rip - 1))
		return false;
	r.rip--;
	return kt_set_regs(k, tid, &r, &f) == 0;
}

/*
 * Read the events available now into the pending list (first stop first).
 * resumed: they come from threads gdb resumed (reportable).  Returns 0,
 * or -1 if the event file failed.
 */
static int read_events(struct ktarget *k, bool resumed)
{
	char buf[4096], *line, *save;
	ssize_t n = read(k->dbg, buf, sizeof(buf) - 1);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0) {
		k->gone = true;
		return 0;
	}
	buf[n] = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct stop_info si;

		if (!parse_event(line, &si) || k->npending >= MAX_PENDING)
			continue;
		k->pend_ok[k->npending] = resumed || si.kind == STOP_EXITED ||
					  si.kind == STOP_KILLED;
		k->pending[k->npending++] = si;
	}
	return 0;
}

/* Index of the first reportable pending event, or -1. */
static int first_ok(const struct ktarget *k)
{
	for (int i = 0; i < k->npending; i++)
		if (k->pend_ok[i])
			return i;
	return -1;
}

/* The reportable event to report: an exit, gdb's single step, else a random one; -1 none. */
static int choose_event(const struct ktarget *k)
{
	int n = 0, pick;

	for (int i = 0; i < k->npending; i++) {
		if (!k->pend_ok[i])
			continue;
		if (k->pending[i].kind == STOP_EXITED || k->pending[i].kind == STOP_KILLED ||
		    (k->stepping && k->pending[i].tid == k->stepping))
			return i;
		n++;
	}
	if (!n)
		return -1;
	pick = (int)(random() % n);
	for (int i = 0; i < k->npending; i++)
		if (k->pend_ok[i] && pick-- == 0)
			return i;
	return -1;
}

/* Drop pending event i. */
static void drop_pending(struct ktarget *k, int i)
{
	k->npending--;
	memmove(k->pending + i, k->pending + i + 1, (size_t)(k->npending - i) * sizeof(k->pending[0]));
	memmove(k->pend_ok + i, k->pend_ok + i + 1, (size_t)(k->npending - i) * sizeof(bool));
}

/*
 * Everything is stopped and one event (or none, for an interrupt) is
 * being reported: the other threads' hits of our breakpoints are undone,
 * their other events wait for their threads' next resume.
 */
static void settle_pending(struct ktarget *k)
{
	for (int i = 0; i < k->npending; i++) {
		struct stop_info *e = &k->pending[i];

		if (e->kind == STOP_EXITED || e->kind == STOP_KILLED)
			continue;
		if (e->kind == STOP_BREAK && undo_break(k, e->tid)) {
			drop_pending(k, i--);
			continue;
		}
		k->pend_ok[i] = false;
	}
	k->stepping = 0;
}

static int kt_wait(void *t, struct link *io, struct stop_info *si)
{
	struct ktarget *k = t;
	int i;

	while (first_ok(k) < 0 && !k->gone) {
		struct pollfd fds[2] = { { .fd = k->dbg, .events = POLLIN },
					 { .fd = io ? io->in : -1, .events = POLLIN } };

		if (io && io->pos < io->len && link_take_interrupt(io))
			goto interrupt;
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (fds[0].revents && read_events(k, true))
			return -1;
		if (first_ok(k) < 0 && io && (fds[1].revents & (POLLIN | POLLHUP)) &&
		    link_take_interrupt(io))
			goto interrupt;
	}
	i = first_ok(k);
	if (i >= 0 && k->pending[i].kind != STOP_EXITED && k->pending[i].kind != STOP_KILLED) {
		kt_stop(k);
		read_events(k, true);	/* whatever raced with the stop */
	}
	i = choose_event(k);
	if (i < 0) {	/* the process is gone without an exit event */
		memset(si, 0, sizeof(*si));
		si->kind = STOP_KILLED;
		si->sig = SIGKILL;
		return 0;
	}
	*si = k->pending[i];
	drop_pending(k, i);
	if (si->kind != STOP_EXITED && si->kind != STOP_KILLED)
		settle_pending(k);
	else if (k->child)
		waitpid(k->pid, NULL, 0);
	return 0;
interrupt:
	{
		int tids[1];

		kt_stop(k);
		read_events(k, true);
		settle_pending(k);
		memset(si, 0, sizeof(*si));
		si->kind = STOP_INTERRUPT;
		si->tid = kt_threads(k, tids, 1) > 0 ? tids[0] : k->pid;
	}
	return 0;
}

static int kt_detach(void *t)
{
	struct ktarget *k = t;

	return ctl(k, "detach");
}

static int kt_kill(void *t)
{
	struct ktarget *k = t;
	char buf[256];

	ctl(k, "kill");
	/* Blocking reads until the end of the event stream: the process is gone. */
	fcntl(k->dbg, F_SETFL, fcntl(k->dbg, F_GETFL) & ~O_NONBLOCK);
	while (read(k->dbg, buf, sizeof(buf)) > 0)
		;
	k->gone = true;
	if (k->child)
		waitpid(k->pid, NULL, 0);
	return 0;
}

static int kt_exec_file(void *t, char *buf, size_t n)
{
	struct ktarget *k = t;
	char path[48];
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/%d/exe", k->pid);
	len = readlink(path, buf, n);
	return len < 0 ? -errno : (int)len;
}

static int kt_auxv(void *t, void *buf, size_t n)
{
	struct ktarget *k = t;
	char path[48];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/auxv", k->pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, n);
	close(fd);
	return len < 0 ? -errno : (int)len;
}

static int kt_stop_thread(void *t, int tid)
{
	return ctl(t, "stop %d", tid);
}

static int kt_next_event(void *t, struct stop_info *si)
{
	struct ktarget *k = t;

	if (!k->npending && !k->gone && read_events(k, true))
		return -1;
	if (!k->npending) {
		if (!k->gone)
			return 0;
		memset(si, 0, sizeof(*si));	/* gone without an exit event */
		si->kind = STOP_KILLED;
		si->sig = SIGKILL;
		return 1;
	}
	*si = k->pending[0];
	drop_pending(k, 0);
	if (si->kind == STOP_EXITED || si->kind == STOP_KILLED) {
		if (k->child)
			waitpid(k->pid, NULL, 0);
		return 1;
	}
	/*
	 * The kernel queues a thread's event (held already) before the
	 * thread parks at its return to user mode: until it has parked and
	 * switched out, its registers are unreadable and a resume of it
	 * finds nothing to wake.  Wait for that, as all-stop's kt_wait does
	 * with its stop of everything (a thread killed meanwhile: no wait).
	 */
	kt_stop_thread(k, si->tid);
	return 1;
}

static int kt_event_fd(void *t)
{
	return ((struct ktarget *)t)->dbg;
}

static void kt_set_nonstop(void *t, bool on)
{
	((struct ktarget *)t)->nonstop = on;
}

const struct target_ops ktarget_ops = {
	.read_mem = kt_read_mem, .write_mem = kt_write_mem,
	.get_regs = kt_get_regs, .set_regs = kt_set_regs,
	.threads = kt_threads, .thread_info = kt_thread_info,
	.set_hw = kt_set_hw, .resume = kt_resume, .wait = kt_wait, .stop = kt_stop,
	.detach = kt_detach, .kill = kt_kill, .exec_file = kt_exec_file, .auxv = kt_auxv,
	.stop_thread = kt_stop_thread, .next_event = kt_next_event, .event_fd = kt_event_fd,
	.set_nonstop = kt_set_nonstop,
};

int ktarget_attach(struct ktarget *k, int pid)
{
	char path[48];
	int err;

	memset(k, 0, sizeof(*k));
	k->pid = pid;
	k->ctl = k->dbg = k->mem = -1;
	snprintf(path, sizeof(path), "/proc/%d/ctl", pid);
	k->ctl = open(path, O_RDWR | O_CLOEXEC);
	if (k->ctl < 0)
		return -errno;
	err = ctl(k, "attach");
	if (err)
		return err;
	snprintf(path, sizeof(path), "/proc/%d/dbg", pid);
	k->dbg = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	k->mem = open(path, O_RDWR | O_CLOEXEC);
	if (k->dbg < 0 || k->mem < 0)
		return -errno;
	return 0;
}

void ktarget_close(struct ktarget *k)
{
	int *fds[] = { &k->ctl, &k->dbg, &k->mem };

	for (int i = 0; i < 3; i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
	mcp_release(k);
}

int ktarget_wait_exec(struct ktarget *k, struct stop_info *si)
{
	for (;;) {
		if (kt_wait(k, NULL, si))
			return -1;
		if (si->kind == STOP_EXEC)
			return 0;
		if (si->kind == STOP_EXITED || si->kind == STOP_KILLED)
			return -1;
		kt_resume(k, si->tid, false, si->kind == STOP_SIGNAL ? si->sig : 0);
	}
}
