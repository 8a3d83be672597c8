/*
 * Registers of a stopped thread as debuggers see them, and the records of
 * the process-debugging interface.  struct abi_user_regs is Linux's
 * struct user_regs_struct (sys/user.h, arch/x86/include/asm/user_64.h);
 * struct abi_user_fpregs is its struct user_fpregs_struct (the 512-byte
 * FXSAVE image).  /proc/PID/task/TID/regs and fpregs read and write them.
 *
 * The debug interface (ours: docs/debugging.md) adds the debug register
 * numbers below; its ctl commands and dbg events are text.
 */
#ifndef ABI_PTRACE_H
#define ABI_PTRACE_H

#include <abi/types.h>

struct abi_user_regs {
	abi_u64 r15, r14, r13, r12, rbp, rbx, r11, r10;
	abi_u64 r9, r8, rax, rcx, rdx, rsi, rdi, orig_rax;
	abi_u64 rip, cs, eflags, rsp, ss;
	abi_u64 fs_base, gs_base, ds, es, fs, gs;
};

struct abi_user_fpregs {
	abi_u16 cwd, swd, ftw, fop;
	abi_u64 rip, rdp;
	abi_u32 mxcsr, mxcr_mask;
	abi_u32 st_space[32];	/* 8 registers, 16 bytes each */
	abi_u32 xmm_space[64];	/* 16 registers, 16 bytes each */
	abi_u32 padding[24];
};

/* prctl(2) PR_SET_DUMPABLE / PR_GET_DUMPABLE (uapi/linux/prctl.h). */
#ifndef PR_GET_DUMPABLE
#define PR_GET_DUMPABLE	3
#endif
#ifndef PR_SET_DUMPABLE
#define PR_SET_DUMPABLE	4
#endif

/* Debug status (DR6) and control (DR7) bits the interface reports and takes. */
#define ABI_DR6_B(n)		(1u << (n))	/* slot n matched */
#define ABI_DR6_BS		(1u << 14)	/* single step */
#define ABI_DR_SLOTS		4
#define ABI_DR7_ENABLE(n)	(1u << ((n) * 2))	/* local enable of slot n */
#define ABI_DR7_RW(n, rw)	((unsigned)(rw) << (16 + (n) * 4))	/* 0 exec, 1 write, 3 rw */
#define ABI_DR7_LEN(n, len)	((unsigned)(len) << (18 + (n) * 4))	/* 0:1 1:2 3:4 2:8 bytes */

#endif
