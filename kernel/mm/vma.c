/*
 * The vm_area list of an address space: lookup, insertion, removal with
 * splitting, protection changes, free-range search and brk.  The list is
 * sorted by start address and areas never overlap.  All functions take
 * mm->lock themselves except the __ ones, which expect it held.  An area
 * holds one reference on its object and one on its file identity.
 */
#include <kern/uvm.h>
#include <kern/kmalloc.h>
#include <kern/memlayout.h>
#include <kern/errno.h>
#include <kern/string.h>
#include <kern/vmobj.h>
#include "internal.h"

struct vm_area *__uvm_find(struct mm *mm, uintptr_t addr)
{
	struct vm_area *v;

	list_for_each_entry(v, &mm->vmas, link) {
		if (addr < v->start)
			return NULL;
		if (addr < v->end)
			return v;
	}
	return NULL;
}

/* True if [start, end) is a valid, page-aligned user range. */
static bool range_ok(uintptr_t start, size_t len, uintptr_t *end)
{
	if ((start & (PGSIZE - 1)) || !len || check_add_overflow(start, ROUNDUP(len, PGSIZE), end))
		return false;
	return start >= USER_MIN && *end <= USER_MAX;
}

int uvm_map(struct mm *mm, uintptr_t start, size_t len, int prot, int flags, const char *name)
{
	struct vm_backing b = { .name = name };

	return uvm_map_backed(mm, start, len, prot, flags, &b);
}

/* Free an area unlinked from its list, dropping its references. */
void __vma_free(struct vm_area *v)
{
	if (v->obj)
		vmo_put_map(v->obj, vma_shared_maywrite(v));
	vm_file_put(v->file);
	kfree(v);
}

/* True if n, starting where prev ends, continues prev (same everything, next pages). */
static bool continues(const struct vm_area *prev, const struct vm_area *n)
{
	if (prev->end != n->start || prev->prot != n->prot || prev->flags != n->flags ||
	    prev->name != n->name || prev->obj != n->obj || prev->file != n->file)
		return false;
	return (!n->obj && !n->file) || prev->pgoff + (prev->end - prev->start) / PGSIZE == n->pgoff;
}

/*
 * Link n into mm's sorted list (mm->lock held): 0, or -ENOMEM if it
 * overlaps an area.  *merged: n only extended the area before it (mremap
 * growth, brk) and is the caller's to free.
 */
static int __vma_insert(struct mm *mm, struct vm_area *n, bool *merged)
{
	struct vm_area *v;

	*merged = false;
	if (mm->lock_future)
		n->flags |= VMA_LOCKED;
	list_for_each_entry(v, &mm->vmas, link) {
		if (v->end > n->start && v->start < n->end)
			return -ENOMEM;
		if (v->start >= n->end)
			break;
	}
	/* v is the first area after the new one (or the list head). */
	if (v->link.prev != &mm->vmas) {
		struct vm_area *prev = list_entry(v->link.prev, struct vm_area, link);

		if (continues(prev, n)) {
			prev->end = n->end;
			*merged = true;
			return 0;
		}
	}
	if (n->obj)
		vmo_get_map(n->obj, vma_shared_maywrite(n));
	vm_file_get(n->file);
	list_add_tail(&n->link, &v->link);
	return 0;
}

/* A new unlinked area for [start, start + len) backed by b; NULL when memory is short. */
static struct vm_area *vma_new(uintptr_t start, size_t len, int prot, int flags,
			       const struct vm_backing *b)
{
	struct vm_area *n = kzmalloc(sizeof(*n), MEM_WAIT);

	if (!n)
		return NULL;
	n->start = start;
	n->end = start + ROUNDUP(len, PGSIZE);
	n->prot = prot;
	n->flags = flags;
	n->name = b->name;
	n->obj = b->obj;
	n->file = b->file;
	n->pgoff = b->pgoff;
	return n;
}

int uvm_map_backed(struct mm *mm, uintptr_t start, size_t len, int prot, int flags,
		   const struct vm_backing *b)
{
	struct vm_area *n;
	uintptr_t end;
	bool merged;
	int err;
	u64 irq;

	if (!range_ok(start, len, &end))
		return -EINVAL;
	n = vma_new(start, len, prot, flags, b);
	if (!n)
		return -ENOMEM;
	irq = spin_lock_irqsave(&mm->lock);
	err = __vma_insert(mm, n, &merged);
	spin_unlock_irqrestore(&mm->lock, irq);
	if (err || merged)
		kfree(n);
	return err;
}

/* Split v at addr (inside it); returns the upper part or NULL when memory is short. */
static struct vm_area *split(struct vm_area *v, uintptr_t addr)
{
	struct vm_area *hi = kmalloc(sizeof(*hi), MEM_ATOMIC);

