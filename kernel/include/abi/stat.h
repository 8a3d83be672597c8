/*
 * File status as Linux x86-64 reports it: struct stat (the layout
 * stat/fstat/lstat/newfstatat fill), struct statx, the S_IF* type bits
 * and permission bits.  Shared by the kernel and user-space tools, so
 * it uses only fixed-width C types.
 */
#ifndef ABI_STAT_H
#define ABI_STAT_H

#include <stdint.h>

#define S_IFMT		0170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISUID		04000
#define S_ISGID		02000
#define S_ISVTX		01000
#define S_IRWXU		00700
#define S_IRUSR		00400
#define S_IWUSR		00200
#define S_IXUSR		00100
#define S_IRWXG		00070
#define S_IRWXO		00007

#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m)	(((m) & S_IFMT) == S_IFSOCK)

/* Device numbers as glibc encodes them in st_dev / st_rdev. */
#define ABI_MKDEV(ma, mi)	((((uint64_t)(ma) & 0xfffff000) << 32) | \
				 (((uint64_t)(ma) & 0xfff) << 8) |	  \
				 (((uint64_t)(mi) & 0xffffff00) << 12) |  \
				 ((uint64_t)(mi) & 0xff))
#define ABI_MAJOR(d)	((uint32_t)((((d) >> 32) & 0xfffff000) | (((d) >> 8) & 0xfff)))
#define ABI_MINOR(d)	((uint32_t)((((d) >> 12) & 0xffffff00) | ((d) & 0xff)))

struct abi_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* struct stat of the x86-64 Linux syscalls (asm/stat.h), 144 bytes. */
struct abi_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t __pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;	/* 512-byte units */
	struct abi_timespec st_atim;
	struct abi_timespec st_mtim;
	struct abi_timespec st_ctim;
	int64_t __reserved[3];
};

struct abi_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t __reserved;
};

/* struct statx (linux/stat.h), 256 bytes. */
struct abi_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t __spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct abi_statx_timestamp stx_atime;
	struct abi_statx_timestamp stx_btime;
	struct abi_statx_timestamp stx_ctime;
	struct abi_statx_timestamp stx_mtime;
	uint32_t stx_rdev_major;
	uint32_t stx_rdev_minor;
	uint32_t stx_dev_major;
	uint32_t stx_dev_minor;
	uint64_t __spare2[14];
};

#define STATX_TYPE		0x0001U
#define STATX_MODE		0x0002U
#define STATX_NLINK		0x0004U
#define STATX_UID		0x0008U
#define STATX_GID		0x0010U
#define STATX_ATIME		0x0020U
#define STATX_MTIME		0x0040U
#define STATX_CTIME		0x0080U
#define STATX_INO		0x0100U
#define STATX_SIZE		0x0200U
#define STATX_BLOCKS		0x0400U
#define STATX_BASIC_STATS	0x07ffU
#define STATX_BTIME		0x0800U

/* utimensat special tv_nsec values. */
#define UTIME_NOW	((1l << 30) - 1l)
#define UTIME_OMIT	((1l << 30) - 2l)

#endif
