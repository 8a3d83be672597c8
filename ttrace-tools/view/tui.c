/*
 * `tui`: an ncurses timeline that works over a serial console (plain
 * characters, colour only where the terminal has it, no mouse).
 *
 * Screen: a status line; one lane per CPU where each column is a slice of
 * time showing the first letter of the command that ran longest in it
 * (idle is blank; a filtered-out process is '.'; an 'X' marks lost
 * events); a time axis; and below, the events in the cursor's column as
 * `text` prints them.  Keys:
 *	left/right h/l	move the cursor	  H/L PgUp/PgDn  scroll half a screen
 *	+ / -		zoom in/out at the cursor	0  whole trace
 *	n / p		next / previous event (of the filtered process)
 *	e		jump to the next event named ... (e.g. sched_switch)
 *	t		jump to a time in seconds	  f / F  filter by pid / clear
 *	q		quit
 * The terminal is /dev/tty when the stream comes on stdin.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curses.h>
#include "tt.h"

struct view {
	struct tt_trace *t;
	uint64_t t0, t1;	/* trace span */
	uint64_t v0, v1;	/* visible span */
	int cols;		/* timeline columns */
	int cur;		/* cursor column */
	uint32_t pid;		/* filter (0: none) */
	char msg[128];
};

/* Start time of timeline column col. */
static uint64_t col_time(const struct view *v, int col)
{
	return v->v0 + (v->v1 - v->v0) * (uint64_t)col / (uint64_t)(v->cols ? v->cols : 1);
}

