/*
 * ioctl(2) request numbers the kernel implements: the terminal ones and
 * the generic file ones (FIO*).  Mirrors Linux's
 * uapi/asm-generic/ioctls.h (x86-64 uses the generic numbers).
 */
#ifndef ABI_IOCTL_H
#define ABI_IOCTL_H

#ifndef TCGETS
#define TCGETS		0x5401
#endif
#ifndef TCSETS
#define TCSETS		0x5402
#endif
#ifndef TCSETSW
#define TCSETSW		0x5403
#endif
#ifndef TCSETSF
#define TCSETSF		0x5404
#endif
#ifndef TCSBRK
#define TCSBRK		0x5409
#endif
#ifndef TCXONC
#define TCXONC		0x540A
#endif
#ifndef TCFLSH
#define TCFLSH		0x540B
#endif
#ifndef TIOCSCTTY
#define TIOCSCTTY	0x540E
#endif
#ifndef TIOCGPGRP
#define TIOCGPGRP	0x540F
#endif
#ifndef TIOCSPGRP
#define TIOCSPGRP	0x5410
#endif
#ifndef TIOCOUTQ
#define TIOCOUTQ	0x5411
#endif
#ifndef TIOCGWINSZ
#define TIOCGWINSZ	0x5413
#endif
#ifndef TIOCSWINSZ
#define TIOCSWINSZ	0x5414
#endif
#ifndef FIONREAD
#define FIONREAD	0x541B
#endif
#ifndef TIOCCONS
#define TIOCCONS	0x541D
#endif
#ifndef TIOCPKT
#define TIOCPKT		0x5420
#endif
#ifndef TIOCGPTN
#define TIOCGPTN	0x80045430	/* _IOR('T', 0x30, unsigned int) */
#endif
#ifndef TIOCSPTLCK
#define TIOCSPTLCK	0x40045431	/* _IOW('T', 0x31, int) */
#endif
#ifndef TIOCGPKT
#define TIOCGPKT	0x80045438
#endif
#ifndef TIOCGPTLCK
#define TIOCGPTLCK	0x80045439
#endif
#ifndef TIOCGPTPEER
#define TIOCGPTPEER	0x5441		/* _IO('T', 0x41) */
#endif
#ifndef TCGETS2
#define TCGETS2		0x802C542A	/* _IOR('T', 0x2A, struct termios2) */
#endif
#ifndef TCSETS2
#define TCSETS2		0x402C542B
#endif
#ifndef TCSETSW2
#define TCSETSW2	0x402C542C
#endif
#ifndef TCSETSF2
#define TCSETSF2	0x402C542D
#endif
#ifndef FIONBIO
#define FIONBIO		0x5421
#endif
#ifndef TIOCNOTTY
#define TIOCNOTTY	0x5422
#endif
#ifndef TIOCGSID
#define TIOCGSID	0x5429
#endif
#ifndef FIONCLEX
#define FIONCLEX	0x5450
#endif
#ifndef FIOCLEX
#define FIOCLEX		0x5451
#endif
#ifndef FIOASYNC
#define FIOASYNC	0x5452
#endif

#endif
