/*
 * Kernel start-up.  boot.S calls kmain on the bootstrap processor; kmain
 * brings the machine up in a fixed order and then starts the subsystems
 * through initcalls.
 *
 * The rule: arch bring-up whose order is the point stays explicit in
 * kmain (console, per-CPU data, traps, memory, interrupt controllers,
 * clocks calibration, kernel messages, other CPUs, the BSP's scheduler),
 * because each step needs the one before.  A subsystem that only needs
 * that machine, plus the subsystems of earlier levels, registers itself
 * where it is defined with
 *
 *	static int vfs_init(void) { ... return 0; }
 *	initcall(vfs_init, core);
 *
 * and kmain never names it.  Within a level the order is the link order,
 * that is unspecified: two initcalls of one level must not depend on each
 * other (put the dependent one a level later).  An initcall returns >= 0
 * or -errno; a failure is reported and boot goes on (a subsystem that
 * cannot run without it panics itself).
 *
 * Levels, in the order they run (like Linux's initcall levels):
 *   early   right after memory is up, before interrupt controllers and
 *           other CPUs exist (nothing uses it yet);
 *   core    core data structures (the VFS root);
 *   subsys  subsystems on top of them (wall clock);
 *   fs      file systems;
 *   rootfs  filling the root file system (the initramfs);
 *   device  drivers (PCI, console input);
 *   late    whatever wants everything else up (boot-time binds).
 * Levels core..late run after SMP bring-up, with interrupts routed; the
 * first process starts after all of them.
 */
#ifndef KERN_INIT_H
#define KERN_INIT_H

#include <kern/types.h>
#include <kern/compiler.h>

#define INITCALL_LEVEL_early	0
#define INITCALL_LEVEL_core	1
#define INITCALL_LEVEL_subsys	2
#define INITCALL_LEVEL_fs	3
#define INITCALL_LEVEL_rootfs	4
#define INITCALL_LEVEL_device	5
#define INITCALL_LEVEL_late	6
#define INITCALL_NR_LEVELS	7

typedef int (*initcall_t)(void);

struct initcall {
	initcall_t fn;
	const char *name;
	int level;
};

#define __initcall_section(n)	".initcall." #n
#define __initcall_section_of(n) __initcall_section(n)

/* Run fn at level (one of the names above) during boot. */
#define initcall(fn, level)							\
	static const struct initcall __initcall_##fn __used			\
		__section(__initcall_section_of(INITCALL_LEVEL_##level))	\
		__aligned(8) = { fn, #fn, INITCALL_LEVEL_##level }

/* The table kernel.ld collects from .initcall.0 .. .initcall.6, in level order. */
extern const struct initcall __initcall_start[], __initcall_end[];

/* Run the initcalls of levels first..last, in order (BSP, once per level). */
void do_initcalls(int first, int last);
/* How many initcalls have run so far (for the self-test). */
int initcalls_done(void);

/* The BSP's C entry (boot.S): bring the kernel up and start the first process; never returns. */
void kmain(u32 magic, physaddr_t info_pa);

#endif
