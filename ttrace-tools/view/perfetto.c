/*
 * `perfetto`: a Chrome JSON trace for ui.perfetto.dev (and chrome://tracing)
 * on stdout.
 *
 *	traceEvents: one pseudo-process per CPU ("CPU N", pid CPU_PID + N)
 *	  whose complete ("X") slices are the threads that ran there (from
 *	  sched_switch to the next one on that CPU); per real process, syscall
 *	  slices on each thread (enter to exit, paired per thread); instant
 *	  events for user events, printk lines and losses; names as metadata.
 *	systemTraceEvents: the scheduling events (sched_switch, sched_wakeup)
 *	  in the kernel's ftrace text format, which Perfetto turns into its
 *	  own per-CPU scheduling tracks.
 *
 * Both use the same clock: microseconds (traceEvents) and seconds
 * (systemTraceEvents) of the TSC converted to ns.
 */
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include "tt.h"

#define CPU_PID		1000000000u	/* pseudo-process of CPU 0 */

/* Print ns as microseconds with three decimals. */
static void us(FILE *out, uint64_t ns)
{
	fprintf(out, "%" PRIu64 ".%03" PRIu64, ns / 1000, ns % 1000);
}

/* Per thread: the syscall it is in (nr UINT32_MAX: none). */
struct open_sys {
	uint32_t tid, nr;
	uint64_t start;
	int used;
};

struct sys_table {
	struct open_sys *s;
	size_t cap, n;
};

/* The slot of tid (created empty); NULL if out of memory. */
static struct open_sys *sys_slot(struct sys_table *t, uint32_t tid)
{
	size_t k;

	if (2 * (t->n + 1) > t->cap) {
		struct sys_table nt = { calloc(t->cap * 2, sizeof(struct open_sys)), t->cap * 2, t->n };

		if (!nt.s)
			return NULL;
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->s[i].used)
				continue;
			k = (t->s[i].tid * 2654435761u) & (nt.cap - 1);
			while (nt.s[k].used)
				k = (k + 1) & (nt.cap - 1);
			nt.s[k] = t->s[i];
		}
		free(t->s);
		*t = nt;
	}
	k = (tid * 2654435761u) & (t->cap - 1);
	while (t->s[k].used && t->s[k].tid != tid)
		k = (k + 1) & (t->cap - 1);
	if (!t->s[k].used) {
		t->s[k].used = 1;
		t->s[k].tid = tid;
		t->s[k].nr = UINT32_MAX;
		t->n++;
	}
	return &t->s[k];
}

