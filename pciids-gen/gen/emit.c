/*
 * emit.c - write the generated .c and .h.
 *
 * Model: every table becomes a const integer array (never empty: a dummy
 * 0 is written for empty tables so -pedantic is happy), plus one
 * struct pciids_db_info with the counts.  The only string literal is the
 * version, written with every byte outside plain ASCII, and every '?',
 * '"' and '\\', escaped in octal, so no trigraph or escape can change it.
 * Nothing from the input goes into comments.
 */
#include <stdio.h>
#include <string.h>
#include "gen.h"
#include "pciids_db.h"

/* Fine checkpoints per absolute one. */
#define CKPT_STEP_SHIFT	(PCIIDS_CKPT_HI_SHIFT - PCIIDS_CKPT_SHIFT)

/* Write a C string literal of s; cannot fail (errors show in ferror). */
static void put_cstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '?')
			fputc(c, f);
		else
			fprintf(f, "\\%03o", c);
	}
	fputc('"', f);
}

/* Write array name of n elements from a (elem bytes each); returns bytes. */
static size_t put_array(FILE *f, const char *type, const char *name,
			const void *a, uint32_t n, int elem)
{
	uint32_t i, m = n ? n : 1;

	fprintf(f, "\nconst %s %s[%u] = {", type, name, m);
	for (i = 0; i < m; i++) {
		unsigned long v = 0;

		if (n && elem == 1)
			v = ((const uint8_t *)a)[i];
		else if (n && elem == 2)
			v = ((const uint16_t *)a)[i];
		else if (n)
			v = ((const uint32_t *)a)[i];
		if (i % (elem == 1 ? 16 : 8) == 0)
			fputs("\n\t", f);
		else
			fputc(' ', f);
		if (elem == 1)
			fprintf(f, "%lu,", v);
		else
			fprintf(f, "0x%0*lx,", elem * 2, v);
	}
	fputs("\n};\n", f);
	return (size_t)m * (size_t)elem;
}

/* Write 32-bit values a[0..n) as array name of uint16_t (the generator checked they fit). */
static size_t put_narrow16(FILE *f, const char *name, const uint32_t *a, uint32_t n)
{
	uint32_t i, m = n ? n : 1;

	fprintf(f, "\nconst uint16_t %s[%u] = {", name, m);
	for (i = 0; i < m; i++) {
		fputs(i % 8 == 0 ? "\n\t" : " ", f);
		fprintf(f, "0x%04lx,", n ? (unsigned long)(a[i] & 0xffff) : 0UL);
	}
	fputs("\n};\n", f);
	return (size_t)m * 2;
}

int gen_ckpt_fits(const struct gen_names *g)
{
	for (uint32_t j = 0; j < g->n_ckpt; j++)
		if (g->ckpt[j] - g->ckpt[j >> CKPT_STEP_SHIFT << CKPT_STEP_SHIFT] > 0xffff)
			return 0;
	return 1;
}

/* The two checkpoint arrays from the absolute ones; returns bytes. */
static size_t put_ckpts(FILE *f, const struct gen_names *g)
{
	uint32_t n_hi = ((g->n_ckpt - 1) >> CKPT_STEP_SHIFT) + 1, i;
	size_t b;

	fprintf(f, "\nconst uint32_t pciids_name_ckpt[%u] = {", n_hi);
	for (i = 0; i < n_hi; i++)
		fprintf(f, "%s0x%08lx,", i % 8 ? " " : "\n\t",
			(unsigned long)g->ckpt[i << CKPT_STEP_SHIFT]);
	fputs("\n};\n", f);
	b = (size_t)n_hi * 4;
	fprintf(f, "\nconst uint16_t pciids_name_ckpt_lo[%u] = {", g->n_ckpt);
	for (i = 0; i < g->n_ckpt; i++)
		fprintf(f, "%s0x%04lx,", i % 8 ? " " : "\n\t",
			(unsigned long)(g->ckpt[i] - g->ckpt[i >> CKPT_STEP_SHIFT << CKPT_STEP_SHIFT]));
	fputs("\n};\n", f);
	return b + (size_t)g->n_ckpt * 2;
}

