/*
 * The kernel monitor: an interactive command loop on COM1 that polls the
 * UART directly, so it works with interrupts off, from panic and from a
 * hung system.  Entered on panic, on the serial hotkey (Ctrl-G) and from
 * tests (monitor_run_command).
 */
#ifndef KERN_MONITOR_H
#define KERN_MONITOR_H

#include <kern/types.h>
#include <kern/compiler.h>

struct hw_trapframe;

/* Run the interactive monitor until `continue`; tf may be NULL. */
void monitor(struct hw_trapframe *tf);
/* Stop the other CPUs, print why, and sit in the monitor forever. */
void __noreturn monitor_panic(struct hw_trapframe *tf, const char *why);
/* Execute one monitor command line; returns 0, or -1 for an unknown command. */
int monitor_run_command(const char *line, struct hw_trapframe *tf);

#endif
