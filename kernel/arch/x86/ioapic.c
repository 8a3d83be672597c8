/*
 * IOAPIC driver.  Each IOAPIC from the MADT owns the GSIs gsi_base ..
 * gsi_base + pins - 1; a redirection entry per pin says which vector, on
 * which CPU (physical APIC ID destination), with which polarity and
 * trigger mode.  ISA IRQs reach GSIs through the MADT interrupt source
 * overrides (QEMU: IRQ0 -> GSI2, IRQs 5, 9, 10, 11 level/high); an ISA IRQ
 * without override is GSI = IRQ, edge, active high.  Numbers >= 16 are
 * taken as GSIs of PCI interrupts: level-triggered, active low.
 * ioapic_route_gsi() programs a GSI directly with the trigger and
 * polarity its caller learned elsewhere (PCI INTx: drivers/pci/intx.c).
 *
 * Lock: ioapic_lock serialises the two-step (index, data) register access
 * and the read-modify-write of redirection entries.
 */
#include <arch/apic.h>
#include <arch/trap.h>
#include <kern/acpi.h>
#include <kern/errno.h>
#include <kern/memlayout.h>
#include <kern/vm.h>
#include <kern/printk.h>
#include <kern/spinlock.h>
#include <kern/smp.h>

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WIN		0x10
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REDTBL(n)	(0x10 + 2 * (n))
#define RTE_MASKED		(1u << 16)
#define RTE_LEVEL		(1u << 15)
#define RTE_ACTIVE_LOW		(1u << 13)

struct ioapic {
	volatile u32 *regs;
	u32 gsi_base;
	u32 pins;
};

static struct spinlock ioapic_lock = SPINLOCK_INITIALIZER("ioapic");
/* Written by ioapic_init on the BSP before any routing; read-only after. */
static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static int nioapics;

static u32 ioapic_read(struct ioapic *io, u32 reg)
{
	io->regs[IOAPIC_REGSEL / 4] = reg;
	return io->regs[IOAPIC_WIN / 4];
}

static void ioapic_write(struct ioapic *io, u32 reg, u32 v)
{
	io->regs[IOAPIC_REGSEL / 4] = reg;
	io->regs[IOAPIC_WIN / 4] = v;
}

void ioapic_init(void)
{
	for (int i = 0; i < acpi_info.nioapics; i++) {
		struct ioapic *io = &ioapics[nioapics];
		u32 ver;

		io->regs = mmio_map(acpi_info.ioapics[i].addr, PGSIZE);
		if (!io->regs) {
			printk("ioapic: cannot map %#x; ignored\n", acpi_info.ioapics[i].addr);
			continue;
		}
		io->gsi_base = acpi_info.ioapics[i].gsi_base;
		ver = ioapic_read(io, IOAPIC_REG_VER);
		if (ver == 0xFFFFFFFF) {
			printk("ioapic: nothing answers at %#x; ignored\n",
			       acpi_info.ioapics[i].addr);
			continue;
		}
		io->pins = ((ver >> 16) & 0xFF) + 1;
		for (u32 p = 0; p < io->pins; p++) {
			ioapic_write(io, IOAPIC_REDTBL(p) + 1, 0);
			ioapic_write(io, IOAPIC_REDTBL(p), RTE_MASKED | (IRQ_BASE + p));
		}
		printk("ioapic: id %u at %#x, GSIs %u-%u\n", acpi_info.ioapics[i].id,
		       acpi_info.ioapics[i].addr, io->gsi_base, io->gsi_base + io->pins - 1);
		nioapics++;
	}
}

/* Translate irq to a GSI and RTE polarity/trigger bits (see the header comment). */
static u32 irq_to_gsi(int irq, u32 *mode)
{
	if (irq >= 16) {
		*mode = RTE_LEVEL | RTE_ACTIVE_LOW;
		return irq;
	}
	*mode = 0;
	for (int i = 0; i < acpi_info.nisos; i++) {
		const struct acpi_iso *iso = &acpi_info.isos[i];

		if (iso->bus != 0 || iso->source != irq)
			continue;
		if ((iso->flags & ACPI_POL_MASK) == ACPI_POL_LOW)
			*mode |= RTE_ACTIVE_LOW;
		if ((iso->flags & ACPI_TRIG_MASK) == ACPI_TRIG_LEVEL)
			*mode |= RTE_LEVEL;
		return iso->gsi;
	}
	return irq;
}

