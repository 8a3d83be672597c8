/*
 * Local APIC in xAPIC mode.  Registers are memory-mapped at the address in
 * IA32_APIC_BASE (normally 0xFEE00000), reached through mmio_map (so
 * lapic_init_cpu must run after vm_init).  IPIs
 * are sent through the ICR; logical CPU numbers are translated to APIC IDs
 * with cpu_apic_id[] (filled from the MADT by the SMP code).
 *
 * Timer: the divider is fixed at 16; lapic_timer_hz (counter decrements per
 * second) is measured once against the TSC over 10 ms.  The expiry hook is
 * one global function pointer, set before any CPU arms its timer.
 */
#include <arch/apic.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kern/memlayout.h>
#include <kern/vm.h>
#include <kern/printk.h>
#include <kern/time.h>
#include <kern/acpi.h>

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
#define LAPIC_TIMER_INIT	0x380
#define LAPIC_TIMER_CUR		0x390
#define LAPIC_TIMER_DIV		0x3E0
#define TIMER_DIV_16		0x3
#define TIMER_MASKED		(1 << 16)
#define TIMER_PERIODIC		(1 << 17)
#define CALIBRATE_US		10000
#define CALIBRATE_RUNS		5
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

/* Program LINT0/1 as NMI inputs where the MADT's LAPIC NMI entries say so. */
void lapic_apply_madt_nmis(void)
{
	u32 me = lapic_id(), uid = ACPI_UID_ALL - 1;

	for (int i = 0; i < acpi_info.ncpus; i++)
		if (acpi_info.cpus[i].apic_id == me)
			uid = acpi_info.cpus[i].uid;
	for (int i = 0; i < acpi_info.nnmis; i++) {
		const struct acpi_lapic_nmi *n = &acpi_info.nmis[i];
		u32 lvt = 4 << 8;	/* NMI delivery; NMIs are always edge-triggered */

		if (n->uid != ACPI_UID_ALL && n->uid != uid)
			continue;
		if ((n->flags & ACPI_POL_MASK) == ACPI_POL_LOW)
			lvt |= 1 << 13;
		if (n->lint <= 1)
			lapic_write(n->lint ? LAPIC_LVT_LINT1 : LAPIC_LVT_LINT0, lvt);
	}
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
	lapic_write(LAPIC_LVT_LINT1, 4 << 8);		/* NMI (the PC default) */
	lapic_apply_madt_nmis();
	lapic_write(LAPIC_LVT_TIMER, TIMER_MASKED | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
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

void lapic_send_raw(u32 apic_id, u32 icr_lo)
{
	icr_send(apic_id, icr_lo);
}

u64 lapic_timer_hz;
static void (*timer_hook)(struct hw_trapframe *tf);

static void lapic_timer_irq(struct hw_trapframe *tf, void *data)
{
	void (*fn)(struct hw_trapframe *) = READ_ONCE(timer_hook);

	(void)data;
	if (fn)
		fn(tf);
}

void lapic_timer_set_handler(void (*fn)(struct hw_trapframe *tf))
{
	WRITE_ONCE(timer_hook, fn);
}

void (*lapic_timer_get_handler(void))(struct hw_trapframe *tf)
{
	return READ_ONCE(timer_hook);
}

/* Timer ticks per second measured over CALIBRATE_US of TSC time. */
static u64 timer_measure(void)
{
	u32 left;
	u64 t0, t1;

	lapic_write(LAPIC_TIMER_INIT, 0xFFFFFFFF);
	t0 = rdtsc();
	udelay(CALIBRATE_US);
	left = lapic_read(LAPIC_TIMER_CUR);
	t1 = rdtsc();
	lapic_write(LAPIC_TIMER_INIT, 0);
	return (u64)(0xFFFFFFFFu - left) * tsc_hz / (t1 - t0);
}

void lapic_timer_calibrate(void)
{
	u64 v[CALIBRATE_RUNS] = { 0 };

	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, TIMER_MASKED | VEC_LAPIC_TIMER);
	for (int i = 0; i < CALIBRATE_RUNS; i++) {
		u64 x = timer_measure();
		int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	lapic_timer_hz = v[CALIBRATE_RUNS / 2];
	if (!lapic_timer_hz) {
		printk("lapic: timer does not count; assuming 62.5 MHz\n");
		lapic_timer_hz = 62500000;
	}
	if (register_irq_handler(VEC_LAPIC_TIMER, lapic_timer_irq, NULL))
		printk("lapic: timer vector already taken\n");
	printk("lapic: timer %llu.%03llu MHz (divider 16)\n", lapic_timer_hz / 1000000,
	       lapic_timer_hz / 1000 % 1000);
}

/* Timer ticks for ns, clamped to 1..2^32-1. */
static u32 ns_to_ticks(u64 ns)
{
	u64 t = ns / 1000000000ULL * lapic_timer_hz +
		ns % 1000000000ULL * lapic_timer_hz / 1000000000ULL;

	return t == 0 ? 1 : t > 0xFFFFFFFFULL ? 0xFFFFFFFFu : (u32)t;
}

void lapic_timer_oneshot(u64 ns)
{
	lapic_write(LAPIC_LVT_TIMER, VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, ns_to_ticks(ns));
}

void lapic_timer_periodic(u64 ns)
{
	lapic_write(LAPIC_LVT_TIMER, TIMER_PERIODIC | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, ns_to_ticks(ns));
}

void lapic_timer_stop(void)
{
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_write(LAPIC_LVT_TIMER, TIMER_MASKED | VEC_LAPIC_TIMER);
}
