/*
 * parse.c - read pci.ids text into a flat list of entries.
 *
 * Model: the same line grammar as libpci's reader.  A line is cut at its
 * first CR or LF and loses one trailing blank; blank lines and lines whose
 * first non-blank is '#' are skipped.  The number of leading tabs is the
 * nesting level: 0 = vendor, "C xx" class, "S xxxx" generic subsystem
 * block or another "X " block (unknown, skipped with its nested lines);
 * 1 = device / subclass / generic subsystem; 2 = subsystem / prog-if.
 * Anything libpci would reject, and a few things it silently accepts
 * (duplicates are rejected by both; missing final newline, NUL bytes and
 * files without entries only by us), stops the parse with a line number.
 * Duplicates are found with a hash of (category, IDs) as entries arrive,
 * so the first error in file order is the one reported.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"

static const char *const cat_name[] = {
	[CAT_VENDOR] = "vendor", [CAT_DEVICE] = "device",
	[CAT_SUBSYS] = "subsystem", [CAT_GENSUB] = "generic subsystem",
	[CAT_CLASS] = "class", [CAT_SUBCLASS] = "subclass",
	[CAT_PROGIF] = "prog-if",
};

/* Record an error at line; always returns -1. */
static int fail(struct gen_db *db, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct gen_db *db, uint32_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(db->err, sizeof(db->err), fmt, ap);
	va_end(ap);
	db->err_line = line;
	return -1;
}

/* Value of exactly n hex digits at p (< end); returns -1 if not hex. */
static int hexn(const char *p, const char *end, int n)
{
	int v = 0;

	if (end - p < n)
		return -1;
	while (n--) {
		char c = *p++;

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return -1;
	}
	return v;
}

/* True if p (< end) is a blank. */
static int blank(const char *p, const char *end)
{
	return p < end && (*p == ' ' || *p == '\t');
}

/* Hash slot mix of an entry key; cannot fail. */
static uint32_t key_hash(unsigned int cat, const uint16_t *id)
{
	uint64_t k = (uint64_t)id[0] << 48 | (uint64_t)id[1] << 32 |
		     (uint64_t)id[2] << 16 | id[3];

	k ^= (uint64_t)cat * 0x9e3779b97f4a7c15ull;
	k *= 0xff51afd7ed558ccdull;
	return (uint32_t)(k ^ k >> 29 ^ k >> 47);
}

/* Entry index with this key, or UINT32_MAX. */
static uint32_t find(const struct gen_db *db, unsigned int cat,
		     const uint16_t *id)
{
	uint32_t h;

	if (!db->hash)
		return UINT32_MAX;
	for (h = key_hash(cat, id) & db->hash_mask; db->hash[h];
	     h = (h + 1) & db->hash_mask) {
		const struct gen_entry *e = &db->ent[db->hash[h] - 1];

		if (e->cat == cat && !memcmp(e->id, id, sizeof(e->id)))
			return db->hash[h] - 1;
	}
	return UINT32_MAX;
}

/* Put entry i into the hash (growing it); returns 0 or -1 (no memory). */
static int hash_add(struct gen_db *db, uint32_t i)
{
	uint32_t h;

	if (!db->hash || (uint64_t)db->n_ent * 2 > db->hash_mask) {
		uint32_t size = db->hash ? (db->hash_mask + 1) * 2 : 4096, j;

		free(db->hash);
		db->hash = calloc(size, sizeof(*db->hash));
		if (!db->hash)
			return -1;
		db->hash_mask = size - 1;
		for (j = 0; j < i; j++)
			if (hash_add(db, j))
				return -1;
	}
	h = key_hash(db->ent[i].cat, db->ent[i].id) & db->hash_mask;
	while (db->hash[h])
		h = (h + 1) & db->hash_mask;
	db->hash[h] = i + 1;
	return 0;
}

/* Append an entry; returns its index, or UINT32_MAX if out of memory. */
static uint32_t add_entry(struct gen_db *db, const struct gen_entry *e)
{
	if (db->n_ent == db->cap_ent) {
		uint32_t cap = db->cap_ent ? db->cap_ent * 2 : 1024;
		struct gen_entry *n = realloc(db->ent, cap * sizeof(*n));

		if (!n)
			return UINT32_MAX;
		db->ent = n;
		db->cap_ent = cap;
	}
	db->ent[db->n_ent] = *e;
	if (hash_add(db, db->n_ent))
		return UINT32_MAX;
	return db->n_ent++;
}

