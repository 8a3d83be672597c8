/*
 * Compile-only probe for tests/unit/test_kmalloc.c: built with -DCASE=n.
 * CASE 0 passes constant flags 0 and must NOT compile; CASE 1 (valid
 * constant flags) and CASE 2 (flags only known at run time) must compile.
 */
#include <kern/kmalloc.h>
#include <kern/pmm.h>

void *probe(int runtime_flags);

void *probe(int runtime_flags)
{
#if CASE == 0
	(void)runtime_flags;
	return kmalloc(32, 0);
#elif CASE == 1
	(void)runtime_flags;
	return kmalloc(32, MEM_WAIT | MEM_ZERO);
#elif CASE == 3
	(void)runtime_flags;
	return (void *)page_alloc(0, MEM_ZERO);
#else
	return krealloc(kzmalloc(16, runtime_flags), 64, runtime_flags);
#endif
}
