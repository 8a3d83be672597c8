/*
 * Reading a dump stream: the whole stream is read into memory and every
 * record checked before anything uses it, so a malformed or truncated
 * stream ends in one clear message ("FILE: offset N: what is wrong") and
 * never in a crash; the fuzz harness (fuzz_stream.c) holds it to that.
 *
 * Checks: magic, major version, header size and CPU count; each record's
 * length (>= 16, within the stream), its type's minimum payload, its CPU
 * number, a NUL inside every string payload; name tables only before the
 * first event; exactly one END, last, whose count matches.  Unknown record
 * types are skipped by length (forward compatibility).  Events are then
 * stably sorted by time (a dump is already merged; this only protects the
 * formats from a stream that is not).
 */
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <errno.h>
#include "tt.h"

/* Set t->err to "NAME: offset OFF: message"; returns -1. */
static int fail(struct tt_trace *t, size_t off, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(t->err, sizeof(t->err), "%s: offset %zu: ", t->name, off);

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(t->err))
		vsnprintf(t->err + n, sizeof(t->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Minimum payload bytes of each known type; -1 for unknown types. */
static long min_payload(unsigned int type)
{
	switch (type) {
	case TTRACE_REC_PAD:		return 0;
	case TTRACE_REC_SUBBUF:		return sizeof(struct ttrace_subbuf);
	case TTRACE_REC_LOST:		return sizeof(struct ttrace_lost);
	case TTRACE_REC_PROC_NAME:	return sizeof(struct ttrace_proc_name);
	case TTRACE_REC_SYSCALL_NAME:	return sizeof(struct ttrace_syscall_name) + 1;
	case TTRACE_REC_CPU_STATS:	return sizeof(struct ttrace_cpu_stats);
	case TTRACE_REC_END:		return sizeof(struct ttrace_end);
	case TTRACE_REC_SCHED_SWITCH:	return sizeof(struct ttrace_sched_switch);
	case TTRACE_REC_SCHED_WAKEUP:	return sizeof(struct ttrace_sched_wakeup);
	case TTRACE_REC_PROC_FORK:	return sizeof(struct ttrace_proc_fork);
	case TTRACE_REC_PROC_EXEC:	return sizeof(struct ttrace_proc_exec) + 1;
	case TTRACE_REC_PROC_EXIT:	return sizeof(struct ttrace_proc_exit);
	case TTRACE_REC_SYS_ENTER:	return sizeof(struct ttrace_sys_enter);
	case TTRACE_REC_SYS_EXIT:	return sizeof(struct ttrace_sys_exit);
	case TTRACE_REC_IRQ_ENTER:
	case TTRACE_REC_IRQ_EXIT:	return sizeof(struct ttrace_irq);
	case TTRACE_REC_EXC_ENTER:
	case TTRACE_REC_EXC_EXIT:	return sizeof(struct ttrace_exc);
	case TTRACE_REC_PAGE_FAULT:	return sizeof(struct ttrace_page_fault);
	case TTRACE_REC_WAIT_SLEEP:
	case TTRACE_REC_WAIT_WAKE:	return sizeof(struct ttrace_wait);
	case TTRACE_REC_KMSG_SEND:
	case TTRACE_REC_KMSG_RUN:	return sizeof(struct ttrace_kmsg);
	case TTRACE_REC_PRINTK:		return sizeof(struct ttrace_printk) + 1;
	case TTRACE_REC_USER:		return sizeof(struct ttrace_user) + 1;
	default:			return -1;
	}
}

/* Offset of the trailing string of a type, or 0 if it has none. */
static size_t string_at(unsigned int type)
{
	switch (type) {
	case TTRACE_REC_SYSCALL_NAME:	return sizeof(struct ttrace_syscall_name);
	case TTRACE_REC_PROC_EXEC:	return sizeof(struct ttrace_proc_exec);
	case TTRACE_REC_PRINTK:		return sizeof(struct ttrace_printk);
	case TTRACE_REC_USER:		return sizeof(struct ttrace_user);
	default:			return 0;
	}
}

/* Whether a record is an event the formats show (unknown types are skipped). */
static int is_event(unsigned int type)
{
	return type == TTRACE_REC_LOST ||
	       (type >= TTRACE_REC_SCHED_SWITCH && min_payload(type) >= 0);
}

/* TSC ticks to ns at the stream's frequency (128-bit, no overflow). */
static uint64_t tsc_to_ns(const struct ttrace_stream_hdr *h, uint64_t tsc)
{
	return (uint64_t)((unsigned __int128)tsc * 1000000000u / h->tsc_hz);
}

/* qsort order: time, then stream order. */
static int cmp_event(const void *a, const void *b)
{
	const struct tt_event *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns < y->ns ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;	/* stable: stream order */
}

/* Check and index t->buf; returns 0, or -1 with t->err set. */
static int parse(struct tt_trace *t)
{
	const struct ttrace_stream_hdr *h = (const void *)t->buf;
	size_t off, nev = 0, nprocs = 0, nsys = 0, records = 0;
	int seen_event = 0, seen_end = 0;

	if (t->len < TTRACE_MAGIC_LEN || memcmp(t->buf, TTRACE_MAGIC, TTRACE_MAGIC_LEN))
		return fail(t, 0, "not a ttrace stream (bad magic)");
	if (t->len < sizeof(*h))
		return fail(t, t->len, "truncated stream header");
	if (h->version_major != TTRACE_VERSION_MAJOR)
		return fail(t, 8, "unsupported format version %u.%u (this reader knows %u.x)",
			    h->version_major, h->version_minor, TTRACE_VERSION_MAJOR);
	if (h->hdr_size < sizeof(*h) || h->hdr_size % 8 || h->hdr_size > t->len)
		return fail(t, 12, "bad header size %u", h->hdr_size);
	if (h->ncpus == 0 || h->ncpus > 4096)
		return fail(t, 14, "bad CPU count %u", h->ncpus);
	if (h->tsc_hz < 1000)
		return fail(t, 24, "bad TSC frequency %llu Hz", (unsigned long long)h->tsc_hz);
	t->hdr = *h;

	/* Pass 1: check every record and count. */
	for (off = h->hdr_size; off < t->len;) {
		const struct ttrace_rec *r = (const void *)(t->buf + off);
		size_t len;
		long minp;

		if (seen_end)
			return fail(t, off, "data after the end record");
		if (t->len - off < sizeof(*r))
			return fail(t, off, "truncated record header (%zu bytes left)", t->len - off);
		len = (size_t)r->len8 * TTRACE_REC_ALIGN;
		if (len < sizeof(*r))
			return fail(t, off, "record length %zu too small", len);
		if (len > t->len - off)
			return fail(t, off, "truncated record (type %u needs %zu bytes, %zu left)",
				    r->type, len, t->len - off);
		minp = min_payload(r->type);
		if (minp >= 0 && len < sizeof(*r) + (size_t)minp)
			return fail(t, off, "%s record too short (%zu bytes)", tt_event_name(r->type), len);
		if (r->cpu >= h->ncpus)
			return fail(t, off, "CPU %u out of range (%u CPUs)", r->cpu, h->ncpus);
		if (string_at(r->type)) {
			const char *s = (const char *)(r + 1) + string_at(r->type);

			if (!memchr(s, 0, len - sizeof(*r) - string_at(r->type)))
				return fail(t, off, "%s record: unterminated string", tt_event_name(r->type));
		}
		switch (r->type) {
		case TTRACE_REC_PAD:
		case TTRACE_REC_SUBBUF:
			return fail(t, off, "ring-internal record type %u in a dump", r->type);
		case TTRACE_REC_PROC_NAME:
		case TTRACE_REC_SYSCALL_NAME:
			if (seen_event)
				return fail(t, off, "name table after the first event");
			if (r->type == TTRACE_REC_PROC_NAME)
				nprocs++;
			else
				nsys++;
			break;
		case TTRACE_REC_END: {
			const struct ttrace_end *e = (const void *)(r + 1);

			if (e->records != records)
				return fail(t, off, "end record counts %llu records, stream has %zu",
					    (unsigned long long)e->records, records);
			seen_end = 1;
			break;
		}
		default:
			if (is_event(r->type)) {
				seen_event = 1;
				nev++;
			}
		}
		records++;
		off += len;
	}
	if (!seen_end)
		return fail(t, t->len, "truncated stream: no end record after %zu records", records);

	/* Pass 2: build the tables. */
	t->ev = calloc(nev ? nev : 1, sizeof(*t->ev));
	t->procs = calloc(nprocs ? nprocs : 1, sizeof(*t->procs));
	t->sys = calloc(nsys ? nsys : 1, sizeof(*t->sys));
	t->stats = calloc(h->ncpus, sizeof(*t->stats));
	if (!t->ev || !t->procs || !t->sys || !t->stats)
		return fail(t, 0, "out of memory");
	for (off = h->hdr_size; off < t->len;) {
		const struct ttrace_rec *r = (const void *)(t->buf + off);

		if (r->type == TTRACE_REC_PROC_NAME) {
			const struct ttrace_proc_name *p = (const void *)(r + 1);
			struct tt_proc *tp = &t->procs[t->nprocs++];

			tp->tid = p->tid;
			tp->pid = p->pid;
			tt_comm(tp->comm, p->comm);
		} else if (r->type == TTRACE_REC_SYSCALL_NAME) {
			const struct ttrace_syscall_name *s = (const void *)(r + 1);

			t->sys[t->nsys].nr = s->nr;
			t->sys[t->nsys++].name = s->name;
		} else if (r->type == TTRACE_REC_CPU_STATS) {
			t->stats[r->cpu] = *(const struct ttrace_cpu_stats *)(r + 1);
		} else if (is_event(r->type)) {
			struct tt_event *e = &t->ev[t->nev++];

			e->rec = r;
			e->ns = tsc_to_ns(h, r->tsc);
			if (r->type == TTRACE_REC_LOST)
				t->lost_total += ((const struct ttrace_lost *)(r + 1))->count;
		}
		off += (size_t)r->len8 * TTRACE_REC_ALIGN;
	}
	qsort(t->ev, t->nev, sizeof(*t->ev), cmp_event);
	tt_track_tasks(t);
	return 0;
}

/* Load a stream from memory (copied).  Returns 0, or -1 with t->err set. */
int tt_load_mem(struct tt_trace *t, const void *data, size_t len, const char *name)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->buf = malloc(len ? len : 1);
	if (!t->buf)
		return fail(t, 0, "out of memory");
	memcpy(t->buf, data, len);
	t->len = len;
	return parse(t);
}

/* Load a stream from path ("-" or NULL: stdin).  Returns 0, or -1 with t->err set. */
int tt_load_file(struct tt_trace *t, const char *path)
{
	FILE *f = (!path || !strcmp(path, "-")) ? stdin : fopen(path, "rb");
	size_t cap = 1 << 20, len = 0, n;
	uint8_t *buf;

	memset(t, 0, sizeof(*t));
	t->name = (!path || !strcmp(path, "-")) ? "<stdin>" : path;
	if (!f)
		return fail(t, 0, "cannot open: %s", strerror(errno));
	buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (f != stdin)
		fclose(f);
	if (!buf)
		return fail(t, len, "out of memory");
	t->buf = buf;
	t->len = len;
	return parse(t);
}

/* Cannot fail. */
void tt_free(struct tt_trace *t)
{
	for (size_t i = 0; i < t->ninterned; i++)
		free(t->interned[i]);
	free(t->interned);
	free(t->ev);
	free(t->procs);
	free(t->sys);
	free(t->stats);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}
