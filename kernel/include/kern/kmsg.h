/*
 * Kernel messages: Akaros-style cross-core function calls.
 *
 * send_kernel_message(cpu, fn, a0, a1, a2, type) queues fn(a0, a1, a2) for
 * CPU cpu and sends it the VEC_KMSG IPI.  KMSG_IMMEDIATE messages run in
 * that IPI handler (interrupts off, so they must be short and must not
 * block); KMSG_ROUTINE messages run, in order and one at a time with
 * interrupts on, the next time the target reaches process_routine_kmsg()
 * (its idle loop, or any other point that polls).  A CPU may message
 * itself.  Messages come from a fixed pool per sending CPU
 * (KMSG_POOL_SIZE entries, no allocator involved); when it is empty the
 * send fails with -ENOMEM and says so, it never blocks.
 *
 * Messages to one CPU from one sender run in the order they were sent.
 */
#ifndef KERN_KMSG_H
#define KERN_KMSG_H

#include <kern/types.h>

#define KMSG_IMMEDIATE	1
#define KMSG_ROUTINE	2
#define KMSG_POOL_SIZE	128

typedef void (*kmsg_fn_t)(u64 a0, u64 a1, u64 a2);

/* Set up the queues and pools and claim VEC_KMSG; BSP, before smp_boot. */
void kmsg_init(void);
/* Queue fn for cpu; 0, -EINVAL (bad cpu/type/fn), -ENODEV (offline), -ENOMEM (pool empty). */
int send_kernel_message(int cpu, kmsg_fn_t fn, u64 a0, u64 a1, u64 a2, int type);
/* Run this CPU's pending routine messages; returns how many ran.  Interrupts on. */
int process_routine_kmsg(void);
/* True if this CPU has routine messages waiting. */
bool kmsg_routine_pending(void);
/* Run this CPU's pending immediate messages now (for code spinning with IRQs off). */
void kmsg_poll_immediate(void);
/* Messages currently free in cpu's pool. */
int kmsg_pool_free(int cpu);

/*
 * Run fn(arg) on every online CPU (the caller's directly, others as
 * immediate messages).  With wait, return only after all have finished.
 * Returns 0, or the first send error (fn then did not run everywhere).
 */
int smp_call_function_all(void (*fn)(void *arg), void *arg, bool wait);

#endif
