/*
 * libFuzzer harness for the stream reader and the text-producing formats:
 * any input must either load or be rejected with a message, and a loaded
 * one must format (text, summary, perfetto, html) without a sanitizer
 * report.  Built by `make -C ttrace-tools fuzz`, run by tests/run.sh.
 */
#include <stdio.h>
#include <stdint.h>
#include <stddef.h>
#include "tt.h"

/* One fuzz input; always returns 0 (a bug shows as a sanitizer report). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct tt_trace t;

	if (!null)
		null = fopen("/dev/null", "w");
	if (tt_load_mem(&t, data, size, "fuzz") == 0) {
		tt_text(&t, null);
		tt_summary(&t, null);
		tt_perfetto(&t, null);
		tt_html(&t, null);
	} else if (!t.err[0]) {
		__builtin_trap();	/* a rejection must say why */
	}
	tt_free(&t);
	return 0;
}
