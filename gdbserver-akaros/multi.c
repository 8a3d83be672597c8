/*
 * Extended-remote (--multi): the server outlives the processes it serves.
 * gdb's `target extended-remote` finds no process ('?' gets W00), then
 * `run` sends vRun;PROG;ARGS (hex) and `attach PID` vAttach;PID, each
 * answered with the new process's stop reply; `kill` is vKill;PID and
 * `detach` D;PID, after which the server waits for the next one.  main.c
 * supplies the process side (server.spawn, attach_pid, release); with
 * gdb's multiprocess+ every thread id is pPID.TID (server.c).  One
 * process at a time: a vRun or vAttach while one is being debugged gets
 * E01, as GNU gdbserver's does when gdb has not killed or detached it.
 * Messages are GNU gdbserver's (main.c prints them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gdbserver.h"

#define MAX_ARGS	32
#define ARG_MAX_LEN	1024

/* The last program run: an empty vRun program name runs it again. */
static char last_prog[ARG_MAX_LEN + 1];

static int reply(struct server *s, const char *str)
{
	return rsp_send_str(s->link, str);
}

/* Decode the hex argument at p (up to ';' or the end) into out: its end, NULL if malformed. */
static const char *hex_arg(const char *p, char *out, size_t cap)
{
	const char *e = strchr(p, ';');
	size_t hl = e ? (size_t)(e - p) : strlen(p);

	if (hl % 2 || hl / 2 >= cap || from_hex(out, p, hl / 2))
		return NULL;
	out[hl / 2] = 0;
	if (strlen(out) != hl / 2)	/* a NUL inside */
		return NULL;
	return p + hl;
}

/* vRun;PROG[;ARG]...: start it and reply with its first stop. */
static int handle_vrun(struct server *s, const char *p)
{
	static char args[MAX_ARGS][ARG_MAX_LEN + 1];
	char *argv[MAX_ARGS + 1];
	int argc = 0, err;

	if (s->has_process || !s->spawn)
		return reply(s, "E01");
	while (*p == ';') {
		if (argc == MAX_ARGS)
			return reply(s, "E01");
		p = hex_arg(p + 1, args[argc], sizeof(args[argc]));
		if (!p)
			return reply(s, "E01");
		argv[argc] = args[argc];
		argc++;
	}
	if (*p || !argc)
		return reply(s, "E01");
	if (!args[0][0]) {
		if (!last_prog[0])
			return reply(s, "E01");
		snprintf(args[0], sizeof(args[0]), "%s", last_prog);
	}
	argv[argc] = NULL;
	snprintf(last_prog, sizeof(last_prog), "%s", args[0]);
	err = s->spawn(s, argv);
	if (err)
		return reply(s, "E01");
	s->has_process = true;
	return server_stop_reply(s, &s->last);
}

/* vAttach;PID: attach, stop it, reply with the stop. */
static int handle_vattach(struct server *s, const char *p)
{
	bool ok = true;
	int pid = (int)parse_hex(&p, &ok);

	if (!ok || *p || pid <= 0 || s->has_process || !s->attach_pid)
		return reply(s, "E01");
	if (s->attach_pid(s, pid))
		return reply(s, "E01");
	s->has_process = true;
	return server_stop_reply(s, &s->last);
}

/* vKill;PID: kill the process being debugged. */
static int handle_vkill(struct server *s, const char *p)
{
	bool ok = true;
	int pid = (int)parse_hex(&p, &ok);

	if (!ok || *p || !s->has_process || pid != s->pid)
		return reply(s, "E01");
	server_remove_all(s);
	s->ops->kill(s->t);
	memset(&s->last, 0, sizeof(s->last));
	s->last.kind = STOP_KILLED;
	s->last.sig = 9;
	s->done = true;
	return reply(s, "OK");
}

/* Packets that need no process (the rest get E01 while there is none). */
static bool processless(const char *pkt)
{
	static const char *const ok[] = { "qSupported", "QStartNoAckMode", "qRcmd,", "vCont?",
					  "qXfer:features:read:", "qSymbol", "vMustReplyEmpty",
					  "QNonStop:" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strncmp(pkt, ok[i], strlen(ok[i])))
			return true;
	return false;
}

int multi_packet(struct server *s, char *pkt)
{
	if (pkt[0] == '!')
		return reply(s, "OK");
	if (!strncmp(pkt, "vRun;", 5))
		return handle_vrun(s, pkt + 4);
	if (!strncmp(pkt, "vAttach;", 8))
		return handle_vattach(s, pkt + 8);
	if (!strncmp(pkt, "vKill;", 6))
		return handle_vkill(s, pkt + 6);
	if (s->has_process || processless(pkt))
		return 1;
	switch (pkt[0]) {
	case '?':
		return reply(s, "W00");
	case 'H':
		return reply(s, "OK");
	case 'k':
		return 0;	/* nothing to kill; k has no reply */
	case 'q':
		if (!strcmp(pkt, "qfThreadInfo") || !strcmp(pkt, "qsThreadInfo"))
			return reply(s, "l");
		if (!strcmp(pkt, "qAttached") || !strncmp(pkt, "qXfer:", 6) ||
		    !strncmp(pkt, "qThreadExtraInfo", 16) || !strcmp(pkt, "qC"))
			return reply(s, "E01");
		return reply(s, "");
	case 'v':
		return reply(s, strncmp(pkt, "vCont;", 6) ? "" : "E01");
	default:
		return reply(s, "E01");
	}
}

void multi_forget(struct server *s)
{
	memset(s->bp, 0, sizeof(s->bp));
	memset(s->hw, 0, sizeof(s->hw));
	s->gthread = s->cthread = 0;
	s->attached = false;
	s->has_process = false;
	s->done = false;
}
