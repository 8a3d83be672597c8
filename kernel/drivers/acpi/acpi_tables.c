/*
 * Architecture-independent ACPI table parser (model in kern/acpi.h).
 *
 * The walk is RSDP -> XSDT (or RSDT for ACPI 1.0, or when the XSDT is
 * broken) -> every table it lists; the MADT, MCFG and HPET tables are
 * decoded, the rest ignored.  Firmware data is untrusted: every table is
 * first mapped for its header only, its length is bounded by
 * ACPI_MAX_TABLE_LEN, then it is mapped whole and checksummed.  Fields are
 * read with memcpy (tables are byte-packed and unaligned).  Loops advance
 * by at least one entry header each step and stop at the table end, so
 * zero or absurd entry lengths end the walk with an error, never a hang.
 */
#include <kern/acpi.h>
#include <kern/errno.h>
#include <kern/string.h>

#define LOG(ops, ...)				\
	do {					\
		if ((ops)->log)			\
			(ops)->log(__VA_ARGS__);	\
	} while (0)

/* MADT entry types */
#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_ISO		2
#define MADT_NMI_SRC		3
#define MADT_LAPIC_NMI		4
#define MADT_LAPIC_ADDR		5
#define MADT_X2APIC		9
#define MADT_X2APIC_NMI		10

#define MADT_HDR_LEN		44
#define MCFG_HDR_LEN		44
#define MCFG_ENTRY_LEN		16
#define HPET_MIN_LEN		56

#define LAPIC_ENABLED		0x1
#define LAPIC_ONLINE_CAPABLE	0x2

static u16 rd16(const u8 *p)
{
	u16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u32 rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u64 rd64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

u8 acpi_checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum;
}

/* True if p (len bytes readable) holds a valid v1 or v2 RSDP. */
/* The v2 extension is checked separately by acpi_parse (it falls back to the RSDT). */
static bool rsdp_valid(const u8 *p, size_t len)
{
	return len >= ACPI_RSDP_V1_LEN && memcmp(p, "RSD PTR ", 8) == 0 &&
	       acpi_checksum(p, ACPI_RSDP_V1_LEN) == 0;
}

long acpi_scan_rsdp(const void *buf, size_t len)
{
	const u8 *b = buf;

	for (size_t off = 0; off + ACPI_RSDP_V1_LEN <= len; off += 16)
		if (rsdp_valid(b + off, len - off))
			return (long)off;
	return -ENOENT;
}

/*
 * Map the table at pa after validating its header, length and checksum.
 * Returns the mapping (length in *lenp), or NULL after logging why.
 */
static const u8 *map_table(const struct acpi_ops *ops, u64 pa, const char *want,
			   size_t *lenp, struct acpi_info *out)
{
	const u8 *h;
	u32 len;

	if (!pa) {
		LOG(ops, "acpi: null table pointer (%s)\n", want ? want : "entry");
		goto bad;
	}
	h = ops->map(ops->ctx, pa, ACPI_SDT_HDR_LEN);
	if (!h) {
		LOG(ops, "acpi: table at %#llx is not mappable\n", pa);
		goto bad;
	}
	len = rd32(h + 4);
	if (want && memcmp(h, want, 4) != 0) {
		LOG(ops, "acpi: expected %s at %#llx, found %.4s\n", want, pa, (const char *)h);
		goto bad;
	}
	if (len < ACPI_SDT_HDR_LEN || len > ACPI_MAX_TABLE_LEN) {
		LOG(ops, "acpi: %.4s at %#llx has absurd length %u; skipped\n",
		    (const char *)h, pa, len);
		goto bad;
	}
	h = ops->map(ops->ctx, pa, len);
	if (!h) {
		LOG(ops, "acpi: table at %#llx (+%u) is not mappable\n", pa, len);
		goto bad;
	}
	if (acpi_checksum(h, len) != 0) {
		LOG(ops, "acpi: %.4s at %#llx has a bad checksum; skipped\n",
		    (const char *)h, pa);
		goto bad;
	}
	*lenp = len;
	return h;
bad:
	out->errors++;
	return NULL;
}

static void add_cpu(struct acpi_info *out, u32 apic_id, u32 uid, u32 flags, bool x2)
{
	if (!(flags & LAPIC_ENABLED)) {
		out->cpus_disabled++;
		return;
	}
	/* The same CPU may be listed as both xAPIC and x2APIC; keep the first. */
	for (int i = 0; i < out->ncpus; i++)
		if (out->cpus[i].apic_id == apic_id)
			return;
	if (out->ncpus >= ACPI_MAX_CPUS) {
		out->cpus_dropped++;
		return;
	}
	out->cpus[out->ncpus++] = (struct acpi_cpu){ .apic_id = apic_id, .uid = uid,
						     .x2apic = x2 };
}

