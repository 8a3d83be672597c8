/*
 * Truncation of mapped objects: after a file shrinks, every page-table
 * entry mapping one of its pages wholly past the new end (the object's
 * page or a private copy of it, as Linux does) is removed, so the next
 * access faults and, finding the page past EOF, gets SIGBUS.
 *
 * Hole punching: the pages a punch took out of the object are unmapped
 * wherever a PTE at their index still maps that very page (shared areas,
 * and private ones not yet copied); private copies stay, as on Linux.
 * The next access faults in a fresh zero page.
 *
 * There is no reverse map: the walk visits every address space on
 * mm_list (truncating a mapped file is rare).  Lock order: mm_list_lock,
 * then mm->lock; the shootdown runs with only mm_list_lock held, which
 * keeps the mm alive.
 */
#include <kern/uvm.h>
#include <kern/vmobj.h>
#include <kern/memlayout.h>
#include "internal.h"

/* Zap o's pages from index first in mm; true if anything was mapped there. */
static bool zap_obj_in_mm(struct mm *mm, struct vm_object *o, u64 first)
{
	struct vm_area *v;
	bool hit = false;
	u64 irq = spin_lock_irqsave(&mm->lock);

	list_for_each_entry(v, &mm->vmas, link) {
		u64 npages = (v->end - v->start) / PGSIZE;
		uintptr_t from;

		if (v->obj != o || v->pgoff + npages <= first)
			continue;
		from = v->pgoff >= first ? v->start : v->start + (first - v->pgoff) * PGSIZE;
		__uvm_zap_range(mm, from, v->end);
		hit = true;
	}
	spin_unlock_irqrestore(&mm->lock, irq);
	return hit;
}

void vmo_unmap_beyond(struct vm_object *o, u64 first)
{
	struct mm *mm;

	if (__atomic_load_n(&o->refcnt, __ATOMIC_ACQUIRE) <= 1)
		return;		/* only the inode: nothing is mapped */
	spin_lock(&mm_list_lock);
	list_for_each_entry(mm, &mm_list, mm_link)
		if (zap_obj_in_mm(mm, o, first))
			tlb_flush_mm(mm);
	spin_unlock(&mm_list_lock);
}

/* Zap the PTEs in mm that map one of b's pages at its index; true if any did. */
static bool zap_batch_in_mm(struct mm *mm, struct vm_object *o, const struct vmo_batch *b)
{
	struct vm_area *v;
	bool hit = false;
	u64 irq = spin_lock_irqsave(&mm->lock);

	list_for_each_entry(v, &mm->vmas, link) {
		u64 npages = (v->end - v->start) / PGSIZE;

		if (v->obj != o)
			continue;
		for (size_t i = 0; i < b->n; i++) {
			u64 idx = b->idx[i];

			if (idx < v->pgoff || idx - v->pgoff >= npages)
				continue;
			if (__uvm_zap_page(mm, v->start + (idx - v->pgoff) * PGSIZE,
					   PADDR(b->blocks[i])))
				hit = true;
		}
	}
	spin_unlock_irqrestore(&mm->lock, irq);
	return hit;
}

void vmo_unmap_batch(struct vm_object *o, const struct vmo_batch *b)
{
	struct mm *mm;

	if (__atomic_load_n(&o->refcnt, __ATOMIC_ACQUIRE) <= 1)
		return;		/* only the inode: nothing is mapped */
	spin_lock(&mm_list_lock);
	list_for_each_entry(mm, &mm_list, mm_link)
		if (zap_batch_in_mm(mm, o, b))
			tlb_flush_mm(mm);
	spin_unlock(&mm_list_lock);
}
