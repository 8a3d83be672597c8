/*
 * What the files of kernel/debug/ share.  The symbol table the second link
 * embeds in .kallsyms (tools/gen-kallsyms writes it as assembly; the first
 * link gets an empty one): entries sorted by address, each name a
 * NUL-terminated string at kallsyms_names + kallsyms_name_off[i].  And what
 * the lockup detectors share among themselves and with their ktests: the
 * thresholds (from the command line, changed only
 * by the ktests at run time), the report counters the ktests check, and
 * the report helpers that print the common part of every report.
 */
#ifndef KERN_DEBUG_INTERNAL_H
#define KERN_DEBUG_INTERNAL_H

#include <kern/types.h>
#include <kern/sched.h>

extern const u64 kallsyms_num;
extern const u64 kallsyms_addrs[];
extern const u32 kallsyms_name_off[];
extern const char kallsyms_names[];
/* Print backtrace line i for pc (" #NN [<pc>] sym+0xoff"), as every backtrace does. */
void backtrace_print_frame(int i, uintptr_t pc);

struct watchdog_config {
	u64 soft_thresh_ns;	/* not scheduled for this long: soft lockup; 0 = off */
	u64 hard_thresh_ns;	/* buddy without a tick this long: hard lockup; 0 = off */
	u64 hung_timeout_ns;	/* uninterruptible this long: hung task; 0 = off */
	u64 hung_scan_ns;	/* khungtaskd's period */
	bool soft_panic, hard_panic, hung_panic;	/* panic after the report */
	bool brief;		/* ktests: header and the stuck backtrace only */
};

/* Written at boot and by ktests; read with READ_ONCE where it may change. */
extern struct watchdog_config wd_config;

/* Reports so far (the ktests compare them before and after a stall). */
struct watchdog_stats {
	u64 soft[MAX_CPUS];	/* soft lockups reported on CPU i */
	u64 hard[MAX_CPUS];	/* hard lockups of CPU i reported by its buddy */
	u64 hung;		/* hung tasks reported */
};
extern struct watchdog_stats wd_stats;

/* Reports are suppressed (monitor, panic). */
bool wd_quiet(void);
/* Claim the console for one report; false if another report is running. */
bool wd_report_begin(void);
/* Finish a report: every other CPU's backtrace (except skip_cpu, -1 for none) and the task list. */
void wd_report_end(int skip_cpu);
/* Give the console back without reporting anything. */
void wd_report_cancel(void);
/* Print nanoseconds as seconds with milliseconds ("3.004"). */
#define WD_SEC(ns)	(unsigned long long)((ns) / 1000000000ULL), \
			(unsigned long long)((ns) / 1000000ULL % 1000)

/* Report every uninterruptible wait older than the timeout once; returns how many are new. */
int hung_task_scan(void);
/* Start khungtaskd when the command line asked for the hung-task detector. */
void hung_task_init(void);

/* Process debugging (procdbg*.c, see kern/procdbg.h). */
struct proc_dbg;
/* Take a reference on d. */
void procdbg_get(struct proc_dbg *d);
/* Drop a reference on d; the last one frees it. */
void procdbg_put(struct proc_dbg *d);
/* Move d->gen and wake its tracers. */
void procdbg_bump(struct proc_dbg *d);
/* Queue an event line (printf format) for the attached debugger; no-op when detached. */
void procdbg_event(struct proc_dbg *d, const char *fmt, ...) __printf(2, 3);

#endif
