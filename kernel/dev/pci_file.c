/*
 * What the files of #pci hold (the tree and the access rules are in
 * pci.c): config bytes moved with the config access width that matches
 * each aligned piece, the ctl text our lspci reads (format in
 * lspci/pcictl.h: irq, bar, rom, window lines) and the Linux sysfs
 * attributes with Linux's formats, so that Debian's libpci (linux-sysfs
 * method) reads them as it reads Linux's: "0x8086\n" for IDs, "0x060400\n"
 * for class, a decimal irq, and `resource` with one "start end flags" line
 * per BAR (6), the ROM, and for a PCI-PCI bridge its 4 windows, as a
 * Linux kernel without SR-IOV prints them (flags are IORESOURCE_* bits
 * plus the BAR's low bits).
 */
#include <kern/pci.h>
#include <kern/slice.h>
#include <kern/spinlock.h>
#include <kern/string.h>
#include <kern/errno.h>
#include "pci_internal.h"

/* Linux's IORESOURCE_* bits (include/linux/ioport.h), used only in the resource text. */
#define IORESOURCE_IO		0x00000100
#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_READONLY	0x00004000
#define IORESOURCE_SIZEALIGN	0x00040000
#define IORESOURCE_MEM_64	0x00100000
#define IORESOURCE_ROM_ENABLE	0x00000001

#define PCI_IO_RANGE_TYPE_32	0x01
#define PCI_PREF_RANGE_TYPE_64	0x01

/* One resource: what a resource line and a ctl line say. */
struct pci_res {
	u64 start, size, flags;		/* size 0: none */
};

unsigned int pci_unpriv_cfg_size(const struct pci_func *f)
{
	return f->header_type == PCI_HDR_CARDBUS ? 128 : 64;
}

/* Width of the access for the piece at off with n bytes left (1, 2 or 4). */
static int piece_width(u64 off, size_t n)
{
	if (!(off & 3) && n >= 4)
		return 4;
	if (!(off & 1) && n >= 2)
		return 2;
	return 1;
}

size_t pci_cfg_copy_out(const struct pci_func *f, void *buf, size_t n, u64 off, unsigned int size)
{
	u8 *p = buf;
	size_t done = 0;
	u64 irq;

	if (off >= size)
		return 0;
	if (n > size - off)
		n = size - (size_t)off;
	irq = spin_lock_irqsave(&pci_cfg_lock);
	while (done < n) {
		int w = piece_width(off + done, n - done);
		u32 v = pci_cfg_read(f->seg, f->bus, f->dev, f->fn, (unsigned int)(off + done), w);

		memcpy(p + done, &v, (size_t)w);	/* little-endian: the low bytes */
		done += (size_t)w;
	}
	spin_unlock_irqrestore(&pci_cfg_lock, irq);
	return done;
}

size_t pci_cfg_copy_in(const struct pci_func *f, const void *buf, size_t n, u64 off,
		       unsigned int size)
{
	const u8 *p = buf;
	size_t done = 0;
	u64 irq;

	if (off >= size)
		return 0;
	if (n > size - off)
		n = size - (size_t)off;
	irq = spin_lock_irqsave(&pci_cfg_lock);
	while (done < n) {
		int w = piece_width(off + done, n - done);
		u32 v = 0;

		memcpy(&v, p + done, (size_t)w);
		if (pci_cfg_write(f->seg, f->bus, f->dev, f->fn, (unsigned int)(off + done), w, v))
			break;
		done += (size_t)w;
	}
	spin_unlock_irqrestore(&pci_cfg_lock, irq);
	return done;
}

/* BAR register i (0-5) of f as a resource; size 0 if none starts there. */
static struct pci_res bar_res(const struct pci_func *f, int i)
{
	struct pci_res r = { 0, 0, 0 };

