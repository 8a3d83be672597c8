/*
 * tables.c - turn parsed entries into the sorted arrays of pciids_db.h.
 *
 * Model: each category is collected as (64-bit key, entry) pairs, where the
 * key is the entry's IDs packed most significant first, and sorted.  Since
 * a device's key starts with its vendor ID and a subsystem's with vendor
 * and device, sorting also groups children under their parents, and the
 * parent ranges (vendor -> devices, device -> subsystems) fall out of one
 * merge-like walk.  The name order is the table order.
 */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

struct keyed {
	uint64_t key;
	uint32_t ent;
};

/* qsort order of struct keyed by key; returns <0, 0, >0. */
static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Sorted list of entries of category cat; NULL on failure (n set). */
static struct keyed *collect(const struct gen_db *db, unsigned int cat,
			     uint32_t *n)
{
	struct keyed *k;
	uint32_t i, m = 0;

	for (i = 0; i < db->n_ent; i++)
		m += db->ent[i].cat == cat;
	*n = m;
	k = malloc((m ? m : 1) * sizeof(*k));
	if (!k)
		return NULL;
	for (i = 0, m = 0; i < db->n_ent; i++) {
		const uint16_t *id = db->ent[i].id;

		if (db->ent[i].cat != cat)
			continue;
		k[m].key = (uint64_t)id[0] << 48 | (uint64_t)id[1] << 32 |
			   (uint64_t)id[2] << 16 | id[3];
		k[m++].ent = i;
	}
	qsort(k, m, sizeof(*k), cmp_keyed);
	return k;
}

/* Fill ranges and keys from the sorted lists; returns 0 or -1. */
static int fill(struct gen_tables *t, struct keyed *const *k)
{
	uint32_t i, j, c, words = (t->n_devices + 31) / 32 + 1;

	t->vendor_id = malloc((t->n_vendors + 1) * sizeof(uint16_t));
	t->vendor_dev = malloc((t->n_vendors + 1) * sizeof(uint32_t));
	t->device_id = malloc((t->n_devices + 1) * sizeof(uint16_t));
	t->subdev_dev = malloc((t->n_devices + 1) * sizeof(uint32_t));
	t->subdev_sub = malloc((t->n_devices + 1) * sizeof(uint32_t));
	t->subdev_bits = calloc(words, sizeof(uint32_t));
	t->subdev_rank = calloc(words, sizeof(uint32_t));
	t->subsys_key = malloc((t->n_subsys + 1) * sizeof(uint32_t));
	t->gensub_key = malloc((t->n_gensubs + 1) * sizeof(uint32_t));
	t->class_id = malloc(t->n_classes + 1);
	t->subclass_key = malloc((t->n_subclasses + 1) * sizeof(uint16_t));
	t->progif_key = malloc((t->n_progifs + 1) * sizeof(uint32_t));
	if (!t->vendor_id || !t->vendor_dev || !t->device_id ||
	    !t->subdev_dev || !t->subdev_sub || !t->subsys_key ||
	    !t->subdev_bits || !t->subdev_rank ||
	    !t->gensub_key || !t->class_id || !t->subclass_key ||
	    !t->progif_key)
		return -1;
	for (i = 0, j = 0; i < t->n_vendors; i++) {
		uint64_t v = k[CAT_VENDOR][i].key >> 48;

		t->vendor_id[i] = (uint16_t)v;
		t->vendor_dev[i] = j;
		while (j < t->n_devices && k[CAT_DEVICE][j].key >> 48 == v)
			j++;
	}
	t->vendor_dev[t->n_vendors] = j;
	for (i = 0; i < t->n_devices; i++)
		t->device_id[i] = (uint16_t)(k[CAT_DEVICE][i].key >> 32);
	t->n_subdevs = 0;
	for (i = 0, j = 0; i < t->n_devices && j < t->n_subsys; i++) {
		uint64_t d = k[CAT_DEVICE][i].key >> 32;

		if (k[CAT_SUBSYS][j].key >> 32 != d)
			continue;
		t->subdev_dev[t->n_subdevs] = i;
		t->subdev_sub[t->n_subdevs++] = j;
		while (j < t->n_subsys && k[CAT_SUBSYS][j].key >> 32 == d)
			j++;
	}
	t->subdev_sub[t->n_subdevs] = j;
	for (i = 0; i < t->n_subdevs; i++)
		t->subdev_bits[t->subdev_dev[i] / 32] |=
			1u << (t->subdev_dev[i] % 32);
	for (i = 0, j = 0; i < (t->n_devices + 31) / 32; i++) {
		t->subdev_rank[i] = j;
		for (c = t->subdev_bits[i]; c; c &= c - 1)
			j++;
	}
	for (i = 0; i < t->n_subsys; i++)
		t->subsys_key[i] = (uint32_t)k[CAT_SUBSYS][i].key;
	for (i = 0; i < t->n_gensubs; i++)
		t->gensub_key[i] = (uint32_t)(k[CAT_GENSUB][i].key >> 32);
	for (i = 0; i < t->n_classes; i++)
		t->class_id[i] = (uint8_t)(k[CAT_CLASS][i].key >> 48);
	for (i = 0; i < t->n_subclasses; i++)
		t->subclass_key[i] = (uint16_t)((k[CAT_SUBCLASS][i].key >> 48) << 8 |
						(k[CAT_SUBCLASS][i].key >> 32 & 0xff));
	for (i = 0; i < t->n_progifs; i++) {
		uint64_t key = k[CAT_PROGIF][i].key;

		t->progif_key[i] = (uint32_t)((key >> 48) << 16 |
					      (key >> 32 & 0xff) << 8 |
					      (key >> 16 & 0xff));
	}
	return 0;
}

