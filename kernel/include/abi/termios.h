/*
 * Terminal ABI of Linux x86-64: the kernel's struct termios (TCGETS and
 * TCSETS*, 19 control characters, no speed fields), struct winsize, the
 * flag bits and c_cc indices (octal, as in asm-generic/termbits.h) and the
 * tty ioctl numbers.  _POSIX_VDISABLE is 0: a c_cc entry of 0 is off.
 */
#ifndef ABI_TERMIOS_H
#define ABI_TERMIOS_H

#include <stdint.h>

#define ABI_NCCS	19

struct abi_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[ABI_NCCS];
};

struct abi_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* c_iflag */
#define IGNBRK	0000001
#define BRKINT	0000002
#define ISTRIP	0000040
#define INLCR	0000100
#define IGNCR	0000200
#define ICRNL	0000400
#define IXON	0002000
#define IXOFF	0010000
/* c_oflag */
#define OPOST	0000001
#define ONLCR	0000004
#define OCRNL	0000010
/* c_cflag */
#define B38400	0000017
#define CS8	0000060
#define CREAD	0000200
/* c_lflag */
#define ISIG	0000001
#define ICANON	0000002
#define ECHO	0000010
#define ECHOE	0000020
#define ECHOK	0000040
#define ECHONL	0000100
#define NOFLSH	0000200
#define TOSTOP	0000400
#define ECHOCTL	0001000
#define ECHOPRT	0002000
#define ECHOKE	0004000
#define IEXTEN	0100000
/* c_cc indices */
#define VINTR	0
#define VQUIT	1
#define VERASE	2
#define VKILL	3
#define VEOF	4
#define VTIME	5
#define VMIN	6
#define VSTART	8
#define VSTOP	9
#define VSUSP	10
#define VEOL	11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE	14
#define VLNEXT	15
#define VEOL2	16

/* ioctls */
#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TCSBRK		0x5409
#define TCXONC		0x540A
#define TCFLSH		0x540B
#define TIOCSCTTY	0x540E
#define TIOCGPGRP	0x540F
#define TIOCSPGRP	0x5410
#define TIOCOUTQ	0x5411
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define FIONREAD	0x541B
#define TIOCNOTTY	0x5422
#define TIOCGSID	0x5429

#define TCIFLUSH	0
#define TCOFLUSH	1
#define TCIOFLUSH	2

#endif
