/*
 * In-kernel self-tests of the memory subsystem.  Each ktest_* function
 * returns normally on success and panics on failure (the ktest framework
 * will register them).  ktest_kmalloc_stress_cpu is written to run on
 * every core at once: it only touches its own objects, tagged with the
 * core id.  The `mmtest` monitor command runs them all on this CPU.
 */
#include <kern/pmm.h>
#include <kern/kmalloc.h>
#include <kern/vm.h>
#include <kern/slice.h>
#include <kern/percpu.h>
#include <kern/memlayout.h>
#include <kern/moncmd.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <arch/apic.h>
#include <arch/x86.h>
#include <kern/sections.h>
#include "internal.h"

#define KTEST_ASSERT(c, ...)							\
	do {									\
		if (!(c))							\
			panic("ktest: " __VA_ARGS__);				\
	} while (0)

/* xorshift, so stress runs differ per core without shared state. */
static u64 next_rand(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

void ktest_pmm_patterns(void)
{
	physaddr_t blocks[MAX_ORDER], pages[256];
	size_t free0 = pmm_free_pages();

	for (int k = 0; k < MAX_ORDER; k++) {
		blocks[k] = page_alloc(k, MEM_ATOMIC);
		KTEST_ASSERT(blocks[k], "page_alloc order %d failed", k);
		KTEST_ASSERT(!(blocks[k] & ((PGSIZE << k) - 1)), "order %d block %lx unaligned", k,
			     (unsigned long)blocks[k]);
		memset(KADDR(blocks[k]), 0xa0 + k, PGSIZE << k);
	}
	for (int k = 0; k < MAX_ORDER; k++) {
		const u8 *p = KADDR(blocks[k]);

		for (size_t i = 0; i < (size_t)PGSIZE << k; i += 509)
			KTEST_ASSERT(p[i] == 0xa0 + k, "order %d block corrupted at %zu", k, i);
		page_free(blocks[k], k);
	}
	for (int i = 0; i < 256; i++) {
		pages[i] = page_alloc(0, MEM_ATOMIC | MEM_ZERO);
		KTEST_ASSERT(pages[i], "single page %d", i);
		KTEST_ASSERT(((u64 *)KADDR(pages[i]))[i % 512] == 0, "MEM_ZERO page not zero");
		*(u64 *)KADDR(pages[i]) = pages[i];
	}
	for (int i = 0; i < 256; i += 2)
		page_free(pages[i], 0);
	for (int i = 1; i < 256; i += 2) {
		KTEST_ASSERT(*(u64 *)KADDR(pages[i]) == pages[i], "page %d overwritten", i);
		page_free(pages[i], 0);
	}
	KTEST_ASSERT(page_alloc(MAX_ORDER, MEM_ATOMIC) == 0, "order MAX_ORDER must fail");
	KTEST_ASSERT(pmm_free_pages() == free0, "free pages %zu != %zu after the test",
		     pmm_free_pages(), free0);
}

void ktest_kmalloc_basic(void)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 63, 64, 100, 512, 1000, 2048, 2049,
					4096, 5000, 65536, 1 << 22 };
	void *p[ARRAY_SIZE(sizes)];

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kzmalloc(sizes[i], MEM_WAIT);
		KTEST_ASSERT(p[i], "kzmalloc(%zu) failed", sizes[i]);
		KTEST_ASSERT(ksize(p[i]) >= sizes[i], "ksize %zu < %zu", ksize(p[i]), sizes[i]);
		KTEST_ASSERT(sizes[i] < 64 || !((uintptr_t)p[i] & 63), "%zu bytes not 64-aligned",
			     sizes[i]);
		for (size_t j = 0; j < sizes[i]; j++)
			KTEST_ASSERT(((u8 *)p[i])[j] == 0, "kzmalloc(%zu) byte %zu not zero",
				     sizes[i], j);
		memset(p[i], (int)i, sizes[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (size_t j = 0; j < sizes[i]; j += 7)
			KTEST_ASSERT(((u8 *)p[i])[j] == (u8)i, "object %zu corrupted", i);
		kfree(p[i]);
	}

	/* krealloc keeps contents across classes and into page-level sizes. */
	char *s = kmalloc(10, MEM_WAIT);

	KTEST_ASSERT(s, "kmalloc(10)");
	memcpy(s, "abcdefghi", 10);
	for (size_t sz = 20; sz <= 20000; sz *= 3) {
		char *n = krealloc(s, sz, MEM_WAIT);

		KTEST_ASSERT(n && !memcmp(n, "abcdefghi", 10), "krealloc to %zu lost data", sz);
		s = n;
	}
	KTEST_ASSERT(krealloc(s, 5, MEM_WAIT) == s, "shrinking krealloc moved the object");
	kfree(s);
	kfree(NULL);

	/* Impossible or overflowing requests fail with NULL, never panic. */
	size_t ram = pmm_total_pages() * PGSIZE;

	KTEST_ASSERT(!kmalloc(ram + PGSIZE, MEM_ATOMIC), "more than RAM (atomic)");
	KTEST_ASSERT(!kmalloc(ram + PGSIZE, MEM_WAIT), "more than RAM (wait)");
	KTEST_ASSERT(!kmalloc((4 << 20) + 1, MEM_ATOMIC), "larger than the biggest block");
	KTEST_ASSERT(!kmalloc((size_t)-1, MEM_WAIT), "SIZE_MAX");
	KTEST_ASSERT(!kmalloc_array((size_t)-1 / 2, 4, MEM_WAIT), "kmalloc_array overflow");
	void *a = kmalloc_array(100, 8, MEM_WAIT);

	KTEST_ASSERT(a && ksize(a) >= 800, "kmalloc_array(100, 8)");
	kfree(a);
}

