/*
 * fuzz_parse.c - libFuzzer target for the generator pipeline.
 *
 * Model: the input bytes are a pci.ids file.  It is parsed; if it parses,
 * tables are built (with the option bits taken from the input length, so
 * all three table shapes get exercised), the names are compressed and the
 * .c/.h text is written to /dev/null.  Any crash or sanitizer report is a
 * bug; parse errors are expected and fine, but must carry a line number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include "gen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct gen_db db;
	struct gen_tables t;
	struct gen_names g;
	const char **names;
	uint32_t *lens, k;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	if (gen_parse(&db, (const char *)data, size)) {
		if (!db.err_line || !db.err[0])
			abort();	/* every error needs a place */
		gen_db_free(&db);
		return 0;
	}
	if (gen_build_tables(&t, &db, (unsigned int)(size % 3)))
		abort();
	names = malloc((t.n_names + 1) * sizeof(*names));
	lens = malloc((t.n_names + 1) * sizeof(*lens));
	if (!names || !lens)
		abort();
	for (k = 0; k < t.n_names; k++) {
		names[k] = db.buf + db.ent[t.name_ent[k]].name_off;
		lens[k] = db.ent[t.name_ent[k]].name_len;
	}
	if (gen_compress(&g, names, lens, t.n_names))
		abort();
	if (gen_emit(null, null, "x.h", &db, &t, &g, 0))
		abort();
	gen_names_free(&g);
	free(names);
	free(lens);
	gen_tables_free(&t);
	gen_db_free(&db);
	return 0;
}
