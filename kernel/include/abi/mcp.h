/*
 * Many-core processes (MCPs): the shared pages and system calls between
 * the kernel and parlib's second-level scheduler (user/parlib).  Ours
 * alone (Akaros's procinfo/procdata and vcore calls; no Linux header), so
 * every name has an MCP_/mcp_ prefix and the layout is documented in
 * docs/mcp.md.
 *
 * A process calls SYS_mcp_map_pages once: the kernel maps the info page
 * read-only at MCP_PROCINFO_ADDR and the data pages read-write at
 * MCP_PROCDATA_ADDR.  It fills in vcore_entry and each vcore's stack and
 * TLS in the data pages, sets res_req_vcores and calls SYS_change_to_m:
 * its calling context is saved as vcore 0's uthread_ctx (rax = 0,
 * MCP_VC_UTHREAD_SAVED) and vcore 0 starts at vcore_entry.  Every vcore
 * starts at vcore_entry on its vcore_stack with fs base vcore_tls and
 * notif_disabled = 1.  SYS_poke_ksched grants more vcores (whole cores),
 * SYS_vcore_yield gives the caller's core back, SYS_vcore_notify posts an
 * event to a vcore's mailbox (IPI if it has notifications enabled: its
 * running context is saved in uthread_ctx and it re-enters vcore_entry),
 * SYS_vcore_preempt takes a vcore's core away (its context is saved in
 * uthread_ctx or, if it was in vcore context, vcore_ctx; an
 * MCP_EV_VCORE_PREEMPT event goes to another vcore so the 2LS recovers the
 * uthread).  With MCP_PREEMPT_WARN the vcore first gets an
 * MCP_EV_PREEMPT_PENDING event (arg and vcpd.preempt_deadline_tsc: the TSC
 * deadline, vcpd.preempt_pending = 1); if it calls SYS_vcore_yield before
 * the deadline it gives the core back cleanly (counted as yielded),
 * otherwise the kernel takes the core at the deadline (forced).
 *
 * SYS_mcp_async(struct mcp_syscall *) runs a system call without blocking
 * the vcore: the kernel first tries it without waiting (a readiness probe
 * for read/write, the value check of a futex wait, WNOHANG for wait4); if
 * it would not block it runs at once (returns 0, result and MCP_SC_DONE
 * written).  Otherwise it returns MCP_ASYNC_INPROGRESS and a kernel task
 * of the process runs the call to completion, writes result, sets
 * MCP_SC_DONE | MCP_SC_ASYNC in flags and posts MCP_EV_SYSCALL (arg: the
 * struct's address, vcoreid: the submitting vcore) to that vcore (IPI if
 * its notifications are on).  At most MCP_ASYNC_MAX calls are in flight.
 */
#ifndef ABI_MCP_H
#define ABI_MCP_H

#include <abi/types.h>

#define SYS_mcp_map_pages	1010	/* () -> 0 */
#define SYS_change_to_m		1011	/* () -> 0 (in vcore 0's saved uthread context) */
#define SYS_poke_ksched		1012	/* () -> vcores now granted */
#define SYS_vcore_yield		1013	/* (flags) -> 0 when resumed (at vcore_entry) */
#define SYS_vcore_notify	1014	/* (vcoreid, ev_type, arg) -> 0 */
#define SYS_vcore_preempt	1015	/* (pid, vcoreid, flags, grace_ns) -> 0 */
#define SYS_mcp_async		1016	/* (struct mcp_syscall *) -> 0 done, MCP_ASYNC_INPROGRESS */

#define MCP_PROCINFO_ADDR	0x7fffe0000000ULL
#define MCP_PROCINFO_SIZE	0x1000ULL
#define MCP_PROCDATA_ADDR	0x7fffe0010000ULL
#define MCP_MAX_VCORES		16
#define MCP_VCPD_SIZE		0x3000ULL	/* one vcore's preemption data */
#define MCP_PROCDATA_SIZE	(0x1000ULL + MCP_MAX_VCORES * MCP_VCPD_SIZE)
#define MCP_PROCINFO_MAGIC	0x4d435031U	/* "MCP1" */
#define MCP_ABI_VERSION		1
#define MCP_MAX_PCORES		64
#define MCP_MBOX_SLOTS		64
#define MCP_FPU_AREA_SIZE	4096

/* SYS_vcore_yield flags */
#define MCP_YIELD_NICE		0x1	/* give the core back only if others want cores */
/* SYS_vcore_preempt flags */
#define MCP_PREEMPT_REGRANT	0x1	/* give the vcore a core again at once (a round trip) */
#define MCP_PREEMPT_WARN	0x2	/* warn first (MCP_EV_PREEMPT_PENDING), force after grace_ns */
#define MCP_PREEMPT_GRACE_MAX	10000000000ULL	/* the longest grace period: 10 s */

/* Event types (struct mcp_event.type) */
#define MCP_EV_NONE		0
#define MCP_EV_USER		1	/* SYS_vcore_notify from the process itself */
#define MCP_EV_VCORE_PREEMPT	2	/* vcore `vcoreid` was preempted; recover its uthread */
#define MCP_EV_PREEMPT_PENDING	3	/* the kernel will take this vcore's core at deadline */
#define MCP_EV_SYSCALL		4	/* the SYS_mcp_async call at address arg completed */

