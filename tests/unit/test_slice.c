/*
 * Host tests of kernel/lib/slice.c: growth, size-arithmetic overflow,
 * -ENOMEM paths with injected allocation failures, the publication rule
 * (writes after publish panic) and refcounted replacement (the old buffer
 * is freed exactly once, after the last reader), plus a threaded
 * reader/writer stress of slice_get/slice_put/slice_publish_ref.
 */
// SOURCES: kernel/lib/slice.c kernel/lib/printf.c tests/unit/kmalloc_shim.c
#include <string.h>
#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <kern/slice.h>
#include <kern/errno.h>
#include "unit.h"
#include "kmalloc_shim.h"

static void test_growth(void)
{
	struct slice s;
	char expect[5000];
	long allocs0 = shim_allocs;

	slice_init(&s, MEM_WAIT);
	CHECK(s.buf == NULL && s.len == 0 && s.cap == 0, "fresh slice is empty");
	CHECK_EQ(slice_append(&s, "hello", 5), 0);
	CHECK(s.len == 5 && !strcmp(s.buf, "hello"), "append hello: len %zu", s.len);
	CHECK(s.cap >= 64, "minimum capacity %zu", s.cap);
	CHECK_EQ(slice_append(&s, NULL, 0), 0);
	CHECK_EQ(s.len, 5);
	memcpy(expect, "hello", 5);
	for (int i = 0; i < 4990; i++) {
		char c = 'a' + i % 26;

		expect[5 + i] = c;
		if (slice_append(&s, &c, 1))
			break;
	}
	CHECK_EQ(s.len, 4995);
	CHECK(!memcmp(s.buf, expect, 4995) && s.buf[4995] == 0, "contents after 4990 appends");
	/* Doubling: 64 -> 8192 is 8 allocations, not thousands. */
	CHECK(shim_allocs - allocs0 <= 10, "%ld allocations for 4995 bytes", shim_allocs - allocs0);
	CHECK(s.cap >= s.len + 1, "cap %zu covers len+NUL", s.cap);
	slice_reset(&s);
	CHECK(s.len == 0 && s.buf[0] == 0 && s.cap >= 4996, "reset keeps buffer");
	slice_free(&s);
	CHECK(s.buf == NULL && s.cap == 0, "free clears");
}

static void test_printf(void)
{
	struct slice s;
	char big[600];
	int n;

	slice_init(&s, MEM_ATOMIC);
	n = slice_printf(&s, "%d-%s|", 42, "abc");
	CHECK_EQ(n, 7);
	CHECK(!strcmp(s.buf, "42-abc|"), "printf content '%s'", s.buf);
	n = slice_printf(&s, "%0500d", 7);
	CHECK_EQ(n, 500);
	CHECK_EQ(s.len, 507);
	memset(big, '0', 499);
	big[499] = '7';
	big[500] = 0;
	CHECK(!strcmp(s.buf + 7, big) && strlen(s.buf) == 507, "grown printf content");
	n = slice_printf(&s, "%s", "");
	CHECK_EQ(n, 0);
	CHECK_EQ(s.len, 507);
	slice_free(&s);
}

static void test_overflow(void)
{
	struct slice s;
	char fake[16] = "0123456789";

	slice_init(&s, MEM_WAIT);
	CHECK_EQ(slice_append(&s, "x", SIZE_MAX), -EOVERFLOW);
	CHECK(s.buf == NULL && s.len == 0, "empty slice unchanged after overflow");
	CHECK_EQ(slice_append(&s, "abc", 3), 0);
	CHECK_EQ(slice_append(&s, "x", SIZE_MAX - 3), -EOVERFLOW);
	/* len + n + NUL == SIZE_MAX does not wrap: an honest -ENOMEM. */
	CHECK_EQ(slice_append(&s, "x", SIZE_MAX - 4), -ENOMEM);
	CHECK(s.len == 3 && !strcmp(s.buf, "abc"), "slice unchanged after overflow");
	slice_free(&s);

	/* Doubling the capacity would wrap: growth must fall back to the exact need. */
	slice_init(&s, MEM_WAIT);
	s.buf = fake;
	s.cap = SIZE_MAX / 2 + 10;
	s.len = s.cap - 1;
	CHECK_EQ(slice_append(&s, "y", 20), -ENOMEM);
	CHECK_EQ(shim_last_request, s.cap - 1 + 21);
	CHECK(s.buf == fake && s.len == SIZE_MAX / 2 + 9, "unchanged after failed huge growth");
}

static void test_enomem(void)
{
	struct slice s;
	size_t cap;

	slice_init(&s, MEM_ATOMIC);
	shim_fail_after = 0;
	CHECK_EQ(slice_append(&s, "abc", 3), -ENOMEM);
	CHECK(s.buf == NULL && s.len == 0 && s.cap == 0, "first allocation failure leaves it empty");
	shim_fail_after = 0;
	CHECK_EQ(slice_printf(&s, "%d", 12345), -ENOMEM);
	CHECK(s.buf == NULL && s.len == 0, "printf on empty slice with failure");
	shim_fail_after = -1;
	CHECK_EQ(slice_append(&s, "abc", 3), 0);
	cap = s.cap;
	shim_fail_after = 0;
	CHECK_EQ(slice_printf(&s, "%0200d", 1), -ENOMEM);
	CHECK(s.len == 3 && s.cap == cap && !strcmp(s.buf, "abc"),
	      "printf failure keeps '%s' len %zu", s.buf, s.len);
	shim_fail_after = 0;
	char blob[300];

	memset(blob, 'z', sizeof(blob));
	CHECK_EQ(slice_append(&s, blob, sizeof(blob)), -ENOMEM);
	CHECK(s.len == 3 && !strcmp(s.buf, "abc"), "append failure keeps contents");
	/* A printf that fits needs no allocation and so cannot fail. */
	shim_fail_after = 0;
	CHECK_EQ(slice_printf(&s, "%s", "de"), 2);
	CHECK(!strcmp(s.buf, "abcde"), "fitting printf under injected failure");
	shim_fail_after = -1;
	CHECK_EQ(slice_printf(&s, "%0200d", 1), 200);
	CHECK_EQ(s.len, 205);
	slice_free(&s);
}