static void add_nmi(struct acpi_info *out, u32 uid, u16 flags, u8 lint)
{
	if (out->nnmis >= ACPI_MAX_NMIS) {
		out->nmis_dropped++;
		return;
	}
	out->nmis[out->nnmis++] = (struct acpi_lapic_nmi){ .uid = uid, .flags = flags,
							   .lint = lint };
}

/* Minimum length of each known MADT entry type; 2 for unknown ones. */
static u8 madt_entry_min(u8 type)
{
	switch (type) {
	case MADT_LAPIC:	return 8;
	case MADT_IOAPIC:	return 12;
	case MADT_ISO:		return 10;
	case MADT_NMI_SRC:	return 8;
	case MADT_LAPIC_NMI:	return 6;
	case MADT_LAPIC_ADDR:	return 12;
	case MADT_X2APIC:	return 16;
	case MADT_X2APIC_NMI:	return 12;
	default:		return 2;
	}
}

static void madt_entry(struct acpi_info *out, const u8 *e)
{
	switch (e[0]) {
	case MADT_LAPIC:
		add_cpu(out, e[3], e[2], rd32(e + 4), false);
		break;
	case MADT_X2APIC:
		add_cpu(out, rd32(e + 4), rd32(e + 12), rd32(e + 8), true);
		break;
	case MADT_IOAPIC:
		if (out->nioapics >= ACPI_MAX_IOAPICS) {
			out->ioapics_dropped++;
			break;
		}
		out->ioapics[out->nioapics++] = (struct acpi_ioapic){
			.id = e[2], .addr = rd32(e + 4), .gsi_base = rd32(e + 8) };
		break;
	case MADT_ISO:
		if (out->nisos >= ACPI_MAX_ISOS) {
			out->isos_dropped++;
			break;
		}
		out->isos[out->nisos++] = (struct acpi_iso){
			.bus = e[2], .source = e[3], .gsi = rd32(e + 4), .flags = rd16(e + 8) };
		break;
	case MADT_LAPIC_NMI:
		add_nmi(out, e[2] == 0xFF ? ACPI_UID_ALL : e[2], rd16(e + 3), e[5]);
		break;
	case MADT_X2APIC_NMI:
		add_nmi(out, rd32(e + 4), rd16(e + 2), e[8]);
		break;
	case MADT_LAPIC_ADDR:
		out->lapic_addr = rd64(e + 4);
		break;
	default:
		break;		/* NMI sources, GIC, ... : not needed */
	}
}

int acpi_parse_madt(const struct acpi_ops *ops, const void *tbl, size_t len,
		    struct acpi_info *out)
{
	const u8 *t = tbl;
	size_t off;

	if (len < MADT_HDR_LEN) {
		LOG(ops, "acpi: MADT too short (%zu bytes)\n", len);
		goto bad_table;
	}
	out->lapic_addr = rd32(t + 36);
	out->madt_flags = rd32(t + 40);
	for (off = MADT_HDR_LEN; off + 2 <= len; off += t[off + 1]) {
		const u8 *e = t + off;

		if (e[1] < 2) {
			LOG(ops, "acpi: MADT entry at +%zu has length %u; rest ignored\n", off, e[1]);
			goto bad_entry;
		}
		if (off + e[1] > len) {
			LOG(ops, "acpi: MADT entry at +%zu overruns the table; rest ignored\n", off);
			goto bad_entry;
		}
		if (e[1] < madt_entry_min(e[0])) {
			LOG(ops, "acpi: MADT entry type %u too short (%u); skipped\n", e[0], e[1]);
			out->errors++;
			continue;
		}
		madt_entry(out, e);
	}
	out->have_madt = true;
	return 0;
bad_entry:
	/* Keep what was parsed before the broken entry. */
	out->errors++;
	out->have_madt = true;
	return -EINVAL;
bad_table:
	out->errors++;
	return -EINVAL;
}

int acpi_parse_mcfg(const struct acpi_ops *ops, const void *tbl, size_t len,
		    struct acpi_info *out)
{
	const u8 *t = tbl;

