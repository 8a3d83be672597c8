/*
 * ELF executable validation.  elf_parse() checks an ELF64 x86-64 header
 * and program headers against the file size and the user address range
 * and produces the list of load segments exec maps.  It is pure (no I/O,
 * no allocation), so host unit tests and a fuzzer exercise it directly.
 */
#ifndef KERN_ELF_H
#define KERN_ELF_H

#include <kern/types.h>
#include <abi/elf.h>

#define ELF_MAX_PHNUM	64
#define ELF_MAX_LOADS	16
#define ELF_DYN_BASE	0x555555554000ULL	/* load bias of ET_DYN (static PIE) images */

struct elf_load {
	u64 vaddr, memsz;		/* biased */
	u64 offset, filesz;
	int prot;			/* PROT_* */
};

struct elf_info {
	u16 type;			/* ET_EXEC or ET_DYN */
	u64 bias;			/* added to every address (ET_DYN) */
	u64 entry;			/* biased */
	u64 phdr_vaddr;			/* biased AT_PHDR, 0 if not mapped */
	u16 phnum;
	int nloads;
	struct elf_load loads[ELF_MAX_LOADS];
	bool has_interp;
	u64 interp_offset, interp_len;	/* path of PT_INTERP in the file */
	bool exec_stack;
	u64 min_vaddr, max_vaddr;	/* biased extent of the image */
};

/*
 * Validate the header and program headers (ph must hold phnum entries read
 * from e_phoff) of a file of file_size bytes; bias is the load address for
 * ET_DYN.  Returns 0 or -ENOEXEC, with a reason in *why.
 */
int elf_parse(const struct elf64_ehdr *eh, const struct elf64_phdr *ph, u64 file_size,
	      u64 bias, struct elf_info *out, const char **why);
/* Check just the header; returns 0 or -ENOEXEC with *why. */
int elf_check_header(const struct elf64_ehdr *eh, u64 file_size, const char **why);

#endif
