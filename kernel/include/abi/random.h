/*
 * getrandom(2) flags.  Mirrors Linux's uapi/linux/random.h.
 */
#ifndef ABI_RANDOM_H
#define ABI_RANDOM_H

#ifndef GRND_NONBLOCK
#define GRND_NONBLOCK	0x0001
#endif
#ifndef GRND_RANDOM
#define GRND_RANDOM	0x0002
#endif
#ifndef GRND_INSECURE
#define GRND_INSECURE	0x0004
#endif

#endif
