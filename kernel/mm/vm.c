/*
 * Kernel page tables (model in kern/vm.h).  vm_init() builds a fresh PML4
 * and leaves the boot page tables alone (APs still start on them):
 *
 *   KERN_LOAD_ADDR + pa   the image: .boot R, text+kallsyms RX,
 *                         rodata R NX, data/percpu/bss RW NX (4 KiB pages)
 *   KERNBASE + pa         direct map of RAM: the first 1 MiB and every
 *                         usable/ACPI range of the boot map, RW NX, except
 *                         the image's text/rodata alias which is R NX;
 *                         2 MiB or 1 GiB pages where aligned
 *   KERN_MMIO_BASE...     uncached device windows handed out by mmio_map
 *
 * There is no identity map, so a NULL dereference faults.  All kernel
 * leaves are global (CR4.PGE), and CR0.WP makes R pages read-only for the
 * kernel too.  The PDPTs of the three kernel PML4 slots are allocated up
 * front and never freed, so a future user PML4 can share the kernel half by
 * copying slots 256..511 and still see later mmio_map() additions.
 * Page-table pages come from the page allocator and are reached through the
 * direct map.  mmio_lock serialises mmio_map (the only run-time changer).
 */
#include <kern/vm.h>
#include <kern/pmm.h>
#include <kern/memlayout.h>
#include <kern/bootinfo.h>
#include <kern/spinlock.h>
#include <kern/printk.h>
#include <kern/errno.h>
#include <arch/x86.h>
#include <kern/sections.h>

#define CR4_PGE		(1UL << 7)
#define CR0_WP		(1UL << 16)
#define PML4_SLOT(va)	(((uintptr_t)(va) >> 39) & 511)
#define MMIO_MAX	64
#define GIB		(1ULL << 30)

physaddr_t kern_pml4_pa;
static u64 *kern_pml4;
static bool has_1g_pages;
static u64 pte_nx;			/* PTE_NX if the CPU has NX, else 0 */
static size_t pt_pages;			/* page-table pages allocated (stats) */

struct mmio_window {
	physaddr_t pa;			/* page-aligned start */
	size_t size;			/* page-aligned length */
	uintptr_t va;
};
static struct spinlock mmio_lock = SPINLOCK_INITIALIZER("mmio");
static struct mmio_window mmio_windows[MMIO_MAX];	/* protected by mmio_lock */
static int nmmio;					/* protected by mmio_lock */
static uintptr_t mmio_next = KERN_MMIO_BASE;		/* protected by mmio_lock */

/* A zeroed page-table page, or NULL. */
static u64 *alloc_table(void)
{
	physaddr_t pa = page_alloc(0, MEM_ATOMIC | MEM_ZERO);

	if (!pa)
		return NULL;
	pt_pages++;
	return KADDR(pa);
}

/*
 * Map [va, va+size) to pa with leaf flags `flags`, using 2 MiB / 1 GiB
 * pages where both addresses are aligned and allow_large is set.  Returns
 * 0, or -ENOMEM if a table could not be allocated (what was mapped stays).
 * Mapping over an existing leaf is a bug and panics.
 */
static int map_range(u64 *pml4, uintptr_t va, physaddr_t pa, size_t size, u64 flags,
		     bool allow_large)
{
	while (size) {
		u64 *table = pml4;

		for (int level = 3;; level--) {
			int shift = PGSHIFT + 9 * level;
			size_t psz = (size_t)1 << shift;
			u64 *e = &table[(va >> shift) & 511];
			bool big_ok = (level == 1 || (level == 2 && has_1g_pages)) && allow_large;
			bool leaf = level == 0 ||
				    (big_ok && !((va | pa) & (psz - 1)) && size >= psz && !(*e & PTE_P));

			if (leaf) {
				if (*e & PTE_P)
					panic("vm: %lx is already mapped", (unsigned long)va);
				*e = pa | flags | (level ? PTE_PS : 0);
				va += psz;
				pa += psz;
				size -= psz;
				break;
			}
			if (*e & PTE_PS)
				panic("vm: %lx is inside an existing large page", (unsigned long)va);
			if (!(*e & PTE_P)) {
				u64 *t = alloc_table();

				if (!t)
					return -ENOMEM;
				*e = PADDR(t) | PTE_P | PTE_W;
			}
			table = KADDR(*e & PTE_ADDR_MASK);
		}
	}
	return 0;
}

