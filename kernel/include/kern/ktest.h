/*
 * In-kernel self-tests (ktests).  A test is a function returning true on
 * success, registered with KTEST_REG(name, fn) into the .ktests linker
 * section; KT_ASSERT(cond) fails the current test with its location.
 * ktest_run_all() runs every test (or those named on the command line:
 * ktest=name,name) when the kernel is booted with `ktest`, prints one line
 * per test and a final "ktest: N passed, N failed", and exits QEMU through
 * isa-debug-exit with status 0 (all passed) or 1, so the host harness can
 * tell.  Tests may run before any process exists, on the BSP.
 */
#ifndef KERN_KTEST_H
#define KERN_KTEST_H

#include <kern/compiler.h>
#include <kern/printk.h>
#include <kern/reboot.h>

struct ktest {
	const char *name;
	bool (*fn)(void);
};

#define KTEST_REG(n, f)							\
	static const struct ktest __ktest_##n __used			\
		__section(".ktests") __aligned(8) = { #n, f }

#define KT_ASSERT(cond)							\
	do {								\
		if (unlikely(!(cond))) {				\
			printk("  assertion failed at %s:%d: %s\n",	\
			       __FILE__, __LINE__, #cond);		\
			return false;					\
		}							\
	} while (0)

#define KT_ASSERT_MSG(cond, ...)					\
	do {								\
		if (unlikely(!(cond))) {				\
			printk("  assertion failed at %s:%d: %s: ",	\
			       __FILE__, __LINE__, #cond);		\
			printk(__VA_ARGS__);				\
			printk("\n");					\
			return false;					\
		}							\
	} while (0)

/* Run the selected ktests; returns the number that failed. */
int ktest_run_all(const char *only);

/* The KTEST_REG table (kernel.ld collects the .ktests section). */
extern const struct ktest __ktest_start[], __ktest_end[];

/* Boot option crash=pf|gp|ud|de|panic|df: fault that way now (test/crash.c); else return. */
void crash_if_asked(void);

#endif
