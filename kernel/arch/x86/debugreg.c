/*
 * x86 debug registers for process debugging (kern/procdbg.h): a traced
 * process's hardware breakpoints (DR0-DR3 and the enables in DR7) are
 * loaded when a CPU switches to one of its threads and cleared when it
 * switches to anything else, so they follow the process from CPU to CPU
 * and never fire for another one.  Each CPU remembers whether its DR7 is
 * live so untraced switches cost one per-CPU read.
 */
#include <kern/procdbg.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/percpu.h>

static DEFINE_PER_CPU(bool, dr_live);

#define SET_DR(n, v)	asm volatile("mov %0, %%db" #n :: "r"((u64)(v)))

void arch_dbg_switch(struct task *next)
{
	struct proc_dbg *d = next->proc ? READ_ONCE(next->proc->dbg) : NULL;
	u64 dr7 = d ? READ_ONCE(d->dr7) : 0;

	if (dr7) {
		SET_DR(0, READ_ONCE(d->dr[0]));
		SET_DR(1, READ_ONCE(d->dr[1]));
		SET_DR(2, READ_ONCE(d->dr[2]));
		SET_DR(3, READ_ONCE(d->dr[3]));
		SET_DR(7, dr7);
		this_cpu_write(dr_live, true);
	} else if (this_cpu_read(dr_live)) {
		SET_DR(7, 0);
		this_cpu_write(dr_live, false);
	}
}

u64 arch_dr6_take(void)
{
	u64 dr6;

	asm volatile("mov %%db6, %0" : "=r"(dr6));
	SET_DR(6, 0xffff0ff0);	/* the architectural reset value */
	return dr6;
}
