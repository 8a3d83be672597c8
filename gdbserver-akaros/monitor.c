/*
 * gdb's `monitor CMD` (qRcmd,HEX): the command's text goes back as
 * console-output packets (O + hex, at most OUT_CHUNK bytes each) and the
 * reply is OK, as GNU gdbserver does.  Commands:
 *   help      the list below
 *   vcores    an MCP's vcores: the physical core each holds, its state,
 *             and what it runs (target_ops.monitor, mcp.c)
 *   uthreads  an MCP's uthreads: id, name, state, vcore (mcp.c)
 *   exit      quit gdbserver-akaros right after the reply (a process it
 *             started is killed, one it attached to let go): GNU's
 *             `monitor exit`, the way out of --multi
 * An unknown command prints GNU's "Unknown monitor command." and the
 * list, and gets E01 (gdb: "Protocol error with Rcmd").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gdbserver.h"

#define CMD_MAX		256
#define OUT_MAX		(64 * 1024)
#define OUT_CHUNK	(PKT_MAX / 2 - 1)

static const char help_text[] =
	"The following monitor commands are supported:\n"
	"  help\n"
	"    Print this message\n"
	"  vcores\n"
	"    Each vcore of the MCP: the physical core it holds, its state, what it runs\n"
	"  uthreads\n"
	"    Each uthread of the MCP: id, name, state, vcore\n"
	"  exit\n"
	"    Quit gdbserver-akaros\n";

/* Send text as O packets: 0 or -1 (link gone). */
static int console_out(struct server *s, const char *text, size_t len)
{
	static char pkt[1 + 2 * OUT_CHUNK + 1];

	while (len) {
		size_t n = len < OUT_CHUNK ? len : OUT_CHUNK;

		pkt[0] = 'O';
		to_hex(pkt + 1, text, n);
		if (rsp_send(s->link, pkt, 1 + 2 * n))
			return -1;
		text += n;
		len -= n;
	}
	return 0;
}

int server_monitor(struct server *s, const char *hex)
{
	size_t hl = strlen(hex), cl = hl / 2;
	char cmd[CMD_MAX + 1], *out;
	int n;

	if (hl % 2 || hl / 2 > CMD_MAX || from_hex(cmd, hex, hl / 2))
		return rsp_send_str(s->link, "E01");
	cmd[cl] = 0;
	while (cl && (cmd[cl - 1] == ' ' || cmd[cl - 1] == '\n'))
		cmd[--cl] = 0;
	if (!strcmp(cmd, "help")) {
		if (console_out(s, help_text, sizeof(help_text) - 1))
			return -1;
		return rsp_send_str(s->link, "OK");
	}
	if (!strcmp(cmd, "exit")) {
		s->exit_requested = true;
		return rsp_send_str(s->link, "OK");
	}
	out = malloc(OUT_MAX);
	if (!out)
		return rsp_send_str(s->link, "E01");
	if (!s->has_process && (!strcmp(cmd, "vcores") || !strcmp(cmd, "uthreads")))
		n = snprintf(out, OUT_MAX, "No process.\n");
	else
		n = s->ops->monitor ? s->ops->monitor(s->t, cmd, out, OUT_MAX) : -ENOENT;
	if (n == -ENOENT) {
		n = snprintf(out, OUT_MAX, "Unknown monitor command.\n\n%s", help_text);
		n = console_out(s, out, (size_t)n) ? -1 : rsp_send_str(s->link, "E01");
		free(out);
		return n;
	}
	if (n < 0)
		n = snprintf(out, OUT_MAX, "%s: %s\n", cmd, strerror(-n));
	if (n > OUT_MAX - 1)
		n = OUT_MAX - 1;
	n = console_out(s, out, (size_t)n) ? -1 : rsp_send_str(s->link, "OK");
	free(out);
	return n;
}
