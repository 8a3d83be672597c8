/*
 * ttrace-gen: a realistic ttrace dump made on the host through the real
 * ring-buffer code (kernel/debug/ttrace_ring.c, built with a simulated
 * clock), for the viewer's tests and demos.
 *
 * Model.  A seeded discrete simulation of an SMP machine: each step, the
 * CPU with the earliest clock acts.  Idle CPUs pick runnable tasks; running
 * tasks make syscalls (quick ones, and blocking ones that sleep on a
 * semaphore, wait queue or mutex and switch away), wake sleepers (with
 * wait_wake and sched_wakeup), fork, exec, exit, take interrupts, page
 * faults and kernel messages from other CPUs, write printk lines and user
 * events, and get preempted.  So per CPU the context switches chain, every
 * sys_enter has its sys_exit (blocked ones after the task runs again), and
 * time only moves forward.  Events go through one ttrace_ring per CPU;
 * with --lossy CPU that CPU's ring is small, in discard mode, and drained
 * only now and then, so the stream carries exact loss markers.
 *
 * Usage: ttrace-gen [-c CPUS] [-n STEPS] [-s SEED] [--lossy CPU]
 *                   [--overwrite-cpu CPU] > dump
 * The last stderr line gives the counts the tests check against.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "ttdump.h"

static uint64_t sim_tsc;
#define TTRACE_RING_CLOCK()	(sim_tsc)
#include "ttrace_ring.c"

#define TSC_HZ		2000000000ull	/* 2 GHz: tsc = 2 * ns */
#define MAX_CPUS	64
#define MAX_TASKS	4096

enum tstate { T_RUNNABLE, T_RUNNING, T_BLOCKED, T_DEAD };

struct task {
	uint32_t tid, pid;
	char comm[TTRACE_COMM_LEN];
	enum tstate state;
	int in_syscall;		/* nr of the syscall it blocked in, or -1 */
	int obj;		/* wait object it sleeps on */
};

struct wobj {
	uint64_t addr;
	uint32_t kind;
	const char *name;
};

static const struct wobj wobjs[] = {
	{ 0xffff800000101000ull, TTRACE_WAIT_WAITQ, "pipe_wq" },
	{ 0xffff800000102000ull, TTRACE_WAIT_SEM, "tty_sem" },
	{ 0xffff800000103000ull, TTRACE_WAIT_MUTEX, "vfs_lock" },
	{ 0xffff800000104000ull, TTRACE_WAIT_WAITQ, "child_wait" },
	{ 0xffff800000105000ull, TTRACE_WAIT_MUTEX, "mm_lock" },
};

static const struct ttdump_sys sysnames[] = {
	{ 0, "read" }, { 1, "write" }, { 3, "close" }, { 9, "mmap" }, { 39, "getpid" },
	{ 56, "clone" }, { 59, "execve" }, { 61, "wait4" }, { 202, "futex" },
	{ 231, "exit_group" }, { 257, "openat" }, { 293, "pipe2" },
};
static const int quick_nrs[] = { 3, 9, 39, 257, 293, 1, 0 };
static const int block_nrs[] = { 0, 61, 202 };
static const char *const progs[] = { "/bin/sh", "/bin/ls", "/bin/cat", "/bin/grep", "/usr/bin/make",
				     "/bin/busybox", "/bin/cc1" };

static struct task tasks[MAX_TASKS];
static int ntasks, ncpus = 4;
static uint32_t next_tid = 100;
static int cur[MAX_CPUS];		/* task index running, -1 idle */
static uint64_t cpu_ns[MAX_CPUS];
static struct ttrace_ring rings[MAX_CPUS];
static uint8_t *out[MAX_CPUS];		/* records read from each ring */
static size_t out_len[MAX_CPUS], out_cap[MAX_CPUS];
static int acting;			/* CPU whose clock stamps records */
static uint64_t rng = 88172645463325252ull;
static uint64_t attempted;		/* events the simulation emitted */
struct kmsg_pending {
	int active;
	uint32_t src;
	uint64_t at;
};
static struct kmsg_pending kmsgq[MAX_CPUS];

/* xorshift64: the next pseudo-random number. */
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A pseudo-random number below n. */
static uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

/* Move CPU c's clock forward. */
static void advance(int c, uint64_t ns)
{
	cpu_ns[c] += ns;
}

/* Thread running on CPU c (0: idle). */
static uint32_t cur_tid(int c)
{
	return cur[c] < 0 ? 0 : tasks[cur[c]].tid;
}