/* Write all arrays; returns their total size in bytes. */
static size_t put_tables(FILE *c, const struct gen_tables *t,
			 const struct gen_names *g)
{
	size_t b = 0;

	b += put_array(c, "uint16_t", "pciids_vendor_id", t->vendor_id,
		       t->n_vendors, 2);
	b += put_narrow16(c, "pciids_vendor_dev", t->vendor_dev, t->n_vendors + 1);
	b += put_array(c, "uint16_t", "pciids_device_id", t->device_id,
		       t->n_devices, 2);
	b += put_array(c, "uint32_t", "pciids_subdev_bits", t->subdev_bits,
		       (t->n_devices + 31) / 32, 4);
	b += put_narrow16(c, "pciids_subdev_rank", t->subdev_rank, (t->n_devices + 31) / 32);
	b += put_narrow16(c, "pciids_subdev_sub", t->subdev_sub, t->n_subdevs + 1);
	b += put_array(c, "uint32_t", "pciids_subsys_key", t->subsys_key,
		       t->n_subsys, 4);
	b += put_array(c, "uint32_t", "pciids_gensub_key", t->gensub_key,
		       t->n_gensubs, 4);
	b += put_array(c, "uint8_t", "pciids_class_id", t->class_id,
		       t->n_classes, 1);
	b += put_array(c, "uint16_t", "pciids_subclass_key", t->subclass_key,
		       t->n_subclasses, 2);
	b += put_array(c, "uint32_t", "pciids_progif_key", t->progif_key,
		       t->n_progifs, 4);
	b += put_ckpts(c, g);
	b += put_array(c, "uint8_t", "pciids_name_len", g->name_len,
		       g->n_names, 1);
	b += put_array(c, "uint8_t", "pciids_name_code", g->code,
		       g->code_len, 1);
	b += put_array(c, "uint16_t", "pciids_sym", g->sym, g->n_syms * 2, 2);
	return b + sizeof(struct pciids_db_info);
}

int gen_emit(FILE *c, FILE *h, const char *header_name,
	     const struct gen_db *db, const struct gen_tables *t,
	     const struct gen_names *g, unsigned int opts)
{
	unsigned int flags = 0;
	const char *what = (opts & GEN_OPT_MINIMAL) ? "vendors and classes only" :
			   (opts & GEN_OPT_NO_SUBSYS) ? "no subsystems" : "full";
	size_t bytes;

	if (!(opts & GEN_OPT_MINIMAL))
		flags |= PCIIDS_DB_HAS_DEVICES;
	if (!(opts & (GEN_OPT_MINIMAL | GEN_OPT_NO_SUBSYS)))
		flags |= PCIIDS_DB_HAS_SUBSYS;
	fprintf(c, "/*\n * Generated by pciids-gen (%s tables); do not edit.\n"
		" *\n * Read-only integer tables laid out as described in "
		"pciids_db.h; searched\n * and decoded by pciids-gen/lib.\n"
		" */\n#include <stdint.h>\n#include \"%s\"\n\n"
		"/* fails to compile if pciids_db.h changed since generation */\n"
		"typedef char pciids_db_format_check[PCIIDS_DB_FORMAT == %d ? 1 : -1];\n",
		what, header_name, PCIIDS_DB_FORMAT);
	bytes = put_tables(c, t, g);
	fprintf(c, "\nconst struct pciids_db_info pciids_db_info = {\n"
		"\t%d, 0x%x,\n\t%u, %u, %u, %u, %u,\n\t%u, %u, %u, %u,\n"
		"\t%u, %u, %lu,\n\t", PCIIDS_DB_FORMAT, flags, t->n_vendors,
		t->n_devices, t->n_subdevs, t->n_subsys, t->n_gensubs,
		t->n_classes, t->n_subclasses, t->n_progifs, t->n_names,
		g->n_syms, g->code_len, (unsigned long)bytes);
	put_cstr(c, db->version);
	fputs("\n};\n", c);

	fprintf(h, "/*\n * Generated by pciids-gen (%s tables); do not edit.\n"
		" *\n * Declares the tables (via pciids_db.h) and describes "
		"what they hold.\n * Use the API in pciids.h rather than the "
		"tables directly.\n */\n#ifndef PCIIDS_DATA_H\n"
		"#define PCIIDS_DATA_H\n\n#include \"pciids_db.h\"\n\n"
		"#define PCIIDS_DATA_VERSION ", what);
	put_cstr(h, db->version);
	fprintf(h, "\n#define PCIIDS_DATA_FLAGS 0x%x\n"
		"#define PCIIDS_DATA_NAMES %u\n#define PCIIDS_DATA_BYTES %lu\n"
		"\n#endif /* PCIIDS_DATA_H */\n", flags, t->n_names,
		(unsigned long)bytes);
	return ferror(c) || ferror(h) ? -1 : 0;
}