/* GSI of ISA IRQ irq with the MADT overrides' trigger and polarity; cannot fail. */
u32 ioapic_isa_gsi(int irq, bool *level, bool *active_low)
{
	u32 mode, gsi = irq_to_gsi(irq, &mode);

	*level = mode & RTE_LEVEL;
	*active_low = mode & RTE_ACTIVE_LOW;
	return gsi;
}

/* The IOAPIC serving gsi (its pin in *pin), or NULL. */
static struct ioapic *gsi_ioapic(u32 gsi, u32 *pin)
{
	for (int i = 0; i < nioapics; i++)
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	return NULL;
}

/* Returns 0, -EINVAL for a bad vector/cpu, -ENODEV if no IOAPIC has the GSI. */
int ioapic_route_irq(int irq, int vector, int cpu)
{
	u32 mode, pin, gsi;
	struct ioapic *io;
	u64 flags;

	if (irq < 0 || vector < IRQ_BASE || vector > 0xFE || cpu < 0 || cpu >= num_cpus)
		return -EINVAL;
	gsi = irq_to_gsi(irq, &mode);
	io = gsi_ioapic(gsi, &pin);
	if (!io) {
		printk("ioapic: IRQ %d (GSI %u) has no IOAPIC pin\n", irq, gsi);
		return -ENODEV;
	}
	flags = spin_lock_irqsave(&ioapic_lock);
	ioapic_write(io, IOAPIC_REDTBL(pin) + 1, cpu_apic_id[cpu] << 24);
	ioapic_write(io, IOAPIC_REDTBL(pin), mode | (u32)vector);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

void ioapic_mask_irq(int irq)
{
	u32 mode, pin;
	struct ioapic *io = gsi_ioapic(irq_to_gsi(irq, &mode), &pin);
	u64 flags;

	if (!io)
		return;
	flags = spin_lock_irqsave(&ioapic_lock);
	ioapic_write(io, IOAPIC_REDTBL(pin), ioapic_read(io, IOAPIC_REDTBL(pin)) | RTE_MASKED);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

/* Program gsi's redirection entry; 0, -EINVAL or -ENODEV (see arch/apic.h). */
int ioapic_route_gsi(u32 gsi, int vector, int cpu, bool level, bool active_low, bool masked)
{
	u32 pin, mode = (level ? RTE_LEVEL : 0) | (active_low ? RTE_ACTIVE_LOW : 0);
	struct ioapic *io;
	u64 flags;

	if (vector < IRQ_BASE || vector > 0xFE || cpu < 0 || cpu >= num_cpus)
		return -EINVAL;
	io = gsi_ioapic(gsi, &pin);
	if (!io)
		return -ENODEV;
	if (masked)
		mode |= RTE_MASKED;
	flags = spin_lock_irqsave(&ioapic_lock);
	ioapic_write(io, IOAPIC_REDTBL(pin), RTE_MASKED | (u32)vector);
	ioapic_write(io, IOAPIC_REDTBL(pin) + 1, cpu_apic_id[cpu] << 24);
	ioapic_write(io, IOAPIC_REDTBL(pin), mode | (u32)vector);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

/* Set or clear gsi's mask bit; 0 or -ENODEV. */
int ioapic_mask_gsi(u32 gsi, bool masked)
{
	u32 pin, rte;
	struct ioapic *io = gsi_ioapic(gsi, &pin);
	u64 flags;

	if (!io)
		return -ENODEV;
	flags = spin_lock_irqsave(&ioapic_lock);
	rte = ioapic_read(io, IOAPIC_REDTBL(pin));
	ioapic_write(io, IOAPIC_REDTBL(pin), masked ? rte | RTE_MASKED : rte & ~RTE_MASKED);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

/* Send gsi to cpu, keeping the rest of its entry; 0, -EINVAL or -ENODEV. */
int ioapic_set_gsi_cpu(u32 gsi, int cpu)
{
	struct ioapic *io;
	u64 flags;
	u32 pin;

	if (cpu < 0 || cpu >= num_cpus)
		return -EINVAL;
	io = gsi_ioapic(gsi, &pin);
	if (!io)
		return -ENODEV;
	flags = spin_lock_irqsave(&ioapic_lock);
	ioapic_write(io, IOAPIC_REDTBL(pin) + 1, cpu_apic_id[cpu] << 24);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}
