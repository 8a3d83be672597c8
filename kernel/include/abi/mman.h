/*
 * Memory mapping: mmap(2) protections and flags, madvise advice,
 * mremap(2), mlock2(2)/mlockall(2) flags and memfd_create(2) flags.
 * Mirrors Linux's uapi/asm-generic/mman-common.h, asm-generic/mman.h,
 * uapi/linux/mman.h and uapi/linux/memfd.h (x86-64 values).
 */
#ifndef ABI_MMAN_H
#define ABI_MMAN_H

#ifndef PROT_NONE
#define PROT_NONE	0x0
#endif
#ifndef PROT_READ
#define PROT_READ	0x1
#endif
#ifndef PROT_WRITE
#define PROT_WRITE	0x2
#endif
#ifndef PROT_EXEC
#define PROT_EXEC	0x4
#endif

#ifndef MAP_SHARED
#define MAP_SHARED		0x01
#endif
#ifndef MAP_PRIVATE
#define MAP_PRIVATE		0x02
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif
#ifndef MAP_TYPE
#define MAP_TYPE		0x0f
#endif
#ifndef MAP_FIXED
#define MAP_FIXED		0x10
#endif
#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS		0x20
#endif
#ifndef MAP_GROWSDOWN
#define MAP_GROWSDOWN		0x100
#endif
#ifndef MAP_DENYWRITE
#define MAP_DENYWRITE		0x800
#endif
#ifndef MAP_EXECUTABLE
#define MAP_EXECUTABLE		0x1000
#endif
#ifndef MAP_LOCKED
#define MAP_LOCKED		0x2000
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE		0x4000
#endif
#ifndef MAP_POPULATE
#define MAP_POPULATE		0x8000
#endif
#ifndef MAP_NONBLOCK
#define MAP_NONBLOCK		0x10000
#endif
#ifndef MAP_STACK
#define MAP_STACK		0x20000
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB		0x40000
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif

#ifndef MADV_NORMAL
#define MADV_NORMAL	0
#endif
#ifndef MADV_RANDOM
#define MADV_RANDOM	1
#endif
#ifndef MADV_SEQUENTIAL
#define MADV_SEQUENTIAL	2
#endif
#ifndef MADV_WILLNEED
#define MADV_WILLNEED	3
#endif
#ifndef MADV_DONTNEED
#define MADV_DONTNEED	4
#endif

#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE		1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED		2
#endif

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT	0x01
#endif

#ifndef MCL_CURRENT
#define MCL_CURRENT	1
#endif
#ifndef MCL_FUTURE
#define MCL_FUTURE	2
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT	4
#endif

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC		0x0001U
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING	0x0002U
#endif
#ifndef MFD_HUGETLB
#define MFD_HUGETLB		0x0004U
#endif

#endif
