/*
 * The remote protocol, all-stop: every stop of one thread stops them
 * all, and a stop reply names the thread and why (swbreak, hwbreak,
 * watch/rwatch/awatch with the address).  Packets: qSupported,
 * QStartNoAckMode, ?, g G p P, m M X, Z0-Z4 z0-z4, vCont (c C s S),
 * c C s S, H, T, qC, qfThreadInfo qsThreadInfo, qThreadExtraInfo,
 * qAttached, qXfer:features:read, qXfer:threads:read,
 * qXfer:exec-file:read, qXfer:auxv:read, D, k, qRcmd (monitor.c), vFile
 * (hostio.c); in
 * non-stop mode QNonStop, vStopped, vCont;t and '?' (nonstop.c); with
 * --multi also vRun, vAttach, vKill and D;PID (multi.c) and thread ids
 * pPID.TID; anything else gets the empty reply ("not supported").  Every
 * argument is checked: a malformed packet gets E01 and changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gdbserver.h"

/* Linux signal numbers 1-31 to GDB's (gdb/signals.def). */
static const uint8_t to_gdb[32] = {
	0, 1, 2, 3, 4, 5, 6, 10, 8, 9, 30, 11, 31, 13, 14, 15,
	143, 20, 19, 17, 18, 21, 22, 16, 24, 25, 26, 27, 28, 23, 32, 12,
};

int gdb_signal(int s)
{
	if (s == 0)
		return 0;			/* GDB_SIGNAL_0: no signal */
	return s > 0 && s < 32 ? to_gdb[s] : 143;	/* GDB_SIGNAL_UNKNOWN */
}

int linux_signal(int g)
{
	for (int s = 1; s < 32; s++)
		if (to_gdb[s] == g)
			return s;
	return 0;
}

bool parse_thread(struct server *s, const char **p, int *tid)
{
	bool ok = true;
	int pid = 0;

	if (**p == 'p') {
		(*p)++;
		if (!strncmp(*p, "-1", 2)) {
			*p += 2;
			pid = -1;
		} else {
			pid = (int)parse_hex(p, &ok);
		}
		if (!ok || (pid > 0 && pid != s->pid))
			return false;
		if (**p != '.') {
			*tid = pid ? -1 : 0;	/* every thread of the process, or any */
			return true;
		}
		(*p)++;
	}
	if (!strncmp(*p, "-1", 2)) {
		*p += 2;
		*tid = -1;
		return true;
	}
	*tid = (int)parse_hex(p, &ok);
	return ok && *tid >= 0;
}

void fmt_thread(const struct server *s, char *buf, size_t n, int tid)
{
	if (s->multiprocess)
		snprintf(buf, n, "p%x.%x", s->pid, tid);
	else
		snprintf(buf, n, "%x", tid);
}

static int reply(struct server *s, const char *str)
{
	return rsp_send_str(s->link, str);
}

static int err_reply(struct server *s)
{
	return reply(s, "E01");
}

/* The thread a g/G/p/P/m applies to. */
static int cur_thread(struct server *s)
{
	int tids[1];

	if (s->gthread > 0)
		return s->gthread;
	if (s->last.tid > 0)
		return s->last.tid;
	return s->ops->threads(s->t, tids, 1) > 0 ? tids[0] : s->pid;
}

void stop_reply_text(const struct server *s, const struct stop_info *si, char *buf, size_t len)
{
	const struct hwslot *h;
	int n;

	switch (si->kind) {
	case STOP_EXITED:
		n = snprintf(buf, len, "W%02x", si->status & 0xff);
		goto ended;
	case STOP_KILLED:
		n = snprintf(buf, len, "X%02x", gdb_signal(si->sig));
		goto ended;
	case STOP_SIGNAL:	/* signal 0: stopped by the debugger (attach, vCont;t) */
		n = snprintf(buf, len, "T%02x", si->sig ? gdb_signal(si->sig) : 0);
		break;
	case STOP_INTERRUPT:
		n = snprintf(buf, len, "T%02x", gdb_signal(2));
		break;
	case STOP_BREAK:
		n = snprintf(buf, len, "T05swbreak:;");
		break;
	case STOP_HWBREAK:
		n = snprintf(buf, len, "T05hwbreak:;");
		break;
	case STOP_WATCH:
		h = &s->hw[si->slot & 3];
		if (h->type == 1) {
			n = snprintf(buf, len, "T05hwbreak:;");
			break;
		}
		n = snprintf(buf, len, "T05%s:%llx;",
			     h->type == 2 ? "watch" : h->type == 3 ? "rwatch" : "awatch",
			     (unsigned long long)h->addr);
		break;
	default:	/* STOP_STEP, STOP_EXEC */
		n = snprintf(buf, len, "T05");
		break;
	}
	n += snprintf(buf + n, len - (size_t)n, "thread:");
	fmt_thread(s, buf + n, len - (size_t)n, si->tid);
	strncat(buf, ";", len - strlen(buf) - 1);
	return;
ended:
	if (s->multiprocess)
		snprintf(buf + n, len - (size_t)n, ";process:%x", s->pid);
}

