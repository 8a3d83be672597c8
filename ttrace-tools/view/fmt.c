/*
 * What every output format shares: the Linux/ftrace name and system of
 * each record type, its field text in the shape `trace-cmd report` prints
 * (so `text` and the tracedat export read the same), timestamps, and the
 * thread -> (process, command) tracking over time.
 *
 * Tracking: a thread's command starts as the dump's name table says, and
 * changes as the events reveal it (sched_switch and wakeup comms, fork's
 * child, exec's file name, exit); each event gets the values current when
 * it happened.
 */
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include "tt.h"

#define NAME_(n, v, c, s)	[v] = s,
static const char *const names[256] = { TTRACE_RECORDS(NAME_) };
#undef NAME_

/* Returns "unknown" for a type without a name. */
const char *tt_event_name(unsigned int type)
{
	return type < 256 && names[type] ? names[type] : "unknown";
}

/* The ftrace event system a type is exported under. */
const char *tt_event_system(unsigned int type)
{
	switch (type) {
	case TTRACE_REC_SCHED_SWITCH:
	case TTRACE_REC_SCHED_WAKEUP:
	case TTRACE_REC_PROC_FORK:
	case TTRACE_REC_PROC_EXEC:
	case TTRACE_REC_PROC_EXIT:
		return "sched";
	case TTRACE_REC_SYS_ENTER:
	case TTRACE_REC_SYS_EXIT:
		return "raw_syscalls";
	case TTRACE_REC_IRQ_ENTER:
	case TTRACE_REC_IRQ_EXIT:
		return "irq";
	default:
		return "ttrace";
	}
}

/* Returns NULL if the dump named no syscall nr. */
const char *tt_syscall_name(const struct tt_trace *t, uint32_t nr)
{
	for (size_t i = 0; i < t->nsys; i++)
		if (t->sys[i].nr == nr)
			return t->sys[i].name;
	return NULL;
}

/* Cannot fail: copies at most 16 bytes and terminates. */
void tt_comm(char *dst, const char *src)
{
	memcpy(dst, src, TTRACE_COMM_LEN);
	dst[TTRACE_COMM_LEN] = 0;
	dst[strnlen(dst, TTRACE_COMM_LEN)] = 0;
}

/* sched_switch's prev_state letters, as the kernel's __print_flags gives them. */
const char *tt_state_str(uint32_t state)
{
	switch (state & 0xff) {
	case TTRACE_STATE_RUNNING:		return "R";
	case TTRACE_STATE_INTERRUPTIBLE:	return "S";
	case TTRACE_STATE_UNINTERRUPTIBLE:	return "D";
	case TTRACE_STATE_STOPPED:		return "T";
	case TTRACE_STATE_DEAD:			return "X";
	case TTRACE_STATE_ZOMBIE:		return "Z";
	default:				return "?";
	}
}

/* "SSSSS.UUUUUU" seconds, as trace-cmd report prints. */
void tt_format_time(uint64_t ns, char *buf, size_t cap)
{
	uint64_t us = (ns + 500) / 1000;	/* rounded, as trace-cmd does */

	snprintf(buf, cap, "%5" PRIu64 ".%06" PRIu64, us / 1000000u, us % 1000000u);
}

/* Name of a wait-object kind; "?" if unknown. */
static const char *wait_kind(uint32_t k)
{
	return k == TTRACE_WAIT_SEM ? "sem" : k == TTRACE_WAIT_WAITQ ? "waitq" :
	       k == TTRACE_WAIT_MUTEX ? "mutex" : "?";
}