/* Format the key of e for messages into out[64]; returns out. */
static const char *key_str(char *out, unsigned int cat, const uint16_t *id)
{
	switch (cat) {
	case CAT_VENDOR:
		snprintf(out, 64, "%04x", id[0]);
		break;
	case CAT_DEVICE:
	case CAT_GENSUB:
		snprintf(out, 64, "%04x:%04x", id[0], id[1]);
		break;
	case CAT_SUBSYS:
		snprintf(out, 64, "%04x:%04x %04x:%04x", id[0], id[1], id[2],
			 id[3]);
		break;
	case CAT_CLASS:
		snprintf(out, 64, "%02x", id[0]);
		break;
	case CAT_SUBCLASS:
		snprintf(out, 64, "%02x%02x", id[0], id[1]);
		break;
	default:
		snprintf(out, 64, "%02x%02x%02x", id[0], id[1], id[2]);
		break;
	}
	return out;
}

/* Remember the "Version:" of a comment line p..end; cannot fail. */
static void note_version(struct gen_db *db, const char *p, const char *end)
{
	size_t n;

	p++;
	while (blank(p, end))
		p++;
	if (db->version[0] || end - p < 8 || memcmp(p, "Version:", 8))
		return;
	p += 8;
	while (blank(p, end))
		p++;
	n = (size_t)(end - p);
	if (n >= sizeof(db->version))
		n = sizeof(db->version) - 1;
	memcpy(db->version, p, n);
	db->version[n] = 0;
}

struct parse_state {
	unsigned int cat;	/* category of the current block/level */
	uint16_t id[4];
	uint32_t vendor;	/* entry index of the current vendor */
	uint32_t device;	/* entry index of the current device */
};

/* Parse a top-level line at s; returns 1 (entry follows), 0 or -1. */
static int top_level(struct gen_db *db, struct parse_state *st,
		     uint32_t ln, const char **sp, const char *end)
{
	const char *s = *sp;
	int v;

	if (s[0] == 'C' && end - s > 1 && s[1] == ' ') {
		if ((v = hexn(s + 2, end, 2)) < 0)
			return fail(db, ln, "bad class ID (want 2 hex digits)");
		if (!blank(s + 4, end))
			return fail(db, ln, "missing blank after class ID");
		st->cat = CAT_CLASS;
		*sp = s + 5;
	} else if (s[0] == 'S' && end - s > 1 && s[1] == ' ') {
		if ((v = hexn(s + 2, end, 4)) < 0)
			return fail(db, ln, "bad vendor ID in S block");
		if (s + 6 != end)
			return fail(db, ln, "junk after S block vendor ID");
		st->id[0] = (uint16_t)v;
		st->id[1] = st->id[2] = st->id[3] = 0;
		if (find(db, CAT_VENDOR, st->id) == UINT32_MAX)
			return fail(db, ln, "S block for unknown vendor %04x",
				    v);
		st->cat = CAT_GENSUB;
		return 0;
	} else if (s[0] >= 'A' && s[0] <= 'Z' && end - s > 1 && s[1] == ' ') {
		st->cat = CAT_UNKNOWN;	/* reserved block type: skip */
		return 0;
	} else {
		if ((v = hexn(s, end, 4)) < 0)
			return fail(db, ln, "bad vendor ID (want 4 hex digits)");
		if (!blank(s + 4, end))
			return fail(db, ln, "missing blank after vendor ID");
		st->cat = CAT_VENDOR;
		*sp = s + 5;
	}
	st->id[0] = (uint16_t)v;
	st->id[1] = st->id[2] = st->id[3] = 0;
	return 1;
}

/* Parse a level-1 line at s; returns 1 or -1. */
static int level1(struct gen_db *db, struct parse_state *st, uint32_t ln,
		  const char **sp, const char *end)
{
	const char *s = *sp;
	int wide = 4, v;
	const char *what = "device";

	switch (st->cat) {
	case CAT_VENDOR:
	case CAT_DEVICE:
	case CAT_SUBSYS:
		st->cat = CAT_DEVICE;
		break;
	case CAT_GENSUB:
		what = "subsystem";
		break;
	case CAT_CLASS:
	case CAT_SUBCLASS:
	case CAT_PROGIF:
		st->cat = CAT_SUBCLASS;
		what = "subclass";
		wide = 2;
		break;
	default:
		return fail(db, ln, "nested line before any vendor or class");
	}
	if ((v = hexn(s, end, wide)) < 0)
		return fail(db, ln, "bad %s ID (want %d hex digits)", what,
			    wide);
	if (!blank(s + wide, end))
		return fail(db, ln, "missing blank after %s ID", what);
	st->id[1] = (uint16_t)v;
	st->id[2] = st->id[3] = 0;
	*sp = s + wide + 1;
	return 1;
}