int server_stop_reply(struct server *s, const struct stop_info *si)
{
	char buf[128];

	s->last = *si;
	stop_reply_text(s, si, buf, sizeof(buf));
	if (si->kind == STOP_EXITED || si->kind == STOP_KILLED)
		s->done = true;
	else if (si->tid > 0)
		s->gthread = si->tid;
	return reply(s, buf);
}

/* Serve [off, off+len) of text as a qXfer reply (m... or l...). */
static int xfer_reply(struct server *s, const char *text, size_t tlen, const char *args)
{
	const char *p = args;
	bool ok = true;
	uint64_t off = parse_hex(&p, &ok), len;
	char *out;
	int r;

	if (*p++ != ',')
		ok = false;
	len = parse_hex(&p, &ok);
	if (!ok || *p)
		return err_reply(s);
	if (off >= tlen)
		return reply(s, "l");
	if (len > PKT_MAX / 2)
		len = PKT_MAX / 2;
	out = malloc(len + 2);
	if (!out)
		return err_reply(s);
	if (len >= tlen - off) {
		len = tlen - off;
		out[0] = 'l';
	} else {
		out[0] = 'm';
	}
	memcpy(out + 1, text + off, len);
	r = rsp_send(s->link, out, len + 1);
	free(out);
	return r;
}

/* <threads> XML of every thread with name and core. */
static int threads_xml(struct server *s, char **out, size_t *outlen)
{
	static int tids[MAX_THREADS];
	int n = s->ops->threads(s->t, tids, MAX_THREADS);
	size_t cap = 64 + (size_t)(n > 0 ? n : 0) * 128, len = 0;
	char *b = malloc(cap);

	if (!b)
		return -1;
	len += (size_t)snprintf(b + len, cap - len, "<?xml version=\"1.0\"?>\n<threads>\n");
	for (int i = 0; i < n; i++) {
		char name[33] = "", corestr[24] = "", id[32];
		int core = -1;

		s->ops->thread_info(s->t, tids[i], name, sizeof(name), &core);
		for (char *c = name; *c; c++)
			if (*c == '<' || *c == '&' || *c == '"' || *c == '>')
				*c = '_';
		if (core >= 0)	/* gdb takes an unsigned core: none when unknown */
			snprintf(corestr, sizeof(corestr), " core=\"%d\"", core);
		fmt_thread(s, id, sizeof(id), tids[i]);
		len += (size_t)snprintf(b + len, cap - len,
					"<thread id=\"%s\"%s name=\"%s\"/>\n",
					id, corestr, name);
	}
	len += (size_t)snprintf(b + len, cap - len, "</threads>\n");
	*out = b;
	*outlen = len;
	return 0;
}