/* Emit one event on CPU c now (time then moves on a little). */
static void emit(int c, unsigned int type, const void *payload, size_t len)
{
	acting = c;
	sim_tsc = cpu_ns[c] * (TSC_HZ / 1000000000ull);
	attempted++;
	ttrace_ring_write(&rings[c], type, cur_tid(c), payload, len);
	advance(c, 200 + rnd_below(800));
}

/* Read CPU c's ring into its output; exits the program on error. */
static void drain(int c, unsigned int flags)
{
	long n;

	for (;;) {
		if (out_cap[c] - out_len[c] < (1 << 16)) {
			out_cap[c] = out_cap[c] ? out_cap[c] * 2 : 1 << 20;
			out[c] = realloc(out[c], out_cap[c]);
			if (!out[c]) {
				fprintf(stderr, "ttrace-gen: out of memory\n");
				exit(1);
			}
		}
		n = ttrace_ring_read(&rings[c], out[c] + out_len[c], out_cap[c] - out_len[c], flags);
		if (n <= 0)
			break;
		out_len[c] += (size_t)n;
	}
	if (n < 0) {
		fprintf(stderr, "ttrace-gen: ring %d read error %ld\n", c, n);
		exit(1);
	}
}

/* Make a runnable task; returns its index, or -1 if the table is full. */
static int new_task(const char *comm, uint32_t pid)
{
	struct task *t;

	if (ntasks >= MAX_TASKS)
		return -1;
	t = &tasks[ntasks];
	t->tid = next_tid++;
	t->pid = pid ? pid : t->tid;
	memset(t->comm, 0, sizeof(t->comm));
	strncpy(t->comm, comm, TTRACE_COMM_LEN - 1);
	t->state = T_RUNNABLE;
	t->in_syscall = -1;
	return ntasks++;
}

/* A random runnable task, or -1 if none. */
static int pick_runnable(void)
{
	int n = 0, idx[MAX_TASKS];

	for (int i = 0; i < ntasks; i++)
		if (tasks[i].state == T_RUNNABLE)
			idx[n++] = i;
	return n ? idx[rnd_below((uint32_t)n)] : -1;
}

/* Emit a switch on CPU c from the current task to next (-1: idle). */
static void sched_switch(int c, int next, uint32_t prev_state)
{
	struct ttrace_sched_switch s = { 0 };
	int prev = cur[c];

	s.prev_tid = prev < 0 ? 0 : tasks[prev].tid;
	s.prev_pid = prev < 0 ? 0 : tasks[prev].pid;
	s.next_tid = next < 0 ? 0 : tasks[next].tid;
	s.next_pid = next < 0 ? 0 : tasks[next].pid;
	s.prev_prio = s.next_prio = 120;
	s.prev_state = prev_state;
	snprintf(s.prev_comm, sizeof(s.prev_comm), "%s", prev < 0 ? "swapper" : tasks[prev].comm);
	snprintf(s.next_comm, sizeof(s.next_comm), "%s", next < 0 ? "swapper" : tasks[next].comm);
	if (prev < 0)
		snprintf(s.prev_comm, sizeof(s.prev_comm), "swapper/%d", c);
	if (next < 0)
		snprintf(s.next_comm, sizeof(s.next_comm), "swapper/%d", c);
	emit(c, TTRACE_REC_SCHED_SWITCH, &s, sizeof(s));
	cur[c] = next;
	if (next >= 0)
		tasks[next].state = T_RUNNING;
}

/* Emit sys_enter of nr on CPU c. */
static void sys_enter(int c, int nr)
{
	struct ttrace_sys_enter e = { (uint32_t)nr, 0, { rnd() & 0xffff, rnd() & 0xffffff, 4096, 0 } };

	emit(c, TTRACE_REC_SYS_ENTER, &e, sizeof(e));
}

/* Emit sys_exit of nr with ret on CPU c. */
static void sys_exit(int c, int nr, int64_t ret)
{
	struct ttrace_sys_exit e = { (uint32_t)nr, 0, ret };

	emit(c, TTRACE_REC_SYS_EXIT, &e, sizeof(e));
}

/* Emit sched_wakeup of task ti and make it runnable. */
static void wakeup(int c, int ti)
{
	struct ttrace_sched_wakeup w = { tasks[ti].tid, tasks[ti].pid, 120, rnd_below((uint32_t)ncpus),
					 { 0 } };

	memcpy(w.comm, tasks[ti].comm, sizeof(w.comm));
	emit(c, TTRACE_REC_SCHED_WAKEUP, &w, sizeof(w));
	tasks[ti].state = T_RUNNABLE;
}

