/*
 * ttrace: the kernel's event tracer.  One ring (ttrace_ring.c) per CPU,
 * allocated at the first start with the configured size and mode; the
 * tracepoints of kern/ttrace.h test ttrace_mask and call the writers here,
 * which fill one record (abi/ttrace.h) on the current CPU's ring.  Writers
 * run in any context (IRQ and NMI included), take no lock and never sleep;
 * the kernel is not preemptive, so core_id() stays valid through a write.
 *
 * Control (start, stop, clear, categories, mode, size) comes from #ttrace
 * (kernel/dev/ttrace.c), which serialises it with its own lock.  Stopping
 * clears the mask, disables each ring and waits until no writer is in
 * flight, so a final read sees complete rings.  The rings are freed and
 * reallocated only while stopped, when no writer can hold one.
 */
#include <kern/ttrace.h>
#include <kern/sched.h>
#include <kern/proc.h>
#include <kern/smp.h>
#include <kern/percpu.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/time.h>
#include <kern/clock.h>
#include <kern/uvm.h>
#include <kern/wait.h>
#include <kern/printk.h>
#include <arch/x86.h>
#include <arch/trap.h>
#include "ttrace_ring.h"

#define TTRACE_DEFAULT_SIZE	(1u << 20)
#define TTRACE_MIN_SIZE		(1u << 16)
#define TTRACE_MAX_SIZE		(1u << 22)	/* kmalloc's largest block */
#define TTRACE_PRIO		120	/* Linux's nice-0 priority, for the exports */
#define TTRACE_PRINTK_TEXT	512	/* longest printk line kept (vprintk's buffer) */

u32 ttrace_mask;

/* Configuration and rings; changed only by the control calls (the #ttrace lock). */
static u32 cfg_categories = TTRACE_CAT_ALL;
static u32 cfg_mode = TTRACE_MODE_DISCARD;
static u64 cfg_size = TTRACE_DEFAULT_SIZE;
static bool running;
static u32 filter_pid;		/* 0: every process; else only events of this one */
static struct ttrace_ring *rings[MAX_CPUS];

/*
 * The thread that last exited on this CPU, kept by the exit tracepoint: a
 * dead task's switch-out must not read its proc (the parent may have freed
 * it), so the switch record takes the ids and name from here.  Written and
 * read on this CPU only.  If the exiting thread slept after its exit record
 * (another may have exited here meanwhile) or moved CPU, the tid differs and
 * the switch names it "<exited>" with pid 0.
 */
struct ttrace_exited {
	u32 tid, pid;
	char comm[TTRACE_COMM_LEN];
};
static DEFINE_PER_CPU(struct ttrace_exited, exited);

/* Sub-buffer size for a ring of size bytes. */
static u64 subbuf_size(u64 size)
{
	return size >= (1u << 20) ? 8192 : TTRACE_SUBBUF_MIN;
}

/* This CPU's ring, or NULL before the first start. */
static inline struct ttrace_ring *this_ring(void)
{
	return rings[core_id()];
}

/* Name of t for the records: the process's comm, a kernel thread's name, or "swapper". */
static void task_comm(const struct task *t, char out[TTRACE_COMM_LEN])
{
	const char *s = t->proc ? t->proc->comm : t->name;

	memset(out, 0, TTRACE_COMM_LEN);
	strlcpy(out, s && *s ? s : "swapper", TTRACE_COMM_LEN);
}

/* Process id of t (0 for kernel threads and idle). */
static u32 task_pid(const struct task *t)
{
	return t->proc ? (u32)t->proc->pid : 0;
}

/* Thread id to stamp on a record: the current task's. */
static u32 cur_tid(void)
{
	struct task *t = current();

	return t ? (u32)t->tid : 0;
}

/* Whether the pid filter lets an event of task t through (NULL: the current task). */
static bool pid_passes(const struct task *t)
{
	u32 want = READ_ONCE(filter_pid);

	if (!want)
		return true;
	if (!t)
		t = current();
	return t && t->proc && (u32)t->proc->pid == want;
}

/* Write one fixed-size record on this CPU; drops are counted by the ring. */
static void emit(unsigned int type, const void *payload, size_t len)
{
	struct ttrace_ring *r = this_ring();

	/* A switch is kept when either side passes (checked by the caller). */
	if (r && (type == TTRACE_REC_SCHED_SWITCH || pid_passes(NULL)))
		(void)ttrace_ring_write(r, type, cur_tid(), payload, len);
}

void __ttrace_sys_enter(u64 nr, const u64 *args)
{
	struct ttrace_sys_enter e = { .nr = (u32)nr };

	for (int i = 0; i < TTRACE_SYSCALL_ARGS; i++)
		e.args[i] = args[i];
	emit(TTRACE_REC_SYS_ENTER, &e, sizeof(e));
}

