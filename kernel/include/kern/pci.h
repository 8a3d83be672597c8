/*
 * PCI: configuration space access, bus enumeration and the kernel's table
 * of PCI functions.
 *
 * Split in two: kernel/arch/x86/pci.c reaches configuration space, through
 * PCIe ECAM (the MMIO windows of the ACPI MCFG table, mapped lazily in
 * PCI_ECAM_CHUNK-bus pieces) or, when there is no MCFG (QEMU -M pc), the
 * legacy 0xCF8/0xCFC ports (first 256 bytes only).  kernel/drivers/pci/pci.c
 * walks every bus reachable from the root bus(es) (through PCI-PCI and
 * CardBus bridges, all functions of multi-function devices), records each
 * function with its IDs and sized BARs in a fixed table, sorts it like
 * lspci (segment, bus, device, function) and prints one lspci-style line
 * per function at boot, named with the pciids-gen tables (pciids.h).
 * kernel/drivers/pci/pci_show.c formats the lines and the `lspci -x` hex dumps
 * and holds the `lspci` monitor command.
 *
 * Command line: `pcidump` prints the `lspci -xxx` dump at boot, between
 * "pcidump: begin" and "pcidump: end" lines (host `lspci -F` reads it);
 * `pci=conf1` forces port I/O even when an MCFG exists.
 *
 * The table is written only by pci_init() (BSP, before other users) and
 * is read-only afterwards, so readers need no lock.
 *
 * Config-space serialising rule: one pci_cfg_read()/pci_cfg_write() is
 * atomic by itself (the arch layer orders the 0xCF8/0xCFC pair).  Any
 * sequence of accesses that must not interleave with another CPU's (BAR
 * and ROM sizing, a read-modify-write of a register, a #pci read or write
 * of several registers) holds pci_cfg_lock (spin_lock_irqsave; it nests
 * outside the arch locks).  Enumeration, drivers and #pci all follow it.
 */
#ifndef KERN_PCI_H
#define KERN_PCI_H

#include <kern/types.h>
#include <kern/compiler.h>

#define PCI_MAX_FUNCS		256
#define PCI_CFG_SIZE		256	/* legacy configuration space */
#define PCIE_CFG_SIZE		4096	/* extended (ECAM only) */
#define PCI_ECAM_CHUNK		16	/* buses mapped per mmio_map() call */

/* Standard header registers. */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_COMMAND_IO		0x0001
#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_REVISION_ID		0x08
#define PCI_CLASS_PROG		0x09
#define PCI_CLASS_DEVICE	0x0a
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_SUBSYS_VENDOR	0x2c
#define PCI_SUBSYS_ID		0x2e
#define PCI_PRIMARY_BUS		0x18	/* type 1 and 2 */
#define PCI_SECONDARY_BUS	0x19
#define PCI_SUBORDINATE_BUS	0x1a
#define PCI_CB_SUBSYS_VENDOR	0x40	/* type 2 */
#define PCI_CB_SUBSYS_ID	0x42
#define PCI_ROM_ADDRESS		0x30	/* type 0 */
#define PCI_ROM_ADDRESS1	0x38	/* type 1 */
#define PCI_ROM_ADDRESS_ENABLE	0x01
#define PCI_ROM_ADDRESS_MASK	0xfffff800u
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d
#define PCI_IO_BASE		0x1c	/* type 1 windows */
#define PCI_IO_LIMIT		0x1d
#define PCI_MEMORY_BASE		0x20
#define PCI_MEMORY_LIMIT	0x22
#define PCI_PREF_MEMORY_BASE	0x24
#define PCI_PREF_MEMORY_LIMIT	0x26
#define PCI_PREF_BASE_UPPER32	0x28
#define PCI_PREF_LIMIT_UPPER32	0x2c
#define PCI_IO_BASE_UPPER16	0x30
#define PCI_IO_LIMIT_UPPER16	0x32

#define PCI_HDR_NORMAL		0
#define PCI_HDR_BRIDGE		1
#define PCI_HDR_CARDBUS		2
#define PCI_HDR_MULTIFUNC	0x80

/* struct pci_bar.flags */
#define PCI_BAR_IO		0x1
#define PCI_BAR_MEM64		0x2
#define PCI_BAR_PREFETCH	0x4

struct pci_bar {
	u64 base;		/* address (0 if unassigned) */
	u64 size;		/* 0: BAR not implemented */
	u8 flags;		/* PCI_BAR_* */
	u8 reg;			/* config offset of the (low) register */
};

