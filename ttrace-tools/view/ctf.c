/*
 * `ctf DIR`: a CTF 1.8 trace (metadata in TSDL text plus one binary stream
 * file per CPU) that babeltrace2 reads, with LTTng's kernel event and
 * field names (sched_switch prev_tid/next_tid..., sched_wakeup,
 * sched_process_fork/exec/exit, syscall_entry_NAME/syscall_exit_NAME with
 * ret, irq_handler_entry/exit) and an LTTng kernel environment
 * (domain = "kernel", tracer_name = "lttng-modules"), so Trace Compass's
 * kernel views apply.  Other events are ttrace_NAME.
 *
 * Each stream file "channel0_CPU" is one packet: header (magic, stream
 * id), context (begin/end timestamps, content and packet size in bits,
 * events discarded (the LOST counts), cpu_id), then events (u16 id, u64
 * timestamp in ns, fields).  All types are byte-aligned little-endian, so
 * the writer packs without padding.  The clock's offset maps timestamps to
 * the wall clock through the stream header's anchor.
 */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include "tt.h"

/* Append a 16-byte command field; as obuf_put() on failure. */
static void comm(struct obuf *b, const char *c16)
{
	char c[TTRACE_COMM_LEN] = { 0 };

	memcpy(c, c16, TTRACE_COMM_LEN);
	obuf_put(b, c, TTRACE_COMM_LEN);
}

#define COMM(n)	"\t\tinteger { size = 8; align = 8; signed = 0; encoding = UTF8; base = 10; } _" n "[16];\n"

/* Event ids: one per record type, plus two per syscall number named. */
#define SYS_ID_BASE	256

static const char *const fixed_events[256] = {
	[TTRACE_REC_SCHED_SWITCH] = "sched_switch",
	[TTRACE_REC_SCHED_WAKEUP] = "sched_wakeup",
	[TTRACE_REC_PROC_FORK] = "sched_process_fork",
	[TTRACE_REC_PROC_EXEC] = "sched_process_exec",
	[TTRACE_REC_PROC_EXIT] = "sched_process_exit",
	[TTRACE_REC_SYS_ENTER] = "syscall_entry_unknown",
	[TTRACE_REC_SYS_EXIT] = "syscall_exit_unknown",
	[TTRACE_REC_IRQ_ENTER] = "irq_handler_entry",
	[TTRACE_REC_IRQ_EXIT] = "irq_handler_exit",
	[TTRACE_REC_EXC_ENTER] = "ttrace_exception_entry",
	[TTRACE_REC_EXC_EXIT] = "ttrace_exception_exit",
	[TTRACE_REC_PAGE_FAULT] = "x86_exceptions_page_fault_user",
	[TTRACE_REC_WAIT_SLEEP] = "ttrace_wait_sleep",
	[TTRACE_REC_WAIT_WAKE] = "ttrace_wait_wake",
	[TTRACE_REC_KMSG_SEND] = "ttrace_kmsg_send",
	[TTRACE_REC_KMSG_RUN] = "ttrace_kmsg_run",
	[TTRACE_REC_PRINTK] = "printk_console",
	[TTRACE_REC_USER] = "ttrace_user",
	[TTRACE_REC_LOST] = "ttrace_lost",
};

