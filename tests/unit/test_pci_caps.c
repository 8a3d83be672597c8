/*
 * Host tests of kernel/drivers/pci/pci_caps.c over config buffers: finds
 * standard and extended capabilities, honours the status bit and the
 * CardBus pointer, and stops on loops (a list pointing at itself, a
 * two-entry cycle, an extended list looping back), pointers into the
 * header and all-ones/zero entries, without reading outside the space.
 */
// SOURCES: kernel/drivers/pci/pci_caps.c
#include <string.h>
#include <kern/pci.h>
#include "unit.h"

static unsigned char cfg[4096];
static int reads, bad_reads;

/* The reader callback over cfg: counts reads and out-of-range ones. */
static u32 buf_read(const void *ctx, unsigned int off, int width)
{
	u32 v = 0;

	(void)ctx;
	reads++;
	if (off + (unsigned int)width > sizeof(cfg) || (off & (unsigned int)(width - 1))) {
		bad_reads++;
		return 0xffffffffu;
	}
	memcpy(&v, cfg + off, (size_t)width);
	return v;
}

static const struct pci_cfg_reader rd = { buf_read, NULL };

/* A type 0 header with a capability list starting at first. */
static void header(unsigned char first)
{
	memset(cfg, 0, sizeof(cfg));
	cfg[0x06] = 0x10;	/* status: capability list */
	cfg[0x34] = first;
}

static void cap(unsigned int at, unsigned char id, unsigned char next)
{
	cfg[at] = id;
	cfg[at + 1] = next;
}

static void ext(unsigned int at, unsigned int id, unsigned int next)
{
	u32 v = id | 1u << 16 | next << 20;

	memcpy(cfg + at, &v, 4);
}

int main(void)
{
	header(0x40);
	cap(0x40, PCI_CAP_ID_PM, 0x50);
	cap(0x50, PCI_CAP_ID_MSI, 0x60);
	cap(0x60, PCI_CAP_ID_EXP, 0x00);
	CHECK_EQ(pci_caps_find(&rd, PCI_HDR_NORMAL, PCI_CAP_ID_PM), 0x40);
	CHECK_EQ(pci_caps_find(&rd, PCI_HDR_NORMAL, PCI_CAP_ID_MSI), 0x50);
	CHECK_EQ(pci_caps_find(&rd, PCI_HDR_NORMAL, PCI_CAP_ID_EXP), 0x60);
	CHECK_EQ(pci_caps_find(&rd, PCI_HDR_NORMAL, PCI_CAP_ID_MSIX), 0);
	cfg[0x06] = 0;		/* no list per status */
	CHECK_EQ(pci_caps_find(&rd, PCI_HDR_NORMAL, PCI_CAP_ID_PM), 0);
	/* CardBus: pointer at 0x14. */
	header(0);
	cfg[0x14] = 0x80;
	cap(0x80, PCI_CAP_ID_PM, 0);
	CHECK_EQ(pci_caps_find(&rd, PCI_HDR_CARDBUS, PCI_CAP_ID_PM), 0x80);
	CHECK_EQ(pci_caps_find(&rd, PCI_HDR_NORMAL, PCI_CAP_ID_PM), 0);
	/* Low bits of pointers are ignored, as on hardware. */
	header(0x43);
	cap(0x40, PCI_CAP_ID_VNDR, 0x53);
	cap(0x50, PCI_CAP_ID_MSIX, 0);
	CHECK_EQ(pci_caps_find(&rd, PCI_HDR_NORMAL, PCI_CAP_ID_MSIX), 0x50);
	/* Loops end: self loop, two-entry cycle; a pointer into the header ends too. */
	header(0x40);
	cap(0x40, PCI_CAP_ID_PM, 0x40);
	reads = 0;
	CHECK_EQ(pci_caps_find(&rd, PCI_HDR_NORMAL, PCI_CAP_ID_MSI), 0);
	CHECK(reads < 60, "%d reads for a self loop", reads);
	header(0x40);
	cap(0x40, PCI_CAP_ID_PM, 0x80);
	cap(0x80, PCI_CAP_ID_VNDR, 0x40);
	CHECK_EQ(pci_caps_find(&rd, PCI_HDR_NORMAL, PCI_CAP_ID_MSI), 0);
	header(0x40);
	cap(0x40, PCI_CAP_ID_PM, 0x10);
	CHECK_EQ(pci_caps_find(&rd, PCI_HDR_NORMAL, PCI_CAP_ID_MSI), 0);
	header(0x40);
	cap(0x40, 0xff, 0x50);
	cap(0x50, PCI_CAP_ID_MSI, 0);
	CHECK_EQ(pci_caps_find(&rd, PCI_HDR_NORMAL, PCI_CAP_ID_MSI), 0);
	/* Extended list. */
	header(0);
	ext(0x100, PCI_EXT_CAP_ID_ERR, 0x148);
	ext(0x148, 0x0003, 0);
	CHECK_EQ(pci_ext_caps_find(&rd, 4096, PCI_EXT_CAP_ID_ERR), 0x100);
	CHECK_EQ(pci_ext_caps_find(&rd, 4096, 0x0003), 0x148);
	CHECK_EQ(pci_ext_caps_find(&rd, 4096, 0x000e), 0);
	CHECK_EQ(pci_ext_caps_find(&rd, 256, PCI_EXT_CAP_ID_ERR), 0);	/* no extended space */
	ext(0x148, 0x0003, 0x100);	/* loop back */
	reads = 0;
	CHECK_EQ(pci_ext_caps_find(&rd, 4096, 0x000e), 0);
	CHECK(reads <= 480, "%d reads for an extended loop", reads);
	ext(0x148, 0x0003, 0x0f0);	/* into the legacy space */
	CHECK_EQ(pci_ext_caps_find(&rd, 4096, 0x000e), 0);
	memset(cfg + 0x100, 0xff, 4);
	CHECK_EQ(pci_ext_caps_find(&rd, 4096, 0xffff), 0);
	CHECK_EQ(bad_reads, 0);
	return UNIT_SUMMARY();
}
