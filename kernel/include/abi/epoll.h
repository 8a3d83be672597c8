/*
 * epoll(7): epoll_create1 and epoll_ctl arguments, the event bits (the
 * poll bits plus epoll's own input flags) and struct epoll_event, which
 * is packed on x86-64 (12 bytes).  Mirrors Linux's uapi/linux/eventpoll.h.
 */
#ifndef ABI_EPOLL_H
#define ABI_EPOLL_H

#include <abi/types.h>

#ifndef EPOLL_CLOEXEC
#define EPOLL_CLOEXEC	02000000	/* O_CLOEXEC */
#endif

#ifndef EPOLL_CTL_ADD
#define EPOLL_CTL_ADD	1
#endif
#ifndef EPOLL_CTL_DEL
#define EPOLL_CTL_DEL	2
#endif
#ifndef EPOLL_CTL_MOD
#define EPOLL_CTL_MOD	3
#endif

#ifndef EPOLLIN
#define EPOLLIN		0x00000001
#endif
#ifndef EPOLLPRI
#define EPOLLPRI	0x00000002
#endif
#ifndef EPOLLOUT
#define EPOLLOUT	0x00000004
#endif
#ifndef EPOLLERR
#define EPOLLERR	0x00000008
#endif
#ifndef EPOLLHUP
#define EPOLLHUP	0x00000010
#endif
#ifndef EPOLLNVAL
#define EPOLLNVAL	0x00000020
#endif
#ifndef EPOLLRDNORM
#define EPOLLRDNORM	0x00000040
#endif
#ifndef EPOLLRDBAND
#define EPOLLRDBAND	0x00000080
#endif
#ifndef EPOLLWRNORM
#define EPOLLWRNORM	0x00000100
#endif
#ifndef EPOLLWRBAND
#define EPOLLWRBAND	0x00000200
#endif
#ifndef EPOLLMSG
#define EPOLLMSG	0x00000400
#endif
#ifndef EPOLLRDHUP
#define EPOLLRDHUP	0x00002000
#endif
#ifndef EPOLLEXCLUSIVE
#define EPOLLEXCLUSIVE	(1U << 28)
#endif
#ifndef EPOLLWAKEUP
#define EPOLLWAKEUP	(1U << 29)
#endif
#ifndef EPOLLONESHOT
#define EPOLLONESHOT	(1U << 30)
#endif
#ifndef EPOLLET
#define EPOLLET		(1U << 31)
#endif

struct abi_epoll_event {
	abi_u32 events;
	abi_u64 data;
} __attribute__((packed));
_Static_assert(sizeof(struct abi_epoll_event) == 12, "epoll_event is packed on x86-64");

#endif
