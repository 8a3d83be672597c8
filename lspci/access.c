/*
 * access.c - the device list every backend fills, and libpci's generic
 * fill from config space.
 *
 * Model: a backend creates one struct pdev per function with pdev_new(),
 * copies the config bytes it could read into cfg[] (cfg_len of them) and,
 * if it knows them, the kernel's facts (struct pdev.known).  What it does
 * not know is then taken from config space exactly as libpci's
 * pci_generic_fill_info() does for a dump: a read past cfg_len gives all
 * ones, 64-bit BARs are joined, the Interrupt Line byte is the IRQ.
 * lspci's own reads (get_conf_*) instead require config_fetch() first, as
 * pciutils' do, and config_fetch() fails past cfg_len.
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "lspci.h"
#include "regs.h"

/* Returns a zeroed device with all config bytes 0xff; exits on no memory. */
struct pdev *pdev_new(unsigned int domain, unsigned int bus, unsigned int dev,
		      unsigned int func)
{
	struct pdev *d = calloc(1, sizeof(*d));

	if (!d) {
		fprintf(stderr, "lspci: out of memory\n");
		exit(1);
	}
	d->domain = domain;
	d->bus = bus;
	d->dev = dev;
	d->func = func;
	d->irq = -1;
	memset(d->cfg, 0xff, sizeof(d->cfg));
	return d;
}

/* Frees every device of a list. */
void pdev_free_list(struct pdev *list)
{
	while (list) {
		struct pdev *n = list->next;

		free(list);
		list = n;
	}
}

/* libpci's pci_read_*() on a device: all ones past what could be read. */
static u32 raw_read(struct pdev *d, unsigned int pos, unsigned int len)
{
	u32 v = 0;

	if (pos + len > d->cfg_len)
		return len == 4 ? 0xffffffff : (1u << (8 * len)) - 1;
	for (unsigned int i = 0; i < len; i++)
		v |= (u32)d->cfg[pos + i] << (8 * i);
	return v;
}

