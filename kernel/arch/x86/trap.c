/*
 * IDT, per-CPU GDT/TSS and the C side of trap handling.
 *
 * One IDT is shared by all CPUs; each CPU has its own GDT (because the TSS
 * descriptor points at its own TSS) and a TSS whose IST slots give #DF,
 * NMI and #MC private stacks, so they work even when the kernel stack is
 * gone.  trap_dispatch() sends registered vectors (IRQs, IPIs) to their
 * handlers and treats everything else as an exception: a kernel-mode
 * exception prints a register dump and a symbolized backtrace and panics.
 * User-mode exceptions are handed to trap_user_exception (the process
 * layer turns them into signals).
 */
#include <arch/trap.h>
#include <arch/x86.h>
#include <arch/apic.h>
#include <kern/percpu.h>
#include <kern/printk.h>
#include <kern/kdebug.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/monitor.h>
#include <kern/memlayout.h>
#include <kern/sched.h>
#include <kern/proc.h>
#include <kern/uvm.h>
#include <kern/uaccess.h>
#include <kern/ttrace.h>
#include <kern/procdbg.h>
#include "internal.h"

struct gate {
	u16 off_lo, sel;
	u8 ist, type;
	u16 off_mid;
	u32 off_hi, zero;
} __packed;

struct tss {
	u32 rsvd0;
	u64 rsp[3];
	u64 rsvd1;
	u64 ist[7];
	u64 rsvd2;
	u16 rsvd3, iomap_base;
} __packed;

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

#define IST_STACK_SIZE	8192

static struct gate idt[256] __aligned(16);
static u64 gdt[MAX_CPUS][GDT_ENTRIES] __aligned(16);
static struct tss tss[MAX_CPUS] __aligned(16);
static u8 ist_stacks[MAX_CPUS][3][IST_STACK_SIZE] __aligned(16);

/* Registered handlers; written at init time before the vector can fire. */
static struct {
	irq_handler_t fn;
	void *data;
	bool eoi_last;		/* level-triggered: EOI after fn (Linux's fasteoi flow) */
} handlers[256];

static const char *const exc_names[32] = {
	"Divide error", "Debug", "NMI", "Breakpoint", "Overflow", "BOUND range",
	"Invalid opcode", "Device not available", "Double fault", "Coprocessor overrun",
	"Invalid TSS", "Segment not present", "Stack fault", "General protection",
	"Page fault", "(reserved)", "x87 FP error", "Alignment check", "Machine check",
	"SIMD FP error", "Virtualization", "Control protection",
};

static void set_gate(int vec, void *fn, int ist, int dpl)
{
	uintptr_t a = (uintptr_t)fn;

	idt[vec] = (struct gate){
		.off_lo = a & 0xffff, .sel = GD_KT, .ist = ist,
		.type = 0x8E | (dpl << 5), .off_mid = (a >> 16) & 0xffff,
		.off_hi = a >> 32, .zero = 0,
	};
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		set_gate(v, trap_stubs + 16 * v, 0, 0);
	set_gate(T_DBLFLT, trap_stubs + 16 * T_DBLFLT, IST_DBLFLT, 0);
	set_gate(T_NMI, trap_stubs + 16 * T_NMI, IST_NMI, 0);
	set_gate(T_MCHK, trap_stubs + 16 * T_MCHK, IST_MCHK, 0);
	/* int3 and into may be used from user mode (debuggers). */
	set_gate(T_BRKPT, trap_stubs + 16 * T_BRKPT, 0, 3);
	set_gate(T_OFLOW, trap_stubs + 16 * T_OFLOW, 0, 3);
}

void trap_init_cpu(int cpu)
{
	u64 *g = gdt[cpu];
	struct tss *t = &tss[cpu];
	uintptr_t ta = (uintptr_t)t;
	struct desc_ptr gp = { sizeof(gdt[cpu]) - 1, (uintptr_t)g };
	struct desc_ptr ip = { sizeof(idt) - 1, (uintptr_t)idt };

	memset(t, 0, sizeof(*t));
	for (int i = 0; i < 3; i++)
		t->ist[i] = (uintptr_t)&ist_stacks[cpu][i][IST_STACK_SIZE];
	t->iomap_base = sizeof(*t);
	g[0] = 0;
	g[GD_KT / 8] = 0x00af9a000000ffffULL;
	g[GD_KD / 8] = 0x00cf92000000ffffULL;
	g[GD_UT32 / 8] = 0x00cffa000000ffffULL;
	g[GD_UD / 8] = 0x00cff2000000ffffULL;
	g[GD_UT / 8] = 0x00affa000000ffffULL;
	g[GD_TSS / 8] = (sizeof(*t) - 1) | ((ta & 0xffffff) << 16) | (0x89ULL << 40) |
			(((ta >> 24) & 0xff) << 56);
	g[GD_TSS / 8 + 1] = ta >> 32;
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"ltr %w3\n\t"
		"lidt %4"
		: : "m"(gp), "i"(GD_KT), "r"(GD_KD), "r"(GD_TSS), "m"(ip) : "rax", "memory");
}

void set_kernel_stack(uintptr_t top)
{
	tss[core_id()].rsp[0] = top;
	this_cpu_write(percpu_first.kstack_top, top);
}

int register_irq_handler(int vector, irq_handler_t h, void *data)
{
	if (vector < IRQ_BASE || vector > 255)
		return -EINVAL;
	if (handlers[vector].fn)
		return -EBUSY;
	handlers[vector].data = data;
	WRITE_ONCE(handlers[vector].fn, h);
	return 0;
}

