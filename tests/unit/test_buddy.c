/*
 * Host tests of the buddy allocator core (kernel/mm/buddy.c) on a malloc'd
 * arena standing for fake physical memory at ARENA_PA: alignment,
 * splitting and merging, exhaustion, holes, rejection of double frees,
 * wrong orders and foreign addresses, and a random stress that writes
 * every block's address into it and checks nothing overlaps.
 */
// SOURCES: kernel/mm/buddy.c
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <kern/errno.h>
#include "../../kernel/mm/buddy.h"
#include "unit.h"

#define ARENA_PA	0x40000000UL		/* fake physical base (1 GiB) */
#define ARENA_PAGES	8192UL			/* 32 MiB */
#define TOP		(MAX_ORDER - 1)

static unsigned char *arena;

static void *va(physaddr_t pa)
{
	return arena + (pa - ARENA_PA);
}

static struct buddy *make(physaddr_t lo, physaddr_t hi)
{
	struct buddy *b = malloc(sizeof(*b));

	buddy_init(b, lo, hi, malloc(buddy_meta_size(lo, hi)));
	return b;
}

static void destroy(struct buddy *b)
{
	free(b->pages);
	free(b);
}

static void test_basic(void)
{
	struct buddy *b = make(ARENA_PA, ARENA_PA + ARENA_PAGES * 4096);
	physaddr_t pa[MAX_ORDER];

	CHECK_EQ(buddy_add_range(b, ARENA_PA, ARENA_PAGES * 4096), ARENA_PAGES);
	CHECK_EQ(b->free_pages, ARENA_PAGES);
	CHECK_EQ(b->nfree[TOP], ARENA_PAGES >> TOP);	/* fully merged */
	for (int k = 0; k < TOP; k++)
		CHECK_EQ(b->nfree[k], 0);

	/* One page splits a top block into one free block of every lower order. */
	pa[0] = buddy_alloc(b, 0);
	CHECK(pa[0] != 0, "alloc order 0");
	for (int k = 0; k < TOP; k++)
		CHECK(b->nfree[k] == 1, "after split nfree[%d] = %zu", k, b->nfree[k]);
	CHECK_EQ(b->nfree[TOP], (ARENA_PAGES >> TOP) - 1);
	CHECK_EQ(buddy_free(b, pa[0], 0), 0);
	CHECK_EQ(b->nfree[TOP], ARENA_PAGES >> TOP);	/* merged back up */
	for (int k = 0; k < TOP; k++)
		CHECK_EQ(b->nfree[k], 0);

	for (int k = 0; k <= TOP; k++) {
		pa[k] = buddy_alloc(b, k);
		CHECK(pa[k] && pa[k] % (4096UL << k) == 0, "order %d block %lx is aligned", k,
		      (unsigned long)pa[k]);
		CHECK(pa[k] >= ARENA_PA && pa[k] + (4096UL << k) <= ARENA_PA + ARENA_PAGES * 4096,
		      "order %d block inside the arena", k);
		memset(va(pa[k]), k, 4096UL << k);
	}
	for (int k = 0; k <= TOP; k++) {
		unsigned char *p = va(pa[k]);
		size_t bad = 0;

		for (size_t i = 0; i < (4096UL << k); i++)
			bad += p[i] != k;
		CHECK(bad == 0, "order %d block not overwritten by another (%zu bad)", k, bad);
	}
	CHECK_EQ(buddy_alloc(b, MAX_ORDER), 0);
	CHECK_EQ(buddy_alloc(b, -1), 0);

	/* Misuse is detected and changes nothing. */
	size_t before = b->free_pages;

	CHECK_EQ(buddy_free(b, pa[3], 2), -EINVAL);		/* wrong order */
	CHECK_EQ(buddy_free(b, pa[3] + 4096, 0), -EINVAL);	/* interior page */
	CHECK_EQ(buddy_free(b, pa[3] + 1, 3), -EINVAL);		/* unaligned */
	CHECK_EQ(buddy_free(b, 0x1000, 0), -EINVAL);		/* outside */
	CHECK_EQ(buddy_free(b, ARENA_PA + ARENA_PAGES * 4096 * 4, 0), -EINVAL);
	CHECK_EQ(buddy_free(b, pa[3], MAX_ORDER), -EINVAL);
	CHECK_EQ(b->free_pages, before);
	for (int k = 0; k <= TOP; k++)
		CHECK_EQ(buddy_free(b, pa[k], k), 0);
	CHECK_EQ(buddy_free(b, pa[3], 3), -EINVAL);		/* double free */
	CHECK_EQ(buddy_free(b, pa[0], 0), -EINVAL);		/* double free after merge */
	CHECK_EQ(b->free_pages, ARENA_PAGES);
	CHECK_EQ(b->nfree[TOP], ARENA_PAGES >> TOP);
	destroy(b);
}

