/*
 * `tracedat FILE`: a trace-cmd trace.dat, version 6 (trace-cmd.dat.v6(5)),
 * that Debian's unmodified `trace-cmd report` and KernelShark open.
 *
 * Layout written: the initial format (magic, "6", little endian, 8-byte
 * long, 4096-byte pages), header_page and header_event as the kernel
 * describes its ring buffer, no ftrace formats, one format file per event
 * in the systems sched, raw_syscalls, irq and ttrace (Linux's field names
 * and print formats for the Linux events, so KernelShark's sched plugin
 * draws CPU and task plots), empty kallsyms and printk formats, the
 * saved_cmdlines from the dump's name table and the comms seen, the CPU
 * count and a flyrecord section: per CPU, page-aligned ring-buffer pages
 * (u64 page timestamp, u64 commit, then 4-byte event headers with 27-bit
 * time deltas, TIME_EXTEND where a delta does not fit).  Times are ns.
 */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "tt.h"

#define PAGE		4096
#define PAGE_HDR	16
#define ID_BASE		1000

static const char common_fields[] =
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n";

#define F(decl, off, size, sgn)	"\tfield:" decl ";\toffset:" #off ";\tsize:" #size ";\tsigned:" #sgn ";\n"
#define STATE_MASK "((((0x0000 | 0x0001 | 0x0002 | 0x0004 | 0x0008 | 0x0010 | 0x0020 | 0x0040) + 1) << 1) - 1)"

/* One exported event: its type, the fields after the common ones, print fmt. */
struct fmt {
	unsigned int type;
	const char *fields;
	const char *print;
};

