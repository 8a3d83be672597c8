/*
 * Vector register state across context switches and signals.  Several
 * processes load distinct patterns into xmm0-15 (and the AVX upper halves
 * when the CPU has AVX), then yield and sleep many times; any CPU that
 * leaked another task's state, or a kernel that touched the registers,
 * breaks a pattern.  A signal handler that scribbles over every xmm
 * register must leave the interrupted code's values intact (the signal
 * frame saves and restores them).  Output is identical on any x86-64
 * Linux-compatible kernel.
 */
#include "tprog.h"
#include <signal.h>
#include <sched.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>

#define NPROC	4
#define ROUNDS	200

static int have_avx(void)
{
	unsigned a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c & (1u << 27)) || !(c & (1u << 28)))	/* OSXSAVE, AVX */
		return 0;
	__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
	return (a & 6) == 6;
}

/* Fill xmm0..15 from buf (16 x 16 bytes). */
static void load_xmm(const uint8_t *buf)
{
	__asm__ volatile(
		"movdqu 0(%0), %%xmm0\n movdqu 16(%0), %%xmm1\n movdqu 32(%0), %%xmm2\n"
		"movdqu 48(%0), %%xmm3\n movdqu 64(%0), %%xmm4\n movdqu 80(%0), %%xmm5\n"
		"movdqu 96(%0), %%xmm6\n movdqu 112(%0), %%xmm7\n movdqu 128(%0), %%xmm8\n"
		"movdqu 144(%0), %%xmm9\n movdqu 160(%0), %%xmm10\n movdqu 176(%0), %%xmm11\n"
		"movdqu 192(%0), %%xmm12\n movdqu 208(%0), %%xmm13\n movdqu 224(%0), %%xmm14\n"
		"movdqu 240(%0), %%xmm15\n"
		: : "r"(buf) : "memory");
}

static void save_xmm(uint8_t *buf)
{
	__asm__ volatile(
		"movdqu %%xmm0, 0(%0)\n movdqu %%xmm1, 16(%0)\n movdqu %%xmm2, 32(%0)\n"
		"movdqu %%xmm3, 48(%0)\n movdqu %%xmm4, 64(%0)\n movdqu %%xmm5, 80(%0)\n"
		"movdqu %%xmm6, 96(%0)\n movdqu %%xmm7, 112(%0)\n movdqu %%xmm8, 128(%0)\n"
		"movdqu %%xmm9, 144(%0)\n movdqu %%xmm10, 160(%0)\n movdqu %%xmm11, 176(%0)\n"
		"movdqu %%xmm12, 192(%0)\n movdqu %%xmm13, 208(%0)\n movdqu %%xmm14, 224(%0)\n"
		"movdqu %%xmm15, 240(%0)\n"
		: : "r"(buf) : "memory");
}

/* ymm0's full 32 bytes, to check the AVX upper half. */
static void load_ymm0(const uint8_t *buf)
{
	__asm__ volatile("vmovdqu (%0), %%ymm0" : : "r"(buf) : "memory");
}

static void save_ymm0(uint8_t *buf)
{
	__asm__ volatile("vmovdqu %%ymm0, (%0)" : : "r"(buf) : "memory");
}

/* Raw syscalls: glibc's wrappers must not touch vector registers in between. */
static void raw_yield(void)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(24L) : "rcx", "r11", "memory");
}

static int child(int id, int avx)
{
	uint8_t want[256], got[256], ywant[32], ygot[32];

	for (int i = 0; i < 256; i++)
		want[i] = (uint8_t)(id * 37 + i * 11 + 1);
	for (int i = 0; i < 32; i++)
		ywant[i] = (uint8_t)(id * 53 + i * 7 + 3);
	for (int r = 0; r < ROUNDS; r++) {
		if (avx) {
			load_ymm0(ywant);
			raw_yield();
			save_ymm0(ygot);
			if (memcmp(ywant, ygot, 32))
				return 2;
		}
		load_xmm(want);
		raw_yield();
		save_xmm(got);
		if (memcmp(want, got, 256))
			return 1;
	}
	return 0;
}

static volatile sig_atomic_t handled;

static void scribble(int sig)
{
	uint8_t junk[256];

	(void)sig;
	memset(junk, 0xee, sizeof(junk));
	load_xmm(junk);
	handled = 1;
}

int main(void)
{
	int avx = have_avx(), status, bad = 0;
	pid_t pids[NPROC];
	uint8_t want[256], got[256];

	for (int i = 0; i < NPROC; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(child(i, avx));
	}
	for (int i = 0; i < NPROC; i++) {
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	CHECK("fpu-xmm-ymm-across-switches", bad == 0, "%d processes saw corrupted registers", bad);

	signal(SIGUSR1, scribble);
	for (int i = 0; i < 256; i++)
		want[i] = (uint8_t)(i * 3 + 5);
	load_xmm(want);
	{
		long r;

		/* kill(getpid(), SIGUSR1) without libc touching the registers. */
		__asm__ volatile("syscall" : "=a"(r) : "a"(39L) : "rcx", "r11", "memory");
		__asm__ volatile("syscall" : "=a"(r) : "a"(62L), "D"(r), "S"(SIGUSR1)
				 : "rcx", "r11", "memory");
	}
	save_xmm(got);
	CHECK("fpu-signal-handler-ran", handled == 1, "handler did not run");
	CHECK("fpu-restored-after-signal", !memcmp(want, got, 256), "xmm changed by the handler");
	return TP_SUMMARY();
}