void __ttrace_sys_exit(u64 nr, long ret)
{
	struct ttrace_sys_exit e = { .nr = (u32)nr, .ret = ret };

	emit(TTRACE_REC_SYS_EXIT, &e, sizeof(e));
}

/* The Linux prev_state of a task leaving the CPU. */
static u32 switch_state(const struct task *t)
{
	switch (t->state) {
	case TASK_SLEEPING:
		return t->stopped ? TTRACE_STATE_STOPPED : TTRACE_STATE_INTERRUPTIBLE;
	case TASK_UNINTERRUPTIBLE:
		return TTRACE_STATE_UNINTERRUPTIBLE;
	case TASK_DEAD:
		return TTRACE_STATE_DEAD;
	default:
		return TTRACE_STATE_RUNNING;
	}
}

void __ttrace_sched_switch(const struct task *prev, const struct task *next)
{
	struct ttrace_exited *x = this_cpu_ptr(&exited);
	struct ttrace_sched_switch e = {
		.prev_tid = (u32)prev->tid,
		.next_tid = (u32)next->tid, .next_pid = task_pid(next),
		.prev_prio = TTRACE_PRIO, .next_prio = TTRACE_PRIO,
		.prev_state = switch_state(prev),
	};

	if (!pid_passes(next) && (prev->state == TASK_DEAD || !pid_passes(prev)))
		return;
	if (prev->state == TASK_DEAD) {
		/* prev->proc may be freed: use what its exit kept (or no name). */
		bool known = x->tid == (u32)prev->tid;

		e.prev_pid = known ? x->pid : 0;
		memcpy(e.prev_comm, known ? x->comm : "<exited>", TTRACE_COMM_LEN);
	} else {
		e.prev_pid = task_pid(prev);
		task_comm(prev, e.prev_comm);
	}
	task_comm(next, e.next_comm);
	emit(TTRACE_REC_SCHED_SWITCH, &e, sizeof(e));
}

void __ttrace_sched_wakeup(const struct task *t)
{
	struct ttrace_sched_wakeup e = {
		.tid = (u32)t->tid, .pid = task_pid(t), .prio = TTRACE_PRIO,
		.target_cpu = (u32)READ_ONCE(t->cpu),
	};

	task_comm(t, e.comm);
	emit(TTRACE_REC_SCHED_WAKEUP, &e, sizeof(e));
}

void __ttrace_proc_fork(const struct task *parent, const struct task *child)
{
	struct ttrace_proc_fork e = {
		.parent_tid = (u32)parent->tid, .parent_pid = task_pid(parent),
		.child_tid = (u32)child->tid, .child_pid = task_pid(child),
	};

	task_comm(parent, e.parent_comm);
	task_comm(child, e.child_comm);
	emit(TTRACE_REC_PROC_FORK, &e, sizeof(e));
}

void __ttrace_proc_exec(const struct task *t, const char *path)
{
	struct {
		struct ttrace_proc_exec e;
		char name[256];
	} x;
	size_t n = strlen(path);

	if (n >= sizeof(x.name))
		n = sizeof(x.name) - 1;
	memset(&x, 0, sizeof(x));
	x.e.tid = (u32)t->tid;
	x.e.pid = task_pid(t);
	memcpy(x.name, path, n);
	emit(TTRACE_REC_PROC_EXEC, &x, sizeof(x.e) + n + 1);
}

void __ttrace_proc_exit(const struct task *t, int code)
{
	struct ttrace_proc_exit e = { .tid = (u32)t->tid, .pid = task_pid(t), .code = code };
	struct ttrace_exited *x = this_cpu_ptr(&exited);

	task_comm(t, e.comm);
	x->tid = e.tid;
	x->pid = e.pid;
	memcpy(x->comm, e.comm, TTRACE_COMM_LEN);
	if (ttrace_on(TTRACE_CAT_PROC))
		emit(TTRACE_REC_PROC_EXIT, &e, sizeof(e));
}

void __ttrace_irq(unsigned int type, u64 vector, int ret)
{
	struct ttrace_irq e = { .vector = (u32)vector, .ret = ret };

	emit(type, &e, sizeof(e));
}

void __ttrace_exc(unsigned int type, const struct hw_trapframe *tf)
{
	struct ttrace_exc e = {
		.vector = (u32)tf->trapno, .error_code = (u32)tf->err, .ip = tf->rip,
	};

	emit(type, &e, sizeof(e));
}

