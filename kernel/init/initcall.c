/*
 * Initcalls: the subsystems' start functions, collected by the linker in
 * level order (kern/init.h has the levels and the rule for what goes
 * here rather than in kmain).  kmain runs a range of levels at a time;
 * each entry runs once, a failure is reported and boot goes on.  With
 * initcall_debug on the command line every call is logged with its time.
 */
#include <kern/init.h>
#include <kern/printk.h>
#include <kern/bootinfo.h>
#include <kern/time.h>
#include <kern/errno.h>
#include <kern/dev.h>	/* errstr */

static int ndone;	/* BSP only, during boot */

void do_initcalls(int first, int last)
{
	bool debug = cmdline_has("initcall_debug");

	for (const struct initcall *ic = __initcall_start; ic < __initcall_end; ic++) {
		u64 t0;
		int err;

		if (ic->level < first || ic->level > last)
			continue;
		t0 = nsec_since_boot();
		err = ic->fn();
		ndone++;
		if (err < 0)
			printk("initcall %s failed: %s\n", ic->name, errstr(err));
		if (debug)
			printk("initcall %s (level %d): %d, %llu us\n", ic->name, ic->level, err,
			       (nsec_since_boot() - t0) / 1000);
	}
}

int initcalls_done(void)
{
	return ndone;
}
