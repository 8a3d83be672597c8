/*
 * Kernel message queues and pools (model in kern/kmsg.h).
 *
 * Each CPU has one queue with two FIFO lists (immediate, routine) and one
 * pool of free messages.  A message is taken from the *sender's* pool and
 * returned there by the receiver after it has copied the call out, so a
 * pool runs dry only if one CPU has KMSG_POOL_SIZE messages in flight.
 *
 * Locks: kmsg_queue.lock protects both lists of that queue; kmsg_pool.lock
 * protects that pool's free list.  Both are taken with interrupts off (the
 * IPI handler takes them) and never nested.
 */
#include <kern/kmsg.h>
#include <kern/errno.h>
#include <kern/percpu.h>
#include <kern/printk.h>
#include <kern/smp.h>
#include <kern/spinlock.h>
#include <kern/ttrace.h>
#include <arch/apic.h>
#include <arch/trap.h>
#include <arch/x86.h>

struct kmsg {
	struct kmsg *next;
	kmsg_fn_t fn;
	u64 a0, a1, a2;
	int type;
	int pool_cpu;		/* whose pool to return it to */
};

struct kmsg_queue {
	struct spinlock lock;
	struct kmsg *imm_head, **imm_tail;	/* lock */
	struct kmsg *rout_head, **rout_tail;	/* lock */
} __aligned(64);

struct kmsg_pool {
	struct spinlock lock;
	struct kmsg *free;			/* lock */
	int nfree;				/* lock */
	struct kmsg msgs[KMSG_POOL_SIZE];
} __aligned(64);

static struct kmsg_queue queues[MAX_CPUS];
static struct kmsg_pool pools[MAX_CPUS];

static void kmsg_irq(struct hw_trapframe *tf, void *data);

void kmsg_init(void)
{
	for (int c = 0; c < MAX_CPUS; c++) {
		struct kmsg_queue *q = &queues[c];
		struct kmsg_pool *p = &pools[c];

		spinlock_init(&q->lock, "kmsg queue");
		q->imm_tail = &q->imm_head;
		q->rout_tail = &q->rout_head;
		spinlock_init(&p->lock, "kmsg pool");
		for (int i = 0; i < KMSG_POOL_SIZE; i++) {
			p->msgs[i].next = p->free;
			p->msgs[i].pool_cpu = c;
			p->free = &p->msgs[i];
		}
		p->nfree = KMSG_POOL_SIZE;
	}
	if (register_irq_handler(VEC_KMSG, kmsg_irq, NULL))
		panic("kmsg: vector %#x already taken", VEC_KMSG);
}

/* A free message from this CPU's pool, or NULL. */
static struct kmsg *kmsg_alloc(void)
{
	struct kmsg_pool *p = &pools[core_id()];
	u64 flags = spin_lock_irqsave(&p->lock);
	struct kmsg *m = p->free;

