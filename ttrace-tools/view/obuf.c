/*
 * A growable output buffer for the binary exports (trace.dat, CTF): the
 * writers append little-endian integers and strings, and check for
 * running out of memory once, at the end, through b->oom.
 */
#include <stdlib.h>
#include <string.h>
#include "tt.h"

/* Append n bytes; on allocation failure sets b->oom and drops them (and all later ones). */
void obuf_put(struct obuf *b, const void *d, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n > b->cap) {
		size_t c = b->cap ? b->cap : 4096;
		uint8_t *np;

		while (c < b->len + n)
			c *= 2;
		np = realloc(b->p, c);
		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = c;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

/* Append a 16-bit value (host order: little-endian). */
void obuf_u16(struct obuf *b, uint16_t v) { obuf_put(b, &v, 2); }
/* Append a 32-bit value. */
void obuf_u32(struct obuf *b, uint32_t v) { obuf_put(b, &v, 4); }
/* Append a 64-bit value. */
void obuf_u64(struct obuf *b, uint64_t v) { obuf_put(b, &v, 8); }
/* Append s with its NUL. */
void obuf_str(struct obuf *b, const char *s) { obuf_put(b, s, strlen(s) + 1); }