static const struct fmt fmts[] = {
	{ TTRACE_REC_SCHED_SWITCH,
	  F("char prev_comm[16]", 8, 16, 0) F("pid_t prev_pid", 24, 4, 1) F("int prev_prio", 28, 4, 1)
	  F("long prev_state", 32, 8, 1) F("char next_comm[16]", 40, 16, 0)
	  F("pid_t next_pid", 56, 4, 1) F("int next_prio", 60, 4, 1),
	  "\"prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s%s ==> next_comm=%s next_pid=%d "
	  "next_prio=%d\", REC->prev_comm, REC->prev_pid, REC->prev_prio, (REC->prev_state & "
	  STATE_MASK ") ? __print_flags(REC->prev_state & " STATE_MASK ", \"|\", { 0x0001, \"S\" }, "
	  "{ 0x0002, \"D\" }, { 0x0004, \"T\" }, { 0x0008, \"t\" }, { 0x0010, \"X\" }, "
	  "{ 0x0020, \"Z\" }, { 0x0040, \"P\" }, { 0x0080, \"I\" }) : \"R\", REC->prev_state & "
	  "(((0x0000 | 0x0001 | 0x0002 | 0x0004 | 0x0008 | 0x0010 | 0x0020 | 0x0040) + 1) << 1) ? "
	  "\"+\" : \"\", REC->next_comm, REC->next_pid, REC->next_prio" },
	{ TTRACE_REC_SCHED_WAKEUP,
	  F("char comm[16]", 8, 16, 0) F("pid_t pid", 24, 4, 1) F("int prio", 28, 4, 1)
	  F("int target_cpu", 32, 4, 1),
	  "\"comm=%s pid=%d prio=%d target_cpu=%03d\", REC->comm, REC->pid, REC->prio, "
	  "REC->target_cpu" },
	{ TTRACE_REC_PROC_FORK,
	  F("char parent_comm[16]", 8, 16, 0) F("pid_t parent_pid", 24, 4, 1)
	  F("char child_comm[16]", 28, 16, 0) F("pid_t child_pid", 44, 4, 1),
	  "\"comm=%s pid=%d child_comm=%s child_pid=%d\", REC->parent_comm, REC->parent_pid, "
	  "REC->child_comm, REC->child_pid" },
	{ TTRACE_REC_PROC_EXEC,
	  F("__data_loc char[] filename", 8, 4, 0) F("pid_t pid", 12, 4, 1) F("pid_t old_pid", 16, 4, 1),
	  "\"filename=%s pid=%d old_pid=%d\", __get_str(filename), REC->pid, REC->old_pid" },
	{ TTRACE_REC_PROC_EXIT,
	  F("char comm[16]", 8, 16, 0) F("pid_t pid", 24, 4, 1) F("int prio", 28, 4, 1),
	  "\"comm=%s pid=%d prio=%d\", REC->comm, REC->pid, REC->prio" },
	{ TTRACE_REC_SYS_ENTER,
	  F("long id", 8, 8, 1) F("unsigned long args[6]", 16, 48, 0),
	  "\"NR %ld (%lx, %lx, %lx, %lx, %lx, %lx)\", REC->id, REC->args[0], REC->args[1], "
	  "REC->args[2], REC->args[3], REC->args[4], REC->args[5]" },
	{ TTRACE_REC_SYS_EXIT,
	  F("long id", 8, 8, 1) F("long ret", 16, 8, 1),
	  "\"NR %ld = %ld\", REC->id, REC->ret" },
	{ TTRACE_REC_IRQ_ENTER,
	  F("int irq", 8, 4, 1) F("__data_loc char[] name", 12, 4, 0),
	  "\"irq=%d name=%s\", REC->irq, __get_str(name)" },
	{ TTRACE_REC_IRQ_EXIT,
	  F("int irq", 8, 4, 1) F("int ret", 12, 4, 1),
	  "\"irq=%d ret=%s\", REC->irq, REC->ret ? \"handled\" : \"unhandled\"" },
	{ TTRACE_REC_EXC_ENTER,
	  F("unsigned int vector", 8, 4, 0) F("unsigned int error_code", 12, 4, 0)
	  F("unsigned long ip", 16, 8, 0),
	  "\"vector=%u error_code=0x%x ip=0x%lx\", REC->vector, REC->error_code, REC->ip" },
	{ TTRACE_REC_EXC_EXIT,
	  F("unsigned int vector", 8, 4, 0) F("unsigned int error_code", 12, 4, 0)
	  F("unsigned long ip", 16, 8, 0),
	  "\"vector=%u error_code=0x%x ip=0x%lx\", REC->vector, REC->error_code, REC->ip" },
	{ TTRACE_REC_PAGE_FAULT,
	  F("unsigned long address", 8, 8, 0) F("unsigned long ip", 16, 8, 0)
	  F("unsigned int error_code", 24, 4, 0) F("int result", 28, 4, 1),
	  "\"address=0x%lx ip=0x%lx error_code=0x%x result=%d\", REC->address, REC->ip, "
	  "REC->error_code, REC->result" },
	{ TTRACE_REC_WAIT_SLEEP,
	  F("unsigned long obj", 8, 8, 0) F("__data_loc char[] kind", 16, 4, 0)
	  F("char name[16]", 20, 16, 0) F("unsigned int tid", 36, 4, 0),
	  "\"obj=0x%lx kind=%s name=%s tid=%u\", REC->obj, __get_str(kind), REC->name, REC->tid" },
	{ TTRACE_REC_WAIT_WAKE,
	  F("unsigned long obj", 8, 8, 0) F("__data_loc char[] kind", 16, 4, 0)
	  F("char name[16]", 20, 16, 0) F("unsigned int tid", 36, 4, 0),
	  "\"obj=0x%lx kind=%s name=%s tid=%u\", REC->obj, __get_str(kind), REC->name, REC->tid" },
	{ TTRACE_REC_KMSG_SEND,
	  F("unsigned int src_cpu", 8, 4, 0) F("unsigned int dst_cpu", 12, 4, 0)
	  F("__data_loc char[] kind", 16, 4, 0) F("unsigned long fn", 24, 8, 0)
	  F("unsigned long arg", 32, 8, 0),
	  "\"src_cpu=%u dst_cpu=%u kind=%s fn=0x%lx arg=0x%lx\", REC->src_cpu, REC->dst_cpu, "
	  "__get_str(kind), REC->fn, REC->arg" },
	{ TTRACE_REC_KMSG_RUN,
	  F("unsigned int src_cpu", 8, 4, 0) F("unsigned int dst_cpu", 12, 4, 0)
	  F("__data_loc char[] kind", 16, 4, 0) F("unsigned long fn", 24, 8, 0)
	  F("unsigned long arg", 32, 8, 0),
	  "\"src_cpu=%u dst_cpu=%u kind=%s fn=0x%lx arg=0x%lx\", REC->src_cpu, REC->dst_cpu, "
	  "__get_str(kind), REC->fn, REC->arg" },
	{ TTRACE_REC_PRINTK,
	  F("unsigned int level", 8, 4, 0) F("__data_loc char[] msg", 12, 4, 0),
	  "\"level=%u msg=%s\", REC->level, __get_str(msg)" },
	{ TTRACE_REC_USER,
	  F("unsigned int id", 8, 4, 0) F("__data_loc char[] msg", 12, 4, 0),
	  "\"id=%u msg=%s\", REC->id, __get_str(msg)" },
	{ TTRACE_REC_LOST,
	  F("unsigned long count", 8, 8, 0) F("__data_loc char[] cause", 16, 4, 0),
	  "\"count=%lu cause=%s\", REC->count, __get_str(cause)" },
};

