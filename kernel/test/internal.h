/*
 * What the files of kernel/test share: the self-tests written as plain
 * functions that panic on failure (mm_tests.c, fs_tests.c, smp_tests.c),
 * which registry.c wraps into KTEST_REG entries, and the helper that runs
 * a test on every CPU at once.
 */
#ifndef KERNEL_TEST_INTERNAL_H
#define KERNEL_TEST_INTERNAL_H

/* mm_tests.c */
void ktest_pmm_patterns(void);
void ktest_kmalloc_basic(void);
/* One CPU's share of the kmalloc stress (run on all CPUs by kmalloc_stress_all_cpus). */
void ktest_kmalloc_stress_cpu(void);
void ktest_vm_layout(void);
void ktest_slice_kernel(void);

/* fs_tests.c */
void ktest_vfs_basic(void);
void ktest_vfs_devices(void);
void ktest_cpio_unpack(void);

/* smp_tests.c */
/* Run fn on every online CPU at once and wait for all; panics on timeout. */
void ktest_run_on_all_cpus(void (*fn)(void));
void ktest_ipi_all(void);
void ktest_kmsg_immediate(void);
void ktest_kmsg_routine(void);
void ktest_kmsg_pool_exhaustion(void);
void ktest_percpu_isolation(void);
void ktest_spinlock_contention(void);
void ktest_lapic_timer(void);

#endif
