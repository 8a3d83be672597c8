/*
 * PCI configuration space access on x86.
 *
 * Two mechanisms.  PCIe ECAM: the ACPI MCFG table gives, per segment, a
 * physical window where function seg:bus:dev.fn's 4 KiB of configuration
 * space sits at base + (bus << 20 | dev << 15 | fn << 12).  A whole
 * segment is 256 MiB of address space, so windows are mapped lazily, one
 * PCI_ECAM_CHUNK-bus piece (16 MiB, 2 MiB pages) the first time a bus in
 * it is touched: a machine with one root bus maps 16 MiB, not 256.
 * Legacy "configuration mechanism #1": write the address to port 0xCF8,
 * then move the data through 0xCFC..0xCFF; segment 0 and the first 256
 * bytes only, and the two steps must not interleave between CPUs, hence
 * cf8_lock.  ECAM is used when the MCFG lists windows (q35); otherwise
 * (QEMU -M pc has no MCFG) and for segment-0 buses no window covers, the
 * ports.  `pci=conf1` on the command line forces the ports (for tests).
 */
#include <kern/pci.h>
#include <kern/acpi.h>
#include <kern/vm.h>
#include <kern/spinlock.h>
#include <kern/bootinfo.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <arch/x86.h>

#define PCI_CONF1_ADDR		0xCF8
#define PCI_CONF1_DATA		0xCFC
#define PCI_CONF1_ENABLE	0x80000000u
#define ECAM_BUS_SHIFT		20
#define ECAM_CHUNKS		(256 / PCI_ECAM_CHUNK)

struct ecam_window {
	u64 base;		/* physical address of bus 0 of the segment */
	u16 seg;
	u8 bus_start, bus_end;
	u8 *chunk_va[ECAM_CHUNKS];	/* protected by ecam_lock; NULL = not mapped yet */
	bool chunk_failed[ECAM_CHUNKS];	/* protected by ecam_lock */
};

static struct ecam_window ecam[ACPI_MAX_MCFG];	/* set once by pci_cfg_init */
static int necam;				/* set once by pci_cfg_init */
static struct spinlock ecam_lock = SPINLOCK_INITIALIZER("pci-ecam");
static struct spinlock cf8_lock = SPINLOCK_INITIALIZER("pci-cf8");	/* orders 0xCF8/0xCFC pairs */

void pci_cfg_init(void)
{
	const struct acpi_mcfg_region *r;
	char how[16] = "";
	int n;

	cmdline_get("pci", how, sizeof(how));
	r = acpi_mcfg_regions(&n);
	necam = 0;
	for (int i = 0; i < n && strcmp(how, "conf1"); i++) {
		if (r[i].bus_end < r[i].bus_start || !r[i].base)
			continue;
		ecam[necam].base = r[i].base;
		ecam[necam].seg = r[i].segment;
		ecam[necam].bus_start = r[i].bus_start;
		ecam[necam].bus_end = r[i].bus_end;
		necam++;
	}
	if (necam)
		printk("pci: config space via ECAM, %d MCFG window(s), first %#llx seg %u buses %02x-%02x\n",
		       necam, ecam[0].base, ecam[0].seg, ecam[0].bus_start, ecam[0].bus_end);
	else
		printk("pci: config space via ports 0xcf8/0xcfc%s\n",
		       n ? " (forced by pci=conf1)" : " (no MCFG)");
}

bool pci_cfg_is_ecam(void)
{
	return necam > 0;
}

static struct ecam_window *ecam_find(u16 seg, u8 bus)
{
	for (int i = 0; i < necam; i++)
		if (ecam[i].seg == seg && bus >= ecam[i].bus_start && bus <= ecam[i].bus_end)
			return &ecam[i];
	return NULL;
}

/* Virtual address of bus's 1 MiB of ECAM, mapping its chunk first; NULL on failure. */
static u8 *ecam_bus_va(struct ecam_window *w, u8 bus)
{
	int c = bus / PCI_ECAM_CHUNK;
	unsigned int first = MAX((unsigned int)c * PCI_ECAM_CHUNK, (unsigned int)w->bus_start);
	unsigned int last = MIN((unsigned int)c * PCI_ECAM_CHUNK + PCI_ECAM_CHUNK - 1,
				(unsigned int)w->bus_end);
	u8 *va;
	u64 irq;

	irq = spin_lock_irqsave(&ecam_lock);
	if (!w->chunk_va[c] && !w->chunk_failed[c]) {
		va = mmio_map(w->base + ((u64)first << ECAM_BUS_SHIFT),
			      (size_t)(last - first + 1) << ECAM_BUS_SHIFT);
		if (va)
			/* chunk_va[c] points at where bus c*CHUNK would be. */
			w->chunk_va[c] = va - ((size_t)(first - c * PCI_ECAM_CHUNK) << ECAM_BUS_SHIFT);
		else
			w->chunk_failed[c] = true;
	}
	va = w->chunk_va[c];
	spin_unlock_irqrestore(&ecam_lock, irq);
	if (!va)
		return NULL;
	return va + ((size_t)(bus - c * PCI_ECAM_CHUNK) << ECAM_BUS_SHIFT);
}