#define NFMTS	(sizeof(fmts) / sizeof(fmts[0]))

/* Event data as ftrace would have recorded it: common fields, then ours. */
struct ev_data {
	uint8_t d[2048];
	uint32_t len;		/* fixed part; strings are appended */
};

/* Store n bytes of a field at off in x; cannot fail (x is sized for any record). */
static void set(struct ev_data *x, uint32_t off, const void *v, size_t n)
{
	memcpy(x->d + off, v, n);
	if (off + n > x->len)
		x->len = (uint32_t)(off + n);
}

static void set32(struct ev_data *x, uint32_t off, uint32_t v) { set(x, off, &v, 4); }
static void set64(struct ev_data *x, uint32_t off, uint64_t v) { set(x, off, &v, 8); }

/* Append string s as the __data_loc field at loc_off. */
static void set_str(struct ev_data *x, uint32_t loc_off, uint32_t fixed_end, const char *s)
{
	size_t n = strnlen(s, 1024) + 1;
	uint32_t at = x->len > fixed_end ? x->len : fixed_end;

	memcpy(x->d + at, s, n - 1);
	x->d[at + n - 1] = 0;
	set32(x, loc_off, (uint32_t)(n << 16) | at);
	x->len = (uint32_t)(at + n);
}

/* Name of a wait-object kind; "?" if unknown. */
static const char *wait_kind(uint32_t k)
{
	return k == TTRACE_WAIT_SEM ? "sem" : k == TTRACE_WAIT_WAITQ ? "waitq" :
	       k == TTRACE_WAIT_MUTEX ? "mutex" : "?";
}

