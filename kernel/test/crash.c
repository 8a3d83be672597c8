/*
 * Deliberate crashes for the host-driven exception tests: booting with
 * crash=pf|gp|ud|de|panic|df makes the kernel fault that way after
 * initialisation, so tests can check the register dump, the symbolized
 * backtrace and the exit status (boot them with panic=exit).
 */
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/bootinfo.h>
#include <kern/compiler.h>
#include <kern/ktest.h>

static void __attribute__((noinline)) crash_page_fault(void)
{
	*(volatile u64 *)0x7fff00000000ULL = 1;	/* user half: never mapped in the kernel */
}

static void __attribute__((noinline)) crash_gp(void)
{
	/* A non-canonical address raises #GP. */
	*(volatile u64 *)0x8000000000000000ULL = 1;
}

/* Unbounded recursion through the guard-less boot stack ends in #DF or #PF. */
static int __attribute__((noinline)) crash_recurse(volatile int depth)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	if (depth < 0)		/* never true; hides the recursion from -Winfinite-recursion */
		return 0;
	return crash_recurse(depth + 1) + pad[0];
}

void crash_if_asked(void)
{
	char how[16];
	int zero = 0;

	if (!cmdline_get("crash", how, sizeof(how)))
		return;
	printk("crash: deliberately crashing (%s)\n", how);
	if (!strcmp(how, "pf"))
		crash_page_fault();
	else if (!strcmp(how, "gp"))
		crash_gp();
	else if (!strcmp(how, "ud"))
		__asm__ __volatile__("ud2");
	else if (!strcmp(how, "de"))
		__asm__ __volatile__("divl %0" : : "r"(zero), "a"(1), "d"(0));
	else if (!strcmp(how, "panic"))
		panic("crash test panic %d", 42);
	else if (!strcmp(how, "stack"))
		crash_recurse(0);
	else if (!strcmp(how, "df"))
		/* A fault with an unusable stack: the #PF frame cannot be pushed, so #DF (IST). */
		__asm__ __volatile__("movq $0x7fff00000000, %%rsp; pushq $0" ::: "memory");
	else
		printk("crash: unknown kind '%s'\n", how);
}
