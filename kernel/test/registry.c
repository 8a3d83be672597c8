/*
 * Registration of self-tests written as plain functions that panic on
 * failure (the mm, fs and SMP suites): each gets a KTEST_REG wrapper here, so a
 * failure still ends the run with a panic report (ktest boots use
 * panic=exit semantics) and success counts as a pass.
 */
#include <kern/ktest.h>

void ktest_pmm_patterns(void);
void ktest_kmalloc_basic(void);
void ktest_kmalloc_stress_cpu(void);
void ktest_vm_layout(void);
void ktest_slice_kernel(void);
void ktest_vfs_basic(void);
void ktest_vfs_devices(void);
void ktest_cpio_unpack(void);
void ktest_run_on_all_cpus(void (*fn)(void));
void ktest_ipi_all(void);
void ktest_kmsg_immediate(void);
void ktest_kmsg_routine(void);
void ktest_kmsg_pool_exhaustion(void);
void ktest_percpu_isolation(void);
void ktest_spinlock_contention(void);
void ktest_lapic_timer(void);

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