#define STRESS_ROUNDS	4000
#define STRESS_LIVE	64

void ktest_kmalloc_stress_cpu(void)
{
	struct { u32 *p; size_t words; u32 tag; } live[STRESS_LIVE];
	u64 seed = 0x9e3779b97f4a7c15ULL * (u64)(core_id() + 1) ^ rdtsc();
	u32 cpu = core_id();
	int n = 0;

	if (!seed)
		seed = 1;
	for (int round = 0; round < STRESS_ROUNDS; round++) {
		u64 r = next_rand(&seed);

		if (n < STRESS_LIVE && (n == 0 || (r & 3) != 0)) {
			/* Mostly small objects, sometimes a page-level one. */
			size_t bytes = (r >> 8) % 16 == 0 ? 4096 + (r >> 16) % 20000 :
							      4 + (r >> 16) % 2044;
			u32 *p = kmalloc(bytes, (r & 4) ? MEM_ATOMIC : MEM_WAIT);

			KTEST_ASSERT(p, "cpu %u: kmalloc(%zu) failed in round %d", cpu, bytes, round);
			live[n].p = p;
			live[n].words = bytes / 4;
			live[n].tag = (cpu << 24) ^ (u32)round;
			for (size_t i = 0; i < live[n].words; i++)
				p[i] = live[n].tag + (u32)i;
			n++;
		} else {
			int i = (r >> 32) % n;

			for (size_t j = 0; j < live[i].words; j++)
				KTEST_ASSERT(live[i].p[j] == live[i].tag + (u32)j,
					     "cpu %u: object %p word %zu overwritten", cpu,
					     live[i].p, j);
			kfree(live[i].p);
			live[i] = live[--n];
		}
	}
	while (n--)
		kfree(live[n].p);
}