/* Emit a wait sleep/wake on object o for tid. */
static void wait_ev(int c, unsigned int type, int o, uint32_t tid)
{
	struct ttrace_wait w = { wobjs[o].addr, wobjs[o].kind, tid, { 0 } };

	strncpy(w.name, wobjs[o].name, sizeof(w.name) - 1);
	emit(c, type, &w, sizeof(w));
}

/* Emit a printk or user event with id and text. */
static void text_ev(int c, unsigned int type, uint32_t id, const char *s)
{
	uint8_t buf[512] = { 0 };
	size_t n = strlen(s);

	memcpy(buf, &id, 4);
	memcpy(buf + 8, s, n);
	emit(c, type, buf, 8 + n + 1);
}

/* One action of the task running on CPU c. */
static void step_running(int c)
{
	struct task *t = &tasks[cur[c]];
	uint32_t r = rnd_below(100);
	int nr;

	if (t->in_syscall >= 0) {	/* resumed inside a blocking syscall */
		nr = t->in_syscall;
		t->in_syscall = -1;
		sys_exit(c, nr, nr == 61 ? 0 : 64);
		return;
	}
	if (r < 25) {
		nr = quick_nrs[rnd_below(sizeof(quick_nrs) / sizeof(quick_nrs[0]))];
		sys_enter(c, nr);
		advance(c, 500 + rnd_below(20000));
		sys_exit(c, nr, nr == 257 ? -2 : 3);
	} else if (r < 35) {
		int o = (int)rnd_below(sizeof(wobjs) / sizeof(wobjs[0]));

		nr = block_nrs[rnd_below(3)];
		sys_enter(c, nr);
		wait_ev(c, TTRACE_REC_WAIT_SLEEP, o, t->tid);
		t->state = T_BLOCKED;
		t->obj = o;
		t->in_syscall = nr;
		sched_switch(c, pick_runnable(), TTRACE_STATE_INTERRUPTIBLE);
	} else if (r < 45) {
		int n = 0, idx[MAX_TASKS];

		for (int i = 0; i < ntasks; i++)
			if (tasks[i].state == T_BLOCKED)
				idx[n++] = i;
		if (!n) {
			advance(c, 3000);
			return;
		}
		n = idx[rnd_below((uint32_t)n)];
		sys_enter(c, 1);
		wait_ev(c, TTRACE_REC_WAIT_WAKE, tasks[n].obj, tasks[n].tid);
		wakeup(c, n);
		sys_exit(c, 1, 1);
	} else if (r < 52) {
		struct ttrace_irq i = { 32 + rnd_below(4), 0 };

		emit(c, TTRACE_REC_IRQ_ENTER, &i, sizeof(i));
		advance(c, 1000 + rnd_below(5000));
		i.ret = 1;
		emit(c, TTRACE_REC_IRQ_EXIT, &i, sizeof(i));
	} else if (r < 58) {
		struct ttrace_exc x = { 14, 6, 0x401000 + rnd_below(0x10000) };
		struct ttrace_page_fault pf = { 0x7f0000000000ull + (rnd() & 0xfffff000ull), x.ip, 6, 0 };

		emit(c, TTRACE_REC_EXC_ENTER, &x, sizeof(x));
		emit(c, TTRACE_REC_PAGE_FAULT, &pf, sizeof(pf));
		emit(c, TTRACE_REC_EXC_EXIT, &x, sizeof(x));
	} else if (r < 63) {
		int n = pick_runnable();

		if (n >= 0) {
			t->state = T_RUNNABLE;
			sched_switch(c, n, TTRACE_STATE_RUNNING);
		}
	} else if (r < 66) {
		struct ttrace_proc_fork f = { t->tid, t->pid, 0, 0, { 0 }, { 0 } };
		int alive = 0, ch;

		for (int i = 0; i < ntasks; i++)
			alive += tasks[i].state != T_DEAD;
		ch = alive < 24 ? new_task(t->comm, 0) : -1;
		if (ch < 0)
			return;
		t = &tasks[cur[c]];
		f.child_tid = tasks[ch].tid;
		f.child_pid = tasks[ch].pid;
		memcpy(f.parent_comm, t->comm, 16);
		memcpy(f.child_comm, t->comm, 16);
		sys_enter(c, 56);
		emit(c, TTRACE_REC_PROC_FORK, &f, sizeof(f));
		tasks[ch].state = T_BLOCKED;	/* wakeup makes it runnable */
		wakeup(c, ch);
		sys_exit(c, 56, tasks[ch].tid);
	} else if (r < 68) {
		uint8_t buf[64] = { 0 };
		const char *p = progs[rnd_below(sizeof(progs) / sizeof(progs[0]))];
		const char *base = strrchr(p, '/') + 1;

		memcpy(buf, &t->tid, 4);
		memcpy(buf + 4, &t->pid, 4);
		memcpy(buf + 8, p, strlen(p));
		sys_enter(c, 59);
		emit(c, TTRACE_REC_PROC_EXEC, buf, 8 + strlen(p) + 1);
		memset(t->comm, 0, sizeof(t->comm));
		strncpy(t->comm, base, TTRACE_COMM_LEN - 1);
		sys_exit(c, 59, 0);
	} else if (r < 70) {
		int alive = 0;

		for (int i = 0; i < ntasks; i++)
			alive += tasks[i].state != T_DEAD;
		if (alive > 4) {
			struct ttrace_proc_exit x = { t->tid, t->pid, 0, 0, { 0 } };

			memcpy(x.comm, t->comm, 16);
			sys_enter(c, 231);
			emit(c, TTRACE_REC_PROC_EXIT, &x, sizeof(x));
			t->state = T_DEAD;
			sched_switch(c, pick_runnable(), TTRACE_STATE_ZOMBIE);
		}
	} else if (r < 73) {
		char s[64];

		if (rnd_below(2)) {
			snprintf(s, sizeof(s), "phase %u done", rnd_below(10));
			text_ev(c, TTRACE_REC_USER, 0, s);
		} else {
			text_ev(c, TTRACE_REC_USER, 1 + rnd_below(5), "");
		}
	} else if (r < 75) {
		char s[96];

		snprintf(s, sizeof(s), "tty: %s wrote %u bytes", t->comm, rnd_below(4096));
		text_ev(c, TTRACE_REC_PRINTK, 6, s);
	} else if (r < 78 && ncpus > 1) {
		uint32_t d = rnd_below((uint32_t)ncpus);
		struct ttrace_kmsg k = { (uint32_t)c, d, TTRACE_KMSG_ROUTINE, 0, 0xffffffff80123450ull, rnd() };

		if ((int)d == c || kmsgq[d].active) {
			advance(c, 2000);
			return;
		}
		emit(c, TTRACE_REC_KMSG_SEND, &k, sizeof(k));
		kmsgq[d].active = 1;
		kmsgq[d].src = (uint32_t)c;
		kmsgq[d].at = cpu_ns[c];
	} else {
		advance(c, 2000 + rnd_below(30000));
	}
}