static void map_or_die(uintptr_t va, physaddr_t pa, size_t size, u64 flags)
{
	if (map_range(kern_pml4, va, pa, size, flags, true))
		panic("vm: out of memory building the kernel page tables");
}

/* Direct-map [lo, hi), keeping the alias of the image's text and rodata read-only. */
static void dmap_range(physaddr_t lo, physaddr_t hi)
{
	physaddr_t ro_lo = (uintptr_t)__image_start_pa;
	physaddr_t ro_hi = PADDR(__rodata_end);
	u64 rw = PTE_P | PTE_W | PTE_G | pte_nx, ro = PTE_P | PTE_G | pte_nx;

	if (lo < MIN(hi, ro_lo))
		map_or_die((uintptr_t)KADDR(lo), lo, MIN(hi, ro_lo) - lo, rw);
	if (MAX(lo, ro_lo) < MIN(hi, ro_hi))
		map_or_die((uintptr_t)KADDR(MAX(lo, ro_lo)), MAX(lo, ro_lo),
			   MIN(hi, ro_hi) - MAX(lo, ro_lo), ro);
	if (MAX(lo, ro_hi) < hi)
		map_or_die((uintptr_t)KADDR(MAX(lo, ro_hi)), MAX(lo, ro_hi),
			   hi - MAX(lo, ro_hi), rw);
}

