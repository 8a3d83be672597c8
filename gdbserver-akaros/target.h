/*
 * The kernel target (target.c): one process debugged through
 * /proc/PID/{ctl,dbg,mem} and task/TID/{regs,fpregs}.
 */
#ifndef GDBSERVER_TARGET_H
#define GDBSERVER_TARGET_H

#include <stdarg.h>
#include "gdbserver.h"

#define MAX_PENDING	64

struct ktarget {
	int pid;
	int ctl, dbg, mem;		/* the open debugging files; ctl is the attachment */
	bool child;			/* we started it (reap it at the end) */
	bool gone;			/* the event stream ended */
	struct stop_info pending[MAX_PENDING];	/* events not yet reported */
	bool pend_ok[MAX_PENDING];	/* its thread resumed since: reportable now */
	int npending;
	int stepping;			/* the thread gdb last single-stepped, 0 none */
	/* Is addr one of the server's software breakpoints? */
	bool (*is_swbp)(void *ctx, uint64_t addr);
	void *bp_ctx;
	void *mcp;			/* mcp.c's view of an MCP's uthreads, NULL until used */
	bool nonstop;			/* an event stops its own thread only */
};

extern const struct target_ops ktarget_ops;

/* Attach to pid: 0 or -errno (EPERM/EACCES: not allowed, EBUSY: traced). */
int ktarget_attach(struct ktarget *k, int pid);
/* Close k's files (the attachment ends if still held) and drop its MCP view. */
void ktarget_close(struct ktarget *k);
/* After attaching to a stopped child about to exec: wait for the exec stop.  0 or -1. */
int ktarget_wait_exec(struct ktarget *k, struct stop_info *si);

/*
 * The kernel target with an MCP's uthreads and vcores as its threads
 * (mcp.c); it serves a process that is not an MCP as ktarget_ops does.
 */
const struct target_ops *mcp_target(void);
/* Free k's view of the MCP (k->mcp). */
void mcp_release(struct ktarget *k);
/* The gdb thread a kernel thread of k shows as (the uthread it runs, or itself). */
int mcp_gdb_tid(struct ktarget *k, int ktid);

#endif
