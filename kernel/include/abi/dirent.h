/*
 * getdents64(2) record layout of Linux (struct linux_dirent64) and the
 * d_type values, shared by the kernel and user-space tools.
 */
#ifndef ABI_DIRENT_H
#define ABI_DIRENT_H

#include <stdint.h>

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

/* Records are 8-byte aligned; d_reclen covers the padded NUL-terminated name. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;		/* cookie to lseek to for the entry after this one */
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

#endif