static int handle_query(struct server *s, char *pkt)
{
	static int tids[MAX_THREADS];
	char buf[PKT_MAX];
	int n;

	if (!strncmp(pkt, "qSupported", 10)) {
		/* pPID.TID only with --multi: one process needs no pid in its thread ids. */
		s->multiprocess = s->extended && strstr(pkt, "multiprocess+") != NULL;
		snprintf(buf, sizeof(buf), "PacketSize=%x;QStartNoAckMode+;qXfer:features:read+;"
			 "qXfer:threads:read+;qXfer:exec-file:read+;qXfer:auxv:read+;swbreak+;hwbreak+;"
			 "vContSupported+%s%s", PKT_MAX, s->extended ? ";multiprocess+" : "",
			 s->ops->stop_thread ? ";QNonStop+" : "");
		return reply(s, buf);
	}
	if (!strncmp(pkt, "qRcmd,", 6))
		return server_monitor(s, pkt + 6);
	if (!strcmp(pkt, "qC")) {
		buf[0] = 'Q';
		buf[1] = 'C';
		fmt_thread(s, buf + 2, sizeof(buf) - 2, cur_thread(s));
		return reply(s, buf);
	}
	if (!strcmp(pkt, "qAttached"))
		return reply(s, s->attached ? "1" : "0");
	if (!strcmp(pkt, "qfThreadInfo")) {
		size_t o = 1;

		n = s->ops->threads(s->t, tids, MAX_THREADS);
		if (n <= 0)
			return reply(s, "l");
		buf[0] = 'm';
		for (int i = 0; i < n && o < sizeof(buf) - 40; i++) {
			if (i)
				buf[o++] = ',';
			fmt_thread(s, buf + o, sizeof(buf) - o, tids[i]);
			o += strlen(buf + o);
		}
		return reply(s, buf);
	}
	if (!strcmp(pkt, "qsThreadInfo"))
		return reply(s, "l");
	if (!strncmp(pkt, "qThreadExtraInfo,", 17)) {
		const char *p = pkt + 17;
		char name[33] = "";
		int core = -1, tid = 0;

		if (!parse_thread(s, &p, &tid) || *p || tid <= 0 ||
		    s->ops->thread_info(s->t, tid, name, sizeof(name), &core))
			return err_reply(s);
		to_hex(buf, name, strlen(name));
		return reply(s, buf);
	}
	if (!strncmp(pkt, "qXfer:features:read:", 20)) {
		char *annex = pkt + 20, *colon = strchr(annex, ':');
		const char *x;

		if (!colon)
			return err_reply(s);
		*colon = 0;
		x = tdesc_xml(annex);
		if (!x)
			return reply(s, "E00");
		return xfer_reply(s, x, strlen(x), colon + 1);
	}
	if (!strncmp(pkt, "qXfer:threads:read::", 20)) {
		char *x;
		size_t xl;
		int r;

		if (threads_xml(s, &x, &xl))
			return err_reply(s);
		r = xfer_reply(s, x, xl, pkt + 20);
		free(x);
		return r;
	}
	if (!strncmp(pkt, "qXfer:exec-file:read:", 21)) {
		char *annex = pkt + 21, *colon = strchr(annex, ':');

		if (!colon)
			return err_reply(s);
		n = s->ops->exec_file(s->t, buf, sizeof(buf) - 1);
		if (n < 0)
			return err_reply(s);
		return xfer_reply(s, buf, (size_t)n, colon + 1);
	}
	if (!strncmp(pkt, "qXfer:auxv:read::", 17)) {
		n = s->ops->auxv(s->t, buf, sizeof(buf));
		if (n < 0)
			return err_reply(s);
		return xfer_reply(s, buf, (size_t)n, pkt + 17);
	}
	if (!strcmp(pkt, "qSymbol::"))
		return reply(s, "OK");
	return reply(s, "");
}

/* g: every register of the current thread as hex. */
static int regs_read_all(struct server *s)
{
	struct abi_user_regs r;
	struct abi_user_fpregs f;
	static char hex[2 * 1024 + 1];
	size_t o = 0;
	uint8_t v[16];

	if (s->ops->get_regs(s->t, cur_thread(s), &r, &f))
		return err_reply(s);
	for (int n = 0; n < NREGS; n++) {
		int sz = reg_size(n);

		reg_get(n, &r, &f, v);
		to_hex(hex + o, v, (size_t)sz);
		o += 2 * (size_t)sz;
	}
	return rsp_send(s->link, hex, o);
}

