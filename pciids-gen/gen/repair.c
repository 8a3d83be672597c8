/*
 * repair.c - compress the names with a Re-Pair style grammar.
 *
 * Model: all names form one sequence of symbols (bytes 0..255 to start,
 * a separator between names).  Each round counts adjacent pairs, turns
 * the most frequent ones (at least MIN_PAIRS uses, and at least 3/4 of the
 * top count, so a round stays close to exact Re-Pair) into new symbols and
 * rewrites the sequence left to right.  Rounds stop when no pair repeats
 * enough or the code space (PCIIDS_MAX_CODES) is full.  The 128 symbols
 * the final sequence uses most get 1-byte codes; the rest are numbered in
 * pre-order so subtrees share cache lines.  Symbols expanding to at most 3
 * bytes are stored as those bytes.  Repeated whole names collapse into one
 * symbol, which is how duplicate names are shared.
 */
#include <stdlib.h>
#include <string.h>
#include "gen.h"
#include "pciids_db.h"

#define SEP		UINT32_MAX
#define EMPTY		UINT64_MAX
#define MIN_PAIRS	3

struct pair_map {
	uint64_t *key;
	uint32_t *val;
	uint32_t mask, used;
};

struct grammar {
	uint32_t *seq;
	size_t len;
	uint32_t *left, *right;	/* rule r is symbol 256 + r */
	uint8_t *depth;
	uint32_t n_rules, cap_rules;
};

/* Empty the map, sized for at least want keys; returns 0 or -1. */
static int map_reset(struct pair_map *m, uint32_t want)
{
	uint32_t size = 1024;

	while (size < want * 2)
		size *= 2;
	if (size != m->mask + 1 || !m->key) {
		free(m->key);
		free(m->val);
		m->key = malloc(size * sizeof(*m->key));
		m->val = malloc(size * sizeof(*m->val));
		if (!m->key || !m->val)
			return -1;
		m->mask = size - 1;
	}
	memset(m->key, 0xff, (size_t)size * sizeof(*m->key));
	m->used = 0;
	return 0;
}

/* Slot of key k (its own or the empty one to use); cannot fail. */
static uint32_t map_slot(const struct pair_map *m, uint64_t k)
{
	uint64_t h = k * 0x9e3779b97f4a7c15ull;
	uint32_t i = (uint32_t)(h >> 32) & m->mask;

	while (m->key[i] != EMPTY && m->key[i] != k)
		i = (i + 1) & m->mask;
	return i;
}

/* Double the map keeping its keys; returns 0 or -1. */
static int map_grow(struct pair_map *m)
{
	struct pair_map n = { NULL, NULL, 0, 0 };
	uint32_t i;

	if (map_reset(&n, (m->mask + 1)))
		return -1;
	for (i = 0; i <= m->mask; i++) {
		uint32_t s;

		if (m->key[i] == EMPTY)
			continue;
		s = map_slot(&n, m->key[i]);
		n.key[s] = m->key[i];
		n.val[s] = m->val[i];
	}
	n.used = m->used;
	free(m->key);
	free(m->val);
	*m = n;
	return 0;
}

/* Add 1 to the count of pair k; returns 0 or -1. */
static int map_count(struct pair_map *m, uint64_t k)
{
	uint32_t s = map_slot(m, k);

	if (m->key[s] == EMPTY) {
		if ((m->used + 1) * 2 > m->mask + 1) {
			if (map_grow(m))
				return -1;
			s = map_slot(m, k);
		}
		m->key[s] = k;
		m->val[s] = 0;
		m->used++;
	}
	m->val[s]++;
	return 0;
}

struct cand {
	uint64_t pair;
	uint32_t count;
};

/* Order candidates by count down, then pair; returns <0, 0, >0. */
static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->pair < y->pair ? -1 : x->pair > y->pair;
}

/* Depth of symbol s; cannot fail. */
static unsigned int depth_of(const struct grammar *g, uint32_t s)
{
	return s < 256 ? 0 : g->depth[s - 256];
}