	if (len < MCFG_HDR_LEN || (len - MCFG_HDR_LEN) % MCFG_ENTRY_LEN) {
		LOG(ops, "acpi: MCFG length %zu is not header + whole entries\n", len);
		out->errors++;
		if (len < MCFG_HDR_LEN)
			return -EINVAL;
	}
	for (size_t off = MCFG_HDR_LEN; off + MCFG_ENTRY_LEN <= len; off += MCFG_ENTRY_LEN) {
		const u8 *e = t + off;
		struct acpi_mcfg_region r = { .base = rd64(e), .segment = rd16(e + 8),
					      .bus_start = e[10], .bus_end = e[11] };

		if (r.bus_end < r.bus_start || !r.base) {
			LOG(ops, "acpi: MCFG entry with bus %u-%u base %#llx ignored\n",
			    r.bus_start, r.bus_end, r.base);
			out->errors++;
			continue;
		}
		if (out->nmcfg >= ACPI_MAX_MCFG) {
			out->mcfg_dropped++;
			continue;
		}
		out->mcfg[out->nmcfg++] = r;
	}
	out->have_mcfg = true;
	return 0;
}

int acpi_parse_hpet(const struct acpi_ops *ops, const void *tbl, size_t len,
		    struct acpi_info *out)
{
	const u8 *t = tbl;

	if (len < HPET_MIN_LEN) {
		LOG(ops, "acpi: HPET table too short (%zu bytes)\n", len);
		goto bad;
	}
	if (t[40] != 0) {	/* GAS address space: must be system memory */
		LOG(ops, "acpi: HPET not in memory space (space %u)\n", t[40]);
		goto bad;
	}
	out->hpet_addr = rd64(t + 44);
	out->have_hpet = out->hpet_addr != 0;
	return 0;
bad:
	out->errors++;
	return -EINVAL;
}

/* Decode one table listed by the root table. */
static void parse_one(const struct acpi_ops *ops, u64 pa, struct acpi_info *out)
{
	size_t len;
	const u8 *t = map_table(ops, pa, NULL, &len, out);

	if (!t)
		return;
	if (!memcmp(t, "APIC", 4)) {
		if (out->have_madt) {
			LOG(ops, "acpi: second MADT at %#llx ignored\n", pa);
			return;
		}
		acpi_parse_madt(ops, t, len, out);
	} else if (!memcmp(t, "MCFG", 4) && !out->have_mcfg) {
		acpi_parse_mcfg(ops, t, len, out);
	} else if (!memcmp(t, "HPET", 4) && !out->have_hpet) {
		acpi_parse_hpet(ops, t, len, out);
	}
}

int acpi_parse(const struct acpi_ops *ops, u64 rsdp_pa, struct acpi_info *out)
{
	const u8 *r;
	u64 xsdt = 0, rsdt;
	size_t len;
	const u8 *root;
	int esize = 4;
	u64 entries[256];
	size_t n;

	memset(out, 0, sizeof(*out));
	out->rsdp_pa = rsdp_pa;
	r = ops->map(ops->ctx, rsdp_pa, ACPI_RSDP_V1_LEN);
	if (!r || !rsdp_valid(r, ACPI_RSDP_V1_LEN)) {
		LOG(ops, "acpi: no valid RSDP at %#llx\n", rsdp_pa);
		out->errors++;
		return -EINVAL;
	}
	out->revision = r[15];
	rsdt = rd32(r + 16);
	if (out->revision >= 2) {
		r = ops->map(ops->ctx, rsdp_pa, ACPI_RSDP_V2_LEN);
		if (r && rd32(r + 20) >= ACPI_RSDP_V2_LEN && rd32(r + 20) <= 4096 &&
		    (r = ops->map(ops->ctx, rsdp_pa, rd32(r + 20))) &&
		    acpi_checksum(r, rd32(r + 20)) == 0) {
			xsdt = rd64(r + 24);
		} else {
			LOG(ops, "acpi: RSDP extended checksum bad; using the RSDT\n");
			out->errors++;
		}
	}
	root = NULL;
	if (xsdt) {
		root = map_table(ops, xsdt, "XSDT", &len, out);
		esize = 8;
	}
	if (!root) {
		root = map_table(ops, rsdt, "RSDT", &len, out);
		esize = 4;
	}
	if (!root) {
		LOG(ops, "acpi: no usable RSDT/XSDT\n");
		return -ENOENT;
	}
	/* Copy the entry list first: mapping a table may recycle root's mapping. */
	n = (len - ACPI_SDT_HDR_LEN) / esize;
	if (n > ARRAY_SIZE(entries)) {
		LOG(ops, "acpi: root table lists %zu tables; only %zu read\n", n,
		    ARRAY_SIZE(entries));
		out->errors++;
		n = ARRAY_SIZE(entries);
	}
	for (size_t i = 0; i < n; i++) {
		const u8 *e = root + ACPI_SDT_HDR_LEN + i * esize;

		entries[i] = esize == 8 ? rd64(e) : rd32(e);
	}
	for (size_t i = 0; i < n; i++)
		parse_one(ops, entries[i], out);
	return 0;
}
