/*
 * File status as Linux x86-64 reports it: struct stat (the layout
 * stat/fstat/lstat/newfstatat fill), struct statx, the S_IF* type bits
 * and permission bits.  Shared by the kernel and user-space tools, so
 * it uses only fixed-width C types.  Each constant is guarded so the
 * header can sit next to the C library's (same values on x86-64 Linux).
 * Also the records of utime(2) and statfs(2) with the file system magic
 * and mount flags statfs reports.  Mirrors Linux's
 * arch/x86/include/uapi/asm/stat.h, uapi/linux/stat.h, uapi/linux/utime.h,
 * uapi/asm-generic/statfs.h and uapi/linux/magic.h.
 */
#ifndef ABI_STAT_H
#define ABI_STAT_H

#include <abi/types.h>
#include <abi/time.h>

#ifndef S_IFMT
#define S_IFMT		0170000
#endif
#ifndef S_IFSOCK
#define S_IFSOCK	0140000
#endif
#ifndef S_IFLNK
#define S_IFLNK		0120000
#endif
#ifndef S_IFREG
#define S_IFREG		0100000
#endif
#ifndef S_IFBLK
#define S_IFBLK		0060000
#endif
#ifndef S_IFDIR
#define S_IFDIR		0040000
#endif
#ifndef S_IFCHR
#define S_IFCHR		0020000
#endif
#ifndef S_IFIFO
#define S_IFIFO		0010000
#endif
#ifndef S_ISUID
#define S_ISUID		04000
#endif
#ifndef S_ISGID
#define S_ISGID		02000
#endif
#ifndef S_ISVTX
#define S_ISVTX		01000
#endif
#ifndef S_IRWXU
#define S_IRWXU		00700
#endif
#ifndef S_IRUSR
#define S_IRUSR		00400
#endif
#ifndef S_IWUSR
#define S_IWUSR		00200
#endif
#ifndef S_IXUSR
#define S_IXUSR		00100
#endif
#ifndef S_IRWXG
#define S_IRWXG		00070
#endif
#ifndef S_IRGRP
#define S_IRGRP		00040
#endif
#ifndef S_IWGRP
#define S_IWGRP		00020
#endif
#ifndef S_IXGRP
#define S_IXGRP		00010
#endif
#ifndef S_IROTH
#define S_IROTH		00004
#endif
#ifndef S_IWOTH
#define S_IWOTH		00002
#endif
#ifndef S_IXOTH
#define S_IXOTH		00001
#endif
#ifndef S_IRWXO
#define S_IRWXO		00007
#endif

#ifndef S_ISLNK
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#endif
#ifndef S_ISREG
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#endif
#ifndef S_ISDIR
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#endif
#ifndef S_ISCHR
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#endif
#ifndef S_ISBLK
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#endif
#ifndef S_ISFIFO
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
#endif
#ifndef S_ISSOCK
#define S_ISSOCK(m)	(((m) & S_IFMT) == S_IFSOCK)
#endif

/* Device numbers as glibc encodes them in st_dev / st_rdev. */
#define ABI_MKDEV(ma, mi)	((((abi_u64)(ma) & 0xfffff000) << 32) | \
				 (((abi_u64)(ma) & 0xfff) << 8) |	  \
				 (((abi_u64)(mi) & 0xffffff00) << 12) |  \
				 ((abi_u64)(mi) & 0xff))
#define ABI_MAJOR(d)	((abi_u32)((((d) >> 32) & 0xfffff000) | (((d) >> 8) & 0xfff)))
#define ABI_MINOR(d)	((abi_u32)((((d) >> 12) & 0xffffff00) | ((d) & 0xff)))

/* struct stat of the x86-64 Linux syscalls (asm/stat.h), 144 bytes. */
struct abi_stat {
	abi_u64 st_dev;
	abi_u64 st_ino;
	abi_u64 st_nlink;
	abi_u32 st_mode;
	abi_u32 st_uid;
	abi_u32 st_gid;
	abi_u32 __pad0;
	abi_u64 st_rdev;
	abi_s64 st_size;
	abi_s64 st_blksize;
	abi_s64 st_blocks;	/* 512-byte units */
	struct abi_timespec st_atim;
	struct abi_timespec st_mtim;
	struct abi_timespec st_ctim;
	abi_s64 __reserved[3];
};

