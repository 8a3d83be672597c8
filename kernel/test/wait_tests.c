/*
 * Self-tests of the sleep/wake protocols across CPUs.
 *
 * poll_wakeup_pingpong: a kernel thread on another CPU waits for a flag
 * the way poll does (sample poll_seq, check, poll_sleep until the counter
 * moves), while this CPU sets the flag and calls poll_wake, many times.
 * Each of the thread's sleeps has a deadline, so a lost wakeup does not
 * hang the test: a sleep that runs to its deadline although the flag was
 * posted (and poll_wake called) half a sleep earlier is a wakeup that was
 * lost, and the test fails at the first one.
 */
#include <kern/ktest.h>
#include <kern/poll.h>
#include <kern/sched.h>
#include <kern/smp.h>
#include <kern/time.h>
#include <kern/printk.h>
#include <kern/errno.h>
#include <kern/watchdog.h>
#include <arch/x86.h>
#include "internal.h"

#define PW_ROUNDS	3000
#define PW_SLEEP_NS	(1000ull * 1000 * 1000)	/* a poller's timed sleep */

static volatile int pw_flag;	/* 1: a round is posted, the poller clears it */
static volatile int pw_rounds;	/* rounds the poller saw */
static volatile int pw_lost;	/* sleeps that outlived a post by half their length */
static volatile u64 pw_post_ns;	/* when the last round was posted */
static volatile int pw_exited;

/* The poller: consume PW_ROUNDS posts, sleeping in poll_sleep between them; stop at the first lost wakeup. */
static void pw_poller(void *arg)
{
	(void)arg;
	while (READ_ONCE(pw_rounds) < PW_ROUNDS && !READ_ONCE(pw_lost)) {
		u64 seq = poll_seq(), deadline;

		if (READ_ONCE(pw_flag)) {
			WRITE_ONCE(pw_flag, 0);
			WRITE_ONCE(pw_rounds, pw_rounds + 1);
			continue;
		}
		deadline = nsec_since_boot() + PW_SLEEP_NS;
		poll_sleep(seq, deadline);
		if (nsec_since_boot() >= deadline && READ_ONCE(pw_flag) &&
		    READ_ONCE(pw_post_ns) + PW_SLEEP_NS / 2 < deadline)
			WRITE_ONCE(pw_lost, pw_lost + 1);
	}
	WRITE_ONCE(pw_exited, 1);
}

/* Post a round once the last one was taken; false if the poller stopped or stalled. */
static bool pw_post(void)
{
	u64 deadline = nsec_since_boot() + 10ull * PW_SLEEP_NS;

	while (READ_ONCE(pw_flag)) {
		if (READ_ONCE(pw_exited) || nsec_since_boot() > deadline)
			return false;
		touch_softlockup_watchdog();
		cpu_relax();
	}
	WRITE_ONCE(pw_post_ns, nsec_since_boot());
	WRITE_ONCE(pw_flag, 1);
	poll_wake();
	return true;
}

static bool poll_wakeup_pingpong(void)
{
	int me = core_id(), other = -1;
	struct task *t;
	u64 t0;

	for (int c = 0; c < MAX_CPUS && other < 0; c++)
		if (c != me && cpu_online[c])
			other = c;
	if (other < 0) {
		printk("  (one CPU: skipped, the race needs two)\n");
		return true;
	}
	pw_flag = pw_rounds = pw_lost = pw_exited = 0;
	t = kthread_create(pw_poller, NULL, "ktest_poller");
	KT_ASSERT(t != NULL);
	KT_ASSERT(sched_set_affinity(t, 1ull << other) == 0);
	task_wakeup(t);
	t0 = nsec_since_boot();
	for (int i = 0; i < PW_ROUNDS && pw_post(); i++)
		;
	while (!READ_ONCE(pw_exited)) {
		touch_softlockup_watchdog();
		cpu_relax();
	}
	printk("  %d rounds across CPUs %d and %d in %llu ms, %d lost wakeups\n", pw_rounds,
	       me, other, (nsec_since_boot() - t0) / 1000000, pw_lost);
	KT_ASSERT_MSG(pw_lost == 0, "a poll wakeup was lost after %d rounds", pw_rounds);
	KT_ASSERT_MSG(pw_rounds == PW_ROUNDS, "the poller took %d of %d rounds", pw_rounds, PW_ROUNDS);
	return true;
}
KTEST_REG(poll_wakeup_pingpong, poll_wakeup_pingpong);
