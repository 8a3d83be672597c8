/*
 * parlib: vcores, uthreads and the default second-level scheduler (2LS)
 * for many-core processes (docs/mcp.md).  A static library linked into
 * ordinary static glibc programs built with the host gcc.
 *
 * parlib_init(n) turns the calling single-threaded program into an MCP
 * whose main thread continues as uthread 0, asks for n vcores, and
 * returns.  From then on: uthread_create/join/yield/sleep/exit, and
 * mutexes, condition variables, semaphores and barriers that block
 * uthreads, not vcores.  Each uthread has its own glibc TLS (errno,
 * malloc caches, stdio locks), so printf and malloc work in uthreads.
 * System calls that would block (read/write on pipes and terminals,
 * sleeps, futex waits, wait4) block only the calling uthread: they go
 * through SYS_mcp_async (async_syscall; parlib's read, write, readv,
 * writev, nanosleep, clock_nanosleep, usleep, wait4 and waitpid replace
 * glibc's), and the vcore runs other uthreads until the call is done.
 */
#ifndef PARLIB_H
#define PARLIB_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "syscall.h"
#include <abi/mcp.h>
#include <abi/mcp_dbg.h>

#define __procinfo	((volatile struct mcp_procinfo *)MCP_PROCINFO_ADDR)
#define __procdata	((volatile struct mcp_procdata *)MCP_PROCDATA_ADDR)

struct uthread;

/* Become an MCP with nvcores vcores wanted; 0 or -errno (nothing changed then). */
int parlib_init(int nvcores);

/* Vcores */
/* The vcore the caller runs on (a uthread may move between vcores). */
int vcore_id(void);
/* Vcores now holding a core. */
int num_vcores(void);
/* Largest vcore count the kernel may grant. */
int max_vcores(void);
/* Want n vcores in total (res_req_vcores) and ask the kernel; vcores online or -errno. */
int vcore_request_total(int n);
/* Vcore context only: give the core back; -errno if the kernel keeps us (then we go on). */
int vcore_yield(bool nice);
/* Notifications of the calling vcore (vcore context is entered with them off). */
void disable_notifs(int vcoreid);
void enable_notifs(int vcoreid);
/* Post a user event to a vcore (handled by the hook below); 0 or -errno. */
int vcore_notify(int vcoreid, uint64_t arg);
/* Called in vcore context for each MCP_EV_USER event. */
extern void (*parlib_user_event_handler)(int vcoreid, const struct mcp_event *ev);

/* uthreads */
/* A new runnable uthread running fn(arg); NULL when memory is short. */
struct uthread *uthread_create(void *(*fn)(void *), void *arg, const char *name);
/* Wait for ut to finish and free it; its return value. */
void *uthread_join(struct uthread *ut);
/* Let other uthreads run. */
void uthread_yield(void);
/* Block the calling uthread for at least ns nanoseconds. */
void uthread_sleep_ns(uint64_t ns);
/* End the calling uthread with ret. */
void __attribute__((noreturn)) uthread_exit(void *ret);
/* The calling uthread. */
struct uthread *uthread_self(void);
/* Its id (1 for the main thread) and name. */
uint64_t uthread_id(const struct uthread *ut);
const char *uthread_name(const struct uthread *ut);

/* 2LS statistics, per vcore (for tests and benchmarks). */
struct parlib_vcore_stats {
	uint64_t runs;		/* uthreads started or resumed on the vcore */
	uint64_t steals;	/* uthreads taken from another vcore's queue */
	uint64_t recovered;	/* uthreads taken back from a preempted vcore */
	uint64_t events;	/* mailbox events handled */
	uint64_t warnings;	/* preemption warnings answered by giving the core back */
};
void parlib_vcore_stats(int vcoreid, struct parlib_vcore_stats *out);

/* Asynchronous system calls (async.c) */
/*
 * System call nr in a uthread of an MCP: blocks only the calling uthread
 * if the call would block (SYS_mcp_async); the plain call anywhere else
 * (vcore context, a uthread with notifications off: it blocks the vcore
 * and leaves the notification state alone), or when MCP_ASYNC_MAX calls
 * are in flight.  The result or -errno.
 */
long async_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
struct timespec;
/* FUTEX_WAIT_PRIVATE through async_syscall: 0 or -errno (-EAGAIN: *addr != val). */
int uth_futex_wait(volatile uint32_t *addr, uint32_t val, const struct timespec *timeout);
struct parlib_async_stats {
	uint64_t sync;		/* done at once by the kernel (would not block) */
	uint64_t async;		/* ran in a kernel worker while the uthread waited */
	uint64_t plain;		/* plain system calls (not a uthread, notifications off, or no slot) */
};
void parlib_async_stats(struct parlib_async_stats *out);
/* Calls now in the kernel's workers. */
int parlib_async_in_flight(void);

/* Synchronisation that blocks uthreads */
struct uth_waitq {
	struct uthread *head, *tail;
};
struct uth_mutex {
	volatile int lock;	/* spinlock over the fields below */
	int locked;
	struct uth_waitq waiters;
};
struct uth_cond {
	volatile int lock;
	struct uth_waitq waiters;
};
struct uth_sem {
	volatile int lock;
	long count;
	struct uth_waitq waiters;
};
struct uth_barrier {
	struct uth_mutex m;
	struct uth_cond cv;
	unsigned count, total;
	unsigned long gen;
};
#define UTH_MUTEX_INIT	{ 0, 0, { 0, 0 } }
#define UTH_COND_INIT	{ 0, { 0, 0 } }

void uth_mutex_init(struct uth_mutex *m);
void uth_mutex_lock(struct uth_mutex *m);
bool uth_mutex_trylock(struct uth_mutex *m);
void uth_mutex_unlock(struct uth_mutex *m);
void uth_cond_init(struct uth_cond *cv);
void uth_cond_wait(struct uth_cond *cv, struct uth_mutex *m);
void uth_cond_signal(struct uth_cond *cv);
void uth_cond_broadcast(struct uth_cond *cv);
void uth_sem_init(struct uth_sem *s, long count);
void uth_sem_down(struct uth_sem *s);
void uth_sem_up(struct uth_sem *s);
void uth_barrier_init(struct uth_barrier *b, unsigned total);
/* Wait until total uthreads arrived; true in exactly one of them per round. */
bool uth_barrier_wait(struct uth_barrier *b);

/* TSC */
static inline uint64_t read_tsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

#endif
