/*
 * #pci internals shared by kernel/dev/pci.c (names, tree, access rules)
 * and kernel/dev/pci_file.c (what each file holds).
 *
 * A file of #pci is named by a 64-bit qid: kind | (index + 1) << 8, where
 * kind is one of the PCIQ_* values and index the function's entry in the
 * kernel's PCI table (pci_get(); 0 and the +1 keep qid 0 for the root).
 * The table never changes after boot, so a qid stays valid forever.
 */
#ifndef KERN_DEV_PCI_INTERNAL_H
#define KERN_DEV_PCI_INTERNAL_H

#include <kern/types.h>
#include <kern/pci.h>

struct slice;

enum pci_kind {
	PCIQ_ROOT,
	PCIQ_PCIDIR,		/* #pci/pci: the Akaros names */
	PCIQ_DEVSDIR,		/* #pci/devices: the Linux view */
	/* per function */
	PCIQ_RAW,		/* pci/[DDDD:]B.D.Fraw */
	PCIQ_CTL,		/* pci/[DDDD:]B.D.Fctl */
	PCIQ_SYSDIR,		/* devices/DDDD:BB:DD.F */
	PCIQ_CONFIG,		/* devices/.../config and the attribute files below */
	PCIQ_VENDOR, PCIQ_DEVICE, PCIQ_CLASS, PCIQ_REVISION,
	PCIQ_SUBVENDOR, PCIQ_SUBDEVICE, PCIQ_IRQ, PCIQ_RESOURCE,
	PCIQ_DRIVER,		/* devices/.../driver: symlink to ../../drivers/NAME */
	PCIQ_DRVSDIR,		/* #pci/drivers (idx -1) */
	PCIQ_DRVDIR,		/* drivers/NAME, named by the first function bound to NAME */
	PCIQ_NKINDS
};

#define PCI_QID(kind, idx)	((u64)(kind) | ((u64)(idx) + 1) << 8)
#define PCI_QID_KIND(qid)	((int)((qid) & 0xff))
#define PCI_QID_IDX(qid)	((int)((qid) >> 8) - 1)

/* Bytes of config space an unprivileged reader sees (Linux: 64, 128 for CardBus). */
unsigned int pci_unpriv_cfg_size(const struct pci_func *f);
/*
 * Copy config bytes [off, off + n) of f into buf (at most size bytes of
 * space), using the widest aligned access for each piece, under
 * pci_cfg_lock; returns the count (0 past the end).
 */
size_t pci_cfg_copy_out(const struct pci_func *f, void *buf, size_t n, u64 off, unsigned int size);
/* Write buf to config bytes [off, off + n) of f likewise; returns the count written. */
size_t pci_cfg_copy_in(const struct pci_func *f, const void *buf, size_t n, u64 off,
		       unsigned int size);
/* Contents of the ctl or a sysfs attribute file (kind) of f into s: 0 or -ENOMEM. */
int pci_file_text(const struct pci_func *f, int kind, struct slice *s);

#endif
