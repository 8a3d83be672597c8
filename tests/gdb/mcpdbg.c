/*
 * mcpdbg [VCORES [wedge | stepper | many N]]: the MCP the gdb tier attaches to
 * (tests/gdb/run.py).  It becomes an MCP with VCORES vcores (default: as
 * many as it may have), starts 4 (many: N, at most MAX_WORKERS) named
 * uthreads "worker-I" that call hit() and write `shared` in a loop while
 * go_on is set, and NSLEEPERS that block on a semaphore in sleeper_wait()
 * (blocked uthreads with saved contexts), prints "ready PID vcores N",
 * sleeps in 20 ms nanosleeps (parlib's: they wait in mcp-async kernel
 * workers), and when the debugger clears go_on joins them all and prints
 * "result ok" if every worker's count adds up to counter (and async=N,
 * the calls that waited in a worker).  No clock ends it: a session of
 * the gdb tier takes as long as the machine's load makes it (one ran
 * past a former 60 s limit and the program exited under gdb).  Its only
 * other end is its parent's (the shell that started it): a test that
 * fails before it clears go_on leaves it running until the boot ends,
 * and run.py kills it then (finish_mcp); a hung session is caught by the
 * tier's boot timeout, not by this program.
 * wedge: one more uthread, "wedge", created after "ready", turns
 * notifications off on its vcore, writes "wedged vcore N" and spins in
 * wedge_spin() until go_on clears: that vcore's 2LS is deaf (no event
 * reaches it, its run queue starves), the debugger must still list every
 * uthread from memory.  stepper: one more uthread, "stepper", loops
 * blocking on a semaphore in stepper_wait(); a worker ups it when the
 * debugger sets kick (so the debugger can hold it while it is blocked,
 * then have it woken and parked off the vcores, and step it there).
 * Built with -O0 -g so gdb sees every argument.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include "parlib.h"

#define NWORKERS	4
#define MAX_WORKERS	64
#define NSLEEPERS	2

volatile int go_on = 1;			/* the debugger clears it to finish */
volatile unsigned long counter;		/* every worker's iterations (atomic adds) */
volatile unsigned long shared;		/* written by every worker: the watchpoint */
volatile int shared_vc = -1;		/* the vcore of the last write of shared */
static unsigned long done[MAX_WORKERS];
static struct uth_sem wake;
volatile int wedged = -1;		/* the vcore wedge_spin() holds, -1 before */
volatile int kick;			/* the debugger sets it: a worker wakes the stepper */
volatile unsigned long stepped;		/* the stepper's wake-ups */
static struct uth_sem step_sem;

/* Where the breakpoint goes: id is the worker, vc the vcore it runs on. */
void __attribute__((noinline)) hit(int id, int vc)
{
	__atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
	done[id]++;
	if (done[id] % 64 == 0) {
		shared_vc = vc;
		shared++;
	}
}

static void *worker(void *arg)
{
	int id = (int)(long)arg;

	while (go_on) {
		hit(id, vcore_id());
		if (kick && __atomic_exchange_n(&kick, 0, __ATOMIC_ACQ_REL))
			uth_sem_up(&step_sem);
		for (volatile int i = 0; i < 2000; i++)
			;
		if (done[id] % 256 == 0)
			uthread_yield();
	}
	return NULL;
}

void __attribute__((noinline)) sleeper_wait(int id)
{
	(void)id;
	uth_sem_down(&wake);
}

static void *sleeper(void *arg)
{
	sleeper_wait((int)(long)arg);
	return NULL;
}

/* Where the stepper blocks until a worker answers the debugger's kick. */
void __attribute__((noinline)) stepper_wait(void)
{
	uth_sem_down(&step_sem);
}

static void *stepper(void *arg)
{
	(void)arg;
	while (go_on) {
		stepper_wait();
		stepped++;
	}
	return NULL;
}

/* Spin with notifications off on vc until the debugger clears go_on. */
void __attribute__((noinline)) wedge_spin(int vc)
{
	wedged = vc;
	while (go_on)
		__asm__ volatile("pause");
}

