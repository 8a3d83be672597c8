/*
 * Local APIC in xAPIC mode.  Registers are memory-mapped at the address in
 * IA32_APIC_BASE (normally 0xFEE00000), reached through mmio_map (so
 * lapic_init_cpu must run after vm_init).  IPIs
 * are sent through the ICR; logical CPU numbers are translated to APIC IDs
 * with cpu_apic_id[] (filled from the MADT by the SMP code).
 */
#include <arch/apic.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kern/memlayout.h>
#include <kern/vm.h>
#include <kern/printk.h>

#define LAPIC_ID	0x020
#define LAPIC_VER	0x030
#define LAPIC_TPR	0x080
#define LAPIC_EOI	0x0B0
#define LAPIC_SVR	0x0F0
#define LAPIC_ESR	0x280
#define LAPIC_ICR_LO	0x300
#define LAPIC_ICR_HI	0x310
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_LVT_LINT0	0x350
#define LAPIC_LVT_LINT1	0x360
#define LAPIC_LVT_ERR	0x370
#define ICR_PENDING	(1 << 12)
#define ICR_NMI		(4 << 8)
#define ICR_ALLBUTSELF	(3 << 18)

u32 cpu_apic_id[MAX_CPUS];
static volatile u32 *lapic;

static inline u32 lapic_read(u32 reg)
{
	return lapic[reg / 4];
}

static inline void lapic_write(u32 reg, u32 v)
{
	lapic[reg / 4] = v;
}

void lapic_init_cpu(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	if (!lapic)
		lapic = mmio_map(base & ~0xfffULL, PGSIZE);
	if (!lapic)
		panic("lapic: cannot map the local APIC at %llx", base & ~0xfffULL);
	wrmsr(MSR_APIC_BASE, base | (1 << 11));		/* global enable */
	lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);	/* software enable */
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, 1 << 16);		/* masked */
	lapic_write(LAPIC_LVT_LINT1, 4 << 8);		/* NMI */
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_EOI, 0);
}

void lapic_eoi(void)
{
	if (lapic)
		lapic_write(LAPIC_EOI, 0);
}

u32 lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

static void icr_send(u32 apic_id, u32 lo)
{
	u64 flags = local_irq_save();

	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		cpu_relax();
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, lo);
	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		cpu_relax();
	local_irq_restore(flags);
}

void send_ipi(int cpu, int vector)
{
	icr_send(cpu_apic_id[cpu], vector);
}

void send_ipi_allbutself(int vector)
{
	icr_send(0, ICR_ALLBUTSELF | vector);
}

void send_nmi(int cpu)
{
	icr_send(cpu_apic_id[cpu], ICR_NMI);
}

/* Send a raw ICR command (INIT, SIPI) to an APIC ID; used by SMP boot. */
void lapic_send_raw(u32 apic_id, u32 icr_lo)
{
	icr_send(apic_id, icr_lo);
}
