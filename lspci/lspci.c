/*
 * lspci.c - options, device selection and the per-device views (terse,
 * verbose header part, machine-readable, hex dump) of our lspci.
 *
 * Model: main() parses pciutils 3.9.0's options with the same getopt
 * string and messages, picks a backend (-F dump, else the kernel's #pci,
 * else Linux sysfs), sorts the functions by domain/bus/device/function and
 * prints each one as pciutils' lspci does; capabilities are in caps.c and
 * ecaps.c, the tree view in tree.c.  What is printed for a set of facts
 * is pciutils' choice in every detail, including its oddities (a numeric
 * -s or -d error exits 1, a bad option prints the usage to stderr).
 */
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lspci.h"
#include "regs.h"
#include "filter.h"
#include "pciids.h"

int verbose;
int opt_numeric;
int opt_buscentric;
struct pdev *first_dev;
static int opt_hex, opt_tree, opt_machine, opt_domains, opt_kernel, opt_path;
struct pci_filter filter;
int opt_filter;

static const char help_msg[] =
	"Usage: lspci [<switches>]\n"
	"\n"
	"Basic display modes:\n"
	"-mm\t\tProduce machine-readable output (single -m for an obsolete format)\n"
	"-t\t\tShow bus tree\n"
	"\n"
	"Display options:\n"
	"-v\t\tBe verbose (-vv or -vvv for higher verbosity)\n"
	"-k\t\tShow kernel drivers handling each device\n"
	"-x\t\tShow hex-dump of the standard part of the config space\n"
	"-xxx\t\tShow hex-dump of the whole config space (dangerous; root only)\n"
	"-xxxx\t\tShow hex-dump of the 4096-byte extended config space (root only)\n"
	"-b\t\tBus-centric view (addresses and IRQ's as seen by the bus)\n"
	"-D\t\tAlways show domain numbers\n"
	"-P\t\tDisplay bridge path in addition to bus and device number\n"
	"-PP\t\tDisplay bus path in addition to bus and device number\n"
	"\n"
	"Resolving of device ID's to names:\n"
	"-n\t\tShow numeric ID's\n"
	"-nn\t\tShow both textual and numeric ID's (names & numbers)\n"
	"-q\t\tQuery the PCI ID database for unknown ID's via DNS\n"
	"-qq\t\tAs above, but re-query locally cached entries\n"
	"-Q\t\tQuery the PCI ID database for all ID's via DNS\n"
	"\n"
	"Selection of devices:\n"
	"-s [[[[<domain>]:]<bus>]:][<slot>][.[<func>]]\tShow only devices in selected slots\n"
	"-d [<vendor>]:[<device>][:<class>]\t\tShow only devices with specified ID's\n"
	"\n"
	"Other options:\n"
	"-i <file>\tUse specified ID database instead of /usr/share/misc/pci.ids.gz\n"
	"-p <file>\tLook up kernel modules in a given file instead of default modules.pcimap\n"
	"-M\t\tEnable `bus mapping' mode (dangerous; root only)\n"
	"\n"
	"PCI access options:\n"
	"-A <method>\tUse the specified PCI access method (see `-A help' for a list)\n"
	"-O <par>=<val>\tSet PCI access parameter (see `-O help' for a list)\n"
	"-G\t\tEnable PCI access debugging\n"
	"-H <mode>\tUse direct hardware access (<mode> = 1 or 2)\n"
	"-F <file>\tRead PCI configuration dump from a given file\n";

/* Prints "lspci: MSG" on stderr and exits 1, as pciutils' die(). */
static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("lspci: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* pci_lookup_name() with lspci's -n/-nn; returns buf, NULL or a constant message. */
const char *lookup_name(char *buf, int size, unsigned int flags, ...)
{
	va_list ap;
	int r;

	if (flags & PCIIDS_LOOKUP_NO_NUMBERS)
		;	/* libpci ignores -n/-nn for a NO_NUMBERS lookup */
	else if (opt_numeric > 1)
		flags |= PCIIDS_LOOKUP_MIXED;
	else if (opt_numeric)
		flags |= PCIIDS_LOOKUP_NUMERIC;
	va_start(ap, flags);
	r = pciids_vformat(buf, size, flags, ap);
	va_end(ap);
	if (r == PCIIDS_ENONAME)
		return NULL;
	if (r < 0)
		return "<pci_lookup_name: buffer too small>";
	return buf;
}

/*** Sorting and selection ***/

/* Orders devices by domain, bus, device, function. */
static int compare_them(const void *A, const void *B)
{
	const struct pdev *a = *(struct pdev *const *)A, *b = *(struct pdev *const *)B;

	if (a->domain != b->domain)
		return a->domain < b->domain ? -1 : 1;
	if (a->bus != b->bus)
		return a->bus < b->bus ? -1 : 1;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->func != b->func)
		return a->func < b->func ? -1 : 1;
	return 0;
}

/* Sorts the global list; exits on no memory. */
static void sort_them(void)
{
	struct pdev **index, *d;
	int cnt = 0, i;

	for (d = first_dev; d; d = d->next)
		cnt++;
	if (!cnt)
		return;
	index = malloc(sizeof(*index) * cnt);
	if (!index)
		die("out of memory");
	for (i = 0, d = first_dev; d; d = d->next)
		index[i++] = d;
	qsort(index, cnt, sizeof(*index), compare_them);
	for (i = 0; i < cnt - 1; i++)
		index[i]->next = index[i + 1];
	index[cnt - 1]->next = NULL;
	first_dev = index[0];
	free(index);
}

/*** Normal output ***/

