/*
 * `summary`: the macro picture of a trace in plain text.
 *
 *	per CPU: events, busy time (not idle) and utilisation, context
 *	         switches, lost events;
 *	per thread: CPU time, switches out (voluntary: slept; involuntary:
 *	         preempted), command;
 *	syscalls: count, errors, latency p50/p90/p99/max (enter and exit
 *	         paired per thread, even across a sleep or a CPU change);
 *	IRQs and exceptions: count and time per vector;
 *	waits: per object (sem, waitq, mutex) sleeps, wakes, waited time;
 *	loss: LOST markers per CPU and the dump's per-CPU counts.
 *
 * Who runs on a CPU before its first sched_switch is the thread the first
 * event there names.  Tables are small open hashes and growing arrays.
 */
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include "tt.h"

#define TOP_THREADS	20	/* busiest threads listed */

struct vec {
	uint64_t *v;
	size_t n, cap;
};

/* Append x; dropped if out of memory. */
static void vec_push(struct vec *a, uint64_t x)
{
	if (a->n == a->cap) {
		size_t c = a->cap ? a->cap * 2 : 16;
		uint64_t *nv = realloc(a->v, c * sizeof(*nv));

		if (!nv)
			return;
		a->v = nv;
		a->cap = c;
	}
	a->v[a->n++] = x;
}

/* qsort order: ascending. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The p-th percentile of sorted a (0 if empty). */
static uint64_t pct(const struct vec *a, int p)
{
	size_t i;

	if (!a->n)
		return 0;
	i = (a->n * (size_t)p + 99) / 100;
	return a->v[i ? i - 1 : 0];
}

/* A generic keyed table (linear probing, grows at half full). */
struct ent {
	uint64_t key;
	int used;
	uint64_t count, errors, time, max, wakes, voluntary, involuntary;
	uint64_t start;			/* sys: enter time; wait: sleep time */
	uint32_t nr, kind;
	int open;
	char name[TTRACE_COMM_LEN + 1];
	struct vec lat;
};

struct table {
	struct ent *e;
	size_t cap, n;
};

/* The entry of key, created if new; NULL if out of memory. */
static struct ent *get(struct table *t, uint64_t key)
{
	size_t i;

	if (2 * (t->n + 1) > t->cap) {
		struct table nt = { 0 };

		nt.cap = t->cap ? t->cap * 2 : 64;
		nt.e = calloc(nt.cap, sizeof(*nt.e));
		if (!nt.e)
			return NULL;
		for (size_t j = 0; j < t->cap; j++) {
			if (!t->e[j].used)
				continue;
			i = (t->e[j].key * 0x9e3779b97f4a7c15ull >> 17) & (nt.cap - 1);
			while (nt.e[i].used)
				i = (i + 1) & (nt.cap - 1);
			nt.e[i] = t->e[j];
		}
		nt.n = t->n;
		free(t->e);
		*t = nt;
	}
	i = (key * 0x9e3779b97f4a7c15ull >> 17) & (t->cap - 1);
	while (t->e[i].used && t->e[i].key != key)
		i = (i + 1) & (t->cap - 1);
	if (!t->e[i].used) {
		t->e[i].used = 1;
		t->e[i].key = key;
		t->n++;
	}
	return &t->e[i];
}

/* Free t's entries; cannot fail. */
static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->e[i].lat.v);
	free(t->e);
}

/* Sorted pointers to the used entries, by the value of field at off, descending. */
static size_t sorted(struct table *t, struct ent ***out, size_t off)
{
	struct ent **a = calloc(t->n + 1, sizeof(*a));
	size_t n = 0;

	if (!a)
		return 0;
	for (size_t i = 0; i < t->cap; i++)
		if (t->e[i].used)
			a[n++] = &t->e[i];
	for (size_t i = 1; i < n; i++)	/* insertion sort: tables are small */
		for (size_t j = i; j > 0; j--) {
			uint64_t x = *(uint64_t *)((char *)a[j - 1] + off);
			uint64_t y = *(uint64_t *)((char *)a[j] + off);

			if (x > y || (x == y && a[j - 1]->key <= a[j]->key))
				break;
			struct ent *tmp = a[j];
			a[j] = a[j - 1];
			a[j - 1] = tmp;
		}
	*out = a;
	return n;
}

struct cpu_state {
	uint32_t cur;
	uint64_t since, busy, events, switches, lost, first, last;
	int seen;
	uint64_t irq_start[8];
	uint32_t irq_vec[8];
	int irq_depth;
};

/* ns as milliseconds. */
static double ms(uint64_t ns)
{
	return ns / 1e6;
}

/* Charge the running thread with the time up to now; cannot fail. */
static void run_until(struct cpu_state *c, struct table *threads, uint64_t now)
{
	if (c->cur && now > c->since) {
		struct ent *th = get(threads, c->cur);

		c->busy += now - c->since;
		if (th)
			th->time += now - c->since;
	}
	c->since = now;
}

