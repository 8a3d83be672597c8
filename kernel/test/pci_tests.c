/*
 * PCI self-tests: the table pci_init() built at boot holds a host bridge
 * at 00:00.0 (every QEMU x86 machine has one), names come out of the
 * pciids-gen tables for it, the table is sorted like lspci, and a second
 * read of configuration space agrees with what was recorded.
 */
#include <kern/ktest.h>
#include <kern/pci.h>
#include <kern/string.h>
#include <pciids.h>

static bool test_pci_host_bridge(void)
{
	const struct pci_func *f = pci_get(0);

	KT_ASSERT_MSG(pci_count() > 0, "no PCI functions found\n");
	KT_ASSERT(f && f->seg == 0 && f->bus == 0 && f->dev == 0 && f->fn == 0);
	KT_ASSERT_MSG(f->class_code == 0x06 && f->subclass == 0x00,
		      "00:00.0 is class %02x%02x, not a host bridge", f->class_code, f->subclass);
	KT_ASSERT(f->vendor != 0xffff && f->vendor == pci_read16(f, PCI_VENDOR_ID));
	KT_ASSERT(f->device == pci_read16(f, PCI_DEVICE_ID));
	for (int i = 1; i < pci_count(); i++) {
		const struct pci_func *a = pci_get(i - 1), *b = pci_get(i);

		KT_ASSERT(a->seg < b->seg || (a->seg == b->seg &&
			  (a->bus << 8 | a->dev << 3 | a->fn) < (b->bus << 8 | b->dev << 3 | b->fn)));
	}
	return true;
}
KTEST_REG(pci_host_bridge, test_pci_host_bridge);

static bool test_pci_names(void)
{
	const struct pci_func *f = pci_get(0);
	char buf[600], name[256];

	KT_ASSERT(f);
	pci_format_line(buf, sizeof(buf), f, 0);
	KT_ASSERT_MSG(!strncmp(buf, "Host bridge: ", 13), "line '%s'", buf);
	/* QEMU's host bridges are Intel parts with names in pci.ids. */
	KT_ASSERT_MSG(f->vendor != 0x8086 || strstr(buf, ": Intel Corporation "), "line '%s'", buf);
	KT_ASSERT(pciids_format(name, sizeof(name), PCIIDS_LOOKUP_VENDOR, 0x8086) > 0);
	KT_ASSERT(!strcmp(name, "Intel Corporation"));
	pci_format_line(buf, sizeof(buf), f, PCI_SHOW_MIXED);
	KT_ASSERT_MSG(!strncmp(buf, "Host bridge [0600]: ", 20), "line '%s'", buf);
	pci_format_line(buf, sizeof(buf), f, PCI_SHOW_NUMERIC);
	KT_ASSERT_MSG(!strncmp(buf, "0600: ", 6), "line '%s'", buf);
	return true;
}
KTEST_REG(pci_names, test_pci_names);