struct pci_func {
	u16 seg;
	u8 bus, dev, fn;
	u8 header_type;		/* without the multi-function bit */
	bool multifunc;
	u16 vendor, device;
	u16 subvendor, subdevice;	/* 0 if the header has none */
	u8 class_code, subclass, prog_if, revision;
	u8 secondary, subordinate;	/* bridges only */
	int nbars;			/* entries used in bar[] */
	struct pci_bar bar[6];
	struct pci_bar rom;		/* expansion ROM; size 0 if none */
	u8 irq;				/* Interrupt Line if a pin is wired, else 0 */
};

struct spinlock;
/* Serialises multi-access config sequences (rule above). */
extern struct spinlock pci_cfg_lock;

/* --- configuration space (arch) --- */

/* Choose ECAM (MCFG present) or port I/O; call once before any access. */
void pci_cfg_init(void);
/* True if configuration space goes through ECAM (4 KiB per function). */
bool pci_cfg_is_ecam(void);
/* Size of the config space reachable for seg:bus (4096, 256 or 0 if none). */
unsigned int pci_cfg_space_size(u16 seg, u8 bus);
/* Read a naturally aligned 1/2/4-byte register; all ones if unreachable. */
u32 pci_cfg_read(u16 seg, u8 bus, u8 dev, u8 fn, unsigned int off, int width);
/* Write a naturally aligned register; -EINVAL if out of range, -ENODEV if unreachable. */
int pci_cfg_write(u16 seg, u8 bus, u8 dev, u8 fn, unsigned int off, int width, u32 val);
/* Root buses to scan: fills seg[i]/bus[i], returns how many (at most max). */
int pci_cfg_roots(u16 *seg, u8 *bus, int max);

static inline u32 pci_read32(const struct pci_func *f, unsigned int off)
{
	return pci_cfg_read(f->seg, f->bus, f->dev, f->fn, off, 4);
}

static inline u16 pci_read16(const struct pci_func *f, unsigned int off)
{
	return pci_cfg_read(f->seg, f->bus, f->dev, f->fn, off, 2);
}

static inline u8 pci_read8(const struct pci_func *f, unsigned int off)
{
	return pci_cfg_read(f->seg, f->bus, f->dev, f->fn, off, 1);
}

/* --- the function table (core) --- */

/*
 * Enumerate every bus, fill the table and print one line per function
 * (and the lspci -xxx dump if the command line has `pcidump`).  Needs
 * acpi_init() and mmio_map(); returns the number of functions found.
 * A device-level initcall.
 */
int pci_init(void);
/* Number of functions in the table. */
int pci_count(void);
/* Table entry i (sorted by seg/bus/dev/fn), or NULL if out of range. */
const struct pci_func *pci_get(int i);
/* Config space size of f as #pci and sysfs show it (4096 or 256). */
unsigned int pci_func_cfg_size(const struct pci_func *f);
/* First function with these IDs, or NULL. */
const struct pci_func *pci_find(u16 vendor, u16 device);

/* --- capability lists (drivers/pci/pci_caps.c) --- */

#define PCI_CAP_ID_PM		0x01
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_ID_SSVID	0x0d	/* bridge subsystem IDs: +4 vendor, +6 device */
#define PCI_CAP_ID_EXP		0x10
#define PCI_CAP_ID_MSIX		0x11
#define PCI_EXT_CAP_ID_ERR	0x0001

/* Config-space reader for the walks: a naturally aligned 1/2/4-byte register. */
struct pci_cfg_reader {
	u32 (*read)(const void *ctx, unsigned int off, int width);
	const void *ctx;
};
/* Offset of standard capability id (header type hdr_type), or 0 if absent or the list is broken. */
int pci_caps_find(const struct pci_cfg_reader *r, u8 hdr_type, u8 id);
/* Offset of extended capability id in a space of size bytes, or 0 likewise. */
int pci_ext_caps_find(const struct pci_cfg_reader *r, unsigned int size, u16 id);
/* The same walks over a function's config space: offset, or 0. */
int pci_find_capability(const struct pci_func *f, u8 id);
int pci_find_ext_capability(const struct pci_func *f, u16 id);
/* The next capability id after the one at pos (pos 0: the first): offset, or 0. */
int pci_find_next_capability(const struct pci_func *f, int pos, u8 id);

/* --- driver support (drivers/pci/pci.c) --- */