unsigned int pci_cfg_space_size(u16 seg, u8 bus)
{
	if (ecam_find(seg, bus))
		return PCIE_CFG_SIZE;
	return seg == 0 ? PCI_CFG_SIZE : 0;
}

/* Port address for mechanism #1 (off's low two bits dropped). */
static u32 conf1_addr(u8 bus, u8 dev, u8 fn, unsigned int off)
{
	return PCI_CONF1_ENABLE | (u32)bus << 16 | (u32)dev << 11 | (u32)fn << 8 | (off & 0xfc);
}

/* True if (off, width) is a valid aligned access in a space of size bytes. */
static bool access_ok(u8 dev, u8 fn, unsigned int off, int width, unsigned int size)
{
	if (dev > 31 || fn > 7 || (width != 1 && width != 2 && width != 4))
		return false;
	return off < size && off + width <= size && !(off & (width - 1));
}

u32 pci_cfg_read(u16 seg, u8 bus, u8 dev, u8 fn, unsigned int off, int width)
{
	struct ecam_window *w = ecam_find(seg, bus);
	u32 ones = width == 4 ? 0xffffffffu : (1u << (8 * width)) - 1;
	u32 v;
	u64 irq;

	if (w) {
		u8 *p;

		if (!access_ok(dev, fn, off, width, PCIE_CFG_SIZE))
			return ones;
		p = ecam_bus_va(w, bus);
		if (!p)
			return ones;
		p += (u32)dev << 15 | (u32)fn << 12 | off;
		if (width == 1)
			return *(volatile u8 *)p;
		if (width == 2)
			return *(volatile u16 *)p;
		return *(volatile u32 *)p;
	}
	if (seg || !access_ok(dev, fn, off, width, PCI_CFG_SIZE))
		return ones;
	irq = spin_lock_irqsave(&cf8_lock);
	outl(PCI_CONF1_ADDR, conf1_addr(bus, dev, fn, off));
	if (width == 1)
		v = inb(PCI_CONF1_DATA + (off & 3));
	else if (width == 2)
		v = inw(PCI_CONF1_DATA + (off & 2));
	else
		v = inl(PCI_CONF1_DATA);
	spin_unlock_irqrestore(&cf8_lock, irq);
	return v;
}

int pci_cfg_write(u16 seg, u8 bus, u8 dev, u8 fn, unsigned int off, int width, u32 val)
{
	struct ecam_window *w = ecam_find(seg, bus);
	u64 irq;

	if (w) {
		u8 *p;

		if (!access_ok(dev, fn, off, width, PCIE_CFG_SIZE))
			return -EINVAL;
		p = ecam_bus_va(w, bus);
		if (!p)
			return -ENODEV;
		p += (u32)dev << 15 | (u32)fn << 12 | off;
		if (width == 1)
			*(volatile u8 *)p = val;
		else if (width == 2)
			*(volatile u16 *)p = val;
		else
			*(volatile u32 *)p = val;
		return 0;
	}
	if (seg)
		return -ENODEV;
	if (!access_ok(dev, fn, off, width, PCI_CFG_SIZE))
		return -EINVAL;
	irq = spin_lock_irqsave(&cf8_lock);
	outl(PCI_CONF1_ADDR, conf1_addr(bus, dev, fn, off));
	if (width == 1)
		outb(PCI_CONF1_DATA + (off & 3), val);
	else if (width == 2)
		outw(PCI_CONF1_DATA + (off & 2), val);
	else
		outl(PCI_CONF1_DATA, val);
	spin_unlock_irqrestore(&cf8_lock, irq);
	return 0;
}

int pci_cfg_roots(u16 *seg, u8 *bus, int max)
{
	int n = 0;

	for (int i = 0; i < necam && n < max; i++) {
		seg[n] = ecam[i].seg;
		bus[n++] = ecam[i].bus_start;
	}
	if (!n && max > 0) {
		seg[0] = 0;
		bus[0] = 0;
		n = 1;
	}
	return n;
}
