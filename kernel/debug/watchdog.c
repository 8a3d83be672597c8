/*
 * Soft- and hard-lockup detectors, driven by the timer tick, and the
 * report helpers every detector shares.
 *
 * Soft lockup.  The kernel is not preemptive, so a CPU that runs kernel
 * code without calling schedule() starves whatever waits behind it.
 * schedule(), the idle loop and every return to user mode set a per-CPU
 * flag (touch_softlockup_watchdog); so does a tick that interrupts user
 * mode.  The next tick turns the flag into "last progress" time.  A tick
 * that finds that time older than the soft threshold (2 * watchdog_thresh)
 * reports the CPU, with the backtrace of the code it interrupted, once
 * until the CPU makes progress again.
 *
 * Hard lockup.  A CPU spinning with interrupts off takes no ticks, so it
 * cannot check itself.  This is a buddy detector on NMI IPIs, like Linux's
 * CONFIG_HARDLOCKUP_DETECTOR_BUDDY, rather than performance-counter NMIs,
 * which QEMU TCG does not emulate.  Every CPU counts its ticks; once its
 * timer is armed it joins a ring in which each CPU watches the next one
 * (the last one watches the first, so every watcher is watched too).
 * When the buddy's count has not moved for watchdog_thresh seconds, the
 * watcher reports it and sends it an NMI (the monitor's `bt` mechanism):
 * the NMI gets through interrupts being off, and the stuck CPU prints
 * where it spins.  The watcher must also have taken half the ticks of
 * that time itself, so a pause of every tick (a ktest that borrows the
 * timer, a stopped emulator) is not taken for a lockup; it need not take
 * them all, since an emulator that runs a vCPU late merges its missed
 * ticks.  A single CPU has no buddy, so no hard-lockup detection.
 *
 * Reports (here and in hung_task.c) print a header, the stuck backtrace,
 * every other CPU's backtrace through NMIs and the monitor's `ps`, to the
 * console and the log.  One report runs at a time (a busy detector tries
 * again on its next tick); none while the monitor holds a CPU with
 * interrupts off (watchdog_suspend; afterwards every detector restarts its
 * clocks) or after a panic.  Per-CPU state is written only by its own CPU
 * except `ticks`, which the buddy reads.
 */
#include <kern/watchdog.h>
#include <kern/sched.h>
#include <kern/percpu.h>
#include <kern/smp.h>
#include <kern/time.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/bootinfo.h>
#include <kern/monitor.h>
#include <kern/kdebug.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include "internal.h"

#define NSEC_PER_SEC		1000000000ULL
#define WD_THRESH_MAX		3600	/* seconds; keeps the arithmetic far from overflow */

struct wd_cpu {
	u64 ticks;		/* timer ticks taken (the buddy reads it) */
	bool active;		/* timer armed: part of the hard-lockup ring */
	bool progress;		/* touched since the last tick */
	bool soft_reported;	/* this stall has been reported */
	u64 soft_since_ns;	/* last progress seen by a tick */
	u64 epoch;		/* wd_epoch when the clocks below last restarted */
	int buddy;		/* the CPU this one watches, -1 before the first look */
	u64 buddy_ticks;	/* its tick count when last seen moving */
	u64 buddy_since_ns;	/* when that was */
	u64 stall_ticks;	/* our ticks since then */
	bool hard_reported;	/* the buddy's stall has been reported */
};

static DEFINE_PER_CPU(struct wd_cpu, wd_cpu);

struct watchdog_config wd_config;
struct watchdog_stats wd_stats;

static int wd_suspended;	/* watchdog_suspend depth */
static u64 wd_epoch = 1;	/* bumped by watchdog_resume: restart every clock */
static int wd_reporting;	/* 1 while a report holds the console */

bool wd_quiet(void)
{
	return __atomic_load_n(&wd_suspended, __ATOMIC_ACQUIRE) || READ_ONCE(panicking);
}

