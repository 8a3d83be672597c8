/*
 * Kernel random numbers (kernel/lib/random.c): a ChaCha20 generator with
 * fast key erasure, seeded from RDRAND/RDTSC on first use.  Never blocks;
 * what /dev/urandom, getrandom() and AT_RANDOM use.  Any context except NMI.
 */
#ifndef KERN_RANDOM_H
#define KERN_RANDOM_H

#include <kern/types.h>

/* Mix seed (and fresh hardware bits) into the generator key. */
void random_init(u64 seed);
void random_bytes(void *buf, size_t n);
u64 random_u64(void);

#endif
