/*
 * Exceptions raised by user code.  Page faults are first offered to the
 * address space (demand paging, copy-on-write, stack growth); whatever is
 * left becomes the signal Linux would send, with the same si_code and
 * si_addr, and the signal code decides what happens (handler or default
 * action).  Also the reschedule IPI, which only needs to interrupt.
 */
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/uvm.h>
#include <kern/printk.h>
#include <kern/errno.h>
#include <kern/bootinfo.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kern/pmm.h>
#include <kern/procdbg.h>

#define PF_PRESENT	0x1
#define PF_WRITE	0x2
#define PF_INSTR	0x10

static void user_page_fault(struct hw_trapframe *tf)
{
	uintptr_t addr = read_cr2();
	struct proc *p = current_proc();
	int ff = FAULT_USER | (tf->err & PF_WRITE ? FAULT_WRITE : 0) |
		 (tf->err & PF_INSTR ? FAULT_EXEC : 0) | (tf->err & PF_PRESENT ? FAULT_PRESENT : 0);
	int err;

	sti();
	err = uvm_handle_fault(p->mm, addr, ff);
	if (!err)
		return;
	if (err == -ENOMEM && oom_kill()) {
		/* Someone is being killed: retry the access once memory is back. */
		if (!signal_pending(current()))
			sleep_ns(10000000);
		return;
	}
	if (cmdline_has("segvlog"))
		printk("segfault: pid %d (%s) at %lx rip %llx err %llx\n", p->pid, p->comm,
		       (unsigned long)addr, tf->rip, tf->err);
	if (err == -ENXIO)	/* mapped file page past EOF */
		force_signal(SIGBUS, 2 /* BUS_ADRERR */, addr);
	else
		force_signal(err == -ENOMEM ? SIGBUS : SIGSEGV,
			     (tf->err & PF_PRESENT) ? SEGV_ACCERR : SEGV_MAPERR, addr);
}

void trap_user_exception(struct hw_trapframe *tf)
{
	switch (tf->trapno) {
	case T_PGFLT:
		user_page_fault(tf);
		break;
	case T_DIVIDE:
		force_signal(SIGFPE, FPE_INTDIV, tf->rip);
		break;
	case T_DEBUG:
	case T_BRKPT:
		if (procdbg_trap(tf))
			break;	/* the thread parks for its debugger */
		force_signal(SIGTRAP, TRAP_BRKPT, tf->rip);
		break;
	case T_ILLOP:
		force_signal(SIGILL, ILL_ILLOPN, tf->rip);
		break;
	case T_FPERR:
	case T_SIMDERR:
		force_signal(SIGFPE, 0, tf->rip);
		break;
	case T_ALIGN:
		force_signal(SIGBUS, 1 /* BUS_ADRALN */, tf->rip);
		break;
	case T_GPFLT:
	case T_SEGNP:
	case T_STACK:
	default:
		force_signal(SIGSEGV, SI_KERNEL, 0);
		break;
	}
}

static void resched_ipi(struct hw_trapframe *tf, void *data)
{
	(void)tf;
	(void)data;
	/* Nothing to do: the interrupt itself wakes an idle CPU. */
}

/* Register the reschedule IPI vector (BSP, once). */
void sched_ipi_init(void)
{
	register_irq_handler(VEC_RESCHED, resched_ipi, NULL);
}
