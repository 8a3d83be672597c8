/*
 * User address spaces: creation, fork, teardown and the page-fault path
 * (see kern/uvm.h for the model and locking).  The vma list operations
 * live in mm/vma.c; this file owns the page table side.
 */
#include <kern/uvm.h>
#include <kern/vm.h>
#include <kern/pmm.h>
#include <kern/pageref.h>
#include <kern/kmalloc.h>
#include <kern/memlayout.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <kern/vmobj.h>
#include <kern/ttrace.h>
#include <arch/x86.h>
#include "internal.h"

#define PTE_COW		(1ULL << 9)	/* software bit: copy on write */
#define PT_USER_FLAGS	(PTE_P | PTE_W | PTE_U)

/* Every live address space, for zapping truncated file pages (mm/uvm_obj.c). */
struct spinlock mm_list_lock = SPINLOCK_INITIALIZER("mm_list");
LIST_HEAD(mm_list);

/* Zeroed page for a page table or user data; 0 when memory is short. */
static physaddr_t zero_page(void)
{
	physaddr_t pa = page_alloc(0, MEM_WAIT | MEM_USER);

	if (pa)
		memset(KADDR(pa), 0, PGSIZE);
	return pa;
}

/* Leaf PTE for va in the user half, creating tables if alloc; NULL on failure. */
static u64 *pte_walk(physaddr_t pml4_pa, uintptr_t va, bool alloc)
{
	u64 *table = KADDR(pml4_pa);

	for (int level = 3; level > 0; level--) {
		u64 *e = &table[(va >> (PGSHIFT + 9 * level)) & 511];

		if (!(*e & PTE_P)) {
			physaddr_t pa;

			if (!alloc || !(pa = zero_page()))
				return NULL;
			*e = pa | PT_USER_FLAGS;
		}
		table = KADDR(*e & PTE_ADDR_MASK);
	}
	return &table[(va >> PGSHIFT) & 511];
}

/*
 * Leaf PTE for va when its page table exists, else NULL.  *next is where
 * a range walk goes on: the next page, or past the whole unpopulated
 * 2 MiB / 1 GiB / 512 GiB region, so walks over huge sparse areas (a
 * terabyte of PROT_NONE) cost what is populated, not the area's size.
 */
static u64 *pte_lookup(physaddr_t pml4_pa, uintptr_t va, uintptr_t *next)
{
	u64 *table = KADDR(pml4_pa);

	for (int level = 3; level > 0; level--) {
		u64 *e = &table[(va >> (PGSHIFT + 9 * level)) & 511];

		if (!(*e & PTE_P)) {
			uintptr_t span = 1ULL << (PGSHIFT + 9 * level);

			*next = (va & ~(span - 1)) + span;
			return NULL;
		}
		table = KADDR(*e & PTE_ADDR_MASK);
	}
	*next = va + PGSIZE;
	return &table[(va >> PGSHIFT) & 511];
}

static u64 prot_to_pte(int prot)
{
	/* PROT_NONE keeps the page (mprotect back restores it) but as supervisor-only. */
	u64 f = PTE_P | ((prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) ? PTE_U : 0);

	if (prot & PROT_WRITE)
		f |= PTE_W;
	if (!(prot & PROT_EXEC))
		f |= PTE_NX;
	return f;
}

struct mm *mm_create(void)
{
	struct mm *mm = kzmalloc(sizeof(*mm), MEM_WAIT);
	u64 *pml4, *kpml4 = KADDR(kern_pml4_pa);

	if (!mm)
		return NULL;
	mm->pml4_pa = zero_page();
	if (!mm->pml4_pa) {
		kfree(mm);
		return NULL;
	}
	pml4 = KADDR(mm->pml4_pa);
	/* The kernel half is shared: every kernel PML4 slot exists from vm_init on. */
	for (int i = 256; i < 512; i++)
		pml4[i] = kpml4[i];
	spinlock_init(&mm->lock, "mm");
	INIT_LIST_HEAD(&mm->vmas);
	mm->mmap_base = USER_MMAP_BASE;
	mm->refcount = 1;
	spin_lock(&mm_list_lock);
	list_add_tail(&mm->mm_link, &mm_list);
	spin_unlock(&mm_list_lock);
	return mm;
}