	if (!hi)
		return NULL;
	*hi = *v;
	hi->start = addr;
	hi->pgoff += (addr - v->start) / PGSIZE;
	if (hi->obj)
		vmo_get_map(hi->obj, vma_shared_maywrite(hi));
	vm_file_get(hi->file);
	v->end = addr;
	list_add(&hi->link, &v->link);
	return hi;
}

/*
 * Apply fn to the parts of areas inside [start, end), splitting areas at
 * the boundaries.  Returns 0, -ENOMEM, or -EFAULT if need_full and part of
 * the range is not mapped.  mm->lock held.
 */
static int for_range(struct mm *mm, uintptr_t start, uintptr_t end, bool need_full,
		     void (*fn)(struct mm *, struct vm_area *, int), int arg)
{
	struct vm_area *v, *n;
	uintptr_t covered = start;

	if (need_full) {
		list_for_each_entry(v, &mm->vmas, link) {
			if (v->end <= covered || v->start >= end)
				continue;
			if (v->start > covered)
				return -ENOMEM;
			covered = v->end;
		}
		if (covered < end)
			return -ENOMEM;
	}
	list_for_each_entry_safe(v, n, &mm->vmas, link) {
		if (v->end <= start || v->start >= end)
			continue;
		if (v->start < start) {
			v = split(v, start);
			if (!v)
				return -ENOMEM;
		}
		if (v->end > end && !split(v, end))
			return -ENOMEM;
		n = list_entry(v->link.next, struct vm_area, link);
		fn(mm, v, arg);
	}
	return 0;
}

static void unmap_one(struct mm *mm, struct vm_area *v, int unused)
{
	__uvm_zap_range(mm, v->start, v->end);
	list_del_init(&v->link);
	__vma_free(v);
}

int uvm_unmap(struct mm *mm, uintptr_t start, size_t len)
{
	uintptr_t end;
	u64 irq;
	int ret;

	if (!range_ok(start, len, &end))
		return -EINVAL;
	irq = spin_lock_irqsave(&mm->lock);
	ret = for_range(mm, start, end, false, unmap_one, 0);
	spin_unlock_irqrestore(&mm->lock, irq);
	tlb_flush_mm(mm);
	return ret;
}

static void protect_one(struct mm *mm, struct vm_area *v, int prot)
{
	v->prot = prot;
	__uvm_reprotect(mm, v->start, v->end, prot);
}

/* -EACCES if a shared area in [start, end) may not be writable (Linux: no VM_MAYWRITE).  mm->lock held. */
static int shared_readonly_in(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vm_area *v;

	list_for_each_entry(v, &mm->vmas, link) {
		if (v->start >= end)
			break;
		if (v->end > start && (v->flags & VMA_SHARED) && !(v->flags & VMA_MAYWRITE))
			return -EACCES;
	}
	return 0;
}

int uvm_protect(struct mm *mm, uintptr_t start, size_t len, int prot)
{
	uintptr_t end;
	u64 irq;
	int ret;

	if (!range_ok(start, len, &end))
		return -EINVAL;
	irq = spin_lock_irqsave(&mm->lock);
	ret = (prot & PROT_WRITE) ? shared_readonly_in(mm, start, end) : 0;
	if (!ret)
		ret = for_range(mm, start, end, true, protect_one, prot);
	spin_unlock_irqrestore(&mm->lock, irq);
	tlb_flush_mm(mm);
	return ret;
}

/* for_range callback: set (on) or clear VMA_LOCKED on v. */
static void lock_one(struct mm *mm, struct vm_area *v, int on)
{
	(void)mm;
	if (on)
		v->flags |= VMA_LOCKED;
	else
		v->flags &= ~VMA_LOCKED;
}

int uvm_set_locked(struct mm *mm, uintptr_t start, size_t len, bool on)
{
	uintptr_t end;
	u64 irq;
	int ret;

	if (!range_ok(start, len, &end))
		return -ENOMEM;
	irq = spin_lock_irqsave(&mm->lock);
	ret = for_range(mm, start, end, true, lock_one, on);
	spin_unlock_irqrestore(&mm->lock, irq);
	return ret;
}

/* Set (on) or clear VMA_LOCKED on every area (if all) and set lock_future. */
static void lock_every(struct mm *mm, bool all, bool on, bool future)
{
	struct vm_area *v;
	u64 irq = spin_lock_irqsave(&mm->lock);

	if (all)
		list_for_each_entry(v, &mm->vmas, link)
			lock_one(mm, v, on);
	mm->lock_future = future;
	spin_unlock_irqrestore(&mm->lock, irq);
}

void uvm_lock_all(struct mm *mm, bool current, bool future)
{
	lock_every(mm, current, true, future);
}

void uvm_unlock_all(struct mm *mm)
{
	lock_every(mm, true, false, false);
}