	for (int k = 0; k < f->nbars; k++) {
		const struct pci_bar *b = &f->bar[k];

		if (b->reg != PCI_BAR0 + 4 * i)
			continue;
		r.start = b->base;
		r.size = b->size;
		if (b->flags & PCI_BAR_IO) {
			r.flags = IORESOURCE_IO | IORESOURCE_SIZEALIGN | 0x1;
		} else {
			r.flags = IORESOURCE_MEM | IORESOURCE_SIZEALIGN;
			if (b->flags & PCI_BAR_MEM64)
				r.flags |= IORESOURCE_MEM_64 | 0x4;
			if (b->flags & PCI_BAR_PREFETCH)
				r.flags |= IORESOURCE_PREFETCH | 0x8;
		}
	}
	return r;
}

/* The expansion ROM of f as a resource (size 0 if none). */
static struct pci_res rom_res(const struct pci_func *f)
{
	struct pci_res r = { f->rom.base, f->rom.size, 0 };

	if (r.size) {
		r.flags = IORESOURCE_MEM | IORESOURCE_READONLY | IORESOURCE_SIZEALIGN;
		if (pci_read32(f, f->rom.reg) & PCI_ROM_ADDRESS_ENABLE)
			r.flags |= IORESOURCE_ROM_ENABLE;
	}
	return r;
}

/* Bridge window w (0 I/O, 1 memory, 2 prefetchable) of a type 1 header from its registers. */
static struct pci_res window_res(const struct pci_func *f, int w)
{
	struct pci_res r = { 0, 0, 0 };
	u64 base, limit;

	if (w == 0) {
		u8 lo = pci_read8(f, PCI_IO_BASE), hi = pci_read8(f, PCI_IO_LIMIT);

		base = (u64)(lo & 0xf0) << 8;
		limit = (u64)(hi & 0xf0) << 8 | 0xfff;
		if ((lo & 0xf) == PCI_IO_RANGE_TYPE_32) {
			base |= (u64)pci_read16(f, PCI_IO_BASE_UPPER16) << 16;
			limit |= (u64)pci_read16(f, PCI_IO_LIMIT_UPPER16) << 16;
		}
		r.flags = IORESOURCE_IO | (lo & 0xf);
	} else if (w == 1) {
		base = (u64)(pci_read16(f, PCI_MEMORY_BASE) & 0xfff0) << 16;
		limit = (u64)(pci_read16(f, PCI_MEMORY_LIMIT) & 0xfff0) << 16 | 0xfffff;
		r.flags = IORESOURCE_MEM;
	} else {
		u16 lo = pci_read16(f, PCI_PREF_MEMORY_BASE), hi = pci_read16(f, PCI_PREF_MEMORY_LIMIT);

		base = (u64)(lo & 0xfff0) << 16;
		limit = (u64)(hi & 0xfff0) << 16 | 0xfffff;
		r.flags = IORESOURCE_MEM | IORESOURCE_PREFETCH | (lo & 0xf);
		if ((lo & 0xf) == PCI_PREF_RANGE_TYPE_64) {
			base |= (u64)pci_read32(f, PCI_PREF_BASE_UPPER32) << 32;
			limit |= (u64)pci_read32(f, PCI_PREF_LIMIT_UPPER32) << 32;
			r.flags |= IORESOURCE_MEM_64;
		}
	}
	if (limit < base) {
		r.flags = 0;	/* disabled, as Linux leaves such a window empty */
		return r;
	}
	r.start = base;
	r.size = limit - base + 1;
	return r;
}

/* The ctl KIND word of resource flags (lspci/pcictl.h). */
static const char *res_kind(u64 flags)
{
	if (flags & IORESOURCE_IO)
		return "io";
	if (flags & IORESOURCE_MEM_64)
		return (flags & IORESOURCE_PREFETCH) ? "mem64pf" : "mem64";
	return (flags & IORESOURCE_PREFETCH) ? "mem32pf" : "mem32";
}

