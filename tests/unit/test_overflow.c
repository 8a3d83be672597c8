/*
 * Host tests of check_mul_overflow/check_add_overflow (kern/compiler.h)
 * for unsigned and signed types of every width, mixed operand types, and
 * of kmalloc_array/krealloc_array (kern/kmalloc.h), which must return NULL
 * on an overflowing n * size without ever calling the allocator.
 */
// SOURCES: tests/unit/kmalloc_shim.c
#include <stdint.h>
#include <stdlib.h>
#include <kern/kmalloc.h>
#include "unit.h"
#include "kmalloc_shim.h"

/* Evaluate check_mul_overflow(a, b) into a T; check the flag and the (wrapped) value. */
#define MUL(T, a, b, expect_ovf)						\
	do {									\
		T __r;								\
		bool __o = check_mul_overflow(a, b, &__r);			\
		__int128 __full = (__int128)(a) * (__int128)(b);		\
		CHECK(__o == (expect_ovf), #T ": %s * %s overflow=%d", #a, #b, __o);	\
		/* the stored value is the product wrapped to T either way */	\
		CHECK(__r == (T)__full, #T ": %s * %s value", #a, #b);		\
	} while (0)

static void test_unsigned(void)
{
	MUL(u8, (u8)15, (u8)17, false);		/* 255 */
	MUL(u8, (u8)16, (u8)16, true);		/* 256 */
	MUL(u8, (u8)255, (u8)1, false);
	MUL(u8, (u8)128, (u8)2, true);
	MUL(u16, (u16)255, (u16)257, false);	/* 65535 */
	MUL(u16, (u16)256, (u16)256, true);
	MUL(u32, 65535u, 65537u, false);	/* 0xffffffff */
	MUL(u32, 65536u, 65536u, true);
	MUL(u32, UINT32_MAX, 0u, false);
	MUL(u64, 0xffffffffULL, 0x100000001ULL, false);	/* 2^64 - 1 */
	MUL(u64, 0x100000000ULL, 0x100000000ULL, true);
	MUL(u64, UINT64_MAX, 2ULL, true);
	MUL(size_t, SIZE_MAX / 3, (size_t)3, false);
	MUL(size_t, SIZE_MAX / 2 + 1, (size_t)2, true);
	MUL(size_t, (size_t)1 << 32, (size_t)1 << 31, false);
	MUL(size_t, (size_t)1 << 32, (size_t)1 << 32, true);
}

static void test_signed(void)
{
	MUL(s8, (s8)-128, (s8)1, false);
	MUL(s8, (s8)-128, (s8)-1, true);	/* +128 does not fit */
	MUL(s8, (s8)64, (s8)2, true);
	MUL(s8, (s8)-64, (s8)2, false);		/* -128 fits */
	MUL(s16, (s16)-32768, (s16)-1, true);
	MUL(s16, (s16)181, (s16)181, false);	/* 32761 */
	MUL(s16, (s16)182, (s16)182, true);
	MUL(s32, INT32_MIN, -1, true);
	MUL(s32, 46341, 46341, true);
	MUL(s32, 46340, -46340, false);
	MUL(s64, INT64_MIN, -1LL, true);
	MUL(s64, INT64_MAX, -1LL, false);
	MUL(s64, 3037000500LL, 3037000500LL, true);
	MUL(ssize_t, (ssize_t)-1, (ssize_t)-1, false);
	/* A negative count into an unsigned result is an overflow too. */
	{
		size_t r;
		u64 r64;
		u32 r32;

		CHECK(check_mul_overflow(-1, 1, &r), "-1 * 1 into size_t");
		CHECK(!check_mul_overflow((u32)UINT32_MAX, (u32)UINT32_MAX, &r64) &&
		      r64 == 0xfffffffe00000001ULL, "u32 * u32 into u64 fits");
		CHECK(check_mul_overflow((u32)65536, (u32)65536, &r32), "u32 * u32 into u32");
	}
	{
		u8 r8;
		s32 r32;
		size_t rs;

		CHECK(check_add_overflow((u8)200, (u8)56, &r8), "u8 add 256");
		CHECK(!check_add_overflow((u8)200, (u8)55, &r8) && r8 == 255, "u8 add 255");
		CHECK(check_add_overflow(INT32_MAX, 1, &r32), "s32 add");
		CHECK(check_add_overflow(SIZE_MAX, (size_t)1, &rs) && rs == 0, "size_t add wraps to 0");
	}
}

static void test_array_allocators(void)
{
	long allocs = shim_allocs;
	void *p;

	p = kmalloc_array(SIZE_MAX / 2 + 1, 2, MEM_WAIT);
	CHECK(p == NULL && shim_allocs == allocs, "kmalloc_array overflow is NULL, no allocation");
	p = kmalloc_array(2, SIZE_MAX, MEM_ATOMIC);
	CHECK(p == NULL && shim_allocs == allocs, "kmalloc_array size overflow");
	p = kmalloc_array((u64)1 << 33, (u64)1 << 31, MEM_WAIT);
	CHECK(p == NULL && shim_allocs == allocs, "kmalloc_array 2^64");
	p = kmalloc_array(-1, 8, MEM_WAIT);		/* negative count converts to a huge size_t */
	CHECK(p == NULL && shim_allocs == allocs, "kmalloc_array(-1, 8)");
	p = kmalloc_array(10, 24, MEM_WAIT);
	CHECK(p != NULL && shim_last_request == 240, "kmalloc_array(10, 24) asks for 240 bytes");
	void *q = krealloc_array(p, SIZE_MAX / 8, 16, MEM_WAIT);

	CHECK(q == NULL, "krealloc_array overflow is NULL (p untouched)");
	q = krealloc_array(p, 100, 24, MEM_WAIT);
	CHECK(q != NULL && shim_last_request == 2400, "krealloc_array grows to 2400 bytes");
	kfree(q);
}

int main(void)
{
	test_unsigned();
	test_signed();
	test_array_allocators();
	return UNIT_SUMMARY();
}
