/*
 * Bringing up the application processors.
 *
 * Logical CPU numbers: 0 is the BSP, then every enabled MADT processor in
 * MADT order (capped at MAX_CPUS).  APs are started one at a time with
 * INIT-SIPI-SIPI through the real-mode trampoline in smpboot.S, copied to
 * SMP_TRAMPOLINE_PA; the BSP fills the trampoline's data block (page
 * table, stack, CPU number) for each AP, then waits for it to check in.
 * An AP that does not check in within AP_START_TIMEOUT_US is reported,
 * sent INIT again (so a late start cannot run on a recycled stack) and
 * left offline.
 *
 * Until the memory manager exists, AP kernel stacks and per-CPU areas are
 * static .bss arrays sized MAX_CPUS.  Each AP finishes in smp_idle(): hlt
 * with interrupts on, running routine kernel messages when woken.
 */
#include <kern/smp.h>
#include <kern/sched.h>
#include <kern/acpi.h>
#include <kern/errno.h>
#include <kern/kmsg.h>
#include <kern/memlayout.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/time.h>
#include <arch/apic.h>
#include <arch/fpu.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include "internal.h"

#define PERCPU_AREA_MAX		8192
#define AP_START_TIMEOUT_US	1000000
#define ICR_INIT		0x4500
#define ICR_SIPI		0x4600

/* The mm code defines the real one when it has built the kernel page table. */
__attribute__((weak)) physaddr_t kern_pml4_pa;

static u8 ap_stacks[MAX_CPUS][KSTACK_SIZE] __aligned(4096);
static u8 ap_percpu[MAX_CPUS][PERCPU_AREA_MAX] __aligned(64);
/* Set by an AP as soon as it runs C code; read by the BSP waiting for it. */
static volatile int ap_checked_in = -1;

void __noreturn smp_idle(void)
{
	for (;;) {
		process_routine_kmsg();
		cli();
		if (kmsg_routine_pending())
			sti();
		else
			__asm__ __volatile__("sti; hlt" ::: "memory");
	}
}

/* First C code on an AP: called from the trampoline on the AP's own stack. */
static void __noreturn ap_main(int cpu)
{
	if (kern_pml4_pa)
		write_cr3(kern_pml4_pa);
	percpu_init_cpu(cpu, ap_percpu[cpu]);
	trap_init_cpu(cpu);
	set_kernel_stack((uintptr_t)&ap_stacks[cpu][KSTACK_SIZE]);
	WRITE_ONCE(ap_checked_in, cpu);
	lapic_init_cpu();
	fpu_init_cpu();
	__atomic_store_n(&cpu_online[cpu], true, __ATOMIC_RELEASE);
	cpu_start_scheduling();
}

/* Fill cpu_apic_id[] and num_cpus from the MADT, BSP first. */
static void number_cpus(void)
{
	u32 bsp = lapic_id();
	bool bsp_listed = false;
	int n = 1;

	cpu_apic_id[0] = bsp;
	for (int i = 0; i < acpi_info.ncpus; i++) {
		if (acpi_info.cpus[i].apic_id == bsp) {
			bsp_listed = true;
			continue;
		}
		if (n >= MAX_CPUS) {
			printk("smp: more than %d CPUs; the rest are ignored\n", MAX_CPUS);
			break;
		}
		cpu_apic_id[n++] = acpi_info.cpus[i].apic_id;
	}
	if (!bsp_listed)
		printk("smp: BSP (APIC %u) is not in the MADT\n", bsp);
	num_cpus = n;
}

/* Start one AP; 0 once it runs kernel code, -ETIMEDOUT or -ERANGE otherwise. */
static int start_ap(int cpu)
{
	u32 apic = cpu_apic_id[cpu];
	u8 *tramp = KADDR(SMP_TRAMPOLINE_PA);
	u64 t0;

	if (apic > 0xFF) {
		printk("smp: CPU %d has x2APIC ID %u, unreachable in xAPIC mode; skipped\n",
		       cpu, apic);
		return -ERANGE;
	}
#define TRAMP_VAR(v) (*(u64 *)(tramp + ((uintptr_t)&(v) - (uintptr_t)smpboot_start)))
	TRAMP_VAR(smpboot_cr3) = (uintptr_t)boot_pml4;
	TRAMP_VAR(smpboot_stack) = (uintptr_t)&ap_stacks[cpu][KSTACK_SIZE] - 8;
	TRAMP_VAR(smpboot_entry) = (uintptr_t)ap_main;
	TRAMP_VAR(smpboot_cpu) = cpu;
#undef TRAMP_VAR
	WRITE_ONCE(ap_checked_in, -1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	lapic_send_raw(apic, ICR_INIT);
	udelay(10000);
	for (int i = 0; i < 2; i++) {
		lapic_send_raw(apic, ICR_SIPI | (SMP_TRAMPOLINE_PA >> 12));
		udelay(200);
	}
	t0 = nsec_since_boot();
	while (READ_ONCE(ap_checked_in) != cpu) {
		if (nsec_since_boot() - t0 > AP_START_TIMEOUT_US * 1000ULL) {
			lapic_send_raw(apic, ICR_INIT);	/* park it for good */
			printk("smp: CPU %d (APIC %u) did not start; skipped\n", cpu, apic);
			return -ETIMEDOUT;
		}
		cpu_relax();
	}
	/* It has a stack and per-CPU area now; wait for the rest of its setup. */
	while (!__atomic_load_n(&cpu_online[cpu], __ATOMIC_ACQUIRE)) {
		if (nsec_since_boot() - t0 > 2 * AP_START_TIMEOUT_US * 1000ULL) {
			printk("smp: CPU %d (APIC %u) stuck in its setup\n", cpu, apic);
			return -ETIMEDOUT;
		}
		cpu_relax();
	}
	return 0;
}

void smp_boot(void)
{
	size_t tsize = (uintptr_t)smpboot_end - (uintptr_t)smpboot_start;

	if (percpu_area_size() > PERCPU_AREA_MAX)
		panic("smp: per-CPU area is %zu bytes, AP areas are %d", percpu_area_size(),
		      PERCPU_AREA_MAX);
	if (tsize > PGSIZE)
		panic("smp: trampoline is %zu bytes, more than a page", tsize);
	number_cpus();
	memcpy(KADDR(SMP_TRAMPOLINE_PA), smpboot_start, tsize);
	for (int c = 1; c < num_cpus; c++)
		start_ap(c);
	printk("smp: %d CPUs online\n", num_online_cpus());
}
