/*
 * Vectored I/O: struct iovec as readv(2)/writev(2) and preadv2(2) take it,
 * the most vectors one call accepts, and preadv2/pwritev2 flags.  Mirrors
 * Linux's uapi/linux/uio.h and the RWF_* flags of uapi/linux/fs.h.
 */
#ifndef ABI_UIO_H
#define ABI_UIO_H

#include <abi/types.h>

struct abi_iovec {
	abi_u64 base;	/* void *iov_base */
	abi_u64 len;	/* size_t iov_len */
};

#ifndef UIO_MAXIOV
#define UIO_MAXIOV	1024
#endif

#ifndef RWF_HIPRI
#define RWF_HIPRI	0x00000001
#endif
#ifndef RWF_DSYNC
#define RWF_DSYNC	0x00000002
#endif
#ifndef RWF_SYNC
#define RWF_SYNC	0x00000004
#endif
#ifndef RWF_NOWAIT
#define RWF_NOWAIT	0x00000008
#endif
#ifndef RWF_APPEND
#define RWF_APPEND	0x00000010
#endif

#endif
