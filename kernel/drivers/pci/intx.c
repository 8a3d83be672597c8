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
 * QEMU pc (i440fx), PIIX3 ISA bridge (8086:7000) at 00:01.0:
 *  - slot s, pin p: PIRQ (p + s - 1) mod 4 (pci_slot_get_pirq() in
 *    hw/isa/piix3.c);
 *  - PIRQ n goes to the ISA IRQ in the low 4 bits of the PIRQRC register
 *    at config 0x60 + n, which the firmware programs (bit 7: not routed)
 *    (piix3_set_irq_level() -> piix3_set_irq_pic(), PIIX_PIRQCA);
 *  - that ISA IRQ drives the IOAPIC like any ISA interrupt: its GSI and
 *    polarity come from the MADT overrides (QEMU gives IRQs 5, 9, 10, 11
 *    level/high ones); PCI INTx is level-triggered in any case;
 *  - the PIIX4 ACPI function (8086:7113, 00:01.3) reports pin A but its
 *    SCI is wired to ISA IRQ 9 directly (pc_init1() in hw/i386/pc_piix.c
 *    hands piix4_pm_init() gsi[9]), so it gets -ENODEV.
 * Other chipsets get -ENODEV rather than a guess.
 */
#include <kern/pci.h>
#include <kern/errno.h>
#include <arch/apic.h>

#define ICH9_LPC_VENDOR		0x8086
#define ICH9_LPC_DEVICE		0x2918
#define ICH9_LPC_SLOT		0x1f
#define ICH9_SLOT_DIR_FIRST	25	/* first slot routed by a DxxIR register */
#define ICH9_SLOT_D30		30	/* D30IR: pins to PIRQ E..H */
#define ICH9_PIRQ_E		4
#define ICH9_GSI_PIRQA		16	/* ICH9_LPC_PIC_NUM_PINS: PIRQ A's GSI */
#define PIIX3_VENDOR		0x8086
#define PIIX3_DEVICE		0x7000
#define PIIX3_SLOT		1
#define PIIX_PIRQRC		0x60	/* PIRQ A..D route registers */
#define PIIX_PIRQRC_OFF		0x80	/* IRQEN#: PIRQ not routed */
#define PIIX_PIRQRC_IRQ		0x0f
#define PIIX4_PM_DEVICE		0x7113	/* its pin is not a PIRQ */

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

/* Function 0 of root-bus slot dev on seg if it has these IDs, or NULL. */
static const struct pci_func *root_func(u16 seg, u8 dev, u16 vendor, u16 device)
{
	for (int i = 0; i < pci_count(); i++) {
		const struct pci_func *f = pci_get(i);

		if (f->seg == seg && f->bus == 0 && f->dev == dev && f->fn == 0)
			return f->vendor == vendor && f->device == device ? f : NULL;
	}
	return NULL;
}

/* PIIX3's route of root-bus slot's pin into r: 0 or -ENODEV (PIRQ not routed). */
static int piix3_route(const struct pci_func *piix, unsigned int slot, unsigned int pin,
		       struct pci_intx_route *r)
{
	u8 rc = pci_read8(piix, PIIX_PIRQRC + (pin + slot - 1) % 4);
	bool level;

	if (rc & PIIX_PIRQRC_OFF)
		return -ENODEV;
	r->gsi = ioapic_isa_gsi(rc & PIIX_PIRQRC_IRQ, &level, &r->active_low);
	r->level = true;
	return 0;
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
	const struct pci_func *b, *piix;
	unsigned int pin = pci_read8(f, PCI_INTERRUPT_PIN), depth = 0;

	if (pin < 1 || pin > 4)
		return -ENOENT;
	if (f->vendor == PIIX3_VENDOR && f->device == PIIX4_PM_DEVICE)
		return -ENODEV;
	pin--;
	r->pin = pin;
	/* climb to the root bus, swizzling at each bridge (loop-bounded) */
	while ((b = bridge_above(f->seg, f->bus)) && depth++ < 256) {
		pin = (f->dev + pin) % 4;
		f = b;
	}
	if (b)
		return -ENODEV;
	if (root_func(f->seg, ICH9_LPC_SLOT, ICH9_LPC_VENDOR, ICH9_LPC_DEVICE)) {
		r->gsi = ICH9_GSI_PIRQA + ich9_pirq(f->dev, pin);
		r->level = true;
		r->active_low = false;
		return 0;
	}
	piix = root_func(f->seg, PIIX3_SLOT, PIIX3_VENDOR, PIIX3_DEVICE);
	return piix ? piix3_route(piix, f->dev, pin, r) : -ENODEV;
}
