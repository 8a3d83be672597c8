/*
 * eventfd2(2) flags (Linux's uapi/linux/eventfd.h; the last two are
 * O_NONBLOCK and O_CLOEXEC).
 */
#ifndef ABI_EVENTFD_H
#define ABI_EVENTFD_H

#ifndef EFD_SEMAPHORE
#define EFD_SEMAPHORE	00000001
#endif
#ifndef EFD_NONBLOCK
#define EFD_NONBLOCK	00004000	/* O_NONBLOCK */
#endif
#ifndef EFD_CLOEXEC
#define EFD_CLOEXEC	02000000	/* O_CLOEXEC */
#endif

#endif
