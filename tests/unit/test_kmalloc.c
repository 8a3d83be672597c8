/*
 * Host tests of kmalloc's arch-independent parts: the size-class and slab
 * geometry arithmetic (kernel/mm/kmalloc_class.h), and the compile-time
 * rejection of constant flags without MEM_WAIT/MEM_ATOMIC (negative
 * compile test: tests/unit/compile/kmalloc_flags.c must fail to build with
 * CASE=0 and build with valid or run-time flags).
 */
// SOURCES:
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "../../kernel/mm/kmalloc_class.h"
#include "unit.h"

#define HDR	40	/* a header size like struct slab's */

static int compile_case(int n)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "gcc -std=gnu11 -O2 -Wall -Wextra -Werror -Ikernel/include -DCASE=%d "
		 "-c tests/unit/compile/kmalloc_flags.c -o /dev/null 2>build/unit/kmalloc_flags.%d.log",
		 n, n);
	return system(cmd);
}

static void test_classes(void)
{
	CHECK_EQ(kmalloc_class(0), 0);
	CHECK_EQ(kmalloc_class(1), 0);
	CHECK_EQ(kmalloc_class(16), 0);
	CHECK_EQ(kmalloc_class(17), 1);
	CHECK_EQ(kmalloc_class(64), 2);
	CHECK_EQ(kmalloc_class(65), 3);
	CHECK_EQ(kmalloc_class(2048), KMALLOC_NCLASSES - 1);
	CHECK_EQ(kmalloc_class(2049), -1);
	CHECK_EQ(kmalloc_class(SIZE_MAX), -1);
	for (size_t sz = 1; sz <= KMALLOC_MAX_SIZE; sz++) {
		int c = kmalloc_class(sz);

		if (kmalloc_class_size(c) < sz || (c > 0 && kmalloc_class_size(c - 1) >= sz)) {
			CHECK(0, "size %zu maps to class %d (%zu bytes)", sz, c, kmalloc_class_size(c));
			break;
		}
	}
	for (int c = 0; c < KMALLOC_NCLASSES; c++) {
		size_t size = kmalloc_class_size(c), off = kmalloc_slab_offset(c, HDR);
		size_t slab = 4096UL << kmalloc_slab_order(c, HDR);
		size_t n = kmalloc_slab_objects(c, HDR);
		size_t align = size < 64 ? size : 64;

		CHECK(off >= HDR && off % align == 0, "class %d offset %zu", c, off);
		CHECK(n >= KMALLOC_MIN_OBJS, "class %d has %zu objects per slab", c, n);
		CHECK(off + n * size <= slab && off + (n + 1) * size > slab,
		      "class %d: %zu objects fill the %zu-byte slab", c, n, slab);
		CHECK(kmalloc_slab_order(c, HDR) == 0 ||
		      (2048UL << kmalloc_slab_order(c, HDR)) - off < KMALLOC_MIN_OBJS * size,
		      "class %d slab order %d is the smallest", c, kmalloc_slab_order(c, HDR));
	}
	CHECK_EQ(kmalloc_large_order(2049, 10), 0);
	CHECK_EQ(kmalloc_large_order(4096, 10), 0);
	CHECK_EQ(kmalloc_large_order(4097, 10), 1);
	CHECK_EQ(kmalloc_large_order(4UL << 20, 10), 10);
	CHECK_EQ(kmalloc_large_order((4UL << 20) + 1, 10), -1);
	CHECK_EQ(kmalloc_large_order(SIZE_MAX, 10), -1);
}

static void test_flags_compile(void)
{
	FILE *f;
	char line[512];
	int found = 0;

	CHECK(compile_case(1) == 0, "valid constant flags compile (see build/unit/kmalloc_flags.1.log)");
	CHECK(compile_case(2) == 0, "run-time flags compile (see build/unit/kmalloc_flags.2.log)");
	CHECK(compile_case(0) != 0, "kmalloc(32, 0) must not compile");
	CHECK(compile_case(3) != 0, "page_alloc(0, MEM_ZERO) must not compile");
	f = fopen("build/unit/kmalloc_flags.0.log", "r");
	while (f && fgets(line, sizeof(line), f))
		found |= strstr(line, "kmalloc flags must include MEM_WAIT or MEM_ATOMIC") != NULL;
	if (f)
		fclose(f);
	CHECK(found, "the compile error names the missing flags");
}

int main(void)
{
	test_classes();
	test_flags_compile();
	return UNIT_SUMMARY();
}
