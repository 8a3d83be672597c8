/*
 * Miscellaneous system calls: uname, sethostname, sysinfo, getrandom,
 * arch_prctl, prctl, personality, scheduling queries, robust lists,
 * reboot.
 *
 * personality: Linux stores whatever value it is given (no check of the
 * type in the low byte) and 0xffffffff only queries; the value is
 * inherited by fork and exec (exec clears READ_IMPLIES_EXEC, see exec.c).
 * None of its flags changes anything here: ADDR_NO_RANDOMIZE is what the
 * kernel always does (it has no address space randomisation), and
 * UNAME26, READ_IMPLIES_EXEC and the rest are recorded only.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/smp.h>
#include <kern/pmm.h>
#include <kern/time.h>
#include <kern/uaccess.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <kern/ktest.h>
#include <kern/kmalloc.h>
#include <arch/x86.h>
#include <kern/random.h>
#include <abi/utsname.h>
#include <abi/sysinfo.h>
#include <abi/random.h>
#include <abi/prctl.h>
#include <abi/ptrace.h>
#include <abi/reboot.h>
#include "internal.h"

/* Under hostname_lock. */
static struct spinlock hostname_lock = SPINLOCK_INITIALIZER("hostname");
static char hostname[ABI_UTS_LEN] = "akaros";

