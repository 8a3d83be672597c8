/*
 * ktests of the lockup detectors.  Each test lowers a threshold to a
 * fraction of a second in brief mode (header and stuck backtrace only),
 * makes the BSP (or a kernel thread) stall on purpose, and checks the
 * report counters: one report per stall, a new one only after the stall
 * cleared, none while the watchdog is suspended.  The configuration from
 * the command line is put back afterwards, so the tests also pass in
 * boots that run with the detectors on.
 */
#include <kern/ktest.h>
#include <kern/watchdog.h>
#include <kern/sched.h>
#include <kern/smp.h>
#include <kern/time.h>
#include <kern/wait.h>
#include <arch/x86.h>
#include "internal.h"

#define MS	1000000ULL

/* Save the configuration and switch to brief reports without panics. */
static struct watchdog_config wd_test_begin(void)
{
	struct watchdog_config saved = wd_config;

	wd_config.brief = true;
	wd_config.soft_panic = wd_config.hard_panic = wd_config.hung_panic = false;
	return saved;
}

/* Spin for ms milliseconds with interrupts on (ticks run, nothing schedules). */
static void spin_irqs_on(u64 ms)
{
	sti();
	udelay(ms * 1000);
}

/*
 * Spin (interrupts as they are) until *count reaches want; returns the
 * milliseconds it took, or -1 after 5 s (reports come from ticks, which a
 * loaded emulator may deliver late, so the tests wait for them).
 */
static s64 spin_until_count(const u64 *count, u64 want)
{
	u64 t0 = nsec_since_boot();

	while (__atomic_load_n(count, __ATOMIC_RELAXED) < want) {
		if (nsec_since_boot() - t0 > 5000 * MS)
			return -1;
		cpu_relax();
	}
	return (nsec_since_boot() - t0) / MS;
}

/* Let this CPU's next tick see progress, then put the configuration back. */
static void wd_test_end(struct watchdog_config saved, u64 irq_flags)
{
	touch_softlockup_watchdog();
	spin_irqs_on(3 * SCHED_TICK_NS / MS);
	wd_config = saved;
	local_irq_restore(irq_flags);
}

/* Soft lockups reported on this CPU so far. */
static u64 soft_reports(void)
{
	return __atomic_load_n(&wd_stats.soft[core_id()], __ATOMIC_RELAXED);
}

/*
 * A stall past a 200 ms threshold is reported, not before 200 ms, and only
 * once however long it lasts; after progress, a new stall is reported again.
 */
static bool soft_lockup_body(void)
{
	const u64 *count = &wd_stats.soft[core_id()];
	u64 before;
	s64 ms;

	touch_softlockup_watchdog();
	spin_irqs_on(20);
	before = soft_reports();
	WRITE_ONCE(wd_config.soft_thresh_ns, 200 * MS);
	touch_softlockup_watchdog();
	ms = spin_until_count(count, before + 1);
	KT_ASSERT_MSG(ms >= 200, "reported after %lld ms", (long long)ms);
	spin_irqs_on(600);
	KT_ASSERT_MSG(soft_reports() == before + 1, "%llu reports", soft_reports() - before);
	touch_softlockup_watchdog();
	ms = spin_until_count(count, before + 2);
	KT_ASSERT_MSG(ms >= 200, "second report after %lld ms", (long long)ms);
	return true;
}

/* ktest: false if a soft stall is not reported exactly once. */
static bool ktest_watchdog_soft_lockup(void)
{
	u64 flags = local_irq_save();
	struct watchdog_config saved = wd_test_begin();
	bool ok = soft_lockup_body();

	wd_test_end(saved, flags);
	return ok;
}
KTEST_REG(watchdog_soft_lockup, ktest_watchdog_soft_lockup);

/* Hard lockups of this CPU reported by its buddy so far. */
static u64 hard_reports(void)
{
	return __atomic_load_n(&wd_stats.hard[core_id()], __ATOMIC_RELAXED);
}

/*
 * Interrupts off past a 200 ms threshold: the buddy reports it, not before
 * 200 ms, and only once however long it lasts; a new stall after some
 * ticks is reported again.  The buddy times a stall from when it last saw
 * this CPU's tick count move, which can be up to one tick period before
 * the cli() here: so "not before" allows that much (a report 198 ms after
 * cli() was seen, with 4 ms ticks).
 */
static bool hard_lockup_body(void)
{
	const u64 *count = &wd_stats.hard[core_id()];
	u64 before = hard_reports();
	s64 ms;

	WRITE_ONCE(wd_config.soft_thresh_ns, 0);
	WRITE_ONCE(wd_config.hard_thresh_ns, 200 * MS);
	spin_irqs_on(50);
	cli();
	ms = spin_until_count(count, before + 1);
	KT_ASSERT_MSG(ms >= 200 - (s64)(SCHED_TICK_NS / MS), "reported after %lld ms", (long long)ms);
	udelay(600 * 1000);
	KT_ASSERT_MSG(hard_reports() == before + 1, "%llu reports", hard_reports() - before);
	spin_irqs_on(100);
	cli();
	ms = spin_until_count(count, before + 2);
	KT_ASSERT_MSG(ms >= 200 - (s64)(SCHED_TICK_NS / MS), "second report after %lld ms",
		      (long long)ms);
	return true;
}

