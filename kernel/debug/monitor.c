/*
 * Kernel monitor.  A line-oriented command loop on COM1 that reads the
 * UART by polling, so it works with interrupts off, after a panic, and
 * while the rest of the kernel is wedged.  Commands are registered with
 * MONITOR_CMD anywhere in the kernel; this file holds the loop, the
 * generic commands, and the NMI-based cross-CPU backtrace and freeze.
 *
 * Cross-CPU protocol: to backtrace CPU c, set bt_request[c] and send it an
 * NMI; its NMI handler prints its trapped frame's backtrace and clears the
 * flag.  On panic every other CPU is frozen inside its NMI handler (NMIs
 * stay masked there), where it keeps polling bt_request so `bt c` still
 * works on a frozen machine.
 */
#include <kern/monitor.h>
#include <kern/moncmd.h>
#include <kern/console.h>
#include <kern/printk.h>
#include <kern/kdebug.h>
#include <kern/string.h>
#include <kern/smp.h>
#include <kern/time.h>
#include <kern/vm.h>
#include <kern/ktest.h>
#include <kern/bootinfo.h>
#include <kern/watchdog.h>
#include <arch/apic.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define MON_LINE_MAX	128
#define MON_MAX_ARGS	8
#define PANIC_EXIT_STATUS	3

static volatile bool bt_request[MAX_CPUS];
static volatile bool cpus_frozen;
static struct hw_trapframe *volatile frozen_tf[MAX_CPUS];
/* Only one CPU runs the monitor at a time. */
static volatile int monitor_owner = -1;

/* Booted for tests (ktest or panic=exit): a panic ends the run instead of waiting. */
static bool panic_exits(void)
{
	char v[8];

	return cmdline_has("ktest") || (cmdline_get("panic", v, sizeof(v)) && !strcmp(v, "exit"));
}

static void nmi_print_backtrace(struct hw_trapframe *tf)
{
	printk("CPU %d backtrace (%s mode, rip %llx):\n", core_id(),
	       tf_from_user(tf) ? "user" : "kernel", tf->rip);
	if (!tf_from_user(tf))
		backtrace_from(tf->rip, tf->rbp);
	bt_request[core_id()] = false;
}

bool nmi_handler(struct hw_trapframe *tf)
{
	int me = core_id();
	bool claimed = false;

	if (bt_request[me]) {
		nmi_print_backtrace(tf);
		claimed = true;
	}
	if (cpus_frozen && monitor_owner != me) {
		frozen_tf[me] = tf;
		while (cpus_frozen) {
			if (bt_request[me])
				nmi_print_backtrace(tf);
			tlb_shootdown_poll();
			cpu_relax();
		}
		frozen_tf[me] = NULL;
		claimed = true;
	}
	return claimed;
}

/* Freeze every other online CPU in its NMI handler. */
static void freeze_others(void)
{
	cpus_frozen = true;
	for (int c = 0; c < num_cpus; c++)
		if (c != core_id() && cpu_online[c])
			send_nmi(c);
}

static int read_line(char *buf, int max)
{
	int n = 0;

	for (;;) {
		int c = serial_getc_wait();

		if (c == '\r' || c == '\n') {
			printk("\n");
			buf[n] = 0;
			return n;
		}
		if ((c == 0x7f || c == 0x08) && n > 0) {
			n--;
			printk("\b \b");
		} else if (c == 0x15) {		/* ^U */
			while (n > 0) {
				n--;
				printk("\b \b");
			}
		} else if (c >= 0x20 && c < 0x7f && n < max - 1) {
			buf[n++] = c;
			printk("%c", c);
		}
	}
}

int monitor_run_command(const char *line, struct hw_trapframe *tf)
{
	char copy[MON_LINE_MAX], *argv[MON_MAX_ARGS + 1], *p = copy;
	int argc = 0;

	strlcpy(copy, line, sizeof(copy));
	while (*p && argc < MON_MAX_ARGS) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	argv[argc] = NULL;
	if (!argc)
		return 0;
	for (const struct monitor_cmd *c = __moncmds_start; c < __moncmds_end; c++)
		if (!strcmp(c->name, argv[0]))
			return c->fn(argc, argv, tf);
	printk("unknown command '%s' (try help)\n", argv[0]);
	return -1;
}

/* Return value used by `continue` to leave the loop. */
#define MON_EXIT	1