/* Returns 0, or 1 if out of memory or writing failed. */
int tt_perfetto(struct tt_trace *t, FILE *out)
{
	unsigned int ncpu = t->hdr.ncpus;
	uint64_t *since = calloc(ncpu, sizeof(*since)), *last = calloc(ncpu, sizeof(*last));
	uint32_t *cur = calloc(ncpu, sizeof(*cur));
	char (*curcomm)[TTRACE_COMM_LEN + 1] = calloc(ncpu, sizeof(*curcomm));
	struct sys_table st = { calloc(64, sizeof(struct open_sys)), 64, 0 };
	char ts[32];
	int first = 1;

	if (!since || !last || !cur || !curcomm || !st.s) {
		free(since);
		free(last);
		free(cur);
		free(curcomm);
		free(st.s);
		return 1;
	}
#define SEP()	(first ? (first = 0, "") : ",\n")
	fprintf(out, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
	for (unsigned int c = 0; c < ncpu; c++) {
		fprintf(out, "%s{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%u,\"args\":{\"name\":\"CPU %u\"}}",
			SEP(), CPU_PID + c, c);
		fprintf(out, ",\n{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":%u,"
			"\"args\":{\"sort_index\":%u}}", CPU_PID + c, c);
	}
	for (size_t i = 0; i < t->nprocs; i++) {
		fprintf(out, ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":%u,\"args\":{\"name\":",
			t->procs[i].pid, t->procs[i].tid);
		tt_json_str(out, t->procs[i].comm);
		fprintf(out, "}}");
		if (t->procs[i].pid == t->procs[i].tid) {
			fprintf(out, ",\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%u,\"args\":{\"name\":",
				t->procs[i].pid);
			tt_json_str(out, t->procs[i].comm);
			fprintf(out, "}}");
		}
	}
	for (size_t i = 0; i < t->nev; i++) {
		const struct tt_event *e = &t->ev[i];
		unsigned int c = e->rec->cpu;

		last[c] = e->ns;
		switch (e->rec->type) {
		case TTRACE_REC_SCHED_SWITCH: {
			const struct ttrace_sched_switch *p = TT_PAYLOAD(e, struct ttrace_sched_switch);

			if (cur[c]) {
				fprintf(out, ",\n{\"name\":");
				tt_json_str(out, curcomm[c]);
				fprintf(out, ",\"cat\":\"sched\",\"ph\":\"X\",\"pid\":%u,\"tid\":%u,\"ts\":",
					CPU_PID + c, CPU_PID + c);
				us(out, since[c]);
				fprintf(out, ",\"dur\":");
				us(out, e->ns - since[c]);
				fprintf(out, ",\"args\":{\"tid\":%u,\"state_after\":\"%s\"}}", cur[c],
					tt_state_str(p->prev_state));
			}
			cur[c] = p->next_tid;
			since[c] = e->ns;
			tt_comm(curcomm[c], p->next_comm);
			break;
		}
		case TTRACE_REC_SYS_ENTER: {
			struct open_sys *o = sys_slot(&st, e->rec->tid);

			if (!o)
				break;
			o->nr = TT_PAYLOAD(e, struct ttrace_sys_enter)->nr;
			o->start = e->ns;
			break;
		}
		case TTRACE_REC_SYS_EXIT: {
			const struct ttrace_sys_exit *p = TT_PAYLOAD(e, struct ttrace_sys_exit);
			struct open_sys *o = sys_slot(&st, e->rec->tid);
			const char *name;
			char nm[32];

			if (!o || o->nr != p->nr)
				break;
			name = tt_syscall_name(t, p->nr);
			if (!name) {
				snprintf(nm, sizeof(nm), "syscall %u", p->nr);
				name = nm;
			}
			fprintf(out, ",\n{\"name\":");
			tt_json_str(out, name);
			fprintf(out, ",\"cat\":\"syscall\",\"ph\":\"X\",\"pid\":%u,\"tid\":%u,\"ts\":",
				e->pid, e->rec->tid);
			us(out, o->start);
			fprintf(out, ",\"dur\":");
			us(out, e->ns - o->start);
			fprintf(out, ",\"args\":{\"nr\":%u,\"ret\":%" PRId64 "}}", p->nr, p->ret);
			o->nr = UINT32_MAX;	/* closed */
			break;
		}
		case TTRACE_REC_USER:
		case TTRACE_REC_PRINTK:
		case TTRACE_REC_LOST: {
			char f[512];

			tt_format_fields(t, e, f, sizeof(f));
			fprintf(out, ",\n{\"name\":\"%s\",\"cat\":\"ttrace\",\"ph\":\"i\",\"s\":\"t\",\"pid\":%u,"
				"\"tid\":%u,\"ts\":", tt_event_name(e->rec->type),
				e->rec->tid ? e->pid : CPU_PID + c, e->rec->tid ? e->rec->tid : CPU_PID + c);
			us(out, e->ns);
			fprintf(out, ",\"args\":{\"fields\":");
			tt_json_str(out, f);
			fprintf(out, "}}");
			break;
		}
		}
	}
	for (unsigned int c = 0; c < ncpu; c++) {
		if (!cur[c] || last[c] <= since[c])
			continue;
		fprintf(out, ",\n{\"name\":");
		tt_json_str(out, curcomm[c]);
		fprintf(out, ",\"cat\":\"sched\",\"ph\":\"X\",\"pid\":%u,\"tid\":%u,\"ts\":", CPU_PID + c,
			CPU_PID + c);
		us(out, since[c]);
		fprintf(out, ",\"dur\":");
		us(out, last[c] - since[c]);
		fprintf(out, ",\"args\":{\"tid\":%u}}", cur[c]);
	}
	fprintf(out, "\n],\n\"systemTraceEvents\":\"# tracer: nop\\n#\\n");
	for (size_t i = 0; i < t->nev; i++) {
		const struct tt_event *e = &t->ev[i];
		char line[512], a[TTRACE_COMM_LEN + 1], b[TTRACE_COMM_LEN + 1];

		if (e->rec->type == TTRACE_REC_SCHED_SWITCH) {
			const struct ttrace_sched_switch *p = TT_PAYLOAD(e, struct ttrace_sched_switch);

			tt_comm(a, p->prev_comm);
			tt_comm(b, p->next_comm);
			tt_format_time(e->ns, ts, sizeof(ts));
			snprintf(line, sizeof(line), "%16s-%-5u [%03u] %s: sched_switch: prev_comm=%s "
				 "prev_pid=%u prev_prio=%d prev_state=%s ==> next_comm=%s next_pid=%u "
				 "next_prio=%d\n", e->comm, e->rec->tid, e->rec->cpu, ts, a, p->prev_tid,
				 p->prev_prio, tt_state_str(p->prev_state), b, p->next_tid, p->next_prio);
		} else if (e->rec->type == TTRACE_REC_SCHED_WAKEUP) {
			const struct ttrace_sched_wakeup *p = TT_PAYLOAD(e, struct ttrace_sched_wakeup);

			tt_comm(a, p->comm);
			tt_format_time(e->ns, ts, sizeof(ts));
			snprintf(line, sizeof(line), "%16s-%-5u [%03u] %s: sched_wakeup: comm=%s pid=%u "
				 "prio=%d target_cpu=%03u\n", e->comm, e->rec->tid, e->rec->cpu, ts, a,
				 p->tid, p->prio, p->target_cpu);
		} else {
			continue;
		}
		for (char *s = line; *s; s++) {
			unsigned char ch = (unsigned char)*s;

			if (ch == '\n')
				fputs("\\n", out);
			else if (ch == '"' || ch == '\\')
				fprintf(out, "\\%c", ch);
			else if (ch < 0x20 || ch >= 0x7f)
				fprintf(out, "\\u%04x", ch);
			else
				fputc(ch, out);
		}
	}
	fprintf(out, "\"}\n");
	free(since);
	free(last);
	free(cur);
	free(curcomm);
	free(st.s);
	return ferror(out) ? 1 : 0;
}
