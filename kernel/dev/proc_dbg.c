/*
 * #proc debugging files (docs/debugging.md; the machinery is in
 * kernel/debug/procdbg*.c and procmem.c):
 *
 *   /proc/PID/mem          the address space: pread/pwrite at a virtual
 *                          address (the file offset), as Linux's
 *   /proc/PID/ctl          commands, one per write: attach, detach, stop,
 *                          cont [TID [SIG]], step TID [SIG], kill,
 *                          dr SLOT ADDR(hex) RW LEN, dr SLOT off
 *   /proc/PID/dbg          the debugger's event stream: whole lines per
 *                          read, blocking (O_NONBLOCK: EAGAIN), poll-able;
 *                          end of file once the process is gone
 *   /proc/PID/task/TID/regs, fpregs   struct abi_user_regs / abi_user_fpregs
 *                          of a stopped thread (abi/ptrace.h), read or written
 *                          whole at offset 0
 *
 * Opening any of them needs the right to debug the process (same ids and
 * dumpable, or root): else EACCES.  The ctl file that attached is the
 * attachment: its close detaches.  Only the attached process may stop,
 * continue, read events or touch registers (EPERM).
 */
#include <kern/dev.h>
#include <kern/vfs.h>
#include <kern/proc.h>
#include <kern/procdbg.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/signal.h>
#include <abi/ptrace.h>
#include <abi/fcntl.h>
#include <abi/poll.h>
#include "proc_internal.h"

bool proc_dbg_kind(int kind)
{
	return kind == PQ_P_MEM || kind == PQ_P_CTL || kind == PQ_P_DBG ||
	       kind == PQ_T_REGS || kind == PQ_T_FPREGS;
}

int proc_dbg_open(struct file *f)
{
	int pid = PROC_QPID(dev_file_qid(f)), err = -ENOENT;
	struct proc *p;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	p = __pid_lookup(pid);
	if (p && p->pid == pid)
		err = procdbg_may_attach(p) ? -EACCES : 0;
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return err;
}

void proc_dbg_close(struct file *f)
{
	u64 qid = dev_file_qid(f);

	if (PROC_QKIND(qid) == PQ_P_CTL)
		procdbg_close(PROC_QPID(qid), f);
}

enum { CMD_ATTACH, CMD_DETACH, CMD_STOP, CMD_CONT, CMD_STEP, CMD_KILL, CMD_DR };

/* Commands and their word counts (name included): from min to max. */
static const struct ctl_cmd {
	int id;
	const char *name;
	int min, max;
} ctl_cmds[] = {
	{ CMD_ATTACH, "attach", 1, 1 }, { CMD_DETACH, "detach", 1, 1 }, { CMD_STOP, "stop", 1, 2 },
	{ CMD_CONT, "cont", 1, 3 }, { CMD_STEP, "step", 2, 3 }, { CMD_KILL, "kill", 1, 1 },
	{ CMD_DR, "dr", 3, 5 },
};

/* The command c names with a word count it takes, or NULL. */
static const struct ctl_cmd *ctl_lookup(const struct dev_cmd *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(ctl_cmds); i++)
		if (!strcmp(ctl_cmds[i].name, c->argv[0]))
			return c->argc >= ctl_cmds[i].min && c->argc <= ctl_cmds[i].max ?
			       &ctl_cmds[i] : NULL;
	return NULL;
}

/* "dr SLOT ADDR RW LEN" or "dr SLOT off": 0 or -errno. */
static int ctl_dr(int pid, const struct dev_cmd *c)
{
	unsigned long slot, rw, len;
	char *end;
	u64 addr;
	int err = dev_cmd_uint(c->argv[1], ABI_DR_SLOTS - 1, &slot);

	if (err)
		return err;
	if (c->argc == 3)
		return strcmp(c->argv[2], "off") ? -EINVAL : procdbg_set_dr(pid, (int)slot, 0, -1, 0);
	addr = strtoul(c->argv[2], &end, 16);
	if (*end)
		return -EINVAL;
	err = dev_cmd_uint(c->argv[3], 3, &rw);
	if (!err)
		err = dev_cmd_uint(c->argv[4], 8, &len);
	return err ? err : procdbg_set_dr(pid, (int)slot, addr, (int)rw, (int)len);
}

