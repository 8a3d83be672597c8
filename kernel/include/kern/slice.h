/*
 * Slices: growable byte buffers {buf, len, cap} used to build the contents
 * of synthetic files, and the rule for sharing them.
 *
 * Concurrency rule:
 *  1. Until it is published, a slice has exactly one writer (its creator),
 *     which may append, printf, reset and free it without locks.  Nobody
 *     else may look at it.
 *  2. slice_publish() freezes the slice: from then on it is immutable, and
 *     any append/printf/reset/free through the writer API panics (it is a
 *     bug, not a run-time condition).  A frozen slice can be read by any
 *     number of CPUs without locks.
 *  3. Published slices live behind a struct slice_ref.  Readers take a
 *     reference with slice_get() and drop it with slice_put(); the writer
 *     replaces the current slice by publishing a new one into the ref (a
 *     pointer swap), which drops the ref's own reference to the old one.
 *     The last slice_put() frees the old slice and its buffer, exactly
 *     once, after every reader is done.  (This is RCU-style replacement
 *     with a reference count standing in for RCU, which does not exist
 *     yet.)  slice_get/slice_publish_ref must not be called from IRQ
 *     context.
 *
 * Allocation failures are reported, never hidden: slice_append and
 * slice_printf return -ENOMEM (or -EOVERFLOW if the size arithmetic would
 * wrap) and leave the slice exactly as it was.  The buffer is always
 * NUL-terminated after len bytes when buf is not NULL.
 */
#ifndef KERN_SLICE_H
#define KERN_SLICE_H

#include <kern/types.h>
#include <kern/compiler.h>
#include <kern/kmalloc.h>
#include <kern/spinlock.h>

struct slice {
	char *buf;		/* kmalloc'd, NULL until the first append */
	size_t len;		/* bytes used (not counting the NUL) */
	size_t cap;		/* bytes allocated */
	int mem_flags;		/* MEM_WAIT or MEM_ATOMIC, used for every growth */
	bool published;		/* frozen: see rule 2 */
	bool heap;		/* the struct itself came from slice_new() */
	int refcnt;		/* references once published (atomic) */
};

struct slice_ref {
	struct spinlock lock;	/* orders slice_get's load+ref against the swap */
	struct slice *cur;	/* current published slice (holds one reference), or NULL */
};

#define SLICE_REF_INITIALIZER	{ .lock = SPINLOCK_INITIALIZER("slice_ref"), .cur = NULL }

void __slice_init(struct slice *s, int mem_flags);
/* Empty slice whose growth allocates with mem_flags (MEM_WAIT or MEM_ATOMIC). */
#define slice_init(s, flags)	({ MEM_FLAGS_CHECK(flags); __slice_init(s, flags); })
struct slice *__slice_new(int mem_flags);
/* A heap-allocated empty slice (what slice_publish_ref needs); NULL if out of memory. */
#define slice_new(flags)	({ MEM_FLAGS_CHECK(flags); __slice_new(flags); })
/* Append len bytes; 0, -ENOMEM or -EOVERFLOW (slice unchanged on failure). */
int slice_append(struct slice *s, const void *data, size_t len);
/* Append formatted text; returns the bytes appended, or -ENOMEM / -EOVERFLOW (slice unchanged). */
int slice_printf(struct slice *s, const char *fmt, ...) __printf(2, 3);
/* Forget the contents, keeping the buffer for reuse. */
void slice_reset(struct slice *s);
/* Free the buffer of an unpublished slice (and the slice itself if from slice_new). */
void slice_free(struct slice *s);

/* Freeze s (rule 2) with one reference owned by the caller; returns s. */
struct slice *slice_publish(struct slice *s);
/* Publish heap slice s (or NULL to clear) as ref's current slice; the previous one loses ref's reference. */
void slice_publish_ref(struct slice_ref *ref, struct slice *s);
/* Reference to ref's current slice, or NULL if none was published. */
struct slice *slice_get(struct slice_ref *ref);
/* Drop a reference; the last one frees the slice and its buffer. */
void slice_put(struct slice *s);

#endif