/* TSDL fields of an exported type; NULL if the type is not exported. */
static const char *fields_of(unsigned int type)
{
	switch (type) {
	case TTRACE_REC_SCHED_SWITCH:
		return COMM("prev_comm") "\t\tint32_t _prev_tid;\n\t\tint32_t _prev_prio;\n"
		       "\t\tint64_t _prev_state;\n" COMM("next_comm")
		       "\t\tint32_t _next_tid;\n\t\tint32_t _next_prio;\n";
	case TTRACE_REC_SCHED_WAKEUP:
		return COMM("comm") "\t\tint32_t _tid;\n\t\tint32_t _prio;\n\t\tint32_t _target_cpu;\n";
	case TTRACE_REC_PROC_FORK:
		return COMM("parent_comm") "\t\tint32_t _parent_tid;\n\t\tint32_t _parent_pid;\n"
		       COMM("child_comm") "\t\tint32_t _child_tid;\n\t\tint32_t _child_pid;\n";
	case TTRACE_REC_PROC_EXEC:
		return "\t\tstring _filename;\n\t\tint32_t _tid;\n\t\tint32_t _old_tid;\n";
	case TTRACE_REC_PROC_EXIT:
		return COMM("comm") "\t\tint32_t _tid;\n\t\tint32_t _prio;\n";
	case TTRACE_REC_SYS_ENTER:
		return "\t\tuint32_t _id;\n\t\thex64_t _arg0;\n\t\thex64_t _arg1;\n"
		       "\t\thex64_t _arg2;\n\t\thex64_t _arg3;\n";
	case TTRACE_REC_SYS_EXIT:
		return "\t\tuint32_t _id;\n\t\tint64_t _ret;\n";
	case TTRACE_REC_IRQ_ENTER:
		return "\t\tint32_t _irq;\n\t\tstring _name;\n";
	case TTRACE_REC_IRQ_EXIT:
		return "\t\tint32_t _irq;\n\t\tint32_t _ret;\n";
	case TTRACE_REC_EXC_ENTER:
	case TTRACE_REC_EXC_EXIT:
		return "\t\tuint32_t _vector;\n\t\thex64_t _error_code;\n\t\thex64_t _ip;\n";
	case TTRACE_REC_PAGE_FAULT:
		return "\t\thex64_t _address;\n\t\thex64_t _ip;\n\t\thex64_t _error_code;\n"
		       "\t\tint32_t _result;\n";
	case TTRACE_REC_WAIT_SLEEP:
	case TTRACE_REC_WAIT_WAKE:
		return "\t\thex64_t _obj;\n\t\tstring _kind;\n\t\tstring _name;\n\t\tint32_t _tid;\n";
	case TTRACE_REC_KMSG_SEND:
	case TTRACE_REC_KMSG_RUN:
		return "\t\tuint32_t _src_cpu;\n\t\tuint32_t _dst_cpu;\n\t\tstring _kind;\n"
		       "\t\thex64_t _fn;\n\t\thex64_t _arg;\n";
	case TTRACE_REC_PRINTK:
		return "\t\tuint32_t _level;\n\t\tstring _msg;\n";
	case TTRACE_REC_USER:
		return "\t\tuint32_t _id;\n\t\tstring _msg;\n";
	case TTRACE_REC_LOST:
		return "\t\tuint64_t _count;\n\t\tstring _cause;\n";
	default:
		return NULL;
	}
}

static const char metadata_head[] =
	"/* CTF 1.8 */\n\n"
	"typealias integer { size = 8; align = 8; signed = false; } := uint8_t;\n"
	"typealias integer { size = 16; align = 8; signed = false; } := uint16_t;\n"
	"typealias integer { size = 32; align = 8; signed = false; } := uint32_t;\n"
	"typealias integer { size = 64; align = 8; signed = false; } := uint64_t;\n"
	"typealias integer { size = 32; align = 8; signed = true; } := int32_t;\n"
	"typealias integer { size = 64; align = 8; signed = true; } := int64_t;\n"
	"typealias integer { size = 64; align = 8; signed = false; base = 16; } := hex64_t;\n\n"
	"trace {\n\tmajor = 1;\n\tminor = 8;\n\tbyte_order = le;\n"
	"\tpacket.header := struct {\n\t\tuint32_t magic;\n\t\tuint32_t stream_id;\n\t};\n};\n\n";

