/*
 * The `meminfo` monitor command: page allocator totals and per-order free
 * blocks, then the kmalloc cache statistics.
 */
#include <kern/pmm.h>
#include <kern/kmalloc.h>
#include <kern/moncmd.h>

static int cmd_meminfo(int argc, char **argv, struct hw_trapframe *tf)
{
	(void)argc;
	(void)argv;
	(void)tf;
	pmm_print_stats();
	kmalloc_print_stats();
	return 0;
}
MONITOR_CMD("meminfo", "meminfo: RAM totals, free blocks per order, kmalloc caches", cmd_meminfo);