void mm_get(struct mm *mm)
{
	__atomic_fetch_add(&mm->refcount, 1, __ATOMIC_RELAXED);
}

/* Drop every user page in [start, end) (mm->lock held). */
void __uvm_zap_range(struct mm *mm, uintptr_t start, uintptr_t end)
{
	for (uintptr_t va = start, next; va < end; va = next) {
		u64 *pte = pte_lookup(mm->pml4_pa, va, &next);

		if (!pte || !(*pte & PTE_P))
			continue;
		page_put(*pte & PTE_ADDR_MASK);
		*pte = 0;
		mm->rss_pages--;
	}
}

/* Drop the PTE at va if it maps page pa; true if it did (mm->lock held). */
bool __uvm_zap_page(struct mm *mm, uintptr_t va, physaddr_t pa)
{
	uintptr_t next;
	u64 *pte = pte_lookup(mm->pml4_pa, va, &next);

	if (!pte || !(*pte & PTE_P) || (*pte & PTE_ADDR_MASK) != pa)
		return false;
	page_put(pa);
	*pte = 0;
	mm->rss_pages--;
	return true;
}

/* Free the page-table pages of the user half. */
static void free_tables(u64 *table, int level)
{
	int n = level == 3 ? 256 : 512;

	for (int i = 0; i < n; i++) {
		if (!(table[i] & PTE_P))
			continue;
		if (level > 1)
			free_tables(KADDR(table[i] & PTE_ADDR_MASK), level - 1);
		page_free(table[i] & PTE_ADDR_MASK, 0);
	}
}