/* One Linux resource line for r (zeros when empty): 0 or -ENOMEM. */
static int res_line(struct slice *s, const struct pci_res *r)
{
	u64 end = r->size ? r->start + r->size - 1 : 0;
	int n;

	n = slice_printf(s, "0x%016llx 0x%016llx 0x%016llx\n",
			    r->size ? r->start : 0ULL, end, r->size ? r->flags : 0ULL);
	return n < 0 ? n : 0;
}

/* Linux's `resource` file of f: 0 or -ENOMEM. */
static int resource_text(const struct pci_func *f, struct slice *s)
{
	struct pci_res r;
	int err = 0;

	for (int i = 0; i < 6 && !err; i++) {
		r = bar_res(f, i);
		err = res_line(s, &r);
	}
	r = rom_res(f);
	if (!err)
		err = res_line(s, &r);
	for (int w = 0; w < 4 && !err && f->header_type == PCI_HDR_BRIDGE; w++) {
		struct pci_res none = { 0, 0, 0 };

		r = w < 3 ? window_res(f, w) : none;
		err = res_line(s, &r);
	}
	return err;
}

/*
 * The IRQ Linux would show: the GSI once a driver enabled INTx, the first
 * MSI/MSI-X vector once it enabled one, else the Interrupt Line.
 */
static unsigned int func_irq(const struct pci_func *f)
{
	int mode = pci_irq_mode(f);

	if (mode == PCI_IRQ_INTX)
		return (unsigned int)pci_irq_gsi(f);
	return mode != PCI_IRQ_NONE ? (unsigned int)pci_irq_vector(f, 0) : f->irq;
}

/* The ctl text of f (lspci/pcictl.h): 0 or -ENOMEM. */
static int ctl_text(const struct pci_func *f, struct slice *s)
{
	struct pci_intx_route ir;
	struct pci_res r;
	int err = slice_printf(s, "irq %u\n", func_irq(f));

	if (err >= 0 && !pci_intx_route(f, &ir))
		err = slice_printf(s, "intx %c %u\n", 'A' + ir.pin, ir.gsi);
	for (int i = 0; i < 6 && err >= 0; i++) {
		r = bar_res(f, i);
		if (r.size)
			err = slice_printf(s, "bar %d %s %#llx %#llx\n", i, res_kind(r.flags),
					   r.start, r.size);
	}
	r = rom_res(f);
	if (err >= 0 && r.size)
		err = slice_printf(s, "rom %#llx %#llx\n", r.start, r.size);
	for (int w = 0; w < 3 && err >= 0 && f->header_type == PCI_HDR_BRIDGE; w++) {
		r = window_res(f, w);
		err = slice_printf(s, "window %d %s %#llx %#llx\n", w,
				   r.size ? res_kind(r.flags) : "io", r.start, r.size);
	}
	if (err >= 0 && pci_driver_name(f))
		err = slice_printf(s, "driver %s\n", pci_driver_name(f));
	return err < 0 ? err : 0;
}

int pci_file_text(const struct pci_func *f, int kind, struct slice *s)
{
	int r;

	switch (kind) {
	case PCIQ_CTL:
		return ctl_text(f, s);
	case PCIQ_RESOURCE:
		return resource_text(f, s);
	case PCIQ_VENDOR:
		r = slice_printf(s, "0x%04x\n", f->vendor);
		break;
	case PCIQ_DEVICE:
		r = slice_printf(s, "0x%04x\n", f->device);
		break;
	case PCIQ_CLASS:
		r = slice_printf(s, "0x%02x%02x%02x\n", f->class_code, f->subclass, f->prog_if);
		break;
	case PCIQ_REVISION:
		r = slice_printf(s, "0x%02x\n", f->revision);
		break;
	case PCIQ_SUBVENDOR:
		r = slice_printf(s, "0x%04x\n", f->subvendor);
		break;
	case PCIQ_SUBDEVICE:
		r = slice_printf(s, "0x%04x\n", f->subdevice);
		break;
	default:	/* PCIQ_IRQ */
		r = slice_printf(s, "%u\n", func_irq(f));
		break;
	}
	return r < 0 ? r : 0;
}
