/*
 * Host stand-ins for the kernel services that arch-independent kernel
 * files need (kmalloc family, spinlocks, panic), with hooks for tests:
 * allocation failure injection and counters, and catching panics.
 */
#ifndef KMALLOC_SHIM_H
#define KMALLOC_SHIM_H

#include <setjmp.h>
#include <stddef.h>

/* Fail the allocation after `n` more successful ones (-1: never fail). */
extern int shim_fail_after;
/* Successful allocations and frees of non-NULL pointers so far. */
extern long shim_allocs, shim_frees;
/* Size of the last allocation request (kmalloc or krealloc). */
extern size_t shim_last_request;
/* Requests above this many bytes fail (the host stands in for small RAM). */
#define SHIM_MAX_ALLOC	(1UL << 30)

/* Run stmt; true if it called panic() (which is caught, not fatal). */
extern jmp_buf shim_panic_jmp;
extern int shim_panic_armed;
extern char shim_panic_msg[256];
#define SHIM_PANICS(stmt)						\
	({								\
		int __p = 0;						\
		shim_panic_armed = 1;					\
		if (setjmp(shim_panic_jmp) == 0) {			\
			stmt;						\
		} else {						\
			__p = 1;					\
		}							\
		shim_panic_armed = 0;					\
		__p;							\
	})

#endif