	if (m) {
		p->free = m->next;
		p->nfree--;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return m;
}

static void kmsg_free(struct kmsg *m)
{
	struct kmsg_pool *p = &pools[m->pool_cpu];
	u64 flags = spin_lock_irqsave(&p->lock);

	m->next = p->free;
	p->free = m;
	p->nfree++;
	spin_unlock_irqrestore(&p->lock, flags);
}

int kmsg_pool_free(int cpu)
{
	return READ_ONCE(pools[cpu].nfree);
}

int send_kernel_message(int cpu, kmsg_fn_t fn, u64 a0, u64 a1, u64 a2, int type)
{
	struct kmsg_queue *q;
	struct kmsg *m;
	u64 flags;

	if (cpu < 0 || cpu >= num_cpus || !fn ||
	    (type != KMSG_IMMEDIATE && type != KMSG_ROUTINE))
		return -EINVAL;
	if (!cpu_online[cpu])
		return -ENODEV;
	m = kmsg_alloc();
	if (!m) {
		printk("kmsg: CPU %d's pool of %d messages is exhausted (sending to CPU %d)\n",
		       core_id(), KMSG_POOL_SIZE, cpu);
		return -ENOMEM;
	}
	m->fn = fn;
	m->a0 = a0;
	m->a1 = a1;
	m->a2 = a2;
	m->type = type;
	m->next = NULL;
	q = &queues[cpu];
	flags = spin_lock_irqsave(&q->lock);
	if (type == KMSG_IMMEDIATE) {
		*q->imm_tail = m;
		q->imm_tail = &m->next;
	} else {
		*q->rout_tail = m;
		q->rout_tail = &m->next;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	ttrace_kmsg_send(cpu, (u64)fn, a0, type);
	/* Routine messages need the IPI too: it wakes the target from hlt. */
	send_ipi(cpu, VEC_KMSG);
	return 0;
}

/* Pop the head of one of this CPU's lists (routine if routine), or NULL. */
static struct kmsg *kmsg_pop(bool routine)
{
	struct kmsg_queue *q = &queues[core_id()];
	u64 flags = spin_lock_irqsave(&q->lock);
	struct kmsg **head = routine ? &q->rout_head : &q->imm_head;
	struct kmsg *m = *head;

	if (m) {
		*head = m->next;
		if (!*head) {
			if (routine)
				q->rout_tail = &q->rout_head;
			else
				q->imm_tail = &q->imm_head;
		}
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return m;
}

/* Copy the call out of m, give m back, then run the call. */
static void kmsg_run(struct kmsg *m)
{
	kmsg_fn_t fn = m->fn;
	u64 a0 = m->a0, a1 = m->a1, a2 = m->a2;

	ttrace_kmsg_run((u64)fn, a0, m->type);
	kmsg_free(m);
	fn(a0, a1, a2);
}

void kmsg_poll_immediate(void)
{
	struct kmsg *m;
	u64 flags = local_irq_save();

	while ((m = kmsg_pop(false)))
		kmsg_run(m);
	local_irq_restore(flags);
}

static void kmsg_irq(struct hw_trapframe *tf, void *data)
{
	(void)tf;
	(void)data;
	tlb_shootdown_poll();
	kmsg_poll_immediate();
}

bool kmsg_routine_pending(void)
{
	return READ_ONCE(queues[core_id()].rout_head) != NULL;
}

int process_routine_kmsg(void)
{
	struct kmsg *m;
	int n = 0;

	while ((m = kmsg_pop(true))) {
		kmsg_run(m);
		n++;
	}
	return n;
}

/* Immediate-message body of smp_call_function_all: a0 = fn, a1 = arg, a2 = &pending. */
static void call_one(u64 fn, u64 arg, u64 pending)
{
	((void (*)(void *))fn)((void *)arg);
	if (pending)
		__atomic_fetch_sub((int *)pending, 1, __ATOMIC_RELEASE);
}

int smp_call_function_all(void (*fn)(void *arg), void *arg, bool wait)
{
	int pending = 0, err = 0, me = core_id();
	u64 flags;

	for (int c = 0; c < num_cpus; c++) {
		int e;

		if (c == me || !cpu_online[c])
			continue;
		__atomic_fetch_add(&pending, 1, __ATOMIC_RELAXED);
		e = send_kernel_message(c, call_one, (u64)fn, (u64)arg,
					wait ? (u64)&pending : 0, KMSG_IMMEDIATE);
		if (e) {
			__atomic_fetch_sub(&pending, 1, __ATOMIC_RELAXED);
			err = err ? err : e;
		}
	}
	flags = local_irq_save();
	fn(arg);
	local_irq_restore(flags);
	/* Keep serving our own immediate queue: another CPU may be waiting on us. */
	while (wait && __atomic_load_n(&pending, __ATOMIC_ACQUIRE) > 0) {
		tlb_shootdown_poll();
		kmsg_poll_immediate();
		cpu_relax();
	}
	return err;
}
