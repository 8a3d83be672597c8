/*
 * Host tests of the cpio newc reader (kernel/fs/cpio.c): archives made
 * by the real `cpio -o -H newc` (built on the fly in a temporary tree,
 * plus the checked-in tests/unit/data/sample.cpio), hand-made malformed
 * headers, every truncation length and random byte flips, each parsed
 * from an exactly-sized heap copy so ASan catches any over-read.
 */
// SOURCES: kernel/fs/cpio.c
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "unit.h"
#include <kern/cpio.h>
#include <kern/errno.h>

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? n : 1);
	if (fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* Parse all of buf; returns entries seen, sets *end to 0 (trailer) or -errno. */
static int parse_all(const void *buf, size_t len, int *end, size_t *trailer_off)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int n = 0, r;

	cpio_iter_init(&it, buf, len);
	while ((r = cpio_next(&it, &e)) > 0) {
		/* Touch every byte the reader hands out (ASan checks bounds). */
		volatile unsigned sum = 0;

		for (size_t i = 0; i < e.namelen; i++)
			sum += (unsigned char)e.name[i];
		for (size_t i = 0; i < e.size; i++)
			sum += ((const unsigned char *)e.data)[i];
		if (e.name[e.namelen] != '\0')
			return -1000;
		n++;
	}
	*end = r;
	if (trailer_off)
		*trailer_off = it.off;
	return n;
}

/* Copy buf[0..len) into an exactly-sized allocation and parse it. */
static int parse_copy(const unsigned char *buf, size_t len, int *end)
{
	unsigned char *c = malloc(len ? len : 1);
	int n;

	memcpy(c, buf, len);
	n = parse_all(c, len, end, NULL);
	free(c);
	return n;
}

static const struct cpio_entry *find(struct cpio_entry *es, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(es[i].name, name))
			return &es[i];
	return NULL;
}

static void check_real_archive(const unsigned char *buf, size_t len, const char *what)
{
	struct cpio_entry es[64];
	struct cpio_iter it;
	const struct cpio_entry *e;
	int n = 0, r;

	cpio_iter_init(&it, buf, len);
	while (n < 64 && (r = cpio_next(&it, &es[n])) > 0)
		n++;
	CHECK(r == 0, "%s: archive ends with trailer (r=%d err=%s @%zu)", what, r,
	      it.err ? it.err : "-", it.err_off);
	CHECK(n >= 9, "%s: %d entries", what, n);
	e = find(es, n, "t/file.txt");
	CHECK(e && e->size == 6 && !memcmp(e->data, "hello\n", 6) && (e->mode & 0170000) == 0100000,
	      "%s: t/file.txt", what);
	CHECK(e && (e->mode & 07777) == 0640, "%s: file mode %o", what, e ? e->mode : 0);
	CHECK(e && e->mtime == 1000000000, "%s: mtime", what);
	e = find(es, n, "t/link");
	CHECK(e && (e->mode & 0170000) == 0120000 && e->size == 8 &&
	      !memcmp(e->data, "file.txt", 8), "%s: symlink", what);
	e = find(es, n, "t/sub");
	CHECK(e && (e->mode & 0170000) == 0040000 && e->size == 0, "%s: dir", what);
	e = find(es, n, "t/empty");
	CHECK(e && e->size == 0, "%s: empty file", what);
	e = find(es, n, "t/big");
	CHECK(e && e->size == 100000, "%s: big file", what);
	if (e) {
		int ok = 1;

		for (size_t i = 0; i < e->size; i++)
			ok &= ((const unsigned char *)e->data)[i] == (unsigned char)(i * 7);
		CHECK(ok, "%s: big file contents", what);
	}
	{
		const struct cpio_entry *h1 = find(es, n, "t/hard1"), *h2 = find(es, n, "t/hard2");

		CHECK(h1 && h2 && h1->nlink == 2 && h2->nlink == 2 && h1->ino == h2->ino &&
		      h1->size + h2->size == 7, "%s: hard links share ino, data once", what);
	}
	{
		int found = 0;

		for (int i = 0; i < n; i++)
			if (es[i].namelen == 2 + 200)
				found = 1;
		CHECK(found, "%s: 200-char name", what);
	}
	CHECK(find(es, n, "t/fifo") && (find(es, n, "t/fifo")->mode & 0170000) == 0010000,
	      "%s: fifo", what);
}

