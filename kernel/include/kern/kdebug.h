/*
 * Kernel debugging support: symbol lookup from the embedded symbol table
 * (kallsyms, generated at build time from the linked kernel) and frame
 * pointer backtraces.  The kernel is built with -fno-omit-frame-pointer.
 */
#ifndef KERN_KDEBUG_H
#define KERN_KDEBUG_H

#include <kern/types.h>

/* Name of the function containing addr and addr's offset in it; NULL if unknown. */
const char *kallsyms_lookup(uintptr_t addr, uintptr_t *offset);
/* Address of the symbol called name, 0 if none. */
uintptr_t kallsyms_addr(const char *name);
/* Print a symbolized backtrace starting at rip with frame pointer rbp. */
void backtrace_from(uintptr_t rip, uintptr_t rbp);
/* Print a backtrace of the caller. */
void backtrace(void);
/* Collect up to max return addresses from rbp into pcs; returns the count. */
int backtrace_collect(uintptr_t rbp, uintptr_t *pcs, int max);
/* Have CPU cpu (not this one) print its backtrace from an NMI; false if it did not answer in 1 s. */
bool trigger_single_cpu_backtrace(int cpu);

#endif