/* Bridge path for -P/-PP (parents found by the tree code). */
static void show_slot_path(struct pdev *d)
{
	if (opt_path && d->parent_bus && tree_parent(d)) {
		show_slot_path(tree_parent(d));
		if (opt_path > 1)
			printf("/%02x:%02x.%d", d->bus, d->dev, d->func);
		else
			printf("/%02x.%d", d->dev, d->func);
		return;
	}
	printf("%02x:%02x.%d", d->bus, d->dev, d->func);
}

/* Slot as lspci prints it, with the domain when needed. */
static void show_slot_name(struct pdev *d)
{
	if (!opt_machine ? opt_domains : (d->domain || opt_domains >= 2))
		printf("%04x:", d->domain);
	show_slot_path(d);
}

/* The one-line view and, with -v or -k, the Subsystem line. */
static void show_terse(struct pdev *d)
{
	char classbuf[128], devbuf[128];

	show_slot_name(d);
	printf(" %s: %s",
	       lookup_name(classbuf, sizeof(classbuf), PCIIDS_LOOKUP_CLASS, d->device_class),
	       lookup_name(devbuf, sizeof(devbuf), PCIIDS_LOOKUP_VENDOR | PCIIDS_LOOKUP_DEVICE,
			   d->vendor_id, d->device_id));
	if (d->rev_id)
		printf(" (rev %02x)", d->rev_id);
	if (verbose) {
		int c = d->prog_if;
		const char *x = lookup_name(devbuf, sizeof(devbuf),
					    PCIIDS_LOOKUP_PROGIF | PCIIDS_LOOKUP_NO_NUMBERS,
					    d->device_class, c);

		if (c || x) {
			printf(" (prog-if %02x", c);
			if (x)
				printf(" [%s]", x);
			putchar(')');
		}
	}
	putchar('\n');
	if (verbose || opt_kernel) {
		char ssnamebuf[256];

		if (d->subsys_vendor_id && d->subsys_vendor_id != 0xffff)
			printf("\tSubsystem: %s\n",
			       lookup_name(ssnamebuf, sizeof(ssnamebuf),
					   PCIIDS_LOOKUP_SUBSYSTEM | PCIIDS_LOOKUP_VENDOR |
					   PCIIDS_LOOKUP_DEVICE, d->vendor_id, d->device_id,
					   d->subsys_vendor_id, d->subsys_id));
	}
}

/*** Verbose output ***/

/* " [size=N{,K,M,G,T}]" for a non-zero size. */
static void show_size(u64 x)
{
	static const char suffix[][2] = { "", "K", "M", "G", "T" };
	unsigned int i;

	if (!x)
		return;
	for (i = 0; i < sizeof(suffix) / sizeof(*suffix) - 1; i++) {
		if (x % 1024)
			break;
		x /= 1024;
	}
	printf(" [size=%u%s]", (unsigned int)x, suffix[i]);
}

/* A bridge window line. */
static void show_range(const char *prefix, u64 base, u64 limit, int bits, int disabled)
{
	printf("%s:", prefix);
	if (base <= limit || verbose > 2)
		printf(" %0*llx-%0*llx", (bits + 3) / 4, (unsigned long long)base,
		       (bits + 3) / 4, (unsigned long long)limit);
	if (!disabled && base <= limit)
		show_size(limit - base + 1);
	else
		printf(" [disabled]");
	if (bits)
		printf(" [%d-bit]", bits);
	putchar('\n');
}

/* Linux IORESOURCE_* flags as BAR flag bits. */
static u32 ioflg_to_pciflg(u64 ioflg)
{
	u32 flg;

	if (ioflg & IORES_IO)
		flg = PCI_BASE_ADDRESS_SPACE_IO;
	else if (!(ioflg & IORES_MEM))
		flg = 0;
	else {
		flg = 0;
		if (ioflg & IORES_MEM_64)
			flg |= PCI_BASE_ADDRESS_MEM_TYPE_64;
		if (ioflg & IORES_PREFETCH)
			flg |= PCI_BASE_ADDRESS_MEM_PREFETCH;
	}
	return flg;
}