/* The ranges to direct-map, sorted and merged, clipped to max_pa; returns the count. */
static int dmap_ranges(struct mem_region *out, int max, physaddr_t max_pa)
{
	int n = 0;

	out[n++] = (struct mem_region){ 0, 0x100000 };
	for (int i = 0; i < boot_info.nmmap && n < max; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		u64 lo = ROUNDDOWN(e->base, PGSIZE);
		u64 hi = MIN(ROUNDUP(e->base + e->len, PGSIZE), (u64)max_pa);

		if ((e->type == 1 || e->type == 3 || e->type == 4) && lo < hi)
			out[n++] = (struct mem_region){ lo, hi - lo };
	}
	for (int i = 1; i < n; i++)		/* insertion sort by base */
		for (int j = i; j > 0 && out[j].base < out[j - 1].base; j--) {
			struct mem_region t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	int m = 0;

	for (int i = 0; i < n; i++) {
		if (m && out[i].base <= out[m - 1].base + out[m - 1].len) {
			u64 end = MAX(out[m - 1].base + out[m - 1].len, out[i].base + out[i].len);

			out[m - 1].len = end - out[m - 1].base;
		} else {
			out[m++] = out[i];
		}
	}
	return m;
}

void vm_init(physaddr_t max_pa)
{
	struct mem_region ranges[BOOT_MAX_MMAP + 1];
	u32 edx;
	int n;

	cpuid(0x80000001, 0, NULL, NULL, NULL, &edx);
	has_1g_pages = edx & (1U << 26);
	pte_nx = (edx & (1U << 20)) ? PTE_NX : 0;
	max_pa = MIN(max_pa, (physaddr_t)KERN_DMAP_SIZE);
	kern_pml4 = alloc_table();
	if (!kern_pml4)
		panic("vm: no memory for the kernel PML4");
	/* Kernel-half PDPTs exist from the start (see the header comment). */
	uintptr_t slots[] = { KERNBASE, KERN_MMIO_BASE, KERN_LOAD_ADDR };

	for (size_t i = 0; i < ARRAY_SIZE(slots); i++) {
		u64 *pdpt = alloc_table();

		if (!pdpt)
			panic("vm: no memory for kernel PDPTs");
		kern_pml4[PML4_SLOT(slots[i])] = PADDR(pdpt) | PTE_P | PTE_W;
	}

	/* The image, with per-section permissions (symbols as integers: distinct objects). */
	uintptr_t img = (uintptr_t)__image_start_pa, text = (uintptr_t)__text_start;
	uintptr_t ro = (uintptr_t)__rodata_start, ro_end = (uintptr_t)__rodata_end;
	uintptr_t end = (uintptr_t)__bss_end;

	map_or_die(KERN_LOAD_ADDR + img, img, PADDR(__text_start) - img, PTE_P | PTE_G | pte_nx);
	map_or_die(text, PADDR(__text_start), ro - text, PTE_P | PTE_G);
	map_or_die(ro, PADDR(__rodata_start), ro_end - ro, PTE_P | PTE_G | pte_nx);
	map_or_die(ro_end, PADDR(__rodata_end), end - ro_end, PTE_P | PTE_W | PTE_G | pte_nx);

	n = dmap_ranges(ranges, ARRAY_SIZE(ranges), max_pa);
	for (int i = 0; i < n; i++)
		dmap_range(ranges[i].base, ranges[i].base + ranges[i].len);

	kern_pml4_pa = PADDR(kern_pml4);
	write_cr0(read_cr0() | CR0_WP);
	write_cr3(kern_pml4_pa);
	/* Toggling PGE flushes every TLB entry, global ones included. */
	write_cr4(read_cr4() & ~CR4_PGE);
	write_cr4(read_cr4() | CR4_PGE);
	printk("vm: kernel page tables at %#lx: %d direct-map ranges up to %#lx, %zu table pages, "
	       "%s pages, NX %s\n", (unsigned long)kern_pml4_pa, n, (unsigned long)max_pa,
	       pt_pages, has_1g_pages ? "1 GiB" : "2 MiB", pte_nx ? "on" : "unavailable");
}

void *mmio_map(physaddr_t pa, size_t size)
{
	physaddr_t lo = ROUNDDOWN(pa, PGSIZE), hi;
	uintptr_t va = 0;
	u64 irq;

	if (!kern_pml4 || !size || check_add_overflow(pa, (physaddr_t)size, &hi))
		return NULL;
	hi = ROUNDUP(hi, PGSIZE);
	irq = spin_lock_irqsave(&mmio_lock);
	for (int i = 0; i < nmmio; i++) {
		struct mmio_window *w = &mmio_windows[i];

		if (lo >= w->pa && hi <= w->pa + w->size) {
			va = w->va + (pa - w->pa);
			goto out;
		}
	}
	if (nmmio == MMIO_MAX) {
		printk("mmio_map: more than %d windows\n", MMIO_MAX);
		goto out;
	}
	/* Big windows get a 2 MiB-aligned address so large pages can be used. */
	uintptr_t base = ROUNDUP(mmio_next, hi - lo >= LPGSIZE ? LPGSIZE : PGSIZE);

	if (base + (hi - lo) > KERN_MMIO_BASE + KERN_MMIO_SIZE || base + (hi - lo) < base) {
		printk("mmio_map: window space exhausted mapping %lx+%zu\n",
		       (unsigned long)pa, size);
		goto out;
	}
	if (map_range(kern_pml4, base, lo, hi - lo,
		      PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_G | pte_nx, true)) {
		/* Partially built tables stay; the VA range is simply not reused. */
		mmio_next = base + (hi - lo);
		printk("mmio_map: out of memory mapping %lx+%zu\n", (unsigned long)pa, size);
		goto out;
	}
	mmio_next = base + (hi - lo);
	mmio_windows[nmmio++] = (struct mmio_window){ lo, hi - lo, base };
	va = base + (pa - lo);
out:
	spin_unlock_irqrestore(&mmio_lock, irq);
	return (void *)va;
}

u64 *pgdir_walk_lookup(physaddr_t pml4_pa, uintptr_t va)
{
	u64 *table = KADDR(pml4_pa);

	for (int level = 3;; level--) {
		u64 *e = &table[(va >> (PGSHIFT + 9 * level)) & 511];

		if (!(*e & PTE_P))
			return NULL;
		if (level == 0 || (level < 3 && (*e & PTE_PS)))
			return e;
		table = KADDR(*e & PTE_ADDR_MASK);
	}
}
