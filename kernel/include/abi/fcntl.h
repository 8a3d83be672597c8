/*
 * open(2), fcntl(2) and the *at(2) flag values of Linux x86-64 (asm-generic/fcntl.h
 * and linux/fcntl.h), shared by the kernel and user-space tools, with
 * struct flock, flock(2) and close_range(2) flags, access(2) modes and
 * lseek whences (uapi/linux/fs.h).  Each constant is guarded so the
 * header can sit next to the C library's (include that first).
 */
#ifndef ABI_FCNTL_H
#define ABI_FCNTL_H

#include <abi/types.h>

#ifndef O_ACCMODE
#define O_ACCMODE	00000003
#endif
#ifndef O_RDONLY
#define O_RDONLY	00000000
#endif
#ifndef O_WRONLY
#define O_WRONLY	00000001
#endif
#ifndef O_RDWR
#define O_RDWR		00000002
#endif
#ifndef O_CREAT
#define O_CREAT		00000100
#endif
#ifndef O_EXCL
#define O_EXCL		00000200
#endif
#ifndef O_NOCTTY
#define O_NOCTTY	00000400
#endif
#ifndef O_TRUNC
#define O_TRUNC		00001000
#endif
#ifndef O_APPEND
#define O_APPEND	00002000
#endif
#ifndef O_ASYNC
#define O_ASYNC		00020000
#endif
#ifndef O_NONBLOCK
#define O_NONBLOCK	00004000
#endif
#ifndef O_DSYNC
#define O_DSYNC		00010000
#endif
#ifndef O_DIRECT
#define O_DIRECT	00040000
#endif
#ifndef O_LARGEFILE
#define O_LARGEFILE	00100000
#endif
#ifndef O_DIRECTORY
#define O_DIRECTORY	00200000
#endif
#ifndef O_NOFOLLOW
#define O_NOFOLLOW	00400000
#endif
#ifndef O_NOATIME
#define O_NOATIME	01000000
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC	02000000
#endif
#ifndef O_SYNC
#define O_SYNC		04010000
#endif
#ifndef O_PATH
#define O_PATH		010000000
#endif
#ifndef O_TMPFILE
#define O_TMPFILE	(020000000 | O_DIRECTORY)
#endif