static void test_publish_rule(void)
{
	struct slice s;
	struct slice *p;

	slice_init(&s, MEM_WAIT);
	slice_printf(&s, "frozen");
	p = slice_publish(&s);
	CHECK(p == &s && s.published && s.refcnt == 1, "publish sets the flag and one ref");
	CHECK(SHIM_PANICS(slice_append(&s, "x", 1)), "append after publish panics");
	CHECK(strstr(shim_panic_msg, "published") != NULL, "panic message: %s", shim_panic_msg);
	CHECK(SHIM_PANICS(slice_printf(&s, "x")), "printf after publish panics");
	CHECK(SHIM_PANICS(slice_reset(&s)), "reset after publish panics");
	CHECK(SHIM_PANICS(slice_free(&s)), "free after publish panics");
	CHECK(SHIM_PANICS(slice_publish(&s)), "publishing twice panics");
	CHECK(s.len == 6 && !strcmp(s.buf, "frozen"), "published contents untouched");
	slice_put(&s);
	CHECK(s.buf == NULL, "last put frees the buffer");
	CHECK(SHIM_PANICS(slice_put(&s)), "put without a reference panics");

	struct slice local;
	struct slice_ref ref = SLICE_REF_INITIALIZER;

	slice_init(&local, MEM_WAIT);
	CHECK(SHIM_PANICS(slice_publish_ref(&ref, &local)), "ref publication needs slice_new");
}

static void test_replacement(void)
{
	struct slice_ref ref = SLICE_REF_INITIALIZER;
	struct slice *a, *b, *r1, *r2;
	long frees0;

	CHECK(slice_get(&ref) == NULL, "empty ref gives NULL");
	a = slice_new(MEM_WAIT);
	slice_printf(a, "version %d", 1);
	slice_publish_ref(&ref, a);
	r1 = slice_get(&ref);
	r2 = slice_get(&ref);
	CHECK(r1 == a && r2 == a && a->refcnt == 3, "two readers + ref hold a (refcnt %d)", a->refcnt);

	b = slice_new(MEM_WAIT);
	slice_printf(b, "version %d", 2);
	frees0 = shim_frees;
	slice_publish_ref(&ref, b);
	CHECK_EQ(shim_frees, frees0);
	CHECK(!strcmp(r1->buf, "version 1"), "reader still sees the old version");
	CHECK_EQ(a->refcnt, 2);
	slice_put(r1);
	CHECK_EQ(shim_frees, frees0);
	slice_put(r2);
	CHECK_EQ(shim_frees - frees0, 2);	/* buffer and struct, once each */

	r1 = slice_get(&ref);
	CHECK(r1 == b && !strcmp(r1->buf, "version 2"), "new readers see the new version");
	frees0 = shim_frees;
	slice_publish_ref(&ref, NULL);
	CHECK_EQ(shim_frees, frees0);
	CHECK(slice_get(&ref) == NULL, "cleared ref");
	slice_put(r1);
	CHECK_EQ(shim_frees - frees0, 2);
}

#define STRESS_ROUNDS	3000
static struct slice_ref stress_ref = SLICE_REF_INITIALIZER;
static int stress_stop, stress_bad;

static void *stress_reader(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&stress_stop, __ATOMIC_ACQUIRE)) {
		struct slice *s = slice_get(&stress_ref);
		unsigned v;

		if (!s)
			continue;
		/* Every version reads "v=N;N" with the two numbers equal. */
		char tail[32];

		if (sscanf(s->buf, "v=%u;%31s", &v, tail) != 2 || (unsigned)atoi(tail) != v)
			__atomic_add_fetch(&stress_bad, 1, __ATOMIC_RELAXED);
		slice_put(s);
	}
	return NULL;
}

static void test_stress(void)
{
	pthread_t th[3];
	long allocs0 = shim_allocs, frees0 = shim_frees;

	for (int i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, stress_reader, NULL);
	for (unsigned v = 0; v < STRESS_ROUNDS; v++) {
		struct slice *s = slice_new(MEM_WAIT);

		slice_printf(s, "v=%u;%u", v, v);
		slice_publish_ref(&stress_ref, s);
	}
	slice_publish_ref(&stress_ref, NULL);
	__atomic_store_n(&stress_stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	CHECK_EQ(stress_bad, 0);
	CHECK_EQ(shim_allocs - allocs0, shim_frees - frees0);
}

int main(void)
{
	test_growth();
	test_printf();
	test_overflow();
	test_enomem();
	test_publish_rule();
	test_replacement();
	test_stress();
	return UNIT_SUMMARY();
}