bool wd_report_begin(void)
{
	int idle = 0;

	return __atomic_compare_exchange_n(&wd_reporting, &idle, 1, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

void wd_report_end(int skip_cpu)
{
	int me = core_id();
	u64 flags;

	if (!READ_ONCE(wd_config.brief)) {
		for (int c = 0; c < num_cpus; c++) {
			if (c == skip_cpu || !cpu_online[c])
				continue;
			if (c == me) {
				printk("CPU %d backtrace (the reporting CPU):\n", c);
				backtrace();
			} else {
				trigger_single_cpu_backtrace(c);
			}
			touch_nmi_watchdog();
		}
		printk("Task list:\n");
		/* As in the monitor, interrupts off: ps takes the process-table lock without irqsave. */
		flags = local_irq_save();
		monitor_run_command("ps", NULL);
		local_irq_restore(flags);
	}
	printk("watchdog: end of report\n");
	touch_nmi_watchdog();
	wd_report_cancel();
}

void wd_report_cancel(void)
{
	__atomic_store_n(&wd_reporting, 0, __ATOMIC_RELEASE);
}

void touch_softlockup_watchdog(void)
{
	this_cpu_write(wd_cpu.progress, true);
}

void touch_nmi_watchdog(void)
{
	struct wd_cpu *w = this_cpu_ptr(&wd_cpu);

	WRITE_ONCE(w->ticks, w->ticks + 1);
}

void watchdog_suspend(void)
{
	__atomic_add_fetch(&wd_suspended, 1, __ATOMIC_SEQ_CST);
}

void watchdog_resume(void)
{
	/* New epoch first, so a tick that sees the suspension over also restarts its clocks. */
	__atomic_add_fetch(&wd_epoch, 1, __ATOMIC_SEQ_CST);
	__atomic_sub_fetch(&wd_suspended, 1, __ATOMIC_SEQ_CST);
}

/* Forget every stall in progress on this CPU: its clocks start at now. */
static void wd_restart(struct wd_cpu *w, u64 now)
{
	w->epoch = __atomic_load_n(&wd_epoch, __ATOMIC_ACQUIRE);
	w->progress = false;
	w->soft_reported = false;
	w->soft_since_ns = now;
	w->buddy = -1;
}

/* The next CPU after me in CPU-number order whose timer is armed; -1 if none. */
static int next_ticking_cpu(int me)
{
	for (int i = 1; i < num_cpus; i++) {
		int c = (me + i) % num_cpus;

		if (cpu_online[c] && READ_ONCE(per_cpu(wd_cpu, c).active))
			return c;
	}
	return -1;
}

/* Report this CPU, stuck in the code tf interrupted for stuck_ns; panics if asked to. */
static void report_soft_lockup(const struct hw_trapframe *tf, u64 stuck_ns)
{
	struct task *t = current();
	int me = core_id();

	printk("watchdog: BUG: soft lockup - CPU#%d stuck for %llu.%03llus! [%s:%d]\n", me,
	       WD_SEC(stuck_ns), t->name ? t->name : "?", t->tid);
	printk("CPU %d backtrace (kernel mode, rip %llx):\n", me, tf->rip);
	backtrace_from(tf->rip, tf->rbp);
	__atomic_add_fetch(&wd_stats.soft[me], 1, __ATOMIC_RELAXED);
	wd_report_end(me);
	if (READ_ONCE(wd_config.soft_panic))
		panic("softlockup: CPU %d stuck for %llu.%03llu s", me, WD_SEC(stuck_ns));
}

/* Tick: note progress, or report a stall past the soft threshold once. */
static void soft_check(struct wd_cpu *w, const struct hw_trapframe *tf, u64 now)
{
	u64 thresh = READ_ONCE(wd_config.soft_thresh_ns);

	if (tf_from_user(tf) || w->progress) {
		w->progress = false;
		w->soft_reported = false;
		w->soft_since_ns = now;
		return;
	}
	if (!thresh || w->soft_reported || now - w->soft_since_ns <= thresh || !wd_report_begin())
		return;
	w->soft_reported = true;
	report_soft_lockup(tf, now - w->soft_since_ns);
}

/* Report the buddy cpu, without a tick for stuck_ns, from its NMI; panics if asked to. */
static void report_hard_lockup(int cpu, u64 stuck_ns)
{
	printk("watchdog: Watchdog detected hard LOCKUP on cpu %d: no timer interrupt for "
	       "%llu.%03llu s (seen by CPU %d)\n", cpu, WD_SEC(stuck_ns), core_id());
	trigger_single_cpu_backtrace(cpu);
	__atomic_add_fetch(&wd_stats.hard[cpu], 1, __ATOMIC_RELAXED);
	wd_report_end(cpu);
	if (READ_ONCE(wd_config.hard_panic))
		panic("hardlockup: CPU %d has had interrupts off for %llu.%03llu s", cpu,
		      WD_SEC(stuck_ns));
}

/* Tick: follow the buddy's tick count; report it once when it stopped past the threshold. */
static void hard_check(struct wd_cpu *w, u64 now)
{
	u64 thresh = READ_ONCE(wd_config.hard_thresh_ns), seen;
	int b = next_ticking_cpu(core_id());

	if (b < 0)
		return;
	seen = READ_ONCE(per_cpu(wd_cpu, b).ticks);
	if (b != w->buddy || seen != w->buddy_ticks) {
		w->buddy = b;
		w->buddy_ticks = seen;
		w->buddy_since_ns = now;
		w->stall_ticks = 0;
		w->hard_reported = false;
		return;
	}
	w->stall_ticks++;
	if (!thresh || now - w->buddy_since_ns < thresh || w->hard_reported ||
	    w->stall_ticks < thresh / SCHED_TICK_NS / 2 || !wd_report_begin())
		return;
	w->hard_reported = true;
	report_hard_lockup(b, now - w->buddy_since_ns);
}

void watchdog_cpu_start(void)
{
	WRITE_ONCE(this_cpu_ptr(&wd_cpu)->active, true);
}

void watchdog_tick(const struct hw_trapframe *tf)
{
	struct wd_cpu *w = this_cpu_ptr(&wd_cpu);
	u64 now;

	WRITE_ONCE(w->ticks, w->ticks + 1);
	if (!READ_ONCE(wd_config.soft_thresh_ns) && !READ_ONCE(wd_config.hard_thresh_ns))
		return;
	now = nsec_since_boot();
	if (wd_quiet() || w->epoch != __atomic_load_n(&wd_epoch, __ATOMIC_ACQUIRE)) {
		wd_restart(w, now);
		return;
	}
	soft_check(w, tf, now);
	hard_check(w, now);
}

/* A boolean option: the bare word, or word=1 (word=0 is off). */
static bool cmdline_flag(const char *key)
{
	char v[8];

	if (cmdline_get(key, v, sizeof(v)))
		return strcmp(v, "0") != 0;
	return cmdline_has(key);
}

/* Seconds from key=N, capped at WD_THRESH_MAX; 0 if absent. */
static u64 cmdline_secs(const char *key)
{
	char v[16];

	if (!cmdline_get(key, v, sizeof(v)))
		return 0;
	return MIN(strtoul(v, NULL, 10), WD_THRESH_MAX);
}

void watchdog_init(void)
{
	u64 thresh = cmdline_has("nowatchdog") ? 0 : cmdline_secs("watchdog_thresh");
	u64 hung = cmdline_secs("hung_task_timeout_secs");

	wd_config.soft_panic = cmdline_flag("softlockup_panic");
	wd_config.hard_panic = cmdline_flag("hardlockup_panic");
	wd_config.hung_panic = cmdline_flag("hung_task_panic");
	wd_config.hung_timeout_ns = hung * NSEC_PER_SEC;
	wd_config.hung_scan_ns = MIN(wd_config.hung_timeout_ns / 2, NSEC_PER_SEC);
	WRITE_ONCE(wd_config.hard_thresh_ns, thresh * NSEC_PER_SEC);
	WRITE_ONCE(wd_config.soft_thresh_ns, 2 * thresh * NSEC_PER_SEC);
	__atomic_add_fetch(&wd_epoch, 1, __ATOMIC_SEQ_CST);	/* clocks start now */
	if (thresh)
		printk("watchdog: soft lockup after %llu s, hard lockup after %llu s%s\n",
		       2 * thresh, thresh, num_cpus < 2 ? " (needs 2 CPUs: off)" : "");
	if (hung)
		printk("watchdog: hung tasks after %llu s uninterruptible\n", hung);
	hung_task_init();
}
