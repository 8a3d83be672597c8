/*
 * The last step of every CPU's bring-up: scheduler state, the SYSCALL
 * MSRs and the periodic scheduler tick; then the CPU becomes a time-
 * sharing core running its idle loop.  The tick (TICK_NS) wakes timed
 * sleepers, charges CPU time and asks for a reschedule when others wait.
 */
#include <kern/sched.h>
#include <kern/time.h>
#include <kern/smp.h>
#include <kern/watchdog.h>
#include <arch/apic.h>
#include <arch/trap.h>
#include <kern/syscall.h>
#include "internal.h"

#define TICK_NS		SCHED_TICK_NS

static void timer_tick(struct hw_trapframe *tf)
{
	struct task *t = current();

	watchdog_tick(tf);
	if (tf_from_user(tf))
		t->utime_ns += TICK_NS;
	timers_run();
	sched_tick();
}

/* Per-CPU scheduler, syscall and tick setup (BSP and APs alike). */
void cpu_sched_setup(void)
{
	sched_init_cpu();
	syscall_init_cpu();
	if (core_id() == 0) {
		lapic_timer_set_handler(timer_tick);
		sched_ipi_init();
	}
	lapic_timer_periodic(TICK_NS);
	watchdog_cpu_start();
}

void cpu_start_scheduling(void)
{
	cpu_sched_setup();
	cpu_idle_loop();
}
