/*
 * Asynchronous system calls: a uthread that makes a call that would
 * block gives up only itself, not its vcore (SYS_mcp_async, abi/mcp.h,
 * docs/mcp.md).
 *
 * A call lives in one of MCP_ASYNC_MAX static slots (the kernel writes
 * result and flags into the slot's struct mcp_syscall, so it must stay
 * valid until the call is done, whatever happens to the uthread's
 * stack).  The kernel either finishes the call at once (it would not
 * block) or returns MCP_ASYNC_INPROGRESS; then the uthread switches out
 * and the MCP_EV_SYSCALL event (arg: the slot's struct) makes it runnable
 * again.  Events that found a full mailbox are lost (counted in
 * mbox_overflow): a vcore that sees the count move, and an idle vcore
 * before it naps, scans every slot for finished calls.
 *
 * Slot state (one word): a generation in the high bits, and FREE,
 * SUBMITTED (the call is in the kernel), PARKED (the uthread is off its
 * stack, waiting) or WOKEN (done; the uthread runs or will).  The
 * uthread's switch-out callback moves SUBMITTED to PARKED, a completion
 * (event or scan) SUBMITTED or PARKED to WOKEN once the kernel set
 * MCP_SC_DONE; whoever of the two comes second makes the uthread
 * runnable, so exactly one does.  The generation makes a late event for
 * a slot already reused fail its compare-and-swap.
 *
 * The glibc functions read, write, readv, writev, nanosleep,
 * clock_nanosleep, usleep, wait4 and waitpid are replaced by wrappers
 * that go through async_syscall: in a uthread of an MCP they block the
 * uthread only; anywhere else (before parlib_init, in vcore context, in a
 * uthread that turned notifications off) they are the plain system call,
 * and they never change the notification state.  glibc's own internal calls (stdio's
 * writes) are not affected.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <linux/futex.h>
#include "internal.h"

enum { SLOT_FREE, SLOT_SUBMITTED, SLOT_PARKED, SLOT_WOKEN };
#define SLOT_STATE(w)	((w) & 3u)
#define SLOT_GEN(w)	((w) & ~3u)

struct async_slot {
	struct mcp_syscall sc;		/* the kernel's: result and flags */
	struct uthread *ut;
	uint32_t state;			/* generation | SLOT_* (atomic) */
} __attribute__((aligned(64)));

int __parlib_mcp;
static struct async_slot slots[MCP_ASYNC_MAX];
static int free_slots[MCP_ASYNC_MAX];
static int nr_free = -1;		/* -1: not set up yet */
static volatile int slot_lock;		/* free_slots, nr_free */
static int in_flight;			/* atomic: slots handed to the kernel */
static struct parlib_async_stats stats;	/* atomic counters */

/* A free slot, or NULL when all MCP_ASYNC_MAX are in use. */
static struct async_slot *slot_get(void)
{
	struct async_slot *s = NULL;
	int vc = spin_lock_notif(&slot_lock);

	if (nr_free < 0) {
		for (int i = 0; i < MCP_ASYNC_MAX; i++)
			free_slots[i] = MCP_ASYNC_MAX - 1 - i;
		nr_free = MCP_ASYNC_MAX;
	}
	if (nr_free > 0)
		s = &slots[free_slots[--nr_free]];
	spin_unlock_notif(&slot_lock, vc);
	return s;
}

static void slot_put(struct async_slot *s)
{
	int vc;

	__atomic_store_n(&s->state, SLOT_GEN(s->state) | SLOT_FREE, __ATOMIC_RELEASE);
	vc = spin_lock_notif(&slot_lock);
	free_slots[nr_free++] = (int)(s - slots);
	spin_unlock_notif(&slot_lock, vc);
}

