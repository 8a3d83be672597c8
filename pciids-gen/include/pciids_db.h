/*
 * pciids_db.h - layout of the generated pci.ids tables.
 *
 * Model: pciids-gen turns pci.ids into plain arrays of integers, so the
 * generated object holds no pointers and needs no relocation.  IDs live in
 * sorted arrays searched by bisection; every named entry also has a global
 * "name index", and names are stored as a grammar-compressed byte stream
 * (Re-Pair: each symbol is either a literal byte or a pair of symbols).
 *
 * Name indices are laid out table after table, in this order:
 *   vendors, devices, subsystems, generic subsystems, classes, subclasses,
 *   prog-ifs
 * so entry i of a table has name index (base of that table) + i.
 *
 * Name stream: for name n, start at byte pciids_name_ckpt[n >> CKPT_HI_SHIFT]
 * + pciids_name_ckpt_lo[n >> CKPT_SHIFT] of pciids_name_code and skip
 * the names from the checkpoint's first up to n (the 16-bit offsets keep
 * the checkpoints small).  pciids_name_len[m] is the number of code bytes
 * of name m; the value PCIIDS_LEN_LONG means the name starts with its
 * length as 2 bytes big-endian.  Keeping the lengths out of the stream
 * makes the skip a sum of independent loads rather than a pointer chase.
 * Each code is 1 byte (< 0x80) or 2
 * bytes (first byte 0x80 | high bits) and names symbol (code) in
 * pciids_sym[].  If pciids_sym[2c] >= PCIIDS_SYM_SHORT, symbol c is a
 * string of 1 to 3 bytes: the low byte of pciids_sym[2c], then the high
 * and low bytes of pciids_sym[2c + 1], ending early at a 0 byte (names
 * never contain NUL).  Otherwise c expands to symbol pciids_sym[2c]
 * followed by symbol pciids_sym[2c + 1].  The generator guarantees
 * expansion depth is at most PCIIDS_SYM_MAX_DEPTH.
 *
 * This header is shared by the generator output (pciids_data.c) and by
 * lib/; users of the library only need pciids.h.
 */
#ifndef PCIIDS_DB_H
#define PCIIDS_DB_H

#include <stdint.h>

#define PCIIDS_DB_FORMAT	5	/* bump when this layout changes */
#define PCIIDS_LEN_LONG		0xff	/* pciids_name_len: length inline */
#define PCIIDS_CKPT_SHIFT	5	/* a checkpoint every 32 names ... */
#define PCIIDS_CKPT_HI_SHIFT	8	/* ... relative to an absolute one every 256 */
#define PCIIDS_MAX_RANGE	0xffffu	/* most devices / subsystems (16-bit range tables) */
#define PCIIDS_CKPT_MASK	((1u << PCIIDS_CKPT_SHIFT) - 1)
#define PCIIDS_SYM_SHORT	0xff00u
#define PCIIDS_SYM_MAX_DEPTH	40
#define PCIIDS_MAX_CODES	(0x80 + 0x8000)	/* 1-byte + 2-byte codes */

/* Table contents flags (pciids_db_info.flags) */
#define PCIIDS_DB_HAS_DEVICES	0x1
#define PCIIDS_DB_HAS_SUBSYS	0x2

struct pciids_db_info {
	uint32_t format;		/* PCIIDS_DB_FORMAT */
	uint32_t flags;			/* PCIIDS_DB_HAS_* */
	uint32_t n_vendors;
	uint32_t n_devices;
	uint32_t n_subdevs;		/* devices that have subsystems */
	uint32_t n_subsys;
	uint32_t n_gensubs;
	uint32_t n_classes;
	uint32_t n_subclasses;
	uint32_t n_progifs;
	uint32_t n_names;		/* sum of all the tables above */
	uint32_t n_syms;
	uint32_t code_bytes;		/* size of pciids_name_code */
	uint32_t rodata_bytes;		/* total size of all tables */
	char version[48];		/* "Version:" of the input, or "" */
};

extern const struct pciids_db_info pciids_db_info;

extern const uint16_t pciids_vendor_id[];	/* n_vendors, sorted */
extern const uint16_t pciids_vendor_dev[];	/* n_vendors + 1: first device */
extern const uint16_t pciids_device_id[];	/* sorted within each vendor */
/* bit d of the bitmap: device d has subsystems; rank: set bits before word */
extern const uint32_t pciids_subdev_bits[];	/* (n_devices + 31) / 32 */
extern const uint16_t pciids_subdev_rank[];	/* (n_devices + 31) / 32 */
extern const uint16_t pciids_subdev_sub[];	/* n_subdevs + 1: first subsystem */
extern const uint32_t pciids_subsys_key[];	/* subvendor << 16 | subdevice */
extern const uint32_t pciids_gensub_key[];	/* subvendor << 16 | subdevice */
extern const uint8_t pciids_class_id[];		/* sorted */
extern const uint16_t pciids_subclass_key[];	/* class << 8 | subclass */
extern const uint32_t pciids_progif_key[];	/* class << 16 | sub << 8 | progif */
extern const uint32_t pciids_name_ckpt[];	/* byte offsets, see above */
extern const uint16_t pciids_name_ckpt_lo[];	/* offsets from pciids_name_ckpt */
extern const uint8_t pciids_name_len[];	/* n_names */
extern const uint8_t pciids_name_code[];
extern const uint16_t pciids_sym[];		/* 2 * n_syms */

#endif /* PCIIDS_DB_H */