/* struct mcp_vcpd.flags, changed by the kernel and the 2LS with atomic ops */
#define MCP_VC_UTHREAD_SAVED	0x1	/* uthread_ctx holds a uthread nobody runs yet */
#define MCP_VC_VCORE_SAVED	0x2	/* vcore_ctx holds vcore context to resume */
#define MCP_VC_PREEMPTED	0x4	/* the vcore lost its core */
#define MCP_VC_FPU_XSAVE	0x8	/* the FPU areas hold XSAVE (else FXSAVE) images */
#define MCP_VC_STEALING		0x10	/* a 2LS vcore is copying uthread_ctx out (user only) */

struct mcp_vcore_info {
	abi_u32 pcoreid;		/* physical core while valid */
	abi_u32 valid;			/* the vcore holds a core */
	abi_u64 nr_preempts_sent;
	abi_u64 nr_preempts_done;
	abi_u64 nr_grants;
};

/*
 * Preemption warnings of one vcore (MCP_PREEMPT_WARN): each one ends
 * either with the vcore yielding its core before the deadline (yielded)
 * or with the kernel taking it at the deadline (forced).
 */
struct mcp_warn_info {
	abi_u64 nr_warnings;
	abi_u64 nr_yielded;
	abi_u64 nr_forced;
};

/* The read-only info page; the kernel bumps seq before and after a change (odd: changing). */
struct mcp_procinfo {
	abi_u32 magic;
	abi_u32 version;
	abi_u32 pid;
	abi_u32 max_vcores;		/* MCP_MAX_VCORES, capped at cores - 1 */
	abi_u64 tsc_freq;		/* TSC ticks per second */
	abi_u32 seq;
	abi_u32 num_vcores;		/* vcores holding a core */
	abi_u32 is_mcp;
	abi_u32 fpu_xsave;		/* saved FPU images are XSAVE (1) or FXSAVE (0) */
	abi_u32 fpu_size;		/* bytes of a saved FPU image */
	abi_u32 ncpus;
	struct mcp_vcore_info vcoremap[MCP_MAX_VCORES];
	abi_s32 pcoremap[MCP_MAX_PCORES];	/* vcore on each core, -1 if none */
	struct mcp_warn_info warn[MCP_MAX_VCORES];	/* preemption warnings per vcore */
};

/* A user context as the kernel saves it (all registers; FPU in the vcpd's areas). */
struct mcp_uctx {
	abi_u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	abi_u64 r8, r9, r10, r11, r12, r13, r14, r15;
	abi_u64 rsp, rip, rflags, fs_base;
	abi_u64 trapno;			/* how the kernel took it (vector, 0x80 = syscall) */
};

struct mcp_event {
	abi_u32 type;			/* MCP_EV_* */
	abi_u32 vcoreid;		/* the vcore it is about (preemption) */
	abi_u64 arg;
};

/*
 * One vcore's preemption data.  The kernel writes the mailbox slots and
 * then mbox_prod; the vcore consumes up to mbox_prod and advances
 * mbox_cons.  Events that find the ring full are counted in mbox_overflow.
 */
struct mcp_vcpd {
	abi_u64 vcore_stack;		/* top of the vcore stack (set by the 2LS) */
	abi_u64 vcore_tls;		/* fs base in vcore context (set by the 2LS) */
	abi_u32 notif_disabled;		/* 1 in vcore context */
	abi_u32 notif_pending;		/* set by the kernel with each event */
	abi_u32 flags;			/* MCP_VC_* */
	abi_u32 preempt_pending;	/* a warning was sent; the core goes at deadline */
	abi_u64 preempt_deadline_tsc;
	struct mcp_uctx uthread_ctx;
	struct mcp_uctx vcore_ctx;
	abi_u32 mbox_prod;
	abi_u32 mbox_cons;
	abi_u32 mbox_overflow;
	abi_u32 pad;
	struct mcp_event mbox[MCP_MBOX_SLOTS];
	abi_u8 pad_to_page[4096 - 40 - 2 * 160 - 16 - MCP_MBOX_SLOTS * 16];
	abi_u8 uthread_fpu[MCP_FPU_AREA_SIZE];	/* 64-byte aligned */
	abi_u8 vcore_fpu[MCP_FPU_AREA_SIZE];
};

/* SYS_mcp_async */
#define MCP_ASYNC_INPROGRESS	1	/* the call goes on; MCP_EV_SYSCALL when done */
#define MCP_ASYNC_MAX		256	/* calls in flight per process (then -EAGAIN) */
#define MCP_SC_DONE		0x1	/* struct mcp_syscall.flags: result is valid */
#define MCP_SC_ASYNC		0x2	/* ... and it ran in a kernel task (it would have blocked) */

/*
 * One asynchronous system call (8-byte aligned, in the caller's memory
 * until it is done).  The kernel reads num and args once, at submission,
 * and writes only result and then flags; cookie is the 2LS's (its
 * uthread), never read by the kernel.  Supported: read, write, readv,
 * writev, nanosleep, clock_nanosleep, futex (waits go async, other
 * operations run at once), wait4.
 */
struct mcp_syscall {
	abi_u64 num;
	abi_u64 args[6];
	abi_s64 result;			/* return value or -errno (kernel) */
	abi_u32 flags;			/* MCP_SC_* (kernel; the user clears it before submitting) */
	abi_u32 pad;
	abi_u64 cookie;			/* the 2LS's */
};

/* The writable data pages. */
struct mcp_procdata {
	abi_u32 res_req_vcores;		/* vcores wanted (poke_ksched acts on it) */
	abi_u32 pad;
	abi_u64 vcore_entry;		/* where every vcore starts */
	abi_u64 dbg_desc;		/* address of the 2LS's struct mcp_dbg_desc, 0 if none */
	abi_u8 pad_to_page[4096 - 24];
	struct mcp_vcpd vcpd[MCP_MAX_VCORES];
};

#endif