/* Switch-out callback: the uthread is off its stack; park it unless the call is already done. */
static void async_block_cb(struct uthread *ut, void *arg)
{
	struct async_slot *s = arg;
	uint32_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);

	ut->state = UT_BLOCKED;
	dbg_update(ut, MCP_DBG_UT_BLOCKED, ut->vcoreid);
	if (SLOT_STATE(st) != SLOT_SUBMITTED ||
	    !__atomic_compare_exchange_n(&s->state, &st, SLOT_GEN(st) | SLOT_PARKED, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		uthread_runnable(ut);	/* completed meanwhile (WOKEN) */
}

/* Vcore context: if s's call is done, wake its uthread (once). */
static void slot_complete(struct async_slot *s)
{
	for (;;) {
		uint32_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
		uint32_t k = SLOT_STATE(st);

		if (k != SLOT_SUBMITTED && k != SLOT_PARKED)
			return;
		if (!(__atomic_load_n(&s->sc.flags, __ATOMIC_ACQUIRE) & MCP_SC_DONE))
			return;
		if (!__atomic_compare_exchange_n(&s->state, &st, SLOT_GEN(st) | SLOT_WOKEN, false,
						 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			continue;
		if (k == SLOT_PARKED)
			uthread_runnable(s->ut);
		return;
	}
}

void parlib_async_event(uint64_t arg)
{
	uint64_t base = (uint64_t)slots;

	if (arg < base || arg >= base + sizeof(slots) || (arg - base) % sizeof(slots[0]))
		return;
	slot_complete(&slots[(arg - base) / sizeof(slots[0])]);
}

void parlib_async_scan(void)
{
	if (!__atomic_load_n(&in_flight, __ATOMIC_ACQUIRE))
		return;
	for (int i = 0; i < MCP_ASYNC_MAX; i++)
		slot_complete(&slots[i]);
}

int parlib_async_in_flight(void)
{
	return __atomic_load_n(&in_flight, __ATOMIC_ACQUIRE);
}

void parlib_async_stats(struct parlib_async_stats *out)
{
	out->sync = __atomic_load_n(&stats.sync, __ATOMIC_RELAXED);
	out->async = __atomic_load_n(&stats.async, __ATOMIC_RELAXED);
	out->plain = __atomic_load_n(&stats.plain, __ATOMIC_RELAXED);
}

long async_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct uthread *ut = __parlib_mcp ? uthread_self() : NULL;
	struct async_slot *s = NULL;
	uint32_t gen;
	long r;
	int vc;

	/*
	 * Only a uthread that may switch out waits for the event.  In vcore
	 * context, or with notifications off (turned off by the caller: a
	 * critical section, or a 2LS that stopped listening), the switch
	 * would turn them back on and the completion needs events: block the
	 * vcore with the plain call instead.
	 */
	if (ut && !notifs_off_here(&vc))
		s = slot_get();
	if (!s)
		goto plain;
	s->sc.num = (uint64_t)nr;
	s->sc.args[0] = (uint64_t)a0;
	s->sc.args[1] = (uint64_t)a1;
	s->sc.args[2] = (uint64_t)a2;
	s->sc.args[3] = (uint64_t)a3;
	s->sc.args[4] = (uint64_t)a4;
	s->sc.args[5] = (uint64_t)a5;
	s->sc.result = 0;
	s->sc.flags = 0;
	s->sc.cookie = (uint64_t)ut;
	s->ut = ut;
	gen = SLOT_GEN(s->state) + 4;
	__atomic_store_n(&s->state, gen | SLOT_SUBMITTED, __ATOMIC_RELEASE);
	r = syscall1(SYS_mcp_async, (long)&s->sc);
	if (r == MCP_ASYNC_INPROGRESS) {
		__atomic_fetch_add(&stats.async, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&in_flight, 1, __ATOMIC_ACQ_REL);
		uthread_switch_out(async_block_cb, s);
		__atomic_fetch_sub(&in_flight, 1, __ATOMIC_ACQ_REL);
	} else if (r == 0) {
		__atomic_fetch_add(&stats.sync, 1, __ATOMIC_RELAXED);
	} else {
		slot_put(s);	/* -EAGAIN (too many in flight), -ENOMEM: block the vcore instead */
		goto plain;
	}
	r = (long)s->sc.result;
	slot_put(s);
	return r;
plain:
	__atomic_fetch_add(&stats.plain, 1, __ATOMIC_RELAXED);
	return syscall6(nr, a0, a1, a2, a3, a4, a5);
}

int uth_futex_wait(volatile uint32_t *addr, uint32_t val, const struct timespec *timeout)
{
	return (int)async_syscall(SYS_futex, (long)addr, FUTEX_WAIT_PRIVATE, val, (long)timeout,
				  0, 0);
}

/* errno convention of the glibc wrappers */
static long set_errno(long r)
{
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

ssize_t read(int fd, void *buf, size_t n)
{
	return set_errno(async_syscall(SYS_read, fd, (long)buf, (long)n, 0, 0, 0));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return set_errno(async_syscall(SYS_write, fd, (long)buf, (long)n, 0, 0, 0));
}

ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
	return set_errno(async_syscall(SYS_readv, fd, (long)iov, cnt, 0, 0, 0));
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	return set_errno(async_syscall(SYS_writev, fd, (long)iov, cnt, 0, 0, 0));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)set_errno(async_syscall(SYS_nanosleep, (long)req, (long)rem, 0, 0, 0, 0));
}

int clock_nanosleep(clockid_t id, int flags, const struct timespec *req, struct timespec *rem)
{
	/* returns the error number itself, as glibc's */
	return (int)-async_syscall(SYS_clock_nanosleep, id, flags, (long)req, (long)rem, 0, 0);
}

int usleep(useconds_t us)
{
	struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000 };

	return nanosleep(&ts, NULL);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	return (pid_t)set_errno(async_syscall(SYS_wait4, pid, (long)status, options, (long)ru,
					      0, 0));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}
