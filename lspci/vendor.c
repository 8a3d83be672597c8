/*
 * vendor.c - vendor-specific capabilities (ID 09): the virtio-pci
 * structures of Red Hat's virtio devices (1af4:1000-107f) are decoded as
 * pciutils 3.9.0 does; any other prints its length and "<?>".
 */
#include "lspci.h"
#include "regs.h"

/* 1 if the capability was a virtio structure and was printed. */
static int show_vendor_caps_virtio(struct pdev *d, int where, int cap)
{
	static const char *const tnames[] = { NULL, "CommonCfg", "Notify", "ISR", "DeviceCfg" };
	int length = BITS(cap, 0, 8), type = BITS(cap, 8, 8);

	if (length < 16 || !config_fetch(d, where, length))
		return 0;
	printf("VirtIO: %s\n", type >= 1 && type <= 4 ? tnames[type] : "<unknown>");
	if (verbose < 2)
		return 1;
	printf("\t\tBAR=%d offset=%08x size=%08x", get_conf_byte(d, where + 4),
	       get_conf_long(d, where + 8), get_conf_long(d, where + 12));
	if (type == 2 && length >= 20)
		printf(" multiplier=%08x", get_conf_long(d, where + 16));
	printf("\n");
	return 1;
}

/* Prints a vendor-specific capability at where (header word cap). */
void show_vendor_caps(struct pdev *d, int where, int cap)
{
	u16 dev = get_conf_word(d, PCI_DEVICE_ID);

	printf("Vendor Specific Information: ");
	if (get_conf_word(d, PCI_VENDOR_ID) == 0x1af4 && dev >= 0x1000 && dev <= 0x107f &&
	    show_vendor_caps_virtio(d, where, cap))
		return;
	printf("Len=%02x <?>\n", BITS(cap, 0, 8));
}
