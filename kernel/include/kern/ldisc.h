/*
 * The terminal line discipline, without locks, sleeping or processes, so
 * it runs unchanged in host unit tests (tests/unit/test_tty.c).  It is
 * Linux's N_TTY for one terminal:
 *
 *   input   ldisc_input() maps each received byte through c_iflag (ISTRIP,
 *           IGNCR, ICRNL, INLCR; under IXON the STOP and START
 *           characters set and clear `stopped`, which the caller's
 *           writers honour, IXANY restarts on any byte), turns
 *           INTR/QUIT/SUSP into a signal request under ISIG (flushing the
 *           queues unless NOFLSH), and either queues the byte at once
 *           (non-canonical) or edits the current line under ICANON:
 *           ERASE, KILL, WERASE/LNEXT/REPRINT (IEXTEN), and the line ends
 *           NL, EOL, EOL2 and EOF.  A completed line moves to the read
 *           queue; EOF ends a line without adding a byte.
 *           ldisc_input_flag() takes a byte the UART flagged: a BREAK
 *           is ignored (IGNBRK), becomes SIGINT (BRKINT), is marked
 *           0377 0 0 (PARMRK) or is a plain NUL; a parity or framing
 *           error under INPCK is dropped (IGNPAR), marked 0377 0 c
 *           (PARMRK) or read as a NUL; without INPCK the byte is taken
 *           as it came.  Under PARMRK a received 0377 is doubled.
 *   echo    ECHO, ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL (^X for control
 *           characters), through output processing like Linux.
 *   output  ldisc_write() applies OPOST: ONLCR (NL -> CR NL), OCRNL.
 *   read    ldisc_read() takes queued bytes: a canonical read stops after
 *           a line end; an EOF mark ends a read (a read of 0 = end of file).
 *           VMIN/VTIME waiting is the caller's (drivers/tty/tty.c).
 *
 * The caller serializes every call on one struct ldisc (drivers/tty/tty.c holds
 * its IRQ-safe lock).  Output and signals leave through ops callbacks
 * called with that lock held, so they must not sleep or take the lock.
 */
#ifndef KERN_LDISC_H
#define KERN_LDISC_H

#include <kern/types.h>
#include <abi/termios.h>

#define LDISC_BUF	4096	/* read queue and line buffer size (bytes) */

struct ldisc_ops {
	/* Send n bytes to the terminal device, already processed. */
	void (*output)(void *ctx, const char *s, size_t n);
	/* Deliver sig to the foreground process group. */
	void (*signal)(void *ctx, int sig);
};

/* Queue entries: the byte plus flags. */
#define LDISC_DELIM	0x100	/* ends a canonical line */
#define LDISC_EOFMARK	0x200	/* an EOF: ends a line, delivers no byte */

struct ldisc {
	struct abi_termios t;
	u16 q[LDISC_BUF];		/* read queue, ring; head - tail = entries */
	u32 head, tail;
	u8 line[LDISC_BUF];		/* canonical line being edited */
	u32 linelen;
	u32 column;			/* output column, for erasing tabs */
	u32 canon_col;			/* column where the edited line's echo began */
	bool lnext;			/* the next byte is literal (VLNEXT seen) */
	bool stopped;			/* output stopped by STOP (IXON) or TCOOFF */
	const struct ldisc_ops *ops;
	void *ctx;
};

/* Reset l to Linux's default termios (stty sane) with empty queues. */
void ldisc_init(struct ldisc *l, const struct ldisc_ops *ops, void *ctx);
/* Process one received byte. */
void ldisc_input(struct ldisc *l, u8 c);
/* Flags of a received byte (Linux's TTY_NORMAL, TTY_BREAK, TTY_PARITY, TTY_FRAME). */
#define LDISC_RX_NORMAL	0
#define LDISC_RX_BREAK	1
#define LDISC_RX_PARITY	2
#define LDISC_RX_FRAME	3
/* Process one received byte that carries flag (LDISC_RX_*; see input above). */
void ldisc_input_flag(struct ldisc *l, u8 c, int flag);
/* Write n bytes with output processing (OPOST); returns n. */
size_t ldisc_write(struct ldisc *l, const void *buf, size_t n);
/*
 * Take up to n bytes for a reader.  *eof is set when a canonical read
 * consumed an EOF mark with no bytes before it.  Returns the byte count.
 */
size_t ldisc_read(struct ldisc *l, u8 *dst, size_t n, bool *eof);
/* Bytes of input the queues can still take (read queue plus the line being edited). */
size_t ldisc_room(const struct ldisc *l);
/* Bytes a non-canonical read could take now (EOF marks not counted). */
size_t ldisc_avail(const struct ldisc *l);
/* True if a read would return at once (a line or EOF in canonical mode, any byte otherwise). */
bool ldisc_readable(const struct ldisc *l);
/*
 * VMIN/VTIME policy of a blocking read of n bytes that has got bytes so
 * far (Linux semantics): true when the read should return now.  timed_out
 * says the VTIME timer (ldisc_read_timeout_ns) expired.  Canonical reads
 * are done as soon as they got anything (an EOF is the caller's).
 */
bool ldisc_read_done(const struct ldisc *l, size_t n, size_t got, bool timed_out);
/*
 * VTIME timer length in ns for the next wait, 0 for none: with VMIN=0 it
 * runs from the start of the read (pass got=0 once); with VMIN>0 it is an
 * inter-byte timer, armed only after the first byte.
 */
u64 ldisc_read_timeout_ns(const struct ldisc *l, size_t got);
/* Replace the termios; leaving ICANON makes the partial line readable. */
void ldisc_set_termios(struct ldisc *l, const struct abi_termios *t);
/* Discard queued input and the partial line. */
void ldisc_flush_input(struct ldisc *l);

#endif
