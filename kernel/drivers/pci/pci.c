/*
 * PCI bus enumeration and the kernel's table of PCI functions.
 *
 * pci_init() walks the hierarchy depth-first from each root bus the arch
 * layer reports (one per MCFG window, or bus 0): every device number,
 * every function of a multi-function device, and through every PCI-PCI
 * or CardBus bridge into its secondary bus (as numbered by the firmware;
 * buses are never renumbered here).  A visited list and a depth limit keep
 * broken bridge numbering from looping.  As in Linux's legacy scan, when
 * 00.0 of a root bus is a multi-function host bridge, function N stands
 * for another root bus N.
 *
 * Each function's BARs are sized with I/O and memory decoding turned off
 * in its command register (so a half-written BAR never decodes), writing
 * all ones and reading back: the size is the lowest set bit of the
 * writable address bits, 64-bit BARs taking both halves; the original
 * values and command register are restored.  The expansion ROM register
 * is sized the same way (address bits 31:11, the enable bit kept clear
 * while probing).  All sizing runs under pci_cfg_lock (kern/pci.h).
 *
 * The table is filled once on the BSP before anyone reads it and is
 * read-only afterwards (no lock).  It is sorted by segment, bus, device
 * and function, the order lspci prints in.
 */
#include <kern/pci.h>
#include <kern/bootinfo.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/init.h>
#include <kern/spinlock.h>
#include <kern/errno.h>
#include <kern/vm.h>
#include <kern/time.h>

#define PCI_MAX_DEPTH		32
#define PCI_MAX_ROOTS		16

static struct pci_func pci_table[PCI_MAX_FUNCS];	/* written only by pci_init */
static int npci, npci_dropped;				/* written only by pci_init */
struct spinlock pci_cfg_lock = SPINLOCK_INITIALIZER("pci-cfg");
static const char *drivers[PCI_MAX_FUNCS];		/* pci_cfg_lock; set once per function */
static u32 visited[256];				/* seg << 8 | bus of scanned buses */
static int nvisited;

static void scan_bus(u16 seg, u8 bus, int depth);

static u32 func_key(const struct pci_func *f)
{
	return (u32)f->seg << 16 | (u32)f->bus << 8 | (u32)f->dev << 3 | f->fn;
}

static void write32(const struct pci_func *f, unsigned int off, u32 v)
{
	pci_cfg_write(f->seg, f->bus, f->dev, f->fn, off, 4, v);
}

/* Write all ones to the 32-bit register off, return what reads back, restore it. */
static u32 probe_reg(const struct pci_func *f, unsigned int off, u32 orig)
{
	u32 v;

	write32(f, off, 0xffffffffu);
	v = pci_read32(f, off);
	write32(f, off, orig);
	return v;
}

/* Size the BARs of f into f->bar[] (decoding off meanwhile). */
static void size_bars(struct pci_func *f)
{
	int nregs = f->header_type == PCI_HDR_NORMAL ? 6 :
		    f->header_type == PCI_HDR_BRIDGE ? 2 :
		    f->header_type == PCI_HDR_CARDBUS ? 1 : 0;
	u16 cmd = pci_read16(f, PCI_COMMAND);
	u16 off_bits = cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY);

	if (off_bits)
		pci_cfg_write(f->seg, f->bus, f->dev, f->fn, PCI_COMMAND, 2, cmd & ~off_bits);
	for (int i = 0; i < nregs; i++) {
		unsigned int reg = PCI_BAR0 + 4 * i;
		u32 lo = pci_read32(f, reg), hi = 0, lo_mask, hi_mask = 0;
		struct pci_bar bar = { .reg = reg };
		u64 mask;

		lo_mask = probe_reg(f, reg, lo);
		if (lo_mask == 0xffffffffu && lo == 0xffffffffu)
			continue;			/* nothing answers */
		if (lo & 1) {
			bar.flags = PCI_BAR_IO;
			bar.base = lo & ~3u;
			mask = lo_mask & ~3u;
		} else {
			if (((lo >> 1) & 3) == 2 && i + 1 < nregs) {
				bar.flags |= PCI_BAR_MEM64;
				hi = pci_read32(f, reg + 4);
				hi_mask = probe_reg(f, reg + 4, hi);
				i++;
			}
			if (lo & 8)
				bar.flags |= PCI_BAR_PREFETCH;
			bar.base = (u64)hi << 32 | (lo & ~0xfu);
			mask = (u64)hi_mask << 32 | (lo_mask & ~0xfu);
		}
		if (!mask)
			continue;			/* BAR not implemented */
		bar.size = mask & -mask;
		f->bar[f->nbars++] = bar;
	}
	if (off_bits)
		pci_cfg_write(f->seg, f->bus, f->dev, f->fn, PCI_COMMAND, 2, cmd);
}