/* G (hex of every register) or P n=v: 0 reply sent. */
static int regs_write(struct server *s, const char *pkt, bool one)
{
	struct abi_user_regs r;
	struct abi_user_fpregs f;
	uint8_t v[16];
	int tid = cur_thread(s);

	if (s->ops->get_regs(s->t, tid, &r, &f))
		return err_reply(s);
	if (one) {
		const char *p = pkt + 1;
		bool ok = true;
		uint64_t n = parse_hex(&p, &ok);
		int sz = ok && n < NREGS ? reg_size((int)n) : 0;

		if (!sz || *p++ != '=' || strlen(p) != 2 * (size_t)sz || from_hex(v, p, (size_t)sz))
			return err_reply(s);
		reg_set((int)n, &r, &f, v);
	} else {
		const char *p = pkt + 1;
		size_t len = strlen(p), o = 0;

		for (int n = 0; n < NREGS && o < len; n++) {
			size_t sz = (size_t)reg_size(n);

			if (o + 2 * sz > len || from_hex(v, p + o, sz))
				return err_reply(s);
			reg_set(n, &r, &f, v);
			o += 2 * sz;
		}
		if (o != len)
			return err_reply(s);
	}
	if (s->ops->set_regs(s->t, tid, &r, &f))
		return err_reply(s);
	return reply(s, "OK");
}

/* p n: one register. */
static int reg_read_one(struct server *s, const char *pkt)
{
	struct abi_user_regs r;
	struct abi_user_fpregs f;
	const char *p = pkt + 1;
	bool ok = true;
	uint64_t n = parse_hex(&p, &ok);
	uint8_t v[16];
	char hex[40];

	if (!ok || *p || n >= NREGS || s->ops->get_regs(s->t, cur_thread(s), &r, &f))
		return err_reply(s);
	reg_get((int)n, &r, &f, v);
	to_hex(hex, v, (size_t)reg_size((int)n));
	return reply(s, hex);
}

/* Parse "ADDR,LEN" at p; *p after it.  false if malformed. */
static bool addr_len(const char **p, uint64_t *addr, uint64_t *len)
{
	bool ok = true;

	*addr = parse_hex(p, &ok);
	if (**p != ',')
		return false;
	(*p)++;
	*len = parse_hex(p, &ok);
	return ok;
}

/* Bytes of target memory as gdb should see them: our int3s hidden. */
static int mem_read(struct server *s, uint64_t addr, uint8_t *buf, size_t len)
{
	int n = s->ops->read_mem(s->t, addr, buf, len);

	for (int i = 0; n > 0 && i < NSWBP; i++)
		if (s->bp[i].used && s->bp[i].addr >= addr && s->bp[i].addr < addr + (uint64_t)n)
			buf[s->bp[i].addr - addr] = s->bp[i].orig;
	return n;
}

static int handle_mem(struct server *s, char *pkt, size_t pktlen)
{
	static uint8_t data[PKT_MAX];
	static char hex[PKT_MAX + 1];
	const char *p = pkt + 1;
	uint64_t addr, len;
	int n;

	if (!addr_len(&p, &addr, &len))
		return err_reply(s);
	if (pkt[0] == 'm') {
		if (*p || len > PKT_MAX / 2)
			return err_reply(s);
		n = mem_read(s, addr, data, (size_t)len);
		if (n <= 0)
			return err_reply(s);
		to_hex(hex, data, (size_t)n);
		return rsp_send(s->link, hex, 2 * (size_t)n);
	}
	if (*p++ != ':' || len > PKT_MAX)
		return err_reply(s);
	if (pkt[0] == 'M') {
		if (strlen(p) != 2 * len || from_hex(data, p, (size_t)len))
			return err_reply(s);
	} else {	/* X: binary, escaped */
		size_t raw = pktlen - (size_t)(p - pkt);

		raw = rsp_unescape((char *)p, raw);
		if (raw != len)
			return err_reply(s);
		memcpy(data, p, (size_t)len);
	}
	if (len == 0)
		return reply(s, "OK");
	n = s->ops->write_mem(s->t, addr, data, (size_t)len);
	return (uint64_t)n == len ? reply(s, "OK") : err_reply(s);
}

