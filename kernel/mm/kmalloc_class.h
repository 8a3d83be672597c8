/*
 * kmalloc size classes, shared by kmalloc.c and the host unit test.
 * Requests up to KMALLOC_MAX_SIZE bytes come from slab caches of
 * power-of-two object sizes 16 .. 2048; bigger ones are whole buddy blocks.
 * A slab is a buddy block of 2^kmalloc_slab_order(c) pages with its header
 * at the start; objects follow, aligned to MIN(object size, 64), so every
 * object of size >= 64 is 64-byte aligned and smaller ones are naturally
 * aligned.  Pure arithmetic, no kernel dependencies.
 */
#ifndef KERN_MM_KMALLOC_CLASS_H
#define KERN_MM_KMALLOC_CLASS_H

#include <kern/types.h>

#define KMALLOC_MIN_SHIFT	4
#define KMALLOC_MAX_SHIFT	11
#define KMALLOC_MAX_SIZE	(1UL << KMALLOC_MAX_SHIFT)
#define KMALLOC_NCLASSES	(KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)
#define KMALLOC_PAGE_SHIFT	12
#define KMALLOC_MIN_OBJS	8	/* a slab holds at least this many objects */

/* Class index for a request of size bytes (0 is treated as 1); -1 if it needs whole pages. */
static inline int kmalloc_class(size_t size)
{
	int c = 0;

	if (size > KMALLOC_MAX_SIZE)
		return -1;
	while (((size_t)1 << (KMALLOC_MIN_SHIFT + c)) < size)
		c++;
	return c;
}

/* Object size of class c. */
static inline size_t kmalloc_class_size(int c)
{
	return (size_t)1 << (KMALLOC_MIN_SHIFT + c);
}

/* Offset of the first object in a slab whose header takes hdr bytes. */
static inline size_t kmalloc_slab_offset(int c, size_t hdr)
{
	size_t align = kmalloc_class_size(c) < 64 ? kmalloc_class_size(c) : 64;

	return (hdr + align - 1) / align * align;
}

/* Page order of a slab of class c: the smallest holding KMALLOC_MIN_OBJS objects. */
static inline int kmalloc_slab_order(int c, size_t hdr)
{
	int order = 0;

	while ((((size_t)1 << (KMALLOC_PAGE_SHIFT + order)) - kmalloc_slab_offset(c, hdr)) /
	       kmalloc_class_size(c) < KMALLOC_MIN_OBJS)
		order++;
	return order;
}

/* Objects in one slab of class c. */
static inline size_t kmalloc_slab_objects(int c, size_t hdr)
{
	size_t bytes = (size_t)1 << (KMALLOC_PAGE_SHIFT + kmalloc_slab_order(c, hdr));

	return (bytes - kmalloc_slab_offset(c, hdr)) / kmalloc_class_size(c);
}

/* Page order for a page-level allocation of size bytes; -1 if it exceeds max_order. */
static inline int kmalloc_large_order(size_t size, int max_order)
{
	int order = 0;

	while (order <= max_order && ((size_t)1 << (KMALLOC_PAGE_SHIFT + order)) < size)
		order++;
	return order <= max_order ? order : -1;
}

#endif
