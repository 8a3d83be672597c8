/*
 * TLB shootdown for user address spaces.  After a PTE is downgraded or
 * removed, every CPU that may cache it must flush: this CPU reloads CR3
 * if the mm is live here, and every other CPU currently running a task of
 * that mm gets an immediate kernel message that does the same; the caller
 * waits for all of them.  CPUs running other address spaces need nothing:
 * switching CR3 flushes non-global entries.  A caller that flushed its own
 * CPU already (invlpg of the one page) uses tlb_flush_mm_others.
 */
#include <kern/uvm.h>
#include <kern/sched.h>
#include <kern/proc.h>
#include <kern/smp.h>
#include <kern/kmsg.h>
#include <arch/x86.h>
#include <kern/vm.h>

static void flush_if_live(u64 pml4_pa, u64 ack_ptr, u64 unused)
{
	if ((read_cr3() & PTE_ADDR_MASK) == pml4_pa)
		write_cr3(read_cr3());
	__atomic_fetch_sub((int *)ack_ptr, 1, __ATOMIC_RELEASE);
}

void tlb_flush_mm_others(struct mm *mm)
{
	int pending = 0, me = core_id();

	for (int c = 0; c < num_cpus; c++) {
		struct task *t;

		if (c == me || !cpu_online[c])
			continue;
		t = READ_ONCE(per_cpu(current_task, c));
		if (!t || !t->proc || t->proc->mm != mm)
			continue;
		__atomic_fetch_add(&pending, 1, __ATOMIC_RELAXED);
		if (send_kernel_message(c, flush_if_live, mm->pml4_pa, (u64)&pending, 0,
					KMSG_IMMEDIATE))
			__atomic_fetch_sub(&pending, 1, __ATOMIC_RELAXED);
	}
	while (__atomic_load_n(&pending, __ATOMIC_ACQUIRE) > 0)
		cpu_relax();
}

void tlb_flush_mm(struct mm *mm)
{
	if ((read_cr3() & PTE_ADDR_MASK) == mm->pml4_pa)
		write_cr3(read_cr3());
	tlb_flush_mm_others(mm);
}
