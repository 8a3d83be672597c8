/*
 * pciids_internal.h - shared internals of libpciids (not installed).
 *
 * Model: all output goes through a "sink", a bounded buffer that keeps
 * counting past its end the way snprintf() does, so callers can apply
 * libpci's truncation rule afterwards.  Table lookups return a global
 * name index (see pciids_db.h) or PCIIDS_NONE.
 */
#ifndef PCIIDS_INTERNAL_H
#define PCIIDS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#define PCIIDS_NONE	UINT32_MAX

struct pciids_sink {
	char *buf;
	size_t size;
	size_t len;		/* length the untruncated output would have */
};

/* Start an empty sink over buf[size]; cannot fail. */
static inline void pciids_sink_init(struct pciids_sink *s, char *buf,
				    size_t size)
{
	s->buf = buf;
	s->size = size;
	s->len = 0;
}

/* Append one byte (dropped if full, still counted); cannot fail. */
static inline void pciids_sink_putc(struct pciids_sink *s, char c)
{
	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

/* Append a NUL-terminated string; cannot fail. */
static inline void pciids_sink_puts(struct pciids_sink *s, const char *str)
{
	while (*str)
		pciids_sink_putc(s, *str++);
}

/* NUL-terminate (if size > 0); returns the untruncated length. */
static inline size_t pciids_sink_finish(struct pciids_sink *s)
{
	if (s->size)
		s->buf[s->len < s->size ? s->len : s->size - 1] = 0;
	return s->len;
}

/* Append name number idx decoded from the tables; cannot fail. */
void pciids_sink_name(struct pciids_sink *s, uint32_t idx);

/* Name index of a vendor, or PCIIDS_NONE. */
uint32_t pciids_find_vendor(unsigned int vendor);
/* Name index of a device, or PCIIDS_NONE. */
uint32_t pciids_find_device(unsigned int vendor, unsigned int device);
/*
 * Name index of a vendor (or PCIIDS_NONE) and, in *dev_idx, of its device
 * (or PCIIDS_NONE), with one vendor search for both.
 */
uint32_t pciids_find_vendor_device(unsigned int vendor, unsigned int device,
				   uint32_t *dev_idx);
/* Name index of a per-device subsystem entry, or PCIIDS_NONE. */
uint32_t pciids_find_subsys(unsigned int vendor, unsigned int device,
			    unsigned int subvendor, unsigned int subdevice);
/* Name index of a generic ("S" block) subsystem, or PCIIDS_NONE. */
uint32_t pciids_find_gensub(unsigned int subvendor, unsigned int subdevice);
/* Name index of a base class, or PCIIDS_NONE. */
uint32_t pciids_find_class(unsigned int base_class);
/* Name index of class16 = class << 8 | subclass, or PCIIDS_NONE. */
uint32_t pciids_find_subclass(unsigned int class16);
/* Name index of a prog-if under class16, or PCIIDS_NONE. */
uint32_t pciids_find_progif(unsigned int class16, unsigned int progif);
/* libpci's subsystem rule (per-device, generic, device); or PCIIDS_NONE. */
uint32_t pciids_find_subsys_name(unsigned int vendor, unsigned int device,
				 unsigned int subvendor,
				 unsigned int subdevice);

#endif /* PCIIDS_INTERNAL_H */