/* Size the expansion ROM of a type 0 or 1 header into f->rom (decoding off meanwhile). */
static void size_rom(struct pci_func *f)
{
	unsigned int reg = f->header_type == PCI_HDR_NORMAL ? PCI_ROM_ADDRESS :
			   f->header_type == PCI_HDR_BRIDGE ? PCI_ROM_ADDRESS1 : 0;
	u16 cmd = pci_read16(f, PCI_COMMAND);
	u32 orig, mask;

	if (!reg)
		return;
	orig = pci_read32(f, reg);
	if (cmd & PCI_COMMAND_MEMORY)
		pci_cfg_write(f->seg, f->bus, f->dev, f->fn, PCI_COMMAND, 2,
			      cmd & ~PCI_COMMAND_MEMORY);
	write32(f, reg, PCI_ROM_ADDRESS_MASK);
	mask = pci_read32(f, reg) & PCI_ROM_ADDRESS_MASK;
	write32(f, reg, orig);
	if (cmd & PCI_COMMAND_MEMORY)
		pci_cfg_write(f->seg, f->bus, f->dev, f->fn, PCI_COMMAND, 2, cmd);
	if (!mask || orig == 0xffffffffu)
		return;
	f->rom.reg = reg;
	f->rom.base = orig & PCI_ROM_ADDRESS_MASK;
	f->rom.size = mask & -mask;
}

/* Record seg:bus:dev.fn (vendor already known to answer); NULL if the table is full. */
static struct pci_func *record_func(u16 seg, u8 bus, u8 dev, u8 fn)
{
	struct pci_func *f;
	u32 class_rev;
	u64 irq;
	u8 hdr;

	if (npci == PCI_MAX_FUNCS) {
		npci_dropped++;
		return NULL;
	}
	f = &pci_table[npci++];
	memset(f, 0, sizeof(*f));
	f->seg = seg;
	f->bus = bus;
	f->dev = dev;
	f->fn = fn;
	f->vendor = pci_read16(f, PCI_VENDOR_ID);
	f->device = pci_read16(f, PCI_DEVICE_ID);
	class_rev = pci_read32(f, PCI_REVISION_ID);
	f->revision = class_rev & 0xff;
	f->prog_if = class_rev >> 8;
	f->subclass = class_rev >> 16;
	f->class_code = class_rev >> 24;
	hdr = pci_read8(f, PCI_HEADER_TYPE);
	f->header_type = hdr & 0x7f;
	f->multifunc = hdr & PCI_HDR_MULTIFUNC;
	if (f->header_type == PCI_HDR_NORMAL) {
		f->subvendor = pci_read16(f, PCI_SUBSYS_VENDOR);
		f->subdevice = pci_read16(f, PCI_SUBSYS_ID);
	} else if (f->header_type == PCI_HDR_CARDBUS) {
		f->subvendor = pci_read16(f, PCI_CB_SUBSYS_VENDOR);
		f->subdevice = pci_read16(f, PCI_CB_SUBSYS_ID);
	}
	if (f->header_type == PCI_HDR_BRIDGE) {
		int ssvid = pci_find_capability(f, PCI_CAP_ID_SSVID);

		/* Linux: a bridge's subsystem IDs are in its SSVID capability. */
		if (ssvid) {
			f->subvendor = pci_read16(f, ssvid + 4);
			f->subdevice = pci_read16(f, ssvid + 6);
		}
	}
	if (f->header_type == PCI_HDR_BRIDGE || f->header_type == PCI_HDR_CARDBUS) {
		f->secondary = pci_read8(f, PCI_SECONDARY_BUS);
		f->subordinate = pci_read8(f, PCI_SUBORDINATE_BUS);
	}
	if (pci_read8(f, PCI_INTERRUPT_PIN) && pci_read8(f, PCI_INTERRUPT_LINE) != 0xff)
		f->irq = pci_read8(f, PCI_INTERRUPT_LINE);
	irq = spin_lock_irqsave(&pci_cfg_lock);
	size_bars(f);
	size_rom(f);
	spin_unlock_irqrestore(&pci_cfg_lock, irq);
	return f;
}

/* True if seg:bus was scanned already (bridge loops, shared roots). */
static bool bus_visited(u16 seg, u8 bus)
{
	u32 key = (u32)seg << 8 | bus;

	for (int i = 0; i < nvisited; i++)
		if (visited[i] == key)
			return true;
	return false;
}

/* Record every function on seg:bus and recurse below bridges; stops quietly when the table is full. */
static void scan_bus(u16 seg, u8 bus, int depth)
{
	if (depth > PCI_MAX_DEPTH || bus_visited(seg, bus) ||
	    nvisited == (int)ARRAY_SIZE(visited) || !pci_cfg_space_size(seg, bus))
		return;
	visited[nvisited++] = (u32)seg << 8 | bus;
	for (u8 dev = 0; dev < 32; dev++) {
		int nfn = 1;

		for (u8 fn = 0; fn < nfn; fn++) {
			struct pci_func *f;
			u8 sec;

			if (pci_cfg_read(seg, bus, dev, fn, PCI_VENDOR_ID, 2) == 0xffff)
				continue;
			f = record_func(seg, bus, dev, fn);
			if (!f)
				return;
			if (fn == 0 && f->multifunc)
				nfn = 8;
			if (f->header_type != PCI_HDR_BRIDGE && f->header_type != PCI_HDR_CARDBUS)
				continue;
			/* f may move once the table is sorted, but not during the scan. */
			sec = f->secondary;
			if (sec > bus)
				scan_bus(seg, sec, depth + 1);
		}
	}
}

