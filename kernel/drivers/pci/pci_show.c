/*
 * lspci-compatible text for the PCI table: the default one-line-per-
 * function format, its -n and -nn forms, and the -x/-xxx/-xxxx hex dumps
 * (which the host's `lspci -F dumpfile` reads back, so the e2e test can
 * compare our names with pciutils' own).  Names come from the pciids-gen
 * tables through pciids_lookup_name(), which returns exactly what libpci's
 * pci_lookup_name() returns, into lspci's 256-byte buffers so overlong
 * names are cut where lspci cuts them.
 *
 * Also the `lspci` monitor command.  Reads only the (read-only) table and
 * configuration space, so it is safe from the monitor at any time.
 */
#include <kern/pci.h>
#include <kern/moncmd.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <pciids.h>

#define LSPCI_NAME_BUF	256	/* lspci's buffer size for names */

/* PCIIDS_LOOKUP_* modifier for lspci's -n (1) / -nn (2). */
static unsigned int numeric_flags(int numeric)
{
	return numeric >= PCI_SHOW_MIXED ? PCIIDS_LOOKUP_MIXED :
	       numeric == PCI_SHOW_NUMERIC ? PCIIDS_LOOKUP_NUMERIC : 0;
}

int pci_format_line(char *buf, size_t size, const struct pci_func *f, int numeric)
{
	char cls[LSPCI_NAME_BUF], dev[LSPCI_NAME_BUF];
	unsigned int nf = numeric_flags(numeric);
	int n;

	n = snprintf(buf, size, "%s: %s",
		     pciids_lookup_name(cls, sizeof(cls), PCIIDS_LOOKUP_CLASS | nf,
					(unsigned int)f->class_code << 8 | f->subclass),
		     pciids_lookup_name(dev, sizeof(dev),
					PCIIDS_LOOKUP_VENDOR | PCIIDS_LOOKUP_DEVICE | nf,
					f->vendor, f->device));
	if (f->revision && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - n, " (rev %02x)", f->revision);
	return n;
}

/* lspci's " [size=4K]" suffix. */
static void show_size(u64 x)
{
	static const char suffix[][2] = { "", "K", "M", "G", "T" };
	unsigned int i;

	if (!x)
		return;
	for (i = 0; i < ARRAY_SIZE(suffix) - 1 && !(x % 1024); i++)
		x /= 1024;
	printk(" [size=%u%s]", (unsigned int)x, suffix[i]);
}

/* lspci -v's region lines (sizes known here, unlike lspci -F). */
static void show_bars(const struct pci_func *f)
{
	u16 cmd = pci_read16(f, PCI_COMMAND);

	for (int i = 0; i < f->nbars; i++) {
		const struct pci_bar *b = &f->bar[i];

		if (b->flags & PCI_BAR_IO) {
			printk("\tI/O ports at ");
			if (b->base || (cmd & PCI_COMMAND_IO))
				printk("%04llx", (unsigned long long)b->base);
			else
				printk("<unassigned>");
			if (!(cmd & PCI_COMMAND_IO))
				printk(" [disabled]");
		} else {
			printk("\tMemory at ");
			if (b->base)
				printk("%08llx", (unsigned long long)b->base);
			else
				printk("<unassigned>");
			printk(" (%s, %sprefetchable)", b->flags & PCI_BAR_MEM64 ? "64-bit" : "32-bit",
			       b->flags & PCI_BAR_PREFETCH ? "" : "non-");
			if (!(cmd & PCI_COMMAND_MEMORY))
				printk(" [disabled]");
		}
		show_size(b->size);
		printk("\n");
	}
	if (f->header_type != PCI_HDR_NORMAL)
		printk("\tBus: primary=%02x, secondary=%02x, subordinate=%02x\n",
		       pci_read8(f, PCI_PRIMARY_BUS), f->secondary, f->subordinate);
}

/* Bytes lspci shows for hex level `hex` (-x: 64, 128 for CardBus; -xxx: 256; -xxxx: 4096). */
static unsigned int dump_len(const struct pci_func *f, int hex)
{
	unsigned int space = pci_cfg_space_size(f->seg, f->bus);

	if (hex >= 4 && space >= PCIE_CFG_SIZE)
		return PCIE_CFG_SIZE;
	if (hex >= 3)
		return PCI_CFG_SIZE;
	return f->header_type == PCI_HDR_CARDBUS ? 128 : 64;
}

static void show_hex(const struct pci_func *f, int hex)
{
	unsigned int len = dump_len(f, hex);

	for (unsigned int off = 0; off < len; off += 16) {
		char line[8 + 16 * 3 + 1];
		int n = snprintf(line, sizeof(line), "%02x:", off);

		for (unsigned int i = 0; i < 16; i += 4) {
			u32 v = pci_read32(f, off + i);

			for (int b = 0; b < 4; b++)
				n += snprintf(line + n, sizeof(line) - n, " %02x", (v >> (8 * b)) & 0xff);
		}
		printk("%s\n", line);
	}
}

void pci_show_all(int numeric, int hex, bool verbose)
{
	bool domains = false;

	for (int i = 0; i < pci_count(); i++)
		domains |= pci_get(i)->seg != 0;
	for (int i = 0; i < pci_count(); i++) {
		const struct pci_func *f = pci_get(i);
		char line[600];

		pci_format_line(line, sizeof(line), f, numeric);
		if (domains)
			printk("%04x:", f->seg);
		printk("%02x:%02x.%x %s\n", f->bus, f->dev, f->fn, line);
		if (verbose)
			show_bars(f);
		if (hex)
			show_hex(f, hex);
		if (hex || verbose)
			printk("\n");
	}
}

/* lspci [-n|-nn] [-v] [-x|-xxx|-xxxx]; returns -1 on a bad option. */
static int cmd_lspci(int argc, char **argv, struct hw_trapframe *tf)
{
	int numeric = 0, hex = 0;
	bool verbose = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !a[1])
			goto bad_option;
		for (a++; *a; a++) {
			if (*a == 'n')
				numeric++;
			else if (*a == 'x')
				hex++;
			else if (*a == 'v')
				verbose = true;
			else
				goto bad_option;
		}
	}
	pci_show_all(numeric, MIN(hex, 4), verbose);
	return 0;
bad_option:
	printk("usage: lspci [-n|-nn] [-v] [-x|-xxx|-xxxx]\n");
	return -1;
}
MONITOR_CMD("lspci", "lspci [-n|-nn] [-v] [-x|-xxx|-xxxx]: list PCI functions like pciutils' lspci",
	    cmd_lspci);
