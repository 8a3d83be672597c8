/*
 * Host tests of the ACPI table parser (kernel/drivers/acpi/acpi_tables.c) on real
 * tables captured from QEMU q35 and pc (tests/unit/data/acpi/, made by the
 * kernel's `acpidump` monitor command and capture.py) and on corrupted
 * variants: bad checksums, truncated and absurd lengths, zero-length and
 * overrunning MADT entries, unmapped pointers, a broken XSDT, random byte
 * flips.  Every case must give an error or a sane result; a crash, an
 * ASan report or a hang is a failure.
 *
 * "Physical memory" is a list of regions, each an exact-size heap copy of
 * one blob at its captured address, so any read past a table's end is
 * caught by ASan.
 */
// SOURCES: kernel/drivers/acpi/acpi_tables.c
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kern/acpi.h>
#include <kern/errno.h>
#include "unit.h"

#define MAX_REGIONS	32

struct region {
	unsigned long long pa;
	size_t len;
	unsigned char *data;
	char sig[5];
};

struct phys {
	struct region r[MAX_REGIONS];
	int n;
	int maps;		/* map calls, to detect runaway loops */
};

static bool quiet;

static void tlog(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	printf("  log: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static const void *tmap(void *ctx, u64 pa, size_t len)
{
	struct phys *ph = ctx;

	ph->maps++;
	for (int i = 0; i < ph->n; i++) {
		struct region *r = &ph->r[i];

		if (pa >= r->pa && len <= r->len && pa - r->pa <= r->len - len)
			return r->data + (pa - r->pa);
	}
	return NULL;
}

static struct region *add_region(struct phys *ph, unsigned long long pa, const void *data,
				 size_t len, const char *sig)
{
	struct region *r = &ph->r[ph->n++];

	r->pa = pa;
	r->len = len;
	r->data = malloc(len ? len : 1);
	memcpy(r->data, data, len);
	snprintf(r->sig, sizeof(r->sig), "%s", sig);
	return r;
}

static void load_dir(struct phys *ph, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	memset(ph, 0, sizeof(*ph));
	if (!d) {
		printf("cannot open %s\n", dir);
		return;
	}
	while ((e = readdir(d)) && ph->n < MAX_REGIONS) {
		char path[512], sig[5] = "";
		unsigned long long pa;
		unsigned char buf[65536];
		size_t len;
		FILE *f;

		if (sscanf(e->d_name, "%16llx-%4s", &pa, sig) != 2)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		add_region(ph, pa, buf, len, sig);
	}
	closedir(d);
}

static void free_phys(struct phys *ph)
{
	for (int i = 0; i < ph->n; i++)
		free(ph->r[i].data);
	ph->n = 0;
}

static struct region *find(struct phys *ph, const char *sig)
{
	for (int i = 0; i < ph->n; i++)
		if (!strcmp(ph->r[i].sig, sig))
			return &ph->r[i];
	return NULL;
}

/* Make an SDT's checksum valid again after editing it. */
static void fix_sum(unsigned char *t, size_t len)
{
	t[9] -= acpi_checksum(t, len);
}

static int parse(struct phys *ph, struct acpi_info *ai)
{
	struct acpi_ops ops = { .map = tmap, .log = tlog, .ctx = ph };
	struct region *rsdp = find(ph, "RSDP");

	ph->maps = 0;
	return acpi_parse(&ops, rsdp ? rsdp->pa : 0, ai);
}

static struct acpi_info ai;

static void check_qemu_common(const char *name, struct phys *ph)
{
	int rc = parse(ph, &ai);

	printf("%s: %d CPUs, %d IOAPIC, %d ISO, %d NMI, %d MCFG, hpet %#llx, %d errors\n", name,
	       ai.ncpus, ai.nioapics, ai.nisos, ai.nnmis, ai.nmcfg, ai.hpet_addr, ai.errors);
	CHECK_EQ(rc, 0);
	CHECK(ai.have_madt, "%s: MADT found", name);
	CHECK_EQ(ai.errors, 0);
	CHECK_EQ(ai.ncpus, 4);
	for (int i = 0; i < ai.ncpus && i < 4; i++)
		CHECK_EQ(ai.cpus[i].apic_id, i);
	CHECK_EQ(ai.lapic_addr, 0xFEE00000);
	CHECK_EQ(ai.madt_flags & 1, 1);
	CHECK_EQ(ai.nioapics, 1);
	CHECK_EQ(ai.ioapics[0].addr, 0xFEC00000);
	CHECK_EQ(ai.ioapics[0].gsi_base, 0);
	CHECK(ai.nisos >= 1 && ai.isos[0].source == 0 && ai.isos[0].gsi == 2,
	      "%s: IRQ0 -> GSI2 override", name);
	CHECK(ai.nnmis >= 1 && ai.nmis[0].uid == ACPI_UID_ALL && ai.nmis[0].lint == 1,
	      "%s: LINT1 NMI for all CPUs", name);
	CHECK(ai.have_hpet && ai.hpet_addr == 0xFED00000, "%s: HPET at 0xFED00000", name);
}

static void test_captured(void)
{
	struct phys ph;

	load_dir(&ph, "tests/unit/data/acpi/q35");
	CHECK(ph.n >= 5, "q35 blobs loaded (%d)", ph.n);
	check_qemu_common("q35", &ph);
	CHECK_EQ(ai.nmcfg, 1);
	CHECK(ai.mcfg[0].base == 0xB0000000 && ai.mcfg[0].segment == 0 &&
	      ai.mcfg[0].bus_start == 0 && ai.mcfg[0].bus_end == 255, "q35 ECAM window");
	free_phys(&ph);

	load_dir(&ph, "tests/unit/data/acpi/pc");
	CHECK(ph.n >= 4, "pc blobs loaded (%d)", ph.n);
	check_qemu_common("pc", &ph);
	CHECK_EQ(ai.nmcfg, 0);
	CHECK(!ai.have_mcfg, "pc has no MCFG");
	free_phys(&ph);
}

static void test_scan(void)
{
	struct phys ph;
	struct region *r;
	unsigned char *bios = calloc(1, 0x20000);
	long off;

	load_dir(&ph, "tests/unit/data/acpi/q35");
	r = find(&ph, "RSDP");
	memcpy(bios + (r->pa - 0xE0000), r->data, r->len);
	off = acpi_scan_rsdp(bios, 0x20000);
	CHECK_EQ(off, (long)(r->pa - 0xE0000));
	bios[r->pa - 0xE0000 + 8] ^= 1;		/* checksum now wrong */
	CHECK_EQ(acpi_scan_rsdp(bios, 0x20000), -ENOENT);
	/* signature at the very end of the buffer: must not read past it */
	memcpy(bios + 0x20000 - 16, "RSD PTR ", 8);
	CHECK_EQ(acpi_scan_rsdp(bios, 0x20000), -ENOENT);
	CHECK_EQ(acpi_scan_rsdp(bios, 10), -ENOENT);
	free(bios);
	free_phys(&ph);
}

/* Load q35, let edit() corrupt it, parse; returns the parse result. */
static int corrupt(const char *sig, void (*edit)(struct region *r), struct phys *ph)
{
	load_dir(ph, "tests/unit/data/acpi/q35");
	edit(find(ph, sig));
	return parse(ph, &ai);
}

static void e_flip(struct region *r) { r->data[r->len - 1] ^= 0x55; }
static void e_len_short(struct region *r) { r->data[4] = 40; fix_sum(r->data, 40); }
static void e_len_absurd(struct region *r) { memset(r->data + 4, 0xFF, 4); }
static void e_len_beyond(struct region *r) { r->data[4] += 100; }
static void e_len_tiny(struct region *r) { memset(r->data + 4, 0, 4); r->data[4] = 3; }
static void e_entry_zero(struct region *r) { r->data[44 + 1] = 0; fix_sum(r->data, r->len); }
static void e_entry_one(struct region *r) { r->data[44 + 8 + 1] = 1; fix_sum(r->data, r->len); }
static void e_entry_overrun(struct region *r)
{
	r->data[44 + 1] = 250;
	fix_sum(r->data, r->len);
}
static void e_entry_short(struct region *r)
{
	/* first entry: LAPIC (8 bytes) relabelled as x2APIC (needs 16) */
	r->data[44] = 9;
	fix_sum(r->data, r->len);
}
static void e_sig(struct region *r) { r->data[0] = 'X'; }
static void e_rsdt_ptr(struct region *r)
{
	/* point the first entry at unmapped memory and another at the RSDT itself */
	unsigned int bad = 0x12345678, self = (unsigned int)r->pa;

	memcpy(r->data + 36, &bad, 4);
	memcpy(r->data + 40, &self, 4);
	fix_sum(r->data, r->len);
}
static void e_rsdt_nullptr(struct region *r)
{
	memset(r->data + 36, 0, r->len - 36);
	fix_sum(r->data, r->len);
}
static void e_mcfg_partial(struct region *r)
{
	r->data[4] -= 4;	/* 44 + 12: not a whole entry */
	fix_sum(r->data, r->len - 4);
}
static void e_mcfg_badbus(struct region *r)
{
	r->data[44 + 10] = 9;
	r->data[44 + 11] = 3;
	fix_sum(r->data, r->len);
}
static void e_hpet_short(struct region *r) { r->data[4] = 44; fix_sum(r->data, 44); }
static void e_hpet_io(struct region *r) { r->data[40] = 1; fix_sum(r->data, r->len); }

static void test_corrupt(void)
{
	struct phys ph;
	int rc;

	rc = corrupt("APIC", e_flip, &ph);
	CHECK(rc == 0 && !ai.have_madt && ai.errors > 0, "bad MADT checksum: skipped");
	free_phys(&ph);
	rc = corrupt("APIC", e_len_short, &ph);
	CHECK(rc == 0 && !ai.have_madt && ai.errors > 0, "MADT shorter than its header");
	free_phys(&ph);
	rc = corrupt("APIC", e_len_absurd, &ph);
	CHECK(rc == 0 && !ai.have_madt && ai.errors > 0, "MADT length 4 GiB");
	free_phys(&ph);
	rc = corrupt("APIC", e_len_beyond, &ph);
	CHECK(rc == 0 && !ai.have_madt && ai.errors > 0, "MADT length beyond mapping");
	free_phys(&ph);
	rc = corrupt("APIC", e_len_tiny, &ph);
	CHECK(rc == 0 && !ai.have_madt && ai.errors > 0, "MADT length 3");
	free_phys(&ph);
	rc = corrupt("APIC", e_entry_zero, &ph);
	CHECK(rc == 0 && ai.ncpus == 0 && ai.errors > 0 && ph.maps < 100,
	      "zero-length MADT entry stops the walk (maps %d)", ph.maps);
	free_phys(&ph);
	rc = corrupt("APIC", e_entry_one, &ph);
	CHECK(rc == 0 && ai.ncpus == 1 && ai.errors > 0, "length-1 entry after one CPU");
	free_phys(&ph);
	rc = corrupt("APIC", e_entry_overrun, &ph);
	CHECK(rc == 0 && ai.ncpus == 0 && ai.errors > 0, "entry overrunning the MADT");
	free_phys(&ph);
	rc = corrupt("APIC", e_entry_short, &ph);
	CHECK(rc == 0 && ai.ncpus == 3 && ai.errors == 1, "too-short x2APIC entry skipped");
	free_phys(&ph);
	rc = corrupt("APIC", e_sig, &ph);
	CHECK(rc == 0 && !ai.have_madt && ai.errors > 0, "MADT with a bad signature");
	free_phys(&ph);
	rc = corrupt("RSDT", e_flip, &ph);
	CHECK(rc == -ENOENT && !ai.have_madt, "bad RSDT checksum: no tables");
	free_phys(&ph);
	rc = corrupt("RSDT", e_rsdt_ptr, &ph);
	CHECK(rc == 0 && ai.errors >= 1, "RSDT entry pointing at unmapped memory");
	free_phys(&ph);
	rc = corrupt("RSDT", e_rsdt_nullptr, &ph);
	CHECK(rc == 0 && !ai.have_madt && ai.errors > 0, "RSDT full of null pointers");
	free_phys(&ph);
	rc = corrupt("RSDT", e_sig, &ph);
	CHECK_EQ(rc, -ENOENT);
	free_phys(&ph);
	rc = corrupt("RSDP", e_flip, &ph);
	CHECK_EQ(rc, -EINVAL);
	free_phys(&ph);
	rc = corrupt("MCFG", e_mcfg_partial, &ph);
	CHECK(rc == 0 && ai.nmcfg == 0 && ai.errors == 1, "MCFG with a partial entry");
	free_phys(&ph);
	rc = corrupt("MCFG", e_mcfg_badbus, &ph);
	CHECK(rc == 0 && ai.nmcfg == 0 && ai.errors == 1, "MCFG with bus end < start");
	free_phys(&ph);
	rc = corrupt("HPET", e_hpet_short, &ph);
	CHECK(rc == 0 && !ai.have_hpet && ai.errors == 1, "short HPET table");
	free_phys(&ph);
	rc = corrupt("HPET", e_hpet_io, &ph);
	CHECK(rc == 0 && !ai.have_hpet && ai.errors == 1, "HPET in I/O space");
	free_phys(&ph);
}

/* ACPI 2.0: a v2 RSDP pointing at an XSDT built from the q35 RSDT. */
static void make_v2(struct phys *ph, bool break_xsdt, bool break_ext_sum)
{
	struct region *rsdt = find(ph, "RSDT"), *rsdp = find(ph, "RSDP");
	size_t n = (rsdt->len - 36) / 4, xlen = 36 + 8 * n;
	unsigned char x[36 + 8 * 16], p[36];
	unsigned long long xpa = 0x7000000;

	memcpy(x, rsdt->data, 36);
	memcpy(x, "XSDT", 4);
	memcpy(x + 4, &xlen, 4);
	for (size_t i = 0; i < n; i++) {
		unsigned long long e = 0;

		memcpy(&e, rsdt->data + 36 + 4 * i, 4);
		memcpy(x + 36 + 8 * i, &e, 8);
	}
	fix_sum(x, xlen);
	if (break_xsdt)
		x[20] ^= 1;
	add_region(ph, xpa, x, xlen, "XSDT");
	memcpy(p, rsdp->data, 20);
	p[15] = 2;
	p[8] = 0;
	p[8] = -acpi_checksum(p, 20);
	unsigned int plen = 36;
	memcpy(p + 20, &plen, 4);
	memcpy(p + 24, &xpa, 8);
	memset(p + 32, 0, 4);
	p[32] = -acpi_checksum(p, 36);
	if (break_ext_sum)
		p[33] = 1;
	free(rsdp->data);
	rsdp->data = malloc(36);
	memcpy(rsdp->data, p, 36);
	rsdp->len = 36;
}

static void test_xsdt(void)
{
	struct phys ph;
	int rc;

	for (int v = 0; v < 3; v++) {
		load_dir(&ph, "tests/unit/data/acpi/q35");
		make_v2(&ph, v == 1, v == 2);
		rc = parse(&ph, &ai);
		CHECK(rc == 0 && ai.revision == 2 && ai.have_madt && ai.ncpus == 4 &&
		      ai.nmcfg == 1 && ai.errors == (v ? 1 : 0),
		      "v2 RSDP variant %d: rc %d errors %d cpus %d", v, rc, ai.errors, ai.ncpus);
		free_phys(&ph);
	}
}

/* A synthetic MADT with 80 x2APIC CPUs (more than ACPI_MAX_CPUS), some disabled. */
static void test_many_cpus(void)
{
	unsigned char t[44 + 16 * 80 + 12];
	size_t len = sizeof(t);
	struct acpi_ops ops = { .map = NULL, .log = tlog };

	memset(t, 0, sizeof(t));
	memcpy(t, "APIC", 4);
	memcpy(t + 4, &len, 4);
	for (int i = 0; i < 80; i++) {
		unsigned char *e = t + 44 + 16 * i;
		unsigned int id = 1000 + i, flags = i % 10 == 9 ? 0 : 1, uid = i;

		e[0] = 9;
		e[1] = 16;
		memcpy(e + 4, &id, 4);
		memcpy(e + 8, &flags, 4);
		memcpy(e + 12, &uid, 4);
	}
	/* x2APIC NMI for all processors on LINT1 */
	t[44 + 16 * 80] = 10;
	t[44 + 16 * 80 + 1] = 12;
	memset(t + 44 + 16 * 80 + 4, 0xFF, 4);
	t[44 + 16 * 80 + 8] = 1;
	memset(&ai, 0, sizeof(ai));
	CHECK_EQ(acpi_parse_madt(&ops, t, len, &ai), 0);
	CHECK_EQ(ai.ncpus, ACPI_MAX_CPUS);
	CHECK_EQ(ai.cpus_disabled, 8);
	CHECK_EQ(ai.cpus_dropped, 72 - ACPI_MAX_CPUS);
	CHECK(ai.cpus[0].x2apic && ai.cpus[0].apic_id == 1000, "x2APIC id");
	CHECK(ai.nnmis == 1 && ai.nmis[0].uid == ACPI_UID_ALL && ai.nmis[0].lint == 1,
	      "x2APIC NMI entry");
}

/* Random byte flips in the MADT body (checksum fixed up): must never crash or hang. */
static void test_fuzz(void)
{
	struct phys ph;
	unsigned int seed = 12345;
	int ok = 0, iters = 3000;
	struct region *m;
	unsigned char *orig;

	load_dir(&ph, "tests/unit/data/acpi/q35");
	m = find(&ph, "APIC");
	orig = malloc(m->len);
	memcpy(orig, m->data, m->len);
	quiet = true;
	for (int i = 0; i < iters; i++) {
		int flips = 1 + rand_r(&seed) % 4;

		memcpy(m->data, orig, m->len);
		for (int f = 0; f < flips; f++)
			m->data[44 + rand_r(&seed) % (m->len - 44)] = rand_r(&seed) & 0xFF;
		fix_sum(m->data, m->len);
		if (parse(&ph, &ai) == 0 && ai.ncpus <= ACPI_MAX_CPUS &&
		    ai.nioapics <= ACPI_MAX_IOAPICS && ai.nisos <= ACPI_MAX_ISOS && ph.maps < 100)
			ok++;
	}
	quiet = false;
	CHECK(ok == iters, "fuzzed MADTs handled: %d of %d", ok, iters);
	free(orig);
	free_phys(&ph);
}

int main(void)
{
	test_captured();
	test_scan();
	test_corrupt();
	test_xsdt();
	test_many_cpus();
	test_fuzz();
	return UNIT_SUMMARY();
}