#ifndef AT_FDCWD
#define AT_FDCWD		-100
#endif
#ifndef AT_SYMLINK_NOFOLLOW
#define AT_SYMLINK_NOFOLLOW	0x100
#endif
#ifndef AT_EACCESS
#define AT_EACCESS		0x200
#endif
#ifndef AT_REMOVEDIR
#define AT_REMOVEDIR		0x200
#endif
#ifndef AT_SYMLINK_FOLLOW
#define AT_SYMLINK_FOLLOW	0x400
#endif
#ifndef AT_NO_AUTOMOUNT
#define AT_NO_AUTOMOUNT		0x800
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH		0x1000
#endif
#ifndef AT_STATX_SYNC_TYPE
#define AT_STATX_SYNC_TYPE	0x6000
#endif

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	(1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE		(1 << 1)
#endif
#ifndef RENAME_WHITEOUT
#define RENAME_WHITEOUT		(1 << 2)
#endif

#ifndef F_DUPFD
#define F_DUPFD		0
#endif
#ifndef F_GETFD
#define F_GETFD		1
#endif
#ifndef F_SETFD
#define F_SETFD		2
#endif
#ifndef F_GETFL
#define F_GETFL		3
#endif
#ifndef F_SETFL
#define F_SETFL		4
#endif
#ifndef F_DUPFD_CLOEXEC
#define F_DUPFD_CLOEXEC	1030
#endif
#ifndef F_GETLK
#define F_GETLK		5
#endif
#ifndef F_SETLK
#define F_SETLK		6
#endif
#ifndef F_SETLKW
#define F_SETLKW	7
#endif
#ifndef F_SETOWN
#define F_SETOWN	8
#endif
#ifndef F_GETOWN
#define F_GETOWN	9
#endif
#ifndef F_SETSIG
#define F_SETSIG	10
#endif
#ifndef F_GETSIG
#define F_GETSIG	11
#endif
#ifndef F_OFD_GETLK
#define F_OFD_GETLK	36
#endif
#ifndef F_OFD_SETLK
#define F_OFD_SETLK	37
#endif
#ifndef F_OFD_SETLKW
#define F_OFD_SETLKW	38
#endif
#ifndef F_SETLEASE
#define F_SETLEASE	1024
#endif
#ifndef F_GETLEASE
#define F_GETLEASE	1025
#endif
#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ	1031
#endif
#ifndef F_GETPIPE_SZ
#define F_GETPIPE_SZ	1032
#endif

/* struct flock of F_GETLK/F_SETLK/F_SETLKW (and the OFD variants), 32 bytes. */
struct abi_flock {
	abi_s16 l_type, l_whence;
	abi_s64 l_start, l_len;
	abi_s32 l_pid;
	abi_s32 pad;
};
_Static_assert(sizeof(struct abi_flock) == 32, "struct flock is 32 bytes on x86-64");
#ifndef F_RDLCK
#define F_RDLCK		0
#endif
#ifndef F_WRLCK
#define F_WRLCK		1
#endif
#ifndef F_UNLCK
#define F_UNLCK		2
#endif

/* flock(2) operations. */
#ifndef LOCK_SH
#define LOCK_SH		1
#endif
#ifndef LOCK_EX
#define LOCK_EX		2
#endif
#ifndef LOCK_NB
#define LOCK_NB		4
#endif
#ifndef LOCK_UN
#define LOCK_UN		8
#endif

/* close_range(2) flags (Linux's uapi/linux/close_range.h). */
#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE	(1U << 1)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC	(1U << 2)
#endif

#ifndef FD_CLOEXEC
#define FD_CLOEXEC	1
#endif

/* File seals (memfd_create(2) with MFD_ALLOW_SEALING; fcntl F_ADD_SEALS/F_GET_SEALS). */
#ifndef F_ADD_SEALS
#define F_ADD_SEALS	1033
#endif
#ifndef F_GET_SEALS
#define F_GET_SEALS	1034
#endif
#ifndef F_SEAL_SEAL
#define F_SEAL_SEAL		0x0001	/* no more seals can be added */
#endif
#ifndef F_SEAL_SHRINK
#define F_SEAL_SHRINK		0x0002	/* the size cannot shrink */
#endif
#ifndef F_SEAL_GROW
#define F_SEAL_GROW		0x0004	/* the size cannot grow */
#endif
#ifndef F_SEAL_WRITE
#define F_SEAL_WRITE		0x0008	/* no writes, no writable shared mappings */
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE	0x0010	/* like F_SEAL_WRITE, existing mappings excepted */
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC		0x0020	/* the exec bits of the mode cannot change */
#endif

/* fallocate(2) modes (Linux's linux/falloc.h); 0 allocates and may grow the file. */
#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE		0x01	/* allocate without changing the size */
#endif
#ifndef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_PUNCH_HOLE		0x02	/* deallocate (only with KEEP_SIZE) */
#endif
#ifndef FALLOC_FL_COLLAPSE_RANGE
#define FALLOC_FL_COLLAPSE_RANGE	0x08
#endif
#ifndef FALLOC_FL_ZERO_RANGE
#define FALLOC_FL_ZERO_RANGE		0x10
#endif
#ifndef FALLOC_FL_INSERT_RANGE
#define FALLOC_FL_INSERT_RANGE		0x20
#endif
#ifndef FALLOC_FL_UNSHARE_RANGE
#define FALLOC_FL_UNSHARE_RANGE		0x40
#endif
#ifndef FALLOC_FL_WRITE_ZEROES
#define FALLOC_FL_WRITE_ZEROES		0x80
#endif

/* access(2) modes. */
#ifndef F_OK
#define F_OK	0
#endif
#ifndef X_OK
#define X_OK	1
#endif
#ifndef W_OK
#define W_OK	2
#endif
#ifndef R_OK
#define R_OK	4
#endif

#ifndef SEEK_SET
#define SEEK_SET	0
#endif
#ifndef SEEK_CUR
#define SEEK_CUR	1
#endif
#ifndef SEEK_END
#define SEEK_END	2
#endif
#ifndef SEEK_DATA
#define SEEK_DATA	3
#endif
#ifndef SEEK_HOLE
#define SEEK_HOLE	4
#endif

#define ABI_PATH_MAX	4096
#define ABI_NAME_MAX	255
/* Longest extended attribute name (Linux's uapi/linux/limits.h). */
#ifndef XATTR_NAME_MAX
#define XATTR_NAME_MAX	255
#endif

#endif
