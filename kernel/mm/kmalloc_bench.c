/*
 * `bench-kmalloc`: kmalloc/kfree cost per allocate+free pair, measured with
 * the TSC on the CPU running the monitor.  Two patterns per size:
 *
 *   hot     kmalloc then kfree of the same object, repeated: after the first
 *           pair every allocation is a hit in this CPU's object cache.
 *   refill  BENCH_DEPTH objects allocated, then all freed, repeated: the
 *           per-CPU cache (PCPU_OBJS deep) runs dry and overflows, so most
 *           pairs go through slab_take/slab_give in batches (the slab path).
 *
 * Sizes above KMALLOC_MAX_SIZE (8192) are whole buddy blocks; their "hot"
 * figure is the page allocator's.  The figures are printed in nanoseconds
 * (tsc_to_nsec) as the median of BENCH_ROUNDS rounds.
 */
#include <kern/kmalloc.h>
#include <kern/moncmd.h>
#include <kern/printk.h>
#include <kern/time.h>
#include <arch/x86.h>

#define BENCH_PAIRS	2000	/* pairs per hot round */
#define BENCH_DEPTH	256	/* objects live at once in a refill round */
#define BENCH_ROUNDS	7

static void *bench_objs[BENCH_DEPTH];	/* monitor only: one user at a time */

/* TSC cycles for BENCH_PAIRS hot pairs of size bytes; 0 if kmalloc failed. */
static u64 bench_hot(size_t size)
{
	u64 t0 = rdtsc();

	for (int i = 0; i < BENCH_PAIRS; i++) {
		void *p = kmalloc(size, MEM_ATOMIC);

		if (!p)
			return 0;
		WRITE_ONCE(*(char *)p, 1);
		kfree(p);
	}
	return rdtsc() - t0;
}

/* TSC cycles for BENCH_DEPTH allocations followed by their frees; 0 on failure. */
static u64 bench_refill(size_t size)
{
	u64 t0 = rdtsc(), t;
	int n;

	for (n = 0; n < BENCH_DEPTH; n++) {
		bench_objs[n] = kmalloc(size, MEM_ATOMIC);
		if (!bench_objs[n])
			break;
		WRITE_ONCE(*(char *)bench_objs[n], 1);
	}
	for (int i = n - 1; i >= 0; i--)
		kfree(bench_objs[i]);
	t = rdtsc() - t0;
	return n == BENCH_DEPTH ? t : 0;
}

static u64 median(u64 *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/* Print one line; the picoseconds keep two decimals for fast paths. */
static void bench_print(const char *what, size_t size, u64 cycles, int pairs)
{
	u64 ps = cycles ? tsc_to_nsec(cycles) * 1000 / (u64)pairs : 0;

	if (!cycles) {
		printk("kmalloc/kfree %zu B %s: allocation failed\n", size, what);
		return;
	}
	printk("kmalloc/kfree %4zu B %-6s: %llu.%02llu ns per pair (%d pairs, TSC)\n", size, what,
	       ps / 1000, ps % 1000 / 10, pairs);
}

static int cmd_bench_kmalloc(int argc, char **argv, struct hw_trapframe *tf)
{
	static const size_t sizes[] = { 16, 64, 512, 2048, 8192 };
	u64 hot[BENCH_ROUNDS], refill[BENCH_ROUNDS];

	(void)argc;
	(void)argv;
	(void)tf;
	for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
		u64 irq = local_irq_save();

		bench_hot(sizes[s]);	/* warm up: fill this CPU's cache */
		for (int r = 0; r < BENCH_ROUNDS; r++) {
			hot[r] = bench_hot(sizes[s]);
			refill[r] = bench_refill(sizes[s]);
		}
		local_irq_restore(irq);
		bench_print("hot", sizes[s], median(hot, BENCH_ROUNDS), BENCH_PAIRS);
		bench_print("refill", sizes[s], median(refill, BENCH_ROUNDS), BENCH_DEPTH);
	}
	printk("kmalloc: hot = per-CPU cache hit; refill = %d live objects, per-CPU cache "
	       "overflows to the slab (sizes > 2048 are buddy blocks); median of %d rounds\n",
	       BENCH_DEPTH, BENCH_ROUNDS);
	return 0;
}
MONITOR_CMD("bench-kmalloc", "bench-kmalloc: kmalloc/kfree ns per pair, per-CPU hit vs slab refill",
	    cmd_bench_kmalloc);