/* Add rule a b; returns its symbol, or SEP if out of memory. */
static uint32_t add_rule(struct grammar *g, uint32_t a, uint32_t b)
{
	unsigned int da = depth_of(g, a), db = depth_of(g, b);

	if (g->n_rules == g->cap_rules) {
		uint32_t cap = g->cap_rules ? g->cap_rules * 2 : 4096;
		uint32_t *l = realloc(g->left, cap * sizeof(*l));
		uint32_t *r = l ? realloc(g->right, cap * sizeof(*r)) : NULL;
		uint8_t *d = r ? realloc(g->depth, cap) : NULL;

		if (l)
			g->left = l;
		if (r)
			g->right = r;
		if (!d)
			return SEP;
		g->depth = d;
		g->cap_rules = cap;
	}
	g->left[g->n_rules] = a;
	g->right[g->n_rules] = b;
	g->depth[g->n_rules] = (uint8_t)((da > db ? da : db) + 1);
	return 256 + g->n_rules++;
}

/* One round; returns rules added (0 = done) or -1 on failure. */
static int round_once(struct grammar *g, struct pair_map *cnt,
		      struct pair_map *chosen, uint32_t room)
{
	struct cand *c;
	uint32_t n = 0, i, limit, added = 0;
	size_t r, w;

	if (map_reset(cnt, (uint32_t)(g->len < 65536 ? g->len : 65536)))
		return -1;
	for (r = 0; r + 1 < g->len; r++)
		if (g->seq[r] != SEP && g->seq[r + 1] != SEP &&
		    map_count(cnt, (uint64_t)g->seq[r] << 32 | g->seq[r + 1]))
			return -1;
	c = malloc((cnt->used + 1) * sizeof(*c));
	if (!c)
		return -1;
	for (i = 0; i <= cnt->mask; i++) {
		uint64_t k = cnt->key[i];

		if (k == EMPTY || cnt->val[i] < MIN_PAIRS ||
		    depth_of(g, (uint32_t)(k >> 32)) >= PCIIDS_SYM_MAX_DEPTH ||
		    depth_of(g, (uint32_t)k) >= PCIIDS_SYM_MAX_DEPTH)
			continue;
		c[n].pair = k;
		c[n++].count = cnt->val[i];
	}
	qsort(c, n, sizeof(*c), cmp_cand);
	limit = n ? c[0].count * 3 / 4 : 0;
	if (map_reset(chosen, n + 1)) {
		free(c);
		return -1;
	}
	for (i = 0; i < n && added < room && c[i].count >= limit; i++) {
		uint32_t s = add_rule(g, (uint32_t)(c[i].pair >> 32),
				      (uint32_t)c[i].pair);
		uint32_t slot = map_slot(chosen, c[i].pair);

		if (s == SEP) {
			free(c);
			return -1;
		}
		chosen->key[slot] = c[i].pair;
		chosen->val[slot] = s;
		chosen->used++;
		added++;
	}
	free(c);
	for (r = 0, w = 0; r < g->len; w++) {
		if (r + 1 < g->len && g->seq[r] != SEP && g->seq[r + 1] != SEP) {
			uint64_t k = (uint64_t)g->seq[r] << 32 | g->seq[r + 1];
			uint32_t slot = map_slot(chosen, k);

			if (chosen->key[slot] == k) {
				g->seq[w] = chosen->val[slot];
				r += 2;
				continue;
			}
		}
		g->seq[w] = g->seq[r++];
	}
	g->len = w;
	return (int)added;
}

struct rank {
	uint32_t sym, freq;
};

/* Order by frequency down, then symbol; returns <0, 0, >0. */
static int cmp_rank(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;

	if (x->freq != y->freq)
		return x->freq > y->freq ? -1 : 1;
	return x->sym < y->sym ? -1 : x->sym > y->sym;
}

