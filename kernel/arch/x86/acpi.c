/*
 * Kernel side of ACPI: find the RSDP, run the arch-independent parser
 * (kernel/drivers/acpi/acpi_tables.c) over the direct map, and apply fallbacks so
 * the rest of the kernel always sees a usable machine description: no
 * usable MADT means one CPU (the BSP) and a single IOAPIC at the standard
 * address with the usual ISA IRQ0 -> GSI2 override.
 *
 * RSDP search order: the Multiboot 2 ACPI tag (bootinfo), the first KiB of
 * the EBDA, then the BIOS area 0xE0000-0xFFFFF.  ACPI tables live in RAM
 * below 4 GiB on the machines we boot on; anything beyond the boot direct
 * map (0..4 GiB) is refused by the map callback and reported.
 *
 * acpi_info is written once on the BSP before other CPUs start, then only
 * read.  The kernel command line word `noacpi` skips the tables (to test
 * the fallbacks).  The `acpidump` monitor command prints the raw tables in a format
 * tests/unit/data/acpi/capture.py turns into the unit tests' blobs.
 */
#include <kern/acpi.h>
#include <kern/bootinfo.h>
#include <kern/memlayout.h>
#include <kern/vm.h>
#include <kern/moncmd.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <arch/x86.h>
#include <arch/apic.h>

#define BOOT_MAP_LIMIT	0x100000000ULL
#define BIOS_AREA_PA	0xE0000
#define BIOS_AREA_LEN	0x20000
#define EBDA_PTR_PA	0x40E

struct acpi_info acpi_info;

/*
 * ACPI tables may sit in firmware-reserved ranges that the direct map does
 * not cover, so they are reached through mmio_map (uncached, which is fine
 * for a one-time parse; repeated ranges reuse the mapping).
 */
static const void *kmap_range(void *ctx, u64 pa, size_t len)
{
	(void)ctx;
	if (pa >= BOOT_MAP_LIMIT || len > BOOT_MAP_LIMIT - pa)
		return NULL;
	return mmio_map(pa, len);
}

static const struct acpi_ops kernel_acpi_ops = { .map = kmap_range, .log = printk };

/* Physical address of the RSDP, or 0 if none was found. */
static u64 find_rsdp(void)
{
	u64 ebda = (u64)*(const u16 *)KADDR(EBDA_PTR_PA) << 4;
	long off;

	if (boot_info.acpi_rsdp_pa)
		return boot_info.acpi_rsdp_pa;
	if (ebda >= 0x80000 && ebda < 0xA0000) {
		off = acpi_scan_rsdp(KADDR(ebda), 1024);
		if (off >= 0)
			return ebda + off;
	}
	off = acpi_scan_rsdp(KADDR(BIOS_AREA_PA), BIOS_AREA_LEN);
	return off >= 0 ? BIOS_AREA_PA + off : 0;
}

static void apply_fallbacks(struct acpi_info *ai)
{
	if (!ai->have_madt || !ai->ncpus) {
		printk("acpi: no usable MADT: assuming one CPU and an IOAPIC at %#x\n",
		       ACPI_DEFAULT_IOAPIC_PA);
		ai->ncpus = 1;
		ai->cpus[0] = (struct acpi_cpu){ .apic_id = lapic_id() };
		ai->madt_flags = 1;
	}
	if (!ai->lapic_addr)
		ai->lapic_addr = ACPI_DEFAULT_LAPIC_PA;
	if (!ai->nioapics) {
		if (ai->have_madt)
			printk("acpi: MADT lists no IOAPIC; assuming one at %#x\n",
			       ACPI_DEFAULT_IOAPIC_PA);
		ai->nioapics = 1;
		ai->ioapics[0] = (struct acpi_ioapic){ .addr = ACPI_DEFAULT_IOAPIC_PA };
		if (!ai->nisos) {
			ai->nisos = 1;
			ai->isos[0] = (struct acpi_iso){ .source = 0, .gsi = 2 };
		}
	}
}