void ktest_vm_layout(void)
{
	u64 *pte;

	KTEST_ASSERT(!vm_kernel_range_mapped(0, 1), "page 0 is mapped (identity map left?)");
	KTEST_ASSERT(!vm_kernel_range_mapped(0x100000, 1), "low identity map present");
	pte = pgdir_walk_lookup(kern_pml4_pa, (uintptr_t)__text_start);
	KTEST_ASSERT(pte && !(*pte & PTE_W) && !(*pte & PTE_NX) && (*pte & PTE_G),
		     "text PTE %llx is not RX global", pte ? *pte : 0);
	pte = pgdir_walk_lookup(kern_pml4_pa, (uintptr_t)__rodata_start);
	KTEST_ASSERT(pte && !(*pte & PTE_W) && (*pte & PTE_NX), "rodata PTE %llx", pte ? *pte : 0);
	pte = pgdir_walk_lookup(kern_pml4_pa, (uintptr_t)__rodata_end);
	KTEST_ASSERT(pte && (*pte & PTE_W) && (*pte & PTE_NX), "data PTE %llx", pte ? *pte : 0);
	pte = pgdir_walk_lookup(kern_pml4_pa, (uintptr_t)KADDR(PADDR(__text_start)));
	KTEST_ASSERT(pte && !(*pte & PTE_W) && (*pte & PTE_NX), "direct-map alias of text %llx",
		     pte ? *pte : 0);
	pte = pgdir_walk_lookup(kern_pml4_pa, (uintptr_t)KADDR(0x8000));
	KTEST_ASSERT(pte && (*pte & PTE_W), "trampoline page not writable in the direct map");

	/* mmio_map: uncached, reused for the same range, distinct for another. */
	u8 *a = mmio_map(0xfee00000, 0x1000);
	u8 *b = mmio_map(0xfee00000 + 0x30, 4);
	u8 *c = mmio_map(0xfec00000, 0x20);

	KTEST_ASSERT(a && b == a + 0x30, "mmio_map reuse: %p %p", a, b);
	KTEST_ASSERT(c && c != a && ((uintptr_t)c & 0xfff) == 0, "second window %p", c);
	pte = pgdir_walk_lookup(kern_pml4_pa, (uintptr_t)a);
	KTEST_ASSERT(pte && (*pte & PTE_PCD) && (*pte & PTE_PWT) && (*pte & PTE_NX),
		     "mmio PTE %llx not uncached NX", pte ? *pte : 0);
	KTEST_ASSERT((uintptr_t)a >= KERN_MMIO_BASE, "mmio outside the window");
	KTEST_ASSERT(((*(volatile u32 *)(a + 0x20)) >> 24) == lapic_id(), "LAPIC ID via mmio_map");
}

void ktest_slice_kernel(void)
{
	struct slice s;
	struct slice_ref ref = SLICE_REF_INITIALIZER;
	struct slice *n, *r;

	slice_init(&s, MEM_WAIT);
	for (int i = 0; i < 500; i++)
		KTEST_ASSERT(slice_printf(&s, "%d,", i) > 0, "slice_printf %d", i);
	KTEST_ASSERT(!strncmp(s.buf, "0,1,2,", 6) && s.len == 1890, "slice len %zu", s.len);
	slice_free(&s);
	n = slice_new(MEM_WAIT);
	KTEST_ASSERT(n && slice_append(n, "one", 3) == 0, "slice_new");
	slice_publish_ref(&ref, n);
	r = slice_get(&ref);
	KTEST_ASSERT(r == n && !strcmp(r->buf, "one"), "slice_get");
	slice_publish_ref(&ref, NULL);
	KTEST_ASSERT(!strcmp(r->buf, "one"), "reader lost its slice");
	slice_put(r);
}

static int cmd_mmtest(int argc, char **argv, struct hw_trapframe *tf)
{
	(void)argc;
	(void)argv;
	(void)tf;
	ktest_pmm_patterns();
	printk("mmtest: pmm_patterns ok\n");
	ktest_kmalloc_basic();
	printk("mmtest: kmalloc_basic ok\n");
	ktest_kmalloc_stress_cpu();
	printk("mmtest: kmalloc_stress_cpu ok\n");
	ktest_vm_layout();
	printk("mmtest: vm_layout ok\n");
	ktest_slice_kernel();
	printk("mmtest: slice_kernel ok\n");
	return 0;
}
MONITOR_CMD("mmtest", "mmtest: run the memory-subsystem self-tests on this CPU", cmd_mmtest);
