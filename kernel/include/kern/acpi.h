/*
 * ACPI table discovery and parsing, the part of the firmware interface the
 * kernel needs at boot: which CPUs exist (MADT local APIC / x2APIC
 * entries), where the IOAPICs are and how legacy IRQs map onto their GSIs
 * (interrupt source overrides), which LAPIC pins carry NMIs, the PCIe ECAM
 * windows (MCFG) and the HPET's address.
 *
 * The parser (kernel/drivers/acpi/acpi_tables.c) is architecture-independent and
 * never dereferences a physical address itself: it asks the caller's
 * map callback for a readable view of each physical range, so the same
 * code runs in the kernel (direct map) and in host unit tests (captured
 * table blobs).  Every length and checksum is validated before use; a bad
 * table is reported through the log callback and skipped, never trusted.
 * The results land in a plain struct acpi_info with fixed-size arrays (no
 * allocator needed at boot); entries beyond an array's capacity are
 * counted in *_dropped.
 */
#ifndef KERN_ACPI_H
#define KERN_ACPI_H

#include <kern/types.h>
#include <kern/compiler.h>

#define ACPI_MAX_CPUS		64
#define ACPI_MAX_IOAPICS	8
#define ACPI_MAX_ISOS		24
#define ACPI_MAX_NMIS		16
#define ACPI_MAX_MCFG		8
/* Tables longer than this are treated as corrupt. */
#define ACPI_MAX_TABLE_LEN	(1u << 20)
#define ACPI_SDT_HDR_LEN	36
#define ACPI_RSDP_V1_LEN	20
#define ACPI_RSDP_V2_LEN	36

/* Used when the MADT is missing or unusable. */
#define ACPI_DEFAULT_IOAPIC_PA	0xFEC00000u
#define ACPI_DEFAULT_LAPIC_PA	0xFEE00000u

/* MPS INTI flags (interrupt source overrides and NMI entries). */
#define ACPI_POL_MASK		0x3
#define ACPI_POL_CONFORM	0x0
#define ACPI_POL_HIGH		0x1
#define ACPI_POL_LOW		0x3
#define ACPI_TRIG_MASK		0xC
#define ACPI_TRIG_CONFORM	0x0
#define ACPI_TRIG_EDGE		0x4
#define ACPI_TRIG_LEVEL		0xC

/* UID meaning "every processor" in LAPIC NMI entries. */
#define ACPI_UID_ALL		0xFFFFFFFFu

struct acpi_cpu {
	u32 apic_id;
	u32 uid;		/* ACPI processor UID */
	bool x2apic;		/* came from a type 9 entry */
};

struct acpi_ioapic {
	u32 id;
	u32 addr;		/* physical MMIO base */
	u32 gsi_base;
};

struct acpi_iso {
	u8 bus;			/* always 0 (ISA) */
	u8 source;		/* ISA IRQ */
	u32 gsi;
	u16 flags;		/* ACPI_POL_* | ACPI_TRIG_* */
};

struct acpi_lapic_nmi {
	u32 uid;		/* ACPI_UID_ALL for every CPU */
	u16 flags;
	u8 lint;		/* LINT0 or LINT1 */
};

struct acpi_mcfg_region {
	u64 base;		/* ECAM physical base for bus 0 of the segment */
	u16 segment;
	u8 bus_start, bus_end;
};

struct acpi_info {
	u64 rsdp_pa;
	u8 revision;		/* RSDP revision: 0 = ACPI 1.0 (RSDT only) */
	bool have_madt, have_mcfg, have_hpet;
	int errors;		/* problems reported while parsing */

	u64 lapic_addr;
	u32 madt_flags;		/* bit 0: dual 8259 PICs present */
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	int ncpus, cpus_dropped, cpus_disabled;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	int nioapics, ioapics_dropped;
	struct acpi_iso isos[ACPI_MAX_ISOS];
	int nisos, isos_dropped;
	struct acpi_lapic_nmi nmis[ACPI_MAX_NMIS];
	int nnmis, nmis_dropped;

	struct acpi_mcfg_region mcfg[ACPI_MAX_MCFG];
	int nmcfg, mcfg_dropped;

	u64 hpet_addr;
};

/*
 * How the parser reaches memory.  map returns a pointer through which len
 * bytes at physical pa can be read, or NULL if that range is unreachable
 * (the parser then reports and skips).  log prints one diagnostic line.
 */
struct acpi_ops {
	const void *(*map)(void *ctx, u64 pa, size_t len);
	void (*log)(const char *fmt, ...) __printf(1, 2);
	void *ctx;
};

/* Byte sum of len bytes (0 for a valid ACPI structure). */
u8 acpi_checksum(const void *p, size_t len);
/* Offset of a valid RSDP in buf (searched on 16-byte boundaries), or -ENOENT. */
long acpi_scan_rsdp(const void *buf, size_t len);
/*
 * Parse everything reachable from the RSDP at rsdp_pa into *out (zeroed
 * first).  Returns 0 if the RSDP and a root table were usable (individual
 * bad tables only bump out->errors), -EINVAL for a bad RSDP, -ENOENT if no
 * usable RSDT/XSDT.  Never loops on malformed input.
 */
int acpi_parse(const struct acpi_ops *ops, u64 rsdp_pa, struct acpi_info *out);
/* Parse one MADT (whole table, already length- and checksum-checked); 0 or -EINVAL. */
int acpi_parse_madt(const struct acpi_ops *ops, const void *tbl, size_t len,
		    struct acpi_info *out);
/* Parse one MCFG table; 0 or -EINVAL. */
int acpi_parse_mcfg(const struct acpi_ops *ops, const void *tbl, size_t len,
		    struct acpi_info *out);
/* Parse one HPET table; 0 or -EINVAL. */
int acpi_parse_hpet(const struct acpi_ops *ops, const void *tbl, size_t len,
		    struct acpi_info *out);

#ifndef HOST_UNIT_TEST
/* The kernel's parsed tables, filled once by acpi_init() on the BSP. */
extern struct acpi_info acpi_info;
/* Find the RSDP and parse the tables, applying fallbacks; never fails. */
void acpi_init(void);
/* PCIe ECAM windows for the PCI driver; *n gets the count. */
const struct acpi_mcfg_region *acpi_mcfg_regions(int *n);
#endif

#endif
