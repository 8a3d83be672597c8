/*
 * gen.h - internals of the pciids-gen host generator.
 *
 * Model: the generator runs in three stages, each a separate file:
 *   parse.c   pci.ids text -> flat list of entries (file order), checking
 *             syntax the way libpci reads it, but failing loudly;
 *   tables.c  entries -> sorted ID arrays and the list of names in the
 *             name-index order of pciids_db.h;
 *   repair.c  names -> Re-Pair grammar and coded byte stream;
 *   emit.c    everything -> the .c and .h text.
 * main.c glues them and writes the output atomically.
 */
#ifndef PCIIDS_GEN_H
#define PCIIDS_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Entry categories (same meaning as libpci's, own numbering) */
enum gen_cat {
	CAT_NONE,
	CAT_VENDOR,
	CAT_DEVICE,
	CAT_SUBSYS,
	CAT_GENSUB,
	CAT_CLASS,
	CAT_SUBCLASS,
	CAT_PROGIF,
	CAT_UNKNOWN,	/* inside an unknown top-level block */
};

#define GEN_MAX_LINE	1022	/* longest line libpci reads, minus '\n' */

struct gen_entry {
	uint32_t name_off;	/* offset of the name in the input */
	uint32_t name_len;
	uint32_t line;
	uint32_t parent;	/* entry of the vendor / device owning it */
	uint16_t id[4];
	uint8_t cat;
};

struct gen_db {
	const char *buf;	/* the input text */
	size_t len;
	struct gen_entry *ent;
	uint32_t n_ent, cap_ent;
	uint32_t *hash;		/* entry index + 1, 0 = empty slot */
	uint32_t hash_mask;
	char version[48];
	uint32_t err_line;
	char err[160];
};

/* Parse buf[len]; returns 0, or -1 with db->err_line and db->err set. */
int gen_parse(struct gen_db *db, const char *buf, size_t len);
/* Free what gen_parse() allocated; cannot fail. */
void gen_db_free(struct gen_db *db);

/* Table options */
#define GEN_OPT_NO_SUBSYS	0x1	/* drop per-device and S subsystems */
#define GEN_OPT_MINIMAL		0x2	/* vendors and classes only */

struct gen_tables {
	uint32_t n_vendors, n_devices, n_subdevs, n_subsys, n_gensubs;
	uint32_t n_classes, n_subclasses, n_progifs, n_names;
	uint16_t *vendor_id;
	uint32_t *vendor_dev;
	uint16_t *device_id;
	uint32_t *subdev_dev;	/* devices with subsystems (for the bitmap) */
	uint32_t *subdev_bits;
	uint32_t *subdev_rank;
	uint32_t *subdev_sub;
	uint32_t *subsys_key;
	uint32_t *gensub_key;
	uint8_t *class_id;
	uint16_t *subclass_key;
	uint32_t *progif_key;
	uint32_t *name_ent;	/* entry index of each name, in name order */
};

/* Build sorted tables; returns 0, or -1 on allocation failure. */
int gen_build_tables(struct gen_tables *t, const struct gen_db *db,
		     unsigned int opts);
/* Free the tables; cannot fail. */
void gen_tables_free(struct gen_tables *t);

struct gen_names {
	uint8_t *code;		/* coded names, see pciids_db.h */
	uint32_t code_len;
	uint8_t *name_len;	/* per name: code bytes, PCIIDS_LEN_LONG if inline */
	uint32_t n_names;
	uint32_t *ckpt;
	uint32_t n_ckpt;
	uint16_t *sym;		/* 2 per symbol */
	uint32_t n_syms;
	uint32_t max_depth;
};

/* Compress names (n of them); returns 0, or -1 on allocation failure. */
int gen_compress(struct gen_names *out, const char *const *name,
		 const uint32_t *len, uint32_t n);
/* Free compressed names; cannot fail. */
void gen_names_free(struct gen_names *g);

/* Write the .c (including header_name) and the .h; returns 0 or -1. */
int gen_emit(FILE *c, FILE *h, const char *header_name,
	     const struct gen_db *db, const struct gen_tables *t,
	     const struct gen_names *g, unsigned int opts);

/* True if every checkpoint is within 64 KiB of its absolute one (emit.c). */
int gen_ckpt_fits(const struct gen_names *g);

#endif /* PCIIDS_GEN_H */
