/*
 * Terminal ABI of Linux x86-64: the kernel's struct termios (TCGETS and
 * TCSETS*, 19 control characters, no speed fields), struct winsize, the
 * flag bits and c_cc indices (octal, as in asm-generic/termbits.h) and the
 * tty ioctl numbers (abi/ioctl.h).  _POSIX_VDISABLE is 0: a c_cc entry
 * of 0 is off.  Mirrors Linux's uapi/asm-generic/termbits.h; the flag
 * names equal glibc's <termios.h> but struct termios does not (glibc's
 * has NCCS 32 and speed fields), hence abi_termios and ABI_NCCS.
 */
#ifndef ABI_TERMIOS_H
#define ABI_TERMIOS_H

#include <abi/types.h>
#include <abi/ioctl.h>

#define ABI_NCCS	19

struct abi_termios {
	abi_u32 c_iflag, c_oflag, c_cflag, c_lflag;
	abi_u8 c_line;
	abi_u8 c_cc[ABI_NCCS];
};

/* TCGETS2/TCSETS2*: the termios plus the line speeds in bits per second (BOTHER). */
struct abi_termios2 {
	abi_u32 c_iflag, c_oflag, c_cflag, c_lflag;
	abi_u8 c_line;
	abi_u8 c_cc[ABI_NCCS];
	abi_u32 c_ispeed, c_ospeed;
};

struct abi_winsize {
	abi_u16 ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* c_iflag */
#define IGNBRK	0000001
#define BRKINT	0000002
#define IGNPAR	0000004
#define PARMRK	0000010
#define INPCK	0000020
#define ISTRIP	0000040
#define INLCR	0000100
#define IGNCR	0000200
#define ICRNL	0000400
#define IXON	0002000
#define IXANY	0004000
#define IXOFF	0010000
#define IUTF8	0040000
/* c_oflag */
#define OPOST	0000001
#define ONLCR	0000004
#define OCRNL	0000010
/* c_cflag */
#define B38400	0000017
#ifndef CSIZE
#define CSIZE	0000060
#define CS5	0000000
#define CS6	0000020
#define CS7	0000040
#endif
#define CS8	0000060
#ifndef CSTOPB
#define CSTOPB	0000100
#endif
#define CREAD	0000200
#ifndef PARENB
#define PARENB	0000400
#define PARODD	0001000
#define HUPCL	0002000
#endif
#ifndef CLOCAL
#define CLOCAL	0004000
#endif
#ifndef CBAUD
#define CBAUD	0010017
#endif
#ifndef BOTHER
#define BOTHER	0010000
#endif
#ifndef B115200
#define B115200	0010002
#endif
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

/* tcflow(3) actions (TCXONC argument). */
#define TCOOFF		0
#define TCOON		1
#define TCIOFF		2
#define TCION		3

/* TIOCPKT packet-mode status bits (the first byte of a master read). */
#define TIOCPKT_DATA		0
#define TIOCPKT_FLUSHREAD	1
#define TIOCPKT_FLUSHWRITE	2
#define TIOCPKT_STOP		4
#define TIOCPKT_START		8

/* tcflush(3) queue selectors (TCFLSH argument); the ioctl numbers are in abi/ioctl.h. */
#define TCIFLUSH	0
#define TCOFLUSH	1
#define TCIOFLUSH	2

#endif
