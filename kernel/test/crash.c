/*
 * Deliberate crashes for the host-driven exception tests: booting with
 * crash=pf|gp|ud|de|panic|df makes the kernel fault that way after
 * initialisation, so tests can check the register dump, the symbolized
 * backtrace and the exit status (boot them with panic=exit).  The lockup
 * detectors' cases hang instead: crash=softlockup spins with interrupts
 * on, crash=hardlockup with interrupts off (both on the BSP, so init never
 * starts), crash=hungtask blocks a kernel thread forever in an
 * uninterruptible wait and lets the boot go on.
 */
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/bootinfo.h>
#include <kern/compiler.h>
#include <kern/sched.h>
#include <kern/wait.h>
#include <arch/x86.h>
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

/* Spin with interrupts on and never schedule: a soft lockup. */
static void __attribute__((noinline)) crash_soft_lockup(void)
{
	sti();		/* kmain runs with interrupts off */
	for (;;)
		cpu_relax();
}

/* Spin with interrupts off: a hard lockup, visible only through an NMI. */
static void __attribute__((noinline)) crash_hard_lockup(void)
{
	cli();
	for (;;)
		cpu_relax();
}

static struct wait_queue crash_wq;

static bool never(void *arg)
{
	(void)arg;
	return false;
}

/* Kernel thread body: block uninterruptibly on a queue nobody wakes. */
static void __attribute__((noinline)) crash_hung_task(void *arg)
{
	(void)arg;
	wait_event_uninterruptible(&crash_wq, never, NULL);
}

/* Start the kernel thread of crash=hungtask; the caller goes on booting. */
static void crash_start_hung_task(void)
{
	struct task *t;

	wait_queue_init(&crash_wq, "crash_wq");
	t = kthread_create(crash_hung_task, NULL, "crash_hung_task");
	if (!t) {
		printk("crash: no memory for the hung task\n");
		return;
	}
	task_wakeup(t);
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
	else if (!strcmp(how, "softlockup"))
		crash_soft_lockup();
	else if (!strcmp(how, "hardlockup"))
		crash_hard_lockup();
	else if (!strcmp(how, "hungtask"))
		crash_start_hung_task();
	else
		printk("crash: unknown kind '%s'\n", how);
}
