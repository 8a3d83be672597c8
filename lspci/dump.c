/*
 * dump.c - the -F backend: read a config-space dump in the format
 * `lspci -x`, `-xxx` or `-xxxx` writes, accepting exactly what pciutils'
 * dump method accepts.
 *
 * Model: a line "BB:DD.F ", "DDDD:BB:DD.F " or "DDDDD:BB:DD.F " (hex
 * digits, then a blank) starts a function; "OFF: xx xx ..." lines (2 to 8
 * hex digits of offset) of the current function set bytes, each byte two
 * hex digits followed by a blank or the line's end; an empty line ends the
 * function; other lines are ignored.  Lines are at most 253 characters
 * plus the newline, and the last line must end in one.  Bytes never given
 * stay 0xff; a function can read up to the highest byte given (cfg_len).
 * Errors are pciutils' messages, which lspci prints after "lspci: ".
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lspci.h"

/* 1 if s starts with fmt, where '#' stands for any hex digit. */
static int validate(const char *s, const char *fmt)
{
	for (; *fmt; fmt++, s++) {
		if (*fmt == '#' ? !isxdigit((unsigned char)*s) : *fmt != *s)
			return 0;
	}
	return 1;
}

/* Hex number at s up to the first non-hex character (sscanf("%x") on an int). */
static int scan_hex(const char *s, unsigned int *out)
{
	unsigned int v = 0;
	int n = 0;

	while (isxdigit((unsigned char)s[n])) {
		int c = s[n];

		v = v << 4 | (unsigned int)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
		n++;
	}
	*out = v;
	return n;
}

/* Decimal function number after '.', as sscanf("%d") does for one digit string. */
static unsigned int scan_func(const char *s)
{
	unsigned int v = 0;

	while (isdigit((unsigned char)*s))
		v = v * 10 + (unsigned int)(*s++ - '0');
	return v;
}

/* Parses the slot of a function line; returns 1 and the numbers, 0 if not one. */
static int parse_slot(const char *buf, unsigned int *dom, unsigned int *bus,
		      unsigned int *dev, unsigned int *fn)
{
	const char *p = buf;

	*dom = 0;
	if (!validate(buf, "##:##.# ") && !validate(buf, "####:##:##.# ") &&
	    !validate(buf, "#####:##:##.# "))
		return 0;
	if (!validate(buf, "##:##.# ")) {
		p += scan_hex(p, dom) + 1;
	}
	p += scan_hex(p, bus) + 1;
	p += scan_hex(p, dev) + 1;
	if (!isdigit((unsigned char)*p))
		return 0;	/* sscanf("%d") would not match */
	*fn = scan_func(p);
	return 1;
}

/* 1 if the line starts "OFF: " with 2 to 8 hex digits. */
static int is_data_line(const char *buf)
{
	static const char *const fmts[] = { "##: ", "###: ", "####: ", "#####: ",
		"######: ", "#######: ", "########: " };

	for (unsigned int i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		if (validate(buf, fmts[i]))
			return 1;
	return 0;
}

/*
 * Parses one data line into d; returns NULL or pciutils' error text.
 */
static const char *parse_data(struct pdev *d, char *buf)
{
	unsigned int off;
	char *z;

	scan_hex(buf, &off);
	z = strchr(buf, ' ') + 1;
	while (isxdigit((unsigned char)z[0]) && isxdigit((unsigned char)z[1]) &&
	       (!z[2] || z[2] == ' ')) {
		unsigned int j;

		scan_hex(z, &j);
		if (j >= 256)
			break;
		if (off >= CFG_SPACE_EXP)
			return "dump: At most 4096 bytes of config space are supported";
		d->cfg[off++] = j;
		if (off > d->cfg_len)
			d->cfg_len = off;
		z += 2;
		if (*z)
			z++;
	}
	if (*z)
		return "dump: Malformed line";
	return NULL;
}

/*
 * Parses a whole dump held in memory (len bytes, need not end in NUL).
 * Returns the devices in file order (possibly none), or NULL with *err
 * set to pciutils' message.
 */
struct pdev *dump_parse(const char *text, size_t len, const char **err)
{
	struct pdev *first = NULL, **last = &first, *dev = NULL;
	size_t pos = 0;
	char buf[256];

	*err = NULL;
	while (pos < len) {
		size_t n = 0;
		char *z;

		/* fgets(buf, 255): at most 254 bytes, up to and including '\n' */
		while (n < 254 && pos < len) {
			buf[n] = text[pos++];
			if (buf[n++] == '\n')
				break;
		}
		buf[n] = 0;
		z = memchr(buf, '\n', n);
		if (!z || strlen(buf) < n) {
			/* no newline, or a NUL before it: fgets' string has no '\n' */
			if (!z || (size_t)(z - buf) > strlen(buf)) {
				*err = "dump: line too long or unterminated";
				goto fail;
			}
		}
		*z = 0;
		if (z > buf && z[-1] == '\r')
			z[-1] = 0;
		{
			unsigned int dom, bus, dv, fn;

			if (parse_slot(buf, &dom, &bus, &dv, &fn)) {
				dev = pdev_new(dom, bus & 0xff, dv & 0xff, fn & 0xff);
				dev->cfg_len = 0;
				*last = dev;
				last = &dev->next;
			} else if (!buf[0]) {
				dev = NULL;
			} else if (dev && is_data_line(buf)) {
				*err = parse_data(dev, buf);
				if (*err)
					goto fail;
			}
		}
	}
	return first;
fail:
	pdev_free_list(first);
	return NULL;
}

/*
 * Reads and parses a dump file.  Returns its devices (NULL and *err NULL
 * if it has none), or NULL with *err set.
 */
struct pdev *dump_read_file(const char *name, const char **err)
{
	static char msg[600];
	FILE *f = fopen(name, "r");
	char *text = NULL;
	size_t len = 0, cap = 0;
	struct pdev *list;

	if (!f) {
		snprintf(msg, sizeof(msg), "dump: Cannot open %s: %s", name, strerror(errno));
		*err = msg;
		return NULL;
	}
	for (;;) {
		size_t got;

		if (len == cap) {
			char *t = realloc(text, cap ? cap * 2 : 65536);

			if (!t) {
				fclose(f);
				free(text);
				*err = "dump: out of memory";
				return NULL;
			}
			text = t;
			cap = cap ? cap * 2 : 65536;
		}
		got = fread(text + len, 1, cap - len, f);
		if (!got)
			break;
		len += got;
	}
	fclose(f);
	list = dump_parse(text, len, err);
	free(text);
	return list;
}
