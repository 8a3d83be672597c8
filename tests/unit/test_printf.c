/* Host tests of kernel/lib/printf.c against the C library's printf. */
// SOURCES: kernel/lib/printf.c
#include <stdarg.h>
#include <string.h>
#include <stdint.h>
#include "unit.h"

int kern_snprintf(char *buf, size_t size, const char *fmt, ...);
int kern_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Format with both implementations and compare text and return value. */
#define SAME(fmt, ...)								\
	do {									\
		char a[128], b[128];						\
		int ra = kern_snprintf(a, sizeof(a), fmt, __VA_ARGS__);	\
		int rb = snprintf(b, sizeof(b), fmt, __VA_ARGS__);		\
		CHECK(ra == rb && !strcmp(a, b), "fmt \"%s\": got \"%s\" (%d), libc \"%s\" (%d)", \
		      fmt, a, ra, b, rb);					\
	} while (0)

int main(void)
{
	char small[8];
	int r;

	SAME("%d", 0);
	SAME("%d %i", -42, 42);
	SAME("%5d|%-5d|%05d", 42, 42, 42);
	SAME("%+d % d", 7, 7);
	SAME("%x %X %#x %#X", 0xbeefu, 0xbeefu, 0xbeefu, 0u);
	SAME("%o %#o", 8u, 8u);
	SAME("%lu %ld", 18446744073709551615UL, (long)INT64_MIN);
	SAME("%llx %lld", 0x123456789abcdefULL, -1LL);
	SAME("%zu %zd", (size_t)99, (ssize_t)-99);
	SAME("%hhu %hd", 300, 70000);
	SAME("%s|%10s|%-10s|%.2s", "abc", "abc", "abc", "abc");
	SAME("%c%c%5c", 'x', 'y', 'z');
	SAME("%.5d %.0d|", 42, 0);
	SAME("%*d|%-*d|%.*s", 6, 1, 6, 2, 3, "abcdef");
	SAME("%016llx", 0xffffffff80100000ULL);
	SAME("%p", (void *)0x1234);
	SAME("100%% %d", 1);
	SAME("%#.3x %08.3d", 5u, 5);

	/* Truncation: NUL-terminated, returns the full length. */
	r = kern_snprintf(small, sizeof(small), "%s", "0123456789");
	CHECK(r == 10, "returned %d", r);
	CHECK(!strcmp(small, "0123456"), "got %s", small);
	r = kern_snprintf(NULL, 0, "%d", 12345);
	CHECK(r == 5, "size 0 returned %d", r);
	return UNIT_SUMMARY();
}
