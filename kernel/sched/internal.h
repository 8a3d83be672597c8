/*
 * What the files of kernel/sched share and nothing outside them uses: the
 * timer tick's hook into wait.c and the idle-CPU kick of the run queue.
 * The scheduler interface is kern/sched.h, wait queues kern/wait.h.
 */
#ifndef KERNEL_SCHED_INTERNAL_H
#define KERNEL_SCHED_INTERNAL_H

/* Tick hook: wake every timed sleeper whose deadline has passed, run due ktimers (wait.c). */
void timers_run(void);
/* Wake an idle time-sharing CPU so it looks at the run queue (sched.c). */
void smp_kick_idle_cpu(u64 mask);

#endif
