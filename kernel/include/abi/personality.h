/*
 * personality(2) flags the kernel looks at.  Mirrors Linux's
 * uapi/linux/personality.h (glibc's <sys/personality.h> has them as
 * enumerators: include it first).
 */
#ifndef ABI_PERSONALITY_H
#define ABI_PERSONALITY_H

#ifndef PER_LINUX
#define PER_LINUX		0x0000000
#endif
#ifndef READ_IMPLIES_EXEC
#define READ_IMPLIES_EXEC	0x0400000	/* PROT_READ mappings are executable too */
#endif

#endif
