/*
 * oracle.c - compare libpciids with pciutils' libpci, name by name.
 *
 * Model: libpci (hwdb and cache off, name list = the same pci.ids) is the
 * oracle.  For each ID tuple of a category, every request type that takes
 * it is asked of both libraries under each flag combination lspci can
 * produce (plain, -n, -nn, NO_NUMBERS and their mixes); return values
 * (NULL, a message, or the text) must be identical.  IDs come from an
 * independent scan of the file (idscan.c) plus unknown, zero, mixed and
 * random IDs.  Usage:
 *   oracle PCI_IDS CATEGORY    check one category; prints a summary line,
 *                              the first mismatches, exit 1 on any
 *   oracle PCI_IDS --ref-batch render tool queries from stdin with libpci
 *   oracle PCI_IDS --queries   print sample tool queries for the file
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <pci/pci.h>
#include "pciids.h"
#include "idscan.h"
#include "query.h"

#define V	PCI_LOOKUP_VENDOR
#define D	PCI_LOOKUP_DEVICE
#define S	PCI_LOOKUP_SUBSYSTEM

_Static_assert(PCIIDS_LOOKUP_VENDOR == PCI_LOOKUP_VENDOR, "flag");
_Static_assert(PCIIDS_LOOKUP_DEVICE == PCI_LOOKUP_DEVICE, "flag");
_Static_assert(PCIIDS_LOOKUP_CLASS == PCI_LOOKUP_CLASS, "flag");
_Static_assert(PCIIDS_LOOKUP_SUBSYSTEM == PCI_LOOKUP_SUBSYSTEM, "flag");
_Static_assert(PCIIDS_LOOKUP_PROGIF == PCI_LOOKUP_PROGIF, "flag");
_Static_assert(PCIIDS_LOOKUP_NUMERIC == PCI_LOOKUP_NUMERIC, "flag");
_Static_assert(PCIIDS_LOOKUP_NO_NUMBERS == PCI_LOOKUP_NO_NUMBERS, "flag");
_Static_assert(PCIIDS_LOOKUP_MIXED == PCI_LOOKUP_MIXED, "flag");

static const unsigned int flagsets[] = {
	0, PCI_LOOKUP_NUMERIC, PCI_LOOKUP_MIXED, PCI_LOOKUP_NO_NUMBERS,
	PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_MIXED,
	PCI_LOOKUP_NUMERIC | PCI_LOOKUP_MIXED,
	PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NUMERIC,
};

static struct pci_access *pacc;
static struct idscan ids;
static unsigned long n_checks, n_bad;
static unsigned long long rng = 0x9e3779b97f4a7c15ull;

/* Next pseudo-random number (fixed seed: runs are reproducible). */
static unsigned int rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)(rng >> 16);
}

/* Compare one request under every flag set at buffer size; no return. */
static void check_size(unsigned int req, unsigned int a0, unsigned int a1,
		       unsigned int a2, unsigned int a3, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof(flagsets) / sizeof(flagsets[0]); i++) {
		unsigned int f = req | flagsets[i];
		char b1[1100], b2[1100];
		const char *r1, *r2;

		memset(b1, 'x', sizeof(b1));
		memset(b2, 'y', sizeof(b2));
		r1 = pci_lookup_name(pacc, b1, (int)size, (int)f, a0, a1, a2, a3);
		r2 = pciids_lookup_name(b2, size, f, a0, a1, a2, a3);
		n_checks++;
		if ((!r1 && !r2) || (r1 && r2 && !strcmp(r1, r2)))
			continue;
		if (n_bad++ < 20)
			printf("MISMATCH flags=0x%05x ids=%04x,%04x,%04x,%04x "
			       "size=%zu\n  libpci: %s%s%s\n  pciids: %s%s%s\n",
			       f, a0, a1, a2, a3, size, r1 ? "'" : "",
			       r1 ? r1 : "NULL", r1 ? "'" : "", r2 ? "'" : "",
			       r2 ? r2 : "NULL", r2 ? "'" : "");
	}
}

