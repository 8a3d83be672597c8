/*
 * ELF64 structures and constants (System V gABI, x86-64 psABI) and the
 * auxiliary vector tags, shared with user tools; mirrors Linux's
 * uapi/linux/elf.h and uapi/linux/auxvec.h.  Constants are guarded: glibc's
 * <elf.h> defines the same values.
 */
#ifndef ABI_ELF_H
#define ABI_ELF_H

#include <abi/types.h>

#ifndef EI_NIDENT
#define EI_NIDENT	16
#endif
#ifndef ELFMAG
#define ELFMAG		"\177ELF"
#endif
#ifndef ELFCLASS64
#define ELFCLASS64	2
#endif
#ifndef ELFDATA2LSB
#define ELFDATA2LSB	1
#endif
#ifndef EV_CURRENT
#define EV_CURRENT	1
#endif
#ifndef ET_EXEC
#define ET_EXEC		2
#endif
#ifndef ET_DYN
#define ET_DYN		3
#endif
#ifndef EM_X86_64
#define EM_X86_64	62
#endif

#ifndef PT_NULL
#define PT_NULL		0
#endif
#ifndef PT_LOAD
#define PT_LOAD		1
#endif
#ifndef PT_DYNAMIC
#define PT_DYNAMIC	2
#endif
#ifndef PT_INTERP
#define PT_INTERP	3
#endif
#ifndef PT_NOTE
#define PT_NOTE		4
#endif
#ifndef PT_PHDR
#define PT_PHDR		6
#endif
#ifndef PT_TLS
#define PT_TLS		7
#endif
#ifndef PT_GNU_STACK
#define PT_GNU_STACK	0x6474e551
#endif

#ifndef PF_X
#define PF_X		1
#endif
#ifndef PF_W
#define PF_W		2
#endif
#ifndef PF_R
#define PF_R		4
#endif

#ifndef AT_NULL
#define AT_NULL		0
#endif
#ifndef AT_IGNORE
#define AT_IGNORE	1
#endif
#ifndef AT_EXECFD
#define AT_EXECFD	2
#endif
#ifndef AT_PHDR
#define AT_PHDR		3
#endif
#ifndef AT_PHENT
#define AT_PHENT	4
#endif
#ifndef AT_PHNUM
#define AT_PHNUM	5
#endif
#ifndef AT_PAGESZ
#define AT_PAGESZ	6
#endif
#ifndef AT_BASE
#define AT_BASE		7
#endif
#ifndef AT_FLAGS
#define AT_FLAGS	8
#endif
#ifndef AT_ENTRY
#define AT_ENTRY	9
#endif
#ifndef AT_NOTELF
#define AT_NOTELF	10
#endif
#ifndef AT_UID
#define AT_UID		11
#endif
#ifndef AT_EUID
#define AT_EUID		12
#endif
#ifndef AT_GID
#define AT_GID		13
#endif
#ifndef AT_EGID
#define AT_EGID		14
#endif
#ifndef AT_PLATFORM
#define AT_PLATFORM	15
#endif
#ifndef AT_HWCAP
#define AT_HWCAP	16
#endif
#ifndef AT_CLKTCK
#define AT_CLKTCK	17
#endif
#ifndef AT_SECURE
#define AT_SECURE	23
#endif
#ifndef AT_BASE_PLATFORM
#define AT_BASE_PLATFORM 24
#endif
#ifndef AT_RANDOM
#define AT_RANDOM	25
#endif
#ifndef AT_HWCAP2
#define AT_HWCAP2	26
#endif
#ifndef AT_EXECFN
#define AT_EXECFN	31
#endif
#ifndef AT_SYSINFO_EHDR
#define AT_SYSINFO_EHDR	33
#endif
#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ	51
#endif

struct elf64_ehdr {
	abi_u8 e_ident[EI_NIDENT];
	abi_u16 e_type;
	abi_u16 e_machine;
	abi_u32 e_version;
	abi_u64 e_entry;
	abi_u64 e_phoff;
	abi_u64 e_shoff;
	abi_u32 e_flags;
	abi_u16 e_ehsize;
	abi_u16 e_phentsize;
	abi_u16 e_phnum;
	abi_u16 e_shentsize;
	abi_u16 e_shnum;
	abi_u16 e_shstrndx;
};

struct elf64_phdr {
	abi_u32 p_type;
	abi_u32 p_flags;
	abi_u64 p_offset;
	abi_u64 p_vaddr;
	abi_u64 p_paddr;
	abi_u64 p_filesz;
	abi_u64 p_memsz;
	abi_u64 p_align;
};

#endif
