/*
 * query.h - the query language of the pciids tool.
 *
 * Model: a query is one line of words: optional "-n"/"-nn" (numeric or
 * mixed output, as lspci), then one of
 *   VVVV                  vendor name           (lspci -vmm "Vendor:")
 *   VVVV:DDDD             vendor and device     (lspci device line)
 *   VVVV:DDDD:SVVV:SDDD   subsystem             (lspci -v "Subsystem:")
 *   -c CCSS               class                 (lspci class column)
 *   -c CCSSPP             class, then lspci -v's " (prog-if PP [name])"
 * IDs are 1-4 hex digits.  Rendering goes through a pci_lookup_name()-like
 * callback so the same code renders with libpciids or with libpci.
 */
#ifndef PCIIDS_QUERY_H
#define PCIIDS_QUERY_H

#include <stddef.h>

enum query_kind { Q_VENDOR, Q_DEVICE, Q_SUBSYS, Q_CLASS, Q_CLASS_PROGIF };

struct pciids_query {
	enum query_kind kind;
	unsigned int flags;	/* PCIIDS_LOOKUP_NUMERIC / _MIXED */
	unsigned int id[4];
};

/* pci_lookup_name()-shaped lookup used for rendering. */
typedef const char *(*query_lookup_fn)(char *buf, size_t size,
				       unsigned int flags, ...);

/*
 * Parse line (words separated by blanks) on top of base_flags; returns 0,
 * or -1 with a message in err.
 */
int pciids_query_parse(const char *line, unsigned int base_flags,
		       struct pciids_query *q, char *err, size_t err_size);
/* Render q as lspci would print it into out; returns out (never fails). */
char *pciids_query_render(const struct pciids_query *q, query_lookup_fn fn,
			  char *out, size_t out_size);

#endif /* PCIIDS_QUERY_H */
