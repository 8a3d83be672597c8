/*
 * Linux x86-64 signal ABI: numbers, sigaction flags, and the layouts the
 * kernel shares with user space (struct k_sigaction as rt_sigaction takes
 * it, siginfo, stack_t, and the rt_sigframe/ucontext/sigcontext that a
 * handler receives and rt_sigreturn consumes).  Mirrors Linux's
 * asm/signal.h, asm-generic/signal-defs.h, asm-generic/siginfo.h and
 * asm/sigcontext.h + asm/ucontext.h (x86-64).  Constants the C library
 * also defines are guarded (abi/types.h has the rules).
 */
#ifndef ABI_SIGNAL_H
#define ABI_SIGNAL_H

#include <abi/types.h>

#ifndef SIGHUP
#define SIGHUP		1
#endif
#ifndef SIGINT
#define SIGINT		2
#endif
#ifndef SIGQUIT
#define SIGQUIT		3
#endif
#ifndef SIGILL
#define SIGILL		4
#endif
#ifndef SIGTRAP
#define SIGTRAP		5
#endif
#ifndef SIGABRT
#define SIGABRT		6
#endif
#ifndef SIGBUS
#define SIGBUS		7
#endif
#ifndef SIGFPE
#define SIGFPE		8
#endif
#ifndef SIGKILL
#define SIGKILL		9
#endif
#ifndef SIGUSR1
#define SIGUSR1		10
#endif
#ifndef SIGSEGV
#define SIGSEGV		11
#endif
#ifndef SIGUSR2
#define SIGUSR2		12
#endif
#ifndef SIGPIPE
#define SIGPIPE		13
#endif
#ifndef SIGALRM
#define SIGALRM		14
#endif
#ifndef SIGTERM
#define SIGTERM		15
#endif
#ifndef SIGSTKFLT
#define SIGSTKFLT	16
#endif
#ifndef SIGCHLD
#define SIGCHLD		17
#endif
#ifndef SIGCONT
#define SIGCONT		18
#endif
#ifndef SIGSTOP
#define SIGSTOP		19
#endif
#ifndef SIGTSTP
#define SIGTSTP		20
#endif
#ifndef SIGTTIN
#define SIGTTIN		21
#endif
#ifndef SIGTTOU
#define SIGTTOU		22
#endif
#ifndef SIGURG
#define SIGURG		23
#endif
#ifndef SIGXCPU
#define SIGXCPU		24
#endif
#ifndef SIGXFSZ
#define SIGXFSZ		25
#endif
#ifndef SIGVTALRM
#define SIGVTALRM	26
#endif
#ifndef SIGPROF
#define SIGPROF		27
#endif
#ifndef SIGWINCH
#define SIGWINCH	28
#endif
#ifndef SIGIO
#define SIGIO		29
#endif
#ifndef SIGPWR
#define SIGPWR		30
#endif
#ifndef SIGSYS
#define SIGSYS		31
#endif
/*
 * Named ABI_ because the C library's differ: glibc's SIGRTMIN is a call
 * (it keeps the first real-time signals for itself), its NSIG is 65 (one
 * past the highest signal) and its SIG_DFL/SIG_IGN are handler pointers.
 * kern/signal.h gives the kernel the plain names.
 */
#define ABI_SIGRTMIN	32		/* first real-time signal the kernel knows */
#define ABI_NSIG	64		/* highest signal number (Linux _NSIG) */
#define ABI_SIG_DFL	0UL		/* sa_handler values, as integers */
#define ABI_SIG_IGN	1UL

#ifndef SA_NOCLDSTOP
#define SA_NOCLDSTOP	0x00000001
#endif
#ifndef SA_NOCLDWAIT
#define SA_NOCLDWAIT	0x00000002
#endif
#ifndef SA_SIGINFO
#define SA_SIGINFO	0x00000004
#endif
#ifndef SA_RESTORER
#define SA_RESTORER	0x04000000
#endif
#ifndef SA_ONSTACK
#define SA_ONSTACK	0x08000000
#endif
#ifndef SA_RESTART
#define SA_RESTART	0x10000000
#endif
#ifndef SA_NODEFER
#define SA_NODEFER	0x40000000
#endif
#ifndef SA_RESETHAND
#define SA_RESETHAND	0x80000000
#endif

#ifndef SIG_BLOCK
#define SIG_BLOCK	0
#endif
#ifndef SIG_UNBLOCK
#define SIG_UNBLOCK	1
#endif
#ifndef SIG_SETMASK
#define SIG_SETMASK	2
#endif

#ifndef SS_ONSTACK
#define SS_ONSTACK	1
#endif
#ifndef SS_DISABLE
#define SS_DISABLE	2
#endif
#ifndef MINSIGSTKSZ
#define MINSIGSTKSZ	2048
#endif

/* si_code values */
#ifndef SI_USER
#define SI_USER		0
#endif
#ifndef SI_KERNEL
#define SI_KERNEL	0x80
#endif
#ifndef SI_TKILL
#define SI_TKILL	(-6)
#endif
#ifndef SEGV_MAPERR
#define SEGV_MAPERR	1
#endif
#ifndef SEGV_ACCERR
#define SEGV_ACCERR	2
#endif
#ifndef ILL_ILLOPN
#define ILL_ILLOPN	2
#endif
#ifndef FPE_INTDIV
#define FPE_INTDIV	1
#endif
#ifndef TRAP_BRKPT
#define TRAP_BRKPT	1
#endif
#ifndef CLD_EXITED
#define CLD_EXITED	1
#endif
#ifndef CLD_KILLED
#define CLD_KILLED	2
#endif
#ifndef CLD_DUMPED
#define CLD_DUMPED	3
#endif

struct abi_sigaction {		/* the kernel's struct sigaction for rt_sigaction */
	abi_u64 handler;
	abi_u64 flags;
	abi_u64 restorer;
	abi_u64 mask;
};

struct abi_siginfo {		/* 128 bytes */
	abi_s32 si_signo;
	abi_s32 si_errno;
	abi_s32 si_code;
	abi_s32 pad0;
	union {
		struct {
			abi_s32 pid;
			abi_u32 uid;
			abi_s32 status;		/* SIGCHLD */
			abi_s32 pad;
			abi_s64 utime, stime;
		} kill;
		struct {
			abi_u64 addr;		/* SIGSEGV/SIGBUS/SIGILL/SIGFPE */
		} fault;
		abi_u8 raw[112];
	};
};

struct abi_stack {
	abi_u64 ss_sp;
	abi_s32 ss_flags;
	abi_s32 pad;
	abi_u64 ss_size;
};

struct abi_sigcontext {
	abi_u64 r8, r9, r10, r11, r12, r13, r14, r15;
	abi_u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	abi_u16 cs, gs, fs, ss;
	abi_u64 err, trapno, oldmask, cr2;
	abi_u64 fpstate;		/* user pointer to the saved FPU state */
	abi_u64 reserved1[8];
};

struct abi_ucontext {
	abi_u64 uc_flags;
	abi_u64 uc_link;
	struct abi_stack uc_stack;
	struct abi_sigcontext uc_mcontext;
	abi_u64 uc_sigmask;
};

struct abi_rt_sigframe {
	abi_u64 pretcode;		/* the handler "returns" to sa_restorer */
	struct abi_ucontext uc;
	struct abi_siginfo info;
	/* the FPU state follows, 64-byte aligned */
};

#endif
