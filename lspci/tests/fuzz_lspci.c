/*
 * fuzz_lspci.c - libFuzzer harness: the input is a dump file; it is parsed
 * with dump_parse() and every parsed function is printed in every view
 * (-vvv with capability decoders, -xxxx, -vmm, -vv -x) into /dev/null.  A
 * pciutils-style "Internal bug" exit is allowed (it is pciutils'
 * behaviour); crashes and sanitizer reports are not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../lspci.h"

/* Writes the input to a file and runs lspci on it with a few option sets. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	const char *err;
	struct pdev *list = dump_parse((const char *)data, size, &err);

	if (!once) {
		once = 1;
		if (!freopen("/dev/null", "w", stdout))
			abort();
	}
	if (!list)
		return 0;
	first_dev = list;
	for (struct pdev *d = list; d; d = d->next)
		pdev_fill_generic(d);
	fuzz_show_all();
	pdev_free_list(list);
	first_dev = NULL;
	return 0;
}
