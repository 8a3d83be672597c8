/*
 * Local APIC, IOAPIC and inter-processor interrupts.  Each CPU's LAPIC is
 * used in xAPIC (MMIO) mode; APIC IDs come from the MADT and are mapped to
 * logical CPU numbers by cpu_apic_id[].
 */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <kern/types.h>
#include <kern/percpu.h>

extern u32 cpu_apic_id[MAX_CPUS];

/* Map the LAPIC and enable it on the calling CPU. */
void lapic_init_cpu(void);
void lapic_eoi(void);
u32 lapic_id(void);
/* Send vector to the CPU with logical number cpu. */
void send_ipi(int cpu, int vector);
/* Send vector to every CPU except the caller. */
void send_ipi_allbutself(int vector);
/* Send an NMI to the CPU with logical number cpu. */
void send_nmi(int cpu);
/* Route legacy IRQ irq (ISA numbering, MADT overrides applied) to vector on cpu. */
int ioapic_route_irq(int irq, int vector, int cpu);
void ioapic_mask_irq(int irq);

#endif