void __ttrace_page_fault(u64 addr, int flags, int result)
{
	struct task *t = current();
	struct ttrace_page_fault e = {
		.addr = addr, .result = result,
		/* Error-code bits: P, W/R, U/S, I/D. */
		.error_code = (flags & FAULT_PRESENT ? 1 : 0) | (flags & FAULT_WRITE ? 2 : 0) |
			      (flags & FAULT_USER ? 4 : 0) | (flags & FAULT_EXEC ? 0x10 : 0),
		.ip = t && t->utf ? t->utf->rip : 0,
	};

	emit(TTRACE_REC_PAGE_FAULT, &e, sizeof(e));
}

void __ttrace_wait(unsigned int type, const struct wait_queue *wq, const struct task *t)
{
	struct ttrace_wait e = {
		.obj = (u64)(uintptr_t)wq, .kind = TTRACE_WAIT_WAITQ,
		.tid = t ? (u32)t->tid : cur_tid(),
	};

	if (wq->lock.name)
		strlcpy(e.name, wq->lock.name, sizeof(e.name));
	emit(type, &e, sizeof(e));
}

void __ttrace_kmsg(unsigned int type, int src, int dst, u64 fn, u64 arg, int kind)
{
	struct ttrace_kmsg e = {
		.src_cpu = (u32)(src < 0 ? core_id() : src),
		.dst_cpu = (u32)(dst < 0 ? core_id() : dst),
		.kind = (u32)kind, .fn = fn, .arg = arg,
	};

	emit(type, &e, sizeof(e));
}

/*
 * Log level of a printk line (the kernel has no levels): KERN_EMERG while
 * panicking, KERN_WARNING for warn(), else KERN_INFO.
 */
static u32 printk_level(const char *line)
{
	if (READ_ONCE(panicking))
		return 0;
	return strncmp(line, "WARNING: ", 9) ? 6 : 4;
}

void __ttrace_printk(const char *text, size_t len)
{
	struct {
		struct ttrace_printk p;
		char text[TTRACE_PRINTK_TEXT];
	} x;
	size_t i = 0;

	while (i < len) {
		size_t j = i, n;

		while (j < len && text[j] != '\n')
			j++;
		n = MIN(j - i, sizeof(x.text) - 1);
		memset(&x, 0, sizeof(x.p) + n + 1);
		memcpy(x.text, text + i, n);
		x.p.level = printk_level(x.text);
		emit(TTRACE_REC_PRINTK, &x, sizeof(x.p) + n + 1);
		i = j + 1;
	}
}

/* Returns 0, -EAGAIN if the user category is off, -EINVAL if too long, -ENOSPC if dropped. */
int ttrace_user_event(u32 id, const char *text, size_t len)
{
	struct {
		struct ttrace_user u;
		char text[TTRACE_REC_MAX - sizeof(struct ttrace_rec) - sizeof(struct ttrace_user)];
	} x;
	struct ttrace_ring *r;

	if (!ttrace_on(TTRACE_CAT_USER))
		return -EAGAIN;
	if (len >= sizeof(x.text))
		return -EINVAL;
	memset(&x, 0, sizeof(x.u) + len + 1);
	x.u.id = id;
	memcpy(x.text, text, len);
	r = this_ring();
	if (!r)
		return -EAGAIN;
	return ttrace_ring_write(r, TTRACE_REC_USER, cur_tid(), &x, sizeof(x.u) + len + 1);
}

u64 ttrace_buf_size(void)
{
	return cfg_size;
}

u32 ttrace_buf_mode(void)
{
	return cfg_mode;
}

u32 ttrace_categories(void)
{
	return cfg_categories;
}

bool ttrace_running(void)
{
	return running;
}

/* CPU cpu's ring, or NULL (none allocated, or cpu out of range). */
static struct ttrace_ring *cpu_ring(int cpu)
{
	if (cpu < 0 || cpu >= num_cpus || cpu >= MAX_CPUS)
		return NULL;
	return rings[cpu];
}

long ttrace_cpu_read(int cpu, void *buf, size_t n)
{
	struct ttrace_ring *r = cpu_ring(cpu);

	if (cpu < 0 || cpu >= num_cpus)
		return -EINVAL;
	if (!r)
		return 0;
	return ttrace_ring_read(r, buf, n, running ? 0 : TTRACE_READ_FINAL);
}

void ttrace_cpu_stats(int cpu, struct ttrace_cpu_stats *st, u64 *used)
{
	struct ttrace_ring *r = cpu_ring(cpu);

	st->written = r ? READ_ONCE(r->written) : 0;
	st->lost = r ? ttrace_ring_lost(r) : 0;
	st->size = cfg_size;
	*used = r ? ttrace_ring_used(r) : 0;
}

/* Free every ring (stopped: no writer holds one); cannot fail. */
static void free_rings(void)
{
	for (int c = 0; c < MAX_CPUS; c++) {
		if (!rings[c])
			continue;
		kfree(rings[c]->data);
		kfree(rings[c]->nrec);
		kfree(rings[c]);
		rings[c] = NULL;
	}
}

