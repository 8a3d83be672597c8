/*
 * main.c - pciids-gen command line: pci.ids in, OUT.c and OUT.h out.
 *
 * Model: read the whole input, parse, build tables, compress names, then
 * write both outputs to temporary files next to the targets and rename
 * them into place only when everything succeeded; on any failure the
 * temporaries are removed, so a half-written output never exists.
 * Malformed input is reported as "file:line: message", exit status 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gen.h"
#include "pciids_db.h"

#define DEFAULT_INPUT	"/usr/share/misc/pci.ids"

static const char usage[] =
	"usage: pciids-gen [-o OUTBASE] [--no-subsystems] [--minimal] "
	"[--stats] [PCI_IDS]\n"
	"  Writes OUTBASE.c and OUTBASE.h (default OUTBASE: pciids_data)\n"
	"  from PCI_IDS (default " DEFAULT_INPUT ").\n"
	"  --no-subsystems  leave out subsystem names\n"
	"  --minimal        keep only vendor and class names\n"
	"  --stats          print table sizes\n";

/* Read all of path into *buf (NUL-terminated); returns 0 or -1 (errno). */
static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 20, n = 0;
	char *b = NULL;

	if (!f)
		return -1;
	for (;;) {
		char *nb = realloc(b, cap + 1);
		size_t got;

		if (!nb)
			break;
		b = nb;
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (n < cap) {
			if (ferror(f))
				break;
			fclose(f);
			b[n] = 0;
			*buf = b;
			*len = n;
			return 0;
		}
		cap *= 2;
	}
	free(b);
	fclose(f);
	if (!errno)
		errno = EIO;
	return -1;
}

struct outfile {
	char final[4096];
	char tmp[4096];
	FILE *f;
};

/* Open a temporary next to base+ext; returns 0 or -1. */
static int out_open(struct outfile *o, const char *base, const char *ext)
{
	mode_t mask;
	int fd;

	if ((size_t)snprintf(o->final, sizeof(o->final), "%s%s", base, ext) >=
	    sizeof(o->final) ||
	    (size_t)snprintf(o->tmp, sizeof(o->tmp), "%s.tmp.XXXXXX",
			     o->final) >= sizeof(o->tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		o->tmp[0] = 0;
		return -1;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask)) {
		close(fd);
		return -1;
	}
	o->f = fdopen(fd, "w");
	if (!o->f) {
		close(fd);
		return -1;
	}
	return 0;
}

/* Close (if open) and remove the temporary; cannot fail. */
static void out_discard(struct outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp[0])
		unlink(o->tmp);
	o->tmp[0] = 0;
}

/* Write both files for the built data; returns 0 or -1 (message shown). */
static int write_outputs(const char *base, const struct gen_db *db,
			 const struct gen_tables *t, const struct gen_names *g,
			 unsigned int opts)
{
	struct outfile c = { "", "", NULL }, h = { "", "", NULL };
	const char *slash = strrchr(base, '/');
	char hname[256];
	int fc, fh;

	snprintf(hname, sizeof(hname), "%s.h", slash ? slash + 1 : base);
	if (out_open(&c, base, ".c") || out_open(&h, base, ".h"))
		goto fail;
	if (gen_emit(c.f, h.f, hname, db, t, g, opts))
		goto fail;
	fc = fclose(c.f);
	fh = fclose(h.f);
	c.f = h.f = NULL;
	if (fc || fh)
		goto fail;
	if (rename(h.tmp, h.final) || rename(c.tmp, c.final))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "pciids-gen: writing %s.{c,h}: %s\n", base,
		strerror(errno));
	out_discard(&c);
	out_discard(&h);
	return -1;
}

/* Print sizes for --stats; cannot fail. */
static void stats(const struct gen_db *db, const struct gen_tables *t,
		  const struct gen_names *g)
{
	printf("input: %lu bytes, version %s\n", (unsigned long)db->len,
	       db->version[0] ? db->version : "?");
	printf("entries: %u vendors, %u devices, %u subsystems, %u generic, "
	       "%u classes, %u subclasses, %u prog-ifs\n", t->n_vendors,
	       t->n_devices, t->n_subsys, t->n_gensubs, t->n_classes,
	       t->n_subclasses, t->n_progifs);
	printf("names: %u code bytes, %u symbols (%u bytes), depth %u\n",
	       g->code_len, g->n_syms, g->n_syms * 4, g->max_depth);
}

int main(int argc, char **argv)
{
	const char *in = DEFAULT_INPUT, *out = "pciids_data";
	unsigned int opts = 0;
	int i, want_stats = 0, ret = 1;
	struct gen_db db;
	struct gen_tables t;
	struct gen_names g;
	const char **names = NULL;
	uint32_t *lens = NULL, k;
	char *buf;
	size_t len;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--no-subsystems")) {
			opts |= GEN_OPT_NO_SUBSYS;
		} else if (!strcmp(argv[i], "--minimal")) {
			opts |= GEN_OPT_MINIMAL;
		} else if (!strcmp(argv[i], "--stats")) {
			want_stats = 1;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if (argv[i][0] == '-' || i != argc - 1) {
			fputs(usage, stderr);
			return 2;
		} else {
			in = argv[i];
		}
	}
	if (read_file(in, &buf, &len)) {
		fprintf(stderr, "pciids-gen: %s: %s\n", in, strerror(errno));
		return 1;
	}
	if (gen_parse(&db, buf, len)) {
		fprintf(stderr, "%s:%u: %s\n", in, db.err_line, db.err);
		goto out_db;
	}
	if (gen_build_tables(&t, &db, opts)) {
		gen_tables_free(&t);
		goto out_oom;
	}
	if (t.n_devices > PCIIDS_MAX_RANGE || t.n_subsys > PCIIDS_MAX_RANGE) {
		/* The range tables (pciids_db.h) hold 16-bit indices. */
		fprintf(stderr, "pciids-gen: %s: %u devices, %u subsystems: over %u\n", in,
			t.n_devices, t.n_subsys, PCIIDS_MAX_RANGE);
		gen_tables_free(&t);
		goto out_db;
	}
	names = malloc((t.n_names + 1) * sizeof(*names));
	lens = malloc((t.n_names + 1) * sizeof(*lens));
	if (!names || !lens)
		goto out_t_oom;
	for (k = 0; k < t.n_names; k++) {
		names[k] = db.buf + db.ent[t.name_ent[k]].name_off;
		lens[k] = db.ent[t.name_ent[k]].name_len;
	}
	if (gen_compress(&g, names, lens, t.n_names))
		goto out_t_oom;
	if (!gen_ckpt_fits(&g)) {
		fprintf(stderr, "pciids-gen: %s: names too long for 16-bit checkpoints\n", in);
		gen_names_free(&g);
		gen_tables_free(&t);
		goto out_db;
	}
	if (!write_outputs(out, &db, &t, &g, opts))
		ret = 0;
	if (want_stats && !ret)
		stats(&db, &t, &g);
	gen_names_free(&g);
	gen_tables_free(&t);
	goto out_db;
out_t_oom:
	gen_tables_free(&t);
out_oom:
	fprintf(stderr, "pciids-gen: out of memory\n");
out_db:
	free(names);
	free(lens);
	gen_db_free(&db);
	free(buf);
	return ret;
}
