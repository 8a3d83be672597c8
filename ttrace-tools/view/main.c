/*
 * ttrace-view: read a ttrace dump stream (from a file or stdin) and show
 * it or export it.  One source tree, built static for the target and
 * natively for the host (ttrace-tools/Makefile).
 *
 *	ttrace-view text     [STREAM]		trace-cmd report-style lines
 *	ttrace-view summary  [STREAM]		utilisation, syscalls, IRQs, waits, loss
 *	ttrace-view tracedat FILE [STREAM]	trace-cmd trace.dat v6
 *	ttrace-view ctf      DIR  [STREAM]	CTF 1.8 trace for babeltrace2
 *	ttrace-view perfetto [STREAM]		Chrome JSON (systemTraceEvents) on stdout
 *	ttrace-view html     [STREAM]		one self-contained HTML file on stdout
 *	ttrace-view tui      [STREAM]		ncurses timeline
 *
 * Exit status 0 on success, 1 on a bad stream or failed output, 2 on usage.
 */
#include <stdio.h>
#include <string.h>
#include "tt.h"

/* Print usage; returns exit status 2. */
static int usage(void)
{
	fprintf(stderr,
		"usage: ttrace-view text|summary|perfetto|html|tui [STREAM]\n"
		"       ttrace-view tracedat FILE [STREAM]\n"
		"       ttrace-view ctf DIR [STREAM]\n"
		"STREAM is a `ttrace dump` file; without it (or with -) stdin is read.\n");
	return 2;
}

/* Returns 0, 1 on a bad stream or failed output, 2 on usage errors. */
int main(int argc, char **argv)
{
	struct tt_trace t;
	const char *cmd, *dest = NULL, *in;
	int rc, nargs;

	if (argc < 2)
		return usage();
	cmd = argv[1];
	nargs = (!strcmp(cmd, "tracedat") || !strcmp(cmd, "ctf")) ? 1 : 0;
	if (argc < 2 + nargs || argc > 3 + nargs)
		return usage();
	if (nargs)
		dest = argv[2];
	in = argc == 3 + nargs ? argv[2 + nargs] : NULL;
	if (strcmp(cmd, "text") && strcmp(cmd, "summary") && strcmp(cmd, "perfetto") &&
	    strcmp(cmd, "html") && strcmp(cmd, "tui") && strcmp(cmd, "tracedat") &&
	    strcmp(cmd, "ctf"))
		return usage();
	if (tt_load_file(&t, in)) {
		fprintf(stderr, "ttrace-view: %s\n", t.err);
		tt_free(&t);
		return 1;
	}
	if (!strcmp(cmd, "text"))
		rc = tt_text(&t, stdout);
	else if (!strcmp(cmd, "summary"))
		rc = tt_summary(&t, stdout);
	else if (!strcmp(cmd, "perfetto"))
		rc = tt_perfetto(&t, stdout);
	else if (!strcmp(cmd, "html"))
		rc = tt_html(&t, stdout);
	else if (!strcmp(cmd, "tui"))
		rc = tt_tui(&t);
	else if (!strcmp(cmd, "tracedat"))
		rc = tt_tracedat(&t, dest);
	else
		rc = tt_ctf(&t, dest);
	if (fflush(stdout))
		rc = 1;
	tt_free(&t);
	return rc;
}
