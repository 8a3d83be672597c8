/*
 * format.c - pci_lookup_name()-compatible formatting.
 *
 * Model: a request resolves to at most two names (vendor and device, or a
 * single name) plus a numeric string built the way libpci builds it
 * ("%04x", "%04x:%04x", "%02x").  The same shapes as libpci are then
 * written into a sink: the name, "<unknown word> <number>", the "-n"
 * number alone or the "-nn" "<name> [<number>]" form.  Output that does
 * not fit ends in "..." as with libpci.  No libc: own hex printing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "pciids.h"
#include "pciids_db.h"
#include "pciids_internal.h"

#define REQ_MASK	0xffffu

/* A name: an index into the tables, a literal string, or nothing. */
struct name_ref {
	uint32_t idx;		/* PCIIDS_NONE if not a table name */
	const char *text;	/* used when idx is PCIIDS_NONE */
};

/* Write v in lower-case hex, at least digits wide, at p; returns the end. */
static char *put_hex(char *p, unsigned int v, int digits)
{
	char tmp[8];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	while (digits-- > n)
		*p++ = '0';
	while (n)
		*p++ = tmp[--n];
	*p = 0;
	return p;
}

/* Write "%04x:%04x" of a and b at p; cannot fail. */
static void put_pair(char *p, unsigned int a, unsigned int b)
{
	p = put_hex(p, a, 4);
	*p++ = ':';
	put_hex(p, b, 4);
}

/* True if ref names something. */
static int have(const struct name_ref *r)
{
	return r->idx != PCIIDS_NONE || r->text;
}

/* Append the name r to the sink; cannot fail. */
static void put_name(struct pciids_sink *s, const struct name_ref *r)
{
	if (r->idx != PCIIDS_NONE)
		pciids_sink_name(s, r->idx);
	else if (r->text)
		pciids_sink_puts(s, r->text);
}

/* Single name (libpci format_name); returns PCIIDS_ENONAME or 0. */
static int one_name(struct pciids_sink *s, unsigned int flags,
		    const struct name_ref *n, const char *num,
		    const char *unknown)
{
	if ((flags & PCIIDS_LOOKUP_NO_NUMBERS) && !have(n))
		return PCIIDS_ENONAME;
	if (flags & PCIIDS_LOOKUP_NUMERIC) {
		pciids_sink_puts(s, num);
		return 0;
	}
	if (have(n))
		put_name(s, n);
	else
		pciids_sink_puts(s, unknown);
	if (!have(n) || (flags & PCIIDS_LOOKUP_MIXED)) {
		int mixed = flags & PCIIDS_LOOKUP_MIXED;

		pciids_sink_puts(s, mixed ? " [" : " ");
		pciids_sink_puts(s, num);
		if (mixed)
			pciids_sink_putc(s, ']');
	}
	return 0;
}

/* Vendor + device pair (libpci format_name_pair); PCIIDS_ENONAME or 0. */
static int two_names(struct pciids_sink *s, unsigned int flags,
		     const struct name_ref *v, const struct name_ref *d,
		     const char *num)
{
	int mixed = flags & PCIIDS_LOOKUP_MIXED;

	if ((flags & PCIIDS_LOOKUP_NO_NUMBERS) && (!have(v) || !have(d)))
		return PCIIDS_ENONAME;
	if (flags & PCIIDS_LOOKUP_NUMERIC) {
		pciids_sink_puts(s, num);
		return 0;
	}
	if (have(v)) {
		put_name(s, v);
		pciids_sink_putc(s, ' ');
	}
	if (have(v) && have(d)) {
		put_name(s, d);
		if (!mixed)
			return 0;
	} else {
		pciids_sink_puts(s, "Device");
	}
	if (mixed) {
		pciids_sink_puts(s, " [");
		pciids_sink_puts(s, num);
		pciids_sink_putc(s, ']');
	} else {
		pciids_sink_putc(s, ' ');
		/* libpci prints the number minus its first 5 characters */
		pciids_sink_puts(s, have(v) ? num + 5 : num);
	}
	return 0;
}

/* Build libpci's synthesised IDE prog-if name in buf; returns it. */
static const char *ide_progif(char *buf, unsigned int pi)
{
	static const char *const bits[] = {
		" Master", " SecP", " SecO", " PriP", " PriO"
	};
	static const unsigned int mask[] = { 0x80, 0x08, 0x04, 0x02, 0x01 };
	char *p = buf;
	unsigned int i;

	for (i = 0; i < 5; i++) {
		const char *w = bits[i];

		if (!(pi & mask[i]))
			continue;
		while (*w)
			*p++ = *w++;
	}
	*p = 0;
	return buf[0] ? buf + 1 : buf;
}