/* Z/z: insert or remove a breakpoint or watchpoint. */
static int handle_bp(struct server *s, const char *pkt)
{
	bool insert = pkt[0] == 'Z', ok = true;
	const char *p = pkt + 1;
	uint64_t type = parse_hex(&p, &ok), addr, kind;
	static const uint8_t int3 = 0xcc;

	if (!ok || *p++ != ',' || !addr_len(&p, &addr, &kind) || (*p && *p != ';'))
		return err_reply(s);
	if (type == 0) {
		struct swbp *free_slot = NULL;

		for (int i = 0; i < NSWBP; i++) {
			if (s->bp[i].used && s->bp[i].addr == addr) {
				if (insert)
					return reply(s, "OK");
				if (s->ops->write_mem(s->t, addr, &s->bp[i].orig, 1) != 1)
					return err_reply(s);
				s->bp[i].used = false;
				nonstop_bp_removed(s, addr);
				return reply(s, "OK");
			}
			if (!s->bp[i].used && !free_slot)
				free_slot = &s->bp[i];
		}
		if (!insert)
			return reply(s, "OK");
		if (!free_slot || s->ops->read_mem(s->t, addr, &free_slot->orig, 1) != 1 ||
		    s->ops->write_mem(s->t, addr, &int3, 1) != 1)
			return err_reply(s);
		free_slot->addr = addr;
		free_slot->used = true;
		return reply(s, "OK");
	}
	if (type > 4)
		return reply(s, "");
	if (type == 1)
		kind = 1;
	for (int i = 0; i < 4; i++) {
		struct hwslot *h = &s->hw[i];

		if (!insert && h->type == (int)type && h->addr == addr && h->len == (int)kind) {
			s->ops->set_hw(s->t, i, 0, -1, 0);
			h->type = 0;
			return reply(s, "OK");
		}
		if (insert && !h->type) {
			int rw = type == 1 ? 0 : type == 2 ? 1 : 3;

			if (s->ops->set_hw(s->t, i, addr, rw, (int)kind))
				return err_reply(s);
			h->type = (int)type;
			h->addr = addr;
			h->len = (int)kind;
			return reply(s, "OK");
		}
	}
	return err_reply(s);	/* no slot free, or not inserted */
}

/* The stop after a resume: wait, hide our int3 (pc back on it), reply. */
static int resume_and_wait(struct server *s)
{
	struct stop_info si;
	struct abi_user_regs r;
	struct abi_user_fpregs f;

	if (s->ops->wait(s->t, s->io, &si))
		return -1;
	if (si.kind == STOP_BREAK) {
		bool ours = false;

		if (!s->ops->get_regs(s->t, si.tid, &r, &f)) {
			for (int i = 0; i < NSWBP; i++)
				if (s->bp[i].used && s->bp[i].addr == r.rip - 1)
					ours = true;
			if (ours) {
				r.rip--;
				s->ops->set_regs(s->t, si.tid, &r, &f);
			}
		}
		if (!ours) {	/* an int3 the program has itself */
			si.kind = STOP_SIGNAL;
			si.sig = 5;
		}
	}
	return server_stop_reply(s, &si);
}

/* vCont;ACTION[:TID]... (and c/s/C/S): resume as asked, then wait. */
static int handle_vcont(struct server *s, char *pkt)
{
	static int tids[MAX_THREADS];
	int n = s->ops->threads(s->t, tids, MAX_THREADS);
	char *p = pkt + 5;
	int done[MAX_THREADS] = { 0 };

	if (n <= 0)
		return err_reply(s);
	if (!strcmp(p, ";c")) {
		/* Every thread: one kernel command, so none gets a head start. */
		if (s->ops->resume(s->t, 0, false, 0))
			return err_reply(s);
		return resume_and_wait(s);
	}
	while (*p == ';') {
		char act = *++p;
		int sig = 0, tid = -1;
		bool ok = true;
		const char *q;

		if (act != 'c' && act != 's' && act != 'C' && act != 'S')
			return err_reply(s);
		p++;
		if (act == 'C' || act == 'S') {
			q = p;
			sig = linux_signal((int)parse_hex(&q, &ok));
			p = (char *)q;
		}
		if (*p == ':') {
			q = p + 1;
			if (!parse_thread(s, &q, &tid))
				return err_reply(s);
			p = (char *)q;
			if (tid == 0)
				tid = -1;
		}
		if (!ok || (*p && *p != ';'))
			return err_reply(s);
		for (int i = 0; i < n; i++) {
			if (done[i] || (tid > 0 && tids[i] != tid))
				continue;
			done[i] = 1;
			if (s->ops->resume(s->t, tids[i], act == 's' || act == 'S', sig))
				return err_reply(s);
		}
	}
	if (*p)
		return err_reply(s);
	return resume_and_wait(s);
}