/* Build the sample tree and archive it with the real cpio tool into out. */
static int make_archive(const char *out, int with_big)
{
	char dir[] = "/tmp/cpiotestXXXXXX", cmd[1024], longname[201];
	FILE *f;

	if (!mkdtemp(dir))
		return -1;
	memset(longname, 'n', 200);
	longname[200] = 0;
	snprintf(cmd, sizeof(cmd),
		 "set -e; cd %s; mkdir -p t/sub; printf 'hello\\n' > t/file.txt; chmod 640 t/file.txt;"
		 " : > t/empty; ln -s file.txt t/link; printf 'linked\\n' > t/hard1;"
		 " ln t/hard1 t/hard2; mkfifo t/fifo; : > t/%s;"
		 " touch -h -d @1000000000 t/file.txt", dir, longname);
	if (system(cmd))
		return -1;
	snprintf(cmd, sizeof(cmd), "%s/t/big", dir);
	f = fopen(cmd, "wb");
	if (!f)
		return -1;
	for (int i = 0; i < 100000; i++)
		fputc((unsigned char)(i * 7), f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && find t %s | LC_ALL=C sort | cpio -o -H newc --quiet > %s && rm -rf %s",
		 dir, with_big ? "" : "! -name big", out, dir);
	return system(cmd) ? -1 : 0;
}

static void put_hdr(char *h, const char *magic, unsigned mode, unsigned filesize,
		    unsigned namesize, unsigned check)
{
	sprintf(h, "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", magic,
		1u, mode, 0u, 0u, 1u, 0u, filesize, 0u, 0u, 0u, 0u, namesize, check);
}

/* One member named name with data, then a trailer; returns the length. */
static size_t build(unsigned char *buf, const char *magic, unsigned mode, const char *name,
		    const char *data, unsigned check)
{
	size_t off = 0, nl = strlen(name) + 1, dl = strlen(data);

	put_hdr((char *)buf, magic, mode, (unsigned)dl, (unsigned)nl, check);
	off = 110;
	memcpy(buf + off, name, nl);
	off = (off + nl + 3) & ~3ul;
	memcpy(buf + off, data, dl);
	off = (off + dl + 3) & ~3ul;
	put_hdr((char *)buf + off, "070701", 0, 0, 11, 0);
	memcpy(buf + off + 110, "TRAILER!!!", 11);
	return (off + 110 + 11 + 3) & ~3ul;
}