/* Parse a level-2 line at s; returns 1 or -1. */
static int level2(struct gen_db *db, struct parse_state *st, uint32_t ln,
		  const char **sp, const char *end)
{
	const char *s = *sp;
	int v, w;

	switch (st->cat) {
	case CAT_DEVICE:
	case CAT_SUBSYS:
		if ((v = hexn(s, end, 4)) < 0 || !blank(s + 4, end) ||
		    (w = hexn(s + 5, end, 4)) < 0 || !blank(s + 9, end))
			return fail(db, ln, "bad subsystem IDs (want "
				    "\"vvvv dddd\" and a blank)");
		st->cat = CAT_SUBSYS;
		st->id[2] = (uint16_t)v;
		st->id[3] = (uint16_t)w;
		*sp = s + 10;
		return 1;
	case CAT_CLASS:
	case CAT_SUBCLASS:
	case CAT_PROGIF:
		if ((v = hexn(s, end, 2)) < 0)
			return fail(db, ln, "bad prog-if ID (want 2 hex digits)");
		if (!blank(s + 2, end))
			return fail(db, ln, "missing blank after prog-if ID");
		st->cat = CAT_PROGIF;
		st->id[2] = (uint16_t)v;
		st->id[3] = 0;
		*sp = s + 3;
		return 1;
	case CAT_VENDOR:
		return fail(db, ln, "subsystem line before any device");
	case CAT_GENSUB:
		return fail(db, ln, "S block entries take one tab only");
	default:
		return fail(db, ln, "nested line before any vendor or class");
	}
}

/* Parse one logical line s..end (line ln); returns 0 or -1. */
static int parse_line(struct gen_db *db, struct parse_state *st,
		      uint32_t ln, const char *s, const char *end)
{
	struct gen_entry e;
	unsigned int nest = 0;
	uint32_t dup, idx;
	char k[64];
	int r;

	while (s < end && *s == '\t') {
		s++;
		nest++;
	}
	if (nest == 0) {
		r = top_level(db, st, ln, &s, end);
		if (r <= 0)
			return r;
	} else if (st->cat == CAT_UNKNOWN) {
		return 0;
	} else if (nest == 1) {
		if (level1(db, st, ln, &s, end) < 0)
			return -1;
	} else if (nest == 2) {
		if (level2(db, st, ln, &s, end) < 0)
			return -1;
	} else {
		return fail(db, ln, "nesting too deep (%u tabs)", nest);
	}
	while (blank(s, end))
		s++;
	if (s == end)
		return fail(db, ln, "missing %s name", cat_name[st->cat]);
	dup = find(db, st->cat, st->id);
	if (dup != UINT32_MAX)
		return fail(db, ln, "duplicate %s %s (first at line %u)",
			    cat_name[st->cat], key_str(k, st->cat, st->id),
			    db->ent[dup].line);
	memset(&e, 0, sizeof(e));
	e.cat = (uint8_t)st->cat;
	memcpy(e.id, st->id, sizeof(e.id));
	e.line = ln;
	e.name_off = (uint32_t)(s - db->buf);
	e.name_len = (uint32_t)(end - s);
	e.parent = st->cat == CAT_DEVICE ? st->vendor :
		   st->cat == CAT_SUBSYS ? st->device : 0;
	idx = add_entry(db, &e);
	if (idx == UINT32_MAX)
		return fail(db, ln, "out of memory");
	if (st->cat == CAT_VENDOR)
		st->vendor = idx;
	else if (st->cat == CAT_DEVICE)
		st->device = idx;
	return 0;
}

int gen_parse(struct gen_db *db, const char *buf, size_t len)
{
	struct parse_state st;
	const char *p = buf, *end = buf + len;
	uint32_t ln = 0;

	memset(db, 0, sizeof(*db));
	memset(&st, 0, sizeof(st));
	db->buf = buf;
	db->len = len;
	if (len > 0x7fffffff)
		return fail(db, 1, "input too large");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le, *q;

		ln++;
		if (!nl)
			return fail(db, ln, "truncated file: last line has "
				    "no newline");
		if (nl - p > GEN_MAX_LINE)
			return fail(db, ln, "line too long (%ld bytes, max %d)",
				    (long)(nl - p), GEN_MAX_LINE);
		if (memchr(p, 0, (size_t)(nl - p)))
			return fail(db, ln, "NUL byte in line");
		le = memchr(p, '\r', (size_t)(nl - p));
		if (!le)
			le = nl;
		if (le > p && (le[-1] == ' ' || le[-1] == '\t'))
			le--;
		for (q = p; blank(q, le); q++)
			;
		if (q < le && *q == '#')
			note_version(db, q, le);
		else if (q < le && parse_line(db, &st, ln, p, le))
			return -1;
		p = nl + 1;
	}
	if (!db->n_ent)
		return fail(db, ln ? ln : 1, "no vendor or class entries");
	return 0;
}

void gen_db_free(struct gen_db *db)
{
	free(db->ent);
	free(db->hash);
	db->ent = NULL;
	db->hash = NULL;
}