/* c/s/C/S [addr]: the current thread steps, or all continue. */
static int handle_resume(struct server *s, const char *pkt)
{
	const char *p = pkt + 1;
	bool ok = true, step = pkt[0] == 's' || pkt[0] == 'S';
	int sig = 0;

	if (pkt[0] == 'C' || pkt[0] == 'S') {
		sig = linux_signal((int)parse_hex(&p, &ok));
		if (*p == ';')
			p++;
	}
	if (*p) {
		struct abi_user_regs r;
		struct abi_user_fpregs f;
		uint64_t addr = parse_hex(&p, &ok);

		if (!ok || *p || s->ops->get_regs(s->t, cur_thread(s), &r, &f))
			return err_reply(s);
		r.rip = addr;
		if (s->ops->set_regs(s->t, cur_thread(s), &r, &f))
			return err_reply(s);
	}
	if (!ok || s->ops->resume(s->t, step ? cur_thread(s) : 0, step, sig))
		return err_reply(s);
	return resume_and_wait(s);
}

void server_remove_all(struct server *s)
{
	for (int i = 0; i < NSWBP; i++)
		if (s->bp[i].used) {
			s->ops->write_mem(s->t, s->bp[i].addr, &s->bp[i].orig, 1);
			s->bp[i].used = false;
		}
	for (int i = 0; i < 4; i++)
		if (s->hw[i].type) {
			s->ops->set_hw(s->t, i, 0, -1, 0);
			s->hw[i].type = 0;
		}
}

int server_packet(struct server *s, char *pkt, size_t len)
{
	const char *p;
	bool ok = true;
	int tid;

	int r;

	if ((r = hostio_packet(s, pkt)) != 1)
		return r;
	if (s->extended && (r = multi_packet(s, pkt)) != 1)
		return r;
	if ((r = nonstop_packet(s, pkt)) != 1)
		return r;
	switch (pkt[0]) {
	case '?':
		return server_stop_reply(s, &s->last);
	case 'g':
		return pkt[1] ? err_reply(s) : regs_read_all(s);
	case 'G':
		return regs_write(s, pkt, false);
	case 'p':
		return reg_read_one(s, pkt);
	case 'P':
		return regs_write(s, pkt, true);
	case 'm':
	case 'M':
	case 'X':
		return handle_mem(s, pkt, len);
	case 'Z':
	case 'z':
		return handle_bp(s, pkt);
	case 'c':
	case 'C':
	case 's':
	case 'S':
		return handle_resume(s, pkt);
	case 'H':
		if (pkt[1] != 'g' && pkt[1] != 'c')
			return err_reply(s);
		p = pkt + 2;
		if (!parse_thread(s, &p, &tid) || *p)
			return err_reply(s);
		if (pkt[1] == 'g')
			s->gthread = tid > 0 ? tid : 0;
		else
			s->cthread = tid;
		return reply(s, "OK");
	case 'T': {
		static int tids[MAX_THREADS];
		int n = s->ops->threads(s->t, tids, MAX_THREADS);

		p = pkt + 1;
		ok = parse_thread(s, &p, &tid);
		for (int i = 0; ok && !*p && i < n; i++)
			if (tids[i] == tid)
				return reply(s, "OK");
		return err_reply(s);
	}
	case 'D':
		if (pkt[1] && pkt[1] != ';')
			return err_reply(s);
		server_remove_all(s);
		if (s->ops->detach(s->t))
			return err_reply(s);
		s->done = true;
		return reply(s, "OK");
	case 'k':
		server_remove_all(s);
		s->ops->kill(s->t);
		s->done = true;
		return 0;	/* no reply to k */
	case 'q':
		return handle_query(s, pkt);
	case 'Q':
		if (!strcmp(pkt, "QStartNoAckMode")) {
			int r = reply(s, "OK");

			s->link->noack = true;
			return r;
		}
		return reply(s, "");
	case 'v':
		if (!strcmp(pkt, "vCont?"))
			return reply(s, s->ops->stop_thread ? "vCont;c;C;s;S;t" : "vCont;c;C;s;S");
		if (!strncmp(pkt, "vCont;", 6))
			return handle_vcont(s, pkt);
		if (!strncmp(pkt, "vKill", 5)) {
			server_remove_all(s);
			s->ops->kill(s->t);
			s->done = true;
			return reply(s, "OK");
		}
		return reply(s, "");
	default:
		return reply(s, "");
	}
}