/* Index of the first event at or after ns (nev if none). */
static size_t first_at(const struct tt_trace *t, uint64_t ns)
{
	size_t lo = 0, hi = t->nev;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->ev[mid].ns < ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether e passes the pid filter. */
static int matches(const struct view *v, const struct tt_event *e)
{
	return !v->pid || (e->rec->tid && e->pid == v->pid);
}

/* Scroll so time ns is visible and put the cursor on it. */
static void goto_time(struct view *v, uint64_t ns)
{
	uint64_t w = v->v1 - v->v0;

	if (ns < v->v0 || ns >= v->v1) {
		v->v0 = ns > v->t0 + w / 2 ? ns - w / 2 : v->t0;
		v->v1 = v->v0 + w;
	}
	v->cur = (int)((ns - v->v0) * (uint64_t)v->cols / (w ? w : 1));
	if (v->cur >= v->cols)
		v->cur = v->cols - 1;
}

/* Halve or double the visible span around the cursor. */
static void zoom(struct view *v, int in)
{
	uint64_t at = col_time(v, v->cur), w = v->v1 - v->v0;

	w = in ? w / 2 : w * 2;
	if (w < (uint64_t)v->cols)
		w = (uint64_t)v->cols;
	if (w > v->t1 - v->t0 + 1)
		w = v->t1 - v->t0 + 1;
	v->v0 = at > v->t0 + w / 2 ? at - w / 2 : v->t0;
	v->v1 = v->v0 + w;
	goto_time(v, at);
}

/* Redraw the whole screen; cannot fail. */
static void draw(struct view *v)
{
	struct tt_trace *t = v->t;
	unsigned int ncpu = t->hdr.ncpus;
	int rows, width, lanes_end;
	char ts[32], ts2[32], line[1024];

	getmaxyx(stdscr, rows, width);
	v->cols = width - 8 > 10 ? width - 8 : 10;
	if (v->cur >= v->cols)
		v->cur = v->cols - 1;
	erase();
	tt_format_time(v->v0, ts, sizeof(ts));
	tt_format_time(v->v1, ts2, sizeof(ts2));
	mvprintw(0, 0, "ttrace %s..%s  %zu events  filter:%s%u  %s", ts, ts2, t->nev,
		 v->pid ? "pid " : "none", v->pid, v->msg);
	for (unsigned int c = 0; c < ncpu && (int)c + 2 < rows - 2; c++) {
		uint32_t running = 0;
		const char *comm = NULL;
		char ncomm[TTRACE_COMM_LEN + 1];
		uint32_t rpid = 0;
		size_t i;

		/* Who runs on c at v0: the next of the last switch before it. */
		for (i = first_at(t, v->v0); i-- > 0;) {
			if (t->ev[i].rec->cpu != c)
				continue;
			if (t->ev[i].rec->type == TTRACE_REC_SCHED_SWITCH) {
				const struct ttrace_sched_switch *p =
					TT_PAYLOAD(&t->ev[i], struct ttrace_sched_switch);

				running = p->next_tid;
				rpid = p->next_pid;
				tt_comm(ncomm, p->next_comm);
				comm = ncomm;
				break;
			}
			if (!running) {
				running = t->ev[i].rec->tid;
				comm = t->ev[i].comm;
				rpid = t->ev[i].pid;
			}
			if (first_at(t, v->v0) - i > 20000)
				break;
		}
		mvprintw((int)c + 1, 0, "CPU%-3u|", c);
		i = first_at(t, v->v0);
		for (int col = 0; col < v->cols; col++) {
			uint64_t end = col_time(v, col + 1);
			char ch = running ? '#' : ' ';
			int lost = 0;

			for (; i < t->nev && t->ev[i].ns < end; i++) {
				const struct tt_event *e = &t->ev[i];

				if (e->rec->cpu != c)
					continue;
				if (e->rec->type == TTRACE_REC_LOST)
					lost = 1;
				if (e->rec->tid == running && running) {
					comm = e->comm;
					rpid = e->pid;
				}
				if (e->rec->type == TTRACE_REC_SCHED_SWITCH) {
					const struct ttrace_sched_switch *p =
						TT_PAYLOAD(e, struct ttrace_sched_switch);

					running = p->next_tid;
					rpid = p->next_pid;
					tt_comm(ncomm, p->next_comm);
					comm = ncomm;
				}
			}
			if (running)
				ch = comm && comm[0] ? comm[0] : '#';
			if (v->pid && running && rpid != v->pid)
				ch = '.';
			if (lost)
				ch = 'X';
			if (col == v->cur)
				attron(A_REVERSE);
			if (has_colors() && running && ch != '.' && ch != 'X')
				attron(COLOR_PAIR(1 + rpid % 6));
			mvaddch((int)c + 1, 7 + col, (chtype)(unsigned char)ch);
			if (has_colors())
				attroff(COLOR_PAIR(1 + rpid % 6));
			attroff(A_REVERSE);
		}
	}
	lanes_end = (int)ncpu + 1;
	tt_format_time(col_time(v, v->cur), ts, sizeof(ts));
	mvprintw(lanes_end, 0, "cursor %s   keys: arrows/hl HL +- 0 n p e t f F q", ts);
	{
		size_t i = first_at(t, col_time(v, v->cur)), end = first_at(t, col_time(v, v->cur + 1));
		int row = lanes_end + 1;

		for (; i < end && row < rows; i++) {
			const struct tt_event *e = &t->ev[i];
			char f[512];

			if (!matches(v, e))
				continue;
			tt_format_time(e->ns, ts, sizeof(ts));
			tt_format_fields(t, e, f, sizeof(f));
			snprintf(line, sizeof(line), "%16s-%-5u [%03u] %s: %s: %s", e->comm, e->rec->tid,
				 e->rec->cpu, ts, tt_event_name(e->rec->type), f);
			mvaddnstr(row++, 0, line, width - 1);
		}
	}
	refresh();
}

/* Read a line into buf on the bottom row (empty on error). */
static void prompt(const char *q, char *buf, int n)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	(void)cols;
	move(rows - 1, 0);
	clrtoeol();
	mvprintw(rows - 1, 0, "%s", q);
	echo();
	curs_set(1);
	getnstr(buf, n - 1);
	noecho();
	curs_set(0);
}