/* Compare one request with lspci's buffer sizes; no return value. */
static void check(unsigned int req, unsigned int a0, unsigned int a1,
		  unsigned int a2, unsigned int a3)
{
	check_size(req, a0, a1, a2, a3, 1024);
}

/* All requests that take a vendor/device/subsystem quadruple. */
static void check_quad(unsigned int v, unsigned int d, unsigned int sv,
		       unsigned int sd)
{
	check(V, v, 0, 0, 0);
	check(D, v, d, 0, 0);
	check(V | D, v, d, 0, 0);
	check(S | V, sv, 0, 0, 0);
	check(S | D, v, d, sv, sd);
	check(S | V | D, v, d, sv, sd);
}

/* Vendors, known and unknown; no return value. */
static void cat_vendors(void)
{
	size_t i;
	unsigned int v;

	for (i = 0; i < ids.n_vendor; i++) {
		check(V, ids.vendor[i][0], 0, 0, 0);
		check(S | V, ids.vendor[i][0], 0, 0, 0);
	}
	for (v = 0; v <= 0xffff; v += 7)
		check(V, v, 0, 0, 0);
}

/* Every device, plus unknown devices of known vendors. */
static void cat_devices(void)
{
	size_t i;

	for (i = 0; i < ids.n_device; i++) {
		unsigned int v = ids.device[i][0], d = ids.device[i][1];

		check(D, v, d, 0, 0);
		check(V | D, v, d, 0, 0);
		check(V | D, v, d ^ 0x5a5a, 0, 0);
		check(V | D, v ^ 0x0101, d, 0, 0);
	}
	for (i = 0; i < ids.n_vendor; i++) {
		check(V | D, ids.vendor[i][0], 0xffff, 0, 0);
		check(D, ids.vendor[i][0], 0, 0, 0);
	}
}

/* Every subsystem, generic subsystems and every fallback path. */
static void cat_subsystems(void)
{
	size_t i;

	for (i = 0; i < ids.n_subsys; i++) {
		unsigned int *s = ids.subsys[i];

		check(S | D, s[0], s[1], s[2], s[3]);
		check(S | V | D, s[0], s[1], s[2], s[3]);
		check(S | V | D, 0, s[1], s[2], s[3]);
		check(S | V | D, s[0], 0, s[2], s[3]);
		check(S | V | D, s[0], s[1], s[2], s[3] ^ 0x8000);
	}
	for (i = 0; i < ids.n_device; i++) {
		unsigned int v = ids.device[i][0], d = ids.device[i][1];

		check(S | V | D, v, d, v, d);	/* subsystem == device */
		check(S | D, v, d, v, d);
		check(S | V | D, v, d, rnd() & 0xffff, rnd() & 0xffff);
	}
	for (i = 0; i < ids.n_gensub; i++) {
		unsigned int sv = ids.gensub[i][0], sd = ids.gensub[i][1];

		check(S | V | D, rnd() & 0xffff, rnd() & 0xffff, sv, sd);
		check(S | D, 0, 0, sv, sd);
		check(S | V | D, sv, sd, sv, sd);
	}
}

/* All 65536 class words and a few out-of-range ones. */
static void cat_classes(void)
{
	unsigned int c;

	for (c = 0; c <= 0xffff; c++)
		check(PCI_LOOKUP_CLASS, c, 0, 0, 0);
	check(PCI_LOOKUP_CLASS, 0x10000, 0, 0, 0);
	check(PCI_LOOKUP_CLASS, 0xabcdef, 0, 0, 0);
}

