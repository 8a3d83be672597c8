/*
 * libFuzzer harness for gdbserver-akaros's protocol side: the input is a
 * byte stream from "gdb" fed to the packet parser (gdbserver-akaros/rsp.c),
 * and every packet it accepts goes to the server (server.c, regs.c)
 * against a fake target (64 KiB of memory, two threads, stops at once).
 * An input starting with '!' runs the server in --multi mode
 * (multi.c: vRun, vAttach, vKill, pPID.TID ids, no process at first);
 * qRcmd goes through monitor.c in both; QNonStop:1 turns non-stop on
 * (nonstop.c), whose events come from a fake queue fed by the input.
 * ASan/UBSan catch any overrun of the packet buffer, the hex and escape
 * decoders or the reply builders; a parsed packet must fit PKT_MAX.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Ikernel/include \
 *     tests/fuzz/fuzz_rsp.c gdbserver-akaros/{rsp,server,regs,monitor,multi,nonstop}.c -o build/fuzz_rsp
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../gdbserver-akaros/gdbserver.h"

#define BASE	0x400000ULL
static uint8_t mem[65536];
static struct abi_user_regs regs;
static struct abi_user_fpregs fpregs;
static size_t out_bytes;

static int f_read(void *t, uint64_t a, void *buf, size_t len)
{
	(void)t;
	if (a < BASE || a - BASE >= sizeof(mem))
		return -14;
	if (len > sizeof(mem) - (a - BASE))
		len = sizeof(mem) - (a - BASE);
	memcpy(buf, mem + (a - BASE), len);
	return (int)len;
}

static int f_write(void *t, uint64_t a, const void *buf, size_t len)
{
	(void)t;
	if (a < BASE || a - BASE >= sizeof(mem) || len > sizeof(mem) - (a - BASE))
		return -14;
	memcpy(mem + (a - BASE), buf, len);
	return (int)len;
}

static int f_get(void *t, int tid, struct abi_user_regs *r, struct abi_user_fpregs *f)
{
	(void)t;
	if (tid != 1 && tid != 2)
		return -3;
	*r = regs;
	*f = fpregs;
	return 0;
}

static int f_set(void *t, int tid, const struct abi_user_regs *r, const struct abi_user_fpregs *f)
{
	(void)t;
	if (tid != 1 && tid != 2)
		return -3;
	regs = *r;
	fpregs = *f;
	return 0;
}

static int f_threads(void *t, int *tids, int max)
{
	(void)t;
	if (max < 2)
		return 0;
	tids[0] = 1;
	tids[1] = 2;
	return 2;
}

static int f_info(void *t, int tid, char *name, size_t n, int *core)
{
	(void)t;
	if (tid != 1 && tid != 2)
		return -3;
	strncpy(name, "fake<&>", n - 1);
	name[n - 1] = 0;
	*core = tid;
	return 0;
}

static int f_hw(void *t, int slot, uint64_t a, int rw, int len)
{
	(void)t; (void)a;
	return slot < 0 || slot > 3 || (rw >= 0 && (len < 1 || len > 8)) ? -22 : 0;
}

static int f_resume(void *t, int tid, bool step, int sig)
{
	(void)t; (void)step; (void)sig;
	return tid < 0 || tid > 2 ? -3 : 0;
}

static int f_wait(void *t, struct link *l, struct stop_info *si)
{
	(void)t; (void)l;
	memset(si, 0, sizeof(*si));
	si->kind = (enum stop_kind)(regs.rax % 9);
	si->tid = 1;
	si->sig = (int)(regs.rbx % 70);
	si->slot = (int)(regs.rcx % 4);
	return 0;
}

static int f_zero(void *t)
{
	(void)t;
	return 0;
}

static int f_exe(void *t, char *buf, size_t n)
{
	(void)t;
	strncpy(buf, "/tests/gdb/gdbtarget", n);
	return (int)strnlen(buf, n);
}

static int f_monitor(void *t, const char *cmd, char *out, size_t n)
{
	(void)t;
	if (strcmp(cmd, "vcores") && strcmp(cmd, "uthreads"))
		return -2;	/* -ENOENT */
	return snprintf(out, n, "%s of the fake target\n", cmd);
}

static int f_spawn(struct server *s, char **argv)
{
	s->pid = (int)strlen(argv[0]) + 1;
	memset(&s->last, 0, sizeof(s->last));
	s->last.kind = STOP_STEP;
	s->last.tid = 1;
	return argv[1] && !strcmp(argv[1], "fail") ? -2 : 0;
}

static int f_attach(struct server *s, int pid)
{
	s->pid = pid;
	memset(&s->last, 0, sizeof(s->last));
	s->last.tid = 2;
	return pid == 0x666 ? -1 : 0;
}

static int f_stop_thread(void *t, int tid)
{
	(void)t;
	return tid == 1 || tid == 2 ? 0 : -3;
}

static int pending_events;

static int f_next_event(void *t, struct stop_info *si)
{
	if (!pending_events)
		return 0;
	pending_events--;
	return f_wait(t, NULL, si) ? -1 : 1;
}

static const struct target_ops fake = {
	.read_mem = f_read, .write_mem = f_write, .get_regs = f_get, .set_regs = f_set,
	.threads = f_threads, .thread_info = f_info, .set_hw = f_hw, .resume = f_resume,
	.wait = f_wait, .stop = f_zero, .detach = f_zero, .kill = f_zero, .exec_file = f_exe,
	.auxv = f_exe, .monitor = f_monitor, .stop_thread = f_stop_thread,
	.next_event = f_next_event,
};

static ssize_t sink(void *ctx, const void *buf, size_t n)
{
	(void)ctx; (void)buf;
	out_bytes += n;
	return (ssize_t)n;
}

static int acks(void *ctx)
{
	(void)ctx;
	return '+';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rsp r;
	static struct server s;

	memset(&r, 0, sizeof(r));
	memset(&s, 0, sizeof(s));
	r.write = sink;
	r.getc = acks;
	s.link = &r;
	s.ops = &fake;
	s.pid = 1;
	s.has_process = true;
	if (size && data[0] == '!') {
		s.extended = true;
		s.has_process = false;
		s.spawn = f_spawn;
		s.attach_pid = f_attach;
	}
	for (size_t i = 0; i < size; i++) {
		int k = rsp_feed(&r, data[i]);

		if (r.inlen > PKT_MAX)
			abort();
		if (k == RSP_PACKET) {
			server_packet(&s, r.in, r.inlen);
			if (s.nonstop && r.inlen && r.in[0] == 'v') {
				pending_events = r.in[r.inlen - 1] & 3;
				nonstop_events(&s);
			}
			if (s.done && s.extended)
				multi_forget(&s);
			s.done = false;
			s.exit_requested = false;
		}
	}
	return 0;
}
