/*
 * idscan.h - independent, minimal scanner of the IDs in a pci.ids file.
 *
 * Model: the oracle test must not trust the generator's parser to tell it
 * which IDs exist, so this scanner re-reads the file with a much simpler
 * rule set (tabs give the level, the first hex words are the IDs) and
 * collects every ID tuple.  It assumes a valid file.
 */
#ifndef IDSCAN_H
#define IDSCAN_H

#include <stddef.h>

struct idscan {
	unsigned int (*vendor)[1];
	unsigned int (*device)[2];
	unsigned int (*subsys)[4];
	unsigned int (*gensub)[2];
	unsigned int (*subclass)[1];	/* class << 8 | subclass */
	unsigned int (*progif)[2];	/* class16, prog-if */
	unsigned int *klass;
	size_t n_vendor, n_device, n_subsys, n_gensub, n_class, n_subclass,
	       n_progif;
};

/* Scan path; returns 0 or -1 (cannot read). */
int idscan_load(struct idscan *s, const char *path);

#endif /* IDSCAN_H */