size_t uvm_locked_bytes(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vm_area *v;
	size_t sum = 0;
	u64 irq = spin_lock_irqsave(&mm->lock);

	list_for_each_entry(v, &mm->vmas, link) {
		if (v->end <= start || v->start >= end || !(v->flags & VMA_LOCKED))
			continue;
		sum += MIN(v->end, end) - MAX(v->start, start);
	}
	spin_unlock_irqrestore(&mm->lock, irq);
	return sum;
}

bool uvm_range_mapped(struct mm *mm, uintptr_t start, size_t len)
{
	uintptr_t covered = start, end = start + len;
	struct vm_area *v;
	u64 irq = spin_lock_irqsave(&mm->lock);

	list_for_each_entry(v, &mm->vmas, link) {
		if (v->end <= covered || v->start >= end)
			continue;
		if (v->start > covered)
			break;
		covered = v->end;
	}
	spin_unlock_irqrestore(&mm->lock, irq);
	return covered >= end;
}

size_t uvm_mapped_bytes(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vm_area *v;
	size_t sum = 0;
	u64 irq = spin_lock_irqsave(&mm->lock);

	list_for_each_entry(v, &mm->vmas, link) {
		if (v->end <= start || v->start >= end)
			continue;
		sum += MIN(v->end, end) - MAX(v->start, start);
	}
	spin_unlock_irqrestore(&mm->lock, irq);
	return sum;
}

/*
 * The first free range of len bytes at or above hint, or 0 if none ends
 * below the stack area (mm->lock held).  Overflow-safe: a hint or length
 * near the top of the address space (mmap's hint is the caller's) fails
 * instead of wrapping into a range below it.
 */
static uintptr_t __find_free(struct mm *mm, uintptr_t hint, size_t len)
{
	const uintptr_t limit = USER_STACK_TOP - USER_STACK_MAX;
	uintptr_t cand;
	struct vm_area *v;

	if (!len || len > limit - USER_MIN || hint > limit)
		return 0;
	len = ROUNDUP(len, PGSIZE);
	cand = ROUNDUP(MAX(hint, USER_MIN), PGSIZE);
	if (cand > limit - len)
		return 0;
	list_for_each_entry(v, &mm->vmas, link) {
		if (v->end <= cand)
			continue;
		if (v->start >= cand + len)
			break;
		cand = v->end;
		if (cand > limit - len)
			return 0;
	}
	return cand;
}

uintptr_t uvm_find_free(struct mm *mm, uintptr_t hint, size_t len)
{
	u64 irq = spin_lock_irqsave(&mm->lock);
	uintptr_t r = __find_free(mm, hint, len);

	spin_unlock_irqrestore(&mm->lock, irq);
	return r;
}

int uvm_map_search(struct mm *mm, uintptr_t hint, bool exact, size_t len, int prot, int flags,
		   const struct vm_backing *b, uintptr_t *addr)
{
	struct vm_area *n = vma_new(0, len, prot, flags, b);
	uintptr_t got;
	bool merged = false;
	int err = -ENOMEM;
	u64 irq;

	if (!n)
		return -ENOMEM;
	/* Search and insert in one section: concurrent mmaps of threads never pick one range. */
	irq = spin_lock_irqsave(&mm->lock);
	got = __find_free(mm, hint, len);
	if (got && (!exact || got == hint)) {
		n->end = got + (n->end - n->start);
		n->start = got;
		err = __vma_insert(mm, n, &merged);
	}
	spin_unlock_irqrestore(&mm->lock, irq);
	if (err || merged)
		kfree(n);
	if (!err)
		*addr = got;
	return err;
}

uintptr_t uvm_brk(struct mm *mm, uintptr_t new_brk)
{
	uintptr_t old_end = ROUNDUP(mm->brk, PGSIZE), new_end = ROUNDUP(new_brk, PGSIZE);

	if (new_brk < mm->brk_start || new_brk >= USER_MMAP_BASE)
		return mm->brk;
	if (new_end > old_end) {
		if (uvm_find_free(mm, old_end, new_end - old_end) != old_end ||
		    uvm_map(mm, old_end, new_end - old_end, PROT_READ | PROT_WRITE,
			    VMA_PRIVATE | VMA_HEAP, "[heap]"))
			return mm->brk;
	} else if (new_end < old_end) {
		uvm_unmap(mm, new_end, old_end - new_end);
	}
	mm->brk = new_brk;
	return new_brk;
}

int uvm_discard(struct mm *mm, uintptr_t start, size_t len)
{
	uintptr_t end;
	u64 irq;

	if (!range_ok(start, len, &end))
		return -EINVAL;
	irq = spin_lock_irqsave(&mm->lock);
	__uvm_zap_range(mm, start, end);
	spin_unlock_irqrestore(&mm->lock, irq);
	tlb_flush_mm(mm);
	return 0;
}
