/*
 * Memory bring-up from the boot loader's map.  Free RAM is every
 * "available" (type 1) range of boot_info.mmap, clipped to the direct map
 * (KERN_DMAP_SIZE), minus: the first 1 MiB (BIOS data, the AP trampoline at
 * SMP_TRAMPOLINE_PA), the kernel image including .bss and the boot page
 * tables, the boot modules, and any range the map marks as anything else
 * (ACPI, reserved: the map may overlap itself).  Order: pmm_init, vm_init,
 * pmm_init_late, kmalloc_init.
 */
#include <kern/pmm.h>
#include <kern/pageref.h>
#include <kern/vm.h>
#include <kern/kmalloc.h>
#include <kern/bootinfo.h>
#include <kern/memlayout.h>
#include <kern/printk.h>
#include <kern/sections.h>

#define MAX_REGIONS	(2 * BOOT_MAX_MMAP + BOOT_MAX_MODULES + 8)
#define LOW_RESERVED	0x100000ULL

static struct mem_region regions[MAX_REGIONS];
static int nregions;

/* Remove [lo, hi) from the region list, splitting a region if needed. */
static void exclude(u64 lo, u64 hi)
{
	for (int i = 0; i < nregions; i++) {
		u64 b = regions[i].base, e = b + regions[i].len;

		if (hi <= b || lo >= e)
			continue;
		if (lo > b && hi < e) {
			if (nregions == MAX_REGIONS) {
				printk("mm: region table full; dropping %llx..%llx\n", hi, e);
				regions[i].len = lo - b;
				continue;
			}
			regions[nregions++] = (struct mem_region){ hi, e - hi };
			regions[i].len = lo - b;
		} else if (lo > b) {
			regions[i].len = lo - b;
		} else if (hi < e) {
			regions[i] = (struct mem_region){ hi, e - hi };
		} else {
			regions[i].len = 0;
		}
	}
}

static const char *mmap_type(u32 type)
{
	switch (type) {
	case 1: return "usable";
	case 2: return "reserved";
	case 3: return "ACPI reclaimable";
	case 4: return "ACPI NVS";
	case 5: return "bad";
	default: return "other";
	}
}

/* Fill regions[] with free RAM; returns the top of RAM (end of the highest usable range). */
static physaddr_t collect_free_ram(void)
{
	physaddr_t max_pa = 0;

	for (int i = 0; i < boot_info.nmmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		u64 lo = ROUNDUP(e->base, PGSIZE);
		u64 hi = ROUNDDOWN(e->base + e->len, PGSIZE);

		printk("mem: %016llx-%016llx %s\n", e->base, e->base + e->len, mmap_type(e->type));
		if (e->type != 1)
			continue;
		if (hi > KERN_DMAP_SIZE) {
			printk("mem: ignoring RAM above %llu GiB (direct map limit)\n",
			       (u64)KERN_DMAP_SIZE >> 30);
			hi = KERN_DMAP_SIZE;
		}
		if (lo >= hi || nregions == MAX_REGIONS)
			continue;
		regions[nregions++] = (struct mem_region){ lo, hi - lo };
		max_pa = MAX(max_pa, hi);
	}
	for (int i = 0; i < boot_info.nmmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];

		if (e->type != 1)
			exclude(ROUNDDOWN(e->base, PGSIZE), ROUNDUP(e->base + e->len, PGSIZE));
	}
	exclude(0, LOW_RESERVED);
	exclude(ROUNDDOWN((uintptr_t)__image_start_pa, PGSIZE),
		ROUNDUP((uintptr_t)__bss_end_pa, PGSIZE));
	for (int i = 0; i < boot_info.nmods; i++)
		exclude(ROUNDDOWN(boot_info.mods[i].start, PGSIZE),
			ROUNDUP(boot_info.mods[i].end, PGSIZE));
	return max_pa;
}

void mm_init(void)
{
	physaddr_t max_pa = collect_free_ram();

	pmm_init(regions, nregions);
	vm_init(max_pa);
	pageref_init(max_pa);
	pmm_init_late();
	kmalloc_init();
	printk("mem: %zu MiB RAM managed, %zu MiB free, top of RAM %#lx\n",
	       pmm_total_pages() >> 8, pmm_free_pages() >> 8, (unsigned long)max_pa);
}
