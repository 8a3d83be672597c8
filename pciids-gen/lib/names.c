/*
 * names.c - ID searches and name decoding over the generated tables.
 *
 * Model: every table is a sorted integer array (see pciids_db.h); a search
 * is a bisection that yields an index, which is turned into a global name
 * index by adding the table's base.  Names are decoded from the Re-Pair
 * grammar with a small explicit stack, straight into a sink.
 */
#include <stddef.h>
#include <stdint.h>
#include "pciids.h"
#include "pciids_db.h"
#include "pciids_internal.h"

/*
 * Index of key in a[lo, hi) sorted ascending; returns PCIIDS_NONE if
 * absent.  Branch-free bisection (the halving step compiles to a
 * conditional move): base is the last element <= key seen so far, and
 * the answer lies in [base, base + n).
 */
static uint32_t search16(const uint16_t *a, uint32_t lo, uint32_t hi,
			 uint32_t key)
{
	const uint16_t *base = a + lo;
	uint32_t n = hi - lo;

	if (lo >= hi)
		return PCIIDS_NONE;
	while (n > 1) {
		uint32_t half = n / 2;

		base = base[half] <= key ? base + half : base;
		n -= half;
	}
	return *base == key ? (uint32_t)(base - a) : PCIIDS_NONE;
}

/* The same over 32-bit keys; PCIIDS_NONE if absent. */
static uint32_t search32(const uint32_t *a, uint32_t lo, uint32_t hi,
			 uint32_t key)
{
	const uint32_t *base = a + lo;
	uint32_t n = hi - lo;

	if (lo >= hi)
		return PCIIDS_NONE;
	while (n > 1) {
		uint32_t half = n / 2;

		base = base[half] <= key ? base + half : base;
		n -= half;
	}
	return *base == key ? (uint32_t)(base - a) : PCIIDS_NONE;
}

/* Number of set bits in x (no libgcc helper in the kernel). */
static uint32_t popcount32(uint32_t x)
{
	x = x - (x >> 1 & 0x55555555u);
	x = (x & 0x33333333u) + (x >> 2 & 0x33333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0fu;
	return (x * 0x01010101u) >> 24;
}

/* Vendor table index, or PCIIDS_NONE. */
static uint32_t vendor_index(unsigned int vendor)
{
	if (vendor > 0xffff)
		return PCIIDS_NONE;
	return search16(pciids_vendor_id, 0, pciids_db_info.n_vendors, vendor);
}

/* Device table index under vendor table index vi, or PCIIDS_NONE. */
static uint32_t device_in(uint32_t vi, unsigned int device)
{
	if (vi == PCIIDS_NONE || device > 0xffff)
		return PCIIDS_NONE;
	return search16(pciids_device_id, pciids_vendor_dev[vi],
			pciids_vendor_dev[vi + 1], device);
}

/* Device table index, or PCIIDS_NONE. */
static uint32_t device_index(unsigned int vendor, unsigned int device)
{
	return device_in(vendor_index(vendor), device);
}

uint32_t pciids_find_vendor(unsigned int vendor)
{
	return vendor_index(vendor);
}

uint32_t pciids_find_device(unsigned int vendor, unsigned int device)
{
	uint32_t di = device_index(vendor, device);

	if (di == PCIIDS_NONE)
		return PCIIDS_NONE;
	return pciids_db_info.n_vendors + di;
}

uint32_t pciids_find_vendor_device(unsigned int vendor, unsigned int device,
				   uint32_t *dev_idx)
{
	uint32_t vi = vendor_index(vendor), di = device_in(vi, device);

	*dev_idx = di == PCIIDS_NONE ? PCIIDS_NONE : pciids_db_info.n_vendors + di;
	return vi;
}

uint32_t pciids_find_subsys(unsigned int vendor, unsigned int device,
			    unsigned int subvendor, unsigned int subdevice)
{
	const struct pciids_db_info *db = &pciids_db_info;
	uint32_t di, si, k, bits;

	if (!db->n_subsys || subvendor > 0xffff || subdevice > 0xffff)
		return PCIIDS_NONE;
	di = device_index(vendor, device);
	if (di == PCIIDS_NONE)
		return PCIIDS_NONE;
	bits = pciids_subdev_bits[di / 32];
	if (!(bits >> (di % 32) & 1))
		return PCIIDS_NONE;
	k = pciids_subdev_rank[di / 32] +
	    popcount32(bits & ((1u << (di % 32)) - 1));
	si = search32(pciids_subsys_key, pciids_subdev_sub[k],
		      pciids_subdev_sub[k + 1], subvendor << 16 | subdevice);
	if (si == PCIIDS_NONE)
		return PCIIDS_NONE;
	return db->n_vendors + db->n_devices + si;
}

uint32_t pciids_find_gensub(unsigned int subvendor, unsigned int subdevice)
{
	const struct pciids_db_info *db = &pciids_db_info;
	uint32_t gi;

	if (subvendor > 0xffff || subdevice > 0xffff)
		return PCIIDS_NONE;
	gi = search32(pciids_gensub_key, 0, db->n_gensubs,
		      subvendor << 16 | subdevice);
	if (gi == PCIIDS_NONE)
		return PCIIDS_NONE;
	return db->n_vendors + db->n_devices + db->n_subsys + gi;
}

/* Name index of the first class-side table (classes). */
static uint32_t class_base(void)
{
	const struct pciids_db_info *db = &pciids_db_info;

	return db->n_vendors + db->n_devices + db->n_subsys + db->n_gensubs;
}

uint32_t pciids_find_class(unsigned int base_class)
{
	uint32_t lo = 0, hi = pciids_db_info.n_classes;

	if (base_class > 0xff)
		return PCIIDS_NONE;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (pciids_class_id[mid] < base_class)
			lo = mid + 1;
		else if (pciids_class_id[mid] > base_class)
			hi = mid;
		else
			return class_base() + mid;
	}
	return PCIIDS_NONE;
}

