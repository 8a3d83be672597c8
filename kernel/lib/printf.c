/*
 * vsnprintf: the one formatting engine behind printk, snprintf and
 * slice_printf.  It implements the C conversions the kernel uses (d i u x X
 * o p s c %) with flags (- 0 + space #), width, precision (also `*`) and the
 * length modifiers hh h l ll z t j.  Output is always NUL-terminated when
 * size > 0 and the return value is the length the full output would have,
 * as in C99.  Arch-independent: host unit tests build it with ASan/UBSan.
 */
#ifdef HOST_UNIT_TEST
/* Host unit tests link this file next to libc: rename the entry points. */
#define vsnprintf kern_vsnprintf
#define snprintf kern_snprintf
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <kern/printk.h>	/* declares the renamed kern_vsnprintf/kern_snprintf */
#else
#include <kern/printk.h>
#include <kern/string.h>
#endif

struct outbuf {
	char *buf;
	size_t size;
	size_t pos;
};

static void put(struct outbuf *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_repeat(struct outbuf *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec;		/* -1: none */
};

/* Emit digits of v in base with sign/prefix, honouring width and precision. */
static void put_number(struct outbuf *o, const struct spec *sp, unsigned long long v,
		       bool neg, int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len, pad;
	const char *prefix = "";

	if (!(v == 0 && sp->prec == 0))
		do {
			tmp[n++] = digits[v % base];
			v /= base;
		} while (v);
	if (neg)
		prefix = "-";
	else if (sp->plus && base == 10)
		prefix = "+";
	else if (sp->space && base == 10)
		prefix = " ";
	else if (sp->alt && base == 16 && n && !(n == 1 && tmp[0] == '0'))
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8 && (n == 0 || tmp[n - 1] != '0'))
		prefix = "0";
	len = n > sp->prec ? n : sp->prec;
	pad = sp->width - len - (int)strlen(prefix);
	if (!sp->left && !(sp->zero && sp->prec < 0))
		put_repeat(o, ' ', pad);
	for (const char *p = prefix; *p; p++)
		put(o, *p);
	if (!sp->left && sp->zero && sp->prec < 0)
		put_repeat(o, '0', pad);
	put_repeat(o, '0', len - n);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		put_repeat(o, ' ', pad);
}

static void put_string(struct outbuf *o, const struct spec *sp, const char *s)
{
	int n;

	if (!s)
		s = "(null)";
	n = (int)strnlen(s, sp->prec < 0 ? (size_t)-1 : (size_t)sp->prec);
	if (!sp->left)
		put_repeat(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		put_repeat(o, ' ', sp->width - n);
}

/* Parse a decimal field or `*`; returns the value. */
static int parse_num(const char **fmt, va_list *ap)
{
	int v = 0;

	if (**fmt == '*') {
		(*fmt)++;
		return va_arg(*ap, int);
	}
	while (**fmt >= '0' && **fmt <= '9')
		v = v * 10 + (*(*fmt)++ - '0');
	return v;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct outbuf o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		struct spec sp = { .prec = -1 };
		int lng = 0;	/* -2 hh, -1 h, 1 l, 2 ll, 3 z/t/j */
		unsigned long long u;
		long long s;
		char c;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else if (*fmt == '+')
				sp.plus = true;
			else if (*fmt == ' ')
				sp.space = true;
			else if (*fmt == '#')
				sp.alt = true;
			else
				break;
		}
		sp.width = parse_num(&fmt, &ap);
		if (sp.width < 0) {
			sp.left = true;
			sp.width = -sp.width;
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = parse_num(&fmt, &ap);
			if (sp.prec < 0)
				sp.prec = -1;
		}
		for (;; fmt++) {
			if (*fmt == 'h')
				lng = lng == -1 ? -2 : -1;
			else if (*fmt == 'l')
				lng = lng == 1 ? 2 : 1;
			else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j')
				lng = 3;
			else
				break;
		}
		c = *fmt;
		if (c)
			fmt++;
		switch (c) {
		case 'd':
		case 'i':
			if (lng >= 2)
				s = va_arg(ap, long long);
			else if (lng == 1 || lng == 3)
				s = va_arg(ap, long);
			else
				s = va_arg(ap, int);
			if (lng == -1)
				s = (short)s;
			else if (lng == -2)
				s = (signed char)s;
			u = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
			put_number(&o, &sp, u, s < 0, 10, false);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (lng >= 2)
				u = va_arg(ap, unsigned long long);
			else if (lng == 1 || lng == 3)
				u = va_arg(ap, unsigned long);
			else
				u = va_arg(ap, unsigned int);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng == -2)
				u = (unsigned char)u;
			put_number(&o, &sp, u, false, c == 'u' ? 10 : c == 'o' ? 8 : 16, c == 'X');
			break;
		case 'p':
			sp.alt = true;
			put_number(&o, &sp, (uintptr_t)va_arg(ap, void *), false, 16, false);
			break;
		case 's':
			put_string(&o, &sp, va_arg(ap, const char *));
			break;
		case 'c':
			if (!sp.left)
				put_repeat(&o, ' ', sp.width - 1);
			put(&o, (char)va_arg(ap, int));
			if (sp.left)
				put_repeat(&o, ' ', sp.width - 1);
			break;
		case '%':
			put(&o, '%');
			break;
		case 0:
			put(&o, '%');
			break;
		default:
			put(&o, '%');
			put(&o, c);
			break;
		}
	}
	va_end(ap);
	if (size)
		buf[o.pos < size ? o.pos : size - 1] = 0;
	return (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
