/*
 * ttrace record format, version 1: the one definition of what the kernel's
 * per-CPU trace buffers hold and what `ttrace dump` writes, shared by the
 * kernel (kernel/debug/ttrace_ring.c) and every tool in ttrace-tools/.
 *
 * Model.  Everything is a record: a 16-byte header (type, length in 8-byte
 * units, CPU, current thread, TSC timestamp) followed by a payload whose
 * layout the type fixes.  Records are 8-byte aligned and at most 2040
 * bytes; variable-length payloads (exec file names, printk lines, user
 * strings, name tables) end in a NUL-terminated string padded with NULs to
 * the record length.  A reader skips types it does not know by their length,
 * so new types need no version change; a change to an existing layout bumps
 * TTRACE_VERSION_MAJOR.
 *
 * A dump stream is one struct ttrace_stream_hdr followed by records:
 * first the name tables (TTRACE_REC_PROC_NAME, TTRACE_REC_SYSCALL_NAME),
 * then every CPU's events merged in timestamp order with TTRACE_REC_LOST
 * markers where events were lost, then one TTRACE_REC_CPU_STATS per CPU and
 * a final TTRACE_REC_END (its count lets a reader tell a complete stream
 * from a truncated one).  All integers are little-endian (x86-64).
 *
 * Only fixed-width types are used so the header compiles in the kernel and
 * next to the C library's headers on the host.
 */
#ifndef ABI_TTRACE_H
#define ABI_TTRACE_H

#include <abi/types.h>

#define TTRACE_MAGIC		"TTRACE\r\n"	/* 8 bytes, no NUL */
#define TTRACE_MAGIC_LEN	8
#define TTRACE_VERSION_MAJOR	1
#define TTRACE_VERSION_MINOR	0

#define TTRACE_COMM_LEN		16	/* NUL-padded, as Linux's TASK_COMM_LEN */
#define TTRACE_NAME_LEN		16	/* wait-object names */
#define TTRACE_SYSCALL_ARGS	4	/* syscall enter records the first four */
#define TTRACE_REC_ALIGN	8
#define TTRACE_REC_MAX		(255 * TTRACE_REC_ALIGN)	/* len8 is a u8 */

/*
 * Categories, each switchable at run time (`mask +sched -syscall`).
 * X(enum suffix, bit, name used on the ctl file and in tools)
 */
#define TTRACE_CATEGORIES(X)			\
	X(SCHED,	0, "sched")		\
	X(PROC,		1, "proc")		\
	X(SYSCALL,	2, "syscall")		\
	X(IRQ,		3, "irq")		\
	X(FAULT,	4, "fault")		\
	X(WAIT,		5, "wait")		\
	X(KMSG,		6, "kmsg")		\
	X(PRINTK,	7, "printk")		\
	X(USER,		8, "user")

#define TTRACE_CAT_ENUM_(n, bit, s)	TTRACE_CAT_##n = 1u << (bit),
enum ttrace_category {
	TTRACE_CATEGORIES(TTRACE_CAT_ENUM_)
	TTRACE_CAT_ALL = (1u << 9) - 1,
};
#undef TTRACE_CAT_ENUM_

/*
 * Record types.  X(enum suffix, value, category (0 = always present),
 * name the tools print).  Values are ABI: never renumber, only append.
 */
#define TTRACE_RECORDS(X)							\
	X(PAD,		0,	0,			"pad")			\
	X(SUBBUF,	1,	0,			"subbuf")		\
	X(LOST,		2,	0,			"lost")			\
	X(PROC_NAME,	3,	0,			"proc_name")		\
	X(SYSCALL_NAME,	4,	0,			"syscall_name")		\
	X(CPU_STATS,	5,	0,			"cpu_stats")		\
	X(END,		6,	0,			"end")			\
	X(SCHED_SWITCH,	16,	TTRACE_CAT_SCHED,	"sched_switch")		\
	X(SCHED_WAKEUP,	17,	TTRACE_CAT_SCHED,	"sched_wakeup")		\
	X(PROC_FORK,	24,	TTRACE_CAT_PROC,	"sched_process_fork")	\
	X(PROC_EXEC,	25,	TTRACE_CAT_PROC,	"sched_process_exec")	\
	X(PROC_EXIT,	26,	TTRACE_CAT_PROC,	"sched_process_exit")	\
	X(SYS_ENTER,	32,	TTRACE_CAT_SYSCALL,	"sys_enter")		\
	X(SYS_EXIT,	33,	TTRACE_CAT_SYSCALL,	"sys_exit")		\
	X(IRQ_ENTER,	40,	TTRACE_CAT_IRQ,		"irq_handler_entry")	\
	X(IRQ_EXIT,	41,	TTRACE_CAT_IRQ,		"irq_handler_exit")	\
	X(EXC_ENTER,	42,	TTRACE_CAT_IRQ,		"exception_entry")	\
	X(EXC_EXIT,	43,	TTRACE_CAT_IRQ,		"exception_exit")	\
	X(PAGE_FAULT,	48,	TTRACE_CAT_FAULT,	"page_fault")		\
	X(WAIT_SLEEP,	56,	TTRACE_CAT_WAIT,	"wait_sleep")		\
	X(WAIT_WAKE,	57,	TTRACE_CAT_WAIT,	"wait_wake")		\
	X(KMSG_SEND,	64,	TTRACE_CAT_KMSG,	"kmsg_send")		\
	X(KMSG_RUN,	65,	TTRACE_CAT_KMSG,	"kmsg_run")		\
	X(PRINTK,	72,	TTRACE_CAT_PRINTK,	"printk")		\
	X(USER,		80,	TTRACE_CAT_USER,	"user")

