/*
 * Futexes (kernel/ipc/futex.c): the kernel side used by thread exit.
 * A futex is keyed by (mm, address) in private mappings and by the
 * physical address of the word in shared ones.
 */
#ifndef KERN_FUTEX_H
#define KERN_FUTEX_H

#include <kern/types.h>

struct mm;
struct task;

/* Wake up to n waiters on uaddr in mm whose bitset meets bitset; the count or -errno. */
long futex_wake_mm(struct mm *mm, uintptr_t uaddr, int n, u32 bitset);
/* Exit of thread t: release its robust futexes, clear and wake its CLEARTID word. */
void futex_thread_exit(struct task *t);

#endif
