/*
 * ttrace ring buffer: the lockless per-CPU writer (reserve/commit, safe
 * against IRQ and NMI writers nesting at any point), the consuming reader,
 * and exact loss accounting in overwrite and discard modes.  The model and
 * the invariants are described in ttrace_ring.h; the comments here say
 * which invariant each step keeps.
 *
 * Invariants the writer keeps (they are what the reader relies on):
 * 1. Buffer order is timestamp order: the clock is read inside the reserve
 *    loop, and a nested writer that slips in moves head, so the outer
 *    compare-and-swap fails and it re-reads the clock.
 * 2. Everything below `commit` is a complete record or sub-buffer header:
 *    only the outermost writer publishes, after filling the headers.
 * 3. No reservation reaches the sub-buffer one lap behind the one holding
 *    `commit`, so neither an unfinished record nor a sub-buffer whose count
 *    is being closed is ever overwritten or re-counted.
 * Sequence numbers: nrec[i] counts events placed in sub-buffer i (a LOST
 * record of n counts n); closing sub-buffer i adds its count for this lap
 * to fix_seq, which the next header carries as first_seq.
 */
#include "ttrace_ring.h"
#include <abi/errno.h>

#define SUBBUF_HDR_LEN	TTRACE_REC_LEN(sizeof(struct ttrace_subbuf))
#define LOST_LEN	TTRACE_REC_LEN(sizeof(struct ttrace_lost))

/* Tests define this to run a nested writer at each numbered point. */
#ifndef TTRACE_RING_HOOK
#define TTRACE_RING_HOOK(r, point)	do { } while (0)
#endif

