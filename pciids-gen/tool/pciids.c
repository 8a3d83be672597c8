/*
 * pciids.c - command-line PCI ID lookup over the generated tables.
 *
 * Model: each command-line query (or, with --batch, each stdin line) is
 * parsed by query.c and printed on its own line, in the exact text lspci
 * prints for the same IDs (see query.h for the syntax).  Leading -n / -nn
 * apply to all queries.  A bad query prints a message on stderr (and, in
 * batch mode, an empty line so answers stay aligned with input lines);
 * the exit status is then 1.  Usage errors exit with 2.
 */
#include <stdio.h>
#include <string.h>
#include "pciids.h"
#include "query.h"

static const char usage[] =
	"usage: pciids [-n|-nn] QUERY...\n"
	"       pciids [-n|-nn] --batch      (one query per stdin line)\n"
	"QUERY: VVVV | VVVV:DDDD | VVVV:DDDD:SVVV:SDDD | -c CCSS | -c CCSSPP\n"
	"  prints the vendor, device, subsystem or class text lspci shows;\n"
	"  -n numeric IDs only, -nn names and [numeric IDs] (as lspci).\n";

/* Answer one query line; returns 0, or 1 if the query was bad. */
static int answer(const char *line, unsigned int flags, int batch)
{
	struct pciids_query q;
	char err[512], out[1024];

	if (pciids_query_parse(line, flags, &q, err, sizeof(err))) {
		fprintf(stderr, "pciids: %s\n", err);
		if (batch)
			putchar('\n');
		return 1;
	}
	puts(pciids_query_render(&q, pciids_lookup_name, out, sizeof(out)));
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	int i = 1, batch = 0, bad = 0;
	char line[4096];

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "-n"))
			flags = PCIIDS_LOOKUP_NUMERIC;
		else if (!strcmp(argv[i], "-nn"))
			flags = PCIIDS_LOOKUP_MIXED;
		else if (!strcmp(argv[i], "--batch"))
			batch = 1;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		} else
			break;
	}
	if (batch == (i < argc)) {
		fputs(usage, stderr);
		return 2;
	}
	if (batch) {
		while (fgets(line, sizeof(line), stdin)) {
			if (!strchr(line, '\n') && !feof(stdin)) {
				int c;

				while ((c = getchar()) != EOF && c != '\n')
					;
				fprintf(stderr, "pciids: query line too long\n");
				putchar('\n');
				bad = 1;
				continue;
			}
			bad |= answer(line, flags, 1);
		}
		return bad;
	}
	while (i < argc) {
		char q[512];

		/* "-c X" spans two arguments */
		if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			snprintf(q, sizeof(q), "-c %s", argv[i + 1]);
			i += 2;
		} else {
			snprintf(q, sizeof(q), "%s", argv[i++]);
		}
		bad |= answer(q, flags, 0);
	}
	return bad;
}