/* All 256 prog-ifs of every class word that matters. */
static void cat_progifs(void)
{
	size_t i, n = ids.n_subclass + ids.n_progif + ids.n_class + 40;
	unsigned int *cls = malloc(n * sizeof(*cls)), p;

	n = 0;
	for (i = 0; i < ids.n_subclass; i++)
		cls[n++] = ids.subclass[i][0];
	for (i = 0; i < ids.n_progif; i++)
		cls[n++] = ids.progif[i][0];
	for (i = 0; i < ids.n_class; i++)
		cls[n++] = ids.klass[i] << 8 | 0x7f;
	cls[n++] = 0x0101;
	while (n < ids.n_subclass + ids.n_progif + ids.n_class + 40)
		cls[n++] = rnd() & 0xffff;
	for (i = 0; i < n; i++) {
		for (p = 0; p <= 0xff; p++)
			check(PCI_LOOKUP_PROGIF, cls[i], p, 0, 0);
		check(PCI_LOOKUP_PROGIF, cls[i], 0x180, 0, 0);
	}
	free(cls);
}

/* Random and mixed IDs over every request type. */
static void cat_random(void)
{
	int i;

	for (i = 0; i < 40000; i++) {
		unsigned int v = rnd() & 0xffff, d = rnd() & 0xffff;
		unsigned int sv = rnd() & 0xffff, sd = rnd() & 0xffff;

		if (i & 1 && ids.n_device) {
			unsigned int *dv = ids.device[rnd() % ids.n_device];

			v = dv[0];
			d = i & 2 ? dv[1] : d;
		}
		if (i & 4 && ids.n_vendor)
			sv = ids.vendor[rnd() % ids.n_vendor][0];
		if (i % 16 == 0)
			v = 0;
		if (i % 16 == 1)
			sv = sd = 0xffff;
		check_quad(v, d, sv, sd);
	}
}

/* Any ID tuple of the file, chosen at random, with a request for it. */
static void pick(unsigned int *req, unsigned int *a)
{
	unsigned int *s = ids.n_subsys ? ids.subsys[rnd() % ids.n_subsys] : NULL;
	unsigned int k = rnd() % 6;

	a[0] = s ? s[0] : 0x8086;
	a[1] = s ? s[1] : 0x1234;
	a[2] = s ? s[2] : 0x8086;
	a[3] = s ? s[3] : 0x0001;
	if (k == 5 && ids.n_subclass) {
		*req = PCI_LOOKUP_CLASS;
		a[0] = ids.subclass[rnd() % ids.n_subclass][0];
	} else if (k == 4) {
		*req = PCI_LOOKUP_PROGIF;
		a[0] = 0x0101;
		a[1] = rnd() & 0xff;
	} else {
		static const unsigned int r[] = { V, V | D, S | V, S | D,
						  S | V | D };

		*req = r[k];
		if (k == 1 && rnd() & 1)
			a[1] ^= 0x4321;	/* unknown device: numeric form */
	}
}

/* Every buffer size from 0 to 80 on sampled requests. */
static void cat_truncation(void)
{
	int i;
	size_t size;

	for (i = 0; i < 1500; i++) {
		unsigned int req, a[4];

		pick(&req, a);
		for (size = 0; size <= 80; size++)
			check_size(req, a[0], a[1], a[2], a[3], size);
	}
}

/* Every combination of request bits, valid or not. */
static void cat_requests(void)
{
	unsigned int req;

	for (req = 0; req < 32; req++) {
		check(req, 0x8086, 0x100e, 0x8086, 0x001e);
		check(req, 0x0101, 0x8a, 0x0101, 0x8a);
		check(req | 0x100, 0x8086, 0x100e, 0, 0);
	}
}

/* libpci rendering for the tool's query.c; same shape as the lookup. */
static const char *ref_lookup(char *buf, size_t size, unsigned int flags,
			      ...)
{
	unsigned int a[4] = { 0 }, n, i, req = flags & 0xffff;
	va_list ap;

	n = req == V || req == (S | V) || req == PCI_LOOKUP_CLASS ? 1 :
	    req == D || req == (V | D) || req == PCI_LOOKUP_PROGIF ? 2 : 4;
	va_start(ap, flags);
	for (i = 0; i < n; i++)
		a[i] = va_arg(ap, unsigned int);
	va_end(ap);
	return pci_lookup_name(pacc, buf, (int)size, (int)flags, a[0], a[1],
			       a[2], a[3]);
}