/* Write dir/name; returns 0, or -1 after printing why. */
static int write_file(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "ttrace-view: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(p, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "ttrace-view: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

/* CTF event id of e (per-syscall ids for named syscalls). */
static uint16_t event_id(const struct tt_trace *t, const struct tt_event *e)
{
	uint32_t nr;

	if (e->rec->type == TTRACE_REC_SYS_ENTER || e->rec->type == TTRACE_REC_SYS_EXIT) {
		nr = e->rec->type == TTRACE_REC_SYS_ENTER ? TT_PAYLOAD(e, struct ttrace_sys_enter)->nr :
			TT_PAYLOAD(e, struct ttrace_sys_exit)->nr;
		for (size_t i = 0; i < t->nsys && i < 4000; i++)
			if (t->sys[i].nr == nr)
				return (uint16_t)(SYS_ID_BASE + 2 * i +
						  (e->rec->type == TTRACE_REC_SYS_EXIT));
	}
	return e->rec->type;
}

/* Append e's CTF fields; as obuf_put() on failure. */
static void put_fields(struct obuf *b, const struct tt_event *e)
{
	switch (e->rec->type) {
	case TTRACE_REC_SCHED_SWITCH: {
		const struct ttrace_sched_switch *p = TT_PAYLOAD(e, struct ttrace_sched_switch);

		comm(b, p->prev_comm);
		obuf_u32(b, p->prev_tid);
		obuf_u32(b, (uint32_t)p->prev_prio);
		obuf_u64(b, p->prev_state);
		comm(b, p->next_comm);
		obuf_u32(b, p->next_tid);
		obuf_u32(b, (uint32_t)p->next_prio);
		break;
	}
	case TTRACE_REC_SCHED_WAKEUP: {
		const struct ttrace_sched_wakeup *p = TT_PAYLOAD(e, struct ttrace_sched_wakeup);

		comm(b, p->comm);
		obuf_u32(b, p->tid);
		obuf_u32(b, (uint32_t)p->prio);
		obuf_u32(b, p->target_cpu);
		break;
	}
	case TTRACE_REC_PROC_FORK: {
		const struct ttrace_proc_fork *p = TT_PAYLOAD(e, struct ttrace_proc_fork);

		comm(b, p->parent_comm);
		obuf_u32(b, p->parent_tid);
		obuf_u32(b, p->parent_pid);
		comm(b, p->child_comm);
		obuf_u32(b, p->child_tid);
		obuf_u32(b, p->child_pid);
		break;
	}
	case TTRACE_REC_PROC_EXEC: {
		const struct ttrace_proc_exec *p = TT_PAYLOAD(e, struct ttrace_proc_exec);

		obuf_str(b, p->filename);
		obuf_u32(b, p->tid);
		obuf_u32(b, p->tid);
		break;
	}
	case TTRACE_REC_PROC_EXIT: {
		const struct ttrace_proc_exit *p = TT_PAYLOAD(e, struct ttrace_proc_exit);

		comm(b, p->comm);
		obuf_u32(b, p->tid);
		obuf_u32(b, 120);
		break;
	}
	case TTRACE_REC_SYS_ENTER: {
		const struct ttrace_sys_enter *p = TT_PAYLOAD(e, struct ttrace_sys_enter);

		obuf_u32(b, p->nr);
		for (int i = 0; i < 4; i++)
			obuf_u64(b, p->args[i]);
		break;
	}
	case TTRACE_REC_SYS_EXIT: {
		const struct ttrace_sys_exit *p = TT_PAYLOAD(e, struct ttrace_sys_exit);

		obuf_u32(b, p->nr);
		obuf_u64(b, (uint64_t)p->ret);
		break;
	}
	case TTRACE_REC_IRQ_ENTER: {
		char name[32];

		snprintf(name, sizeof(name), "vector%u", TT_PAYLOAD(e, struct ttrace_irq)->vector);
		obuf_u32(b, TT_PAYLOAD(e, struct ttrace_irq)->vector);
		obuf_str(b, name);
		break;
	}
	case TTRACE_REC_IRQ_EXIT:
		obuf_u32(b, TT_PAYLOAD(e, struct ttrace_irq)->vector);
		obuf_u32(b, (uint32_t)TT_PAYLOAD(e, struct ttrace_irq)->ret);
		break;
	case TTRACE_REC_EXC_ENTER:
	case TTRACE_REC_EXC_EXIT: {
		const struct ttrace_exc *p = TT_PAYLOAD(e, struct ttrace_exc);

		obuf_u32(b, p->vector);
		obuf_u64(b, p->error_code);
		obuf_u64(b, p->ip);
		break;
	}
	case TTRACE_REC_PAGE_FAULT: {
		const struct ttrace_page_fault *p = TT_PAYLOAD(e, struct ttrace_page_fault);

		obuf_u64(b, p->addr);
		obuf_u64(b, p->ip);
		obuf_u64(b, p->error_code);
		obuf_u32(b, (uint32_t)p->result);
		break;
	}
	case TTRACE_REC_WAIT_SLEEP:
	case TTRACE_REC_WAIT_WAKE: {
		const struct ttrace_wait *p = TT_PAYLOAD(e, struct ttrace_wait);
		char n[TTRACE_NAME_LEN + 1];

		memcpy(n, p->name, TTRACE_NAME_LEN);
		n[TTRACE_NAME_LEN] = 0;
		obuf_u64(b, p->obj);
		obuf_str(b, p->kind == TTRACE_WAIT_SEM ? "sem" : p->kind == TTRACE_WAIT_WAITQ ? "waitq" :
		    "mutex");
		obuf_str(b, n);
		obuf_u32(b, p->tid);
		break;
	}
	case TTRACE_REC_KMSG_SEND:
	case TTRACE_REC_KMSG_RUN: {
		const struct ttrace_kmsg *p = TT_PAYLOAD(e, struct ttrace_kmsg);

		obuf_u32(b, p->src_cpu);
		obuf_u32(b, p->dst_cpu);
		obuf_str(b, p->kind == TTRACE_KMSG_IMMEDIATE ? "immediate" : "routine");
		obuf_u64(b, p->fn);
		obuf_u64(b, p->arg);
		break;
	}
	case TTRACE_REC_PRINTK:
		obuf_u32(b, TT_PAYLOAD(e, struct ttrace_printk)->level);
		obuf_str(b, TT_PAYLOAD(e, struct ttrace_printk)->text);
		break;
	case TTRACE_REC_USER:
		obuf_u32(b, TT_PAYLOAD(e, struct ttrace_user)->id);
		obuf_str(b, TT_PAYLOAD(e, struct ttrace_user)->text);
		break;
	case TTRACE_REC_LOST:
		obuf_u64(b, TT_PAYLOAD(e, struct ttrace_lost)->count);
		obuf_str(b, TT_PAYLOAD(e, struct ttrace_lost)->cause == TTRACE_LOST_OVERWRITTEN ?
		    "overwritten" : "dropped");
		break;
	}
}

/* Append one event declaration to the metadata; as obuf_put() on failure. */
static void metadata_event(struct obuf *m, unsigned int id, const char *name, const char *fields)
{
	char head[256];
	int n = snprintf(head, sizeof(head), "event {\n\tname = \"%s\";\n\tid = %u;\n\tstream_id = 0;\n"
			 "\tfields := struct {\n", name, id);

	obuf_put(m, head, (size_t)n);
	obuf_put(m, fields, strlen(fields));
	obuf_put(m, "\t};\n};\n\n", 8);
}

/* Returns 0, or prints why and returns 1. */
int tt_ctf(struct tt_trace *t, const char *dir)
{
	struct obuf m = { 0 }, s = { 0 };
	const struct ttrace_stream_hdr *h = &t->hdr;
	uint64_t anchor_ns = (uint64_t)((unsigned __int128)h->anchor_tsc * 1000000000u / h->tsc_hz);
	uint64_t off = h->anchor_wall_ns > anchor_ns ? h->anchor_wall_ns - anchor_ns : 0;
	char buf[1024];
	int n, rc = 1;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "ttrace-view: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	obuf_put(&m, metadata_head, strlen(metadata_head));
	n = snprintf(buf, sizeof(buf),
		     "env {\n\thostname = \"akaros\";\n\tdomain = \"kernel\";\n\tsysname = \"Linux\";\n"
		     "\tkernel_release = \"ttrace-%u.%u\";\n\tkernel_version = \"ttrace\";\n"
		     "\ttracer_name = \"lttng-modules\";\n\ttracer_major = 2;\n\ttracer_minor = 13;\n"
		     "\ttracer_patchlevel = 0;\n\ttrace_buffering_scheme = \"global\";\n};\n\n"
		     "clock {\n\tname = \"monotonic\";\n\tdescription = \"ttrace TSC in ns\";\n"
		     "\tfreq = 1000000000;\n\tprecision = 1;\n\toffset_s = %llu;\n\toffset = %llu;\n"
		     "\tabsolute = false;\n};\n\n"
		     "typealias integer { size = 64; align = 8; signed = false; "
		     "map = clock.monotonic.value; } := uint64_clock_monotonic_t;\n\n"
		     "struct packet_context {\n\tuint64_clock_monotonic_t timestamp_begin;\n"
		     "\tuint64_clock_monotonic_t timestamp_end;\n\tuint64_t content_size;\n"
		     "\tuint64_t packet_size;\n\tuint64_t packet_seq_num;\n"
		     "\tuint64_t events_discarded;\n\tuint32_t cpu_id;\n};\n\n"
		     "struct event_header {\n\tuint16_t id;\n\tuint64_clock_monotonic_t timestamp;\n};\n\n"
		     "stream {\n\tid = 0;\n\tevent.header := struct event_header;\n"
		     "\tpacket.context := struct packet_context;\n};\n\n",
		     h->version_major, h->version_minor, (unsigned long long)(off / 1000000000u),
		     (unsigned long long)(off % 1000000000u));
	obuf_put(&m, buf, (size_t)n);
	for (unsigned int type = 0; type < 256; type++)
		if (fixed_events[type] && fields_of(type))
			metadata_event(&m, type, fixed_events[type], fields_of(type));
	for (size_t i = 0; i < t->nsys && i < 4000; i++) {
		char name[96];
		const char *sn = t->sys[i].name;

		for (const char *c = sn; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' ||
			      (*c >= 'A' && *c <= 'Z')))
				sn = "invalid";
		snprintf(name, sizeof(name), "syscall_entry_%.64s", sn);
		metadata_event(&m, (unsigned int)(SYS_ID_BASE + 2 * i), name,
			       fields_of(TTRACE_REC_SYS_ENTER));
		snprintf(name, sizeof(name), "syscall_exit_%.64s", sn);
		metadata_event(&m, (unsigned int)(SYS_ID_BASE + 2 * i + 1), name,
			       fields_of(TTRACE_REC_SYS_EXIT));
	}
	if (m.oom || write_file(dir, "metadata", m.p, m.len))
		goto out;
	for (unsigned int c = 0; c < h->ncpus; c++) {
		uint64_t first = 0, last = 0, discarded = 0, bits;
		size_t ctx;
		int any = 0;
		char name[32];

		s.len = 0;
		for (size_t i = 0; i < t->nev; i++) {
			if (t->ev[i].rec->cpu != c)
				continue;
			if (!any)
				first = t->ev[i].ns;
			any = 1;
			last = t->ev[i].ns;
			if (t->ev[i].rec->type == TTRACE_REC_LOST)
				discarded += TT_PAYLOAD(&t->ev[i], struct ttrace_lost)->count;
		}
		obuf_u32(&s, 0xC1FC1FC1);
		obuf_u32(&s, 0);
		ctx = s.len;
		obuf_u64(&s, first);
		obuf_u64(&s, last);
		obuf_u64(&s, 0);		/* content_size, patched below */
		obuf_u64(&s, 0);		/* packet_size */
		obuf_u64(&s, 0);		/* packet_seq_num */
		obuf_u64(&s, discarded);
		obuf_u32(&s, c);
		for (size_t i = 0; i < t->nev; i++) {
			const struct tt_event *e = &t->ev[i];

			if (e->rec->cpu != c || !fields_of(e->rec->type))
				continue;
			obuf_u16(&s, event_id(t, e));
			obuf_u64(&s, e->ns);
			put_fields(&s, e);
		}
		if (s.oom)
			goto out;
		bits = (uint64_t)s.len * 8;
		memcpy(s.p + ctx + 16, &bits, 8);
		memcpy(s.p + ctx + 24, &bits, 8);
		snprintf(name, sizeof(name), "channel0_%u", c);
		if (write_file(dir, name, s.p, s.len))
			goto out;
	}
	rc = 0;
out:
	if (m.oom || s.oom)
		fprintf(stderr, "ttrace-view: ctf: out of memory\n");
	free(m.p);
	free(s.p);
	return rc;
}