void monitor(struct hw_trapframe *tf)
{
	char line[MON_LINE_MAX];
	u64 flags = local_irq_save();
	int me = core_id();

	watchdog_suspend();	/* this CPU takes no ticks until `continue` */
	while (!__atomic_compare_exchange_n(&monitor_owner, &(int){ -1 }, me, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		if (monitor_owner == me)
			break;
		cpu_relax();
	}
	console_set_direct(true);
	printk("Entering the kernel monitor on CPU %d; type 'help' for commands.\n", me);
	for (;;) {
		printk("K> ");
		read_line(line, sizeof(line));
		if (monitor_run_command(line, tf) == MON_EXIT)
			break;
	}
	console_set_direct(false);
	monitor_owner = -1;
	watchdog_resume();
	local_irq_restore(flags);
}

void monitor_panic(struct hw_trapframe *tf, const char *why)
{
	cli();
	panicking = true;
	freeze_others();
	printk("PANIC on CPU %d: %s\n", core_id(), why);
	if (panic_exits()) {
		printk("panic: exiting (status %d) as the command line asks\n", PANIC_EXIT_STATUS);
		arch_debug_exit(PANIC_EXIT_STATUS);
	}
	printk("kernel panic: the monitor stays available; `reboot` restarts\n");
	for (;;) {
		monitor(tf);
		printk("cannot continue after a panic\n");
	}
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	cli();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (panicking) {
		/* Recursive panic: report and stop, the monitor itself may be broken. */
		printk("recursive panic at %s:%d: %s\n", file, line, msg);
		for (;;)
			hlt();
	}
	printk("kernel panic at %s:%d: %s\n", file, line, msg);
	backtrace();
	monitor_panic(NULL, msg);
}

static int cmd_help(int argc, char **argv, struct hw_trapframe *tf)
{
	(void)argc;
	(void)argv;
	(void)tf;
	for (const struct monitor_cmd *c = __moncmds_start; c < __moncmds_end; c++)
		printk("%-10s %s\n", c->name, c->help);
	return 0;
}
MONITOR_CMD("help", "list commands", cmd_help);

static int cmd_continue(int argc, char **argv, struct hw_trapframe *tf)
{
	(void)argc;
	(void)argv;
	(void)tf;
	if (panicking)
		return 0;
	cpus_frozen = false;
	return MON_EXIT;
}
MONITOR_CMD("continue", "leave the monitor and resume", cmd_continue);

bool trigger_single_cpu_backtrace(int c)
{
	u64 t0;

	bt_request[c] = true;
	if (!cpus_frozen)
		send_nmi(c);
	t0 = rdtsc();
	while (bt_request[c]) {
		if (tsc_hz && rdtsc() - t0 > tsc_hz) {
			printk("bt: CPU %d did not answer the NMI within 1 s\n", c);
			bt_request[c] = false;
			return false;
		}
		cpu_relax();
	}
	return true;
}

static int cmd_bt(int argc, char **argv, struct hw_trapframe *tf)
{
	int c;

	if (argc < 2) {
		if (tf)
			backtrace_from(tf->rip, tf->rbp);
		else
			backtrace();
		return 0;
	}
	c = (int)strtoul(argv[1], NULL, 0);
	if (c < 0 || c >= num_cpus || !cpu_online[c]) {
		printk("bt: no online CPU %d\n", c);
		return -1;
	}
	if (c == core_id()) {
		backtrace();
		return 0;
	}
	return trigger_single_cpu_backtrace(c) ? 0 : -1;
}
MONITOR_CMD("bt", "bt [core]: backtrace of this or another core (via NMI)", cmd_bt);

static int cmd_hexdump(int argc, char **argv, struct hw_trapframe *tf)
{
	uintptr_t addr;
	size_t len;

	(void)tf;
	if (argc < 3) {
		printk("usage: hexdump ADDR LEN\n");
		return -1;
	}
	addr = strtoul(argv[1], NULL, 16);
	len = strtoul(argv[2], NULL, 0);
	if (len > 4096)
		len = 4096;
	if (!vm_kernel_range_mapped(addr, len)) {
		printk("hexdump: %lx..+%zu is not mapped kernel memory\n", (unsigned long)addr,
		       len);
		return -1;
	}
	for (size_t off = 0; off < len; off += 16) {
		const u8 *p = (const u8 *)(addr + off);
		char ascii[17];
		size_t n = MIN(16, len - off);

		printk("%016lx:", (unsigned long)(addr + off));
		for (size_t i = 0; i < 16; i++) {
			if (i < n)
				printk(" %02x", p[i]);
			else
				printk("   ");
			ascii[i] = i < n && p[i] >= 0x20 && p[i] < 0x7f ? p[i] : (i < n ? '.' : 0);
		}
		ascii[16] = 0;
		printk("  %s\n", ascii);
	}
	return 0;
}
MONITOR_CMD("hexdump", "hexdump ADDR LEN: dump kernel memory (hex ADDR)", cmd_hexdump);

static int cmd_dmesg(int argc, char **argv, struct hw_trapframe *tf)
{
	char buf[256];
	size_t off = 0, n;

	(void)argc;
	(void)argv;
	(void)tf;
	/* Snapshot the size so our own output does not feed the loop. */
	size_t end = kmsg_size();

	while (off < end && (n = kmsg_read(buf, MIN(sizeof(buf), end - off), off)) > 0) {
		for (size_t i = 0; i < n; i++) {
			if (buf[i] == '\n')
				serial_putc('\r');
			serial_putc(buf[i]);
		}
		off += n;
	}
	return 0;
}
MONITOR_CMD("dmesg", "print the kernel log", cmd_dmesg);

static int cmd_reboot(int argc, char **argv, struct hw_trapframe *tf)
{
	(void)argc;
	(void)argv;
	(void)tf;
	printk("rebooting\n");
	outb(0xCF9, 0x06);		/* PCI reset control: full reset */
	outb(0x64, 0xFE);		/* keyboard controller reset */
	for (;;)
		hlt();
	return 0;
}
MONITOR_CMD("reboot", "reset the machine", cmd_reboot);

static int cmd_cpuinfo(int argc, char **argv, struct hw_trapframe *tf)
{
	u32 regs[12];
	char brand[49];

	(void)argc;
	(void)argv;
	(void)tf;
	for (u32 i = 0; i < 3; i++)
		cpuid(0x80000002 + i, 0, &regs[i * 4], &regs[i * 4 + 1], &regs[i * 4 + 2],
		      &regs[i * 4 + 3]);
	memcpy(brand, regs, 48);
	brand[48] = 0;
	printk("%s\n", brand);
	printk("TSC: %llu.%03llu MHz\n", tsc_hz / 1000000, (tsc_hz / 1000) % 1000);
	printk("%d CPUs (%d online); monitor on CPU %d\n", num_cpus, num_online_cpus(),
	       core_id());
	for (int c = 0; c < num_cpus; c++)
		printk("  cpu %2d: apic id %3u %s\n", c, cpu_apic_id[c],
		       cpu_online[c] ? "online" : "offline");
	return 0;
}
MONITOR_CMD("cpuinfo", "list CPUs", cmd_cpuinfo);
