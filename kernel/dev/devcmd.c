/*
 * Commands written to a device's ctl file (9front's parsecmd/lookupcmd):
 * one write is one command, words separated by blanks, with at most one
 * trailing newline.  The device looks the first word up in its table of
 * commands (name and number of words) and converts numeric arguments with
 * dev_cmd_uint; every step has its own errno (kern/dev.h), so a shell user
 * can tell "no such command" (-EINVAL) from "number too big" (-ERANGE).
 */
#include <kern/dev.h>
#include <kern/string.h>
#include <kern/errno.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int dev_cmd_parse(struct dev_cmd *cmd, const void *buf, size_t n)
{
	const char *src = buf;
	char *p;

	if (n && src[n - 1] == '\n')
		n--;
	if (n >= DEV_CMD_LEN)
		return -E2BIG;
	for (size_t i = 0; i < n; i++)
		if (src[i] == '\0' || src[i] == '\n')
			return -EINVAL;
	memcpy(cmd->buf, src, n);
	cmd->buf[n] = '\0';
	cmd->argc = 0;
	for (p = cmd->buf; *p;) {
		if (is_blank(*p)) {
			*p++ = '\0';
			continue;
		}
		if (cmd->argc == DEV_CMD_MAXARGS)
			return -EINVAL;
		cmd->argv[cmd->argc++] = p;
		while (*p && !is_blank(*p))
			p++;
	}
	return cmd->argc ? 0 : -EINVAL;
}

const struct dev_cmdtab *dev_cmd_lookup(const struct dev_cmd *cmd, const struct dev_cmdtab *tab,
					size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(tab[i].name, cmd->argv[0]))
			return tab[i].argc == cmd->argc ? &tab[i] : NULL;
	return NULL;
}

int dev_cmd_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	bool range = false;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned long d = (unsigned long)(*s - '0');

		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (range || v > max / 10 || d > max - v * 10)
			range = true;
		else
			v = v * 10 + d;
	}
	if (range)
		return -ERANGE;
	*out = v;
	return 0;
}
