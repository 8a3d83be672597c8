/*
 * ttrace per-CPU ring buffer: one writer CPU (whose IRQ and NMI handlers
 * may nest writers at any instruction), one consuming reader on any CPU.
 * Arch-independent: it needs only <stdint.h>/<stddef.h> and the helpers
 * below, so the same file builds into the kernel and into host tools and
 * tests (ttrace-tools/, tests/unit/test_ttrace_ring.c).
 *
 * Model.  Positions are byte counts since the last reset (u64, never wrap);
 * byte p lives at data[p % size].  The ring is cut into sub-buffers of
 * subsz bytes; a record never straddles one (the rest is padded) and each
 * sub-buffer starts with a TTRACE_REC_SUBBUF record carrying the sequence
 * number of its first event, so a reader that was overtaken can restart at
 * a sub-buffer and count exactly what it missed.
 *
 * Writer (this CPU only, lockless): `committing` counts writers in flight;
 * a writer reads the clock and reserves [head, head+len) with a CPU-local
 * compare-and-swap, retrying if a nested writer moved head in between (so
 * buffer order is timestamp order), fills its record, then commits.  Only
 * the outermost writer (committing == 1) publishes: it fills the headers of
 * sub-buffers begun since the last publish and stores `commit = head`,
 * re-checking head after it drops out so a writer that nested in between
 * is never left unpublished.  Everything below `commit` is complete.
 *
 * Modes.  Discard: a reservation that would pass tail + size (tail = what
 * the reader consumed) fails.  Overwrite: the writer laps the reader, but
 * never the sub-buffer holding `commit`, so it cannot overwrite records
 * still being written.  A writer-side drop is counted in pending_lost and
 * marked in the stream by a TTRACE_REC_LOST record placed with the next
 * record that fits; a reader overtaken in overwrite mode synthesises the
 * LOST record from the sequence gap.  Both counts are exact.
 *
 * Reader (one at a time; the caller serialises): copies records below
 * `commit`, and in overwrite mode validates each copy afterwards like a
 * seqlock reader (head must not have moved a whole ring past it).
 */
#ifndef KERNEL_DEBUG_TTRACE_RING_H
#define KERNEL_DEBUG_TTRACE_RING_H

#include <stdint.h>
#include <stddef.h>
#include <abi/ttrace.h>

#define TTRACE_SUBBUF_MIN	4096u	/* > largest record + header + LOST */

/*
 * CPU-local atomics: atomic against interrupts and NMIs on this CPU (one
 * instruction, no lock prefix), not against other CPUs.
 */
#if defined(__x86_64__)
static inline int ttrace_local_cmpxchg(uint64_t *p, uint64_t old, uint64_t new)
{
	uint64_t prev;

	__asm__ __volatile__("cmpxchgq %2, %1"
			     : "=a"(prev), "+m"(*p) : "r"(new), "0"(old) : "memory");
	return prev == old;
}

static inline void ttrace_local_add(uint64_t *p, uint64_t v)
{
	__asm__ __volatile__("addq %1, %0" : "+m"(*p) : "er"(v) : "memory");
}

