/*
 * Minimal host unit-test support.  Each tests/unit/test_*.c is its own
 * program: CHECK() counts a pass or prints the failure with its location,
 * UNIT_SUMMARY() prints the "N passed, N failed" line the harness reads and
 * yields main's exit status.  Tests are built with ASan and UBSan.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>

static int unit_passed, unit_failed;

#define CHECK(cond, ...)							\
	do {									\
		if (cond) {							\
			unit_passed++;						\
		} else {							\
			unit_failed++;						\
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);	\
			printf(__VA_ARGS__);					\
			printf("\n");						\
		}								\
	} while (0)

#define CHECK_EQ(a, b)								\
	CHECK((long long)(a) == (long long)(b), "%lld != %lld",		\
	      (long long)(a), (long long)(b))

#define UNIT_SUMMARY()								\
	(printf("%d passed, %d failed\n", unit_passed, unit_failed),	\
	 unit_failed ? 1 : 0)

#endif
