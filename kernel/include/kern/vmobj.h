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
 * Locking: o->lock protects pages, cap and size.  Lock order: mm->lock,
 * then o->lock; vfs_lock, then o->lock.
 */
#ifndef KERN_VMOBJ_H
#define KERN_VMOBJ_H

#include <kern/types.h>
#include <kern/spinlock.h>

#define VMO_MAX_SIZE	(1ull << 31)	/* EFBIG beyond 2 GiB */

struct vm_object {
	int refcnt;		/* atomic */
	struct spinlock lock;
	u64 size;		/* bytes; under lock */
	void **pages;		/* kernel address of block i or NULL; under lock */
	size_t cap;		/* slots in pages[]; under lock */
};

/* New empty object of size bytes with one reference; NULL when memory is short. */
struct vm_object *vmo_create(u64 size);
void vmo_get(struct vm_object *o);
/* Drop a reference; the last one frees the pages. */
void vmo_put(struct vm_object *o);
/* Block idx (allocated if a hole and alloc); NULL if a hole or out of memory.  o->lock held. */
void *__vmo_block(struct vm_object *o, u64 idx, bool alloc);
/* Set the size, dropping blocks past it and zeroing the tail of the last; -ENOMEM/-EFBIG.  o->lock held. */
int __vmo_resize(struct vm_object *o, u64 size);
/* Copy out up to n bytes at off (clipped at size); bytes copied.  o->lock held. */
size_t __vmo_read(struct vm_object *o, void *buf, size_t n, u64 off);
/* Copy n bytes in at off, growing the size; 0 or -ENOMEM/-EFBIG.  o->lock held. */
int __vmo_write(struct vm_object *o, const void *buf, size_t n, u64 off);
/*
 * Physical address of page idx with a page reference for a new mapping,
 * allocating holes; -ENXIO if the page lies wholly past the end (SIGBUS),
 * -ENOMEM.  Kernel only.
 */
int vmo_map_page(struct vm_object *o, u64 idx, physaddr_t *pa);
/* Zap every mapping of o's pages from index first on (kernel only; after a shrink). */
void vmo_unmap_beyond(struct vm_object *o, u64 first);

#endif
