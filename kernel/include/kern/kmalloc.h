/*
 * Kernel memory allocation.  Every call states whether it may sleep:
 * MEM_WAIT may block (and retries until it succeeds or the request is
 * impossible), MEM_ATOMIC never blocks and returns NULL when memory is
 * short.  A flags value of 0 is rejected: at build time when the flags are
 * a compile-time constant, at run time (panic) otherwise.
 *
 * MEM_WAIT does not sleep today: on a shortage it calls the hook
 * mem_wait_for_memory() (kern/pmm.h), which returns false, and then fails
 * with NULL and a warning.  So MEM_WAIT behaves like MEM_ATOMIC that never
 * panics, callers must check NULL, and code may (and does: vfs_lock) hold a
 * spinlock across a MEM_WAIT allocation.  Making MEM_WAIT sleep means first
 * moving those callers out of their spinlocks.  User memory never takes the
 * last reserved pages (mm/oom.c), so kernel allocations rarely fail.
 * Sizes that can never be satisfied (more than RAM, or more than the
 * largest buddy block, 4 MiB) return NULL with a warning under MEM_WAIT.
 * kfree(NULL) is a no-op; kfree/ksize of anything else that kmalloc did not
 * return panics.  Objects of 64 bytes or more are 64-byte aligned, smaller
 * ones naturally aligned; page-level ones (> 2 KiB) are page aligned.
 */
#ifndef KERN_KMALLOC_H
#define KERN_KMALLOC_H

#include <kern/types.h>
#include <kern/compiler.h>

#define MEM_ATOMIC	0x1
#define MEM_WAIT	0x2
#define MEM_ZERO	0x4	/* zero the memory */
/*
 * On behalf of user space (user pages, their page tables, task stacks):
 * fails instead of taking the last PMM_RESERVE_PAGES, which stay for the
 * kernel so it can always finish killing processes when memory runs out.
 */
#define MEM_USER	0x8

void __mem_flags_missing(void) __attribute__((error("kmalloc flags must include MEM_WAIT or MEM_ATOMIC")));
#define MEM_FLAGS_CHECK(f)							\
	do {									\
		if (__builtin_constant_p(f) && !((f) & (MEM_WAIT | MEM_ATOMIC)))	\
			__mem_flags_missing();					\
	} while (0)

void *__kmalloc(size_t size, int flags);
void *__kzmalloc(size_t size, int flags);
void *__krealloc(void *p, size_t size, int flags);
/* Allocate size bytes; NULL on failure (only possible with MEM_ATOMIC or absurd sizes). */
#define kmalloc(size, flags)	({ MEM_FLAGS_CHECK(flags); __kmalloc(size, flags); })
/* Like kmalloc, zeroed. */
#define kzmalloc(size, flags)	({ MEM_FLAGS_CHECK(flags); __kzmalloc(size, flags); })
/* Resize p (NULL = new allocation; shrinking keeps p); on failure returns NULL and p is untouched. */
#define krealloc(p, size, flags) ({ MEM_FLAGS_CHECK(flags); __krealloc(p, size, flags); })
void kfree(void *p);
/* Usable size of an allocation. */
size_t ksize(const void *p);
/* Set up the slab caches (after vm_init and the page allocator). */
void kmalloc_init(void);
/* Print per-class cache statistics and page-level allocation counts. */
void kmalloc_print_stats(void);

/* n * size bytes, NULL if the multiplication overflows or memory is short. */
#define kmalloc_array(n, size, flags)						\
	({									\
		size_t __bytes;							\
		check_mul_overflow((size_t)(n), (size_t)(size), &__bytes) ?	\
			NULL : kmalloc(__bytes, flags);				\
	})
#define krealloc_array(p, n, size, flags)					\
	({									\
		size_t __bytes;							\
		check_mul_overflow((size_t)(n), (size_t)(size), &__bytes) ?	\
			NULL : krealloc(p, __bytes, flags);			\
	})

#endif
