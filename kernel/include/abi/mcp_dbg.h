/*
 * The MCP debugger descriptor: how a debugger (gdbserver-akaros) finds
 * every uthread and vcore of a parlib process from outside, through
 * cross-process memory reads only.  Ours alone (no Linux header).  The
 * protocol is in docs/mcp-debugger.md; this header is its layout, kept
 * stable: fields are only ever added at the end, with a version bump.
 *
 * Finding it: struct mcp_procdata.dbg_desc (abi/mcp.h, at
 * MCP_PROCDATA_ADDR + 16) holds the descriptor's address once parlib is
 * initialised.  The descriptor points at a table of max_uthreads slots.
 *
 * Consistency (seqlocks, read without stopping the process is allowed):
 *  - desc.gen is odd while parlib adds or frees a slot; nr_uthreads and
 *    the slot ids change only then.  Read gen (retry while odd), read the
 *    slots, read gen again: equal means the set of uthreads is consistent.
 *  - each slot has its own seq, odd while that uthread's state, vcore or
 *    context pointer change; read it around the slot the same way.
 *  A debugger that stopped every vcore's thread may find a seq odd: the
 *  writer is stopped mid-update, and the slot's old_* fields give the
 *  state before the update began (they are written before seq goes odd).
 */
#ifndef ABI_MCP_DBG_H
#define ABI_MCP_DBG_H

#include <abi/types.h>

#define MCP_DBG_MAGIC		0x4244434dU	/* "MCDB" */
#define MCP_DBG_VERSION		2	/* 2: hold/held (a debugger keeps a uthread off vcores) */
#define MCP_DBG_NAME_LEN	32

/* struct mcp_dbg_uthread.state */
#define MCP_DBG_UT_FREE		0	/* slot unused */
#define MCP_DBG_UT_RUNNABLE	1	/* on a run queue; registers at ctx */
#define MCP_DBG_UT_RUNNING	2	/* on vcore `vcore`; registers live in that vcore's thread */
#define MCP_DBG_UT_BLOCKED	3	/* waiting on a mutex/condvar/semaphore/join; registers at ctx */
#define MCP_DBG_UT_EXITED	4	/* finished, not yet joined */

/* struct mcp_dbg_uthread.ctx_kind: which registers of the struct mcp_uctx at ctx are valid */
#define MCP_DBG_CTX_NONE	0
#define MCP_DBG_CTX_SW		1	/* rbx rbp r12-r15 rsp rip fs_base (a voluntary switch) */
#define MCP_DBG_CTX_HW		2	/* every register (a notification or preemption) */

struct mcp_dbg_uthread {
	abi_u32 seq;			/* odd while this slot changes */
	abi_u32 state;			/* MCP_DBG_UT_* */
	abi_u64 id;			/* uthread id, never reused; 0 while free */
	abi_s32 vcore;			/* vcore it runs on (RUNNING) or last ran on, -1 never */
	abi_u32 ctx_kind;		/* MCP_DBG_CTX_* */
	abi_u64 ctx;			/* address of its struct mcp_uctx (abi/mcp.h) */
	abi_u64 tls;			/* its fs base */
	abi_u64 stack_lo, stack_hi;	/* its stack */
	abi_u32 old_state;		/* the state before the update in progress */
	abi_s32 old_vcore;
	char name[MCP_DBG_NAME_LEN];
	/* version 2 */
	abi_u32 hold;			/* set by a debugger: the 2LS must not run it */
	abi_u32 held;			/* set by the 2LS: it is parked off the run queues */
};

struct mcp_dbg_vcore {
	abi_u64 cur_uthread;		/* id of the uthread it runs, 0 in vcore context */
	abi_u64 nr_switches;		/* uthreads it started or resumed */
	abi_u64 nr_steals;		/* uthreads it took from other vcores' queues */
};

struct mcp_dbg_desc {
	abi_u32 magic;			/* MCP_DBG_MAGIC */
	abi_u32 version;		/* MCP_DBG_VERSION */
	abi_u32 gen;			/* odd while a slot is added or freed */
	abi_u32 nr_uthreads;		/* slots in use */
	abi_u32 max_uthreads;		/* slots in the table */
	abi_u32 max_vcores;		/* entries in vcores */
	abi_u64 uthreads;		/* address of struct mcp_dbg_uthread[max_uthreads] */
	abi_u64 vcores;			/* address of struct mcp_dbg_vcore[max_vcores] */
	abi_u32 uthread_size;		/* sizeof(struct mcp_dbg_uthread), for forward compatibility */
	abi_u32 vcore_size;
};

#endif
