/*
 * filter.c - -s [[[[domain]:]bus]:][slot][.[func]] and
 * -d [vendor]:[device][:class[:progif]] as pciutils 3.9 parses them.
 *
 * Model: the argument (at most 63 characters) is split at ':' into a fixed
 * number of fields; empty fields and "*" match anything; a class field may
 * use 'x' for a wildcard hex digit; each field has a maximum.  The first
 * failing check names the error.
 */
#include <string.h>

#include "lspci.h"
#include "filter.h"

#define BUF_SIZE 64

/* Sets every field to "any". */
void pci_filter_init(struct pci_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->domain = f->bus = f->slot = f->func = -1;
	f->vendor = f->device = -1;
	f->device_class = -1;
	f->device_class_mask = ~0U;
	f->prog_if = -1;
}

/* Splits str at sep into at most num fields; returns NULL or an error. */
static char *split_to_fields(char *str, char *buffer, int sep, char **fields, int num_fields)
{
	int i = 0;

	if (buffer) {
		if (strlen(str) >= BUF_SIZE)
			return "Expression too long";
		strcpy(buffer, str);
		str = buffer;
	}
	for (;;) {
		if (i >= num_fields)
			return "Too many fields";
		fields[i++] = str;
		while (*str && *str != sep)
			str++;
		if (!*str)
			break;
		*str++ = 0;
	}
	while (i < num_fields)
		fields[i++] = NULL;
	return NULL;
}

static int field_defined(const char *field)
{
	return field && field[0] && strcmp(field, "*");
}

/* Parses a hex field (x = any digit where maskp); 0 if invalid or > max. */
static int parse_hex_field(const char *str, int *outp, unsigned int *maskp, unsigned int max)
{
	unsigned int out = 0, mask = ~0U, bound = 0;

	if (!field_defined(str))
		return 1;
	while (*str) {
		int c = *str++, d;

		if ((c == 'x' || c == 'X') && maskp) {
			out = out << 4;
			bound = (bound << 4) | 1;
			mask = mask << 4;
		} else {
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else if (c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else
				return 0;
			out = (out << 4) | d;
			bound = (bound << 4) | d;
			mask = (mask << 4) | 0xf;
		}
		if (bound > max)
			return 0;
	}
	*outp = out;
	if (maskp)
		*maskp = mask;
	return 1;
}

/* -s syntax; returns NULL or the error. */
char *pci_filter_parse_slot(struct pci_filter *f, const char *str)
{
	char buf[BUF_SIZE], *fields[3], *err;
	int i = 0;

	err = split_to_fields((char *)str, buf, ':', fields, 3);
	if (err)
		return err;
	if (fields[2]) {
		if (!parse_hex_field(fields[0], &f->domain, NULL, 0x7fffffff))
			return "Invalid domain number";
		i++;
	}
	if (fields[i + 1]) {
		if (!parse_hex_field(fields[i], &f->bus, NULL, 0xff))
			return "Invalid bus number";
		i++;
	}
	if (field_defined(fields[i])) {
		char *sfields[2];

		if (split_to_fields(fields[i], NULL, '.', sfields, 2))
			return "Invalid slot/function number";
		if (!parse_hex_field(sfields[0], &f->slot, NULL, 0x1f))
			return "Invalid slot number";
		if (!parse_hex_field(sfields[1], &f->func, NULL, 7))
			return "Invalid function number";
	}
	return NULL;
}

/* -d syntax; returns NULL or the error. */
char *pci_filter_parse_id(struct pci_filter *f, const char *str)
{
	char buf[BUF_SIZE], *fields[4], *err;

	err = split_to_fields((char *)str, buf, ':', fields, 4);
	if (err)
		return err;
	if (!fields[1])
		return "At least two fields must be given";
	if (!parse_hex_field(fields[0], &f->vendor, NULL, 0xffff))
		return "Invalid vendor ID";
	if (!parse_hex_field(fields[1], &f->device, NULL, 0xffff))
		return "Invalid device ID";
	if (!parse_hex_field(fields[2], &f->device_class, &f->device_class_mask, 0xffff))
		return "Invalid class code";
	if (!parse_hex_field(fields[3], &f->prog_if, NULL, 0xff))
		return "Invalid programming interface code";
	return NULL;
}

/* 1 if d passes every given field. */
int pci_filter_match(const struct pci_filter *f, const struct pdev *d)
{
	if ((f->domain >= 0 && (unsigned int)f->domain != d->domain) ||
	    (f->bus >= 0 && f->bus != d->bus) ||
	    (f->slot >= 0 && f->slot != d->dev) ||
	    (f->func >= 0 && f->func != d->func))
		return 0;
	if ((f->device >= 0 && f->device != d->device_id) ||
	    (f->vendor >= 0 && f->vendor != d->vendor_id))
		return 0;
	if (f->device_class >= 0 &&
	    ((f->device_class ^ d->device_class) & f->device_class_mask))
		return 0;
	if (f->prog_if >= 0 && f->prog_if != d->prog_if)
		return 0;
	return 1;
}