/* Fill x for e; returns 0 if the type is not exported. */
static int encode(const struct tt_event *e, struct ev_data *x)
{
	const struct ttrace_rec *r = e->rec;
	uint16_t type = (uint16_t)(ID_BASE + r->type);
	int32_t pid = (int32_t)r->tid;
	char vec[32];

	memset(x->d, 0, 64);
	x->len = 8;
	set(x, 0, &type, 2);
	set(x, 4, &pid, 4);
	switch (r->type) {
	case TTRACE_REC_SCHED_SWITCH: {
		const struct ttrace_sched_switch *p = TT_PAYLOAD(e, struct ttrace_sched_switch);

		set(x, 8, p->prev_comm, 16);
		set32(x, 24, p->prev_tid);
		set32(x, 28, (uint32_t)p->prev_prio);
		set64(x, 32, p->prev_state);
		set(x, 40, p->next_comm, 16);
		set32(x, 56, p->next_tid);
		set32(x, 60, (uint32_t)p->next_prio);
		return 1;
	}
	case TTRACE_REC_SCHED_WAKEUP: {
		const struct ttrace_sched_wakeup *p = TT_PAYLOAD(e, struct ttrace_sched_wakeup);

		set(x, 8, p->comm, 16);
		set32(x, 24, p->tid);
		set32(x, 28, (uint32_t)p->prio);
		set32(x, 32, p->target_cpu);
		return 1;
	}
	case TTRACE_REC_PROC_FORK: {
		const struct ttrace_proc_fork *p = TT_PAYLOAD(e, struct ttrace_proc_fork);

		set(x, 8, p->parent_comm, 16);
		set32(x, 24, p->parent_tid);
		set(x, 28, p->child_comm, 16);
		set32(x, 44, p->child_tid);
		return 1;
	}
	case TTRACE_REC_PROC_EXEC: {
		const struct ttrace_proc_exec *p = TT_PAYLOAD(e, struct ttrace_proc_exec);

		set32(x, 12, p->tid);
		set32(x, 16, p->tid);
		set_str(x, 8, 20, p->filename);
		return 1;
	}
	case TTRACE_REC_PROC_EXIT: {
		const struct ttrace_proc_exit *p = TT_PAYLOAD(e, struct ttrace_proc_exit);

		set(x, 8, p->comm, 16);
		set32(x, 24, p->tid);
		set32(x, 28, 120);
		return 1;
	}
	case TTRACE_REC_SYS_ENTER: {
		const struct ttrace_sys_enter *p = TT_PAYLOAD(e, struct ttrace_sys_enter);

		set64(x, 8, p->nr);
		for (int i = 0; i < 6; i++)
			set64(x, 16 + 8 * i, i < TTRACE_SYSCALL_ARGS ? p->args[i] : 0);
		return 1;
	}
	case TTRACE_REC_SYS_EXIT: {
		const struct ttrace_sys_exit *p = TT_PAYLOAD(e, struct ttrace_sys_exit);

		set64(x, 8, p->nr);
		set64(x, 16, (uint64_t)p->ret);
		return 1;
	}
	case TTRACE_REC_IRQ_ENTER: {
		const struct ttrace_irq *p = TT_PAYLOAD(e, struct ttrace_irq);

		set32(x, 8, p->vector);
		snprintf(vec, sizeof(vec), "vector%u", p->vector);
		set_str(x, 12, 16, vec);
		return 1;
	}
	case TTRACE_REC_IRQ_EXIT: {
		const struct ttrace_irq *p = TT_PAYLOAD(e, struct ttrace_irq);

		set32(x, 8, p->vector);
		set32(x, 12, (uint32_t)p->ret);
		return 1;
	}
	case TTRACE_REC_EXC_ENTER:
	case TTRACE_REC_EXC_EXIT: {
		const struct ttrace_exc *p = TT_PAYLOAD(e, struct ttrace_exc);

		set32(x, 8, p->vector);
		set32(x, 12, p->error_code);
		set64(x, 16, p->ip);
		return 1;
	}
	case TTRACE_REC_PAGE_FAULT: {
		const struct ttrace_page_fault *p = TT_PAYLOAD(e, struct ttrace_page_fault);

		set64(x, 8, p->addr);
		set64(x, 16, p->ip);
		set32(x, 24, p->error_code);
		set32(x, 28, (uint32_t)p->result);
		return 1;
	}
	case TTRACE_REC_WAIT_SLEEP:
	case TTRACE_REC_WAIT_WAKE: {
		const struct ttrace_wait *p = TT_PAYLOAD(e, struct ttrace_wait);

		set64(x, 8, p->obj);
		set(x, 20, p->name, 16);
		set32(x, 36, p->tid);
		set_str(x, 16, 40, wait_kind(p->kind));
		return 1;
	}
	case TTRACE_REC_KMSG_SEND:
	case TTRACE_REC_KMSG_RUN: {
		const struct ttrace_kmsg *p = TT_PAYLOAD(e, struct ttrace_kmsg);

		set32(x, 8, p->src_cpu);
		set32(x, 12, p->dst_cpu);
		set64(x, 24, p->fn);
		set64(x, 32, p->arg);
		set_str(x, 16, 40, p->kind == TTRACE_KMSG_IMMEDIATE ? "immediate" : "routine");
		return 1;
	}
	case TTRACE_REC_PRINTK: {
		const struct ttrace_printk *p = TT_PAYLOAD(e, struct ttrace_printk);

		set32(x, 8, p->level);
		set_str(x, 12, 16, p->text);
		return 1;
	}
	case TTRACE_REC_USER: {
		const struct ttrace_user *p = TT_PAYLOAD(e, struct ttrace_user);

		set32(x, 8, p->id);
		set_str(x, 12, 16, p->text);
		return 1;
	}
	case TTRACE_REC_LOST: {
		const struct ttrace_lost *p = TT_PAYLOAD(e, struct ttrace_lost);

		set64(x, 8, p->count);
		set_str(x, 16, 20, p->cause == TTRACE_LOST_OVERWRITTEN ? "overwritten" : "dropped");
		return 1;
	}
	default:
		return 0;
	}
}

