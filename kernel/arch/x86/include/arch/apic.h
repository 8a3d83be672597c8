/*
 * Local APIC, IOAPIC and inter-processor interrupts.  Each CPU's LAPIC is
 * used in xAPIC (MMIO) mode; APIC IDs come from the MADT and are mapped to
 * logical CPU numbers by cpu_apic_id[].
 *
 * The LAPIC timer is calibrated once against the TSC (lapic_timer_hz, the
 * rate the counter decrements at with the divider the kernel uses) and
 * then driven per CPU in one-shot or periodic mode; every expiry calls the
 * single hook set with lapic_timer_set_handler (the scheduler's tick), on
 * the CPU whose timer fired, with interrupts off.
 */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <kern/types.h>
#include <kern/percpu.h>

struct hw_trapframe;

extern u32 cpu_apic_id[MAX_CPUS];

/* Map the LAPIC and enable it on the calling CPU. */
void lapic_init_cpu(void);
void lapic_eoi(void);
/* Program LINT0/1 from the MADT's LAPIC NMI entries (lapic_init_cpu does this too). */
void lapic_apply_madt_nmis(void);
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
/* GSI of ISA IRQ irq (0-15) and its MADT trigger/polarity (none: edge, high). */
u32 ioapic_isa_gsi(int irq, bool *level, bool *active_low);
/*
 * Route GSI gsi to vector on cpu with the given trigger and polarity,
 * masked or not: 0, -EINVAL (vector, cpu) or -ENODEV (no IOAPIC has it).
 */
int ioapic_route_gsi(u32 gsi, int vector, int cpu, bool level, bool active_low, bool masked);
/* Mask or unmask GSI gsi: 0 or -ENODEV. */
int ioapic_mask_gsi(u32 gsi, bool masked);
/* Deliver GSI gsi to cpu from now on: 0, -EINVAL or -ENODEV. */
int ioapic_set_gsi_cpu(u32 gsi, int cpu);
/* Mask every IOAPIC pin (from acpi_info); call once on the BSP. */
void ioapic_init(void);
/* Remap and mask both legacy 8259 PICs so they never raise a vector. */
void pic_disable(void);
/* Raw ICR command (INIT, SIPI) to an APIC ID; used by SMP boot. */
void lapic_send_raw(u32 apic_id, u32 icr_lo);

extern u64 lapic_timer_hz;
/* Measure lapic_timer_hz against the TSC (needs tsc_hz); BSP, once. */
void lapic_timer_calibrate(void);
/* Fire VEC_LAPIC_TIMER once, ns from now, on this CPU (ns 0 = soonest). */
void lapic_timer_oneshot(u64 ns);
/* Fire VEC_LAPIC_TIMER every ns on this CPU. */
void lapic_timer_periodic(u64 ns);
/* Stop this CPU's LAPIC timer. */
void lapic_timer_stop(void);
/* Set the function called on every timer expiry (NULL: ignore expiries). */
void lapic_timer_set_handler(void (*fn)(struct hw_trapframe *tf));
/* The current expiry function (NULL if none). */
void (*lapic_timer_get_handler(void))(struct hw_trapframe *tf);

#endif
