/*
 * What the files of kernel/mm share and nothing outside them uses: the
 * list of every address space (for page-cache unmapping) and the
 * mm->lock-held page-table helpers of uvm.c that vma.c and uvm_obj.c call.
 * The allocators keep their own private headers (buddy.h, slab.h,
 * kmalloc_class.h), which the host unit tests include too.
 */
#ifndef KERNEL_MM_INTERNAL_H
#define KERNEL_MM_INTERNAL_H

#include <kern/types.h>
#include <kern/list.h>
#include <kern/spinlock.h>

struct mm;
struct vm_area;

/* Every live struct mm, linked by mm_link (uvm.c); mm_list_lock. */
extern struct spinlock mm_list_lock;
extern struct list_head mm_list;

/* Drop every user page in [start, end) (mm->lock held). */
void __uvm_zap_range(struct mm *mm, uintptr_t start, uintptr_t end);
/* Drop the PTE at va if it maps page pa; true if it did (mm->lock held). */
bool __uvm_zap_page(struct mm *mm, uintptr_t va, physaddr_t pa);
/* Re-apply an area's protection to its present pages (mm->lock held). */
void __uvm_reprotect(struct mm *mm, uintptr_t start, uintptr_t end, int prot);
/* Free an area unlinked from its list, dropping its references (vma.c). */
void __vma_free(struct vm_area *v);

#endif