void mm_put(struct mm *mm)
{
	struct vm_area *v, *n;

	if (__atomic_sub_fetch(&mm->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	spin_lock(&mm_list_lock);
	list_del_init(&mm->mm_link);
	spin_unlock(&mm_list_lock);
	list_for_each_entry_safe(v, n, &mm->vmas, link) {
		__uvm_zap_range(mm, v->start, v->end);
		list_del_init(&v->link);
		__vma_free(v);
	}
	free_tables(KADDR(mm->pml4_pa), 3);
	page_free(mm->pml4_pa, 0);
	kfree(mm);
}

/* Share or COW-share one present page of a vma into the child. */
static int fork_page(struct mm *child, u64 *ppte, uintptr_t va, const struct vm_area *v)
{
	u64 *cpte = pte_walk(child->pml4_pa, va, true);

	if (!cpte)
		return -ENOMEM;
	/* Every private page becomes COW, even read-only ones: forced writes (exec, debuggers) copy. */
	if (v->flags & VMA_PRIVATE)
		*ppte = (*ppte & ~PTE_W) | PTE_COW;
	page_get(*ppte & PTE_ADDR_MASK);
	*cpte = *ppte;
	child->rss_pages++;
	return 0;
}

struct mm *mm_fork(struct mm *mm)
{
	struct mm *child = mm_create();
	struct vm_area *v;
	u64 flags;

	if (!child)
		return NULL;
	flags = spin_lock_irqsave(&mm->lock);
	child->brk_start = mm->brk_start;
	child->brk = mm->brk;
	child->mmap_base = mm->mmap_base;
	child->start_code = mm->start_code;
	child->end_code = mm->end_code;
	child->start_stack = mm->start_stack;
	child->arg_start = mm->arg_start;
	child->arg_end = mm->arg_end;
	child->env_start = mm->env_start;
	child->env_end = mm->env_end;
	memcpy(child->saved_auxv, mm->saved_auxv, sizeof(child->saved_auxv));
	child->saved_auxv_bytes = mm->saved_auxv_bytes;
	list_for_each_entry(v, &mm->vmas, link) {
		struct vm_area *c = kmalloc(sizeof(*c), MEM_WAIT);

		if (!c)
			goto no_mem;
		*c = *v;
		c->flags &= ~VMA_LOCKED;	/* Linux: mlock is not inherited */
		if (c->obj)
			vmo_get_map(c->obj, vma_shared_maywrite(c));
		vm_file_get(c->file);
		list_add_tail(&c->link, &child->vmas);
		for (uintptr_t va = v->start, next; va < v->end; va = next) {
			u64 *pte = pte_lookup(mm->pml4_pa, va, &next);

			if (pte && (*pte & PTE_P) && fork_page(child, pte, va, v))
				goto no_mem;
		}
	}
	spin_unlock_irqrestore(&mm->lock, flags);
	tlb_flush_mm(mm);
	return child;
no_mem:
	spin_unlock_irqrestore(&mm->lock, flags);
	tlb_flush_mm(mm);
	mm_put(child);
	return NULL;
}

/*
 * Give va a private writable copy of a COW page; 0 or -ENOMEM.  mm->lock
 * held.  Break before make, as Linux's wp_page_copy: the PTE is cleared
 * and every CPU running mm flushes before the copy is installed.  Were the
 * copy installed first, a CPU still caching the old read-only entry would
 * read the old page after others wrote the new one, and under QEMU's
 * single-threaded TCG a locked read-modify-write (lock xadd) reads through
 * that stale entry and writes through a fresh walk of the new PTE, losing
 * a concurrent increment (tests/stress/threadexit hung that way).  CPUs
 * that touch va meanwhile fault and wait on mm->lock.
 */
static int break_cow(struct mm *mm, u64 *pte, uintptr_t va, const struct vm_area *v)
{
	physaddr_t old = *pte & PTE_ADDR_MASK, copy;

	if (page_refcount(old) == 1) {
		*pte = old | prot_to_pte(v->prot);
		return 0;
	}
	copy = page_alloc(0, MEM_WAIT | MEM_USER);
	if (!copy)
		return -ENOMEM;
	memcpy(KADDR(copy), KADDR(old), PGSIZE);
	page_ref_set(copy, 1);
	*pte = 0;
	if ((read_cr3() & PTE_ADDR_MASK) == mm->pml4_pa)
		invlpg((void *)va);
	tlb_flush_mm_others(mm);
	*pte = copy | prot_to_pte(v->prot);
	page_put(old);
	return 0;
}

/* Map page va of an object-backed area: shared pages directly, private ones copy-on-write. */
static int fault_obj_page(struct mm *mm, struct vm_area *v, uintptr_t va, u64 *pte)
{
	physaddr_t pa;
	int err = vmo_map_page(v->obj, v->pgoff + (va - v->start) / PGSIZE, &pa);

	if (err)
		return err;
	*pte = pa | prot_to_pte(v->prot);
	if (v->flags & VMA_PRIVATE)
		*pte = (*pte & ~PTE_W) | PTE_COW;
	mm->rss_pages++;
	return 0;
}

/*
 * Make the page at va present (and writable if write) in mm; *ptep gets
 * the PTE.  The kernel filling a new image (uvm_copy) ignores the area's
 * protection: it writes through the direct map.  A COW break shoots the
 * old page down on every CPU before the copy appears (break_cow).
 * Returns 0, -ENOMEM or -ENXIO (object page past its end).  mm->lock held.
 */
static int fault_in_cow(struct mm *mm, struct vm_area *v, uintptr_t va, bool write,
			u64 **ptep)
{
	u64 *pte = pte_walk(mm->pml4_pa, va, true);
	physaddr_t pa;

	if (!pte)
		return -ENOMEM;
	if (!(*pte & PTE_P) && v->obj) {
		int err = fault_obj_page(mm, v, va, pte);

		if (err)
			return err;
	} else if (!(*pte & PTE_P)) {
		pa = zero_page();
		if (!pa)
			return -ENOMEM;
		page_ref_set(pa, 1);
		*pte = pa | prot_to_pte(v->prot);
		mm->rss_pages++;
	}
	if (write && (*pte & PTE_COW) && break_cow(mm, pte, va, v))
		return -ENOMEM;
	*ptep = pte;
	return 0;
}

int uvm_handle_fault(struct mm *mm, uintptr_t addr, int ff)
{
	uintptr_t va = ROUNDDOWN(addr, PGSIZE);
	struct vm_area *v;
	int ret = -EFAULT;
	u64 flags;

	if (addr < USER_MIN || addr >= USER_MAX)
		return -EFAULT;
	flags = spin_lock_irqsave(&mm->lock);
	v = __uvm_find(mm, addr);
	if (!v)
		goto out;
	if ((ff & FAULT_WRITE) && !(v->prot & PROT_WRITE))
		goto out;
	if ((ff & FAULT_EXEC) && !(v->prot & PROT_EXEC))
		goto out;
	if (!(ff & (FAULT_WRITE | FAULT_EXEC)) && !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		goto out;
	u64 *pte;

	ret = fault_in_cow(mm, v, va, ff & FAULT_WRITE, &pte);
	invlpg((void *)va);
out:
	spin_unlock_irqrestore(&mm->lock, flags);
	ttrace_page_fault(addr, ff, ret);
	return ret;
}

int uvm_populate(struct mm *mm, uintptr_t start, uintptr_t end)
{
	int ret = 0;
	u64 flags = spin_lock_irqsave(&mm->lock);

	struct vm_area *v;

	/* Walk the areas, not the addresses: [start, end) may be all of user space. */
	list_for_each_entry(v, &mm->vmas, link) {
		bool write = (v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED);

		if (v->end <= start || !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
			continue;
		if (v->start >= end)
			break;
		for (uintptr_t va = MAX(v->start, start); va < MIN(v->end, end); va += PGSIZE) {
			u64 *pte;

			if (fault_in_cow(mm, v, va, write, &pte) == -ENOMEM) {
				ret = -ENOMEM;
				goto out;
			}
		}
	}
out:
	spin_unlock_irqrestore(&mm->lock, flags);
	/* Present pages may have been replaced (COW) or made writable. */
	tlb_flush_mm(mm);
	return ret;
}

/* Is page idx of v's object in its page cache?  mm->lock held (then o->lock). */
static bool obj_page_resident(struct vm_area *v, u64 idx)
{
	bool r;

	spin_lock(&v->obj->lock);
	r = __vmo_block(v->obj, idx, false) != NULL;
	spin_unlock(&v->obj->lock);
	return r;
}

size_t uvm_mincore(struct mm *mm, uintptr_t start, size_t npages, u8 *vec)
{
	u64 flags = spin_lock_irqsave(&mm->lock);
	size_t i;

	for (i = 0; i < npages; i++) {
		uintptr_t va = start + i * PGSIZE, next;
		struct vm_area *v = __uvm_find(mm, va);
		u64 *pte;

		if (!v)
			break;
		pte = pte_lookup(mm->pml4_pa, va, &next);
		vec[i] = (pte && (*pte & PTE_P)) ||
			 (v->obj && obj_page_resident(v, v->pgoff + (va - v->start) / PGSIZE));
	}
	spin_unlock_irqrestore(&mm->lock, flags);
	return i;
}

/* Copy between a kernel buffer and mm's pages, faulting in as needed. */
static int uvm_copy(struct mm *mm, uintptr_t va, void *buf, size_t len, bool to_user)
{
	u64 flags = spin_lock_irqsave(&mm->lock);
	int ret = 0;

	while (len) {
		struct vm_area *v = __uvm_find(mm, va);
		size_t off = va & (PGSIZE - 1), n = MIN(len, PGSIZE - off);
		u64 *pte;
		void *kva;

		if (!v) {
			ret = -EFAULT;
			break;
		}
		ret = fault_in_cow(mm, v, ROUNDDOWN(va, PGSIZE), to_user, &pte);
		if (ret) {
			ret = ret == -ENXIO ? -EFAULT : ret;
			break;
		}
		kva = (char *)KADDR(*pte & PTE_ADDR_MASK) + off;
		if (to_user)
			memcpy(kva, buf, n);
		else
			memcpy(buf, kva, n);
		buf = (char *)buf + n;
		va += n;
		len -= n;
	}
	spin_unlock_irqrestore(&mm->lock, flags);
	return ret;
}

int uvm_write(struct mm *mm, uintptr_t va, const void *src, size_t len)
{
	return uvm_copy(mm, va, (void *)src, len, true);
}

int uvm_read(struct mm *mm, uintptr_t va, void *dst, size_t len)
{
	return uvm_copy(mm, va, dst, len, false);
}

/* Re-apply an area's protection to its present pages (mm->lock held). */
void __uvm_reprotect(struct mm *mm, uintptr_t start, uintptr_t end, int prot)
{
	for (uintptr_t va = start, next; va < end; va = next) {
		u64 *pte = pte_lookup(mm->pml4_pa, va, &next);
		u64 keep;

		if (!pte || !(*pte & PTE_P))
			continue;
		keep = *pte & (PTE_ADDR_MASK | PTE_COW);
		*pte = keep | prot_to_pte(prot);
		if (keep & PTE_COW)
			*pte &= ~PTE_W;
	}
}

/*
 * Run fn on the 32-bit user word at uaddr of mm with mm->lock held, so the
 * page cannot go away meanwhile (futexes).  The page is faulted in (and
 * made private-writable first if write).  *shared_pa is the word's
 * physical address for VMA_SHARED areas, 0 for private ones.  Returns
 * fn's result through *out; 0, -EFAULT (no area, misaligned, protection)
 * or -ENOMEM.
 */
int uvm_user_word(struct mm *mm, uintptr_t uaddr, bool write,
		  u32 (*fn)(volatile u32 *word, void *arg), void *arg, u32 *out,
		  physaddr_t *shared_pa)
{
	struct vm_area *v;
	int ret = -EFAULT;
	u64 flags, *pte;

	if ((uaddr & 3) || uaddr < USER_MIN || uaddr >= USER_MAX)
		return -EFAULT;
	flags = spin_lock_irqsave(&mm->lock);
	v = __uvm_find(mm, uaddr);
	if (!v || !(v->prot & (write ? PROT_WRITE : PROT_READ)))
		goto out;
	ret = fault_in_cow(mm, v, ROUNDDOWN(uaddr, PGSIZE), write, &pte);
	if (ret) {
		ret = ret == -ENXIO ? -EFAULT : ret;
		goto out;
	}
	if (write)
		invlpg((void *)ROUNDDOWN(uaddr, PGSIZE));
	*shared_pa = (v->flags & VMA_SHARED) ?
		     (*pte & PTE_ADDR_MASK) + (uaddr & (PGSIZE - 1)) : 0;
	*out = fn((volatile u32 *)((char *)KADDR(*pte & PTE_ADDR_MASK) + (uaddr & (PGSIZE - 1))), arg);
	ret = 0;
out:
	spin_unlock_irqrestore(&mm->lock, flags);
	return ret;
}

/*
 * mremap core: move the present pages of [old, old+len), which must lie
 * in one area, to the free range at new, which gets an area with the same
 * protection, flags and backing; the old range is unmapped.  0, -EFAULT (not
 * one area) or -ENOMEM.
 */
int uvm_move(struct mm *mm, uintptr_t old, size_t len, uintptr_t new)
{
	struct vm_backing b;
	int prot, vflags, err;
	u64 flags;

	/* References on the backing: the area may go away once unlocked. */
	err = uvm_area_info(mm, old, len, &prot, &vflags, &b);
	if (!err)
		err = uvm_map_backed(mm, new, len, prot, vflags, &b);
	vm_backing_put(&b);
	if (err)
		return err;
	flags = spin_lock_irqsave(&mm->lock);
	for (size_t off = 0, next; off < len; off = next - old) {
		u64 *opte = pte_lookup(mm->pml4_pa, old + off, &next), *npte;

		if (!opte || !(*opte & PTE_P))
			continue;
		npte = pte_walk(mm->pml4_pa, new + off, true);
		if (!npte) {
			err = -ENOMEM;
			break;
		}
		*npte = *opte;
		*opte = 0;
	}
	spin_unlock_irqrestore(&mm->lock, flags);
	tlb_flush_mm(mm);
	if (err) {
		uvm_unmap(mm, new, len);
		return err;
	}
	return uvm_unmap(mm, old, len);
}

/* Protection, flags and backing (referenced) of the area holding [addr, addr+len); 0 or -EFAULT. */
int uvm_area_info(struct mm *mm, uintptr_t addr, size_t len, int *prot, int *vflags,
		  struct vm_backing *b)
{
	u64 flags = spin_lock_irqsave(&mm->lock);
	struct vm_area *v = __uvm_find(mm, addr);
	int err = -EFAULT;

	memset(b, 0, sizeof(*b));
	if (v && v->end >= addr + len) {
		*prot = v->prot;
		*vflags = v->flags;
		b->name = v->name;
		b->obj = v->obj;
		b->file = v->file;
		b->pgoff = v->pgoff + (addr - v->start) / PGSIZE;
		if (v->obj)
			vmo_get(v->obj);	/* the caller puts them: vm_backing_put */
		vm_file_get(v->file);
		err = 0;
	}
	spin_unlock_irqrestore(&mm->lock, flags);
	return err;
}
