/*
 * Host tests of the exec-time ELF validation (kernel/proc/elf.c): real
 * executables from this machine must parse (static, static-PIE, dynamic
 * with PT_INTERP), and every corruption a hostile file could carry must be
 * rejected with -ENOEXEC and a reason: bad magic/class/machine/type, phdr
 * count and bounds, segments outside the file or the user range, filesz >
 * memsz, misalignment, overlap, entry outside executable segments; plus
 * random byte flips of a real header, under ASan.
 */
// SOURCES: kernel/proc/elf.c
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include <kern/elf.h>
#include <kern/errno.h>

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc(*len);
	if (fread(b, 1, *len, f) != *len) {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}

/* Parse an in-memory image the way exec does; returns elf_parse's result. */
static int parse(const unsigned char *img, size_t len, struct elf_info *ei, const char **why)
{
	struct elf64_ehdr eh;
	struct elf64_phdr *ph;
	int err;

	if (len < sizeof(eh))
		return elf_check_header((const void *)img, len, why);
	memcpy(&eh, img, sizeof(eh));
	err = elf_check_header(&eh, len, why);
	if (err)
		return err;
	ph = malloc(eh.e_phnum * sizeof(*ph));
	memcpy(ph, img + eh.e_phoff, eh.e_phnum * sizeof(*ph));
	err = elf_parse(&eh, ph, len, ELF_DYN_BASE, ei, why);
	free(ph);
	return err;
}

static void real_file(const char *path, bool want_interp)
{
	size_t len;
	unsigned char *img = slurp(path, &len);
	struct elf_info ei;
	const char *why = "";

	if (!img) {
		printf("skip %s (missing)\n", path);
		return;
	}
	CHECK(parse(img, len, &ei, &why) == 0, "%s: %s", path, why);
	CHECK(ei.has_interp == want_interp, "%s interp %d", path, ei.has_interp);
	CHECK(ei.nloads >= 1 && ei.entry, "%s loads %d", path, ei.nloads);
	free(img);
}

/* Copy of a good image with one program header changed by fn. */
typedef void (*mutator)(struct elf64_ehdr *eh, struct elf64_phdr *ph, int load);

static void mutate_case(const unsigned char *img, size_t len, mutator fn, const char *name)
{
	unsigned char *copy = malloc(len);
	struct elf64_ehdr *eh = (void *)copy;
	struct elf64_phdr *ph;
	struct elf_info ei;
	const char *why = "";
	int load = -1;

	memcpy(copy, img, len);
	ph = (void *)(copy + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			load = i;
			break;
		}
	fn(eh, ph, load);
	CHECK(parse(copy, len, &ei, &why) == -ENOEXEC, "%s accepted", name);
	CHECK(why && *why, "%s: no reason given", name);
	free(copy);
}

static void m_magic(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { eh->e_ident[1] = 'X'; }
static void m_class(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { eh->e_ident[4] = 1; }
static void m_machine(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { eh->e_machine = 3; }
static void m_type(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { eh->e_type = 1; }
static void m_phentsize(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { eh->e_phentsize = 32; }
static void m_phnum0(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { eh->e_phnum = 0; }
static void m_phnum_huge(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { eh->e_phnum = 65535; }
static void m_phoff(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { eh->e_phoff = ~0ULL - 8; }
static void m_filesz(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { ph[l].p_filesz = ph[l].p_memsz + 1; }
static void m_offset(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { ph[l].p_offset = 1ULL << 40; }
static void m_kernel(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { ph[l].p_vaddr = 0xffffffff80000000ULL; }
static void m_wrap(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { ph[l].p_memsz = ~0ULL - 100; }
static void m_align(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { ph[l].p_vaddr += 1; }
static void m_palign(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { ph[l].p_align = 3000; }
static void m_entry(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { eh->e_entry = 0x10; }
static void m_zero_page(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l) { ph[l].p_vaddr = ph[l].p_offset & 0xfff; }
static void m_no_loads(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l)
{
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			ph[i].p_type = PT_NOTE;
}
static void m_overlap(struct elf64_ehdr *eh, struct elf64_phdr *ph, int l)
{
	for (int i = l + 1; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			ph[i].p_vaddr = ph[l].p_vaddr + (ph[i].p_offset & 0xfff);
			return;
		}
}

int main(void)
{
	static const struct { mutator fn; const char *name; } cases[] = {
		{ m_magic, "bad magic" }, { m_class, "ELF32 class" }, { m_machine, "i386 machine" },
		{ m_type, "ET_REL" }, { m_phentsize, "phentsize" }, { m_phnum0, "no phdrs" },
		{ m_phnum_huge, "65535 phdrs" }, { m_phoff, "phoff past end" },
		{ m_filesz, "filesz > memsz" }, { m_offset, "segment past EOF" },
		{ m_kernel, "kernel address" }, { m_wrap, "wrapping memsz" },
		{ m_align, "vaddr/offset misaligned" }, { m_palign, "p_align not power of 2" },
		{ m_entry, "entry outside" }, { m_zero_page, "segment in page zero" },
		{ m_no_loads, "no PT_LOAD" }, { m_overlap, "overlapping segments" },
	};
	size_t len;
	unsigned char *img;
	struct elf_info ei;
	const char *why;
	unsigned seed = 12345;

	if (system("printf 'int main(void){return 0;}' | gcc -static -o /tmp/elf_static_test -x c -") ||
	    system("printf 'int main(void){return 0;}' | gcc -static-pie -o /tmp/elf_pie_test -x c -"))
		printf("note: could not build a test binary\n");
	real_file("/tmp/elf_static_test", false);
	real_file("/tmp/elf_pie_test", false);
	real_file("/bin/busybox", false);
	real_file("/bin/ls", true);
	img = slurp("/tmp/elf_static_test", &len);
	if (!img) {
		printf("cannot build a static test binary\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		mutate_case(img, len, cases[i].fn, cases[i].name);
	/* Truncations: every length up to the end of the program headers. */
	for (size_t n = 0; n < 64 + 56 * 12 && n < len; n++) {
		unsigned char *t = malloc(n ? n : 1);

		memcpy(t, img, n);
		why = "";
		CHECK(parse(t, n, &ei, &why) != 0 || n >= (size_t)(64 + 56 * ((struct elf64_ehdr *)img)->e_phnum),
		      "truncated to %zu accepted", n);
		free(t);
	}
	/* Random flips in the headers never crash (ASan watches); results may vary. */
	for (int round = 0; round < 20000; round++) {
		unsigned char *t = malloc(len);
		int flips = 1 + (seed = seed * 1103515245 + 12345) % 4;

		memcpy(t, img, len);
		for (int f = 0; f < flips; f++) {
			seed = seed * 1103515245 + 12345;
			t[(seed >> 8) % (64 + 56 * 10)] ^= 1 << (seed % 8);
		}
		why = "";
		(void)parse(t, len, &ei, &why);
		free(t);
	}
	CHECK(1, "fuzz rounds done");
	free(img);
	return UNIT_SUMMARY();
}