/* Move the cursor to the next or previous matching event; sets a message if none. */
static void jump(struct view *v, int dir, const char *name)
{
	struct tt_trace *t = v->t;
	uint64_t now = col_time(v, v->cur), next = col_time(v, v->cur + 1);
	size_t i;

	if (dir > 0) {
		for (i = first_at(t, next); i < t->nev; i++)
			if (matches(v, &t->ev[i]) && (!name || !strcmp(tt_event_name(t->ev[i].rec->type), name)))
				break;
	} else {
		for (i = first_at(t, now); i-- > 0;)
			if (matches(v, &t->ev[i]))
				break;
		if (i == (size_t)-1)
			i = t->nev;
	}
	if (i >= t->nev) {
		snprintf(v->msg, sizeof(v->msg), "no such event");
		return;
	}
	v->msg[0] = 0;
	goto_time(v, t->ev[i].ns);
}

/* Returns 0, or 1 if the terminal cannot be used. */
int tt_tui(struct tt_trace *t)
{
	struct view v = { 0 };
	FILE *tty = NULL;
	SCREEN *scr;
	char buf[64];
	int ch;

	if (!isatty(STDIN_FILENO)) {
		tty = fopen("/dev/tty", "r+");
		if (!tty) {
			fprintf(stderr, "ttrace-view: tui needs a terminal (/dev/tty)\n");
			return 1;
		}
	}
	scr = newterm(NULL, tty ? tty : stdout, tty ? tty : stdin);
	if (!scr) {
		fprintf(stderr, "ttrace-view: tui: cannot use terminal type '%s' (terminfo missing?)\n",
			getenv("TERM") ? getenv("TERM") : "");
		if (tty)
			fclose(tty);
		return 1;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	if (has_colors()) {
		start_color();
		for (int i = 0; i < 6; i++)
			init_pair((short)(1 + i), (short)(COLOR_RED + i), COLOR_BLACK);
	}
	v.t = t;
	v.t0 = t->nev ? t->ev[0].ns : 0;
	v.t1 = t->nev ? t->ev[t->nev - 1].ns + 1 : 1;
	v.v0 = v.t0;
	v.v1 = v.t1;
	for (;;) {
		draw(&v);
		ch = getch();
		if (ch == 'q' || ch == ERR)
			break;
		switch (ch) {
		case KEY_LEFT: case 'h': if (v.cur > 0) v.cur--; break;
		case KEY_RIGHT: case 'l': if (v.cur < v.cols - 1) v.cur++; break;
		case KEY_PPAGE: case 'H': {
			uint64_t w = v.v1 - v.v0, d = w / 2;

			d = v.v0 - v.t0 < d ? v.v0 - v.t0 : d;
			v.v0 -= d;
			v.v1 -= d;
			break;
		}
		case KEY_NPAGE: case 'L': {
			uint64_t w = v.v1 - v.v0, d = w / 2;

			d = v.v1 + d > v.t1 ? v.t1 - v.v1 : d;
			v.v0 += d;
			v.v1 += d;
			break;
		}
		case '+': case '=': case 'i': zoom(&v, 1); break;
		case '-': case 'o': zoom(&v, 0); break;
		case '0': v.v0 = v.t0; v.v1 = v.t1; break;
		case 'n': jump(&v, 1, NULL); break;
		case 'p': jump(&v, -1, NULL); break;
		case 'e':
			prompt("event name: ", buf, sizeof(buf));
			jump(&v, 1, buf);
			break;
		case 't':
			prompt("time (s): ", buf, sizeof(buf));
			{
				double s = atof(buf);
				uint64_t ns = s > 0 ? (uint64_t)(s * 1e9) : 0;

				goto_time(&v, ns < v.t0 ? v.t0 : ns >= v.t1 ? v.t1 - 1 : ns);
			}
			break;
		case 'f':
			prompt("filter pid: ", buf, sizeof(buf));
			v.pid = (uint32_t)strtoul(buf, NULL, 10);
			break;
		case 'F': v.pid = 0; break;
		}
	}
	endwin();
	delscreen(scr);
	if (tty)
		fclose(tty);
	return 0;
}