/* The Region lines of cnt BARs. */
static void show_bases(struct pdev *d, int cnt, int without_config_data)
{
	u16 cmd = without_config_data ? (PCI_COMMAND_IO | PCI_COMMAND_MEMORY) :
		get_conf_word(d, PCI_COMMAND);

	for (int i = 0; i < cnt; i++) {
		u64 pos = d->base_addr[i];
		u64 len = (d->known & KNOWN_SIZES) ? d->size[i] : 0;
		u64 ioflg = (d->known & KNOWN_IO_FLAGS) ? d->flags[i] : 0;
		u32 flg = (d->known & KNOWN_IO_FLAGS) ? ioflg_to_pciflg(ioflg) :
			without_config_data ? 0 : get_conf_long(d, PCI_BASE_ADDRESS_0 + 4 * i);
		u32 hw_lower = 0, hw_upper = 0;
		int broken = 0, virtual = 0;

		if (flg == 0xffffffff)
			flg = 0;
		if (!pos && !flg && !len)
			continue;
		if (verbose > 1)
			printf("\tRegion %d: ", i);
		else
			putchar('\t');
		if ((d->known & KNOWN_IO_FLAGS) && !without_config_data) {
			hw_lower = get_conf_long(d, PCI_BASE_ADDRESS_0 + 4 * i);
			if ((hw_lower & PCI_BASE_ADDRESS_SPACE) ==
			    (ioflg_to_pciflg(ioflg) & PCI_BASE_ADDRESS_SPACE)) {
				if ((ioflg & (IORES_IO | IORES_MEM)) == IORES_MEM &&
				    (hw_lower & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
				    PCI_BASE_ADDRESS_MEM_TYPE_64) {
					if (i >= cnt - 1)
						broken = 1;
					else
						hw_upper = get_conf_long(d, PCI_BASE_ADDRESS_0 + 4 * i + 1);
				}
				if (pos && !hw_lower && !hw_upper)
					virtual = 1;
			}
		}
		if (flg & PCI_BASE_ADDRESS_SPACE_IO) {
			u64 a = pos & PCI_BASE_ADDRESS_IO_MASK;

			printf("I/O ports at ");
			if (a || (cmd & PCI_COMMAND_IO))
				printf("%04llx", (unsigned long long)a);
			else if (hw_lower)
				printf("<ignored>");
			else
				printf("<unassigned>");
			if (virtual)
				printf(" [virtual]");
			else if (!(cmd & PCI_COMMAND_IO))
				printf(" [disabled]");
		} else {
			int t = flg & PCI_BASE_ADDRESS_MEM_TYPE_MASK;
			u64 a = pos & PCI_ADDR_MEM_MASK;

			printf("Memory at ");
			if (broken)
				printf("<broken-64-bit-slot>");
			else if (a)
				printf("%08llx", (unsigned long long)a);
			else if (hw_lower || hw_upper)
				printf("<ignored>");
			else
				printf("<unassigned>");
			printf(" (%s, %sprefetchable)",
			       t == PCI_BASE_ADDRESS_MEM_TYPE_32 ? "32-bit" :
			       t == PCI_BASE_ADDRESS_MEM_TYPE_64 ? "64-bit" :
			       t == PCI_BASE_ADDRESS_MEM_TYPE_1M ? "low-1M" : "type 3",
			       (flg & PCI_BASE_ADDRESS_MEM_PREFETCH) ? "" : "non-");
			if (virtual)
				printf(" [virtual]");
			else if (!(cmd & PCI_COMMAND_MEMORY))
				printf(" [disabled]");
		}
		show_size(len);
		putchar('\n');
	}
}

/* The Expansion ROM line; reg < 0 when config space is unknown. */
static void show_rom(struct pdev *d, int reg)
{
	u64 rom = d->rom_base_addr;
	u64 len = (d->known & KNOWN_SIZES) ? d->rom_size : 0;
	u64 ioflg = (d->known & KNOWN_IO_FLAGS) ? d->rom_flags : 0;
	u32 flg = reg >= 0 ? get_conf_long(d, reg) : ioflg_to_pciflg(ioflg);
	u16 cmd = reg >= 0 ? get_conf_word(d, PCI_COMMAND) : PCI_COMMAND_MEMORY;
	int virtual = 0;

	if (!rom && !flg && !len)
		return;
	if (reg >= 0 && (rom & PCI_ROM_ADDRESS_MASK) && !(flg & PCI_ROM_ADDRESS_MASK)) {
		flg = rom;
		virtual = 1;
	}
	printf("\tExpansion ROM at ");
	if (rom & PCI_ROM_ADDRESS_MASK)
		printf("%08llx", (unsigned long long)(rom & PCI_ROM_ADDRESS_MASK));
	else if (flg & PCI_ROM_ADDRESS_MASK)
		printf("<ignored>");
	else
		printf("<unassigned>");
	if (virtual)
		printf(" [virtual]");
	if (!(flg & PCI_ROM_ADDRESS_ENABLE))
		printf(" [disabled]");
	else if (!virtual && !(cmd & PCI_COMMAND_MEMORY))
		printf(" [disabled by cmd]");
	show_size(len);
	putchar('\n');
}

static void show_htype0(struct pdev *d)
{
	show_bases(d, 6, 0);
	show_rom(d, PCI_ROM_ADDRESS);
	show_caps(d, PCI_CAPABILITY_LIST);
}

static const char *devsel(u16 st)
{
	switch (st & PCI_STATUS_DEVSEL_MASK) {
	case PCI_STATUS_DEVSEL_SLOW:
		return "slow";
	case PCI_STATUS_DEVSEL_MEDIUM:
		return "medium";
	case PCI_STATUS_DEVSEL_FAST:
		return "fast";
	}
	return "??";
}

/* Type 1 header: bus numbers, windows, secondary status, bridge control. */
static void show_htype1(struct pdev *d)
{
	u32 io_base = get_conf_byte(d, PCI_IO_BASE);
	u32 io_limit = get_conf_byte(d, PCI_IO_LIMIT);
	u32 io_type = io_base & PCI_IO_RANGE_TYPE_MASK;
	u32 mem_base = get_conf_word(d, PCI_MEMORY_BASE);
	u32 mem_limit = get_conf_word(d, PCI_MEMORY_LIMIT);
	u32 mem_type = mem_base & PCI_MEMORY_RANGE_TYPE_MASK;
	u32 pref_base = get_conf_word(d, PCI_PREF_MEMORY_BASE);
	u32 pref_limit = get_conf_word(d, PCI_PREF_MEMORY_LIMIT);
	u32 pref_type = pref_base & PCI_PREF_RANGE_TYPE_MASK;
	u16 sec_stat = get_conf_word(d, PCI_SEC_STATUS);
	u16 brc = get_conf_word(d, PCI_BRIDGE_CONTROL);
	int kb = d->known & KNOWN_BRIDGE;
	int io_disabled = kb && !d->bridge_size[0];
	int mem_disabled = kb && !d->bridge_size[1];
	int pref_disabled = kb && !d->bridge_size[2];
	int io_bits, pref_bits;

	show_bases(d, 2, 0);
	printf("\tBus: primary=%02x, secondary=%02x, subordinate=%02x, sec-latency=%d\n",
	       get_conf_byte(d, PCI_PRIMARY_BUS), get_conf_byte(d, PCI_SECONDARY_BUS),
	       get_conf_byte(d, PCI_SUBORDINATE_BUS), get_conf_byte(d, PCI_SEC_LATENCY_TIMER));

	if (kb && !io_disabled) {
		io_base = d->bridge_base[0] & PCI_IO_RANGE_MASK;
		io_limit = io_base + d->bridge_size[0] - 1;
		io_type = d->bridge_base[0] & PCI_IO_RANGE_TYPE_MASK;
		io_bits = io_type == PCI_IO_RANGE_TYPE_32 ? 32 : 16;
		show_range("\tI/O behind bridge", io_base, io_limit, io_bits, io_disabled);
	} else if (io_type != (io_limit & PCI_IO_RANGE_TYPE_MASK) ||
		   (io_type != PCI_IO_RANGE_TYPE_16 && io_type != PCI_IO_RANGE_TYPE_32)) {
		printf("\t!!! Unknown I/O range types %x/%x\n", io_base, io_limit);
	} else {
		io_base = (io_base & PCI_IO_RANGE_MASK) << 8;
		io_limit = (io_limit & PCI_IO_RANGE_MASK) << 8;
		if (io_type == PCI_IO_RANGE_TYPE_32) {
			io_base |= get_conf_word(d, PCI_IO_BASE_UPPER16) << 16;
			io_limit |= get_conf_word(d, PCI_IO_LIMIT_UPPER16) << 16;
		}
		if (!(io_base == 0 && io_limit == 0 && io_disabled)) {
			io_limit += 0xfff;
			io_bits = io_type == PCI_IO_RANGE_TYPE_32 ? 32 : 16;
			show_range("\tI/O behind bridge", io_base, io_limit, io_bits, io_disabled);
		}
	}

	if (kb && !mem_disabled) {
		mem_base = d->bridge_base[1] & PCI_MEMORY_RANGE_MASK;
		mem_limit = mem_base + d->bridge_size[1] - 1;
		show_range("\tMemory behind bridge", mem_base, mem_limit, 32, mem_disabled);
	} else if (mem_type != (mem_limit & PCI_MEMORY_RANGE_TYPE_MASK) || mem_type) {
		printf("\t!!! Unknown memory range types %x/%x\n", mem_base, mem_limit);
	} else {
		mem_base = (mem_base & PCI_MEMORY_RANGE_MASK) << 16;
		mem_limit = (mem_limit & PCI_MEMORY_RANGE_MASK) << 16;
		show_range("\tMemory behind bridge", mem_base, mem_limit + 0xfffff, 32, mem_disabled);
	}

	if (kb && !pref_disabled) {
		u64 b64 = d->bridge_base[2] & PCI_MEMORY_RANGE_MASK;
		u64 l64 = b64 + d->bridge_size[2] - 1;

		pref_type = d->bridge_base[2] & PCI_MEMORY_RANGE_TYPE_MASK;
		pref_bits = pref_type == PCI_PREF_RANGE_TYPE_64 ? 64 : 32;
		show_range("\tPrefetchable memory behind bridge", b64, l64, pref_bits, pref_disabled);
	} else if (pref_type != (pref_limit & PCI_PREF_RANGE_TYPE_MASK) ||
		   (pref_type != PCI_PREF_RANGE_TYPE_32 && pref_type != PCI_PREF_RANGE_TYPE_64)) {
		printf("\t!!! Unknown prefetchable memory range types %x/%x\n", pref_base, pref_limit);
	} else {
		u64 b64 = (u64)((pref_base & PCI_PREF_RANGE_MASK) << 16);
		u64 l64 = (u64)((pref_limit & PCI_PREF_RANGE_MASK) << 16);

		if (pref_type == PCI_PREF_RANGE_TYPE_64) {
			b64 |= (u64)get_conf_long(d, PCI_PREF_BASE_UPPER32) << 32;
			l64 |= (u64)get_conf_long(d, PCI_PREF_LIMIT_UPPER32) << 32;
		}
		if (!(b64 == 0 && l64 == 0 && pref_disabled)) {
			l64 += 0xfffff;
			pref_bits = pref_type == PCI_PREF_RANGE_TYPE_64 ? 64 : 32;
			show_range("\tPrefetchable memory behind bridge", b64, l64, pref_bits,
				   pref_disabled);
		}
	}

	if (verbose > 1)
		printf("\tSecondary status: 66MHz%c FastB2B%c ParErr%c DEVSEL=%s >TAbort%c <TAbort%c <MAbort%c <SERR%c <PERR%c\n",
		       FLAG(sec_stat, PCI_STATUS_66MHZ), FLAG(sec_stat, PCI_STATUS_FAST_BACK),
		       FLAG(sec_stat, PCI_STATUS_PARITY), devsel(sec_stat),
		       FLAG(sec_stat, PCI_STATUS_SIG_TARGET_ABORT),
		       FLAG(sec_stat, PCI_STATUS_REC_TARGET_ABORT),
		       FLAG(sec_stat, PCI_STATUS_REC_MASTER_ABORT),
		       FLAG(sec_stat, PCI_STATUS_SIG_SYSTEM_ERROR),
		       FLAG(sec_stat, PCI_STATUS_DETECTED_PARITY));

	show_rom(d, PCI_ROM_ADDRESS1);

	if (verbose > 1) {
		printf("\tBridgeCtl: Parity%c SERR%c NoISA%c VGA%c VGA16%c MAbort%c >Reset%c FastB2B%c\n",
		       FLAG(brc, 0x1), FLAG(brc, 0x2), FLAG(brc, 0x4), FLAG(brc, 0x8),
		       FLAG(brc, 0x10), FLAG(brc, 0x20), FLAG(brc, 0x40), FLAG(brc, 0x80));
		printf("\t\tPriDiscTmr%c SecDiscTmr%c DiscTmrStat%c DiscTmrSERREn%c\n",
		       FLAG(brc, 0x100), FLAG(brc, 0x200), FLAG(brc, 0x400), FLAG(brc, 0x800));
	}
	show_caps(d, PCI_CAPABILITY_LIST);
}

/* Type 2 (CardBus) header. */
static void show_htype2(struct pdev *d)
{
	u16 cmd = get_conf_word(d, PCI_COMMAND);
	u16 brc = get_conf_word(d, PCI_CB_BRIDGE_CONTROL);
	int verb = verbose > 2;
	u16 exca;

	show_bases(d, 1, 0);
	printf("\tBus: primary=%02x, secondary=%02x, subordinate=%02x, sec-latency=%d\n",
	       get_conf_byte(d, PCI_CB_PRIMARY_BUS), get_conf_byte(d, PCI_CB_CARD_BUS),
	       get_conf_byte(d, PCI_CB_SUBORDINATE_BUS), get_conf_byte(d, PCI_CB_LATENCY_TIMER));
	for (int i = 0; i < 2; i++) {
		int p = 8 * i;
		u32 base = get_conf_long(d, PCI_CB_MEMORY_BASE_0 + p);
		u32 limit = get_conf_long(d, PCI_CB_MEMORY_LIMIT_0 + p);

		limit = limit + 0xfff;
		if (base <= limit || verb)
			printf("\tMemory window %d: %08x-%08x%s%s\n", i, base, limit,
			       (cmd & PCI_COMMAND_MEMORY) ? "" : " [disabled]",
			       (brc & (0x100 << i)) ? " (prefetchable)" : "");
	}
	for (int i = 0; i < 2; i++) {
		int p = 8 * i;
		u32 base = get_conf_long(d, PCI_CB_IO_BASE_0 + p);
		u32 limit = get_conf_long(d, PCI_CB_IO_LIMIT_0 + p);

		if (!(base & PCI_IO_RANGE_TYPE_32)) {
			base &= 0xffff;
			limit &= 0xffff;
		}
		base &= PCI_CB_IO_RANGE_MASK;
		limit = (limit & PCI_CB_IO_RANGE_MASK) + 3;
		if (base <= limit || verb)
			printf("\tI/O window %d: %08x-%08x%s\n", i, base, limit,
			       (cmd & PCI_COMMAND_IO) ? "" : " [disabled]");
	}
	if (get_conf_word(d, PCI_CB_SEC_STATUS) & PCI_STATUS_SIG_SYSTEM_ERROR)
		printf("\tSecondary status: SERR\n");
	if (verbose > 1)
		printf("\tBridgeCtl: Parity%c SERR%c ISA%c VGA%c MAbort%c >Reset%c 16bInt%c PostWrite%c\n",
		       FLAG(brc, 0x1), FLAG(brc, 0x2), FLAG(brc, 0x4), FLAG(brc, 0x8),
		       FLAG(brc, 0x20), FLAG(brc, 0x40), FLAG(brc, 0x80), FLAG(brc, 0x400));
	if (d->cached < 128) {
		printf("\t<access denied to the rest>\n");
		return;
	}
	exca = get_conf_word(d, PCI_CB_LEGACY_MODE_BASE);
	if (exca)
		printf("\t16-bit legacy interface ports at %04x\n", exca);
	show_caps(d, PCI_CB_CAPABILITY_LIST);
}

/* A function whose header could not be read: only what the kernel knows. */
static void show_htype_unknown(struct pdev *d)
{
	if (opt_buscentric)
		return;
	show_bases(d, 6, 1);
	for (int i = 0; i < 4; i++) {
		u64 base = d->bridge_base[i], limit, flags = d->bridge_flags[i];
		const char *str;
		int bits;

		if (!base)
			continue;
		limit = base + d->bridge_size[i] - 1;
		if (flags & IORES_IO) {
			bits = 32;
			str = "\tI/O behind bridge";
		} else if (flags & IORES_MEM) {
			bits = (flags & IORES_MEM_64) ? 64 : 32;
			str = (flags & IORES_PREFETCH) ? "\tPrefetchable memory behind bridge" :
				"\tMemory behind bridge";
		} else {
			bits = 0;
			str = "\tUnknown resource behind bridge";
		}
		show_range(str, base, limit, bits, 0);
	}
	show_rom(d, -1);
}

/* Everything -v/-vv/-vvv print before the kernel lines. */
static void show_verbose(struct pdev *d)
{
	int no_config = d->cached == 0;
	int unknown_config_data = 0;
	u16 class = d->device_class;
	int htype = no_config ? -1 : (get_conf_byte(d, PCI_HEADER_TYPE) & 0x7f);
	u8 bist, max_lat, min_gnt;

	show_terse(d);
	switch (htype) {
	case PCI_HEADER_TYPE_NORMAL:
		if (class == 0x0604)
			printf("\t!!! Invalid class %04x for header type %02x\n", class, htype);
		bist = get_conf_byte(d, PCI_BIST);
		max_lat = get_conf_byte(d, PCI_MAX_LAT);
		min_gnt = get_conf_byte(d, PCI_MIN_GNT);
		break;
	case PCI_HEADER_TYPE_BRIDGE:
	case PCI_HEADER_TYPE_CARDBUS:
		if ((class >> 8) != 0x06)
			printf("\t!!! Invalid class %04x for header type %02x\n", class, htype);
		bist = get_conf_byte(d, PCI_BIST);
		min_gnt = max_lat = 0;
		break;
	default:
		if (!no_config)
			printf("\t!!! Unknown header type %02x\n", htype);
		bist = 0;
		min_gnt = max_lat = 0;
		unknown_config_data = 1;
	}

	if (!unknown_config_data && verbose > 1) {
		u16 cmd = get_conf_word(d, PCI_COMMAND);
		u16 status = get_conf_word(d, PCI_STATUS);

		printf("\tControl: I/O%c Mem%c BusMaster%c SpecCycle%c MemWINV%c VGASnoop%c ParErr%c Stepping%c SERR%c FastB2B%c DisINTx%c\n",
		       FLAG(cmd, PCI_COMMAND_IO), FLAG(cmd, PCI_COMMAND_MEMORY),
		       FLAG(cmd, PCI_COMMAND_MASTER), FLAG(cmd, PCI_COMMAND_SPECIAL),
		       FLAG(cmd, PCI_COMMAND_INVALIDATE), FLAG(cmd, PCI_COMMAND_VGA_PALETTE),
		       FLAG(cmd, PCI_COMMAND_PARITY), FLAG(cmd, PCI_COMMAND_WAIT),
		       FLAG(cmd, PCI_COMMAND_SERR), FLAG(cmd, PCI_COMMAND_FAST_BACK),
		       FLAG(cmd, PCI_COMMAND_DISABLE_INTx));
		printf("\tStatus: Cap%c 66MHz%c UDF%c FastB2B%c ParErr%c DEVSEL=%s >TAbort%c <TAbort%c <MAbort%c >SERR%c <PERR%c INTx%c\n",
		       FLAG(status, PCI_STATUS_CAP_LIST), FLAG(status, PCI_STATUS_66MHZ),
		       FLAG(status, PCI_STATUS_UDF), FLAG(status, PCI_STATUS_FAST_BACK),
		       FLAG(status, PCI_STATUS_PARITY), devsel(status),
		       FLAG(status, PCI_STATUS_SIG_TARGET_ABORT),
		       FLAG(status, PCI_STATUS_REC_TARGET_ABORT),
		       FLAG(status, PCI_STATUS_REC_MASTER_ABORT),
		       FLAG(status, PCI_STATUS_SIG_SYSTEM_ERROR),
		       FLAG(status, PCI_STATUS_DETECTED_PARITY), FLAG(status, PCI_STATUS_INTx));
		if (cmd & PCI_COMMAND_MASTER) {
			u8 latency = get_conf_byte(d, PCI_LATENCY_TIMER);
			u8 cache_line = get_conf_byte(d, PCI_CACHE_LINE_SIZE);

			printf("\tLatency: %d", latency);
			if (min_gnt || max_lat) {
				printf(" (");
				if (min_gnt)
					printf("%dns min", min_gnt * 250);
				if (min_gnt && max_lat)
					printf(", ");
				if (max_lat)
					printf("%dns max", max_lat * 250);
				putchar(')');
			}
			if (cache_line)
				printf(", Cache Line Size: %d bytes", cache_line * 4);
			putchar('\n');
		}
	}

	if (verbose > 1) {
		u8 int_pin = unknown_config_data ? 0 : get_conf_byte(d, PCI_INTERRUPT_PIN);

		if (int_pin || d->irq)
			printf("\tInterrupt: pin %c routed to IRQ %d\n",
			       int_pin ? 'A' + int_pin - 1 : '?', d->irq);
	}

	if (!unknown_config_data && verbose <= 1) {
		u16 cmd = get_conf_word(d, PCI_COMMAND);
		u16 status = get_conf_word(d, PCI_STATUS);
		u8 latency = get_conf_byte(d, PCI_LATENCY_TIMER);

		printf("\tFlags: ");
		if (cmd & PCI_COMMAND_MASTER)
			printf("bus master, ");
		if (cmd & PCI_COMMAND_VGA_PALETTE)
			printf("VGA palette snoop, ");
		if (cmd & PCI_COMMAND_WAIT)
			printf("stepping, ");
		if (cmd & PCI_COMMAND_FAST_BACK)
			printf("fast Back2Back, ");
		if (status & PCI_STATUS_66MHZ)
			printf("66MHz, ");
		if (status & PCI_STATUS_UDF)
			printf("user-definable features, ");
		printf("%s devsel", devsel(status));
		if (cmd & PCI_COMMAND_MASTER)
			printf(", latency %d", latency);
		if (d->irq)
			printf(", IRQ %d", d->irq);
		putchar('\n');
	}

	if (bist & PCI_BIST_CAPABLE) {
		if (bist & PCI_BIST_START)
			printf("\tBIST is running\n");
		else
			printf("\tBIST result: %02x\n", bist & PCI_BIST_CODE_MASK);
	}

	switch (htype) {
	case PCI_HEADER_TYPE_NORMAL:
		show_htype0(d);
		break;
	case PCI_HEADER_TYPE_BRIDGE:
		show_htype1(d);
		break;
	case PCI_HEADER_TYPE_CARDBUS:
		show_htype2(d);
		break;
	default:
		show_htype_unknown(d);
	}
}

/*** Kernel, hex and machine-readable views ***/

/* "Kernel driver in use" where the backend knows it. */
static void show_kernel(struct pdev *d)
{
	if ((d->known & KNOWN_DRIVER) && d->driver[0])
		printf("\tKernel driver in use: %s\n", d->driver);
}

static void show_hex_dump(struct pdev *d)
{
	unsigned int cnt;

	if (!d->cached) {
		printf("WARNING: Cannot show hex-dump of the config space\n");
		return;
	}
	cnt = d->cached;
	if (opt_hex >= 3 && config_fetch(d, cnt, CFG_SPACE - cnt)) {
		cnt = CFG_SPACE;
		if (opt_hex >= 4 && config_fetch(d, CFG_SPACE, CFG_SPACE_EXP - CFG_SPACE))
			cnt = CFG_SPACE_EXP;
	}
	for (unsigned int i = 0; i < cnt; i++) {
		if (!(i & 15))
			printf("%02x:", i);
		printf(" %02x", get_conf_byte(d, i));
		if ((i & 15) == 15)
			putchar('\n');
	}
}

static void print_shell_escaped(const char *c)
{
	printf(" \"");
	while (*c) {
		if (*c == '"' || *c == '\\')
			putchar('\\');
		putchar(*c++);
	}
	putchar('"');
}

/* -m, -mm and their -v forms. */
static void show_machine(struct pdev *d)
{
	char classbuf[128], vendbuf[128], devbuf[128], svbuf[128], sdbuf[128];
	int have_ss = d->subsys_vendor_id && d->subsys_vendor_id != 0xffff;

	if (verbose) {
		printf(opt_machine >= 2 ? "Slot:\t" : "Device:\t");
		show_slot_name(d);
		putchar('\n');
		printf("Class:\t%s\n", lookup_name(classbuf, sizeof(classbuf),
						   PCIIDS_LOOKUP_CLASS, d->device_class));
		printf("Vendor:\t%s\n", lookup_name(vendbuf, sizeof(vendbuf), PCIIDS_LOOKUP_VENDOR,
						    d->vendor_id, d->device_id));
		printf("Device:\t%s\n", lookup_name(devbuf, sizeof(devbuf), PCIIDS_LOOKUP_DEVICE,
						    d->vendor_id, d->device_id));
		if (have_ss) {
			printf("SVendor:\t%s\n",
			       lookup_name(svbuf, sizeof(svbuf),
					   PCIIDS_LOOKUP_SUBSYSTEM | PCIIDS_LOOKUP_VENDOR,
					   d->subsys_vendor_id));
			printf("SDevice:\t%s\n",
			       lookup_name(sdbuf, sizeof(sdbuf),
					   PCIIDS_LOOKUP_SUBSYSTEM | PCIIDS_LOOKUP_DEVICE,
					   d->vendor_id, d->device_id, d->subsys_vendor_id,
					   d->subsys_id));
		}
		if (d->rev_id)
			printf("Rev:\t%02x\n", d->rev_id);
		printf("ProgIf:\t%02x\n", d->prog_if);
		if (opt_kernel && (d->known & KNOWN_DRIVER) && d->driver[0])
			printf("Driver:\t%s\n", d->driver);
	} else {
		show_slot_name(d);
		print_shell_escaped(lookup_name(classbuf, sizeof(classbuf), PCIIDS_LOOKUP_CLASS,
						d->device_class));
		print_shell_escaped(lookup_name(vendbuf, sizeof(vendbuf), PCIIDS_LOOKUP_VENDOR,
						d->vendor_id, d->device_id));
		print_shell_escaped(lookup_name(devbuf, sizeof(devbuf), PCIIDS_LOOKUP_DEVICE,
						d->vendor_id, d->device_id));
		if (d->rev_id)
			printf(" -r%02x", d->rev_id);
		printf(" -p%02x", d->prog_if);
		if (have_ss) {
			print_shell_escaped(lookup_name(svbuf, sizeof(svbuf),
							PCIIDS_LOOKUP_SUBSYSTEM | PCIIDS_LOOKUP_VENDOR,
							d->subsys_vendor_id));
			print_shell_escaped(lookup_name(sdbuf, sizeof(sdbuf),
							PCIIDS_LOOKUP_SUBSYSTEM | PCIIDS_LOOKUP_DEVICE,
							d->vendor_id, d->device_id,
							d->subsys_vendor_id, d->subsys_id));
		} else {
			printf(" \"\" \"\"");
		}
		putchar('\n');
	}
}

static void show_device(struct pdev *d)
{
	if (opt_machine) {
		show_machine(d);
	} else {
		if (verbose)
			show_verbose(d);
		else
			show_terse(d);
		if (opt_kernel || verbose)
			show_kernel(d);
	}
	if (opt_hex)
		show_hex_dump(d);
	if (verbose || opt_hex)
		putchar('\n');
}

/*** Options ***/

static void __attribute__((noreturn)) usage(void)
{
	fflush(stdout);
	fputs(help_msg, stderr);
	exit(1);
}

/* -O par=val: the parameters we know; anything else is pciutils' error. */
static void set_param(const char *arg, const char **dump_name)
{
	static const char *const known[] = { "dump.name", "hwdb.disable", "sysfs.path",
		"proc.path", "net.domain", "net.cache_name", "of.path", "devmem.path",
		"mmio-conf1.addrs", "mmio-conf1-ext.addrs", "ecam.acpimcfg", "ecam.efisystab",
		"ecam.bsd", "ecam.x86bios", "ecam.addrs", NULL };
	const char *eq = strchr(arg, '=');

	if (!strcmp(arg, "help")) {
		printf("Known PCI access parameters:\n\n");
		exit(0);
	}
	if (!eq)
		die("Invalid PCI access parameter syntax: %s", arg);
	for (int i = 0; known[i]; i++) {
		if (strlen(known[i]) == (size_t)(eq - arg) && !strncmp(known[i], arg, eq - arg)) {
			if (!strcmp(known[i], "dump.name"))
				*dump_name = eq + 1;
			return;
		}
	}
	die("Unrecognized PCI access parameter: %.*s (see `-O help' for a list)", (int)(eq - arg), arg);
}

#ifdef LSPCI_FUZZ
jmp_buf fuzz_bail;

/* Fuzzing: every view of every device of first_dev, output to stdout. */
void fuzz_show_all(void)
{
	static const int views[][4] = { /* verbose, hex, machine, numeric */
		{ 3, 0, 0, 0 }, { 0, 4, 0, 2 }, { 1, 0, 2, 1 }, { 2, 1, 0, 0 } };

	for (unsigned int v = 0; v < sizeof(views) / sizeof(views[0]); v++) {
		verbose = views[v][0];
		opt_hex = views[v][1];
		opt_machine = views[v][2];
		opt_numeric = views[v][3];
		for (struct pdev *d = first_dev; d; d = d->next) {
			memset(d->present, 0, sizeof(d->present));
			memset(d->present, 1, d->cached);
			if (!setjmp(fuzz_bail))
				show_device(d);
		}
	}
}
#define main lspci_main
#endif
int main(int argc, char **argv)
{
	const char *dump_name = NULL, *method = NULL, *err = NULL;
	char *msg;
	int i;

	if (argc == 2 && !strcmp(argv[1], "--version")) {
		puts("lspci version 3.9.0");
		return 0;
	}
	pci_filter_init(&filter);
	opterr = 0;
	while ((i = getopt(argc, argv, "nvbxs:d:tPi:mgp:qkMDQA:GO:H:F:")) != -1) {
		switch (i) {
		case 'n':
			opt_numeric++;
			break;
		case 'v':
			verbose++;
			break;
		case 'b':
			opt_buscentric = 1;
			break;
		case 's':
			msg = pci_filter_parse_slot(&filter, optarg);
			if (msg)
				die("-s: %s", msg);
			opt_filter = 1;
			break;
		case 'd':
			msg = pci_filter_parse_id(&filter, optarg);
			if (msg)
				die("-d: %s", msg);
			opt_filter = 1;
			break;
		case 'x':
			opt_hex++;
			break;
		case 'P':
			opt_path++;
			break;
		case 't':
			opt_tree++;
			break;
		case 'i':
		case 'p':
		case 'q':
		case 'Q':
		case 'G':
			break;	/* names are built in; no DNS, no modules.pcimap, no debug */
		case 'm':
			opt_machine++;
			break;
		case 'k':
			opt_kernel++;
			break;
		case 'M':
			die("Bus mapping mode is not supported");
		case 'D':
			opt_domains = 2;
			break;
		case 'A':
			if (!strcmp(optarg, "help")) {
				printf("Known PCI access methods:\n\nakaros-pci\nlinux-sysfs\ndump\n");
				return 0;
			}
			if (strcmp(optarg, "akaros-pci") && strcmp(optarg, "linux-sysfs") &&
			    strcmp(optarg, "dump"))
				die("No such PCI access method: %s (see `-A help' for a list)", optarg);
			method = optarg;
			break;
		case 'O':
			set_param(optarg, &dump_name);
			break;
		case 'H':
			die("No such PCI access method: %s (see `-A help' for a list)",
			    !strcmp(optarg, "1") ? "intel-conf1" : !strcmp(optarg, "2") ?
			    "intel-conf2" : optarg);
		case 'F':
			dump_name = optarg;
			method = "dump";
			break;
		case '?':
			fflush(stdout);
			if (optopt && strchr("sdipAOHF", optopt))
				fprintf(stderr, "lspci: option requires an argument -- '%c'\n", optopt);
			else if (optopt)
				fprintf(stderr, "lspci: invalid option -- '%c'\n", optopt);
			else
				fprintf(stderr, "lspci: unrecognized option '%s'\n", argv[optind - 1]);
			usage();
		default:
			usage();	/* -g: in the getopt string, but no option */
		}
	}
	if (optind < argc)
		usage();

	if (method && !strcmp(method, "dump")) {
		if (!dump_name)
			die("dump: File name not given.");
		first_dev = dump_read_file(dump_name, &err);
	} else if (method && !strcmp(method, "linux-sysfs")) {
		first_dev = sysfs_scan("/sys/bus/pci/devices", &err);
	} else if (method || !access("#pci", F_OK) || access("/sys/bus/pci/devices", F_OK)) {
		first_dev = pcidev_scan("#pci", &err);
	} else {
		first_dev = sysfs_scan("/sys/bus/pci/devices", &err);
	}
	if (err)
		die("%s", err);
	for (struct pdev *d = first_dev; d; d = d->next) {
		if (opt_buscentric)	/* libpci: only config space, but the driver */
			d->known &= KNOWN_DRIVER;
		pdev_fill_generic(d);
		if (d->domain && !opt_domains)
			opt_domains = 1;
	}
	sort_them();
	if (opt_tree || opt_path)
		grow_tree();
	if (opt_tree) {
		show_forest();
	} else {
		for (struct pdev *d = first_dev; d; d = d->next)
			if (pci_filter_match(&filter, d))
				show_device(d);
	}
	fflush(stdout);
	pdev_free_list(first_dev);
	return 0;
}
