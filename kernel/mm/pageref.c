/*
 * Physical page reference counts (see kern/pageref.h): one u32 per page
 * frame below the top of RAM, allocated once at boot from the buddy
 * allocator.  Counts change with atomic operations, so no lock is needed.
 */
#include <kern/pageref.h>
#include <kern/pmm.h>
#include <kern/memlayout.h>
#include <kern/printk.h>
#include <kern/string.h>

static u32 *refs;
static size_t nframes;

void pageref_init(physaddr_t max_pa)
{
	size_t bytes = (max_pa >> PGSHIFT) * sizeof(u32);
	int order = 0;
	physaddr_t pa;

	while (((size_t)PGSIZE << order) < bytes)
		order++;
	if (order >= MAX_ORDER) {
		/* More RAM than one buddy block can index: use kmalloc's large path. */
		refs = kzmalloc(bytes, MEM_WAIT);
	} else {
		pa = page_alloc(order, MEM_WAIT);
		refs = pa ? KADDR(pa) : NULL;
		if (refs)
			memset(refs, 0, (size_t)PGSIZE << order);
	}
	if (!refs)
		panic("pageref: cannot allocate %zu bytes of page counts", bytes);
	nframes = max_pa >> PGSHIFT;
}

static u32 *ref_of(physaddr_t pa)
{
	size_t pfn = pa >> PGSHIFT;

	if (pfn >= nframes)
		panic("pageref: page %llx beyond RAM", (u64)pa);
	return &refs[pfn];
}

void page_ref_set(physaddr_t pa, u32 count)
{
	__atomic_store_n(ref_of(pa), count, __ATOMIC_RELEASE);
}

void page_get(physaddr_t pa)
{
	__atomic_fetch_add(ref_of(pa), 1, __ATOMIC_ACQ_REL);
}

void page_put(physaddr_t pa)
{
	u32 old = __atomic_fetch_sub(ref_of(pa), 1, __ATOMIC_ACQ_REL);

	if (old == 0)
		panic("pageref: put of free page %llx", (u64)pa);
	if (old == 1)
		page_free(pa, 0);
}

u32 page_refcount(physaddr_t pa)
{
	return __atomic_load_n(ref_of(pa), __ATOMIC_ACQUIRE);
}
