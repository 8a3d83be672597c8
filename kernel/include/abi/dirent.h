/*
 * getdents64(2) record layout of Linux (struct linux_dirent64) and the
 * d_type values, shared by the kernel and user-space tools (constants
 * guarded so the header can sit next to the C library's).  Mirrors
 * Linux's struct linux_dirent64 (fs/readdir.c) and DT_* of <dirent.h>.
 */
#ifndef ABI_DIRENT_H
#define ABI_DIRENT_H

#include <abi/types.h>

#ifndef DT_UNKNOWN
#define DT_UNKNOWN	0
#endif
#ifndef DT_FIFO
#define DT_FIFO		1
#endif
#ifndef DT_CHR
#define DT_CHR		2
#endif
#ifndef DT_DIR
#define DT_DIR		4
#endif
#ifndef DT_BLK
#define DT_BLK		6
#endif
#ifndef DT_REG
#define DT_REG		8
#endif
#ifndef DT_LNK
#define DT_LNK		10
#endif
#ifndef DT_SOCK
#define DT_SOCK		12
#endif

/* Records are 8-byte aligned; d_reclen covers the padded NUL-terminated name. */
struct linux_dirent64 {
	abi_u64 d_ino;
	abi_s64 d_off;		/* cookie to lseek to for the entry after this one */
	abi_u16 d_reclen;
	abi_u8 d_type;
	char d_name[];
};
_Static_assert(__builtin_offsetof(struct linux_dirent64, d_name) == 19,
	       "linux_dirent64 names start at byte 19");

#endif
