/*
 * #proc global files: meminfo, uptime, cpuinfo, stat, loadavg, version,
 * cmdline, mounts, filesystems and the sys/kernel files, in Linux's formats
 * (busybox free/uptime/top, glibc's get_nprocs and sysconf read them).
 *
 * Values come from the page allocator, the clocks and the process table;
 * what the kernel does not track (per-CPU time, load average, swap) is
 * reported as Linux would on an idle machine without it: zeros, and
 * per-CPU idle time derived from uptime minus the time processes used.
 */
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/pmm.h>
#include <kern/smp.h>
#include <kern/time.h>
#include <kern/clock.h>
#include <kern/irq.h>
#include <kern/bootinfo.h>
#include <kern/string.h>
#include <kern/printk.h>
#include <kern/memlayout.h>
#include <kern/errno.h>
#include <abi/procfs.h>
#include <arch/x86.h>
#include <arch/apic.h>
#include "proc_internal.h"

#define KB_PER_PAGE	(PGSIZE / 1024)

static int gen_meminfo(struct slice *s)
{
	static const char *const zero[] = {
		"SwapCached", "Active", "Inactive", "Active(anon)", "Inactive(anon)",
		"Active(file)", "Inactive(file)", "Unevictable", "Mlocked", "SwapTotal",
		"SwapFree", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem",
		"KReclaimable", "Slab", "SReclaimable", "SUnreclaim", "KernelStack",
		"PageTables", "NFS_Unstable", "Bounce", "WritebackTmp", "CommitLimit",
		"Committed_AS",
	};
	unsigned long long total = (unsigned long long)pmm_total_pages() * KB_PER_PAGE;
	unsigned long long free = (unsigned long long)pmm_free_pages() * KB_PER_PAGE;
	char name[32];
	int r;

	r = slice_printf(s, "MemTotal:       %8llu kB\nMemFree:        %8llu kB\n"
			 "MemAvailable:   %8llu kB\nBuffers:        %8u kB\nCached:         %8u kB\n",
			 total, free, free, 0, 0);
	for (size_t i = 0; i < ARRAY_SIZE(zero) && r >= 0; i++) {
		snprintf(name, sizeof(name), "%s:", zero[i]);
		r = slice_printf(s, "%-16s%8u kB\n", name, 0);
	}
	if (r >= 0)
		r = slice_printf(s, "VmallocTotal:   34359738367 kB\nVmallocUsed:    %8u kB\n"
				 "VmallocChunk:   %8u kB\nHugePages_Total:   %5u\n"
				 "HugePages_Free:    %5u\nHugepagesize:   %8u kB\n", 0, 0, 0, 0, 2048);
	return r < 0 ? r : 0;
}

