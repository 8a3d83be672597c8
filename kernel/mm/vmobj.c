/*
 * Memory objects (see kern/vmobj.h): sparse page arrays backing ramfs
 * files and shared anonymous memory.  Also compiled into the host unit
 * tests of ramfs, where blocks come from kmalloc instead of the page
 * allocator and nothing is ever mapped.
 */
#include <kern/vmobj.h>
#include <kern/kmalloc.h>
#include <kern/memlayout.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <abi/fcntl.h>
#ifndef HOST_UNIT_TEST
#include <kern/pmm.h>
#include <kern/pageref.h>
#endif

/* A zeroed block holding one page reference; NULL when memory is short. */
static void *block_alloc(void)
{
#ifdef HOST_UNIT_TEST
	return kzmalloc(PGSIZE, MEM_WAIT);
#else
	physaddr_t pa = page_alloc(0, MEM_WAIT | MEM_USER);

	if (!pa)
		return NULL;
	memset(KADDR(pa), 0, PGSIZE);
	page_ref_set(pa, 1);
	return KADDR(pa);
#endif
}

static void block_put(void *b)
{
#ifdef HOST_UNIT_TEST
	kfree(b);
#else
	page_put(PADDR(b));
#endif
}

struct vm_object *vmo_create(u64 size)
{
	struct vm_object *o = kzmalloc(sizeof(*o), MEM_WAIT);

	if (!o)
		return NULL;
	o->refcnt = 1;
	o->size = size;
	o->seals = F_SEAL_SEAL;
	spinlock_init(&o->lock, "vmobj");
	return o;
}

void vmo_get(struct vm_object *o)
{
	__atomic_fetch_add(&o->refcnt, 1, __ATOMIC_RELAXED);
}

void vmo_put(struct vm_object *o)
{
	if (__atomic_sub_fetch(&o->refcnt, 1, __ATOMIC_ACQ_REL))
		return;
	for (size_t i = 0; i < o->cap; i++)
		if (o->pages[i])
			block_put(o->pages[i]);
	kfree(o->pages);
	kfree(o);
}

void vmo_get_map(struct vm_object *o, bool writable)
{
	vmo_get(o);
	if (writable)
		__atomic_fetch_add(&o->write_maps, 1, __ATOMIC_RELAXED);
}

void vmo_put_map(struct vm_object *o, bool writable)
{
	if (writable)
		__atomic_fetch_sub(&o->write_maps, 1, __ATOMIC_RELAXED);
	vmo_put(o);
}