#define TTRACE_REC_ENUM_(n, v, c, s)	TTRACE_REC_##n = (v),
enum ttrace_rec_type {
	TTRACE_RECORDS(TTRACE_REC_ENUM_)
};
#undef TTRACE_REC_ENUM_

/* The header of every record (16 bytes). */
struct ttrace_rec {
	abi_u8 type;		/* enum ttrace_rec_type */
	abi_u8 len8;		/* record length / 8, header included; >= 1 */
	abi_u16 cpu;		/* CPU the event happened on */
	abi_u32 tid;		/* thread running then (0: idle / kernel) */
	abi_u64 tsc;		/* TSC at the event; per CPU never decreasing */
};

/*
 * Thread states as Linux's sched_switch reports prev_state (TASK_REPORT
 * bits), so the exports need no translation.
 */
#define TTRACE_STATE_RUNNING		0x00	/* R: preempted */
#define TTRACE_STATE_INTERRUPTIBLE	0x01	/* S */
#define TTRACE_STATE_UNINTERRUPTIBLE	0x02	/* D */
#define TTRACE_STATE_STOPPED		0x04	/* T */
#define TTRACE_STATE_DEAD		0x10	/* X */
#define TTRACE_STATE_ZOMBIE		0x20	/* Z */

/* TTRACE_REC_SCHED_SWITCH: prev stops running on rec.cpu, next starts. */
struct ttrace_sched_switch {
	abi_u32 prev_tid;
	abi_u32 prev_pid;
	abi_u32 next_tid;
	abi_u32 next_pid;
	abi_s32 prev_prio;
	abi_s32 next_prio;
	abi_u32 prev_state;	/* TTRACE_STATE_* */
	abi_u32 reserved;
	char prev_comm[TTRACE_COMM_LEN];
	char next_comm[TTRACE_COMM_LEN];
};

/* TTRACE_REC_SCHED_WAKEUP: tid becomes runnable, queued on target_cpu. */
struct ttrace_sched_wakeup {
	abi_u32 tid;
	abi_u32 pid;
	abi_s32 prio;
	abi_u32 target_cpu;
	char comm[TTRACE_COMM_LEN];
};

/* TTRACE_REC_PROC_FORK: parent created child (a process or a thread). */
struct ttrace_proc_fork {
	abi_u32 parent_tid;
	abi_u32 parent_pid;
	abi_u32 child_tid;
	abi_u32 child_pid;
	char parent_comm[TTRACE_COMM_LEN];
	char child_comm[TTRACE_COMM_LEN];
};

/* TTRACE_REC_PROC_EXEC: tid now runs filename (string to record end). */
struct ttrace_proc_exec {
	abi_u32 tid;
	abi_u32 pid;
	char filename[];
};

/* TTRACE_REC_PROC_EXIT: tid exits with code (wait status). */
struct ttrace_proc_exit {
	abi_u32 tid;
	abi_u32 pid;
	abi_s32 code;
	abi_u32 reserved;
	char comm[TTRACE_COMM_LEN];
};

/* TTRACE_REC_SYS_ENTER: current thread enters syscall nr (Linux numbers). */
struct ttrace_sys_enter {
	abi_u32 nr;
	abi_u32 reserved;
	abi_u64 args[TTRACE_SYSCALL_ARGS];
};

/* TTRACE_REC_SYS_EXIT: syscall nr returns ret (negative errno on failure). */
struct ttrace_sys_exit {
	abi_u32 nr;
	abi_u32 reserved;
	abi_s64 ret;
};

/* TTRACE_REC_IRQ_ENTER / TTRACE_REC_IRQ_EXIT: a device or IPI vector. */
struct ttrace_irq {
	abi_u32 vector;
	abi_s32 ret;		/* exit: 1 handled, 0 not; enter: 0 */
};

/* TTRACE_REC_EXC_ENTER / TTRACE_REC_EXC_EXIT: a CPU exception (0..31). */
struct ttrace_exc {
	abi_u32 vector;
	abi_u32 error_code;
	abi_u64 ip;
};

/* TTRACE_REC_PAGE_FAULT: a fault at addr from ip, resolved with result. */
struct ttrace_page_fault {
	abi_u64 addr;
	abi_u64 ip;
	abi_u32 error_code;	/* x86 #PF error code bits */
	abi_s32 result;		/* 0 resolved, negative errno if not */
};

