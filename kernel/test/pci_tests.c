/*
 * PCI self-tests: the table pci_init() built at boot holds a host bridge
 * at 00:00.0 (every QEMU x86 machine has one), names come out of the
 * pciids-gen tables for it, the table is sorted like lspci, and a second
 * read of configuration space agrees with what was recorded.  Config
 * accesses of every width agree with each other and refuse bad offsets;
 * capability walks land on their IDs; sized BARs and ROMs are powers of
 * two, aligned, and their registers were restored after sizing.  The MSI
 * API refuses what a function cannot do (-EOPNOTSUPP, -EINVAL, -EBUSY) and
 * programs the capability it enables (address, data, enable, INTx off).
 */
#include <kern/ktest.h>
#include <kern/pci.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/irq.h>
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

/* One aligned register read as 4, 2 and 1-byte accesses must agree. */
static bool widths_agree(const struct pci_func *f, unsigned int off)
{
	u32 l = pci_read32(f, off);
	u32 w = pci_read16(f, off) | (u32)pci_read16(f, off + 2) << 16;
	u32 b = 0;

	for (int i = 0; i < 4; i++)
		b |= (u32)pci_read8(f, off + i) << (8 * i);
	return l == w && l == b;
}

static bool test_pci_cfg_widths(void)
{
	static const unsigned int offs[] = { 0x00, 0x08, 0x2c };

	for (int i = 0; i < pci_count(); i++) {
		const struct pci_func *f = pci_get(i);

		for (size_t k = 0; k < ARRAY_SIZE(offs); k++)
			KT_ASSERT_MSG(widths_agree(f, offs[k]), "%02x:%02x.%x at %#x", f->bus,
				      f->dev, f->fn, offs[k]);
		/* Out-of-range and misaligned accesses read all ones and write nothing. */
		KT_ASSERT(pci_cfg_read(f->seg, f->bus, f->dev, f->fn, 1, 2) == 0xffff);
		KT_ASSERT(pci_cfg_read(f->seg, f->bus, f->dev, f->fn, pci_func_cfg_size(f), 1) ==
			  0xff);
		KT_ASSERT(pci_cfg_write(f->seg, f->bus, f->dev, f->fn, 2, 4, 0) == -EINVAL);
	}
	return true;
}
KTEST_REG(pci_cfg_widths, test_pci_cfg_widths);

static bool test_pci_caps(void)
{
	static const u8 ids[] = { PCI_CAP_ID_PM, PCI_CAP_ID_MSI, PCI_CAP_ID_VNDR,
				  PCI_CAP_ID_EXP, PCI_CAP_ID_MSIX };
	int found = 0;

	for (int i = 0; i < pci_count(); i++) {
		const struct pci_func *f = pci_get(i);
		int err;

		for (size_t k = 0; k < ARRAY_SIZE(ids); k++) {
			int off = pci_find_capability(f, ids[k]);

			KT_ASSERT(off == 0 || (off >= 0x40 && off < PCI_CFG_SIZE && !(off & 3)));
			KT_ASSERT_MSG(off == 0 || pci_read8(f, off) == ids[k], "%02x:%02x.%x cap %#x",
				      f->bus, f->dev, f->fn, ids[k]);
			found += off != 0;
		}
		/* A PCIe function (EXP capability) behind ECAM may have extended ones. */
		err = pci_find_ext_capability(f, PCI_EXT_CAP_ID_ERR);
		KT_ASSERT(err == 0 || (err >= PCI_CFG_SIZE && (pci_read32(f, err) & 0xffff) == 1));
	}
	/* q35 (ECAM) always has functions with capabilities (ICH9 SATA: MSI); pc may have none. */
	KT_ASSERT_MSG(found > 0 || !pci_cfg_is_ecam(), "no capabilities at all");
	return true;
}
KTEST_REG(pci_caps, test_pci_caps);

