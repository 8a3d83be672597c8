/*
 * Writing a dump stream (abi/ttrace.h): the part of `ttrace dump` that is
 * the same on the target (records read from #ttrace/cpuN) and in the host
 * generator (records read from the real ring code).  The caller collects
 * each CPU's records in read order; ttdump_write merges them by timestamp
 * (each CPU's order kept, so per-CPU time never goes backwards) between
 * the header and name tables and the CPU statistics and END record.
 */
#ifndef TTRACE_TOOLS_TTDUMP_H
#define TTRACE_TOOLS_TTDUMP_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <abi/ttrace.h>

struct ttdump_cpu {
	const uint8_t *recs;		/* records as ttrace_ring_read returned them */
	size_t len;
	struct ttrace_cpu_stats stats;
};

struct ttdump_proc {
	uint32_t tid, pid;
	char comm[TTRACE_COMM_LEN];
};

struct ttdump_sys {
	uint32_t nr;
	const char *name;
};

/* Write the whole stream to f.  Returns 0, or -1 if a write failed. */
int ttdump_write(FILE *f, const struct ttrace_stream_hdr *hdr, const struct ttdump_cpu *cpus,
		 const struct ttdump_proc *procs, size_t nprocs,
		 const struct ttdump_sys *sys, size_t nsys);

#endif
