/*
 * poll(2), ppoll(2) and pselect6(2): the event bits (Linux's
 * uapi/asm-generic/poll.h), struct pollfd, and the {sigset pointer, size}
 * pair pselect6 takes as its sixth argument (fs/select.c).
 */
#ifndef ABI_POLL_H
#define ABI_POLL_H

#include <abi/types.h>

#ifndef POLLIN
#define POLLIN		0x0001
#endif
#ifndef POLLPRI
#define POLLPRI		0x0002
#endif
#ifndef POLLOUT
#define POLLOUT		0x0004
#endif
#ifndef POLLERR
#define POLLERR		0x0008
#endif
#ifndef POLLHUP
#define POLLHUP		0x0010
#endif
#ifndef POLLNVAL
#define POLLNVAL	0x0020
#endif
#ifndef POLLRDNORM
#define POLLRDNORM	0x0040
#endif
#ifndef POLLRDBAND
#define POLLRDBAND	0x0080
#endif
#ifndef POLLWRNORM
#define POLLWRNORM	0x0100
#endif
#ifndef POLLWRBAND
#define POLLWRBAND	0x0200
#endif
#ifndef POLLMSG
#define POLLMSG		0x0400
#endif
#ifndef POLLRDHUP
#define POLLRDHUP	0x2000
#endif

struct abi_pollfd {
	abi_s32 fd;
	abi_s16 events, revents;
};

/* pselect6's sixth argument. */
struct abi_sigset_arg {
	abi_u64 set;	/* const sigset_t * */
	abi_u64 size;
};

#endif