static void *wedge(void *arg)
{
	char msg[32];
	int vc, n;

	(void)arg;
	for (;;) {	/* off on the vcore it still runs on once they are off */
		vc = vcore_id();
		disable_notifs(vc);
		if (vcore_id() == vc)
			break;
		enable_notifs(vc);
	}
	/*
	 * Not printf: stdio's lock might need the 2LS this vcore no longer
	 * runs.  parlib's write: with notifications off it is the plain call
	 * and leaves them off (it once turned them back on, and the vcore
	 * was not wedged).
	 */
	n = snprintf(msg, sizeof(msg), "wedged vcore %d\n", vc);
	if (write(1, msg, (size_t)n) != n || !__procdata->vcpd[vc].notif_disabled)
		vc = -2;
	wedge_spin(vc);
	enable_notifs(vc);
	return NULL;
}

int main(int argc, char **argv)
{
	struct uthread *w[MAX_WORKERS], *s[NSLEEPERS], *wu = NULL;
	struct parlib_async_stats as;
	char name[32];
	unsigned long sum = 0;
	time_t start = time(NULL);
	pid_t parent = getppid();
	int nv = argc > 1 ? atoi(argv[1]) : 0, nw = NWORKERS;
	bool wedge_mode = argc > 2 && !strcmp(argv[2], "wedge");
	bool step_mode = argc > 2 && !strcmp(argv[2], "stepper");
	struct uthread *su = NULL;

	if (argc > 3 && !strcmp(argv[2], "many"))
		nw = atoi(argv[3]);
	if (nw < 1 || nw > MAX_WORKERS || (argc > 2 && !wedge_mode && !step_mode && argc != 4)) {
		printf("usage: mcpdbg [VCORES [wedge | stepper | many N]] (N 1-%d)\n",
		       MAX_WORKERS);
		return 2;
	}

	if (parlib_init(nv > 0 ? nv : 1)) {
		printf("parlib_init failed\n");
		return 1;
	}
	vcore_request_total(nv > 0 ? nv : max_vcores());
	uth_sem_init(&wake, 0);
	uth_sem_init(&step_sem, 0);
	if (step_mode)
		su = uthread_create(stepper, NULL, "stepper");
	for (long i = 0; i < NSLEEPERS; i++) {
		snprintf(name, sizeof(name), "sleeper-%ld", i);
		s[i] = uthread_create(sleeper, (void *)i, name);
	}
	for (long i = 0; i < nw; i++) {
		snprintf(name, sizeof(name), "worker-%ld", i);
		w[i] = uthread_create(worker, (void *)i, name);
	}
	/* Every worker has run (so each has a stack to backtrace) before "ready". */
	for (int i = 0; i < nw && time(NULL) - start < 30; i++)
		while (!done[i] && time(NULL) - start < 30)
			uthread_sleep_ns(10000000);
	printf("ready %d vcores %d\n", getpid(), num_vcores());
	fflush(stdout);
	/* The wedged vcore's run queue starves (main too, maybe) until go_on clears. */
	if (wedge_mode)
		wu = uthread_create(wedge, NULL, "wedge");
	/*
	 * parlib's nanosleep: the sleep waits in an mcp-async kernel worker,
	 * a task of this process that a debugger must not list as a thread
	 * (run.py: mcp-no-kernel-workers).
	 */
	while (go_on && getppid() == parent)
		nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
	go_on = 0;
	if (wu)
		uthread_join(wu);
	if (su) {
		uth_sem_up(&step_sem);
		uthread_join(su);
	}
	for (int i = 0; i < nw; i++) {
		uthread_join(w[i]);
		sum += done[i];
	}
	for (int i = 0; i < NSLEEPERS; i++)
		uth_sem_up(&wake);
	for (int i = 0; i < NSLEEPERS; i++)
		uthread_join(s[i]);
	parlib_async_stats(&as);
	printf("result %s counter=%lu sum=%lu async=%llu\n", sum == counter && sum ? "ok" : "bad",
	       counter, sum, (unsigned long long)as.async);
	return 0;
}
