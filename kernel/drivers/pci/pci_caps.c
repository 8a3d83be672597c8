/*
 * PCI capability lists: the standard list (a byte pointer at 0x34, or
 * 0x14 for a CardBus bridge, then "ID, next" pairs at dword-aligned
 * offsets from 0x40 up) and the extended list (from 0x100 in the 4 KiB
 * space: a dword "ID:16 version:4 next:12").  Both walks are protected
 * against loops and broken chains the way Linux is: at most
 * PCI_FIND_CAP_TTL standard entries, or (4096 - 256) / 8 extended ones,
 * and a pointer below the header area ends the walk.
 *
 * The walks read through a callback (struct pci_cfg_reader) so that the
 * same code serves the kernel (config accesses of a pci_func) and the
 * host unit test (a config buffer).  Callers that need a consistent view
 * against concurrent writers hold pci_cfg_lock (kern/pci.h).
 */
#include <kern/pci.h>

#define PCI_STATUS		0x06
#define PCI_STATUS_CAP_LIST	0x10
#define PCI_CAPABILITY_LIST	0x34
#define PCI_CB_CAPABILITY_LIST	0x14
#define PCI_FIND_CAP_TTL	48
#define PCI_EXT_CAP_TTL		((PCIE_CFG_SIZE - PCI_CFG_SIZE) / 8)

int pci_caps_find(const struct pci_cfg_reader *r, u8 hdr_type, u8 id)
{
	unsigned int pos;

	if (!(r->read(r->ctx, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = r->read(r->ctx, hdr_type == PCI_HDR_CARDBUS ? PCI_CB_CAPABILITY_LIST :
		      PCI_CAPABILITY_LIST, 1);
	for (int ttl = PCI_FIND_CAP_TTL; ttl > 0; ttl--) {
		u16 ent;

		pos &= ~3u;
		if (pos < 0x40 || pos >= PCI_CFG_SIZE)
			return 0;
		ent = r->read(r->ctx, pos, 2);
		if ((ent & 0xff) == 0xff)
			return 0;
		if ((ent & 0xff) == id)
			return (int)pos;
		pos = ent >> 8;
	}
	return 0;
}

int pci_ext_caps_find(const struct pci_cfg_reader *r, unsigned int size, u16 id)
{
	unsigned int pos = PCI_CFG_SIZE;

	if (size < PCIE_CFG_SIZE)
		return 0;
	for (int ttl = PCI_EXT_CAP_TTL; ttl > 0; ttl--) {
		u32 hdr = r->read(r->ctx, pos, 4);

		if (!hdr || hdr == 0xffffffffu)
			return 0;
		if ((hdr & 0xffff) == id)
			return (int)pos;
		pos = (hdr >> 20) & ~3u;
		if (pos < PCI_CFG_SIZE)
			return 0;
	}
	return 0;
}

#ifndef HOST_UNIT_TEST
/* The reader callback over a function's config space. */
static u32 func_read(const void *ctx, unsigned int off, int width)
{
	const struct pci_func *f = ctx;

	return pci_cfg_read(f->seg, f->bus, f->dev, f->fn, off, width);
}

int pci_find_capability(const struct pci_func *f, u8 id)
{
	struct pci_cfg_reader r = { func_read, f };

	return pci_caps_find(&r, f->header_type, id);
}

int pci_find_next_capability(const struct pci_func *f, int pos, u8 id)
{
	int at;

	if (!(pci_read16(f, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	at = pci_read8(f, f->header_type == PCI_HDR_CARDBUS ? PCI_CB_CAPABILITY_LIST :
		       PCI_CAPABILITY_LIST);
	for (int ttl = PCI_FIND_CAP_TTL; ttl > 0; ttl--) {
		u16 ent;

		at &= ~3;
		if (at < 0x40 || at >= PCI_CFG_SIZE)
			return 0;
		ent = pci_read16(f, (unsigned int)at);
		if ((ent & 0xff) == 0xff)
			return 0;
		if (pos <= 0 && (ent & 0xff) == id)
			return at;
		if (at == pos)
			pos = 0;	/* the ones after pos count from here */
		at = ent >> 8;
	}
	return 0;
}

int pci_find_ext_capability(const struct pci_func *f, u16 id)
{
	struct pci_cfg_reader r = { func_read, f };

	return pci_ext_caps_find(&r, pci_func_cfg_size(f), id);
}
#endif