/* Field text of e; returns the snprintf length (truncated at cap). */
int tt_format_fields(const struct tt_trace *t, const struct tt_event *e, char *buf, size_t cap)
{
	const struct ttrace_rec *r = e->rec;
	char a[TTRACE_COMM_LEN + 1], b[TTRACE_COMM_LEN + 1];

	(void)t;

	switch (r->type) {
	case TTRACE_REC_SCHED_SWITCH: {
		const struct ttrace_sched_switch *p = TT_PAYLOAD(e, struct ttrace_sched_switch);

		tt_comm(a, p->prev_comm);
		tt_comm(b, p->next_comm);
		return snprintf(buf, cap, "%s:%u [%d] %s ==> %s:%u [%d]", a, p->prev_tid,
				p->prev_prio, tt_state_str(p->prev_state), b, p->next_tid, p->next_prio);
	}
	case TTRACE_REC_SCHED_WAKEUP: {
		const struct ttrace_sched_wakeup *p = TT_PAYLOAD(e, struct ttrace_sched_wakeup);

		tt_comm(a, p->comm);
		return snprintf(buf, cap, "%s:%u [%d] CPU:%03u", a, p->tid, p->prio, p->target_cpu);
	}
	case TTRACE_REC_PROC_FORK: {
		const struct ttrace_proc_fork *p = TT_PAYLOAD(e, struct ttrace_proc_fork);

		tt_comm(a, p->parent_comm);
		tt_comm(b, p->child_comm);
		return snprintf(buf, cap, "comm=%s pid=%u child_comm=%s child_pid=%u", a,
				p->parent_tid, b, p->child_tid);
	}
	case TTRACE_REC_PROC_EXEC: {
		const struct ttrace_proc_exec *p = TT_PAYLOAD(e, struct ttrace_proc_exec);

		return snprintf(buf, cap, "filename=%s pid=%u old_pid=%u", p->filename, p->tid,
				p->tid);
	}
	case TTRACE_REC_PROC_EXIT: {
		const struct ttrace_proc_exit *p = TT_PAYLOAD(e, struct ttrace_proc_exit);

		tt_comm(a, p->comm);
		return snprintf(buf, cap, "comm=%s pid=%u prio=120", a, p->tid);
	}
	case TTRACE_REC_SYS_ENTER: {
		const struct ttrace_sys_enter *p = TT_PAYLOAD(e, struct ttrace_sys_enter);

		return snprintf(buf, cap, "NR %u (%" PRIx64 ", %" PRIx64 ", %" PRIx64 ", %" PRIx64
				", 0, 0)", p->nr, p->args[0], p->args[1], p->args[2], p->args[3]);
	}
	case TTRACE_REC_SYS_EXIT: {
		const struct ttrace_sys_exit *p = TT_PAYLOAD(e, struct ttrace_sys_exit);

		return snprintf(buf, cap, "NR %u = %" PRId64, p->nr, p->ret);
	}
	case TTRACE_REC_IRQ_ENTER: {
		const struct ttrace_irq *p = TT_PAYLOAD(e, struct ttrace_irq);

		return snprintf(buf, cap, "irq=%u name=vector%u", p->vector, p->vector);
	}
	case TTRACE_REC_IRQ_EXIT: {
		const struct ttrace_irq *p = TT_PAYLOAD(e, struct ttrace_irq);

		return snprintf(buf, cap, "irq=%u ret=%s", p->vector, p->ret ? "handled" : "unhandled");
	}
	case TTRACE_REC_EXC_ENTER:
	case TTRACE_REC_EXC_EXIT: {
		const struct ttrace_exc *p = TT_PAYLOAD(e, struct ttrace_exc);

		return snprintf(buf, cap, "vector=%u error_code=0x%x ip=0x%" PRIx64, p->vector,
				p->error_code, p->ip);
	}
	case TTRACE_REC_PAGE_FAULT: {
		const struct ttrace_page_fault *p = TT_PAYLOAD(e, struct ttrace_page_fault);

		return snprintf(buf, cap, "address=0x%" PRIx64 " ip=0x%" PRIx64
				" error_code=0x%x result=%d", p->addr, p->ip, p->error_code, p->result);
	}
	case TTRACE_REC_WAIT_SLEEP:
	case TTRACE_REC_WAIT_WAKE: {
		const struct ttrace_wait *p = TT_PAYLOAD(e, struct ttrace_wait);
		char n[TTRACE_NAME_LEN + 1];

		memcpy(n, p->name, TTRACE_NAME_LEN);
		n[TTRACE_NAME_LEN] = 0;
		return snprintf(buf, cap, "obj=0x%" PRIx64 " kind=%s name=%s tid=%u", p->obj,
				wait_kind(p->kind), n, p->tid);
	}
	case TTRACE_REC_KMSG_SEND:
	case TTRACE_REC_KMSG_RUN: {
		const struct ttrace_kmsg *p = TT_PAYLOAD(e, struct ttrace_kmsg);

		return snprintf(buf, cap, "src_cpu=%u dst_cpu=%u kind=%s fn=0x%" PRIx64 " arg=0x%"
				PRIx64, p->src_cpu, p->dst_cpu,
				p->kind == TTRACE_KMSG_IMMEDIATE ? "immediate" : "routine", p->fn,
				p->arg);
	}
	case TTRACE_REC_PRINTK: {
		const struct ttrace_printk *p = TT_PAYLOAD(e, struct ttrace_printk);

		return snprintf(buf, cap, "level=%u msg=%s", p->level, p->text);
	}
	case TTRACE_REC_USER: {
		const struct ttrace_user *p = TT_PAYLOAD(e, struct ttrace_user);

		return snprintf(buf, cap, "id=%u msg=%s", p->id, p->text);
	}
	case TTRACE_REC_LOST: {
		const struct ttrace_lost *p = TT_PAYLOAD(e, struct ttrace_lost);

		return snprintf(buf, cap, "count=%" PRIu64 " cause=%s", p->count,
				p->cause == TTRACE_LOST_OVERWRITTEN ? "overwritten" : "dropped");
	}
	default:
		return snprintf(buf, cap, "type=%u", r->type);
	}
}