/* CPU time used by every live process (ns), and how many are running. */
static u64 busy_ns(int *nprocs, int *running)
{
	int cursor = 0;
	u64 sum = 0;
	struct proc *p;
	struct task *t;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	*nprocs = *running = 0;
	while ((p = __proc_next(&cursor))) {
		(*nprocs)++;
		spin_lock(&p->lock);
		sum += p->utime_ns + p->stime_ns;
		list_for_each_entry(t, &p->tasks, proc_link) {
			sum += t->utime_ns + t->stime_ns;
			if (t->state == TASK_RUNNING || t->state == TASK_RUNNABLE)
				(*running)++;
		}
		spin_unlock(&p->lock);
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return sum;
}

static int ncpus_online(void)
{
	int n = num_online_cpus();

	return n > 0 ? n : 1;
}

static u64 idle_ns(u64 up, u64 busy)
{
	u64 all = up * (u64)ncpus_online();

	return all > busy ? all - busy : 0;
}

static int gen_uptime(struct slice *s)
{
	int n, running;
	u64 up = nsec_since_boot(), idle = idle_ns(up, busy_ns(&n, &running));

	return slice_printf(s, "%llu.%02llu %llu.%02llu\n", up / 1000000000ULL,
			    (up / 10000000ULL) % 100, idle / 1000000000ULL,
			    (idle / 10000000ULL) % 100) < 0 ? -ENOMEM : 0;
}

static int gen_stat(struct slice *s)
{
	int nprocs, running, ncpu = ncpus_online();
	u64 up = nsec_since_boot(), busy = busy_ns(&nprocs, &running);
	u64 tick = 1000000000ULL / ABI_USER_HZ;
	unsigned long long b = busy / tick, idle = idle_ns(up, busy) / tick;
	s64 btime = (clock_realtime_ns() - (s64)up) / 1000000000LL;
	int r, c = 0;

	r = slice_printf(s, "cpu  %llu 0 0 %llu 0 0 0 0 0 0\n", b, idle);
	for (int i = 0; i < MAX_CPUS && r >= 0; i++)
		if (cpu_online[i])
			r = slice_printf(s, "cpu%d %llu 0 0 %llu 0 0 0 0 0 0\n", c++,
					 b / (unsigned)ncpu, idle / (unsigned)ncpu);
	if (r >= 0)
		r = slice_printf(s, "intr 0\nctxt 0\nbtime %lld\nprocesses %d\n"
				 "procs_running %d\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
				 (long long)btime, nprocs, running ? running : 1);
	return r < 0 ? r : 0;
}

static int gen_loadavg(struct slice *s)
{
	int nprocs, running;

	busy_ns(&nprocs, &running);
	return slice_printf(s, "0.00 0.00 0.00 %d/%d 0\n", running ? running : 1, nprocs) < 0 ?
		-ENOMEM : 0;
}

/* Linux flag names of CPUID bits: leaf, register (0 EBX, 1 ECX, 2 EDX), bit. */
static const struct cpu_flag {
	u32 leaf;
	u8 reg, bit;
	const char *name;
} cpu_flags[] = {
	{ 1, 2, 0, "fpu" }, { 1, 2, 1, "vme" }, { 1, 2, 2, "de" }, { 1, 2, 3, "pse" },
	{ 1, 2, 4, "tsc" }, { 1, 2, 5, "msr" }, { 1, 2, 6, "pae" }, { 1, 2, 7, "mce" },
	{ 1, 2, 8, "cx8" }, { 1, 2, 9, "apic" }, { 1, 2, 11, "sep" }, { 1, 2, 12, "mtrr" },
	{ 1, 2, 13, "pge" }, { 1, 2, 14, "mca" }, { 1, 2, 15, "cmov" }, { 1, 2, 16, "pat" },
	{ 1, 2, 17, "pse36" }, { 1, 2, 19, "clflush" }, { 1, 2, 21, "dts" },
	{ 1, 2, 22, "acpi" }, { 1, 2, 23, "mmx" }, { 1, 2, 24, "fxsr" }, { 1, 2, 25, "sse" },
	{ 1, 2, 26, "sse2" }, { 1, 2, 27, "ss" }, { 1, 2, 28, "ht" }, { 1, 2, 29, "tm" },
	{ 1, 2, 31, "pbe" },
	{ 0x80000001, 2, 11, "syscall" }, { 0x80000001, 2, 20, "nx" },
	{ 0x80000001, 2, 22, "mmxext" }, { 0x80000001, 2, 25, "fxsr_opt" },
	{ 0x80000001, 2, 26, "pdpe1gb" }, { 0x80000001, 2, 27, "rdtscp" },
	{ 0x80000001, 2, 29, "lm" }, { 0x80000001, 2, 30, "3dnowext" },
	{ 0x80000001, 2, 31, "3dnow" },
	{ 1, 1, 0, "pni" }, { 1, 1, 1, "pclmulqdq" }, { 1, 1, 2, "dtes64" },
	{ 1, 1, 3, "monitor" }, { 1, 1, 4, "ds_cpl" }, { 1, 1, 5, "vmx" }, { 1, 1, 6, "smx" },
	{ 1, 1, 7, "est" }, { 1, 1, 8, "tm2" }, { 1, 1, 9, "ssse3" }, { 1, 1, 10, "cid" },
	{ 1, 1, 11, "sdbg" }, { 1, 1, 12, "fma" }, { 1, 1, 13, "cx16" }, { 1, 1, 14, "xtpr" },
	{ 1, 1, 15, "pdcm" }, { 1, 1, 17, "pcid" }, { 1, 1, 18, "dca" },
	{ 1, 1, 19, "sse4_1" }, { 1, 1, 20, "sse4_2" }, { 1, 1, 21, "x2apic" },
	{ 1, 1, 22, "movbe" }, { 1, 1, 23, "popcnt" }, { 1, 1, 24, "tsc_deadline_timer" },
	{ 1, 1, 25, "aes" }, { 1, 1, 26, "xsave" }, { 1, 1, 28, "avx" }, { 1, 1, 29, "f16c" },
	{ 1, 1, 30, "rdrand" }, { 1, 1, 31, "hypervisor" },
	{ 0x80000001, 1, 0, "lahf_lm" }, { 0x80000001, 1, 1, "cmp_legacy" },
	{ 0x80000001, 1, 2, "svm" }, { 0x80000001, 1, 3, "extapic" },
	{ 0x80000001, 1, 4, "cr8_legacy" }, { 0x80000001, 1, 5, "abm" },
	{ 0x80000001, 1, 6, "sse4a" }, { 0x80000001, 1, 7, "misalignsse" },
	{ 0x80000001, 1, 8, "3dnowprefetch" }, { 0x80000001, 1, 9, "osvw" },
	{ 0x80000001, 1, 10, "ibs" }, { 0x80000001, 1, 11, "xop" },
	{ 0x80000001, 1, 12, "skinit" }, { 0x80000001, 1, 13, "wdt" },
	{ 0x80000001, 1, 15, "lwp" }, { 0x80000001, 1, 16, "fma4" },
	{ 0x80000001, 1, 17, "tce" }, { 0x80000001, 1, 21, "tbm" },
	{ 0x80000001, 1, 22, "topoext" },
	{ 7, 0, 0, "fsgsbase" }, { 7, 0, 1, "tsc_adjust" }, { 7, 0, 3, "bmi1" },
	{ 7, 0, 4, "hle" }, { 7, 0, 5, "avx2" }, { 7, 0, 7, "smep" }, { 7, 0, 8, "bmi2" },
	{ 7, 0, 9, "erms" }, { 7, 0, 10, "invpcid" }, { 7, 0, 11, "rtm" },
	{ 7, 0, 16, "avx512f" }, { 7, 0, 17, "avx512dq" }, { 7, 0, 18, "rdseed" },
	{ 7, 0, 19, "adx" }, { 7, 0, 20, "smap" }, { 7, 0, 21, "avx512ifma" },
	{ 7, 0, 23, "clflushopt" }, { 7, 0, 24, "clwb" }, { 7, 0, 28, "avx512cd" },
	{ 7, 0, 29, "sha_ni" }, { 7, 0, 30, "avx512bw" }, { 7, 0, 31, "avx512vl" },
	{ 7, 1, 1, "avx512vbmi" }, { 7, 1, 2, "umip" }, { 7, 1, 3, "pku" },
	{ 7, 1, 6, "avx512_vbmi2" }, { 7, 1, 8, "gfni" }, { 7, 1, 9, "vaes" },
	{ 7, 1, 10, "vpclmulqdq" }, { 7, 1, 11, "avx512_vnni" }, { 7, 1, 12, "avx512_bitalg" },
	{ 7, 1, 14, "avx512_vpopcntdq" }, { 7, 1, 22, "rdpid" },
};

/* One CPUID register of leaf (0 if the leaf is beyond the maximum). */
static u32 cpuid_reg(u32 leaf, int reg)
{
	u32 r[4], max;

	cpuid(leaf & 0x80000000, 0, &max, &r[0], &r[1], &r[2]);
	if (leaf > max)
		return 0;
	cpuid(leaf, 0, &r[3], &r[0], &r[1], &r[2]);
	return r[reg];
}

/* The common part of every processor block after "processor : N". */
static int gen_cpu_body(struct slice *s, int cpu, int ncpu)
{
	u32 a, b, c, d, maxleaf, regs[12], addr;
	char vendor[13], brand[49];
	unsigned fam, model, step;
	unsigned long long mhz = tsc_hz / 1000000, khz = (tsc_hz / 1000) % 1000;
	int r;

	cpuid(0, 0, &maxleaf, &b, &c, &d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
	cpuid(1, 0, &a, &b, &c, &d);
	fam = (a >> 8) & 0xf;
	model = (a >> 4) & 0xf;
	step = a & 0xf;
	if (fam == 0xf)
		fam += (a >> 20) & 0xff;
	if (fam >= 6)
		model += ((a >> 16) & 0xf) << 4;
	if (cpuid_reg(0x80000004, 0))
		for (u32 i = 0; i < 3; i++)
			cpuid(0x80000002 + i, 0, &regs[i * 4], &regs[i * 4 + 1], &regs[i * 4 + 2],
			      &regs[i * 4 + 3]);
	else
		memset(regs, 0, sizeof(regs));
	memcpy(brand, regs, 48);
	brand[48] = '\0';
	for (int i = 47; i >= 0 && (brand[i] == ' ' || !brand[i]); i--)
		brand[i] = '\0';
	r = slice_printf(s, "vendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
			 "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: %llu.%03llu\n"
			 "physical id\t: 0\nsiblings\t: %d\ncore id\t\t: %d\ncpu cores\t: %d\n"
			 "apicid\t\t: %u\ninitial apicid\t: %u\nfpu\t\t: yes\nfpu_exception\t: yes\n"
			 "cpuid level\t: %u\nwp\t\t: yes\nflags\t\t:",
			 vendor, fam, model, brand[0] ? brand : "unknown", step, mhz, khz, ncpu,
			 cpu, ncpu, cpu_apic_id[cpu], cpu_apic_id[cpu], maxleaf);
	for (size_t i = 0; i < ARRAY_SIZE(cpu_flags) && r >= 0; i++)
		if (cpuid_reg(cpu_flags[i].leaf, cpu_flags[i].reg) & (1U << cpu_flags[i].bit))
			r = slice_printf(s, " %s", cpu_flags[i].name);
	addr = cpuid_reg(0x80000008, 3);
	if (r >= 0)
		r = slice_printf(s, "\nbogomips\t: %llu.%02llu\nclflush size\t: 64\n"
				 "cache_alignment\t: 64\naddress sizes\t: %u bits physical, %u bits virtual\n"
				 "power management:\n\n", mhz * 2, (khz * 2 / 10) % 100,
				 addr ? addr & 0xff : 36, addr ? (addr >> 8) & 0xff : 48);
	return r;
}

static int gen_cpuinfo(struct slice *s)
{
	int ncpu = ncpus_online(), n = 0, r = 0;

	for (int i = 0; i < MAX_CPUS && r >= 0; i++) {
		if (!cpu_online[i])
			continue;
		r = slice_printf(s, "processor\t: %d\n", n++);
		if (r >= 0)
			r = gen_cpu_body(s, i, ncpu);
	}
	return r < 0 ? r : 0;
}

int proc_gen_global(int kind, struct slice *s)
{
	int r = 0;

	switch (kind) {
	case PQ_MEMINFO:
		return gen_meminfo(s);
	case PQ_UPTIME:
		return gen_uptime(s);
	case PQ_CPUINFO:
		return gen_cpuinfo(s);
	case PQ_STAT:
		return gen_stat(s);
	case PQ_LOADAVG:
		return gen_loadavg(s);
	case PQ_INTERRUPTS:
		return irq_show(s);	/* arch/x86/msi.c */
	case PQ_VERSION:
		/* Matches uname(2) (proc/sys_misc.c). */
		r = slice_printf(s, "Linux version 6.1.0-akaros (akaros@build) (gcc) "
				 "#1 SMP Akaros-style research kernel\n");
		break;
	case PQ_CMDLINE:
		r = slice_printf(s, "%s\n", boot_info.cmdline);
		break;
	case PQ_MOUNTS:
		r = slice_printf(s, "rootfs / rootfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec 0 0\n");
		break;
	case PQ_FILESYSTEMS:
		r = slice_printf(s, "nodev\trootfs\nnodev\tramfs\nnodev\tproc\n");
		break;
	case PQ_OSTYPE:
		r = slice_printf(s, "Linux\n");
		break;
	case PQ_OSRELEASE:
		r = slice_printf(s, "6.1.0-akaros\n");
		break;
	case PQ_PID_MAX:
		r = slice_printf(s, "%d\n", PROC_MAX);
		break;
	default:
		return -EINVAL;
	}
	return r < 0 ? r : 0;
}
