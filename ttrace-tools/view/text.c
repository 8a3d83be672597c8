/*
 * `text`: one event a line in the shape of `trace-cmd report`:
 *	COMM-TID [CPU] SECONDS: EVENT: FIELDS
 * with a "cpus=N" first line, the same column widths and the same field
 * text as trace-cmd prints for the tracedat export (tests compare them).
 */
#include "tt.h"

/* Returns 0, or 1 if writing failed. */
int tt_text(struct tt_trace *t, FILE *out)
{
	char ts[32], fields[1024];

	fprintf(out, "cpus=%u\n", t->hdr.ncpus);
	for (size_t i = 0; i < t->nev; i++) {
		const struct tt_event *e = &t->ev[i];
		char name[64];

		tt_format_time(e->ns, ts, sizeof(ts));
		tt_format_fields(t, e, fields, sizeof(fields));
		snprintf(name, sizeof(name), "%s:", tt_event_name(e->rec->type));
		fprintf(out, "%16s-%-5u [%03u] %s: %-21s %s\n", e->comm, e->rec->tid, e->rec->cpu, ts,
			name, fields);
	}
	return ferror(out) ? 1 : 0;
}
