/*
 * pcictl.h - the text format of the kernel's #pci/pci/B.D.Fctl files, as
 * our lspci reads it (the kernel side implements exactly this).
 *
 * Names: the directory #pci/pci holds, per function, "B.D.Fraw" (config
 * space: 4096 bytes when ECAM serves the function, 256 otherwise; stat's
 * length says which) and "B.D.Fctl" (this text), B, D and F in decimal as
 * Akaros names them ("0.31.2ctl").  With more than one PCI domain the
 * names are "DDDD:B.D.Fraw" and "DDDD:B.D.Fctl" (DDDD four hex digits);
 * lspci accepts both forms always.
 *
 * ctl: lines "KEY VALUE...\n", KEY and values separated by one blank, in
 * any order, each optional; unknown keys are ignored (so the format can
 * grow).  Numbers are hex with 0x (addresses, sizes) or decimal (IRQ,
 * indices):
 *
 *   irq N                    the IRQ the kernel routed (Linux "irq"); absent
 *                            or -1 = none
 *   bar I KIND BASE SIZE     BAR I (0-5) as the kernel sized it: KIND is
 *                            "io", "mem32", "mem64", "mem32pf", "mem64pf";
 *                            BASE its CPU address, SIZE its length
 *   rom BASE SIZE            the expansion ROM (disabled or not)
 *   window I KIND BASE SIZE  a bridge window (I: 0 I/O, 1 memory,
 *                            2 prefetchable), KIND as for bar; SIZE 0 =
 *                            disabled
 *   driver NAME              the driver bound to the function
 *   intx PIN GSI             where the function's interrupt pin (A-D) arrives
 *                            at the IOAPIC, where the kernel knows the
 *                            chipset's routing (drivers/pci/intx.c)
 *
 * Example:
 *   irq 11
 *   bar 0 mem32 0xfeb80000 0x20000
 *   bar 2 io 0xc040 0x20
 *   rom 0xfeb40000 0x40000
 *   driver e1000e
 */
#ifndef LSPCI_PCICTL_H
#define LSPCI_PCICTL_H

#define PCICTL_DIR	"pci"		/* under the device root, "#pci" */
#define PCICTL_RAW	"raw"
#define PCICTL_CTL	"ctl"

#endif /* LSPCI_PCICTL_H */
