/*
 * filter.h - lspci's -s and -d device selection, with pciutils 3.9's
 * syntax, error texts and matching rules.
 */
#ifndef LSPCI_FILTER_H
#define LSPCI_FILTER_H

struct pdev;

struct pci_filter {
	int domain, bus, slot, func;		/* -1 = any */
	int vendor, device;
	int device_class;
	unsigned int device_class_mask;
	int prog_if;
};

extern struct pci_filter filter;
extern int opt_filter;

void pci_filter_init(struct pci_filter *f);
/* Both return NULL on success or pciutils' error text. */
char *pci_filter_parse_slot(struct pci_filter *f, const char *str);
char *pci_filter_parse_id(struct pci_filter *f, const char *str);
/* 1 if d is selected. */
int pci_filter_match(const struct pci_filter *f, const struct pdev *d);

#endif /* LSPCI_FILTER_H */