static bool test_pci_bars(void)
{
	for (int i = 0; i < pci_count(); i++) {
		const struct pci_func *f = pci_get(i);

		for (int k = 0; k < f->nbars; k++) {
			const struct pci_bar *b = &f->bar[k];

			KT_ASSERT(b->size && !(b->size & (b->size - 1)));
			KT_ASSERT_MSG(!(b->base & (b->size - 1)), "%02x:%02x.%x bar %#x base %#llx size %#llx",
				      f->bus, f->dev, f->fn, b->reg, b->base, b->size);
			KT_ASSERT(b->reg >= PCI_BAR0 && b->reg < PCI_BAR0 + 24);
			KT_ASSERT(!(b->flags & PCI_BAR_IO) || b->size <= 0x10000);
			/* Sizing restored the register. */
			KT_ASSERT((pci_read32(f, b->reg) & ~0xfu & ~(u32)(b->size - 1)) ==
				  ((u32)b->base & ~0xfu) || (b->flags & PCI_BAR_IO));
		}
		if (f->rom.size) {
			KT_ASSERT(f->rom.size >= 2048 && !(f->rom.size & (f->rom.size - 1)));
			KT_ASSERT((pci_read32(f, f->rom.reg) & PCI_ROM_ADDRESS_MASK) == f->rom.base);
		}
	}
	return true;
}
KTEST_REG(pci_bars, test_pci_bars);

static bool test_pci_msi_api(void)
{
	const struct pci_func *msi_f = NULL;
	int v, cap;

	KT_ASSERT(irq_vector_alloc(3) == -EINVAL);
	v = irq_vector_alloc(4);
	KT_ASSERT_MSG(v > 0 && !(v & 3), "block of 4 at %d", v);
	for (int i = 0; i < pci_count(); i++) {
		const struct pci_func *f = pci_get(i);

		if (pci_irq_mode(f) != PCI_IRQ_NONE)
			continue;	/* a driver owns it */
		KT_ASSERT(pci_irq_vector(f, 0) == -EINVAL);
		KT_ASSERT(pci_irq_mask(f, 0) == -EINVAL);
		KT_ASSERT(pci_irq_set_affinity(f, 0, 0) == -EINVAL);
		if (!pci_find_capability(f, PCI_CAP_ID_MSI))
			KT_ASSERT(pci_msi_enable(f, 1) == -EOPNOTSUPP);
		else if (!msi_f && !pci_driver_name(f))
			msi_f = f;
		if (!pci_find_capability(f, PCI_CAP_ID_MSIX))
			KT_ASSERT(pci_msix_enable(f, 1) == -EOPNOTSUPP);
	}
	if (!msi_f)
		return true;	/* pc: no MSI-capable function without a driver */
	/* Enable on a driverless MSI function and read the programming back. */
	KT_ASSERT(pci_msi_enable(msi_f, 1) == 1);
	KT_ASSERT(pci_irq_mode(msi_f) == PCI_IRQ_MSI);
	v = pci_irq_vector(msi_f, 0);
	KT_ASSERT(v >= 0x40 && v < 0xf0);
	cap = pci_find_capability(msi_f, PCI_CAP_ID_MSI);
	KT_ASSERT(pci_read16(msi_f, cap + 2) & 1);			/* enabled */
	KT_ASSERT(pci_read32(msi_f, cap + 4) == (u32)msi_address(0));
	KT_ASSERT((pci_read16(msi_f, cap + ((pci_read16(msi_f, cap + 2) & 0x80) ? 12 : 8)) & 0xff) ==
		  (u32)v);
	KT_ASSERT(pci_read16(msi_f, PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE);
	KT_ASSERT(pci_msi_enable(msi_f, 1) == -EBUSY);
	KT_ASSERT(pci_msix_enable(msi_f, 1) == -EBUSY);
	KT_ASSERT(pci_irq_set_affinity(msi_f, 0, 0) == 0);
	KT_ASSERT(pci_irq_count(msi_f, 0) == 0);
	return true;
}
KTEST_REG(pci_msi_api, test_pci_msi_api);
