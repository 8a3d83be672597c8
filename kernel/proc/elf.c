/*
 * ELF64 validation for exec (see kern/elf.h).  Everything an attacker
 * controls is checked before use: identification bytes, type, machine,
 * header sizes, phdr count and bounds, every load segment's file range,
 * memory range (no overflow, no kernel addresses, filesz <= memsz),
 * alignment (vaddr and offset congruent modulo the page size, power-of-two
 * p_align) and ordering (ascending, non-overlapping), and the entry point
 * (inside an executable segment).
 */
#include <kern/elf.h>
#include <kern/errno.h>
#include <kern/compiler.h>
#include <kern/uvm.h>
#include <kern/memlayout.h>
#ifdef HOST_UNIT_TEST
#include <string.h>
#else
#include <kern/string.h>
#endif

#define FAIL(msg)		\
	do {			\
		*why = (msg);	\
		return -ENOEXEC;\
	} while (0)

int elf_check_header(const struct elf64_ehdr *eh, u64 file_size, const char **why)
{
	u64 ph_end;

	if (file_size < sizeof(*eh))
		FAIL("file shorter than an ELF header");
	if (memcmp(eh->e_ident, ELFMAG, 4))
		FAIL("not an ELF file");
	if (eh->e_ident[4] != ELFCLASS64 || eh->e_ident[5] != ELFDATA2LSB ||
	    eh->e_ident[6] != EV_CURRENT)
		FAIL("not a little-endian ELF64 version 1 file");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		FAIL("not an executable (ET_EXEC or ET_DYN)");
	if (eh->e_machine != EM_X86_64)
		FAIL("not an x86-64 executable");
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		FAIL("bad program header entry size");
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM)
		FAIL("absurd program header count");
	if (check_mul_overflow((u64)eh->e_phnum, (u64)sizeof(struct elf64_phdr), &ph_end) ||
	    check_add_overflow(ph_end, eh->e_phoff, &ph_end) || ph_end > file_size)
		FAIL("program headers lie outside the file");
	return 0;
}

static int pf_to_prot(u32 f)
{
	return (f & PF_R ? PROT_READ : 0) | (f & PF_W ? PROT_WRITE : 0) |
	       (f & PF_X ? PROT_EXEC : 0);
}

/* Validate one PT_LOAD and append it; 0 or -ENOEXEC. */
static int add_load(struct elf_info *out, const struct elf64_phdr *p, u64 file_size,
		    const char **why)
{
	struct elf_load *l;
	u64 fend, vaddr, vend;

	if (out->nloads >= ELF_MAX_LOADS)
		FAIL("too many loadable segments");
	if (p->p_filesz > p->p_memsz)
		FAIL("segment file size exceeds its memory size");
	if (check_add_overflow(p->p_offset, p->p_filesz, &fend) || fend > file_size)
		FAIL("segment lies outside the file");
	if (p->p_align > 1 && (p->p_align & (p->p_align - 1)))
		FAIL("segment alignment is not a power of two");
	if ((p->p_vaddr & (PGSIZE - 1)) != (p->p_offset & (PGSIZE - 1)))
		FAIL("segment address and file offset disagree modulo the page size");
	if (check_add_overflow(p->p_vaddr, out->bias, &vaddr) ||
	    check_add_overflow(vaddr, p->p_memsz, &vend) || vaddr < USER_MIN ||
	    vend > USER_STACK_TOP - USER_STACK_MAX)
		FAIL("segment outside the user address range");
	if (out->nloads && vaddr < out->loads[out->nloads - 1].vaddr +
				     out->loads[out->nloads - 1].memsz)
		FAIL("segments overlap or are not in ascending order");
	l = &out->loads[out->nloads++];
	l->vaddr = vaddr;
	l->memsz = p->p_memsz;
	l->offset = p->p_offset;
	l->filesz = p->p_filesz;
	l->prot = pf_to_prot(p->p_flags);
	if (vaddr < out->min_vaddr)
		out->min_vaddr = vaddr;
	if (vend > out->max_vaddr)
		out->max_vaddr = vend;
	return 0;
}

int elf_parse(const struct elf64_ehdr *eh, const struct elf64_phdr *ph, u64 file_size,
	      u64 bias, struct elf_info *out, const char **why)
{
	bool entry_ok = false;
	int err = elf_check_header(eh, file_size, why);

	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	out->type = eh->e_type;
	out->bias = eh->e_type == ET_DYN ? bias : 0;
	out->phnum = eh->e_phnum;
	out->min_vaddr = ~0ULL;
	for (int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = &ph[i];

		if (p->p_type == PT_LOAD) {
			err = add_load(out, p, file_size, why);
			if (err)
				return err;
		} else if (p->p_type == PT_INTERP) {
			u64 end;

			if (out->has_interp)
				FAIL("more than one PT_INTERP");
			if (p->p_filesz < 2 || p->p_filesz > 4096 ||
			    check_add_overflow(p->p_offset, p->p_filesz, &end) || end > file_size)
				FAIL("bad PT_INTERP");
			out->has_interp = true;
			out->interp_offset = p->p_offset;
			out->interp_len = p->p_filesz;
		} else if (p->p_type == PT_GNU_STACK) {
			out->exec_stack = p->p_flags & PF_X;
		}
	}
	if (!out->nloads)
		FAIL("no loadable segments");
	if (check_add_overflow(eh->e_entry, out->bias, &out->entry))
		FAIL("entry point overflows");
	/* AT_PHDR: the headers as mapped by the segment holding e_phoff. */
	for (int i = 0; i < out->nloads; i++) {
		const struct elf_load *l = &out->loads[i];

		if (out->entry >= l->vaddr && out->entry < l->vaddr + l->memsz &&
		    (l->prot & PROT_EXEC))
			entry_ok = true;
		if (eh->e_phoff >= l->offset &&
		    eh->e_phoff + (u64)eh->e_phnum * sizeof(*ph) <= l->offset + l->filesz)
			out->phdr_vaddr = l->vaddr + (eh->e_phoff - l->offset);
	}
	if (!entry_ok)
		FAIL("entry point is not in an executable segment");
	return 0;
}
