/*
 * Signal handler frames, in the Linux x86-64 layout glibc expects: on the
 * user stack (or the sigaltstack) below the red zone, the FPU state
 * (64-byte aligned, XSAVE/FXSAVE image), then struct abi_rt_sigframe with
 * the return address sa_restorer (glibc's __restore_rt, which calls
 * rt_sigreturn), the ucontext (registers, signal mask, altstack) and the
 * siginfo.  The handler starts with rdi = sig, rsi = &info, rdx = &uc and
 * an ABI-aligned stack.  rt_sigreturn validates and restores all of it.
 */
#include <kern/signal.h>
#include <kern/sched.h>
#include <kern/proc.h>
#include <kern/uaccess.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kern/fpu_state.h>
#include "internal.h"

#define FPU_SIG_MAX	4096
#define RED_ZONE	128
/* rflags bits user code may change through sigreturn: CF PF AF ZF SF TF DF OF AC RF... */
#define FLAGS_USER_MASK	0x40dd5ULL

static bool on_altstack(const struct task *t, uintptr_t sp)
{
	return t->altstack.ss_size && sp > t->altstack.ss_sp &&
	       sp - t->altstack.ss_sp <= t->altstack.ss_size;
}

void siginfo_fill(struct abi_siginfo *si, int sig, const struct ksiginfo *k)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = k->code;
	if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP) {
		si->fault.addr = k->addr;
	} else {
		si->kill.pid = k->pid;
		si->kill.uid = k->uid;
		si->kill.status = k->status;
	}
}

bool setup_sigframe(struct hw_trapframe *tf, int sig, const struct abi_sigaction *ka,
		    const struct ksiginfo *info)
{
	struct task *t = current();
	static u8 fpbuf_storage[64][FPU_SIG_MAX] __aligned(64);
	u8 *fpbuf = fpbuf_storage[core_id()];
	size_t fpsize = arch_fpu_sig_size();
	struct abi_rt_sigframe f;
	uintptr_t sp = tf->rsp, fpaddr, fa;

	if (!(ka->flags & SA_RESTORER) || fpsize > FPU_SIG_MAX)
		return false;
	if ((ka->flags & SA_ONSTACK) && t->altstack.ss_size && !on_altstack(t, sp))
		sp = t->altstack.ss_sp + t->altstack.ss_size;
	else
		sp -= RED_ZONE;
	fpaddr = (sp - fpsize) & ~63ULL;
	fa = fpaddr - sizeof(f);
	fa = ((fa + 8) & ~15ULL) - 8;	/* at handler entry, (rsp + 8) is 16-aligned */

	memset(&f, 0, sizeof(f));
	f.pretcode = ka->restorer;
	f.uc.uc_stack.ss_sp = t->altstack.ss_sp;
	f.uc.uc_stack.ss_size = t->altstack.ss_size;
	f.uc.uc_stack.ss_flags = t->altstack.ss_size ? (on_altstack(t, tf->rsp) ? SS_ONSTACK : 0)
						     : SS_DISABLE;
	struct abi_sigcontext *sc = &f.uc.uc_mcontext;
	sc->r8 = tf->r8; sc->r9 = tf->r9; sc->r10 = tf->r10; sc->r11 = tf->r11;
	sc->r12 = tf->r12; sc->r13 = tf->r13; sc->r14 = tf->r14; sc->r15 = tf->r15;
	sc->rdi = tf->rdi; sc->rsi = tf->rsi; sc->rbp = tf->rbp; sc->rbx = tf->rbx;
	sc->rdx = tf->rdx; sc->rax = tf->rax; sc->rcx = tf->rcx; sc->rsp = tf->rsp;
	sc->rip = tf->rip; sc->eflags = tf->rflags;
	sc->cs = tf->cs; sc->ss = tf->ss;
	sc->trapno = tf->trapno == T_SYSCALL ? 0 : tf->trapno;
	sc->err = tf->trapno == T_SYSCALL ? 0 : tf->err;
	sc->cr2 = info->addr;
	sc->fpstate = fpaddr;
	sc->oldmask = t->restore_sigmask ? t->saved_sigmask : t->sigmask;
	f.uc.uc_sigmask = sc->oldmask;
	siginfo_fill(&f.info, sig, info);

	arch_fpu_sigsave(fpbuf);
	if (copy_to_user((void *)fpaddr, fpbuf, fpsize) || copy_to_user((void *)fa, &f, sizeof(f)))
		return false;
	tf->rip = ka->handler;
	tf->rsp = fa;
	tf->rdi = sig;
	tf->rsi = fa + __builtin_offsetof(struct abi_rt_sigframe, info);
	tf->rdx = fa + __builtin_offsetof(struct abi_rt_sigframe, uc);
	tf->rax = 0;
	tf->rflags &= ~(0x100ULL | 0x400ULL);	/* TF, DF */
	return true;
}

long sys_rt_sigreturn_frame(struct hw_trapframe *tf)
{
	struct task *t = current();
	static u8 fpbuf_storage[64][FPU_SIG_MAX] __aligned(64);
	u8 *fpbuf = fpbuf_storage[core_id()];
	uintptr_t fa = tf->rsp - 8;
	struct abi_rt_sigframe f;
	struct abi_sigcontext *sc = &f.uc.uc_mcontext;

	if (copy_from_user(&f, (void *)fa, sizeof(f)))
		goto bad;
	if (sc->fpstate) {
		if (copy_from_user(fpbuf, (void *)sc->fpstate, arch_fpu_sig_size()) ||
		    !arch_fpu_sigrestore(fpbuf))
			goto bad;
	}
	tf->r8 = sc->r8; tf->r9 = sc->r9; tf->r10 = sc->r10; tf->r11 = sc->r11;
	tf->r12 = sc->r12; tf->r13 = sc->r13; tf->r14 = sc->r14; tf->r15 = sc->r15;
	tf->rdi = sc->rdi; tf->rsi = sc->rsi; tf->rbp = sc->rbp; tf->rbx = sc->rbx;
	tf->rdx = sc->rdx; tf->rax = sc->rax; tf->rcx = sc->rcx; tf->rsp = sc->rsp;
	tf->rip = sc->rip;
	tf->rflags = (tf->rflags & ~FLAGS_USER_MASK) | (sc->eflags & FLAGS_USER_MASK);
	tf->cs = GD_UT | 3;
	tf->ss = GD_UD | 3;
	/* A restored rip must be canonical or iretq would fault in the kernel. */
	if (tf->rip >= 0x0000800000000000ULL)
		goto bad;
	t->sigmask = f.uc.uc_sigmask & ~SIG_UNBLOCKABLE;
	tf->trapno = 0;		/* not a syscall return any more: no restart logic */
	return tf->rax;
bad:
	force_signal(SIGSEGV, SI_KERNEL, 0);
	return tf->rax;
}