/* Thread table: open addressing on tid. */
struct task {
	uint32_t tid;
	uint32_t pid;
	const char *comm;
	int used;
};

struct task_map {
	struct task *slot;
	size_t cap;
};

/* The slot of tid, created if new (the map never fills: it is sized at 4x). */
static struct task *task_get(struct task_map *m, uint32_t tid)
{
	size_t i = (tid * 2654435761u) & (m->cap - 1);

	while (m->slot[i].used && m->slot[i].tid != tid)
		i = (i + 1) & (m->cap - 1);
	if (!m->slot[i].used) {
		m->slot[i].used = 1;
		m->slot[i].tid = tid;
		m->slot[i].pid = tid;
		m->slot[i].comm = NULL;
	}
	return &m->slot[i];
}

/* A stable copy of a comm, kept until tt_free; NULL on allocation failure. */
static const char *intern(struct tt_trace *t, const char *comm16)
{
	char c[TTRACE_COMM_LEN + 1], *s, **n;

	tt_comm(c, comm16);
	for (size_t i = t->ninterned; i-- > 0 && i + 64 > t->ninterned;)
		if (!strcmp(t->interned[i], c))
			return t->interned[i];
	n = realloc(t->interned, (t->ninterned + 1) * sizeof(*n));
	if (!n)
		return NULL;
	t->interned = n;
	s = strdup(c);
	if (!s)
		return NULL;
	t->interned[t->ninterned++] = s;
	return s;
}

/* Record tid's pid and command; keeps the old command if interning fails. */
static void set_comm(struct tt_trace *t, struct task_map *m, uint32_t tid, uint32_t pid,
		     const char *comm16)
{
	struct task *k = task_get(m, tid);
	char c[TTRACE_COMM_LEN + 1];

	k->pid = pid;
	tt_comm(c, comm16);
	if (!k->comm || strcmp(k->comm, c))
		k->comm = intern(t, comm16);
}

/* Cannot fail (on allocation failure events keep "<...>"). */
void tt_track_tasks(struct tt_trace *t)
{
	struct task_map m;
	size_t want = 64;

	while (want < 4 * (t->nprocs + t->nev / 4 + 16))
		want *= 2;
	m.cap = want;
	m.slot = calloc(m.cap, sizeof(*m.slot));
	if (!m.slot) {
		for (size_t i = 0; i < t->nev; i++)
			t->ev[i].comm = "<...>";
		return;
	}
	for (size_t i = 0; i < t->nprocs; i++)
		set_comm(t, &m, t->procs[i].tid, t->procs[i].pid, t->procs[i].comm);
	for (size_t i = 0; i < t->nev; i++) {
		struct tt_event *e = &t->ev[i];
		struct task *k;

		switch (e->rec->type) {
		case TTRACE_REC_SCHED_SWITCH: {
			const struct ttrace_sched_switch *p = TT_PAYLOAD(e, struct ttrace_sched_switch);

			set_comm(t, &m, p->prev_tid, p->prev_pid, p->prev_comm);
			break;
		}
		case TTRACE_REC_PROC_EXIT: {
			const struct ttrace_proc_exit *p = TT_PAYLOAD(e, struct ttrace_proc_exit);

			set_comm(t, &m, p->tid, p->pid, p->comm);
			break;
		}
		}
		k = task_get(&m, e->rec->tid);
		e->pid = e->rec->tid ? k->pid : 0;
		e->comm = e->rec->tid == 0 ? "<idle>" : k->comm ? k->comm : "<...>";
		switch (e->rec->type) {
		case TTRACE_REC_SCHED_SWITCH: {
			const struct ttrace_sched_switch *p = TT_PAYLOAD(e, struct ttrace_sched_switch);

			set_comm(t, &m, p->next_tid, p->next_pid, p->next_comm);
			break;
		}
		case TTRACE_REC_SCHED_WAKEUP: {
			const struct ttrace_sched_wakeup *p = TT_PAYLOAD(e, struct ttrace_sched_wakeup);

			set_comm(t, &m, p->tid, p->pid, p->comm);
			break;
		}
		case TTRACE_REC_PROC_FORK: {
			const struct ttrace_proc_fork *p = TT_PAYLOAD(e, struct ttrace_proc_fork);

			set_comm(t, &m, p->child_tid, p->child_pid, p->child_comm);
			break;
		}
		case TTRACE_REC_PROC_EXEC: {
			const struct ttrace_proc_exec *p = TT_PAYLOAD(e, struct ttrace_proc_exec);
			const char *base = strrchr(p->filename, '/');
			char c[TTRACE_COMM_LEN] = { 0 };

			base = base ? base + 1 : p->filename;
			strncpy(c, base, TTRACE_COMM_LEN - 1);
			set_comm(t, &m, p->tid, p->pid, c);
			break;
		}
		}
	}
	free(m.slot);
}

/* s as a JSON string; <, > and & escaped too, so it is safe inside <script>. */
void tt_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '&')
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}