/* Expansion of symbol s into out (at most max bytes); returns length. */
static uint32_t expand(const struct grammar *g, uint32_t s, uint8_t *out,
		       uint32_t max)
{
	uint32_t n;

	if (s < 256) {
		if (max)
			out[0] = (uint8_t)s;
		return 1;
	}
	n = expand(g, g->left[s - 256], out, max);
	if (n > max)
		return n;
	return n + expand(g, g->right[s - 256], out + n, max - n);
}

/* Give s and its subtree the next free codes, pre-order; cannot fail. */
static void number_tree(const struct grammar *g, uint32_t s, uint32_t *code,
			uint32_t *next, struct rank *rk, const uint8_t *leaf)
{
	if (code[s] == SEP) {
		rk[*next].sym = s;
		code[s] = (*next)++;
	} else if (code[s] >= 0x80) {
		return;			/* placed with an earlier parent */
	}
	if (s < 256 || leaf[s])
		return;
	number_tree(g, g->left[s - 256], code, next, rk, leaf);
	number_tree(g, g->right[s - 256], code, next, rk, leaf);
}

/*
 * Assign codes: the 128 symbols the stream uses most get the 1-byte codes
 * (rk arrives sorted by frequency); the rest are numbered in pre-order
 * from the stream, so a symbol's subtree tends to sit in the same cache
 * lines of pciids_sym.  rk is rewritten in code order.  Returns the
 * number of codes given (== live unless the grammar is inconsistent).
 */
static uint32_t number(const struct grammar *g, struct rank *rk, uint32_t live,
		   uint32_t *code, const uint8_t *leaf)
{
	uint32_t i, next = live < 0x80 ? live : 0x80, top = next;
	size_t r;

	for (i = 0; i < 256 + g->n_rules; i++)
		code[i] = SEP;
	for (i = 0; i < top; i++)
		code[rk[i].sym] = i;
	for (i = 0; i < top; i++)
		if (rk[i].sym >= 256 && !leaf[rk[i].sym]) {
			number_tree(g, g->left[rk[i].sym - 256], code, &next,
				    rk, leaf);
			number_tree(g, g->right[rk[i].sym - 256], code, &next,
				    rk, leaf);
		}
	for (r = 0; r < g->len; r++)
		if (g->seq[r] != SEP)
			number_tree(g, g->seq[r], code, &next, rk, leaf);
	return next;
}

/*
 * Number symbols, build the symbol table and code stream; 0 or -1.
 * Symbols expanding to at most 3 bytes are stored as the bytes themselves
 * (PCIIDS_SYM_SHORT), which keeps decoding trees shallow; symbols only
 * reachable through such leaves are dropped.
 */
