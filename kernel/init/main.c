/*
 * kmain: the bootstrap processor's path from the boot stub to a running
 * kernel.  The order matters: console first (so everything after can
 * complain), per-CPU data (printk and locks use it), traps (so faults are
 * reported instead of triple-faulting), then memory, interrupt
 * controllers, other CPUs, the subsystems' initcalls (kern/init.h: they
 * register themselves, this file does not name them), and finally
 * self-tests and the first process.
 */
#include <kern/printk.h>
#include <kern/console.h>
#include <kern/bootinfo.h>
#include <kern/percpu.h>
#include <kern/smp.h>
#include <kern/time.h>
#include <kern/monitor.h>
#include <kern/ktest.h>
#include <kern/sched.h>
#include <kern/proc.h>
#include <kern/clock.h>
#include <kern/pmm.h>
#include <kern/vfs.h>
#include <kern/initramfs.h>
#include <arch/trap.h>
#include <arch/apic.h>
#include <arch/x86.h>
#include <arch/fpu.h>
#include <arch/tsc.h>
#include <kern/acpi.h>
#include <kern/kmsg.h>
#include <kern/console_in.h>
#include <kern/pci.h>
#include <kern/watchdog.h>
#include <kern/init.h>

/* Start /init (or init=PATH) unless the command line says noinit. */
static void start_first_process(void)
{
	char path[128] = "";

	if (cmdline_has("noinit")) {
		printk("noinit: no first process; Ctrl-G for the monitor\n");
		return;
	}
	cmdline_get("init", path, sizeof(path));
	proc_start_init(path);
}

void kmain(u32 magic, physaddr_t info_pa)
{
	int err;

	boot_tsc = rdtsc();
	/*
	 * Mask the 8259s before anything else: the firmware leaves the PIT
	 * ticking through them in virtual-wire mode, and an interrupt they
	 * raise now would stay latched in the CPU (QEMU delivers it as a
	 * vector-less interrupt, a #GP) until we first enable interrupts.
	 */
	pic_disable();
	serial_init();
	percpu_init_bsp();
	printk("\nAkaros-style x86-64 kernel booting\n");
	err = bootinfo_parse(magic, info_pa);
	if (err)
		printk("boot: unrecognised loader (magic %x); no memory map\n", magic);
	printk("boot: multiboot%d, %d memory ranges, %d modules, cmdline '%s'\n",
	       boot_info.loader, boot_info.nmmap, boot_info.nmods, boot_info.cmdline);
	idt_init();
	trap_init_cpu(0);
	mm_init();
	do_initcalls(INITCALL_LEVEL_early, INITCALL_LEVEL_early);
	lapic_init_cpu();
	cpu_online[0] = true;
	/* wt-smp: interrupt controllers, clocks, other CPUs */
	fpu_init_cpu();
	acpi_init();
	ioapic_init();
	tsc_calibrate();
	lapic_timer_calibrate();
	kmsg_init();
	smp_boot();
	do_initcalls(INITCALL_LEVEL_core, INITCALL_LEVEL_late);
	cpu_sched_setup();
	watchdog_init();
	printk("kernel ready\n");
	crash_if_asked();
	if (cmdline_has("ktest")) {
		char only[256] = "";

		cmdline_get("ktest", only, sizeof(only));
		arch_debug_exit(ktest_run_all(only) ? 1 : 0);
	}
	if (cmdline_has("monitor"))
		monitor(NULL);
	start_first_process();
	cpu_idle_loop();
}
