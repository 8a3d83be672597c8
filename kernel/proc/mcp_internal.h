/*
 * What the MCP files of kernel/proc (mcp.c: vcores and their return to
 * user mode; mcp_sys.c: the system calls; mcp_show.c: /proc and the
 * monitor) share and nothing else uses.  The model is in kern/mcp.h.
 */
#ifndef KERNEL_PROC_MCP_INTERNAL_H
#define KERNEL_PROC_MCP_INTERNAL_H

#include <kern/mcp.h>
#include <kern/compiler.h>

/* User address of field f of vcore id's struct mcp_vcpd. */
#define VCPD_ADDR(id)		(MCP_PROCDATA_ADDR + offsetof(struct mcp_procdata, vcpd) + \
				 (u64)(id) * sizeof(struct mcp_vcpd))
#define VCPD_FIELD(id, f)	(VCPD_ADDR(id) + offsetof(struct mcp_vcpd, f))

/* Push the kernel's copy of procinfo to the page (m->lock held). */
void __mcp_push_info(struct mcp *m);
/* Take a free core for vc and mark it online (m->lock held); the core or -EBUSY. */
int __mcp_vcore_online(struct mcp *m, struct mcp_vcore *vc);
/* Give vc's core back (m->lock held). */
void __mcp_vcore_offline(struct mcp *m, struct mcp_vcore *vc);
/* Post ev to vcore id's mailbox, notify it (m->lock held). */
void __mcp_post_event(struct mcp *m, int id, const struct mcp_event *ev);
/* Bring vcores online until want hold a core (or none is free); returns the vcores online. */
int mcp_grant_vcores(struct mcp *m, int want);
/* The current vcore task has no core: sleep until it has one again or the process dies. */
void mcp_vcore_park(struct mcp_vcore *vc);

/* mcp_warn.c: preemption warnings (MCP_PREEMPT_WARN) */
enum mcp_warn_end { MCP_WARN_DROPPED, MCP_WARN_YIELDED, MCP_WARN_FORCED };
/* Warn online vcore vc: event, vcpd deadline, force after grace_ns (m->lock held). */
void __mcp_vcore_warn(struct mcp *m, struct mcp_vcore *vc, u64 grace_ns);
/* End vc's pending warning, counting how (m->lock held); true if one was pending. */
bool __mcp_warn_end(struct mcp *m, struct mcp_vcore *vc, enum mcp_warn_end how);
/* On vc's own CPU at return to user: past the deadline, ask for the forced preemption. */
void mcp_warn_check(struct mcp_vcore *vc);
/*
 * SYS_vcore_yield of a warned vcore: give the core back (and take one
 * again at once for the last vcore or with MCP_PREEMPT_REGRANT); 0, or
 * -EAGAIN with events pending.
 */
int mcp_warn_yield(struct mcp *m, struct mcp_vcore *vc);

/* mcp_async.c: asynchronous system calls (SYS_mcp_async) */
/* Set up m's async state (mcp_alloc). */
void mcp_async_init(struct mcp *m);
/* Free the worker records of m's dead workers (mcp_free; no worker runs any more). */
void mcp_async_free(struct mcp *m);

/*
 * SYS_change_to_m after its checks: save the caller's context (returning
 * 0) as vcore 0's uthread, become an MCP, move to vcore 0's core; 0,
 * -EBUSY (no free core), -EINVAL (already an MCP) or -EFAULT.
 */
int mcp_change_to_m(struct mcp *m, struct hw_trapframe *tf);

#endif
