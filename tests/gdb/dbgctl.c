/*
 * The kernel's process-debugging interface, driven directly (no gdb):
 * attach, stop, registers, /proc/PID/mem and process_vm_readv/writev,
 * a software breakpoint written into text (copy-on-write: the parent's
 * text, the same file pages, keeps its byte), single step, a hardware
 * watchpoint, stopping one thread, a signal stop, detach and detach-on-close, and the exit
 * event.  Prints "ok"/"FAIL" per check and "N passed, N failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <abi/ptrace.h>

static int passed, failed;
static volatile unsigned long counter;
static volatile int hits;

#define CHECK(cond, ...) do {						\
	if (cond) { passed++; printf("ok   " __VA_ARGS__); }		\
	else { failed++; printf("FAIL " __VA_ARGS__); printf("  (errno %d)", errno); } \
	printf("\n");							\
} while (0)

__attribute__((noinline)) void target_fn(void)
{
	hits++;
	asm volatile("" ::: "memory");
}

static void spin(void)
{
	for (;;) {
		counter++;
		if ((counter & 0xfff) == 0)
			target_fn();
	}
}

static int pid;
static char path[64];

static const char *pfile(const char *name)
{
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	return path;
}

static int cmd(int ctl, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return write(ctl, buf, (size_t)n) == n ? 0 : -errno;
}

/* Next event line (waits up to 10 s, a failure past that), "" if none. */
static const char *event(int dbg)
{
	static char buf[512];
	struct pollfd p = { .fd = dbg, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, 10000) != 1)
		return "";
	n = read(dbg, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

static int regs(struct abi_user_regs *r, int write_it)
{
	char p[64];
	int fd, ok;

	snprintf(p, sizeof(p), "/proc/%d/task/%d/regs", pid, pid);
	fd = open(p, write_it ? O_WRONLY : O_RDONLY);
	if (fd < 0)
		return -1;
	ok = (write_it ? pwrite(fd, r, sizeof(*r), 0) : pread(fd, r, sizeof(*r), 0)) ==
	     (ssize_t)sizeof(*r);
	close(fd);
	return ok ? 0 : -1;
}

static unsigned long peek_counter(void)
{
	unsigned long v = 0;
	struct iovec l = { &v, sizeof(v) }, r = { (void *)&counter, sizeof(v) };

	return process_vm_readv(pid, &l, 1, &r, 1, 0) == sizeof(v) ? v : 0;
}

int main(void)
{
	struct abi_user_regs r;
	struct abi_user_fpregs f;
	char expect[64];
	unsigned long c1, c2, v;
	unsigned char orig, cc = 0xcc;
	int ctl, ctl2, dbg, mem, fd, st;
	const char *e;

	setvbuf(stdout, NULL, _IONBF, 0);

	pid = fork();
	if (pid == 0)
		spin();
	usleep(200000);
	ctl = open(pfile("ctl"), O_RDWR);
	CHECK(ctl >= 0 && cmd(ctl, "attach") == 0, "attach");
	ctl2 = open(pfile("ctl"), O_RDWR);
	CHECK(ctl2 >= 0 && cmd(ctl2, "attach") == -EBUSY, "second attach EBUSY");
	close(ctl2);
	fd = open("/proc/self/ctl", O_RDWR);
	CHECK(fd >= 0 && cmd(fd, "attach") == -EPERM, "attach to self EPERM");
	close(fd);
	dbg = open(pfile("dbg"), O_RDONLY | O_NONBLOCK);
	mem = open(pfile("mem"), O_RDWR);
	CHECK(dbg >= 0 && mem >= 0, "open dbg and mem");
	CHECK(cmd(ctl, "stop") == 0, "stop");
	{
		unsigned long av[128] = { 0 }, phdr = 0;

		fd = open(pfile("auxv"), O_RDONLY);
		CHECK(fd >= 0 && read(fd, av, sizeof(av)) > 0, "read /proc/PID/auxv");
		close(fd);
		for (int i = 0; av[i] != AT_NULL && i < 126; i += 2)
			if (av[i] == AT_PHDR)
				phdr = av[i + 1];
		CHECK(phdr && phdr == getauxval(AT_PHDR), "auxv AT_PHDR (%lx)", phdr);
	}
	CHECK(regs(&r, 0) == 0 && (r.cs & 3) == 3 && r.rip >= 0x400000 && r.rip < 0x800000,
	      "regs of the stopped thread (rip %llx)", (unsigned long long)r.rip);
	pread(mem, &c1, 8, (off_t)(uintptr_t)&counter);
	usleep(100000);
	pread(mem, &c2, 8, (off_t)(uintptr_t)&counter);
	CHECK(c1 > 0 && c1 == c2, "stopped: counter still (%lu)", c1);
	CHECK(peek_counter() == c1, "process_vm_readv agrees with /proc/PID/mem");
	v = 1000;
	CHECK(pwrite(mem, &v, 8, (off_t)(uintptr_t)&counter) == 8 && peek_counter() == 1000,
	      "write through /proc/PID/mem");
	{
		unsigned long w = 2000;
		struct iovec l = { &w, sizeof(w) }, rv = { (void *)&counter, sizeof(w) };

		CHECK(process_vm_writev(pid, &l, 1, &rv, 1, 0) == 8 && peek_counter() == 2000,
		      "process_vm_writev");
	}
	/* Software breakpoint in text. */
	CHECK(pread(mem, &orig, 1, (off_t)(uintptr_t)target_fn) == 1 && orig != 0xcc &&
	      pwrite(mem, &cc, 1, (off_t)(uintptr_t)target_fn) == 1, "int3 written into text");
	CHECK(*(volatile unsigned char *)(uintptr_t)target_fn == orig,
	      "our own text unchanged (copy-on-write)");
	CHECK(cmd(ctl, "cont") == 0, "cont");
	e = event(dbg);
	snprintf(expect, sizeof(expect), "break %d\n", pid);
	CHECK(!strcmp(e, expect), "breakpoint event (%s)", e);
	CHECK(cmd(ctl, "stop") == 0 && regs(&r, 0) == 0 &&
	      r.rip == (uintptr_t)target_fn + 1, "pc after the int3");
	pwrite(mem, &orig, 1, (off_t)(uintptr_t)target_fn);
	r.rip = (uintptr_t)target_fn;
	CHECK(regs(&r, 1) == 0, "regs written");
	CHECK(cmd(ctl, "step %d", pid) == 0, "step");
	e = event(dbg);
	CHECK(!strncmp(e, "trap", 4) && (strtoul(strrchr(e, ' '), NULL, 16) & ABI_DR6_BS),
	      "single-step event (%s)", e);
	cmd(ctl, "stop");
	CHECK(regs(&r, 0) == 0 && r.rip != (uintptr_t)target_fn && r.rip - (uintptr_t)target_fn < 16,
	      "one instruction on (rip %llx)", (unsigned long long)r.rip);
	/* Hardware watchpoint on hits. */
	CHECK(cmd(ctl, "dr 0 %lx 1 4", (unsigned long)(uintptr_t)&hits) == 0, "watchpoint set");
	CHECK(cmd(ctl, "dr 0 %lx 1 4", (unsigned long)(uintptr_t)&hits + 1) == -EINVAL,
	      "misaligned watchpoint refused");
	cmd(ctl, "cont");
	e = event(dbg);
	CHECK(!strncmp(e, "trap", 4) && (strtoul(strrchr(e, ' '), NULL, 16) & 1),
	      "watchpoint event (%s)", e);
	cmd(ctl, "stop");
	CHECK(cmd(ctl, "dr 0 off") == 0, "watchpoint cleared");
	snprintf(expect, sizeof(expect), "/proc/%d/task/%d/fpregs", pid, pid);
	fd = open(expect, O_RDONLY);
	CHECK(fd >= 0 && pread(fd, &f, sizeof(f), 0) == sizeof(f) && (f.mxcsr & 0xffbf) == 0x1f80,
	      "fpregs (mxcsr %x)", f.mxcsr);
	close(fd);
	/* stop TID: just that thread (here the only one). */
	cmd(ctl, "cont");
	usleep(50000);
	CHECK(cmd(ctl, "stop %d", pid) == 0, "stop TID");
	pread(mem, &c1, 8, (off_t)(uintptr_t)&counter);
	usleep(100000);
	pread(mem, &c2, 8, (off_t)(uintptr_t)&counter);
	CHECK(c1 == c2, "stop TID: its thread stopped (%lu)", c1);
	CHECK(cmd(ctl, "stop 99999") == -ESRCH, "stop of an unknown TID: ESRCH");
	/* A signal stops the process first; continuing without it cancels it. */
	kill(pid, SIGUSR1);
	cmd(ctl, "cont");
	e = event(dbg);
	snprintf(expect, sizeof(expect), "signal %d %d\n", pid, SIGUSR1);
	CHECK(!strcmp(e, expect), "signal event (%s)", e);
	cmd(ctl, "stop");
	cmd(ctl, "cont %d 0", pid);
	usleep(100000);
	CHECK(waitpid(pid, &st, WNOHANG) == 0, "signal cancelled by the debugger");
	CHECK(cmd(ctl, "detach") == 0, "detach");
	c1 = peek_counter();
	usleep(100000);
	CHECK(peek_counter() != c1, "runs after detach");
	CHECK(cmd(ctl, "attach") == 0 && cmd(ctl, "stop") == 0, "attach again");
	close(ctl);
	close(dbg);
	c1 = peek_counter();
	usleep(100000);
	CHECK(peek_counter() != c1, "closing ctl detaches");
	/* The exit event, with the signal passed on. */
	ctl = open(pfile("ctl"), O_RDWR);
	dbg = open(pfile("dbg"), O_RDONLY | O_NONBLOCK);
	cmd(ctl, "attach");
	kill(pid, SIGTERM);
	e = event(dbg);
	snprintf(expect, sizeof(expect), "signal %d %d\n", pid, SIGTERM);
	CHECK(!strcmp(e, expect), "SIGTERM reported (%s)", e);
	cmd(ctl, "cont %d %d", pid, SIGTERM);
	e = event(dbg);
	CHECK(!strcmp(e, "exit 15\n"), "exit event (%s)", e);
	CHECK(read(dbg, expect, sizeof(expect)) == 0, "end of the event stream");
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
	      "killed by the passed signal");
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
