/*
 * Line discipline (model in kern/ldisc.h): Linux N_TTY's input mapping,
 * receive errors (BREAK, parity and framing per IGNBRK/BRKINT/INPCK/
 * IGNPAR/PARMRK, as Linux's 8250 driver and N_TTY together treat them),
 * canonical editing, echo and output processing for one terminal, with
 * the same echo bytes as Linux for the flags it supports (the host pty
 * comparison in tests/unit/test_tty.c checks a few).  Output is batched
 * through a small buffer and flushed to ops->output.
 */
#include <kern/ldisc.h>
#include <kern/string.h>
#include <abi/signal.h>

#define CTRL(c)		((c) & 0x1f)

struct obuf {
	struct ldisc *l;
	size_t n;
	char b[128];
};

static void ob_flush(struct obuf *o)
{
	if (o->n)
		o->l->ops->output(o->l->ctx, o->b, o->n);
	o->n = 0;
}

static void ob_put(struct obuf *o, char c)
{
	if (o->n == sizeof(o->b))
		ob_flush(o);
	o->b[o->n++] = c;
}

static bool is_cntrl(u8 c)
{
	return c < 0x20 || c == 0x7f;
}

static bool is_alnum(u8 c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* c equals the enabled control character idx (0 = disabled). */
static bool is_cc(const struct ldisc *l, int idx, u8 c)
{
	return l->t.c_cc[idx] && l->t.c_cc[idx] == c;
}

/* One output byte through OPOST, tracking the column. */
static void out_char(struct ldisc *l, struct obuf *o, u8 c)
{
	u32 of = l->t.c_oflag;

	if (!(of & OPOST)) {
		ob_put(o, (char)c);
		return;
	}
	switch (c) {
	case '\n':
		if (of & ONLCR) {
			ob_put(o, '\r');
			l->column = 0;
		}
		break;
	case '\r':
		if (of & OCRNL)
			c = '\n';
		else
			l->column = 0;
		break;
	case '\t':
		l->column = (l->column | 7) + 1;
		break;
	case '\b':
		if (l->column)
			l->column--;
		break;
	default:
		/* IUTF8: continuation bytes take no column of their own. */
		if (!is_cntrl(c) && !((l->t.c_iflag & IUTF8) && (c & 0xc0) == 0x80))
			l->column++;
		break;
	}
	ob_put(o, (char)c);
}

/* Echo c as the user typed it: ^X for control characters under ECHOCTL. */
static void echo_char(struct ldisc *l, struct obuf *o, u8 c)
{
	if (c != '\t' && is_cntrl(c) && (l->t.c_lflag & ECHOCTL)) {
		ob_put(o, '^');
		ob_put(o, (char)(c ^ 0100));
		l->column += 2;
		return;
	}
	out_char(l, o, c);
}

static void echo_str(struct ldisc *l, struct obuf *o, const char *s)
{
	while (*s)
		out_char(l, o, (u8)*s++);
}

static void put_q(struct ldisc *l, u16 e)
{
	if (l->head - l->tail < LDISC_BUF)
		l->q[l->head++ % LDISC_BUF] = e;
}

void ldisc_flush_input(struct ldisc *l)
{
	l->tail = l->head;
	l->linelen = 0;
	l->lnext = false;
}

/* Column where the edited line started, for erasing tabs. */
static u32 line_col(struct ldisc *l, u32 upto)
{
	u32 col = l->canon_col;

	for (u32 i = 0; i < upto; i++) {
		u8 c = l->line[i];

		if (c == '\t')
			col = (col | 7) + 1;
		else if ((l->t.c_iflag & IUTF8) && (c & 0xc0) == 0x80)
			continue;	/* a continuation byte takes no column */
		else if (is_cntrl(c))
			col += (l->t.c_lflag & ECHOCTL) ? 2 : 0;
		else
			col++;
	}
	return col;
}

/* ERASE, WERASE or KILL (which = the c_cc index) on the line being edited. */
static void eraser(struct ldisc *l, struct obuf *o, int which)
{
	u32 lf = l->t.c_lflag;
	int seen_alnums = 0;

	if (!l->linelen)
		return;
	if (which == VKILL) {
		if (!(lf & ECHO)) {
			l->linelen = 0;
			return;
		}
		if (!(lf & ECHOK) || !(lf & ECHOKE) || !(lf & ECHOE)) {
			l->linelen = 0;
			echo_char(l, o, l->t.c_cc[VKILL]);
			if (lf & ECHOK)
				out_char(l, o, '\n');
			return;
		}
	}
	while (l->linelen) {
		u8 c = l->line[l->linelen - 1];

		if (which == VWERASE) {
			if (is_alnum(c) || c == '_')
				seen_alnums++;
			else if (seen_alnums)
				break;
		}
		l->linelen--;
		/* IUTF8: a character is its lead byte and its continuation bytes. */
		if ((l->t.c_iflag & IUTF8) && c >= 0x80) {
			while (l->linelen && (c & 0xc0) == 0x80) {
				c = l->line[l->linelen - 1];
				l->linelen--;
			}
		}
		if (lf & ECHO) {
			if (which == VERASE && !(lf & ECHOE)) {
				echo_char(l, o, l->t.c_cc[VERASE]);
			} else if (c == '\t') {
				u32 col = line_col(l, l->linelen);

				while (l->column > col)
					out_char(l, o, '\b');
			} else {
				if (is_cntrl(c) && (lf & ECHOCTL))
					echo_str(l, o, "\b \b");
				if (!is_cntrl(c) || (lf & ECHOCTL))
					echo_str(l, o, "\b \b");
			}
		}
		if (which == VERASE)
			break;
	}
}

/* Move the edited line to the read queue, ending it with end (a byte or LDISC_EOFMARK). */
static void commit_line(struct ldisc *l, u16 end)
{
	for (u32 i = 0; i < l->linelen; i++)
		put_q(l, l->line[i]);
	put_q(l, end | LDISC_DELIM);
	l->linelen = 0;
}

/* Queue c without echo or editing: onto the line being edited (canonical) or the read queue. */
static void put_raw(struct ldisc *l, u8 c)
{
	if (!(l->t.c_lflag & ICANON))
		put_q(l, c);
	else if (l->linelen < LDISC_BUF - 1)
		l->line[l->linelen++] = c;
}

/*
 * An ordinary byte: into the line (canonical) or the queue, echoed.  Like
 * Linux, a newline echoes as a newline only when it came from ICRNL (a
 * typed ^J in non-canonical mode echoes as ^J under ECHOCTL).
 */
static void receive_plain(struct ldisc *l, struct obuf *o, u8 c, bool nl_raw)
{
	bool canon = l->t.c_lflag & ICANON;

	if (canon && l->linelen >= LDISC_BUF - 1)
		return;		/* line full: only line ends are accepted */
	if (l->t.c_lflag & ECHO) {
		if (canon && !l->linelen)
			l->canon_col = l->column;
		if (c == '\n' && nl_raw)
			out_char(l, o, c);
		else
			echo_char(l, o, c);
	}
	/* PARMRK: a real 0377 is doubled, so it cannot be taken for an error mark. */
	if (c == 0xff && (l->t.c_iflag & PARMRK))
		put_raw(l, c);
	put_raw(l, c);
}

/* Canonical-mode special characters; true if c was consumed. */
static bool receive_canon(struct ldisc *l, struct obuf *o, u8 c)
{
	u32 lf = l->t.c_lflag;

	if (is_cc(l, VERASE, c)) {
		eraser(l, o, VERASE);
	} else if (is_cc(l, VKILL, c)) {
		eraser(l, o, VKILL);
	} else if ((lf & IEXTEN) && is_cc(l, VWERASE, c)) {
		eraser(l, o, VWERASE);
	} else if ((lf & IEXTEN) && is_cc(l, VLNEXT, c)) {
		l->lnext = true;
		if ((lf & ECHO) && (lf & ECHOCTL)) {
			ob_put(o, '^');
			ob_put(o, '\b');
		}
	} else if ((lf & IEXTEN) && (lf & ECHO) && is_cc(l, VREPRINT, c)) {
		echo_char(l, o, c);
		out_char(l, o, '\n');
		l->canon_col = l->column;
		for (u32 i = 0; i < l->linelen; i++)
			echo_char(l, o, l->line[i]);
	} else if (c == '\n') {
		if (lf & (ECHO | ECHONL))
			out_char(l, o, '\n');
		commit_line(l, '\n');
	} else if (is_cc(l, VEOF, c)) {
		commit_line(l, LDISC_EOFMARK);
	} else if (is_cc(l, VEOL, c) || ((lf & IEXTEN) && is_cc(l, VEOL2, c))) {
		if (lf & ECHO)
			echo_char(l, o, c);
		commit_line(l, c);
	} else {
		return false;
	}
	return true;
}

void ldisc_input(struct ldisc *l, u8 c)
{
	struct obuf o = { .l = l };
	u32 lf = l->t.c_lflag, inf = l->t.c_iflag;
	bool nl_raw = false;
	int sig = 0;

	if (inf & ISTRIP)
		c &= 0x7f;
	if (l->lnext) {
		l->lnext = false;
		receive_plain(l, &o, c, false);
		goto out;
	}
	/* IXON: STOP stops output, START (or any byte under IXANY) restarts it. */
	if (inf & IXON) {
		if (is_cc(l, VSTOP, c)) {
			l->stopped = true;
			goto out;
		}
		if (is_cc(l, VSTART, c)) {
			l->stopped = false;
			goto out;
		}
		if (inf & IXANY)
			l->stopped = false;
	}
	if (lf & ISIG) {
		if (is_cc(l, VINTR, c))
			sig = SIGINT;
		else if (is_cc(l, VQUIT, c))
			sig = SIGQUIT;
		else if (is_cc(l, VSUSP, c))
			sig = SIGTSTP;
		if (sig) {
			if (!(lf & NOFLSH))
				ldisc_flush_input(l);
			if (lf & ECHO)
				echo_char(l, &o, c);
			goto out;
		}
	}
	if (c == '\r') {
		if (inf & IGNCR)
			goto out;
		if (inf & ICRNL) {
			c = '\n';
			nl_raw = true;
		}
	} else if (c == '\n' && (inf & INLCR)) {
		c = '\r';
	}
	if ((lf & ICANON) && receive_canon(l, &o, c))
		goto out;
	receive_plain(l, &o, c, nl_raw);
out:
	ob_flush(&o);
	if (sig)
		l->ops->signal(l->ctx, sig);
}

void ldisc_input_flag(struct ldisc *l, u8 c, int flag)
{
	u32 inf = l->t.c_iflag;

	switch (flag) {
	case LDISC_RX_BREAK:
		if (inf & IGNBRK)
			return;
		if (inf & BRKINT) {
			if (!(l->t.c_lflag & NOFLSH))
				ldisc_flush_input(l);
			l->ops->signal(l->ctx, SIGINT);
			return;
		}
		if (inf & PARMRK) {
			put_raw(l, 0xff);
			put_raw(l, 0);
			put_raw(l, 0);
			return;
		}
		break;		/* a plain NUL, as Linux's 8250 passes it */
	case LDISC_RX_PARITY:
	case LDISC_RX_FRAME:
		if (!(inf & INPCK))
			break;	/* not checked: the byte as received */
		if (inf & IGNPAR)
			return;
		if (inf & PARMRK) {
			put_raw(l, 0xff);
			put_raw(l, 0);
			put_raw(l, c);
		} else {
			put_raw(l, 0);
		}
		return;
	}
	ldisc_input(l, c);
}

size_t ldisc_write(struct ldisc *l, const void *buf, size_t n)
{
	struct obuf o = { .l = l };
	const u8 *p = buf;

	for (size_t i = 0; i < n; i++)
		out_char(l, &o, p[i]);
	ob_flush(&o);
	return n;
}

size_t ldisc_read(struct ldisc *l, u8 *dst, size_t n, bool *eof)
{
	bool canon = l->t.c_lflag & ICANON;
	size_t got = 0;

	*eof = false;
	while (got < n && l->head != l->tail) {
		u16 e = l->q[l->tail % LDISC_BUF];

		l->tail++;
		if (e & LDISC_EOFMARK) {
			if (!canon)
				continue;	/* left over from canonical mode */
			*eof = !got;
			break;
		}
		dst[got++] = (u8)e;
		if (canon && (e & LDISC_DELIM))
			break;
	}
	return got;
}

size_t ldisc_room(const struct ldisc *l)
{
	size_t used = (l->head - l->tail) + l->linelen;

	return used >= LDISC_BUF ? 0 : LDISC_BUF - used;
}

size_t ldisc_avail(const struct ldisc *l)
{
	size_t n = 0;

	for (u32 i = l->tail; i != l->head; i++)
		if (!(l->q[i % LDISC_BUF] & LDISC_EOFMARK))
			n++;
	return n;
}

bool ldisc_readable(const struct ldisc *l)
{
	if (l->t.c_lflag & ICANON)
		return l->head != l->tail;
	return ldisc_avail(l) > 0;
}

bool ldisc_read_done(const struct ldisc *l, size_t n, size_t got, bool timed_out)
{
	size_t vmin = l->t.c_cc[VMIN], vtime = l->t.c_cc[VTIME];

	if (l->t.c_lflag & ICANON)
		return got > 0;
	if (got >= n)
		return true;
	if (!vmin)
		return !vtime || got > 0 || timed_out;
	if (got >= vmin)
		return true;
	return vtime && got > 0 && timed_out;
}

u64 ldisc_read_timeout_ns(const struct ldisc *l, size_t got)
{
	u64 vtime = l->t.c_cc[VTIME];

	if ((l->t.c_lflag & ICANON) || !vtime)
		return 0;
	if (l->t.c_cc[VMIN] && !got)
		return 0;
	return vtime * 100000000ULL;
}

void ldisc_set_termios(struct ldisc *l, const struct abi_termios *t)
{
	bool was_canon = l->t.c_lflag & ICANON;

	l->t = *t;
	if (was_canon && !(t->c_lflag & ICANON)) {
		for (u32 i = 0; i < l->linelen; i++)
			put_q(l, l->line[i]);
		l->linelen = 0;
		l->lnext = false;
	} else if (!was_canon && (t->c_lflag & ICANON) && l->head != l->tail) {
		l->q[(l->head - 1) % LDISC_BUF] |= LDISC_DELIM;	/* pending bytes form a line */
	}
}

void ldisc_init(struct ldisc *l, const struct ldisc_ops *ops, void *ctx)
{
	static const struct abi_termios sane = {
		.c_iflag = ICRNL | IXON,
		.c_oflag = OPOST | ONLCR,
		.c_cflag = B38400 | CS8 | CREAD,
		.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
		.c_cc = {
			[VINTR] = CTRL('C'), [VQUIT] = 0x1c, [VERASE] = 0x7f, [VKILL] = CTRL('U'),
			[VEOF] = CTRL('D'), [VTIME] = 0, [VMIN] = 1, [VSTART] = CTRL('Q'),
			[VSTOP] = CTRL('S'), [VSUSP] = CTRL('Z'), [VREPRINT] = CTRL('R'),
			[VDISCARD] = CTRL('O'), [VWERASE] = CTRL('W'), [VLNEXT] = CTRL('V'),
		},
	};

	memset(l, 0, sizeof(*l));
	l->t = sane;
	l->ops = ops;
	l->ctx = ctx;
}