static int encode(struct gen_names *out, const struct grammar *g,
		  uint32_t n_names)
{
	uint32_t n_sym = 256 + g->n_rules, i, live = 0, name = 0;
	struct rank *rk = calloc(n_sym, sizeof(*rk));
	uint32_t *code = malloc(n_sym * sizeof(*code));
	uint8_t *used = calloc(n_sym, 1), *leaf = calloc(n_sym, 1);
	size_t r, w = 0, start = 0;
	int ret = -1;

	out->code = malloc(g->len * 2 + 2 * (size_t)n_names + 1);
	out->n_ckpt = (n_names >> PCIIDS_CKPT_SHIFT) + 1;
	out->ckpt = calloc(out->n_ckpt, sizeof(*out->ckpt));
	out->name_len = malloc(n_names + 1);
	out->n_names = n_names;
	if (!rk || !code || !used || !leaf || !out->code || !out->ckpt || !out->name_len)
		goto out;
	for (i = 0; i < n_sym; i++) {
		uint8_t tmp[4];

		rk[i].sym = i;
		leaf[i] = expand(g, i, tmp, 3) <= 3;
	}
	for (r = 0; r < g->len; r++)
		if (g->seq[r] != SEP) {
			rk[g->seq[r]].freq++;
			used[g->seq[r]] = 1;
		}
	for (i = g->n_rules; i-- > 0;)
		if (used[256 + i] && !leaf[256 + i])
			used[g->left[i]] = used[g->right[i]] = 1;
	for (i = 0; i < n_sym; i++)
		if (used[i])
			rk[live++] = rk[i];
	qsort(rk, live, sizeof(*rk), cmp_rank);
	out->n_syms = live;
	out->sym = malloc((live + 1) * 2 * sizeof(*out->sym));
	if (!out->sym)
		goto out;
	if (number(g, rk, live, code, leaf) != live)
		goto out;
	for (i = 0; i < live; i++) {
		uint32_t s = rk[i].sym;
		uint8_t b[4] = { 0, 0, 0, 0 };

		if (leaf[s]) {
			expand(g, s, b, 3);
			out->sym[2 * i] = (uint16_t)(PCIIDS_SYM_SHORT | b[0]);
			out->sym[2 * i + 1] = (uint16_t)(b[1] << 8 | b[2]);
			continue;
		}
		out->sym[2 * i] = (uint16_t)code[g->left[s - 256]];
		out->sym[2 * i + 1] = (uint16_t)code[g->right[s - 256]];
		if (depth_of(g, s) > out->max_depth)
			out->max_depth = depth_of(g, s);
	}
	for (r = 0; r < g->len; r = start) {
		size_t e = r, bytes = 0;

		while (g->seq[e] != SEP)
			bytes += code[g->seq[e++]] < 0x80 ? 1 : 2;
		if (!(name & PCIIDS_CKPT_MASK))
			out->ckpt[name >> PCIIDS_CKPT_SHIFT] = (uint32_t)w;
		if (bytes < PCIIDS_LEN_LONG) {
			out->name_len[name] = (uint8_t)bytes;
		} else {	/* lines are < 1 KiB, so < 64 Ki code bytes */
			out->name_len[name] = PCIIDS_LEN_LONG;
			out->code[w++] = (uint8_t)(bytes >> 8);
			out->code[w++] = (uint8_t)bytes;
		}
		for (; r < e; r++) {
			uint32_t c = code[g->seq[r]];

			if (c < 0x80) {
				out->code[w++] = (uint8_t)c;
			} else {
				out->code[w++] = (uint8_t)(0x80 | (c - 0x80) >> 8);
				out->code[w++] = (uint8_t)(c - 0x80);
			}
		}
		start = e + 1;
		name++;
	}
	out->code_len = (uint32_t)w;
	ret = 0;
out:
	free(rk);
	free(code);
	free(used);
	free(leaf);
	return ret;
}

int gen_compress(struct gen_names *out, const char *const *name,
		 const uint32_t *len, uint32_t n)
{
	struct grammar g;
	struct pair_map cnt = { NULL, NULL, 0, 0 }, chosen = cnt;
	uint32_t i, j, literals = 0, room;
	uint8_t seen[256] = { 0 };
	size_t total = 0;
	int ret = -1, r;

	memset(out, 0, sizeof(*out));
	memset(&g, 0, sizeof(g));
	for (i = 0; i < n; i++)
		total += len[i] + 1;
	g.seq = malloc((total + 1) * sizeof(*g.seq));
	if (!g.seq)
		goto out;
	for (i = 0; i < n; i++) {
		for (j = 0; j < len[i]; j++) {
			uint8_t b = (uint8_t)name[i][j];

			literals += !seen[b];
			seen[b] = 1;
			g.seq[g.len++] = b;
		}
		g.seq[g.len++] = SEP;
	}
	room = PCIIDS_MAX_CODES - literals;
	while ((r = round_once(&g, &cnt, &chosen, room - g.n_rules)) > 0)
		;
	if (r < 0 || encode(out, &g, n))
		goto out;
	ret = 0;
out:
	free(g.seq);
	free(g.left);
	free(g.right);
	free(g.depth);
	free(cnt.key);
	free(cnt.val);
	free(chosen.key);
	free(chosen.val);
	if (ret)
		gen_names_free(out);
	return ret;
}

void gen_names_free(struct gen_names *g)
{
	free(g->code);
	free(g->name_len);
	free(g->ckpt);
	free(g->sym);
	memset(g, 0, sizeof(*g));
}