/* Kinds of wait object. */
#define TTRACE_WAIT_SEM		1
#define TTRACE_WAIT_WAITQ	2
#define TTRACE_WAIT_MUTEX	3

/*
 * TTRACE_REC_WAIT_SLEEP: the current thread blocks on obj.
 * TTRACE_REC_WAIT_WAKE: the current thread wakes tid (0: all) from obj.
 */
struct ttrace_wait {
	abi_u64 obj;		/* kernel address of the object */
	abi_u32 kind;		/* TTRACE_WAIT_* */
	abi_u32 tid;
	char name[TTRACE_NAME_LEN];
};

/* Kinds of kernel message (cross-core call). */
#define TTRACE_KMSG_IMMEDIATE	1
#define TTRACE_KMSG_ROUTINE	2

/* TTRACE_REC_KMSG_SEND (on src_cpu) / TTRACE_REC_KMSG_RUN (on dst_cpu). */
struct ttrace_kmsg {
	abi_u32 src_cpu;
	abi_u32 dst_cpu;
	abi_u32 kind;		/* TTRACE_KMSG_* */
	abi_u32 reserved;
	abi_u64 fn;		/* handler address */
	abi_u64 arg;
};

/* TTRACE_REC_PRINTK: one log line (no trailing newline). */
struct ttrace_printk {
	abi_u32 level;
	abi_u32 reserved;
	char text[];
};

/* TTRACE_REC_USER: written through #ttrace/user; id 0 for a string event. */
struct ttrace_user {
	abi_u32 id;
	abi_u32 reserved;
	char text[];
};

/* Causes of loss. */
#define TTRACE_LOST_DROPPED		1	/* the writer found no room */
#define TTRACE_LOST_OVERWRITTEN		2	/* overwritten before it was read */

/*
 * TTRACE_REC_LOST: count events of rec.cpu were lost just before this
 * point; rec.tsc is the time of the first event kept after the loss.
 */
struct ttrace_lost {
	abi_u64 count;
	abi_u32 cause;		/* TTRACE_LOST_* */
	abi_u32 reserved;
};

/* TTRACE_REC_SUBBUF: ring-internal start of a sub-buffer (never dumped). */
struct ttrace_subbuf {
	abi_u64 first_seq;	/* events (kept or lost) before this sub-buffer */
};

/* TTRACE_REC_PROC_NAME (dump name table): a live or recently seen thread. */
struct ttrace_proc_name {
	abi_u32 tid;
	abi_u32 pid;
	char comm[TTRACE_COMM_LEN];
};

/* TTRACE_REC_SYSCALL_NAME (dump name table): name of syscall nr. */
struct ttrace_syscall_name {
	abi_u32 nr;
	abi_u32 reserved;
	char name[];
};

/* TTRACE_REC_CPU_STATS (dump trailer, one per CPU, rec.cpu). */
struct ttrace_cpu_stats {
	abi_u64 written;	/* events recorded */
	abi_u64 lost;		/* events lost, all causes */
	abi_u64 size;		/* buffer bytes */
};

/* TTRACE_REC_END: last record; records = records before it, header excluded. */
struct ttrace_end {
	abi_u64 records;
};

/* Buffer modes. */
#define TTRACE_MODE_OVERWRITE	1	/* flight recorder: keep the newest */
#define TTRACE_MODE_DISCARD	2	/* keep the oldest, drop new events */

/* Stream flags. */
#define TTRACE_F_TSC_INVARIANT	0x1	/* CPUID says the TSC is invariant */

/* The start of a dump stream (64 bytes). */
struct ttrace_stream_hdr {
	char magic[TTRACE_MAGIC_LEN];	/* TTRACE_MAGIC */
	abi_u16 version_major;
	abi_u16 version_minor;
	abi_u16 hdr_size;		/* sizeof(struct ttrace_stream_hdr) */
	abi_u16 ncpus;
	abi_u32 categories;		/* enum ttrace_category mask enabled */
	abi_u32 mode;			/* TTRACE_MODE_* */
	abi_u64 tsc_hz;		/* TSC ticks per second */
	abi_u64 anchor_tsc;		/* a TSC value ... */
	abi_u64 anchor_wall_ns;	/* ... and the wall clock then (ns since 1970) */
	abi_u32 buf_size;		/* per-CPU buffer bytes */
	abi_u32 flags;			/* TTRACE_F_* */
	abi_u64 reserved;
};

#define TTRACE_REC_LEN(payload)	\
	((abi_u32)((sizeof(struct ttrace_rec) + (payload) + 7) & ~7u))

_Static_assert(sizeof(struct ttrace_rec) == 16, "ttrace_rec layout");
_Static_assert(sizeof(struct ttrace_sched_switch) == 64, "sched_switch layout");
_Static_assert(sizeof(struct ttrace_stream_hdr) == 64, "stream header layout");

#endif
