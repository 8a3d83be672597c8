/*
 * Linux x86-64 signal ABI: numbers, sigaction flags, and the layouts the
 * kernel shares with user space (struct k_sigaction as rt_sigaction takes
 * it, siginfo, stack_t, and the rt_sigframe/ucontext/sigcontext that a
 * handler receives and rt_sigreturn consumes).
 */
#ifndef ABI_SIGNAL_H
#define ABI_SIGNAL_H

#include <stdint.h>

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32
#define NSIG		64

#define SIG_DFL		0UL
#define SIG_IGN		1UL

#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

#define SS_ONSTACK	1
#define SS_DISABLE	2
#define MINSIGSTKSZ	2048

/* si_code values */
#define SI_USER		0
#define SI_KERNEL	0x80
#define SI_TKILL	(-6)
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define ILL_ILLOPN	2
#define FPE_INTDIV	1
#define TRAP_BRKPT	1
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3

struct abi_sigaction {		/* the kernel's struct sigaction for rt_sigaction */
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

struct abi_siginfo {		/* 128 bytes */
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t pad0;
	union {
		struct {
			int32_t pid;
			uint32_t uid;
			int32_t status;		/* SIGCHLD */
			int32_t pad;
			int64_t utime, stime;
		} kill;
		struct {
			uint64_t addr;		/* SIGSEGV/SIGBUS/SIGILL/SIGFPE */
		} fault;
		uint8_t raw[112];
	};
};

struct abi_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

struct abi_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;		/* user pointer to the saved FPU state */
	uint64_t reserved1[8];
};

struct abi_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct abi_stack uc_stack;
	struct abi_sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

struct abi_rt_sigframe {
	uint64_t pretcode;		/* the handler "returns" to sa_restorer */
	struct abi_ucontext uc;
	struct abi_siginfo info;
	/* the FPU state follows, 64-byte aligned */
};

#endif
