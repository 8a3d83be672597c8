/*
 * Host shim for kern/kmalloc.h: kmalloc and friends on top of libc
 * malloc, so arch-independent kernel code runs under ASan in unit tests.
 * Flags are checked like the kernel does (one of MEM_WAIT/MEM_ATOMIC).
 * shim_kmalloc_fail_after (if >= 0) makes the Nth next allocation fail,
 * to exercise -ENOMEM paths.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <malloc.h>
#include <kern/kmalloc.h>

long shim_kmalloc_fail_after = -1;

static int should_fail(int flags)
{
	if (!(flags & (MEM_WAIT | MEM_ATOMIC))) {
		fprintf(stderr, "kmalloc: flags %#x lack MEM_WAIT/MEM_ATOMIC\n", flags);
		abort();
	}
	if (shim_kmalloc_fail_after < 0)
		return 0;
	return shim_kmalloc_fail_after-- == 0;
}

void *__kmalloc(size_t size, int flags)
{
	void *p;

	if (should_fail(flags))
		return NULL;
	p = malloc(size ? size : 1);
	if (p && (flags & MEM_ZERO))
		memset(p, 0, size);
	return p;
}

void *__kzmalloc(size_t size, int flags)
{
	if (should_fail(flags))
		return NULL;
	return calloc(1, size ? size : 1);
}

void *__krealloc(void *p, size_t size, int flags)
{
	if (should_fail(flags))
		return NULL;
	return realloc(p, size ? size : 1);
}

void kfree(void *p)
{
	free(p);
}

size_t ksize(const void *p)
{
	return malloc_usable_size((void *)p);
}