static inline uint64_t ttrace_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
#else
static inline int ttrace_local_cmpxchg(uint64_t *p, uint64_t old, uint64_t new)
{
	return __atomic_compare_exchange_n(p, &old, new, 0, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

static inline void ttrace_local_add(uint64_t *p, uint64_t v)
{
	__atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}
#endif

/* The clock a writer stamps records with; a build may substitute its own. */
#ifndef TTRACE_RING_CLOCK
#define TTRACE_RING_CLOCK()	ttrace_rdtsc()
#endif

struct ttrace_ring {
	/* Writer side: changed only by this CPU's writers, with local atomics. */
	uint64_t head;		/* bytes reserved */
	uint64_t commit;	/* bytes complete (store-release; the reader loads) */
	uint64_t committing;	/* writers between reserve and commit */
	uint64_t next_fix;	/* next sub-buffer start whose header to fill */
	uint64_t fix_seq;	/* first_seq of the sub-buffer before next_fix */
	uint64_t pending_lost;	/* writer drops not yet marked in the stream */
	uint64_t written;	/* events recorded */
	uint64_t dropped;	/* events dropped by the writer */
	uint64_t *nrec;		/* per sub-buffer: events placed there, all laps */
	uint64_t *nrec_closed;	/* nrec when its last lap was closed */

	/* Reader side. */
	uint64_t tail;		/* discard: bytes consumed (store-release) */
	uint64_t rpos;		/* next byte to read */
	uint64_t next_seq;	/* sequence number of the next event to read */
	uint64_t overwritten;	/* events lost to overwrite, seen by the reader */
	uint64_t last_tsc;	/* timestamp of the last record read */
	uint64_t gap;		/* overwritten events not yet marked */

	/* Configuration, fixed while writers may run. */
	uint8_t *data;
	uint64_t size;		/* power of two, nsub * subsz */
	uint64_t subsz;		/* power of two >= TTRACE_SUBBUF_MIN */
	uint32_t nsub;
	uint32_t mode;		/* TTRACE_MODE_* */
	uint16_t cpu;
	uint8_t enabled;
};

/* Flags of ttrace_ring_read. */
#define TTRACE_READ_FINAL	0x1	/* writers are stopped: also mark pending drops */

/* Bytes of memory ttrace_ring_init needs for a ring of size bytes. */
size_t ttrace_ring_mem_size(uint64_t size, uint64_t subsz);
/*
 * Set up r over mem (ttrace_ring_mem_size bytes, 8-aligned), empty and
 * enabled.  Returns -EINVAL if size or subsz is not a power of two, subsz
 * is below TTRACE_SUBBUF_MIN, fewer than two sub-buffers fit, or the mode
 * is unknown.
 */
int ttrace_ring_init(struct ttrace_ring *r, void *mem, uint64_t size, uint64_t subsz,
		     uint32_t mode, uint16_t cpu);
/*
 * The same with the data (size bytes) and the counters (2 * size / subsz
 * u64s) allocated apart, so data can be an exact power-of-two block.
 */
int ttrace_ring_init_split(struct ttrace_ring *r, void *data, uint64_t *counters, uint64_t size,
			   uint64_t subsz, uint32_t mode, uint16_t cpu);
/* Empty r, zero its counts (writers and the reader must be stopped). */
void ttrace_ring_reset(struct ttrace_ring *r);
/*
 * Reserve a record of type with payload bytes for thread tid and stamp it.
 * Returns the record (header filled; payload at rec + 1, zeroed padding not
 * guaranteed) to be filled and passed to ttrace_ring_commit, or NULL if the
 * ring is disabled or the event was dropped (counted; commit must still not
 * be called).  payload must be <= TTRACE_REC_MAX - 16.
 */
struct ttrace_rec *ttrace_ring_reserve(struct ttrace_ring *r, unsigned int type,
				       uint32_t tid, size_t payload);
/* Finish the record returned by the last unmatched ttrace_ring_reserve. */
void ttrace_ring_commit(struct ttrace_ring *r);
/*
 * Reserve, copy payload, commit.  Returns 0, or -ENOSPC if the event was
 * dropped, -EAGAIN if the ring is disabled.
 */
int ttrace_ring_write(struct ttrace_ring *r, unsigned int type, uint32_t tid,
		      const void *payload, size_t len);
/*
 * Consume records into buf (at most cap bytes, whole records): events and
 * TTRACE_REC_LOST markers, no ring-internal records.  Returns bytes copied
 * (0: nothing to read now), or -EINVAL if cap cannot hold the largest
 * record, -EIO if the ring is corrupt.
 */
long ttrace_ring_read(struct ttrace_ring *r, void *buf, size_t cap, unsigned int flags);
/*
 * Events lost so far: writer drops, plus overwrites (those the reader has
 * passed and those it will find; an estimate while writers lap the ring).
 */
uint64_t ttrace_ring_lost(const struct ttrace_ring *r);
/* Bytes written but not yet consumed (an estimate while writers run). */
uint64_t ttrace_ring_used(const struct ttrace_ring *r);

#endif