/* ktest: false if an interrupts-off stall is not reported exactly once (needs 2 CPUs). */
static bool ktest_watchdog_hard_lockup(void)
{
	u64 flags;
	struct watchdog_config saved;
	bool ok;

	if (num_online_cpus() < 2) {
		printk("  one CPU: no buddy to detect a hard lockup, nothing to test\n");
		return true;
	}
	flags = local_irq_save();
	saved = wd_test_begin();
	ok = hard_lockup_body();
	wd_test_end(saved, flags);
	return ok;
}
KTEST_REG(watchdog_hard_lockup, ktest_watchdog_hard_lockup);

/* Suspended, a 500 ms stall past a 200 ms threshold is not reported, nor after resuming. */
static bool suspend_body(void)
{
	u64 before = soft_reports();

	touch_softlockup_watchdog();
	spin_irqs_on(20);
	watchdog_suspend();
	WRITE_ONCE(wd_config.soft_thresh_ns, 200 * MS);
	spin_irqs_on(500);
	watchdog_resume();
	spin_irqs_on(100);
	KT_ASSERT_MSG(soft_reports() == before, "%llu reports", soft_reports() - before);
	return true;
}

/* ktest: false if a stall while suspended is reported. */
static bool ktest_watchdog_suspend(void)
{
	u64 flags = local_irq_save();
	struct watchdog_config saved = wd_test_begin();
	bool ok = suspend_body();

	wd_test_end(saved, flags);
	return ok;
}
KTEST_REG(watchdog_suspend, ktest_watchdog_suspend);

static struct wait_queue hung_wq;
static bool hung_release;
static bool hung_done;

/* Wait condition of the sleeper: the test let it go. */
static bool hung_released(void *arg)
{
	(void)arg;
	return READ_ONCE(hung_release);
}

/* Kernel thread: one uninterruptible wait, then note that it ended. */
static void hung_sleeper(void *arg)
{
	(void)arg;
	wait_event_uninterruptible(&hung_wq, hung_released, NULL);
	WRITE_ONCE(hung_done, true);
}

/* Let other tasks run (on one CPU only our schedule() runs them) until done(t); false after 1 s. */
static bool run_others_until(bool (*done)(struct task *t), struct task *t)
{
	u64 t0 = nsec_since_boot();

	while (!done(t)) {
		if (nsec_since_boot() - t0 > 1000 * MS)
			return false;
		schedule();
	}
	return true;
}

/* t sleeps uninterruptibly. */
static bool is_blocked(struct task *t)
{
	return READ_ONCE(t->state) == TASK_UNINTERRUPTIBLE;
}

/* The sleeper's wait is over. */
static bool has_finished(struct task *t)
{
	(void)t;
	return READ_ONCE(hung_done);
}

/* A thread blocked past a 300 ms timeout is reported, not before, once; it leaves when woken. */
static bool hung_task_body(void)
{
	struct task *t;
	u64 before = READ_ONCE(wd_stats.hung), t0;
	int n;

	wait_queue_init(&hung_wq, "ktest_hung");
	hung_release = hung_done = false;
	WRITE_ONCE(wd_config.hung_timeout_ns, 300 * MS);
	t = kthread_create(hung_sleeper, NULL, "ktest_hung_sleeper");
	KT_ASSERT(t);
	t0 = nsec_since_boot();		/* its wait starts later */
	task_wakeup(t);
	KT_ASSERT(run_others_until(is_blocked, t));
	n = hung_task_scan();
	KT_ASSERT(n == 0 || nsec_since_boot() - t0 >= 300 * MS);
	/* khungtaskd (when the command line started it) may be the one to report it. */
	while (READ_ONCE(wd_stats.hung) == before && nsec_since_boot() - t0 < 5000 * MS) {
		spin_irqs_on(10);
		hung_task_scan();
	}
	KT_ASSERT_MSG(READ_ONCE(wd_stats.hung) == before + 1, "%llu reports",
		      READ_ONCE(wd_stats.hung) - before);
	spin_irqs_on(400);
	KT_ASSERT(hung_task_scan() == 0);
	WRITE_ONCE(hung_release, true);
	wake_up(&hung_wq);
	KT_ASSERT(run_others_until(has_finished, t));
	return true;
}

/* Wake the sleeper if a failed assertion left it blocked. */
static void hung_task_cleanup(void)
{
	WRITE_ONCE(hung_release, true);
	wake_up(&hung_wq);
}

/* ktest: false if a blocked thread is not reported exactly once or does not wake. */
static bool ktest_watchdog_hung_task(void)
{
	u64 flags = local_irq_save();
	struct watchdog_config saved = wd_test_begin();
	bool ok = hung_task_body();

	hung_task_cleanup();
	wd_test_end(saved, flags);
	return ok;
}
KTEST_REG(watchdog_hung_task, ktest_watchdog_hung_task);