/* Plain atomic load of a writer field; cannot fail. */
static inline uint64_t load_once(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* Load that orders the loads after it; cannot fail. */
static inline uint64_t load_acquire(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* Store that orders the stores before it; cannot fail. */
static inline void store_release(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Whether x is a nonzero power of two. */
static inline int is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* Where byte position pos lives in the data area. */
static inline uint8_t *ring_at(const struct ttrace_ring *r, uint64_t pos)
{
	return r->data + (pos & (r->size - 1));
}

/* Index of the sub-buffer holding position pos. */
static inline uint32_t ring_sub(const struct ttrace_ring *r, uint64_t pos)
{
	return (uint32_t)(pos / r->subsz) & (r->nsub - 1);
}

/* Fill a record header; cannot fail. */
static inline void rec_header(struct ttrace_rec *rec, unsigned int type, uint32_t len,
			      uint16_t cpu, uint32_t tid, uint64_t tsc)
{
	rec->type = (uint8_t)type;
	rec->len8 = (uint8_t)(len / TTRACE_REC_ALIGN);
	rec->cpu = cpu;
	rec->tid = tid;
	rec->tsc = tsc;
}

/* Bytes of memory ttrace_ring_init needs; 0 if the geometry is invalid. */
size_t ttrace_ring_mem_size(uint64_t size, uint64_t subsz)
{
	if (!is_pow2(size) || !is_pow2(subsz) || subsz < TTRACE_SUBBUF_MIN || size / subsz < 4)
		return 0;
	return (size_t)(size + 2 * (size / subsz) * sizeof(uint64_t));
}

/* Returns -EINVAL for a bad geometry, mode or pointer (see ttrace_ring.h). */
int ttrace_ring_init_split(struct ttrace_ring *r, void *data, uint64_t *counters, uint64_t size,
			   uint64_t subsz, uint32_t mode, uint16_t cpu)
{
	if (!ttrace_ring_mem_size(size, subsz) || !data || !counters)
		return -EINVAL;
	if (mode != TTRACE_MODE_OVERWRITE && mode != TTRACE_MODE_DISCARD)
		return -EINVAL;
	r->data = data;
	r->size = size;
	r->subsz = subsz;
	r->nsub = (uint32_t)(size / subsz);
	r->nrec = counters;
	r->nrec_closed = r->nrec + r->nsub;
	r->mode = mode;
	r->cpu = cpu;
	ttrace_ring_reset(r);
	return 0;
}

/* Returns -EINVAL for a bad geometry or mode (see ttrace_ring.h). */
int ttrace_ring_init(struct ttrace_ring *r, void *mem, uint64_t size, uint64_t subsz,
		     uint32_t mode, uint16_t cpu)
{
	if (!ttrace_ring_mem_size(size, subsz) || !mem)
		return -EINVAL;
	return ttrace_ring_init_split(r, mem, (uint64_t *)((uint8_t *)mem + size), size, subsz,
				      mode, cpu);
}

/* Cannot fail. */
void ttrace_ring_reset(struct ttrace_ring *r)
{
	r->head = r->commit = r->committing = 0;
	r->next_fix = r->fix_seq = 0;
	r->pending_lost = r->written = r->dropped = 0;
	r->tail = r->rpos = r->next_seq = r->overwritten = r->last_tsc = r->gap = 0;
	for (uint32_t i = 0; i < r->nsub; i++)
		r->nrec[i] = r->nrec_closed[i] = 0;
	r->enabled = 1;
}

/*
 * Fill the header of every sub-buffer begun below h.  Only the outermost
 * writer calls this, so next_fix, fix_seq and nrec_closed are its own; the
 * sub-buffers it closes are below head, where no writer reserves any more.
 */
static void fill_headers(struct ttrace_ring *r, uint64_t h)
{
	while (r->next_fix < h) {
		uint64_t b = r->next_fix;
		struct ttrace_rec *hdr = (struct ttrace_rec *)ring_at(r, b);
		struct ttrace_subbuf *sb = (struct ttrace_subbuf *)(hdr + 1);

		if (b) {
			uint32_t prev = ring_sub(r, b - r->subsz);
			uint64_t n = load_once(&r->nrec[prev]);

			r->fix_seq += n - r->nrec_closed[prev];
			r->nrec_closed[prev] = n;
		}
		rec_header(hdr, TTRACE_REC_SUBBUF, SUBBUF_HDR_LEN, r->cpu, 0, 0);
		sb->first_seq = r->fix_seq;
		r->next_fix = b + r->subsz;
	}
}

/* Cannot fail. */
void ttrace_ring_commit(struct ttrace_ring *r)
{
	uint64_t h;

	TTRACE_RING_HOOK(r, 4);
	if (load_once(&r->committing) != 1) {
		ttrace_local_add(&r->committing, (uint64_t)-1);
		return;
	}
	for (;;) {
		h = load_once(&r->head);
		TTRACE_RING_HOOK(r, 5);
		fill_headers(r, h);
		TTRACE_RING_HOOK(r, 6);
		store_release(&r->commit, h);
		ttrace_local_add(&r->committing, (uint64_t)-1);
		TTRACE_RING_HOOK(r, 7);
		/* A writer that nested after our load of head is ours to publish. */
		if (load_once(&r->head) == h)
			return;
		ttrace_local_add(&r->committing, 1);
	}
}

/* Take the pending drop count; 0 if a nested writer already marked it. */
static uint64_t take_pending_lost(struct ttrace_ring *r)
{
	uint64_t n;

	do {
		n = load_once(&r->pending_lost);
	} while (n && !ttrace_local_cmpxchg(&r->pending_lost, n, 0));
	return n;
}

/* Returns NULL if disabled or dropped (see ttrace_ring.h). */
struct ttrace_rec *ttrace_ring_reserve(struct ttrace_ring *r, unsigned int type,
				       uint32_t tid, size_t payload)
{
	uint64_t len = TTRACE_REC_LEN(payload), mask = r->subsz - 1;
	uint64_t old, start, new, limit, ts, lost, extra, n;
	struct ttrace_rec *rec;
	uint32_t sub;

	if (!__atomic_load_n(&r->enabled, __ATOMIC_RELAXED))
		return NULL;
	ttrace_local_add(&r->committing, 1);
	TTRACE_RING_HOOK(r, 0);
	for (;;) {
		old = load_once(&r->head);
		lost = load_once(&r->pending_lost);
		extra = lost ? LOST_LEN : 0;
		if ((old & mask) == 0)
			start = old + SUBBUF_HDR_LEN;
		else if ((old & mask) + extra + len > r->subsz)
			start = (old | mask) + 1 + SUBBUF_HDR_LEN;
		else
			start = old;
		new = start + extra + len;
		/* Invariant 3, and in discard mode the reader's tail. */
		limit = (load_once(&r->commit) & ~mask) + r->size - r->subsz;
		if (r->mode == TTRACE_MODE_DISCARD && load_acquire(&r->tail) + r->size < limit)
			limit = load_acquire(&r->tail) + r->size;
		if (new > limit)
			goto drop;
		TTRACE_RING_HOOK(r, 1);
		ts = TTRACE_RING_CLOCK();
		TTRACE_RING_HOOK(r, 2);
		if (ttrace_local_cmpxchg(&r->head, old, new))
			break;
	}
	TTRACE_RING_HOOK(r, 3);
	sub = ring_sub(r, start);
	if (start != old && (old & mask)) {
		/* Padding may be only 8 bytes: write the first half of a header. */
		struct ttrace_rec *pad = (struct ttrace_rec *)ring_at(r, old);

		pad->type = TTRACE_REC_PAD;
		pad->len8 = 1;
		pad->cpu = r->cpu;
		pad->tid = 0;
	}
	if (extra) {
		struct ttrace_rec *lr = (struct ttrace_rec *)ring_at(r, start);
		struct ttrace_lost *l = (struct ttrace_lost *)(lr + 1);

		n = take_pending_lost(r);
		rec_header(lr, TTRACE_REC_LOST, LOST_LEN, r->cpu, 0, ts);
		l->count = n;
		l->cause = TTRACE_LOST_DROPPED;
		l->reserved = 0;
		ttrace_local_add(&r->nrec[sub], n);
		start += LOST_LEN;
	}
	ttrace_local_add(&r->nrec[sub], 1);
	ttrace_local_add(&r->written, 1);
	rec = (struct ttrace_rec *)ring_at(r, start);
	rec_header(rec, type, (uint32_t)len, r->cpu, tid, ts);
	return rec;
drop:
	ttrace_local_add(&r->pending_lost, 1);
	ttrace_local_add(&r->dropped, 1);
	/* Publish what nested writers finished while we tried. */
	ttrace_ring_commit(r);
	return NULL;
}

/* Returns 0, -ENOSPC (dropped) or -EAGAIN (disabled). */
int ttrace_ring_write(struct ttrace_ring *r, unsigned int type, uint32_t tid,
		      const void *payload, size_t len)
{
	struct ttrace_rec *rec;
	uint32_t rlen = TTRACE_REC_LEN(len);

	if (!__atomic_load_n(&r->enabled, __ATOMIC_RELAXED))
		return -EAGAIN;
	rec = ttrace_ring_reserve(r, type, tid, len);
	if (!rec)
		return -ENOSPC;
	__builtin_memcpy(rec + 1, payload, len);
	if (rlen > sizeof(*rec) + len)
		__builtin_memset((uint8_t *)(rec + 1) + len, 0, rlen - sizeof(*rec) - len);
	ttrace_ring_commit(r);
	return 0;
}

/*
 * In overwrite mode, whether the bytes copied from position pos are still
 * intact: the writer moves head before it writes, so if any byte we read was
 * rewritten, head is now more than a ring past pos.
 */
static int still_valid(const struct ttrace_ring *r, uint64_t pos)
{
	if (r->mode != TTRACE_MODE_OVERWRITE)
		return 1;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return load_acquire(&r->head) <= pos + r->size;
}

/* Write a LOST record of count at out; cannot fail. */
static void put_lost(uint8_t *out, const struct ttrace_ring *r, uint64_t count, uint32_t cause,
		     uint64_t tsc)
{
	struct ttrace_rec *rec = (struct ttrace_rec *)out;
	struct ttrace_lost *l = (struct ttrace_lost *)(rec + 1);

	rec_header(rec, TTRACE_REC_LOST, LOST_LEN, r->cpu, 0, tsc);
	l->count = count;
	l->cause = cause;
	l->reserved = 0;
}

/* Returns bytes copied, 0 if nothing to read, -EINVAL or -EIO. */
long ttrace_ring_read(struct ttrace_ring *r, void *buf, size_t cap, unsigned int flags)
{
	uint8_t *out = buf;
	uint64_t mask = r->subsz - 1;
	size_t n = 0;

	if (cap < TTRACE_REC_MAX + 2 * LOST_LEN)
		return -EINVAL;
	for (;;) {
		uint64_t c = load_acquire(&r->commit);
		uint64_t rp = r->rpos, len;
		struct ttrace_rec hdr;
		struct ttrace_subbuf sb;
		struct ttrace_lost lost;

		if (r->mode == TTRACE_MODE_OVERWRITE) {
			uint64_t h = load_acquire(&r->head);

			if (h > rp + r->size) {
				/* Overtaken: restart at the oldest intact sub-buffer. */
				rp = ((h - r->size) + mask) & ~mask;
				r->rpos = rp;
			}
		}
		if (rp >= c)
			break;
		/* The last 8 bytes of a sub-buffer can only hold a PAD's first half. */
		__builtin_memset(&hdr, 0, sizeof(hdr));
		__builtin_memcpy(&hdr, ring_at(r, rp),
				 r->subsz - (rp & mask) < sizeof(hdr) ? 8 : sizeof(hdr));
		if ((rp & mask) == 0) {
			__builtin_memcpy(&sb, ring_at(r, rp) + sizeof(hdr), sizeof(sb));
			if (!still_valid(r, rp))
				continue;
			if (hdr.type != TTRACE_REC_SUBBUF || sb.first_seq < r->next_seq)
				return -EIO;
			r->gap += sb.first_seq - r->next_seq;
			r->next_seq = sb.first_seq;
			r->rpos = rp + SUBBUF_HDR_LEN;
			continue;
		}
		if (hdr.type == TTRACE_REC_PAD) {
			if (!still_valid(r, rp))
				continue;
			r->rpos = (rp | mask) + 1;
			continue;
		}
		len = (uint64_t)hdr.len8 * TTRACE_REC_ALIGN;
		if (len < sizeof(hdr) || (rp & mask) + len > r->subsz) {
			if (!still_valid(r, rp))
				continue;
			return -EIO;
		}
		if (n + len + LOST_LEN > cap)
			break;
		if (r->gap)
			__builtin_memcpy(out + n + LOST_LEN, ring_at(r, rp), len);
		else
			__builtin_memcpy(out + n, ring_at(r, rp), len);
		if (hdr.type == TTRACE_REC_LOST)
			__builtin_memcpy(&lost, ring_at(r, rp) + sizeof(hdr), sizeof(lost));
		if (!still_valid(r, rp))
			continue;
		if (r->gap) {
			put_lost(out + n, r, r->gap, TTRACE_LOST_OVERWRITTEN, hdr.tsc);
			r->overwritten += r->gap;
			r->gap = 0;
			n += LOST_LEN;
		}
		r->rpos = rp + len;
		r->last_tsc = hdr.tsc;
		if (hdr.type == TTRACE_REC_LOST) {
			r->next_seq += lost.count;
			if (!lost.count)
				continue;	/* a nested writer marked the drops first */
		} else {
			r->next_seq++;
		}
		n += len;
	}
	if (r->mode == TTRACE_MODE_DISCARD)
		store_release(&r->tail, r->rpos);
	if (flags & TTRACE_READ_FINAL) {
		uint64_t p = r->pending_lost;

		if (r->gap && n + LOST_LEN <= cap) {
			put_lost(out + n, r, r->gap, TTRACE_LOST_OVERWRITTEN, r->last_tsc);
			r->overwritten += r->gap;
			r->gap = 0;
			n += LOST_LEN;
		}
		if (p && n + LOST_LEN <= cap) {
			put_lost(out + n, r, p, TTRACE_LOST_DROPPED, r->last_tsc);
			r->pending_lost = 0;
			n += LOST_LEN;
		}
	}
	return (long)n;
}

/*
 * Events overwritten that the reader has not reached yet (overwrite mode):
 * the sequence number of the oldest intact sub-buffer minus the reader's;
 * 0 if that header changed under us (writers lapping again) or is unpublished.
 */
static uint64_t unseen_overwritten(const struct ttrace_ring *r)
{
	uint64_t mask = r->subsz - 1, h = load_acquire(&r->head), rp, seq;
	struct ttrace_subbuf sb;

	if (r->mode != TTRACE_MODE_OVERWRITE || h <= r->rpos + r->size)
		return 0;
	rp = ((h - r->size) + mask) & ~mask;
	if (rp >= load_acquire(&r->commit))
		return 0;
	__builtin_memcpy(&sb, ring_at(r, rp) + sizeof(struct ttrace_rec), sizeof(sb));
	seq = sb.first_seq;
	if (!still_valid(r, rp) || seq < r->next_seq)
		return 0;
	return seq - r->next_seq;
}

/* Cannot fail. */
uint64_t ttrace_ring_lost(const struct ttrace_ring *r)
{
	return load_once(&r->dropped) + r->overwritten + r->gap + unseen_overwritten(r);
}

/* Cannot fail. */
uint64_t ttrace_ring_used(const struct ttrace_ring *r)
{
	uint64_t h = load_acquire(&r->head), rp = r->rpos;

	if (rp > h)
		return 0;
	return h - rp > r->size ? r->size : h - rp;
}
