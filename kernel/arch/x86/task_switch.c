/*
 * The x86 part of switching tasks: kernel stack for traps from user mode
 * (TSS rsp0 and the per-CPU copy the syscall entry uses), user FPU/vector
 * state (saved eagerly for the outgoing task, restored for the incoming
 * one; the kernel never touches vector registers), the user TLS base
 * (FS_BASE), a traced process's debug registers (debugreg.c) and the
 * address space (CR3; kernel threads and idle run on the
 * kernel's own page table, so no CPU keeps a dying process's tables).
 */
#include <kern/sched.h>
#include <kern/proc.h>
#include <kern/vm.h>
#include <kern/uvm.h>
#include <kern/memlayout.h>
#include <arch/x86.h>
#include <arch/trap.h>
#include <kern/fpu_state.h>
#include <kern/procdbg.h>

void arch_task_switch(struct task *prev, struct task *next)
{
	physaddr_t cr3 = next->proc ? next->proc->mm->pml4_pa : kern_pml4_pa;

	if (prev->fpu)
		fpu_save(prev->fpu);
	if (prev->utf)
		prev->fs_base = rdmsr(MSR_FS_BASE);
	if (next->kstack)
		set_kernel_stack(task_kstack_top(next));
	if (next->fpu)
		fpu_restore(next->fpu);
	if (next->utf)
		wrmsr(MSR_FS_BASE, next->fs_base);
	arch_dbg_switch(next);
	if ((read_cr3() & PTE_ADDR_MASK) != cr3)
		write_cr3(cr3);
}

/* __switch_to's frame at t->ksp: r15 r14 r13 r12 rbx rbp, then the return address. */
bool arch_task_saved_frame(const struct task *t, uintptr_t *pc, uintptr_t *fp)
{
	const u64 *f = (const u64 *)READ_ONCE(t->ksp);
	uintptr_t lo = (uintptr_t)t->kstack;

	if (!t->kstack || (uintptr_t)f < lo || (uintptr_t)(f + 7) > lo + KSTACK_SIZE)
		return false;
	*fp = f[5];
	*pc = f[6];
	return true;
}