/* Scan a root bus, and the extra roots a multi-function host bridge at 00.0 stands for. */
static void scan_root(u16 seg, u8 bus)
{
	scan_bus(seg, bus, 0);
	if (bus != 0 || pci_cfg_read(seg, 0, 0, 0, PCI_HEADER_TYPE, 1) == 0xff ||
	    !(pci_cfg_read(seg, 0, 0, 0, PCI_HEADER_TYPE, 1) & PCI_HDR_MULTIFUNC))
		return;
	for (u8 fn = 1; fn < 8; fn++) {
		if (pci_cfg_read(seg, 0, 0, fn, PCI_VENDOR_ID, 2) == 0xffff)
			continue;
		if (pci_cfg_read(seg, 0, 0, fn, PCI_CLASS_DEVICE, 2) == 0x0600)
			scan_bus(seg, fn, 0);
	}
}

/* Insertion sort by seg/bus/dev/fn (lspci's order); the table is small. */
static void sort_table(void)
{
	for (int i = 1; i < npci; i++) {
		struct pci_func t = pci_table[i];
		int j = i;

		for (; j > 0 && func_key(&pci_table[j - 1]) > func_key(&t); j--)
			pci_table[j] = pci_table[j - 1];
		pci_table[j] = t;
	}
}

int pci_init(void)
{
	u16 seg[PCI_MAX_ROOTS];
	u8 bus[PCI_MAX_ROOTS];
	int nroots;


	u64 t0 = nsec_since_boot();

	pci_cfg_init();
	npci = npci_dropped = nvisited = 0;
	nroots = pci_cfg_roots(seg, bus, PCI_MAX_ROOTS);
	for (int i = 0; i < nroots; i++)
		scan_root(seg[i], bus[i]);
	sort_table();
	printk("pci: %d functions on %d buses%s, enumerated in %llu us\n", npci, nvisited,
	       npci_dropped ? " (table full, some dropped)" : "", (nsec_since_boot() - t0) / 1000);
	for (int i = 0; i < npci; i++) {
		const struct pci_func *f = &pci_table[i];
		char line[600];

		pci_format_line(line, sizeof(line), f, 0);
		printk("pci %04x:%02x:%02x.%x %s\n", f->seg, f->bus, f->dev, f->fn, line);
	}
	if (cmdline_has("pcidump")) {
		printk("pcidump: begin\n");
		pci_show_all(0, 3, false);
		printk("pcidump: end\n");
	}
	return npci;
}
initcall(pci_init, device);

int pci_count(void)
{
	return npci;
}

const struct pci_func *pci_get(int i)
{
	return i >= 0 && i < npci ? &pci_table[i] : NULL;
}

unsigned int pci_func_cfg_size(const struct pci_func *f)
{
	return pci_cfg_space_size(f->seg, f->bus) == PCIE_CFG_SIZE ? PCIE_CFG_SIZE : PCI_CFG_SIZE;
}

const struct pci_func *pci_find(u16 vendor, u16 device)
{
	for (int i = 0; i < npci; i++)
		if (pci_table[i].vendor == vendor && pci_table[i].device == device)
			return &pci_table[i];
	return NULL;
}

int pci_func_index(const struct pci_func *f)
{
	return f >= pci_table && f < pci_table + npci ? (int)(f - pci_table) : -1;
}

int pci_set_driver(const struct pci_func *f, const char *name)
{
	int i = pci_func_index(f), err = 0;
	u64 irq;

	if (i < 0)
		return -EINVAL;
	irq = spin_lock_irqsave(&pci_cfg_lock);
	if (drivers[i])
		err = -EBUSY;
	else
		drivers[i] = name;
	spin_unlock_irqrestore(&pci_cfg_lock, irq);
	return err;
}

const char *pci_driver_name(const struct pci_func *f)
{
	int i = pci_func_index(f);

	return i < 0 ? NULL : READ_ONCE(drivers[i]);
}

void pci_enable_device(const struct pci_func *f)
{
	u64 irq = spin_lock_irqsave(&pci_cfg_lock);
	u16 cmd = pci_read16(f, PCI_COMMAND);

	pci_cfg_write(f->seg, f->bus, f->dev, f->fn, PCI_COMMAND, 2,
		      cmd | PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	spin_unlock_irqrestore(&pci_cfg_lock, irq);
}

void *pci_iomap(const struct pci_func *f, int bar)
{
	for (int k = 0; k < f->nbars; k++) {
		const struct pci_bar *b = &f->bar[k];

		if (b->reg == PCI_BAR0 + 4 * bar && !(b->flags & PCI_BAR_IO) && b->base && b->size)
			return mmio_map(b->base, b->size);
	}
	return NULL;
}
