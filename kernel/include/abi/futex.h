/*
 * futex(2) operations and flags, the bits of a PI/robust futex word, and
 * the robust-list walk limit.  Mirrors Linux's uapi/linux/futex.h.
 */
#ifndef ABI_FUTEX_H
#define ABI_FUTEX_H

#ifndef FUTEX_WAIT
#define FUTEX_WAIT		0
#endif
#ifndef FUTEX_WAKE
#define FUTEX_WAKE		1
#endif
#ifndef FUTEX_FD
#define FUTEX_FD		2
#endif
#ifndef FUTEX_REQUEUE
#define FUTEX_REQUEUE		3
#endif
#ifndef FUTEX_CMP_REQUEUE
#define FUTEX_CMP_REQUEUE	4
#endif
#ifndef FUTEX_WAKE_OP
#define FUTEX_WAKE_OP		5
#endif
#ifndef FUTEX_LOCK_PI
#define FUTEX_LOCK_PI		6
#endif
#ifndef FUTEX_UNLOCK_PI
#define FUTEX_UNLOCK_PI		7
#endif
#ifndef FUTEX_TRYLOCK_PI
#define FUTEX_TRYLOCK_PI	8
#endif
#ifndef FUTEX_WAIT_BITSET
#define FUTEX_WAIT_BITSET	9
#endif
#ifndef FUTEX_WAKE_BITSET
#define FUTEX_WAKE_BITSET	10
#endif

#ifndef FUTEX_PRIVATE_FLAG
#define FUTEX_PRIVATE_FLAG	128
#endif
#ifndef FUTEX_CLOCK_REALTIME
#define FUTEX_CLOCK_REALTIME	256
#endif

/* FUTEX_WAIT_BITSET/FUTEX_WAKE_BITSET mask matching every waiter. */
#ifndef FUTEX_BITSET_MATCH_ANY
#define FUTEX_BITSET_MATCH_ANY	0xffffffffu
#endif

/* The futex word of a robust or PI lock. */
#ifndef FUTEX_WAITERS
#define FUTEX_WAITERS		0x80000000u
#endif
#ifndef FUTEX_OWNER_DIED
#define FUTEX_OWNER_DIED	0x40000000u
#endif
#ifndef FUTEX_TID_MASK
#define FUTEX_TID_MASK		0x3fffffffu
#endif

/* Robust-list entries walked at exit at most. */
#ifndef ROBUST_LIST_LIMIT
#define ROBUST_LIST_LIMIT	2048
#endif

#endif
