/*
 * fuzz_format.c - libFuzzer target for libpciids lookups and tool queries.
 *
 * Model: the first 21 bytes choose flags, four IDs (biased towards real
 * ones by keeping them small or copying known ones) and a buffer size;
 * the rest is a query line for the tool's parser.  Checks: no crash, the
 * result is NUL-terminated inside the buffer, and pciids_format() and
 * pciids_lookup_name() agree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pciids.h"
#include "query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read a little-endian 32-bit value; cannot fail. */
static unsigned int get32(const uint8_t *p)
{
	return (unsigned int)p[0] | (unsigned int)p[1] << 8 |
	       (unsigned int)p[2] << 16 | (unsigned int)p[3] << 24;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[300], buf2[300], line[256], out[1024], err[512];
	unsigned int flags, id[4], i;
	struct pciids_query q;
	const char *r;
	size_t bsize;
	int n;

	if (size < 21)
		return 0;
	flags = get32(data);
	flags &= 0x7001f | (data[20] & 0x80 ? 0xffffffffu : 0);
	for (i = 0; i < 4; i++) {
		id[i] = get32(data + 4 + 4 * i);
		if (!(data[20] & (1u << i)))
			id[i] &= 0xffff;
	}
	bsize = data[20] & 0x40 ? (size_t)(data[19] % 32) : sizeof(buf);
	n = pciids_format(buf, bsize, flags, id[0], id[1], id[2], id[3]);
	if (bsize && memchr(buf, 0, bsize) == NULL)
		abort();
	if (n >= 0 && (size_t)n != strlen(buf))
		abort();
	r = pciids_lookup_name(buf2, bsize, flags, id[0], id[1], id[2], id[3]);
	if ((n >= 0) != (r == buf2) || (n >= 0 && strcmp(buf, buf2)))
		abort();
	size -= 21;
	data += 21;
	if (size >= sizeof(line))
		size = sizeof(line) - 1;
	memcpy(line, data, size);
	line[size] = 0;
	if (!pciids_query_parse(line, 0, &q, err, sizeof(err)))
		pciids_query_render(&q, pciids_lookup_name, out, sizeof(out));
	return 0;
}
