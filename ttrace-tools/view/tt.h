/*
 * ttrace-view internals: a loaded, validated dump stream and the helpers
 * every output format shares.
 *
 * Model.  stream.c reads the whole stream into memory, checks every record
 * against the layout in abi/ttrace.h (lengths, payload sizes, string
 * termination, CPU numbers, the END count) and builds an array of events
 * in time order that point into that memory; nothing downstream re-checks.
 * fmt.c gives each event its Linux/ftrace name and field text and tracks
 * which process and command each thread is at each moment; the output
 * formats (text.c, summary.c, tracedat.c, ctf.c, perfetto.c, html.c, tui.c)
 * only read struct tt_trace.
 */
#ifndef TTRACE_VIEW_TT_H
#define TTRACE_VIEW_TT_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <abi/ttrace.h>

struct tt_event {
	const struct ttrace_rec *rec;	/* into tt_trace.buf */
	uint64_t ns;			/* TSC converted to ns */
	uint32_t pid;			/* process of rec->tid then */
	const char *comm;		/* command of rec->tid then */
};

struct tt_proc {
	uint32_t tid;
	uint32_t pid;
	char comm[TTRACE_COMM_LEN + 1];
};

struct tt_sysname {
	uint32_t nr;
	const char *name;		/* into tt_trace.buf */
};

struct tt_trace {
	const char *name;		/* file name for messages */
	uint8_t *buf;			/* the stream, 8-aligned */
	size_t len;
	struct ttrace_stream_hdr hdr;
	struct tt_event *ev;		/* events and LOST markers, time order */
	size_t nev;
	struct tt_proc *procs;		/* name table of the dump */
	size_t nprocs;
	struct tt_sysname *sys;		/* syscall name table */
	size_t nsys;
	struct ttrace_cpu_stats *stats;	/* per CPU, zero if absent */
	uint64_t lost_total;		/* sum of LOST markers */
	char **interned;		/* comm strings made while tracking */
	size_t ninterned;
	char err[256];
};

/* stream.c */
int tt_load_file(struct tt_trace *t, const char *path);
int tt_load_mem(struct tt_trace *t, const void *data, size_t len, const char *name);
void tt_free(struct tt_trace *t);

/* fmt.c */
const char *tt_event_name(unsigned int type);
const char *tt_event_system(unsigned int type);
const char *tt_syscall_name(const struct tt_trace *t, uint32_t nr);
void tt_track_tasks(struct tt_trace *t);
int tt_format_fields(const struct tt_trace *t, const struct tt_event *e, char *buf, size_t cap);
void tt_format_time(uint64_t ns, char *buf, size_t cap);
const char *tt_state_str(uint32_t state);
void tt_comm(char *dst, const char *src);	/* NUL-terminated copy of a comm[16] */
void tt_json_str(FILE *out, const char *s);

#define TT_PAYLOAD(e, type)	((const type *)((e)->rec + 1))

/* The output formats; each returns 0 or prints an error and returns 1. */
int tt_text(struct tt_trace *t, FILE *out);
int tt_summary(struct tt_trace *t, FILE *out);
int tt_tracedat(struct tt_trace *t, const char *path);
int tt_ctf(struct tt_trace *t, const char *dir);
int tt_perfetto(struct tt_trace *t, FILE *out);
int tt_html(struct tt_trace *t, FILE *out);
int tt_tui(struct tt_trace *t);

/* A growable output buffer (obuf.c); zero-initialise, free(b->p) when done. */
struct obuf {
	uint8_t *p;
	size_t len, cap;
	int oom;		/* an allocation failed: the content is incomplete */
};
void obuf_put(struct obuf *b, const void *d, size_t n);
void obuf_u16(struct obuf *b, uint16_t v);
void obuf_u32(struct obuf *b, uint32_t v);
void obuf_u64(struct obuf *b, uint64_t v);
void obuf_str(struct obuf *b, const char *s);

#endif