uint32_t pciids_find_subclass(unsigned int class16)
{
	uint32_t i;

	if (class16 > 0xffff)
		return PCIIDS_NONE;
	i = search16(pciids_subclass_key, 0, pciids_db_info.n_subclasses,
		     class16);
	if (i == PCIIDS_NONE)
		return PCIIDS_NONE;
	return class_base() + pciids_db_info.n_classes + i;
}

uint32_t pciids_find_progif(unsigned int class16, unsigned int progif)
{
	const struct pciids_db_info *db = &pciids_db_info;
	uint32_t i;

	if (class16 > 0xffff || progif > 0xff)
		return PCIIDS_NONE;
	i = search32(pciids_progif_key, 0, db->n_progifs,
		     class16 << 8 | progif);
	if (i == PCIIDS_NONE)
		return PCIIDS_NONE;
	return class_base() + db->n_classes + db->n_subclasses + i;
}

uint32_t pciids_find_subsys_name(unsigned int vendor, unsigned int device,
				 unsigned int subvendor,
				 unsigned int subdevice)
{
	uint32_t n = PCIIDS_NONE;

	/* libpci skips the per-device table when vendor or device is 0 */
	if (vendor && device)
		n = pciids_find_subsys(vendor, device, subvendor, subdevice);
	if (n == PCIIDS_NONE)
		n = pciids_find_gensub(subvendor, subdevice);
	if (n == PCIIDS_NONE && vendor == subvendor && device == subdevice)
		n = pciids_find_device(vendor, device);
	return n;
}

/* Expand grammar symbol sym into the sink; cannot fail. */
static inline __attribute__((always_inline)) void put_sym(struct pciids_sink *s, unsigned int sym)
{
	uint16_t stack[PCIIDS_SYM_MAX_DEPTH];
	unsigned int sp = 0, l, r;

	for (;;) {
		while ((l = pciids_sym[2 * sym]) < PCIIDS_SYM_SHORT) {
			if (sp == PCIIDS_SYM_MAX_DEPTH)
				return;		/* corrupt tables */
			stack[sp++] = pciids_sym[2 * sym + 1];
			sym = l;
		}
		/* a leaf: 1 to 3 bytes, 0-terminated */
		r = pciids_sym[2 * sym + 1];
		pciids_sink_putc(s, (char)(l & 0xff));
		if (r >> 8) {
			pciids_sink_putc(s, (char)(r >> 8));
			if (r & 0xff)
				pciids_sink_putc(s, (char)(r & 0xff));
		}
		if (!sp)
			return;
		sym = stack[--sp];
	}
}

void pciids_sink_name(struct pciids_sink *out, uint32_t idx)
{
	/* a local copy: stores through buf cannot alias it, so it stays in registers */
	struct pciids_sink sink = *out, *s = &sink;
	const uint8_t *p, *end;
	uint32_t i, off, len;

	if (idx >= pciids_db_info.n_names)
		return;
	p = pciids_name_code + pciids_name_ckpt[idx >> PCIIDS_CKPT_HI_SHIFT] +
	    pciids_name_ckpt_lo[idx >> PCIIDS_CKPT_SHIFT];
	off = 0;
	for (i = idx & ~PCIIDS_CKPT_MASK; i < idx; i++) {
		len = pciids_name_len[i];
		if (len == PCIIDS_LEN_LONG)
			len = 2 + ((uint32_t)p[off] << 8 | p[off + 1]);
		off += len;
	}
	p += off;
	len = pciids_name_len[idx];
	if (len == PCIIDS_LEN_LONG) {
		len = (uint32_t)p[0] << 8 | p[1];
		p += 2;
	}
	end = p + len;
	while (p < end) {
		unsigned int c = *p++;

		if (c & 0x80)
			c = 0x80 + ((c & 0x7f) << 8 | *p++);
		put_sym(s, c);
	}
	*out = sink;
}

/* Copy name idx (or nothing) into buf; returns its length or -1 if none. */
static int raw_name(char *buf, size_t size, uint32_t idx)
{
	struct pciids_sink s;

	pciids_sink_init(&s, buf, size);
	if (idx != PCIIDS_NONE)
		pciids_sink_name(&s, idx);
	pciids_sink_finish(&s);
	return idx == PCIIDS_NONE ? -1 : (int)s.len;
}

int pciids_vendor_name(char *buf, size_t size, unsigned int vendor)
{
	return raw_name(buf, size, pciids_find_vendor(vendor));
}

int pciids_device_name(char *buf, size_t size, unsigned int vendor,
		       unsigned int device)
{
	return raw_name(buf, size, pciids_find_device(vendor, device));
}

int pciids_subsystem_name(char *buf, size_t size, unsigned int vendor,
			  unsigned int device, unsigned int subvendor,
			  unsigned int subdevice)
{
	return raw_name(buf, size, pciids_find_subsys_name(vendor, device,
							   subvendor,
							   subdevice));
}

int pciids_class_name(char *buf, size_t size, unsigned int base_class)
{
	return raw_name(buf, size, pciids_find_class(base_class));
}

int pciids_subclass_name(char *buf, size_t size, unsigned int class16)
{
	return raw_name(buf, size, pciids_find_subclass(class16));
}

int pciids_progif_name(char *buf, size_t size, unsigned int class16,
		       unsigned int progif)
{
	return raw_name(buf, size, pciids_find_progif(class16, progif));
}

const char *pciids_db_version(void)
{
	return pciids_db_info.version;
}
