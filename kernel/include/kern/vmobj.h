/*
 * Memory objects: the page cache of in-memory files and the backing of
 * shared anonymous memory.
 *
 * A vm_object is a sparse array of page-sized blocks (a NULL slot is a
 * hole that reads as zeros) plus a byte size.  ramfs keeps every regular
 * file's data in one; mmap maps its pages straight into address spaces, so
 * a MAP_SHARED mapping and read()/write() see the same bytes, and private
 * mappings map them copy-on-write.  MAP_SHARED|MAP_ANONYMOUS areas get an
 * anonymous object, so after fork parent and child still share pages that
 * neither had touched yet.
 *
 * Lifetime: the object is reference counted (atomic refcnt): the inode
 * holds one, every vm_area mapping it holds one.  Each page carries a
 * physical page reference (kern/pageref.h) for the object plus one per
 * page-table entry, so truncation can drop pages that are still mapped.
 * Shrinking calls vmo_unmap_beyond() (kernel only) so that accesses to
 * mapped pages wholly past the new end fault again and get SIGBUS.
 *
 * fallocate (ramfs) fills holes with __vmo_alloc_range(), all pages or
 * none, and may leave pages past the size (FALLOC_FL_KEEP_SIZE): they
 * count in st_blocks, read as nothing and cannot be mapped until the file
 * grows over them.  vmo_punch() zeroes the partial pages of a range in
 * place and takes the whole ones out in batches of VMO_BATCH; each batch
 * is unmapped from every address space (the PTEs that still map those
 * very pages, so private copies survive, as Linux's hole punch leaves
 * COWed pages) before its references are dropped.
 *
 * Seals (Linux's memfd F_SEAL_*, set by fcntl in mm/memfd.c) live in
 * the object because every write and resize already holds its lock: the
 * __vmo_seal_* checks below are what ramfs calls.  A new object starts
 * with F_SEAL_SEAL (no seals can be added), as a tmpfs file does;
 * memfd_create(MFD_ALLOW_SEALING) clears it.  write_maps counts the
 * shared areas that may write the pages (VMA_MAYWRITE, Linux's
 * i_mmap_writable), so F_SEAL_WRITE can refuse with -EBUSY while one
 * exists.
 *
 * Locking: o->lock protects pages, cap, size and seals.  write_maps is
 * atomic, and rises from 0 only under o->lock (mmap's seal check), so a
 * seal added under the lock cannot miss a mapping being made.  Lock
 * order: mm->lock, then o->lock; vfs_lock, then o->lock.
 */
#ifndef KERN_VMOBJ_H
#define KERN_VMOBJ_H

#include <kern/types.h>
#include <kern/spinlock.h>

#define VMO_MAX_SIZE	(1ull << 31)	/* EFBIG beyond 2 GiB */
#define VMO_BATCH	32		/* pages a punch takes out per lock hold */

struct vm_object {
	int refcnt;		/* atomic */
	struct spinlock lock;
	u64 size;		/* bytes; under lock */
	void **pages;		/* kernel address of block i or NULL; under lock */
	size_t cap;		/* slots in pages[]; under lock */
	u32 seals;		/* F_SEAL_* (abi/fcntl.h); under lock */
	int write_maps;		/* atomic: VMA_SHARED|VMA_MAYWRITE areas (+ mmaps in progress) */
};

/* Pages a punch took out of an object, still holding the object's references; the punching task's own (no lock). */
struct vmo_batch {
	size_t n;
	u64 idx[VMO_BATCH];	/* page index in the object */
	void *blocks[VMO_BATCH];
};

/* New empty object of size bytes with one reference; NULL when memory is short. */
struct vm_object *vmo_create(u64 size);
void vmo_get(struct vm_object *o);
/* Drop a reference; the last one frees the pages. */
void vmo_put(struct vm_object *o);
/* An area's reference on o; writable: the area is shared and may write (counted in write_maps). */
void vmo_get_map(struct vm_object *o, bool writable);
/* Drop what vmo_get_map took. */
void vmo_put_map(struct vm_object *o, bool writable);
/*
 * Seal check for a write of *n > 0 bytes at off: -EPERM under a write
 * seal; under F_SEAL_GROW *n is cut to the whole pages below the size
 * (Linux seals page by page), -EPERM if that leaves nothing.  o->lock held.
 */
int __vmo_seal_write(struct vm_object *o, u64 off, size_t *n);
/* Seal check for resizing to size: -EPERM if F_SEAL_SHRINK/F_SEAL_GROW forbid it.  o->lock held. */
int __vmo_seal_resize(struct vm_object *o, u64 size);
/* Block idx (allocated if a hole and alloc); NULL if a hole or out of memory.  o->lock held. */
void *__vmo_block(struct vm_object *o, u64 idx, bool alloc);
/* Set the size, dropping blocks past it and zeroing the tail of the last; -ENOMEM/-EFBIG.  o->lock held. */
int __vmo_resize(struct vm_object *o, u64 size);
/* Copy out up to n bytes at off (clipped at size); bytes copied.  o->lock held. */
size_t __vmo_read(struct vm_object *o, void *buf, size_t n, u64 off);
/* Copy n bytes in at off, growing the size; 0 or -ENOMEM/-EFBIG.  o->lock held. */
int __vmo_write(struct vm_object *o, const void *buf, size_t n, u64 off);
/* Fill the holes among blocks [first, last) with zeroed pages, all or none; 0 or -ENOMEM.  o->lock held. */
int __vmo_alloc_range(struct vm_object *o, u64 first, u64 last);
/*
 * Punch bytes [off, end): zero them in partial pages, drop whole pages
 * and their mappings; the size stays.  -EPERM under a write seal (checked
 * per batch: a seal added midway stops the rest).  Takes o->lock.
 */
int vmo_punch(struct vm_object *o, u64 off, u64 end);
/*
 * Physical address of page idx with a page reference for a new mapping,
 * allocating holes; -ENXIO if the page lies wholly past the end (SIGBUS),
 * -ENOMEM.  Kernel only.
 */
int vmo_map_page(struct vm_object *o, u64 idx, physaddr_t *pa);
/* Zap every mapping of o's pages from index first on (kernel only; after a shrink). */
void vmo_unmap_beyond(struct vm_object *o, u64 first);
/* Zap every mapping of the pages in b at their indices (kernel only; after a punch took them out). */
void vmo_unmap_batch(struct vm_object *o, const struct vmo_batch *b);

#endif
