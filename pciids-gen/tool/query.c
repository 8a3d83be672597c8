/*
 * query.c - parse and render pciids tool queries (see query.h).
 *
 * Model: split the line into words, take the flag words, then parse the
 * remaining word by its shape (number of ':'-separated hex fields, or the
 * 4/6 digits after -c).  Rendering uses 256-byte name buffers, the size
 * lspci uses, so long names are cut exactly where lspci cuts them.
 */
#include <stdio.h>
#include <string.h>
#include "pciids.h"
#include "query.h"

#define LSPCI_BUF	256

/* Parse 1..max hex digits from *p up to a ':' or end; returns -1 if bad. */
static long hex_field(const char **p, int max)
{
	long v = 0;
	int n = 0;

	for (; **p && **p != ':'; (*p)++, n++) {
		char c = **p;

		if (n == max)
			return -1;
		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return -1;
	}
	return n ? v : -1;
}

/* Parse an ID word with 1, 2 or 4 fields into q; returns 0 or -1. */
static int parse_ids(const char *w, struct pciids_query *q)
{
	int n = 0;

	for (;;) {
		long v = hex_field(&w, 4);

		if (v < 0 || n == 4)
			return -1;
		q->id[n++] = (unsigned int)v;
		if (!*w)
			break;
		w++;	/* ':' */
	}
	if (n == 3)
		return -1;
	q->kind = n == 1 ? Q_VENDOR : n == 2 ? Q_DEVICE : Q_SUBSYS;
	return 0;
}

/* Parse the CCSS[PP] word of -c into q; returns 0 or -1. */
static int parse_class(const char *w, struct pciids_query *q)
{
	size_t len = strlen(w);
	const char *p = w;
	long v;

	if ((len != 4 && len != 6) || strchr(w, ':'))
		return -1;
	v = hex_field(&p, 6);
	if (v < 0)
		return -1;
	if (len == 4) {
		q->kind = Q_CLASS;
		q->id[0] = (unsigned int)v;
	} else {
		q->kind = Q_CLASS_PROGIF;
		q->id[0] = (unsigned int)v >> 8;
		q->id[1] = (unsigned int)v & 0xff;
	}
	return 0;
}

int pciids_query_parse(const char *line, unsigned int base_flags,
		       struct pciids_query *q, char *err, size_t err_size)
{
	char words[8][64];
	int n = 0, i, cls = 0, got = 0;
	const char *p = line;

	memset(q, 0, sizeof(*q));
	q->flags = base_flags;
	while (*p) {
		size_t k = 0;

		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p)
			break;
		if (n == 8)
			goto bad;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' &&
		       *p != '\n') {
			if (k == sizeof(words[0]) - 1)
				goto bad;
			words[n][k++] = *p++;
		}
		words[n++][k] = 0;
	}
	for (i = 0; i < n; i++) {
		const char *w = words[i];

		if (!strcmp(w, "-n")) {
			q->flags = (q->flags & ~PCIIDS_LOOKUP_MIXED) |
				   PCIIDS_LOOKUP_NUMERIC;
		} else if (!strcmp(w, "-nn")) {
			q->flags = (q->flags & ~PCIIDS_LOOKUP_NUMERIC) |
				   PCIIDS_LOOKUP_MIXED;
		} else if (!strcmp(w, "-c") && !cls && !got) {
			cls = 1;
		} else if (got || (w[0] == '-' && !cls)) {
			goto bad;
		} else if (cls ? parse_class(w, q) : parse_ids(w, q)) {
			goto bad;
		} else {
			got = 1;
		}
	}
	if (got)
		return 0;
bad:
	snprintf(err, err_size, "bad query '%.*s': expected VVVV, VVVV:DDDD, "
		 "VVVV:DDDD:SVVV:SDDD or -c CCSS[PP] (hex), optionally "
		 "after -n or -nn", (int)strcspn(line, "\r\n"), line);
	return -1;
}

char *pciids_query_render(const struct pciids_query *q, query_lookup_fn fn,
			  char *out, size_t out_size)
{
	char buf[LSPCI_BUF], pbuf[LSPCI_BUF];
	const char *s, *pif;
	unsigned int f = q->flags;

	switch (q->kind) {
	case Q_VENDOR:
		s = fn(buf, sizeof(buf), f | PCIIDS_LOOKUP_VENDOR, q->id[0]);
		break;
	case Q_DEVICE:
		s = fn(buf, sizeof(buf), f | PCIIDS_LOOKUP_VENDOR |
		       PCIIDS_LOOKUP_DEVICE, q->id[0], q->id[1]);
		break;
	case Q_SUBSYS:
		s = fn(buf, sizeof(buf), f | PCIIDS_LOOKUP_SUBSYSTEM |
		       PCIIDS_LOOKUP_VENDOR | PCIIDS_LOOKUP_DEVICE, q->id[0],
		       q->id[1], q->id[2], q->id[3]);
		break;
	default:
		s = fn(buf, sizeof(buf), f | PCIIDS_LOOKUP_CLASS, q->id[0]);
		break;
	}
	if (q->kind != Q_CLASS_PROGIF) {
		snprintf(out, out_size, "%s", s ? s : "");
		return out;
	}
	/* lspci -v: prog-if by name only, no number flags */
	pif = fn(pbuf, sizeof(pbuf), PCIIDS_LOOKUP_PROGIF |
		 PCIIDS_LOOKUP_NO_NUMBERS, q->id[0], q->id[1]);
	if (!q->id[1] && !pif)
		snprintf(out, out_size, "%s", s ? s : "");
	else if (!pif)
		snprintf(out, out_size, "%s (prog-if %02x)", s ? s : "",
			 q->id[1]);
	else
		snprintf(out, out_size, "%s (prog-if %02x [%s])", s ? s : "",
			 q->id[1], pif);
	return out;
}
