/*
 * mcpdbg [VCORES]: the MCP the gdb tier attaches to (tests/gdb/run.py).
 * It becomes an MCP with VCORES vcores (default: as many as it may have),
 * starts NWORKERS named uthreads that call hit() and write `shared` in a
 * loop while go_on is set, and NSLEEPERS that block on a semaphore in
 * sleeper_wait() (blocked uthreads with saved contexts), prints "ready
 * PID", and when the debugger clears go_on (or after a minute) joins them
 * all and prints "result ok" if every worker's count adds up to counter.
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
#define NSLEEPERS	2

volatile int go_on = 1;			/* the debugger clears it to finish */
volatile unsigned long counter;		/* every worker's iterations (atomic adds) */
volatile unsigned long shared;		/* written by every worker: the watchpoint */
volatile int shared_vc = -1;		/* the vcore of the last write of shared */
static unsigned long done[NWORKERS];
static struct uth_sem wake;

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

int main(int argc, char **argv)
{
	struct uthread *w[NWORKERS], *s[NSLEEPERS];
	char name[32];
	unsigned long sum = 0;
	time_t start = time(NULL);
	int nv = argc > 1 ? atoi(argv[1]) : 0;

	if (parlib_init(nv > 0 ? nv : 1)) {
		printf("parlib_init failed\n");
		return 1;
	}
	vcore_request_total(nv > 0 ? nv : max_vcores());
	uth_sem_init(&wake, 0);
	for (long i = 0; i < NSLEEPERS; i++) {
		snprintf(name, sizeof(name), "sleeper-%ld", i);
		s[i] = uthread_create(sleeper, (void *)i, name);
	}
	for (long i = 0; i < NWORKERS; i++) {
		snprintf(name, sizeof(name), "worker-%ld", i);
		w[i] = uthread_create(worker, (void *)i, name);
	}
	printf("ready %d vcores %d\n", getpid(), num_vcores());
	fflush(stdout);
	while (go_on && time(NULL) - start < 60)
		uthread_sleep_ns(20000000);
	go_on = 0;
	for (int i = 0; i < NWORKERS; i++) {
		uthread_join(w[i]);
		sum += done[i];
	}
	for (int i = 0; i < NSLEEPERS; i++)
		uth_sem_up(&wake);
	for (int i = 0; i < NSLEEPERS; i++)
		uthread_join(s[i]);
	printf("result %s counter=%lu sum=%lu\n", sum == counter && sum ? "ok" : "bad", counter,
	       sum);
	return 0;
}