static void test_exhaustion(void)
{
	struct buddy *b = make(ARENA_PA, ARENA_PA + ARENA_PAGES * 4096);
	static physaddr_t all[ARENA_PAGES];
	size_t n = 0;

	buddy_add_range(b, ARENA_PA, ARENA_PAGES * 4096);
	while (n < ARENA_PAGES && (all[n] = buddy_alloc(b, 0)))
		n++;
	CHECK_EQ(n, ARENA_PAGES);
	CHECK_EQ(buddy_alloc(b, 0), 0);
	CHECK_EQ(b->free_pages, 0);
	CHECK_EQ(buddy_free(b, all[5], 0), 0);
	CHECK_EQ(buddy_alloc(b, 1), 0);		/* one free page is not an order-1 block */
	CHECK_EQ(buddy_alloc(b, 0), all[5]);
	for (size_t i = 0; i < n; i += 2)	/* free in an interleaved order */
		buddy_free(b, all[i], 0);
	CHECK_EQ(b->nfree[0], ARENA_PAGES / 2);	/* no buddy pairs yet */
	for (size_t i = 1; i < n; i += 2)
		buddy_free(b, all[i], 0);
	CHECK_EQ(b->free_pages, ARENA_PAGES);
	CHECK_EQ(b->nfree[TOP], ARENA_PAGES >> TOP);
	destroy(b);
}

static void test_ranges(void)
{
	/* Unaligned base, partial pages at both ends and a hole in the middle. */
	physaddr_t lo = ARENA_PA + 3 * 4096 + 100, hole = ARENA_PA + 1000 * 4096;
	physaddr_t hole_end = ARENA_PA + 1500 * 4096, hi = ARENA_PA + 4000 * 4096 + 7;
	struct buddy *b = make(lo, hi);
	size_t added = buddy_add_range(b, lo, hole - lo) + buddy_add_range(b, hole_end, hi - hole_end);
	size_t expect = (1000 - 4) + (4000 - 1500);
	size_t n = 0;
	physaddr_t pa;

	CHECK_EQ(added, expect);
	CHECK_EQ(b->total_pages, expect);
	CHECK_EQ(b->base % (4096UL << TOP), 0);
	CHECK_EQ(buddy_add_range(b, lo, hole - lo), 0);		/* adding twice adds nothing */
	CHECK_EQ(buddy_add_range(b, 0, 4096), 0);		/* outside the covered span */
	int bad = 0;

	while ((pa = buddy_alloc(b, 0))) {
		n++;
		if (pa < ARENA_PA + 4 * 4096 || (pa >= hole && pa < hole_end) || pa + 4096 > hi)
			bad++;
	}
	CHECK_EQ(n, expect);
	CHECK(bad == 0, "%d pages handed out from the hole or the partial edges", bad);
	destroy(b);
}

static void test_stress(void)
{
	struct buddy *b = make(ARENA_PA, ARENA_PA + ARENA_PAGES * 4096);
	struct { physaddr_t pa; int order; } live[512];
	int nlive = 0, bad = 0;
	size_t pages = 0;

	buddy_add_range(b, ARENA_PA, ARENA_PAGES * 4096);
	srand(1234);
	for (int round = 0; round < 20000; round++) {
		if (nlive < 512 && (rand() % 3 || !nlive)) {
			int order = rand() % 6;
			physaddr_t pa = buddy_alloc(b, order);

			if (!pa)
				continue;
			for (size_t i = 0; i < (512UL << order); i++)
				((physaddr_t *)va(pa))[i] = pa;
			live[nlive].pa = pa;
			live[nlive++].order = order;
			pages += 1UL << order;
		} else {
			int i = rand() % nlive;
			const physaddr_t *w = va(live[i].pa);

			for (size_t j = 0; j < (512UL << live[i].order); j++)
				bad += w[j] != live[i].pa;
			if (buddy_free(b, live[i].pa, live[i].order))
				bad++;
			pages -= 1UL << live[i].order;
			live[i] = live[--nlive];
		}
		if (b->free_pages + pages != ARENA_PAGES)
			bad++;
	}
	CHECK(bad == 0, "%d overlaps or accounting errors in the random stress", bad);
	while (nlive) {
		nlive--;
		buddy_free(b, live[nlive].pa, live[nlive].order);
	}
	CHECK_EQ(b->nfree[TOP], ARENA_PAGES >> TOP);
	destroy(b);
}

int main(void)
{
	arena = malloc(ARENA_PAGES * 4096);
	test_basic();
	test_exhaustion();
	test_ranges();
	test_stress();
	free(arena);
	return UNIT_SUMMARY();
}
