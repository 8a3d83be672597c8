/*
 * timerfd_create(2) and timerfd_settime(2) flags (Linux's
 * uapi/linux/timerfd.h; the create flags are O_NONBLOCK and O_CLOEXEC).
 * The itimerspec record is in abi/time.h.
 */
#ifndef ABI_TIMERFD_H
#define ABI_TIMERFD_H

#ifndef TFD_NONBLOCK
#define TFD_NONBLOCK		00004000	/* O_NONBLOCK */
#endif
#ifndef TFD_CLOEXEC
#define TFD_CLOEXEC		02000000	/* O_CLOEXEC */
#endif
#ifndef TFD_TIMER_ABSTIME
#define TFD_TIMER_ABSTIME	1
#endif
#ifndef TFD_TIMER_CANCEL_ON_SET
#define TFD_TIMER_CANCEL_ON_SET	2
#endif

#endif