int __vmo_seal_write(struct vm_object *o, u64 off, size_t *n)
{
	u64 whole;

	if (o->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	if (!(o->seals & F_SEAL_GROW) || off + *n <= o->size)
		return 0;
	whole = o->size & ~(u64)(PGSIZE - 1);
	if (whole <= off)
		return -EPERM;
	*n = (size_t)(whole - off);
	return 0;
}

int __vmo_seal_resize(struct vm_object *o, u64 size)
{
	if ((size < o->size && (o->seals & F_SEAL_SHRINK)) ||
	    (size > o->size && (o->seals & F_SEAL_GROW)))
		return -EPERM;
	return 0;
}

/* Make room for slot idx; -ENOMEM. */
static int grow_slots(struct vm_object *o, u64 idx)
{
	size_t cap = o->cap ? o->cap : 4;
	void **np;

	while (cap <= idx)
		cap *= 2;
	np = kzmalloc(cap * sizeof(void *), MEM_WAIT);
	if (!np)
		return -ENOMEM;
	if (o->cap)
		memcpy(np, o->pages, o->cap * sizeof(void *));
	kfree(o->pages);
	o->pages = np;
	o->cap = cap;
	return 0;
}

void *__vmo_block(struct vm_object *o, u64 idx, bool alloc)
{
	if (idx < o->cap && o->pages[idx])
		return o->pages[idx];
	if (!alloc || (idx >= o->cap && grow_slots(o, idx)))
		return NULL;
	o->pages[idx] = block_alloc();
	return o->pages[idx];
}

int __vmo_resize(struct vm_object *o, u64 size)
{
	u64 keep = ROUNDUP(size, PGSIZE) / PGSIZE;
	void *last;

	if (size > VMO_MAX_SIZE)
		return -EFBIG;
	/* Bytes between the old and new end must read as zeros: clear the old tail. */
	last = (o->size & (PGSIZE - 1)) ? __vmo_block(o, o->size / PGSIZE, false) : NULL;
	if (last && size > o->size)
		memset((char *)last + (o->size & (PGSIZE - 1)), 0, PGSIZE - (o->size & (PGSIZE - 1)));
	if (size < o->size) {
		for (u64 i = keep; i < o->cap; i++) {
			if (o->pages[i])
				block_put(o->pages[i]);
			o->pages[i] = NULL;
		}
		last = (size & (PGSIZE - 1)) ? __vmo_block(o, size / PGSIZE, false) : NULL;
		if (last)
			memset((char *)last + (size & (PGSIZE - 1)), 0, PGSIZE - (size & (PGSIZE - 1)));
	}
	o->size = size;
	return 0;
}

int __vmo_alloc_range(struct vm_object *o, u64 first, u64 last)
{
	void *chain = NULL, *b;

	if (first >= last)
		return 0;
	if (last - 1 >= o->cap && grow_slots(o, last - 1))
		return -ENOMEM;
	/* Allocate first, linking the new pages through their first word, so a failure changes nothing. */
	for (u64 i = first; i < last; i++) {
		if (o->pages[i])
			continue;
		b = block_alloc();
		if (!b)
			goto no_mem;
		*(void **)b = chain;
		chain = b;
	}
	for (u64 i = first; i < last && chain; i++) {
		if (o->pages[i])
			continue;
		b = chain;
		chain = *(void **)b;
		*(void **)b = NULL;
		o->pages[i] = b;
	}
	return 0;
no_mem:
	while (chain) {
		b = chain;
		chain = *(void **)b;
		block_put(b);
	}
	return -ENOMEM;
}

/* Zero bytes [from, to) of one page if it exists.  o->lock held. */
static void zero_part(struct vm_object *o, u64 from, u64 to)
{
	char *b;

	if (from >= to)
		return;
	b = __vmo_block(o, from / PGSIZE, false);
	if (b)
		memset(b + (from & (PGSIZE - 1)), 0, (size_t)(to - from));
}

/* Move up to VMO_BATCH blocks of [*next, last) into b, advancing *next.  o->lock held. */
static void detach_blocks(struct vm_object *o, u64 *next, u64 last, struct vmo_batch *b)
{
	b->n = 0;
	for (; *next < last && b->n < VMO_BATCH; (*next)++) {
		if (*next >= o->cap) {
			*next = last;
			break;
		}
		if (!o->pages[*next])
			continue;
		b->idx[b->n] = *next;
		b->blocks[b->n++] = o->pages[*next];
		o->pages[*next] = NULL;
	}
}

int vmo_punch(struct vm_object *o, u64 off, u64 end)
{
	u64 first = ROUNDUP(off, PGSIZE) / PGSIZE, last = end / PGSIZE, next = first;
	struct vmo_batch b;
	bool started = false;

	do {
		spin_lock(&o->lock);
		if (o->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) {
			spin_unlock(&o->lock);
			return -EPERM;
		}
		if (!started) {
			if (first > last) {	/* within one page */
				zero_part(o, off, end);
			} else {
				zero_part(o, off, first * PGSIZE);
				zero_part(o, last * PGSIZE, end);
			}
			started = true;
		}
		detach_blocks(o, &next, last, &b);
		spin_unlock(&o->lock);
#ifndef HOST_UNIT_TEST
		if (b.n)
			vmo_unmap_batch(o, &b);
#endif
		for (size_t i = 0; i < b.n; i++)
			block_put(b.blocks[i]);
	} while (next < last);
	return 0;
}

size_t __vmo_read(struct vm_object *o, void *buf, size_t n, u64 off)
{
	size_t done = 0;

	if (off >= o->size)
		return 0;
	n = MIN(n, (size_t)(o->size - off));
	while (done < n) {
		u64 pos = off + done;
		size_t in = pos & (PGSIZE - 1), k = MIN(n - done, PGSIZE - in);
		char *b = __vmo_block(o, pos / PGSIZE, false);

		if (b)
			memcpy((char *)buf + done, b + in, k);
		else
			memset((char *)buf + done, 0, k);
		done += k;
	}
	return n;
}

int __vmo_write(struct vm_object *o, const void *buf, size_t n, u64 off)
{
	u64 end;
	size_t done = 0;

	if (check_add_overflow(off, (u64)n, &end) || end > VMO_MAX_SIZE)
		return -EFBIG;
	if (end > o->size) {
		int err = __vmo_resize(o, end);

		if (err)
			return err;
	}
	while (done < n) {
		u64 pos = off + done;
		size_t in = pos & (PGSIZE - 1), k = MIN(n - done, PGSIZE - in);
		char *b = __vmo_block(o, pos / PGSIZE, true);

		if (!b)
			return -ENOMEM;
		memcpy(b + in, (const char *)buf + done, k);
		done += k;
	}
	return 0;
}

#ifndef HOST_UNIT_TEST
int vmo_map_page(struct vm_object *o, u64 idx, physaddr_t *pa)
{
	void *b;
	int err = 0;

	spin_lock(&o->lock);
	if (idx >= ROUNDUP(o->size, PGSIZE) / PGSIZE) {
		err = -ENXIO;
	} else if (!(b = __vmo_block(o, idx, true))) {
		err = -ENOMEM;
	} else {
		*pa = PADDR(b);
		page_get(*pa);
	}
	spin_unlock(&o->lock);
	return err;
}
#endif