struct abi_statx_timestamp {
	abi_s64 tv_sec;
	abi_u32 tv_nsec;
	abi_s32 __reserved;
};

/* struct statx (linux/stat.h), 256 bytes. */
struct abi_statx {
	abi_u32 stx_mask;
	abi_u32 stx_blksize;
	abi_u64 stx_attributes;
	abi_u32 stx_nlink;
	abi_u32 stx_uid;
	abi_u32 stx_gid;
	abi_u16 stx_mode;
	abi_u16 __spare0;
	abi_u64 stx_ino;
	abi_u64 stx_size;
	abi_u64 stx_blocks;
	abi_u64 stx_attributes_mask;
	struct abi_statx_timestamp stx_atime;
	struct abi_statx_timestamp stx_btime;
	struct abi_statx_timestamp stx_ctime;
	struct abi_statx_timestamp stx_mtime;
	abi_u32 stx_rdev_major;
	abi_u32 stx_rdev_minor;
	abi_u32 stx_dev_major;
	abi_u32 stx_dev_minor;
	abi_u64 __spare2[14];
};

#ifndef STATX_TYPE
#define STATX_TYPE		0x0001U
#endif
#ifndef STATX_MODE
#define STATX_MODE		0x0002U
#endif
#ifndef STATX_NLINK
#define STATX_NLINK		0x0004U
#endif
#ifndef STATX_UID
#define STATX_UID		0x0008U
#endif
#ifndef STATX_GID
#define STATX_GID		0x0010U
#endif
#ifndef STATX_ATIME
#define STATX_ATIME		0x0020U
#endif
#ifndef STATX_MTIME
#define STATX_MTIME		0x0040U
#endif
#ifndef STATX_CTIME
#define STATX_CTIME		0x0080U
#endif
#ifndef STATX_INO
#define STATX_INO		0x0100U
#endif
#ifndef STATX_SIZE
#define STATX_SIZE		0x0200U
#endif
#ifndef STATX_BLOCKS
#define STATX_BLOCKS		0x0400U
#endif
#ifndef STATX_BASIC_STATS
#define STATX_BASIC_STATS	0x07ffU
#endif
#ifndef STATX_BTIME
#define STATX_BTIME		0x0800U
#endif

/* utimensat special tv_nsec values. */
_Static_assert(sizeof(struct abi_stat) == 144, "struct stat is 144 bytes on x86-64");
_Static_assert(sizeof(struct abi_statx) == 256, "struct statx is 256 bytes");

/* utime(2). */
struct abi_utimbuf {
	abi_s64 actime, modtime;
};

/* struct statfs of statfs(2)/fstatfs(2) on x86-64, 120 bytes. */
struct abi_statfs {
	abi_s64 f_type, f_bsize;
	abi_u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	abi_s32 f_fsid_spare[2];
	abi_s64 f_namelen, f_frsize, f_flags;
	abi_s64 f_reserved[4];
};
_Static_assert(sizeof(struct abi_statfs) == 120, "struct statfs is 120 bytes on x86-64");

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC	0x01021994
#endif
/* statfs f_flags (the mount flags; Linux's include/linux/statfs.h). */
#ifndef ST_RDONLY
#define ST_RDONLY	0x0001
#endif
#ifndef ST_NOSUID
#define ST_NOSUID	0x0002
#endif
#ifndef ST_NODEV
#define ST_NODEV	0x0004
#endif
#ifndef ST_NOEXEC
#define ST_NOEXEC	0x0008
#endif
#ifndef ST_NOATIME
#define ST_NOATIME	0x0400
#endif
#ifndef ST_RELATIME
#define ST_RELATIME	0x1000
#endif

#ifndef UTIME_NOW
#define UTIME_NOW	((1l << 30) - 1l)
#endif
#ifndef UTIME_OMIT
#define UTIME_OMIT	((1l << 30) - 2l)
#endif

#endif
