/*
 * Self-tests of the core pieces every other test relies on: formatting,
 * string helpers, the overflow helper, kallsyms, per-CPU access and the
 * monitor's command dispatch and the initcall table.
 */
#include <kern/ktest.h>
#include <kern/string.h>
#include <kern/kdebug.h>
#include <kern/percpu.h>
#include <kern/monitor.h>
#include <kern/printk.h>
#include <kern/init.h>

static bool test_snprintf(void)
{
	char buf[32];

	KT_ASSERT(snprintf(buf, sizeof(buf), "%d|%5s|%#x", -3, "ab", 255) == 13);
	KT_ASSERT(!strcmp(buf, "-3|   ab|0xff"));
	return true;
}
KTEST_REG(snprintf, test_snprintf);

static bool test_overflow(void)
{
	u8 a;
	u64 b;
	s32 c;

	KT_ASSERT(check_mul_overflow((u8)16, (u8)16, &a));
	KT_ASSERT(!check_mul_overflow((u8)15, (u8)17, &a) && a == 255);
	KT_ASSERT(check_mul_overflow(1ULL << 32, 1ULL << 32, &b));
	KT_ASSERT(check_mul_overflow(-65536, 65536, &c));
	return true;
}
KTEST_REG(overflow, test_overflow);

static bool test_kallsyms(void)
{
	uintptr_t off;
	const char *name = kallsyms_lookup((uintptr_t)test_kallsyms + 3, &off);

	KT_ASSERT(name && !strcmp(name, "test_kallsyms"));
	KT_ASSERT(off == 3);
	KT_ASSERT(kallsyms_addr("kmain") != 0);
	KT_ASSERT(kallsyms_lookup(0x1000, &off) == NULL);
	return true;
}
KTEST_REG(kallsyms, test_kallsyms);

static DEFINE_PER_CPU(int, ktest_pcpu_counter);

static bool test_percpu_bsp(void)
{
	this_cpu_write(ktest_pcpu_counter, 41);
	this_cpu_inc(ktest_pcpu_counter);
	KT_ASSERT(per_cpu(ktest_pcpu_counter, core_id()) == 42);
	KT_ASSERT(*this_cpu_ptr(&ktest_pcpu_counter) == 42);
	return true;
}
KTEST_REG(percpu_bsp, test_percpu_bsp);

static bool test_monitor_dispatch(void)
{
	KT_ASSERT(monitor_run_command("help", NULL) == 0);
	KT_ASSERT(monitor_run_command("no-such-command", NULL) == -1);
	KT_ASSERT(monitor_run_command("hexdump 0 16", NULL) == -1 ||
		  monitor_run_command("hexdump 0 16", NULL) == 0);
	return true;
}
KTEST_REG(monitor_dispatch, test_monitor_dispatch);

static bool test_kmsg_log(void)
{
	/* dmesg must contain what we printed earlier in this boot. */
	char buf[64];
	size_t n = kmsg_read(buf, sizeof(buf) - 1, 0);

	buf[n] = 0;
	KT_ASSERT(n > 0);
	KT_ASSERT(strstr(buf, "kernel booting") != NULL);
	return true;
}
KTEST_REG(kmsg_log, test_kmsg_log);

/* Find the initcall named name in the linker table; NULL if absent. */
static const struct initcall *find_initcall(const char *name)
{
	for (const struct initcall *ic = __initcall_start; ic < __initcall_end; ic++)
		if (!strcmp(ic->name, name))
			return ic;
	return NULL;
}

static bool test_initcalls(void)
{
	static const struct { const char *name; int level; } want[] = {
		{ "vfs_init", INITCALL_LEVEL_core },
		{ "clock_init", INITCALL_LEVEL_subsys },
		{ "initramfs_unpack", INITCALL_LEVEL_rootfs },
		{ "pci_init", INITCALL_LEVEL_device },
		{ "uart_ports_init", INITCALL_LEVEL_device },
		{ "vfs_bind_defaults", INITCALL_LEVEL_late },
	};
	int n = (int)(__initcall_end - __initcall_start);

	/* The linker put the levels in order, and boot ran every entry once. */
	for (const struct initcall *ic = __initcall_start; ic + 1 < __initcall_end; ic++)
		KT_ASSERT_MSG(ic[0].level <= ic[1].level, "initcall %s (level %d) before %s (level %d)",
			      ic[0].name, ic[0].level, ic[1].name, ic[1].level);
	KT_ASSERT_MSG(initcalls_done() == n, "%d of %d initcalls ran", initcalls_done(), n);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const struct initcall *ic = find_initcall(want[i].name);

		KT_ASSERT_MSG(ic, "no initcall %s", want[i].name);
		KT_ASSERT_MSG(ic->level == want[i].level, "initcall %s at level %d, want %d",
			      want[i].name, ic->level, want[i].level);
	}
	return true;
}
KTEST_REG(initcalls, test_initcalls);