/* One ctl command: 0 or -errno. */
static int ctl_write(struct file *f, int pid, const void *buf, size_t n)
{
	const struct ctl_cmd *ct;
	struct dev_cmd c;
	unsigned long tid = 0, sig = 0;
	struct proc *p;
	int err = dev_cmd_parse(&c, buf, n);
	u64 flags;

	if (err)
		return err;
	ct = ctl_lookup(&c);
	if (!ct || (ct->id == CMD_DR && c.argc == 4))
		return -EINVAL;
	if ((ct->id == CMD_CONT || ct->id == CMD_STEP || ct->id == CMD_STOP) && c.argc >= 2) {
		err = dev_cmd_uint(c.argv[1], 0xffffff, &tid);
		if (!err && c.argc == 3)
			err = dev_cmd_uint(c.argv[2], NSIG, &sig);
		if (err)
			return err;
	}
	switch (ct->id) {
	case CMD_ATTACH:
		return procdbg_attach(pid, f);
	case CMD_DETACH:
		return procdbg_detach(pid, NULL);
	case CMD_STOP:
		return procdbg_stop(pid, (int)tid);
	case CMD_CONT:
	case CMD_STEP:
		return procdbg_cont(pid, (int)tid, ct->id == CMD_STEP, (int)sig);
	case CMD_KILL:
		flags = spin_lock_irqsave(&proc_tree_lock);
		p = __pid_lookup(pid);
		err = p && p->pid == pid ? send_signal_proc(p, SIGKILL, NULL) : -ESRCH;
		spin_unlock_irqrestore(&proc_tree_lock, flags);
		return err;
	default:
		return ctl_dr(pid, &c);
	}
}

ssize_t proc_dbg_read(struct file *f, void *buf, size_t n, u64 off)
{
	u64 qid = dev_file_qid(f);
	int pid = PROC_QPID(qid), kind = PROC_QKIND(qid), err;
	size_t sz = kind == PQ_T_REGS ? sizeof(struct abi_user_regs) :
		    sizeof(struct abi_user_fpregs);

	switch (kind) {
	case PQ_P_MEM:
		return procmem_rw(pid, (uintptr_t)off, buf, n, false);
	case PQ_P_DBG:
		return procdbg_read_events(pid, buf, n, f->flags & O_NONBLOCK);
	case PQ_T_REGS:
	case PQ_T_FPREGS:
		if (off)
			return 0;
		if (n < sz)
			return -EINVAL;
		err = procdbg_regs(pid, PROC_QAUX(qid), buf, kind == PQ_T_FPREGS, false);
		return err ? err : (ssize_t)sz;
	case PQ_P_CTL:
		return 0;
	default:
		return -EINVAL;
	}
}

ssize_t proc_dbg_write(struct file *f, const void *buf, size_t n, u64 off)
{
	u64 qid = dev_file_qid(f);
	int pid = PROC_QPID(qid), kind = PROC_QKIND(qid), err;
	size_t sz = kind == PQ_T_REGS ? sizeof(struct abi_user_regs) :
		    sizeof(struct abi_user_fpregs);

	switch (kind) {
	case PQ_P_MEM:
		return procmem_rw(pid, (uintptr_t)off, (void *)buf, n, true);
	case PQ_P_CTL:
		err = ctl_write(f, pid, buf, n);
		return err ? err : (ssize_t)n;
	case PQ_T_REGS:
	case PQ_T_FPREGS:
		if (off || n != sz)
			return -EINVAL;
		err = procdbg_regs(pid, PROC_QAUX(qid), (void *)buf, kind == PQ_T_FPREGS, true);
		return err ? err : (ssize_t)n;
	default:
		return -EINVAL;
	}
}

u32 proc_dbg_poll(struct file *f)
{
	u64 qid = dev_file_qid(f);

	if (PROC_QKIND(qid) != PQ_P_DBG)
		return POLLIN | POLLOUT;
	return procdbg_events_ready(PROC_QPID(qid)) ? POLLIN : 0;
}