static void check_malformed(void)
{
	unsigned char b[1024];
	size_t len;
	int end, n;

	memset(b, 0, sizeof(b));
	len = build(b, "070701", 0100644, "ok", "data", 0);
	n = parse_copy(b, len, &end);
	CHECK(n == 1 && end == 0, "baseline parses (%d, %d)", n, end);

	len = build(b, "070702", 0100644, "ok", "data", 'd' + 'a' + 't' + 'a');
	n = parse_copy(b, len, &end);
	CHECK(n == 1 && end == 0, "070702 with right checksum");
	len = build(b, "070702", 0100644, "ok", "data", 5);
	parse_copy(b, len, &end);
	CHECK(end == -EINVAL, "070702 with wrong checksum rejected");

	len = build(b, "070707", 0100644, "ok", "data", 0);
	parse_copy(b, len, &end);
	CHECK(end == -EINVAL, "odc magic rejected");

	len = build(b, "070701", 0100644, "ok", "data", 0);
	b[20] = 'g';
	parse_copy(b, len, &end);
	CHECK(end == -EINVAL, "non-hex digit rejected");

	len = build(b, "070701", 0100644, "ok", "data", 0);
	memcpy(b + 6 + 8 * 11, "00000001", 8);	/* namesize 1: empty name */
	parse_copy(b, len, &end);
	CHECK(end == -EINVAL, "empty name rejected");

	len = build(b, "070701", 0100644, "ok", "data", 0);
	memcpy(b + 6 + 8 * 11, "00000002", 8);	/* name "o" but byte 2 is 'k' not NUL */
	parse_copy(b, len, &end);
	CHECK(end == -EINVAL, "name without NUL rejected");

	len = build(b, "070701", 0100644, "ok", "data", 0);
	memcpy(b + 6 + 8 * 6, "FFFFFFFF", 8);	/* absurd file size */
	parse_copy(b, len, &end);
	CHECK(end == -EINVAL, "absurd file size rejected");

	len = build(b, "070701", 0100644, "ok", "data", 0);
	memcpy(b + 6 + 8 * 11, "FFFFFFFF", 8);	/* absurd name size */
	parse_copy(b, len, &end);
	CHECK(end == -EINVAL, "absurd name size rejected");

	len = build(b, "070701", 0040755, "d", "x", 0);
	parse_copy(b, len, &end);
	CHECK(end == -EINVAL, "directory with data rejected");

	len = build(b, "070701", 0000644, "t", "", 0);
	parse_copy(b, len, &end);
	CHECK(end == -EINVAL, "mode without a file type rejected");

	len = build(b, "070701", 0100644, "ok", "data", 0);
	n = parse_copy(b, len - 124, &end);	/* cut the trailer off */
	CHECK(n == 1 && end == -EINVAL, "missing trailer detected");

	n = parse_copy(b, 0, &end);
	CHECK(n == 0 && end == -EINVAL, "empty buffer rejected");
}

static void fuzz(const unsigned char *buf, size_t len, const char *what)
{
	size_t trailer_end;
	int end, ok = 1, n;
	unsigned seed = 12345;

	parse_all(buf, len, &end, &trailer_end);
	for (size_t l = 0; l < len; l++) {
		n = parse_copy(buf, l, &end);
		if (l < trailer_end && end == 0)
			ok = 0;
		if (n < 0)
			ok = 0;
	}
	CHECK(ok, "%s: every truncation before the trailer fails cleanly", what);
	for (int iter = 0; iter < 3000; iter++) {
		unsigned char *c = malloc(len);
		int flips = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 8;

		memcpy(c, buf, len);
		for (int k = 0; k < flips; k++) {
			size_t pos = ((seed = seed * 1103515245 + 12345) >> 8) % len;

			c[pos] = (unsigned char)(seed >> 3);
		}
		n = parse_all(c, len, &end, NULL);
		if (n < 0 || (end != 0 && end != -EINVAL))
			ok = 0;
		free(c);
	}
	CHECK(ok, "%s: 3000 randomly corrupted copies parse or fail cleanly", what);
}

int main(void)
{
	unsigned char *buf;
	size_t len;
	char tmp[] = "/tmp/cpioarchXXXXXX";
	int fd = mkstemp(tmp);

	close(fd);
	if (make_archive(tmp, 1) == 0 && (buf = read_file(tmp, &len))) {
		check_real_archive(buf, len, "fresh cpio archive");
		free(buf);
	} else {
		CHECK(0, "could not build an archive with cpio(1)");
	}
	if (make_archive(tmp, 0) == 0 && (buf = read_file(tmp, &len))) {
		CHECK(len < 8192, "small archive is %zu bytes", len);
		fuzz(buf, len, "small archive");
		free(buf);
	} else {
		CHECK(0, "could not build the small archive with cpio(1)");
	}
	unlink(tmp);
	buf = read_file("tests/unit/data/sample.cpio", &len);
	CHECK(buf != NULL, "tests/unit/data/sample.cpio readable");
	if (buf) {
		check_real_archive(buf, len, "sample.cpio");
		free(buf);
	}
	check_malformed();
	return UNIT_SUMMARY();
}
