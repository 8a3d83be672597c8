/*
 * Non-stop mode (QNonStop:1): threads stop and go one at a time while the
 * others run, the MCP way to debug.  Resumptions (vCont c/C/s/S) and stop
 * requests (vCont;t) are answered OK at once; every stop is queued and
 * gdb is told of the first with a %Stop notification, then drains the
 * rest with vStopped (each answered with the next stop reply, OK when
 * none is left).  '?' queues a stop for every stopped thread.  A vCont;t
 * stop reports signal 0, as GNU gdbserver's does.  Turning non-stop on
 * with a process attached (gdb's `set non-stop on` before connecting)
 * lets every thread run but the one the attach reported, as GNU's does.
 *
 * Stopping a uthread is target_ops.stop_thread (mcp.c: the 2LS holds it
 * off its vcores through the debugger descriptor, or its vcore's task is
 * stopped); events come from target_ops.next_event when the event fd
 * polls readable (main.c's loop), and stop only the thread they are about.
 *
 * Breakpoints and running threads: gdb removes a breakpoint while other
 * threads run (to step one thread over it), and a thread may execute the
 * int3 just before it goes.  As GNU gdbserver does, a SIGTRAP at a pc
 * whose int3 we removed lately (the last few removals) is spurious: the
 * pc goes back one byte and the thread resumes, unreported.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gdbserver.h"

static int reply(struct server *s, const char *str)
{
	return rsp_send_str(s->link, str);
}

static bool is_stopped(const struct server *s, int tid)
{
	for (int i = 0; i < s->nstopped; i++)
		if (s->stopped[i] == tid)
			return true;
	return false;
}

static void mark_stopped(struct server *s, int tid)
{
	if (!is_stopped(s, tid) && s->nstopped < MAX_THREADS)
		s->stopped[s->nstopped++] = tid;
}

static void mark_running(struct server *s, int tid)
{
	for (int i = 0; i < s->nstopped; i++)
		if (s->stopped[i] == tid) {
			s->stopped[i] = s->stopped[--s->nstopped];
			return;
		}
}

/* Queue a stop; notify gdb if nothing is being drained: 0 or -1 (link gone). */
static int push_stop(struct server *s, const struct stop_info *si)
{
	char buf[160];

	if (si->kind != STOP_EXITED && si->kind != STOP_KILLED)
		mark_stopped(s, si->tid);
	if (s->nqueue == NS_QUEUE)
		return 0;	/* gdb learns of it from the thread's state */
	s->queue[s->nqueue++] = *si;
	if (s->notif_pending)
		return 0;
	s->notif_pending = true;
	memcpy(buf, "Stop:", 5);
	stop_reply_text(s, si, buf + 5, sizeof(buf) - 5);
	return rsp_notify(s->link, buf);
}

void nonstop_bp_removed(struct server *s, uint64_t addr)
{
	s->removed[s->nremoved++ % 8] = addr;
}

static bool recently_removed(const struct server *s, uint64_t addr)
{
	int n = s->nremoved < 8 ? s->nremoved : 8;

	for (int i = 0; i < n; i++)
		if (s->removed[i] == addr)
			return true;
	return false;
}

/* A break event: ours (pc back on the int3), spurious (resumed: false), or the program's. */
static bool classify_break(struct server *s, struct stop_info *si)
{
	struct abi_user_regs r;
	struct abi_user_fpregs f;

	if (s->ops->get_regs(s->t, si->tid, &r, &f))
		return true;
	for (int i = 0; i < NSWBP; i++)
		if (s->bp[i].used && s->bp[i].addr == r.rip - 1) {
			r.rip--;
			s->ops->set_regs(s->t, si->tid, &r, &f);
			return true;
		}
	if (recently_removed(s, r.rip - 1)) {
		r.rip--;
		if (!s->ops->set_regs(s->t, si->tid, &r, &f))
			s->ops->resume(s->t, si->tid, false, 0);
		return false;
	}
	si->kind = STOP_SIGNAL;	/* an int3 of the program itself */
	si->sig = 5;
	return true;
}

int nonstop_events(struct server *s)
{
	struct stop_info si;
	int r;

	if (!s->has_process || !s->ops->next_event)
		return 0;
	while ((r = s->ops->next_event(s->t, &si)) > 0) {
		if (si.kind == STOP_BREAK && !classify_break(s, &si))
			continue;
		if (si.kind == STOP_EXITED || si.kind == STOP_KILLED) {
			s->last = si;
			s->nstopped = 0;
		}
		if (push_stop(s, &si))
			return -1;
		if (si.kind == STOP_EXITED || si.kind == STOP_KILLED)
			break;
	}
	return r < 0 ? -1 : 0;
}

/* Stop tid (-1: every thread) and queue its stop, signal 0. */
static int stop_threads(struct server *s, int tid, const int *tids, int n)
{
	struct stop_info si = { .kind = STOP_SIGNAL };

	for (int i = 0; i < n; i++) {
		if ((tid > 0 && tids[i] != tid) || is_stopped(s, tids[i]))
			continue;
		if (s->ops->stop_thread(s->t, tids[i]))
			return -1;
		si.tid = tids[i];
		if (push_stop(s, &si))
			return -2;
	}
	return 0;
}

/* Has an earlier action of this vCont taken one of the n threads? */
static bool any_done(const bool *done, int n)
{
	for (int i = 0; i < n; i++)
		if (done[i])
			return true;
	return false;
}