/* One step of CPU c: a pending kernel message, picking a task, or the task's action. */
static void step(int c)
{
	if (kmsgq[c].active) {
		struct ttrace_kmsg k = { kmsgq[c].src, (uint32_t)c, TTRACE_KMSG_ROUTINE, 0,
					 0xffffffff80123450ull, 0 };
		struct ttrace_irq i = { 0xf1, 0 };

		if (cpu_ns[c] < kmsgq[c].at + 1000)
			cpu_ns[c] = kmsgq[c].at + 1000;
		kmsgq[c].active = 0;
		emit(c, TTRACE_REC_IRQ_ENTER, &i, sizeof(i));
		emit(c, TTRACE_REC_KMSG_RUN, &k, sizeof(k));
		i.ret = 1;
		emit(c, TTRACE_REC_IRQ_EXIT, &i, sizeof(i));
		return;
	}
	if (cur[c] < 0) {
		int n = pick_runnable(), nb = 0, idx[MAX_TASKS];

		if (n >= 0) {
			sched_switch(c, n, TTRACE_STATE_RUNNING);
			return;
		}
		advance(c, 10000 + rnd_below(50000));
		/* A device interrupt completes some sleeper's I/O. */
		for (int i = 0; i < ntasks; i++)
			if (tasks[i].state == T_BLOCKED)
				idx[nb++] = i;
		if (nb) {
			struct ttrace_irq i = { 36, 0 };

			n = idx[rnd_below((uint32_t)nb)];
			emit(c, TTRACE_REC_IRQ_ENTER, &i, sizeof(i));
			wait_ev(c, TTRACE_REC_WAIT_WAKE, tasks[n].obj, tasks[n].tid);
			wakeup(c, n);
			i.ret = 1;
			emit(c, TTRACE_REC_IRQ_EXIT, &i, sizeof(i));
		}
		return;
	}
	step_running(c);
}