int irq_set_eoi_last(int vector, bool last)
{
	if (vector < IRQ_BASE || vector > 255)
		return -EINVAL;
	WRITE_ONCE(handlers[vector].eoi_last, last);
	return 0;
}

void print_trapframe(const struct hw_trapframe *tf)
{
	const char *name = tf->trapno < 32 ? exc_names[tf->trapno] : "Interrupt";
	uintptr_t off;
	const char *sym = kallsyms_lookup(tf->rip, &off);

	printk("TRAP %llu (%s) err 0x%llx on CPU %d, from %s mode\n", tf->trapno,
	       name ? name : "?", tf->err, core_id(), tf_from_user(tf) ? "user" : "kernel");
	printk("  rip %016llx <%s+0x%lx>\n", tf->rip, sym ? sym : "?", (unsigned long)off);
	printk("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
	       tf->rax, tf->rbx, tf->rcx, tf->rdx);
	printk("  rsi %016llx rdi %016llx rbp %016llx rsp %016llx\n",
	       tf->rsi, tf->rdi, tf->rbp, tf->rsp);
	printk("  r8  %016llx r9  %016llx r10 %016llx r11 %016llx\n",
	       tf->r8, tf->r9, tf->r10, tf->r11);
	printk("  r12 %016llx r13 %016llx r14 %016llx r15 %016llx\n",
	       tf->r12, tf->r13, tf->r14, tf->r15);
	printk("  cs %04llx ss %04llx rflags %016llx cr2 %016llx cr3 %016llx\n",
	       tf->cs, tf->ss, tf->rflags, read_cr2(), read_cr3());
}

/* Weak hook: the process layer overrides it to turn user faults into signals. */
__attribute__((weak)) void trap_user_exception(struct hw_trapframe *tf)
{
	print_trapframe(tf);
	panic("user-mode exception with no process layer");
}

__attribute__((weak)) bool nmi_handler(struct hw_trapframe *tf)
{
	(void)tf;
	return false;
}

static bool irqs_enabled_in(const struct hw_trapframe *tf)
{
	return tf->rflags & FL_IF;
}

static void kernel_exception(struct hw_trapframe *tf)
{
	print_trapframe(tf);
	printk("Backtrace:\n");
	backtrace_from(tf->rip, tf->rbp);
	monitor_panic(tf, "unhandled kernel exception");
}

/* Page faults: demand paging and COW for user addresses, then uaccess fixups. */
static bool kernel_page_fault(struct hw_trapframe *tf)
{
	uintptr_t addr = read_cr2(), fix;
	struct task *t = current();
	int ff = (tf->err & 2 ? FAULT_WRITE : 0) | (tf->err & 1 ? FAULT_PRESENT : 0);

	if (addr < USER_MAX && t && t->proc && !(tf->err & 0x10)) {
		if (irqs_enabled_in(tf))
			sti();
		if (!uvm_handle_fault(t->proc->mm, addr, ff))
			return true;
	}
	fix = extable_fixup(tf->rip);
	if (fix) {
		tf->rip = fix;
		return true;
	}
	return false;
}

/* A CPU exception other than NMI: user ones become signals, kernel ones are fixed up or fatal. */
static void exception_dispatch(struct hw_trapframe *tf)
{
	if (tf_from_user(tf)) {
		trap_user_exception(tf);
	} else if (tf->trapno == T_PGFLT && kernel_page_fault(tf)) {
		return;
	} else if (tf->trapno == T_DEBUG) {
		/*
		 * The kernel touched memory a traced process watches (copy_to_user
		 * into a watched buffer): the debugger is not told, as the
		 * user's own instructions did not do it.  Never a trap flag here:
		 * syscall entry clears TF (SFMASK) and interrupts save it.
		 */
		(void)arch_dr6_take();
		tf->rflags &= ~(u64)FL_TF;
	} else {
		kernel_exception(tf);
	}
}

void trap_dispatch(struct hw_trapframe *tf)
{
	u64 v = tf->trapno;

	if (v == T_NMI) {
		this_cpu_inc(percpu_first.in_nmi);
		ttrace_exc_enter(tf);
		if (!nmi_handler(tf))
			printk("NMI on CPU %d at %llx (no handler claimed it)\n", core_id(),
			       tf->rip);
		ttrace_exc_exit(tf);
		this_cpu_add(percpu_first.in_nmi, -1);
		return;
	}
	if (v >= IRQ_BASE) {
		irq_handler_t fn = READ_ONCE(handlers[v].fn);
		bool eoi_last = READ_ONCE(handlers[v].eoi_last);

		/*
		 * Edge vectors are acknowledged first; a level-triggered one
		 * after its handler silenced the device, or the IOAPIC would
		 * send it again at once for the still-asserted line.
		 */
		if (v != VEC_SPURIOUS && !eoi_last)
			lapic_eoi();
		ttrace_irq_enter(v);
		if (fn)
			fn(tf, handlers[v].data);
		else if (v != VEC_SPURIOUS)
			printk("spurious vector %llu on CPU %d\n", v, core_id());
		ttrace_irq_exit(v, fn);
		if (eoi_last)
			lapic_eoi();
	} else {
		ttrace_exc_enter(tf);
		exception_dispatch(tf);
		ttrace_exc_exit(tf);
	}
	if (tf_from_user(tf))
		user_return_work(tf);
}