/* libpci's capability scan; returns the offset of cap id or 0. */
static int find_cap(struct pdev *d, int want)
{
	u8 been_there[256];
	int where;

	if (!(raw_read(d, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return 0;
	memset(been_there, 0, sizeof(been_there));
	where = raw_read(d, PCI_CAPABILITY_LIST, 1) & ~3;
	while (where) {
		int id = raw_read(d, where + PCI_CAP_LIST_ID, 1);
		int next = raw_read(d, where + PCI_CAP_LIST_NEXT, 1) & ~3;

		if (been_there[where]++ || id == 0xff)
			break;
		if (id == want)
			return where;
		where = next;
	}
	return 0;
}

/*
 * Fill identity, class, subsystem, IRQ, BARs and ROM from config space
 * where the backend did not know them (pci_generic_fill_info()).
 */
void pdev_fill_generic(struct pdev *d)
{
	int ht = raw_read(d, PCI_HEADER_TYPE, 1) & 0x7f;
	int cnt = 0;

	d->cached = d->cfg_len >= 64 ? 64 : 0;
	if (d->cached && ht == PCI_HEADER_TYPE_CARDBUS && d->cfg_len >= 128)
		d->cached = 128;
	memset(d->present, 0, sizeof(d->present));
	memset(d->present, 1, d->cached);
	d->vendor_id = raw_read(d, PCI_VENDOR_ID, 2);
	d->device_id = raw_read(d, PCI_DEVICE_ID, 2);
	d->device_class = raw_read(d, PCI_CLASS_DEVICE, 2);
	d->prog_if = raw_read(d, PCI_CLASS_PROG, 1);
	d->rev_id = raw_read(d, PCI_REVISION_ID, 1);
	d->subsys_vendor_id = d->subsys_id = 0;
	switch (ht) {
	case PCI_HEADER_TYPE_NORMAL:
		d->subsys_vendor_id = raw_read(d, PCI_SUBSYSTEM_VENDOR_ID, 2);
		d->subsys_id = raw_read(d, PCI_SUBSYSTEM_ID, 2);
		break;
	case PCI_HEADER_TYPE_BRIDGE: {
		int cap = find_cap(d, PCI_CAP_ID_SSVID);

		if (cap) {
			d->subsys_vendor_id = raw_read(d, cap + PCI_SSVID_VENDOR, 2);
			d->subsys_id = raw_read(d, cap + PCI_SSVID_DEVICE, 2);
		}
		break;
	}
	case PCI_HEADER_TYPE_CARDBUS:
		d->subsys_vendor_id = raw_read(d, PCI_CB_SUBSYSTEM_VENDOR_ID, 2);
		d->subsys_id = raw_read(d, PCI_CB_SUBSYSTEM_ID, 2);
		break;
	}
	if (!(d->known & KNOWN_IRQ))
		d->irq = raw_read(d, PCI_INTERRUPT_LINE, 1);
	if (d->known & KNOWN_SIZES)
		return;
	switch (ht) {
	case PCI_HEADER_TYPE_NORMAL:
		cnt = 6;
		break;
	case PCI_HEADER_TYPE_BRIDGE:
		cnt = 2;
		break;
	case PCI_HEADER_TYPE_CARDBUS:
		cnt = 1;
		break;
	}
	memset(d->base_addr, 0, sizeof(d->base_addr));
	for (int i = 0; i < cnt; i++) {
		u32 x = raw_read(d, PCI_BASE_ADDRESS_0 + i * 4, 4);

		if (!x || x == 0xffffffff)
			continue;
		if ((x & PCI_BASE_ADDRESS_SPACE) == PCI_BASE_ADDRESS_SPACE_IO ||
		    (x & PCI_BASE_ADDRESS_MEM_TYPE_MASK) != PCI_BASE_ADDRESS_MEM_TYPE_64) {
			d->base_addr[i] = x;
		} else if (i < cnt - 1) {
			u32 y = raw_read(d, PCI_BASE_ADDRESS_0 + (++i) * 4, 4);

			d->base_addr[i - 1] = x | ((u64)y << 32);
		}
	}
	d->rom_base_addr = 0;
	if (ht == PCI_HEADER_TYPE_NORMAL || ht == PCI_HEADER_TYPE_BRIDGE) {
		u32 u = raw_read(d, ht ? PCI_ROM_ADDRESS1 : PCI_ROM_ADDRESS, 4);

		if (u != 0xffffffff)
			d->rom_base_addr = u;
	}
}

/*
 * 1 if [pos, pos + len) of config space can be read (pciutils'
 * config_fetch()): bytes already fetched are skipped, the rest must lie
 * within what the backend read; on success they become present.
 */
int config_fetch(struct pdev *d, unsigned int pos, unsigned int len)
{
	while (pos < CFG_SPACE_EXP && len && d->present[pos])
		pos++, len--;
	while (pos + len <= CFG_SPACE_EXP && len && d->present[pos + len - 1])
		len--;
	if (!len)
		return 1;
	if (pos + len > d->cfg_len || pos + len > CFG_SPACE_EXP)
		return 0;
	memset(d->present + pos, 1, len);
	return 1;
}

/* Reading a byte never fetched is a bug in pciutils too: it dies the same way. */
static void check_conf_range(struct pdev *d, unsigned int pos, unsigned int len)
{
	for (; len; pos++, len--)
		if (pos >= CFG_SPACE_EXP || !d->present[pos]) {
#ifdef LSPCI_FUZZ
			longjmp(fuzz_bail, 1);
#endif
			fflush(stdout);
			fprintf(stderr, "lspci: Internal bug: Accessing non-read configuration byte at position %x\n", pos);
			exit(1);
		}
}

/* Config byte at pos (callers fetched it first). */
u8 get_conf_byte(struct pdev *d, unsigned int pos)
{
	check_conf_range(d, pos, 1);
	return d->cfg[pos];
}

/* Config word at pos, little-endian. */
u16 get_conf_word(struct pdev *d, unsigned int pos)
{
	check_conf_range(d, pos, 2);
	return d->cfg[pos] | d->cfg[pos + 1] << 8;
}

/* Config dword at pos, little-endian. */
u32 get_conf_long(struct pdev *d, unsigned int pos)
{
	check_conf_range(d, pos, 4);
	return d->cfg[pos] | d->cfg[pos + 1] << 8 | d->cfg[pos + 2] << 16 |
		(u32)d->cfg[pos + 3] << 24;
}
