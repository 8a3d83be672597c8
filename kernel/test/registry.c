/*
 * Registration of self-tests written as plain functions that panic on
 * failure (the mm and fs suites): each gets a KTEST_REG wrapper here, so a
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