/* One CPU's events as ring-buffer pages. */
struct pager {
	struct obuf *b;
	size_t page_start;
	uint64_t last_ns;
	int open;
};

/* Finish the open page: store its commit size, pad to the page size. */
static void page_close(struct pager *pg)
{
	uint64_t commit;

	if (!pg->open)
		return;
	commit = pg->b->len - pg->page_start - PAGE_HDR;
	if (!pg->b->oom)
		memcpy(pg->b->p + pg->page_start + 8, &commit, 8);
	while (pg->b->len - pg->page_start < PAGE)
		obuf_put(pg->b, "", 1);
	pg->open = 0;
}

/* Append one event to the CPU's pages, opening a page or a TIME_EXTEND as needed. */
static void page_event(struct pager *pg, uint64_t ns, const struct ev_data *x)
{
	uint32_t dlen = (x->len + 3) & ~3u, need, hdr;
	uint64_t delta;

	need = 4 + dlen + (dlen > 112 ? 4 : 0);
	if (pg->open && pg->b->len - pg->page_start + need + 8 > PAGE)
		page_close(pg);
	if (!pg->open) {
		pg->page_start = pg->b->len;
		obuf_u64(pg->b, ns);
		obuf_u64(pg->b, 0);
		pg->open = 1;
		pg->last_ns = ns;
	}
	delta = ns - pg->last_ns;
	if (delta >= (1u << 27)) {
		obuf_u32(pg->b, 30 | (uint32_t)((delta & ((1u << 27) - 1)) << 5));
		obuf_u32(pg->b, (uint32_t)(delta >> 27));
		delta = 0;
	}
	pg->last_ns = ns;
	if (dlen <= 112) {
		hdr = (dlen / 4) | (uint32_t)(delta << 5);
		obuf_u32(pg->b, hdr);
	} else {
		obuf_u32(pg->b, (uint32_t)(delta << 5));
		obuf_u32(pg->b, dlen + 4);
	}
	obuf_put(pg->b, x->d, x->len);
	while (x->len < dlen && (pg->b->len & 3))
		obuf_put(pg->b, "", 1);
}

static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:1;\n";

static const char header_event[] =
	"# compressed entry header\n"
	"\ttype_len    :    5 bits\n"
	"\ttime_delta  :   27 bits\n"
	"\tarray       :   32 bits\n"
	"\n"
	"\tpadding     : type == 29\n"
	"\ttime_extend : type == 30\n"
	"\ttime_stamp : type == 31\n"
	"\tdata max type_len  == 28\n";

/* Append one event's format file with its size; as obuf_put() on failure. */
static void put_format(struct obuf *b, const struct fmt *f)
{
	char head[128];
	size_t n = (size_t)snprintf(head, sizeof(head), "name: %s\nID: %u\nformat:\n",
				    tt_event_name(f->type), ID_BASE + f->type);
	size_t total = n + strlen(common_fields) + strlen(f->fields) + strlen("\nprint fmt: ") +
		       strlen(f->print) + 1;

	obuf_u64(b, total);
	obuf_put(b, head, n);
	obuf_put(b, common_fields, strlen(common_fields));
	obuf_put(b, f->fields, strlen(f->fields));
	obuf_put(b, "\nprint fmt: ", strlen("\nprint fmt: "));
	obuf_put(b, f->print, strlen(f->print));
	obuf_put(b, "\n", 1);
}