/* Dispatch one request into the sink; returns 0 or a PCIIDS_E* code. */
static int format_request(struct pciids_sink *s, unsigned int flags,
			  va_list ap)
{
	struct name_ref a = { PCIIDS_NONE, NULL }, b = { PCIIDS_NONE, NULL };
	char num[24], pif[40];
	unsigned int v, d, sv, sd, cls, pi;

	switch (flags & REQ_MASK) {
	case PCIIDS_LOOKUP_VENDOR:
		v = va_arg(ap, unsigned int);
		put_hex(num, v, 4);
		a.idx = pciids_find_vendor(v);
		return one_name(s, flags, &a, num, "Vendor");
	case PCIIDS_LOOKUP_DEVICE:
		v = va_arg(ap, unsigned int);
		d = va_arg(ap, unsigned int);
		put_hex(num, d, 4);
		a.idx = pciids_find_device(v, d);
		return one_name(s, flags, &a, num, "Device");
	case PCIIDS_LOOKUP_VENDOR | PCIIDS_LOOKUP_DEVICE:
		v = va_arg(ap, unsigned int);
		d = va_arg(ap, unsigned int);
		put_pair(num, v, d);
		a.idx = pciids_find_vendor_device(v, d, &b.idx);
		return two_names(s, flags, &a, &b, num);
	case PCIIDS_LOOKUP_SUBSYSTEM | PCIIDS_LOOKUP_VENDOR:
		sv = va_arg(ap, unsigned int);
		put_hex(num, sv, 4);
		a.idx = pciids_find_vendor(sv);
		return one_name(s, flags, &a, num, "Unknown vendor");
	case PCIIDS_LOOKUP_SUBSYSTEM | PCIIDS_LOOKUP_DEVICE:
		v = va_arg(ap, unsigned int);
		d = va_arg(ap, unsigned int);
		sv = va_arg(ap, unsigned int);
		sd = va_arg(ap, unsigned int);
		put_hex(num, sd, 4);
		a.idx = pciids_find_subsys_name(v, d, sv, sd);
		return one_name(s, flags, &a, num, "Device");
	case PCIIDS_LOOKUP_SUBSYSTEM | PCIIDS_LOOKUP_VENDOR |
	     PCIIDS_LOOKUP_DEVICE:
		v = va_arg(ap, unsigned int);
		d = va_arg(ap, unsigned int);
		sv = va_arg(ap, unsigned int);
		sd = va_arg(ap, unsigned int);
		put_pair(num, sv, sd);
		a.idx = pciids_find_vendor(sv);
		b.idx = pciids_find_subsys_name(v, d, sv, sd);
		return two_names(s, flags, &a, &b, num);
	case PCIIDS_LOOKUP_CLASS:
		cls = va_arg(ap, unsigned int);
		put_hex(num, cls, 4);
		a.idx = pciids_find_subclass(cls);
		if (a.idx == PCIIDS_NONE && cls <= 0xffff) {
			a.idx = pciids_find_class(cls >> 8);
			/* known class, unknown subclass: show the number */
			if (a.idx != PCIIDS_NONE &&
			    !(flags & PCIIDS_LOOKUP_NUMERIC))
				flags |= PCIIDS_LOOKUP_MIXED;
		}
		return one_name(s, flags, &a, num, "Class");
	case PCIIDS_LOOKUP_PROGIF:
		cls = va_arg(ap, unsigned int);
		pi = va_arg(ap, unsigned int);
		put_hex(num, pi, 2);
		a.idx = pciids_find_progif(cls, pi);
		if (a.idx == PCIIDS_NONE && cls == 0x0101 && !(pi & 0x70))
			a.text = ide_progif(pif, pi);
		return one_name(s, flags, &a, num, "ProgIf");
	default:
		return PCIIDS_EINVAL;
	}
}

int pciids_vformat(char *buf, size_t size, unsigned int flags, va_list ap)
{
	struct pciids_sink s;
	size_t len;
	int err;

	if (flags & PCIIDS_LOOKUP_MIXED)
		flags &= ~(unsigned int)PCIIDS_LOOKUP_NUMERIC;
	pciids_sink_init(&s, buf, size);
	err = format_request(&s, flags, ap);
	len = pciids_sink_finish(&s);
	if (!err && len < size)
		return (int)len;
	if (!err && size >= 4) {
		buf[size - 2] = buf[size - 3] = buf[size - 4] = '.';
		return (int)(size - 1);
	}
	if (size)
		buf[0] = 0;
	return err ? err : PCIIDS_ENOSPC;
}

int pciids_format(char *buf, size_t size, unsigned int flags, ...)
{
	va_list ap;
	int r;

	va_start(ap, flags);
	r = pciids_vformat(buf, size, flags, ap);
	va_end(ap);
	return r;
}

const char *pciids_lookup_name(char *buf, size_t size, unsigned int flags,
			       ...)
{
	va_list ap;
	int r;

	va_start(ap, flags);
	r = pciids_vformat(buf, size, flags, ap);
	va_end(ap);
	if (r >= 0)
		return buf;
	if (r == PCIIDS_ENONAME)
		return NULL;
	if (r == PCIIDS_EINVAL)
		return "<pci_lookup_name: invalid request>";
	return "<pci_lookup_name: buffer too small>";
}
