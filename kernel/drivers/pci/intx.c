/*
 * Legacy INTx: which IOAPIC input (GSI) a function's interrupt pin
 * reaches, and with which trigger and polarity.
 *
 * Model: the pin (INTA..INTD in config byte PCI_INTERRUPT_PIN) travels
 * up the bridges with the PCI-to-PCI bridge swizzle (a device's pin p,
 * 0-based, comes out of its bridge as pin (device + p) mod 4; PCI-to-PCI
 * Bridge Architecture 1.2, section 9.1; QEMU applies it on every bridge's
 * secondary bus: pci_bridge_initfn() in hw/pci/pci_bridge.c sets
 * pci_swizzle_map_irq_fn), until it reaches the root bus.  There the
 * chipset maps (slot, pin) to one of its PIRQ lines and the PIRQ to a
 * GSI.  Firmware describes that last step with the ACPI _PRT, which is
 * AML this kernel does not interpret, so the facts of the chipset we
 * support are written down here with where they come from:
 *
 * QEMU q35, ICH9 LPC bridge (8086:2918) at 00:1f.0, hw/isa/lpc_ich9.c:
 *  - slot s < 25, pin p: PIRQ (s + p) mod 4 + 4, i.e. PIRQ E..H
 *    (ich9_cc_init());
 *  - slots 25..31 use the chipset's D25IR..D31IR registers, reset to
 *    ICH9_CC_DIR_DEFAULT = 0x3210 (include/hw/southbridge/ich9.h), which
 *    sends pin p to PIRQ p (A..D); slot 30 is fixed to PIRQ E..H
 *    (ich9_cc_update());
 *  - in APIC mode PIRQ n drives GSI 16 + n (ich9_pirq_to_gsi(); the
 *    IOAPIC input is driven whatever the PIRQ routing registers say,
 *    ich9_lpc_set_irq() -> ich9_lpc_update_apic());
 *  - level-triggered, active high: QEMU's DSDT gives each of GSIA..GSIH
 *    Interrupt(ResourceConsumer, Level, ActiveHigh, Shared) with GSI
 *    0x10..0x17 (build_gsi_link_dev() in hw/i386/acpi-build.c).
 * Other chipsets (i440fx/PIIX routes PIRQs through registers the
 * firmware programs) get -ENODEV rather than a guess.
 */
#include <kern/pci.h>
#include <kern/errno.h>

#define ICH9_LPC_VENDOR		0x8086
#define ICH9_LPC_DEVICE		0x2918
#define ICH9_LPC_SLOT		0x1f
#define ICH9_SLOT_DIR_FIRST	25	/* first slot routed by a DxxIR register */
#define ICH9_SLOT_D30		30	/* D30IR: pins to PIRQ E..H */
#define ICH9_PIRQ_E		4
#define ICH9_GSI_PIRQA		16	/* ICH9_LPC_PIC_NUM_PINS: PIRQ A's GSI */

/* The bridge whose secondary bus is seg:bus, or NULL (a root bus). */
static const struct pci_func *bridge_above(u16 seg, u8 bus)
{
	for (int i = 0; i < pci_count(); i++) {
		const struct pci_func *b = pci_get(i);

		if (b->seg == seg && b->header_type == PCI_HDR_BRIDGE && b->secondary == bus &&
		    b->bus != bus)
			return b;
	}
	return NULL;
}

/* True if the root bus of seg is QEMU's q35 (ICH9 LPC at 00:1f.0). */
static bool is_ich9(u16 seg)
{
	for (int i = 0; i < pci_count(); i++) {
		const struct pci_func *f = pci_get(i);

		if (f->seg == seg && f->bus == 0 && f->dev == ICH9_LPC_SLOT && f->fn == 0)
			return f->vendor == ICH9_LPC_VENDOR && f->device == ICH9_LPC_DEVICE;
	}
	return false;
}

/* ICH9's PIRQ (0 = A) for pin (0 = INTA) of root-bus slot; see the header. */
static unsigned int ich9_pirq(unsigned int slot, unsigned int pin)
{
	if (slot < ICH9_SLOT_DIR_FIRST)
		return (slot + pin) % 4 + ICH9_PIRQ_E;
	if (slot == ICH9_SLOT_D30)
		return pin + ICH9_PIRQ_E;
	return pin;
}

int pci_intx_route(const struct pci_func *f, struct pci_intx_route *r)
{
	const struct pci_func *b;
	unsigned int pin = pci_read8(f, PCI_INTERRUPT_PIN), depth = 0;

	if (pin < 1 || pin > 4)
		return -ENOENT;
	pin--;
	r->pin = pin;
	/* climb to the root bus, swizzling at each bridge (loop-bounded) */
	while ((b = bridge_above(f->seg, f->bus)) && depth++ < 256) {
		pin = (f->dev + pin) % 4;
		f = b;
	}
	if (b || !is_ich9(f->seg))
		return -ENODEV;
	r->gsi = ICH9_GSI_PIRQA + ich9_pirq(f->dev, pin);
	r->level = true;
	r->active_low = false;
	return 0;
}