/* Returns 0, or 1 if out of memory or writing failed. */
int tt_summary(struct tt_trace *t, FILE *out)
{
	unsigned int ncpu = t->hdr.ncpus;
	struct cpu_state *cs = calloc(ncpu, sizeof(*cs));
	struct table threads = { 0 }, sys = { 0 }, sysopen = { 0 }, irqs = { 0 }, waits = { 0 };
	struct table sleepers = { 0 };
	struct ent **a;
	uint64_t t0 = t->nev ? t->ev[0].ns : 0, t1 = t->nev ? t->ev[t->nev - 1].ns : 0;
	size_t n;

	if (!cs)
		return 1;
	for (size_t i = 0; i < t->nev; i++) {
		const struct tt_event *e = &t->ev[i];
		struct cpu_state *c = &cs[e->rec->cpu];
		struct ent *x;

		if (!c->seen) {
			c->seen = 1;
			c->cur = e->rec->tid;
			c->since = c->first = e->ns;
		}
		c->last = e->ns;
		c->events++;
		if (e->rec->tid && (x = get(&threads, e->rec->tid)) && e->comm)
			snprintf(x->name, sizeof(x->name), "%s", e->comm);
		switch (e->rec->type) {
		case TTRACE_REC_SCHED_SWITCH: {
			const struct ttrace_sched_switch *p = TT_PAYLOAD(e, struct ttrace_sched_switch);

			run_until(c, &threads, e->ns);
			c->switches++;
			if (p->prev_tid && (x = get(&threads, p->prev_tid))) {
				if (p->prev_state == TTRACE_STATE_RUNNING)
					x->involuntary++;
				else
					x->voluntary++;
				tt_comm(x->name, p->prev_comm);
			}
			if (p->next_tid && (x = get(&threads, p->next_tid))) {
				tt_comm(x->name, p->next_comm);
				x->count++;
			}
			c->cur = p->next_tid;
			break;
		}
		case TTRACE_REC_SYS_ENTER: {
			const struct ttrace_sys_enter *p = TT_PAYLOAD(e, struct ttrace_sys_enter);

			if ((x = get(&sysopen, e->rec->tid))) {
				x->open = 1;
				x->nr = p->nr;
				x->start = e->ns;
			}
			break;
		}
		case TTRACE_REC_SYS_EXIT: {
			const struct ttrace_sys_exit *p = TT_PAYLOAD(e, struct ttrace_sys_exit);
			struct ent *o = get(&sysopen, e->rec->tid);

			if ((x = get(&sys, p->nr))) {
				x->count++;
				x->errors += p->ret < 0;
				if (o && o->open && o->nr == p->nr) {
					uint64_t d = e->ns - o->start;

					vec_push(&x->lat, d);
					x->time += d;
					if (d > x->max)
						x->max = d;
				}
			}
			if (o)
				o->open = 0;
			break;
		}
		case TTRACE_REC_IRQ_ENTER:
		case TTRACE_REC_EXC_ENTER: {
			uint32_t v = e->rec->type == TTRACE_REC_IRQ_ENTER ?
				     TT_PAYLOAD(e, struct ttrace_irq)->vector :
				     TT_PAYLOAD(e, struct ttrace_exc)->vector;

			if ((x = get(&irqs, v)))
				x->count++;
			if (c->irq_depth < 8) {
				c->irq_vec[c->irq_depth] = v;
				c->irq_start[c->irq_depth] = e->ns;
			}
			c->irq_depth++;
			break;
		}
		case TTRACE_REC_IRQ_EXIT:
		case TTRACE_REC_EXC_EXIT:
			if (c->irq_depth > 0 && --c->irq_depth < 8 &&
			    (x = get(&irqs, c->irq_vec[c->irq_depth]))) {
				uint64_t d = e->ns - c->irq_start[c->irq_depth];

				x->time += d;
				if (d > x->max)
					x->max = d;
			}
			break;
		case TTRACE_REC_WAIT_SLEEP:
		case TTRACE_REC_WAIT_WAKE: {
			const struct ttrace_wait *p = TT_PAYLOAD(e, struct ttrace_wait);
			struct ent *s;

			if (!(x = get(&waits, p->obj)))
				break;
			x->kind = p->kind;
			memcpy(x->name, p->name, TTRACE_NAME_LEN);
			x->name[TTRACE_NAME_LEN] = 0;
			if (e->rec->type == TTRACE_REC_WAIT_SLEEP) {
				x->count++;
				if ((s = get(&sleepers, p->tid ? p->tid : e->rec->tid))) {
					s->open = 1;
					s->start = e->ns;
					s->nr = 0;
					s->errors = p->obj;	/* the object it sleeps on */
				}
			} else {
				x->wakes++;
				s = p->tid ? get(&sleepers, p->tid) : NULL;
				if (s && s->open && s->errors == p->obj) {
					uint64_t d = e->ns - s->start;

					s->open = 0;
					x->time += d;
					if (d > x->max)
						x->max = d;
				}
			}
			break;
		}
		case TTRACE_REC_LOST:
			c->lost += TT_PAYLOAD(e, struct ttrace_lost)->count;
			break;
		}
	}
	for (unsigned int i = 0; i < ncpu; i++)
		run_until(&cs[i], &threads, cs[i].last);

	fprintf(out, "ttrace summary: %zu events on %u CPUs over %.3f ms, %" PRIu64 " lost\n",
		t->nev, ncpu, ms(t1 - t0), t->lost_total);
	fprintf(out, "\nCPU  events    switches  busy ms     util   lost (marked/counted)\n");
	for (unsigned int i = 0; i < ncpu; i++)
		fprintf(out, "%3u  %-9" PRIu64 " %-9" PRIu64 " %-11.3f %5.1f%%  %" PRIu64 "/%" PRIu64 "\n",
			i, cs[i].events, cs[i].switches, ms(cs[i].busy),
			t1 > t0 ? 100.0 * cs[i].busy / (double)(t1 - t0) : 0.0, cs[i].lost,
			t->stats[i].lost);

	n = sorted(&threads, &a, offsetof(struct ent, time));
	fprintf(out, "\nthread  comm              cpu ms      runs     voluntary involuntary\n");
	for (size_t i = 0; i < n && i < TOP_THREADS; i++)
		fprintf(out, "%-7" PRIu64 " %-16s  %-11.3f %-8" PRIu64 " %-9" PRIu64 " %" PRIu64 "\n",
			a[i]->key, a[i]->name, ms(a[i]->time), a[i]->count, a[i]->voluntary,
			a[i]->involuntary);
	if (n > TOP_THREADS)
		fprintf(out, "(%zu more threads)\n", n - TOP_THREADS);
	free(a);

	n = sorted(&sys, &a, offsetof(struct ent, count));
	fprintf(out, "\nsyscall          count    errors   p50 us    p90 us    p99 us    max us\n");
	for (size_t i = 0; i < n; i++) {
		const char *name = tt_syscall_name(t, (uint32_t)a[i]->key);
		char nm[32];

		if (a[i]->lat.n)
			qsort(a[i]->lat.v, a[i]->lat.n, sizeof(uint64_t), cmp_u64);
		snprintf(nm, sizeof(nm), "%s", name ? name : "");
		if (!name)
			snprintf(nm, sizeof(nm), "nr%" PRIu64, a[i]->key);
		fprintf(out, "%-16s %-8" PRIu64 " %-8" PRIu64 " %-9.3f %-9.3f %-9.3f %.3f\n", nm,
			a[i]->count, a[i]->errors, pct(&a[i]->lat, 50) / 1e3, pct(&a[i]->lat, 90) / 1e3,
			pct(&a[i]->lat, 99) / 1e3, a[i]->max / 1e3);
	}
	free(a);

	n = sorted(&irqs, &a, offsetof(struct ent, count));
	fprintf(out, "\nvector  count    total us    max us\n");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%-7" PRIu64 " %-8" PRIu64 " %-11.3f %.3f\n", a[i]->key, a[i]->count,
			a[i]->time / 1e3, a[i]->max / 1e3);
	free(a);

	n = sorted(&waits, &a, offsetof(struct ent, time));
	fprintf(out, "\nwait object          kind   name             sleeps   wakes    waited ms  max ms\n");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "0x%-18" PRIx64 " %-6s %-16s %-8" PRIu64 " %-8" PRIu64 " %-10.3f %.3f\n",
			a[i]->key, a[i]->kind == TTRACE_WAIT_SEM ? "sem" :
			a[i]->kind == TTRACE_WAIT_WAITQ ? "waitq" : "mutex", a[i]->name, a[i]->count,
			a[i]->wakes, ms(a[i]->time), ms(a[i]->max));
	free(a);

	fprintf(out, "\nlost events: %" PRIu64 " marked in the stream", t->lost_total);
	for (unsigned int i = 0; i < ncpu; i++)
		if (cs[i].lost || t->stats[i].lost)
			fprintf(out, "; cpu%u %" PRIu64 " (written %" PRIu64 ")", i, cs[i].lost,
				t->stats[i].written);
	fprintf(out, "\n");
	table_free(&threads);
	table_free(&sys);
	table_free(&sysopen);
	table_free(&irqs);
	table_free(&waits);
	table_free(&sleepers);
	free(cs);
	return ferror(out) ? 1 : 0;
}