/* Allocate every online CPU's ring with the configuration: 0 or -ENOMEM. */
static int alloc_rings(void)
{
	u64 sub = subbuf_size(cfg_size);

	for (int c = 0; c < num_cpus && c < MAX_CPUS; c++) {
		struct ttrace_ring *r = kzmalloc(sizeof(*r), MEM_WAIT);
		void *data = r ? kmalloc(cfg_size, MEM_WAIT) : NULL;
		uint64_t *counters = data ? kmalloc(2 * (cfg_size / sub) * sizeof(u64), MEM_WAIT) : NULL;

		if (!counters) {
			kfree(data);
			kfree(r);
			goto no_mem;
		}
		(void)ttrace_ring_init_split(r, data, counters, cfg_size, sub, cfg_mode, (u16)c);
		rings[c] = r;
	}
	return 0;
no_mem:
	free_rings();
	return -ENOMEM;
}

int ttrace_start(void)
{
	int err;

	if (running)
		return 0;
	if (!rings[0]) {
		err = alloc_rings();
		if (err)
			return err;
	}
	for (int c = 0; c < num_cpus && c < MAX_CPUS; c++)
		__atomic_store_n(&rings[c]->enabled, 1, __ATOMIC_RELEASE);
	running = true;
	__atomic_store_n(&ttrace_mask, cfg_categories, __ATOMIC_RELEASE);
	return 0;
}

void ttrace_stop(void)
{
	if (!running)
		return;
	__atomic_store_n(&ttrace_mask, 0, __ATOMIC_RELEASE);
	for (int c = 0; c < num_cpus && c < MAX_CPUS; c++)
		__atomic_store_n(&rings[c]->enabled, 0, __ATOMIC_RELEASE);
	/*
	 * A writer past its enabled test but not yet counted in committing is
	 * a few instructions from it (or interrupted there): give it that
	 * time, then wait for every writer in flight to commit.
	 */
	udelay(1000);
	for (int c = 0; c < num_cpus && c < MAX_CPUS; c++)
		while (__atomic_load_n(&rings[c]->committing, __ATOMIC_ACQUIRE))
			cpu_relax();
	running = false;
}

int ttrace_clear(void)
{
	if (running)
		return -EBUSY;
	for (int c = 0; c < num_cpus && c < MAX_CPUS; c++) {
		if (!rings[c])
			continue;
		ttrace_ring_reset(rings[c]);
		rings[c]->enabled = 0;
	}
	return 0;
}

void ttrace_set_pid(u32 pid)
{
	WRITE_ONCE(filter_pid, pid);
}

u32 ttrace_pid(void)
{
	return READ_ONCE(filter_pid);
}

void ttrace_set_categories(u32 mask)
{
	cfg_categories = mask & TTRACE_CAT_ALL;
	if (running)
		__atomic_store_n(&ttrace_mask, cfg_categories, __ATOMIC_RELEASE);
}

int ttrace_configure(u32 mode, u64 size)
{
	if (mode != TTRACE_MODE_OVERWRITE && mode != TTRACE_MODE_DISCARD)
		return -EINVAL;
	if (size < TTRACE_MIN_SIZE || size > TTRACE_MAX_SIZE || (size & (size - 1)))
		return -EINVAL;
	if (running)
		return -EBUSY;
	if (mode == cfg_mode && size == cfg_size)
		return 0;
	free_rings();
	cfg_mode = mode;
	cfg_size = size;
	return 0;
}

bool ttrace_tsc_invariant(void)
{
	u32 max, d = 0;

	cpuid(0x80000000, 0, &max, NULL, NULL, NULL);
	if (max >= 0x80000007)
		cpuid(0x80000007, 0, NULL, NULL, NULL, &d);
	return d & (1u << 8);
}

void ttrace_stream_header(struct ttrace_stream_hdr *hdr)
{
	memset(hdr, 0, sizeof(*hdr));
	memcpy(hdr->magic, TTRACE_MAGIC, TTRACE_MAGIC_LEN);
	hdr->version_major = TTRACE_VERSION_MAJOR;
	hdr->version_minor = TTRACE_VERSION_MINOR;
	hdr->hdr_size = sizeof(*hdr);
	hdr->ncpus = (u16)num_cpus;
	hdr->categories = cfg_categories;
	hdr->mode = cfg_mode;
	hdr->tsc_hz = tsc_hz;
	hdr->anchor_wall_ns = (u64)clock_realtime_ns();
	hdr->anchor_tsc = rdtsc();
	hdr->buf_size = (u32)cfg_size;
	hdr->flags = ttrace_tsc_invariant() ? TTRACE_F_TSC_INVARIANT : 0;
}