/* Position of f in the table (pci_get(i) == f), or -1. */
int pci_func_index(const struct pci_func *f);
/* Bind f to the driver named name (a string that lives forever): 0 or -EBUSY if bound. */
int pci_set_driver(const struct pci_func *f, const char *name);
/* Name of the driver bound to f, or NULL. */
const char *pci_driver_name(const struct pci_func *f);
/* Turn on memory and I/O decoding and bus mastering in f's command register. */
void pci_enable_device(const struct pci_func *f);
/* Map BAR register index bar (0-5) of f uncached; NULL if it is not a sized memory BAR. */
void *pci_iomap(const struct pci_func *f, int bar);

/* --- MSI and MSI-X under driver control (drivers/pci/msi.c) --- */

#define PCI_IRQ_NONE		0
#define PCI_IRQ_INTX		1
#define PCI_IRQ_MSI		2
#define PCI_IRQ_MSIX		3
#define PCI_MSI_MAX_VECS	8	/* vectors one function may get */

/*
 * Give f nvec MSI vectors (rounded down to what the function and a
 * power-of-two block allow), all targeting CPU 0, and turn MSI on (INTx
 * off).  Returns the number granted (>= 1), -EOPNOTSUPP without an MSI
 * capability, -EBUSY if MSI or MSI-X is already on, -ENOSPC, -EINVAL.
 */
int pci_msi_enable(const struct pci_func *f, int nvec);
/* The same with MSI-X (table entries 0..n-1 unmasked); also -ENOMEM, -ENODEV (table BAR). */
int pci_msix_enable(const struct pci_func *f, int nvec);
/* Where a function's INTx pin arrives (drivers/pci/intx.c). */
struct pci_intx_route {
	u32 gsi;		/* IOAPIC input */
	u8 pin;			/* the function's own pin, 0 = INTA */
	bool level;		/* level-triggered */
	bool active_low;
};

/*
 * Fill r for f's interrupt pin: 0, -ENOENT (no pin) or -ENODEV (a
 * chipset whose routing this kernel does not know).
 */
int pci_intx_route(const struct pci_func *f, struct pci_intx_route *r);
/*
 * Give f its legacy INTx pin as interrupt 0: one vector, routed through
 * the IOAPIC to CPU 0 (level-triggered, delivered once a handler is
 * installed; EOI after it), INTx enabled in the command register.
 * Returns 1, -ENOENT (no pin), -ENODEV (routing unknown on this chipset:
 * drivers/pci/intx.c), -EBUSY (a mode is on, or another function holds
 * the GSI), -ENOSPC, -ENOMEM, -EINVAL.
 */
int pci_intx_enable(const struct pci_func *f);
/* The GSI of f's INTx once enabled, or -EINVAL. */
int pci_irq_gsi(const struct pci_func *f);
/* PCI_IRQ_NONE, PCI_IRQ_INTX, PCI_IRQ_MSI or PCI_IRQ_MSIX: what f's driver got. */
int pci_irq_mode(const struct pci_func *f);
/* CPU vector of f's interrupt i, or -EINVAL. */
int pci_irq_vector(const struct pci_func *f, int i);
/* Call fn(data) for each interrupt i of f (name shown in /proc/interrupts): 0 or -EINVAL. */
int pci_request_irq(const struct pci_func *f, int i, void (*fn)(void *data), void *data,
		    const char *name);
/*
 * Mask / unmask interrupt i (MSI-X entries; MSI with per-vector masking;
 * INTx by the command register's Interrupt Disable): 0, -EINVAL, -EOPNOTSUPP.
 */
int pci_irq_mask(const struct pci_func *f, int i);
int pci_irq_unmask(const struct pci_func *f, int i);
/* Deliver interrupt i (MSI: all of f's vectors) to CPU cpu: 0 or -EINVAL. */
int pci_irq_set_affinity(const struct pci_func *f, int i, int cpu);
/* Deliveries of interrupt i so far (all CPUs), 0 if none. */
u64 pci_irq_count(const struct pci_func *f, int i);

/* --- lspci-style text (drivers/pci/pci_show.c) --- */

/* lspci's -n/-nn switches for pci_format_line(). */
#define PCI_SHOW_NUMERIC	1	/* -n */
#define PCI_SHOW_MIXED		2	/* -nn */
/* lspci's default line without the slot ("Class: Vendor Device (rev xx)"); returns its length. */
int pci_format_line(char *buf, size_t size, const struct pci_func *f, int numeric);
/*
 * Print lspci's output for every function: numeric as above, hex = number
 * of -x (0..4: lspci -x, -xxx, -xxxx hex dumps), verbose adds the BARs.
 */
void pci_show_all(int numeric, int hex, bool verbose);

#endif