/* Append the saved_cmdlines section; as obuf_put() on failure. */
static void put_cmdlines(struct obuf *b, const struct tt_trace *t)
{
	struct obuf c = { 0 };
	char line[64];

	/* trace.dat keeps one command per pid: the dump's name table. */
	for (size_t i = 0; i < t->nprocs; i++) {
		int n = snprintf(line, sizeof(line), "%u %s\n", t->procs[i].tid, t->procs[i].comm);

		obuf_put(&c, line, (size_t)n);
	}
	obuf_u64(b, c.len);
	obuf_put(b, c.p, c.len);
	b->oom |= c.oom;
	free(c.p);
}

/* Returns 0, or prints why and returns 1. */
int tt_tracedat(struct tt_trace *t, const char *path)
{
	static const char *const systems[] = { "sched", "raw_syscalls", "irq", "ttrace" };
	struct obuf b = { 0 };
	struct ev_data x;
	size_t cpu_table, ncpu = t->hdr.ncpus;
	FILE *f;
	int rc = 1;

	obuf_put(&b, "\x17\x08\x44tracing", 10);
	obuf_str(&b, "6");
	obuf_put(&b, "\0\x08", 2);
	obuf_u32(&b, PAGE);
	obuf_str(&b, "header_page");
	obuf_u64(&b, strlen(header_page));
	obuf_put(&b, header_page, strlen(header_page));
	obuf_str(&b, "header_event");
	obuf_u64(&b, strlen(header_event));
	obuf_put(&b, header_event, strlen(header_event));
	obuf_u32(&b, 0);			/* ftrace event formats */
	obuf_u32(&b, 4);			/* event systems */
	for (size_t s = 0; s < 4; s++) {
		uint32_t n = 0;

		obuf_str(&b, systems[s]);
		for (size_t i = 0; i < NFMTS; i++)
			n += !strcmp(tt_event_system(fmts[i].type), systems[s]);
		obuf_u32(&b, n);
		for (size_t i = 0; i < NFMTS; i++)
			if (!strcmp(tt_event_system(fmts[i].type), systems[s]))
				put_format(&b, &fmts[i]);
	}
	obuf_u32(&b, 0);			/* kallsyms */
	obuf_u32(&b, 0);			/* printk formats */
	put_cmdlines(&b, t);
	obuf_u32(&b, (uint32_t)ncpu);
	obuf_put(&b, "flyrecord", 10);
	cpu_table = b.len;
	for (size_t c = 0; c < ncpu; c++) {
		obuf_u64(&b, 0);
		obuf_u64(&b, 0);
	}
	for (size_t c = 0; c < ncpu; c++) {
		struct pager pg = { &b, 0, 0, 0 };
		uint64_t start, size;

		while (b.len % PAGE)
			obuf_put(&b, "", 1);
		start = b.len;
		for (size_t i = 0; i < t->nev; i++)
			if (t->ev[i].rec->cpu == c && encode(&t->ev[i], &x))
				page_event(&pg, t->ev[i].ns, &x);
		page_close(&pg);
		size = b.len - start;
		if (!b.oom) {
			memcpy(b.p + cpu_table + 16 * c, &start, 8);
			memcpy(b.p + cpu_table + 16 * c + 8, &size, 8);
		}
	}
	if (b.oom) {
		fprintf(stderr, "ttrace-view: tracedat: out of memory\n");
		goto out;
	}
	f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "ttrace-view: %s: %s\n", path, strerror(errno));
		goto out;
	}
	if (fwrite(b.p, 1, b.len, f) != b.len || fclose(f)) {
		fprintf(stderr, "ttrace-view: %s: write failed\n", path);
		goto out;
	}
	rc = 0;
out:
	free(b.p);
	return rc;
}