/* --queries: print a sample of tool queries covering the file; 0. */
static int queries(void)
{
	static const char *const pre[] = { "", "-n ", "-nn " };
	size_t i;
	unsigned int p;

	for (i = 0; i < ids.n_vendor; i++)
		printf("%s%04x\n", pre[i % 3], ids.vendor[i][0]);
	for (i = 0; i < ids.n_device; i += 3)
		printf("%s%04x:%04x\n", pre[i % 3], ids.device[i][0],
		       ids.device[i][1]);
	for (i = 0; i < ids.n_subsys; i += 3)
		printf("%s%04x:%04x:%04x:%04x\n", pre[i % 3],
		       ids.subsys[i][0], ids.subsys[i][1], ids.subsys[i][2],
		       ids.subsys[i][3]);
	for (i = 0; i < ids.n_subclass; i++)
		for (p = 0; p < 256; p += 17)
			printf("%s-c %04x%02x\n-c %04x\n", pre[p % 3],
			       ids.subclass[i][0], p, ids.subclass[i][0]);
	for (i = 0; i < 3000; i++)
		printf("%s%x:%x:%x:%x\n", pre[i % 3], rnd() & 0xffff,
		       rnd() & 0xfff, rnd() & 0xff, rnd() & 0xf);
	for (p = 0; p < 256; p++)
		printf("-c 0101%02x\n-nn -c 01%02x\n", p, p);
	return 0;
}

/* --ref-batch: answer queries from stdin with libpci; returns 0. */
static int ref_batch(void)
{
	char line[4096], out[1024], err[512];
	struct pciids_query q;

	while (fgets(line, sizeof(line), stdin)) {
		if (pciids_query_parse(line, 0, &q, err, sizeof(err)))
			puts("");
		else
			puts(pciids_query_render(&q, ref_lookup, out,
						 sizeof(out)));
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} cats[] = {
		{ "vendors", cat_vendors }, { "devices", cat_devices },
		{ "subsystems", cat_subsystems }, { "classes", cat_classes },
		{ "progifs", cat_progifs }, { "random", cat_random },
		{ "truncation", cat_truncation }, { "requests", cat_requests },
	};
	size_t i;
	int found = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: oracle PCI_IDS CATEGORY|--ref-batch\n");
		return 2;
	}
	pacc = pci_alloc();
	pci_set_param(pacc, "hwdb.disable", "1");
	pacc->id_lookup_mode = 0;	/* no ~/.pciids-cache, no DNS */
	pci_set_name_list_path(pacc, argv[1], 0);
	if (!pci_load_name_list(pacc)) {
		fprintf(stderr, "oracle: libpci cannot read %s\n", argv[1]);
		return 2;
	}
	if (!strcmp(argv[2], "--ref-batch"))
		return ref_batch();
	if (idscan_load(&ids, argv[1])) {
		perror(argv[1]);
		return 2;
	}
	if (!strcmp(argv[2], "--queries"))
		return queries();
	for (i = 0; i < sizeof(cats) / sizeof(cats[0]); i++) {
		if (strcmp(argv[2], cats[i].name) && strcmp(argv[2], "all"))
			continue;
		found = 1;
		cats[i].fn();
	}
	if (!found) {
		fprintf(stderr, "oracle: unknown category %s\n", argv[2]);
		return 2;
	}
	printf("oracle %s: %lu comparisons, %lu mismatches\n", argv[2],
	       n_checks, n_bad);
	pci_cleanup(pacc);
	return n_bad ? 1 : 0;
}