/* vCont;ACTION[:TID]... in non-stop: act, answer OK (stops come as notifications). */
static int handle_vcont(struct server *s, char *pkt)
{
	static int tids[MAX_THREADS];
	int n = s->ops->threads(s->t, tids, MAX_THREADS);
	static bool done[MAX_THREADS];
	const char *p = pkt + 5;

	if (n <= 0)
		return reply(s, "E01");
	memset(done, 0, sizeof(done));
	while (*p == ';') {
		char act = *++p;
		int sig = 0, tid = -1;
		bool ok = true;

		if (!strchr("cCsSt", act) || !act)
			return reply(s, "E01");
		p++;
		if (act == 'C' || act == 'S')
			sig = linux_signal((int)parse_hex(&p, &ok));
		if (*p == ':') {
			p++;
			if (!parse_thread(s, &p, &tid))
				return reply(s, "E01");
			if (tid == 0)
				tid = -1;
		}
		if (!ok || (*p && *p != ';'))
			return reply(s, "E01");
		if (act == 't') {
			int r = stop_threads(s, tid, tids, n);

			if (r == -2)
				return -1;
			if (r)
				return reply(s, "E01");
			continue;
		}
		if (tid == -1 && act == 'c' && !sig && !any_done(done, n)) {
			/*
			 * Everything that is stopped goes (holds cleared with
			 * it).  Not after an action for one thread (vCont;s:T;c:
			 * the others continue): one kernel "cont" for every task
			 * would turn T's step into a continue.
			 */
			for (int i = 0; i < n; i++)
				done[i] = true;
			if (s->ops->resume(s->t, 0, false, 0))
				return reply(s, "E01");
			s->nstopped = 0;
			continue;
		}
		for (int i = 0; i < n; i++) {
			if (done[i] || (tid > 0 && tids[i] != tid) || !is_stopped(s, tids[i]))
				continue;
			done[i] = true;
			if (s->ops->resume(s->t, tids[i], act == 's' || act == 'S', sig))
				return reply(s, "E01");
			mark_running(s, tids[i]);
		}
	}
	if (*p)
		return reply(s, "E01");
	return reply(s, "OK");
}

/* vStopped: the notified stop is acknowledged; the next one, or OK. */
static int handle_vstopped(struct server *s)
{
	char buf[160];
	int r;

	if (s->nqueue) {
		/* gdb has seen the process's end: the session is over once this is answered */
		bool ended = s->queue[0].kind == STOP_EXITED || s->queue[0].kind == STOP_KILLED;

		memmove(s->queue, s->queue + 1, (size_t)--s->nqueue * sizeof(s->queue[0]));
		if (ended) {
			s->nqueue = 0;
			s->notif_pending = false;
			r = reply(s, "OK");
			s->done = true;
			return r;
		}
	}
	if (!s->nqueue) {
		s->notif_pending = false;
		return reply(s, "OK");
	}
	stop_reply_text(s, &s->queue[0], buf, sizeof(buf));
	return reply(s, buf);
}

/* '?' in non-stop: a stop for every stopped thread, the first as the reply. */
static int handle_status(struct server *s)
{
	char buf[160];
	struct stop_info si = { .kind = STOP_SIGNAL };

	s->nqueue = 0;
	s->notif_pending = false;
	if (!s->has_process || s->last.kind == STOP_EXITED || s->last.kind == STOP_KILLED) {
		stop_reply_text(s, &s->last, buf, sizeof(buf));
		return reply(s, s->has_process ? buf : "W00");
	}
	for (int i = 0; i < s->nstopped && s->nqueue < NS_QUEUE; i++) {
		si.tid = s->stopped[i];
		s->queue[s->nqueue++] = si;
	}
	if (!s->nqueue)
		return reply(s, "OK");
	s->notif_pending = true;	/* drained by vStopped like a notification */
	stop_reply_text(s, &s->queue[0], buf, sizeof(buf));
	return reply(s, buf);
}

int nonstop_packet(struct server *s, char *pkt)
{
	if (!strncmp(pkt, "QNonStop:", 9)) {
		bool on = pkt[9] == '1';
		static int tids[MAX_THREADS];
		int n;

		if ((pkt[9] != '0' && pkt[9] != '1') || pkt[10] || !s->ops->stop_thread ||
		    !s->ops->next_event)
			return reply(s, "E01");
		if (on && !s->nonstop && s->has_process) {
			/*
			 * Everything is stopped (all-stop's state).  As GNU
			 * gdbserver's attach in non-stop, one thread stays
			 * stopped (the one '?' reports) and the rest run.
			 */
			int keep = s->last.tid;

			n = s->ops->threads(s->t, tids, MAX_THREADS);
			if (keep <= 0 && n > 0)
				keep = tids[0];
			s->nstopped = 0;
			if (s->ops->resume(s->t, 0, false, 0) ||
			    (keep > 0 && s->ops->stop_thread(s->t, keep)))
				return reply(s, "E01");
			if (keep > 0)
				mark_stopped(s, keep);
		}
		s->nonstop = on;
		s->nqueue = 0;
		s->notif_pending = false;
		if (s->ops->set_nonstop)
			s->ops->set_nonstop(s->t, on);
		return reply(s, "OK");
	}
	if (!s->nonstop)
		return 1;
	if (!strcmp(pkt, "vStopped"))
		return handle_vstopped(s);
	if (!strcmp(pkt, "?"))
		return handle_status(s);
	if (!strncmp(pkt, "vCont;", 6))
		return handle_vcont(s, pkt);
	if (!strcmp(pkt, "vCtrlC")) {
		static int tids[MAX_THREADS];
		int n = s->ops->threads(s->t, tids, MAX_THREADS), r;

		r = n > 0 ? stop_threads(s, -1, tids, n) : 0;
		return r == -2 ? -1 : reply(s, r ? "E01" : "OK");
	}
	if (strchr("cCsS", pkt[0]))
		return reply(s, "E01");	/* gdb uses vCont in non-stop */
	return 1;
}
