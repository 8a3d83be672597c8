/*
 * CPU bookkeeping shared by the SMP bring-up, the scheduler's core
 * allocator and the monitor.  num_cpus counts CPUs found in the MADT;
 * cpu_online[i] becomes true once CPU i runs kernel code.
 */
#ifndef KERN_SMP_H
#define KERN_SMP_H

#include <kern/types.h>
#include <kern/percpu.h>

extern int num_cpus;
extern volatile bool cpu_online[MAX_CPUS];

/* Number of CPUs that are online. */
int num_online_cpus(void);
/* Bring up every application processor listed by ACPI (reports and skips failures). */
void smp_boot(void);
/* True if core time-shares (is not granted to an MCP); sched/corealloc.c. */
bool corealloc_is_timesharing(int core);
/* Dedicate core to owner (an MCP); 0, or -EBUSY if it is already granted, -EINVAL for core 0. */
int corealloc_grant(int core, void *owner);
/* Return a granted core to time-sharing. */
void corealloc_revoke(int core);
/* The owner a core is granted to, NULL if it time-shares. */
void *corealloc_owner(int core);
/* Number of cores currently time-sharing. */
int corealloc_nr_timesharing(void);
/*
 * Serve the TLB shootdowns other CPUs asked of this one (arch/x86/tlb.c);
 * called from the IPI handler and from every loop that spins with
 * interrupts off.  Never fails.
 */
void tlb_shootdown_poll(void);
/* Idle loop of a CPU with nothing to do: hlt, run routine kernel messages. */
void __noreturn smp_idle(void);

#endif
