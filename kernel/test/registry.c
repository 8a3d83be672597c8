/*
 * Registration of self-tests written as plain functions that panic on
 * failure (the mm, fs and SMP suites): each gets a KTEST_REG wrapper here, so a
 * failure still ends the run with a panic report (ktest boots use
 * panic=exit semantics) and success counts as a pass.
 */
#include <kern/ktest.h>
#include "internal.h"

#define WRAP(name)					\
	static bool wrap_##name(void)			\
	{						\
		ktest_##name();				\
		return true;				\
	}						\
	KTEST_REG(name, wrap_##name)

WRAP(pmm_patterns);
WRAP(kmalloc_basic);
WRAP(kmalloc_stress_cpu);
WRAP(vm_layout);
WRAP(slice_kernel);
WRAP(vfs_basic);
WRAP(vfs_devices);
WRAP(cpio_unpack);
WRAP(ipi_all);
WRAP(kmsg_immediate);
WRAP(kmsg_routine);
WRAP(kmsg_pool_exhaustion);
WRAP(percpu_isolation);
WRAP(spinlock_contention);
WRAP(lapic_timer);

/* kmalloc/kfree stress from every online core at once. */
static bool kmalloc_stress_all(void)
{
	ktest_run_on_all_cpus(ktest_kmalloc_stress_cpu);
	return true;
}
KTEST_REG(kmalloc_stress_all_cpus, kmalloc_stress_all);
