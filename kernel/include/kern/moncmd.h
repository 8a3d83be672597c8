/*
 * Monitor command registration.  Any file can add a command with
 * MONITOR_CMD(name, help, fn); the linker collects them in .moncmds so the
 * monitor has no central list.  fn gets argc/argv (argv[0] = name) and the
 * trap frame the monitor was entered with (may be NULL); returns 0 or -1.
 */
#ifndef KERN_MONCMD_H
#define KERN_MONCMD_H

#include <kern/compiler.h>

struct hw_trapframe;

struct monitor_cmd {
	const char *name;
	const char *help;
	int (*fn)(int argc, char **argv, struct hw_trapframe *tf);
};

#define MONITOR_CMD(n, h, f)						\
	static const struct monitor_cmd __moncmd_##f __used		\
		__section(".moncmds") __aligned(8) = { n, h, f }

/* The table kernel.ld collects from .moncmds. */
extern const struct monitor_cmd __moncmds_start[], __moncmds_end[];

#endif