void acpi_init(void)
{
	struct acpi_info *ai = &acpi_info;
	u64 rsdp = cmdline_has("noacpi") ? 0 : find_rsdp();

	if (cmdline_has("noacpi")) {
		printk("acpi: disabled by 'noacpi' on the command line\n");
		memset(ai, 0, sizeof(*ai));
	} else if (!rsdp) {
		printk("acpi: no RSDP found (multiboot tag, EBDA, BIOS area)\n");
		memset(ai, 0, sizeof(*ai));
	} else if (acpi_parse(&kernel_acpi_ops, rsdp, ai) < 0) {
		printk("acpi: tables unusable\n");
	}
	apply_fallbacks(ai);
	lapic_apply_madt_nmis();	/* the BSP's LAPIC was set up before the MADT was read */
	printk("acpi: rsdp %#llx rev %u: %d CPUs%s, %d IOAPICs, %d overrides, %d NMI pins, "
	       "%d ECAM regions, HPET %s%s\n",
	       ai->rsdp_pa, ai->revision, ai->ncpus,
	       ai->cpus_dropped ? " (some dropped: MAX_CPUS)" : "", ai->nioapics, ai->nisos,
	       ai->nnmis, ai->nmcfg, ai->have_hpet ? "yes" : "no",
	       ai->errors ? " (with errors)" : "");
}

const struct acpi_mcfg_region *acpi_mcfg_regions(int *n)
{
	*n = acpi_info.nmcfg;
	return acpi_info.mcfg;
}

static void dump_range(const char *sig, u64 pa, size_t len)
{
	const u8 *p = kmap_range(NULL, pa, len);

	if (!p)
		return;
	printk("acpidump %.4s %llx %zu\n", sig, pa, len);
	for (size_t i = 0; i < len; i += 32) {
		char line[3 * 32 + 1];
		size_t n = MIN(32, len - i);

		for (size_t j = 0; j < n; j++)
			snprintf(line + 3 * j, 4, "%02x ", p[i + j]);
		printk("%s\n", line);
	}
}

/* Dump a table whose header is at pa, if its length is sane. */
static void dump_table(u64 pa)
{
	const u8 *h = kmap_range(NULL, pa, ACPI_SDT_HDR_LEN);
	u32 len;

	if (!h)
		return;
	memcpy(&len, h + 4, 4);
	if (len >= ACPI_SDT_HDR_LEN && len <= ACPI_MAX_TABLE_LEN)
		dump_range((const char *)h, pa, len);
}

static int cmd_acpidump(int argc, char **argv, struct hw_trapframe *tf)
{
	const u8 *r;
	u32 rsdt, len;
	u64 xsdt = 0;

	(void)argc;
	(void)argv;
	(void)tf;
	if (!acpi_info.rsdp_pa || !(r = kmap_range(NULL, acpi_info.rsdp_pa, 36))) {
		printk("acpidump: no RSDP\n");
		return -1;
	}
	dump_range("RSDP", acpi_info.rsdp_pa, r[15] >= 2 ? 36 : 20);
	memcpy(&rsdt, r + 16, 4);
	if (r[15] >= 2)
		memcpy(&xsdt, r + 24, 8);
	if (rsdt)
		dump_table(rsdt);
	if (xsdt)
		dump_table(xsdt);
	/* Entries from the XSDT if there is one, else the RSDT (they list the same tables). */
	{
		u64 root = xsdt ? xsdt : rsdt;
		int es = xsdt ? 8 : 4;
		const u8 *h = root ? kmap_range(NULL, root, ACPI_SDT_HDR_LEN) : NULL;

		memcpy(&len, h ? h + 4 : (const u8 *)"\0\0\0\0", 4);
		if (len > ACPI_MAX_TABLE_LEN)
			len = 0;
		for (u32 off = ACPI_SDT_HDR_LEN; h && off + es <= len; off += es) {
			u64 pa = 0;

			memcpy(&pa, h + off, es);
			dump_table(pa);
		}
	}
	printk("acpidump end\n");
	return 0;
}
MONITOR_CMD("acpidump", "print the raw ACPI tables (for tests/unit/data/acpi)", cmd_acpidump);
