/*
 * What the files of kernel/debug share: the symbol table the second link
 * embeds in .kallsyms (tools/gen-kallsyms writes it as assembly; the first
 * link gets an empty one).  Entries are sorted by address; each name is a
 * NUL-terminated string at kallsyms_names + kallsyms_name_off[i].
 */
#ifndef KERNEL_DEBUG_INTERNAL_H
#define KERNEL_DEBUG_INTERNAL_H

#include <kern/types.h>

extern const u64 kallsyms_num;
extern const u64 kallsyms_addrs[];
extern const u32 kallsyms_name_off[];
extern const char kallsyms_names[];

#endif