int gen_build_tables(struct gen_tables *t, const struct gen_db *db,
		     unsigned int opts)
{
	struct keyed *k[CAT_PROGIF + 1] = { NULL };
	uint32_t n[CAT_PROGIF + 1] = { 0 }, i, j, c;
	int ret = -1;

	memset(t, 0, sizeof(*t));
	for (c = CAT_VENDOR; c <= CAT_PROGIF; c++)
		if (!(k[c] = collect(db, c, &n[c])))
			goto out;
	if (opts & (GEN_OPT_NO_SUBSYS | GEN_OPT_MINIMAL))
		n[CAT_SUBSYS] = n[CAT_GENSUB] = 0;
	if (opts & GEN_OPT_MINIMAL)
		n[CAT_DEVICE] = 0;
	t->n_vendors = n[CAT_VENDOR];
	t->n_devices = n[CAT_DEVICE];
	t->n_subsys = n[CAT_SUBSYS];
	t->n_gensubs = n[CAT_GENSUB];
	t->n_classes = n[CAT_CLASS];
	t->n_subclasses = n[CAT_SUBCLASS];
	t->n_progifs = n[CAT_PROGIF];
	for (c = CAT_VENDOR; c <= CAT_PROGIF; c++)
		t->n_names += n[c];
	if (fill(t, k))
		goto out;
	t->name_ent = malloc((t->n_names + 1) * sizeof(uint32_t));
	if (!t->name_ent)
		goto out;
	for (c = CAT_VENDOR, j = 0; c <= CAT_PROGIF; c++)
		for (i = 0; i < n[c]; i++)
			t->name_ent[j++] = k[c][i].ent;
	ret = 0;
out:
	for (c = CAT_VENDOR; c <= CAT_PROGIF; c++)
		free(k[c]);
	return ret;
}

void gen_tables_free(struct gen_tables *t)
{
	free(t->vendor_id);
	free(t->vendor_dev);
	free(t->device_id);
	free(t->subdev_dev);
	free(t->subdev_sub);
	free(t->subdev_bits);
	free(t->subdev_rank);
	free(t->subsys_key);
	free(t->gensub_key);
	free(t->class_id);
	free(t->subclass_key);
	free(t->progif_key);
	free(t->name_ent);
	memset(t, 0, sizeof(*t));
}
