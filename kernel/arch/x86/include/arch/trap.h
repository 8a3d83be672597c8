/*
 * Trap frames, descriptor tables and vector numbers.
 *
 * Every interrupt, exception and (later) syscall entry saves the registers
 * as a struct hw_trapframe on the kernel stack; trap_dispatch() gets a
 * pointer to it.  Vectors 0-31 are CPU exceptions, 32-47 are legacy IRQs
 * routed through the IOAPIC, 0xF0-0xFE are IPIs and 0xFF is the LAPIC
 * spurious vector.
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#define GD_KT		0x08	/* kernel code */
#define GD_KD		0x10	/* kernel data */
#define GD_UT32		0x18	/* user 32-bit code (unused, SYSRET layout) */
#define GD_UD		0x20	/* user data */
#define GD_UT		0x28	/* user 64-bit code */
#define GD_TSS		0x30	/* TSS (two slots) */
#define GDT_ENTRIES	8

#define T_DIVIDE	0
#define T_DEBUG		1
#define T_NMI		2
#define T_BRKPT		3
#define T_OFLOW		4
#define T_BOUND		5
#define T_ILLOP		6
#define T_DEVICE	7
#define T_DBLFLT	8
#define T_TSS		10
#define T_SEGNP		11
#define T_STACK		12
#define T_GPFLT		13
#define T_PGFLT		14
#define T_FPERR		16
#define T_ALIGN		17
#define T_MCHK		18
#define T_SIMDERR	19
#define T_SYSCALL	0x100	/* pseudo trap number of the syscall entry */

#define IRQ_BASE	32
#define NR_IRQS		24
#define VEC_LAPIC_TIMER	0xEF
#define VEC_KMSG	0xF0	/* kernel message IPI */
#define VEC_RESCHED	0xF1
#define VEC_TEST	0xF2	/* used by ktests */
#define VEC_SPURIOUS	0xFF

#define IST_DBLFLT	1
#define IST_NMI		2
#define IST_MCHK	3

#ifdef __ASSEMBLER__
/*
 * Push the general registers in struct hw_trapframe order (rax ends up at
 * the lowest address); every entry path builds its frame with this.
 */
.macro PUSH_GPRS
	pushq	%r15
	pushq	%r14
	pushq	%r13
	pushq	%r12
	pushq	%r11
	pushq	%r10
	pushq	%r9
	pushq	%r8
	pushq	%rbp
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rbx
	pushq	%rax
.endm
#else
#include <kern/types.h>

struct hw_trapframe {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 gsbase_swapped;	/* nonzero if the entry path did swapgs */
	u64 trapno;
	u64 err;
	u64 rip, cs, rflags, rsp, ss;
};

/* True if the trap came from user mode. */
static inline bool tf_from_user(const struct hw_trapframe *tf)
{
	return (tf->cs & 3) == 3;
}

typedef void (*irq_handler_t)(struct hw_trapframe *tf, void *data);

/* Load this CPU's GDT, TSS (with IST stacks) and the shared IDT. */
void trap_init_cpu(int cpu);
/* Build the IDT (once, on the BSP). */
void idt_init(void);
/* Register handler for vector; returns 0 or -EBUSY. */
int register_irq_handler(int vector, irq_handler_t h, void *data);
/* Send vector's EOI after its handler (level-triggered sources): 0 or -EINVAL. */
int irq_set_eoi_last(int vector, bool last);
void trap_dispatch(struct hw_trapframe *tf);
void print_trapframe(const struct hw_trapframe *tf);
/* Kernel stack top for traps from user mode on this CPU. */
void set_kernel_stack(uintptr_t top);

/*
 * Hooks trap.c calls and other layers provide (trap.c has weak defaults,
 * so the arch layer links alone in tests).
 */
/* A fault in user mode: proc/trap_user.c turns it into a signal. */
void trap_user_exception(struct hw_trapframe *tf);
/* An NMI: debug/monitor.c serves backtrace requests; false if it was not ours. */
bool nmi_handler(struct hw_trapframe *tf);
#endif

#endif
