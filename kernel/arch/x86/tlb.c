/*
 * TLB shootdown for user address spaces.  After a PTE is downgraded or
 * removed, every CPU that may cache it must flush: this CPU reloads CR3
 * if the mm is live here, and every other CPU currently running a task of
 * that mm is asked to do the same; the caller waits for all of them.
 * CPUs running other address spaces need nothing: switching CR3 flushes
 * non-global entries.  A caller that flushed its own CPU already (invlpg
 * of the one page) uses tlb_flush_mm_others.
 *
 * Requests do not go through the kernel-message queues: each sending CPU
 * has one request slot (it waits for its request, so it never has two),
 * and each target CPU a mask of the senders that want it to flush.  The
 * target serves its mask from the IPI handler and also from every place
 * that spins with interrupts off (spin_lock, the wait loop here), so a
 * shootdown may be sent while holding a spinlock with interrupts off
 * (mm->lock in the copy-on-write break, uvm.c): a CPU spinning on that
 * very lock still answers.  Serving is only a CR3 reload and a count, so
 * it is safe in any context.
 */
#include <kern/uvm.h>
#include <kern/sched.h>
#include <kern/proc.h>
#include <kern/smp.h>
#include <kern/percpu.h>
#include <arch/apic.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kern/vm.h>

struct tlb_req {
	u64 pml4_pa;		/* the address space to flush; written by its sender only */
	int pending;		/* atomic: targets that have not flushed yet */
} __aligned(64);

static struct tlb_req reqs[MAX_CPUS];		/* indexed by sending CPU */
static u64 req_mask[MAX_CPUS];			/* atomic; bit s: CPU s asks this CPU */

void tlb_shootdown_poll(void)
{
	u64 mask, cr3;
	bool flushed = false;

	if (!percpu_ready)
		return;
	if (!__atomic_load_n(&req_mask[core_id()], __ATOMIC_RELAXED))
		return;
	mask = __atomic_exchange_n(&req_mask[core_id()], 0, __ATOMIC_ACQ_REL);
	cr3 = read_cr3() & PTE_ADDR_MASK;
	while (mask) {
		int s = __builtin_ctzll(mask);

		mask &= mask - 1;
		if (!flushed && READ_ONCE(reqs[s].pml4_pa) == cr3) {
			write_cr3(read_cr3());
			flushed = true;
		}
		__atomic_fetch_sub(&reqs[s].pending, 1, __ATOMIC_RELEASE);
	}
}

void tlb_flush_mm_others(struct mm *mm)
{
	u64 flags = local_irq_save();
	int me = core_id();
	struct tlb_req *r = &reqs[me];

	WRITE_ONCE(r->pml4_pa, mm->pml4_pa);
	__atomic_store_n(&r->pending, 0, __ATOMIC_RELAXED);
	/* The PTE stores before the reads of current_task (a store-load pair). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (int c = 0; c < num_cpus; c++) {
		struct task *t;

		if (c == me || !cpu_online[c])
			continue;
		t = READ_ONCE(per_cpu(current_task, c));
		if (!t || !t->proc || t->proc->mm != mm)
			continue;
		__atomic_fetch_add(&r->pending, 1, __ATOMIC_RELAXED);
		__atomic_fetch_or(&req_mask[c], 1ULL << me, __ATOMIC_RELEASE);
		send_ipi(c, VEC_KMSG);
	}
	while (__atomic_load_n(&r->pending, __ATOMIC_ACQUIRE) > 0) {
		tlb_shootdown_poll();
		cpu_relax();
	}
	local_irq_restore(flags);
}

void tlb_flush_mm(struct mm *mm)
{
	if ((read_cr3() & PTE_ADDR_MASK) == mm->pml4_pa)
		write_cr3(read_cr3());
	tlb_flush_mm_others(mm);
}