/* Returns 0, 1 on failure, 2 on usage errors. */
int main(int argc, char **argv)
{
	long steps = 20000;
	int lossy = -1, overwrite = -1;
	struct ttdump_cpu cpus[MAX_CPUS];
	struct ttdump_proc *procs;
	struct ttrace_stream_hdr h = { 0 };
	uint64_t lost = 0, written = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-c") && i + 1 < argc)
			ncpus = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			steps = atol(argv[++i]);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			rng = 88172645463325252ull ^ (uint64_t)atol(argv[++i]) * 0x9e3779b97f4a7c15ull;
		else if (!strcmp(argv[i], "--lossy") && i + 1 < argc)
			lossy = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--overwrite-cpu") && i + 1 < argc)
			overwrite = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: ttrace-gen [-c CPUS] [-n STEPS] [-s SEED] [--lossy CPU] "
				"[--overwrite-cpu CPU]\n");
			return 2;
		}
	}
	if (ncpus < 1 || ncpus > MAX_CPUS || !rng)
		return 2;
	for (int c = 0; c < ncpus; c++) {
		uint64_t size = (c == lossy || c == overwrite) ? 16384 : 4 << 20;
		uint32_t mode = c == lossy ? TTRACE_MODE_DISCARD : TTRACE_MODE_OVERWRITE;

		if (ttrace_ring_init(&rings[c], malloc(ttrace_ring_mem_size(size, 4096)), size, 4096,
				     mode, (uint16_t)c)) {
			fprintf(stderr, "ttrace-gen: ring init failed\n");
			return 1;
		}
		cur[c] = -1;
		cpu_ns[c] = 1000000000ull + (uint64_t)c * 1000;
	}
	new_task("init", 0);
	new_task("sh", 0);
	new_task("make", 0);
	new_task("cc1", 0);
	new_task("kworker", 0);
	new_task("ls", 0);
	for (long s = 0; s < steps; s++) {
		int c = 0;

		for (int i = 1; i < ncpus; i++)
			if (cpu_ns[i] < cpu_ns[c])
				c = i;
		step(c);
		if (lossy >= 0 && s % 3000 == 0)
			drain(lossy, 0);
	}
	for (int c = 0; c < ncpus; c++) {
		drain(c, TTRACE_READ_FINAL);
		cpus[c].recs = out[c];
		cpus[c].len = out_len[c];
		cpus[c].stats.written = rings[c].written;
		cpus[c].stats.lost = ttrace_ring_lost(&rings[c]);
		cpus[c].stats.size = rings[c].size;
		lost += cpus[c].stats.lost;
		written += rings[c].written;
	}
	procs = calloc((size_t)ntasks + 1, sizeof(*procs));
	for (int i = 0; i < ntasks; i++) {
		procs[i].tid = tasks[i].tid;
		procs[i].pid = tasks[i].pid;
		memcpy(procs[i].comm, tasks[i].comm, TTRACE_COMM_LEN);
	}
	memcpy(h.magic, TTRACE_MAGIC, TTRACE_MAGIC_LEN);
	h.version_major = TTRACE_VERSION_MAJOR;
	h.version_minor = TTRACE_VERSION_MINOR;
	h.hdr_size = sizeof(h);
	h.ncpus = (uint16_t)ncpus;
	h.categories = TTRACE_CAT_ALL;
	h.mode = TTRACE_MODE_OVERWRITE;
	h.tsc_hz = TSC_HZ;
	h.anchor_tsc = 2000000000ull;
	h.anchor_wall_ns = 1767225600ull * 1000000000ull;	/* 2026-01-01 */
	h.buf_size = 4 << 20;
	h.flags = TTRACE_F_TSC_INVARIANT;
	if (ttdump_write(stdout, &h, cpus, procs, (size_t)ntasks, sysnames,
			 sizeof(sysnames) / sizeof(sysnames[0])) || fflush(stdout)) {
		fprintf(stderr, "ttrace-gen: write failed\n");
		return 1;
	}
	fprintf(stderr, "ttrace-gen: cpus=%d attempted=%llu written=%llu lost=%llu\n", ncpus,
		(unsigned long long)attempted, (unsigned long long)written, (unsigned long long)lost);
	return 0;
}
