/*
 * libFuzzer harness for exec's ELF validation (kernel/proc/elf.c): the
 * input is a whole file image; its header and program headers are parsed
 * exactly as exec does.  Build and run via tests/fuzz/run.sh.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kern/elf.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf64_ehdr eh;
	struct elf64_phdr *ph;
	struct elf_info ei;
	const char *why;

	if (size < sizeof(eh))
		return 0;
	memcpy(&eh, data, sizeof(eh));
	if (elf_check_header(&eh, size, &why))
		return 0;
	ph = malloc((size_t)eh.e_phnum * sizeof(*ph));
	if (!ph)
		return 0;
	memcpy(ph, data + eh.e_phoff, (size_t)eh.e_phnum * sizeof(*ph));
	(void)elf_parse(&eh, ph, size, ELF_DYN_BASE, &ei, &why);
	free(ph);
	return 0;
}
