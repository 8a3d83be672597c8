/*
 * ttdump_write: header, name tables, every CPU's records merged in time
 * order (a k-way merge that takes, among the CPUs' next records, the one
 * with the smallest timestamp, lowest CPU first on ties), per-CPU stats,
 * END with the record count.  See ttdump.h.
 */
#include <string.h>
#include "ttdump.h"

/* Write n bytes, counting a record; returns 0 or -1. */
static int put(FILE *f, const void *p, size_t n, uint64_t *count)
{
	if (count)
		(*count)++;
	return fwrite(p, 1, n, f) == n ? 0 : -1;
}

/* One record: header + payload, padded to 8. */
static int put_rec(FILE *f, unsigned int type, uint16_t cpu, const void *payload, size_t len,
		   uint64_t *count)
{
	uint8_t buf[TTRACE_REC_MAX];
	struct ttrace_rec *r = (struct ttrace_rec *)buf;
	uint32_t total = TTRACE_REC_LEN(len);

	if (total > sizeof(buf))
		return -1;
	memset(buf, 0, total);
	r->type = (uint8_t)type;
	r->len8 = (uint8_t)(total / 8);
	r->cpu = cpu;
	memcpy(r + 1, payload, len);
	return put(f, buf, total, count);
}

/* Returns 0, or -1 if a write failed. */
int ttdump_write(FILE *f, const struct ttrace_stream_hdr *hdr, const struct ttdump_cpu *cpus,
		 const struct ttdump_proc *procs, size_t nprocs,
		 const struct ttdump_sys *sys, size_t nsys)
{
	size_t pos[4096] = { 0 };
	uint64_t count = 0;
	struct ttrace_end end;
	int rc = 0;

	if (hdr->ncpus > 4096)
		return -1;
	rc |= put(f, hdr, sizeof(*hdr), NULL);
	for (size_t i = 0; i < nprocs; i++) {
		struct ttrace_proc_name p = { procs[i].tid, procs[i].pid, { 0 } };

		memcpy(p.comm, procs[i].comm, TTRACE_COMM_LEN);
		rc |= put_rec(f, TTRACE_REC_PROC_NAME, 0, &p, sizeof(p), &count);
	}
	for (size_t i = 0; i < nsys; i++) {
		uint8_t buf[256] = { 0 };
		struct ttrace_syscall_name *s = (struct ttrace_syscall_name *)buf;
		size_t n = strnlen(sys[i].name, sizeof(buf) - sizeof(*s) - 1);

		s->nr = sys[i].nr;
		memcpy(s->name, sys[i].name, n);
		rc |= put_rec(f, TTRACE_REC_SYSCALL_NAME, 0, buf, sizeof(*s) + n + 1, &count);
	}
	for (;;) {
		int best = -1;
		uint64_t best_tsc = 0;

		for (unsigned int c = 0; c < hdr->ncpus; c++) {
			const struct ttrace_rec *r;

			if (pos[c] + sizeof(*r) > cpus[c].len)
				continue;
			r = (const struct ttrace_rec *)(cpus[c].recs + pos[c]);
			if (best < 0 || r->tsc < best_tsc) {
				best = (int)c;
				best_tsc = r->tsc;
			}
		}
		if (best < 0)
			break;
		{
			const struct ttrace_rec *r =
				(const struct ttrace_rec *)(cpus[best].recs + pos[best]);
			size_t len = (size_t)r->len8 * 8;

			if (len < sizeof(*r) || pos[best] + len > cpus[best].len)
				return -1;
			rc |= put(f, r, len, &count);
			pos[best] += len;
		}
	}
	for (unsigned int c = 0; c < hdr->ncpus; c++)
		rc |= put_rec(f, TTRACE_REC_CPU_STATS, (uint16_t)c, &cpus[c].stats,
			      sizeof(cpus[c].stats), &count);
	end.records = count;
	rc |= put_rec(f, TTRACE_REC_END, 0, &end, sizeof(end), NULL);
	return rc ? -1 : 0;
}
