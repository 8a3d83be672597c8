/*
 * libFuzzer harness for the cpio newc reader (kernel/fs/cpio.c).
 * Every input is parsed to the end; every name and data byte the reader
 * hands out is touched so ASan flags any out-of-bounds pointer.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DHOST_UNIT_TEST \
 *     -Ikernel/include tests/fuzz/fuzz_cpio.c kernel/fs/cpio.c -o build/fuzz_cpio
 *   build/fuzz_cpio -max_total_time=20 tests/unit/data
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <kern/cpio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_iter it;
	struct cpio_entry e;
	volatile unsigned sum = 0;
	int r, n = 0;

	cpio_iter_init(&it, data, size);
	while ((r = cpio_next(&it, &e)) > 0) {
		if (e.name[e.namelen] != '\0' || e.namelen == 0)
			abort();
		for (size_t i = 0; i < e.namelen; i++)
			sum += (uint8_t)e.name[i];
		for (size_t i = 0; i < e.size; i++)
			sum += ((const uint8_t *)e.data)[i];
		if (++n > (int)size)	/* every member consumes >= 112 bytes */
			abort();
	}
	if (r < 0 && (!it.err || it.err_off > size))
		abort();
	return 0;
}
