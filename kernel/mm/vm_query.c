/*
 * Read-only page table queries on the live address space (whatever CR3
 * holds).  Used by the monitor and debug paths to check an address before
 * touching it, so they never fault; it follows 1 GiB and 2 MiB pages.
 */
#include <kern/vm.h>
#include <kern/memlayout.h>
#include <arch/x86.h>

/* Bytes mapped from va to the end of its page (0 if unmapped). */
static size_t mapped_span(uintptr_t va)
{
	const u64 *table = KADDR(read_cr3() & PTE_ADDR_MASK);

	for (int level = 3; level >= 0; level--) {
		int shift = PGSHIFT + 9 * level;
		u64 e = table[(va >> shift) & 511];

		if (!(e & PTE_P))
			return 0;
		if (level == 0 || (level < 3 && (e & PTE_PS)))
			return ((uintptr_t)1 << shift) - (va & (((uintptr_t)1 << shift) - 1));
		table = KADDR(e & PTE_ADDR_MASK);
	}
	return 0;
}

bool vm_kernel_range_mapped(uintptr_t va, size_t len)
{
	uintptr_t end;

	if (check_add_overflow(va, len, &end))
		return false;
	/* Non-canonical addresses fault with #GP; reject them up front. */
	if (va < KERNBASE && end > 0x0000800000000000ULL)
		return false;
	while (va < end) {
		size_t span = mapped_span(va);

		if (!span)
			return false;
		if (check_add_overflow(va, span, &va))
			break;
	}
	return true;
}