SYSCALL_DEFINE1(uname, struct abi_utsname *, ubuf)
{
	struct abi_utsname u;
	u64 flags;

	memset(&u, 0, sizeof(u));
	/* "Linux" and a 6.x release: glibc refuses kernels older than 3.2. */
	strlcpy(u.sysname, "Linux", ABI_UTS_LEN);
	flags = spin_lock_irqsave(&hostname_lock);
	strlcpy(u.nodename, hostname, ABI_UTS_LEN);
	spin_unlock_irqrestore(&hostname_lock, flags);
	strlcpy(u.release, "6.1.0-akaros", ABI_UTS_LEN);
	strlcpy(u.version, "#1 SMP Akaros-style research kernel", ABI_UTS_LEN);
	strlcpy(u.machine, "x86_64", ABI_UTS_LEN);
	strlcpy(u.domainname, "(none)", ABI_UTS_LEN);
	return copy_to_user(ubuf, &u, sizeof(u)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(sethostname, const char *, uname, size_t, len)
{
	char buf[ABI_UTS_LEN];
	u64 flags;

	if (len >= ABI_UTS_LEN)
		return -EINVAL;
	if (current_proc()->euid)
		return -EPERM;
	if (copy_from_user(buf, uname, len))
		return -EFAULT;
	buf[len] = 0;
	flags = spin_lock_irqsave(&hostname_lock);
	strlcpy(hostname, buf, ABI_UTS_LEN);
	spin_unlock_irqrestore(&hostname_lock, flags);
	return 0;
}

SYSCALL_DEFINE1(sysinfo, struct abi_sysinfo *, ubuf)
{
	struct abi_sysinfo si;
	int cursor = 0, n = 0;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	while (__proc_next(&cursor))
		n++;
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	memset(&si, 0, sizeof(si));
	/* Rounded up, as Linux does: never 0 once the clock has started. */
	si.uptime = (nsec_since_boot() + 999999999ULL) / 1000000000ULL;
	si.totalram = pmm_total_pages();
	si.freeram = pmm_free_pages();
	si.procs = n;
	si.mem_unit = 4096;
	return copy_to_user(ubuf, &si, sizeof(si)) ? -EFAULT : 0;
}

SYSCALL_DEFINE3(getrandom, void *, ubuf, size_t, len, unsigned int, flags)
{
	u8 chunk[256];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	if (len > 0x1ffffff)
		len = 0x1ffffff;
	while (done < len) {
		size_t n = MIN(sizeof(chunk), len - done);

		random_bytes(chunk, n);
		if (copy_to_user((u8 *)ubuf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return done;
}

SYSCALL_DEFINE2(arch_prctl, int, code, uintptr_t, addr)
{
	struct task *t = current();
	u64 v;

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= 0x0000800000000000ULL)
			return -EPERM;
		t->fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		v = rdmsr(MSR_FS_BASE);
		return copy_to_user((void *)addr, &v, sizeof(v)) ? -EFAULT : 0;
	case ARCH_SET_GS:
	case ARCH_GET_GS:
		return -EINVAL;	/* user GS is not supported: GS belongs to the kernel's per-CPU data */
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE5(prctl, int, option, u64, a2, u64, a3, u64, a4, u64, a5)
{
	struct proc *p = current_proc();
	char name[PROC_COMM_LEN];

	switch (option) {
	case PR_SET_NAME:
		if (strncpy_from_user(name, (const char *)a2, sizeof(name)) < 0) {
			/* Longer names are truncated, as on Linux. */
			if (copy_from_user(name, (const void *)a2, sizeof(name) - 1))
				return -EFAULT;
			name[sizeof(name) - 1] = 0;
		}
		strlcpy(p->comm, name, sizeof(p->comm));
		return 0;
	case PR_GET_NAME:
		return copy_to_user((void *)a2, p->comm, sizeof(p->comm)) ? -EFAULT : 0;
	case PR_SET_DUMPABLE:
		if (a2 > 1)
			return -EINVAL;
		WRITE_ONCE(p->nondumpable, !a2);
		return 0;
	case PR_GET_DUMPABLE:
		return !READ_ONCE(p->nondumpable);
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE1(personality, u32, persona)
{
	struct proc *p = current_proc();
	u32 old = READ_ONCE(p->personality);

	if (persona != 0xffffffff)
		WRITE_ONCE(p->personality, persona);
	return old;
}

SYSCALL_DEFINE0(sched_yield)
{
	sched_yield_cpu();
	return 0;
}

/*
 * The task a sched_*affinity pid argument names (0 = the caller) checked
 * for access, as in Linux: 0 with *out set, -ESRCH, or -EPERM (setting
 * another user's thread without being root).  proc_tree_lock held.
 */
static int __affinity_task(int pid, bool set, struct task **out)
{
	struct proc *me = current_proc();
	struct task *t = pid ? __thread_lookup(0, pid) : current();

	if (!t)
		return -ESRCH;
	if (set && me->euid && me->euid != t->proc->uid && me->euid != t->proc->euid)
		return -EPERM;
	*out = t;
	return 0;
}

SYSCALL_DEFINE3(sched_getaffinity, int, pid, size_t, len, u8 *, umask)
{
	u8 mask[MAX_CPUS / 8] = { 0 };
	size_t n = ROUNDUP((size_t)num_cpus, 64) / 8;
	struct task *t;
	u64 flags, bits = 0;
	int err;

	if (len < n || (len & 7))
		return -EINVAL;
	if (pid < 0)
		return -ESRCH;
	flags = spin_lock_irqsave(&proc_tree_lock);
	err = __affinity_task(pid, false, &t);
	if (!err)
		bits = sched_get_affinity(t);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	if (err)
		return err;
	for (int c = 0; c < num_cpus && c < MAX_CPUS; c++)
		if (bits & (1ULL << c))
			mask[c / 8] |= 1 << (c % 8);
	if (copy_to_user(umask, mask, n))
		return -EFAULT;
	return n;
}

/* Bytes past MAX_CPUS bits are ignored; CPUs that are not online are dropped, as on Linux. */
SYSCALL_DEFINE3(sched_setaffinity, int, pid, size_t, len, const u8 *, umask)
{
	u8 mask[MAX_CPUS / 8] = { 0 };
	struct task *t;
	u64 flags, bits = 0;
	int err;

	if (copy_from_user(mask, umask, MIN(len, sizeof(mask))))
		return -EFAULT;
	if (pid < 0)
		return -ESRCH;
	for (int c = 0; c < MAX_CPUS; c++)
		if (mask[c / 8] & (1 << (c % 8)))
			bits |= 1ULL << c;
	flags = spin_lock_irqsave(&proc_tree_lock);
	err = __affinity_task(pid, true, &t);
	if (!err && t != current())
		err = sched_set_affinity(t, bits);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	/* The caller itself may have to move: not while holding proc_tree_lock. */
	if (!err && t == current())
		err = sched_set_affinity(t, bits);
	return err;
}

SYSCALL_DEFINE4(reboot, u32, magic1, u32, magic2, u32, cmd, void *, arg)
{
	if (magic1 != LINUX_REBOOT_MAGIC1 || magic2 != LINUX_REBOOT_MAGIC2)
		return -EINVAL;
	if (current_proc()->euid)
		return -EPERM;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
		printk("reboot: power off\n");
		arch_power_off();
		return 0;
	case LINUX_REBOOT_CMD_RESTART:
		printk("reboot: restarting\n");
		outb(0xCF9, 0x06);
		return 0;
	default:
		return -EINVAL;
	}
}
