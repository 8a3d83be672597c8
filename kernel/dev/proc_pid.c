/*
 * #proc per-process files: /proc/PID/{stat,status,statm,comm,cmdline,
 * environ,maps} and the same for task/TID, in Linux's formats (fs/proc/
 * array.c and task_mmu.c describe them; busybox ps/top and glibc parse
 * them).
 *
 * Collecting follows one rule: take proc_tree_lock (keeps the struct proc
 * alive) and proc->lock (keeps mm/fdt/fs attached, see exit.c), copy
 * numbers into a struct proc_info and take a reference on the mm, unlock,
 * and only then format and read user memory (uvm_read may fault pages
 * in; slice growth allocates with MEM_WAIT).
 */
#include <kern/proc.h>
#include <kern/mcp.h>
#include <kern/sched.h>
#include <kern/uvm.h>
#include <kern/vfs.h>
#include <kern/string.h>
#include <kern/printk.h>
#include <kern/errno.h>
#include <kern/time.h>
#include <kern/kmalloc.h>
#include <kern/memlayout.h>
#include <kern/tty.h>
#include <abi/stat.h>
#include <abi/procfs.h>
#include "proc_internal.h"

#define ARGS_MAX	(128 * 1024)	/* cap on cmdline/environ text */

static char task_letter(const struct task *t)
{
	if (t->stopped)
		return 'T';
	if (t->state == TASK_RUNNING || t->state == TASK_RUNNABLE)
		return 'R';
	if (t->state == TASK_UNINTERRUPTIBLE)
		return 'D';
	return 'S';
}

/* Process state letter from its tasks (p->lock held). */
static char proc_letter(struct proc *p)
{
	struct task *t;
	char c = 0;

	if (p->zombie || list_empty(&p->tasks))
		return 'Z';
	list_for_each_entry(t, &p->tasks, proc_link) {
		char l = task_letter(t);

		if (l == 'R')
			return 'R';
		if (!c || l == 'S')
			c = l;
	}
	return c;
}

/* Signal sets from the dispositions (handler values as in abi: 0 default, 1 ignore). */
static void sig_sets(struct proc *p, struct proc_info *pi)
{
	if (!p->sighand)
		return;
	for (int s = 1; s <= 64 && s <= NSIG; s++) {
		unsigned long h = (unsigned long)p->sighand->action[s - 1].handler;

		if (h == (unsigned long)SIG_IGN)
			pi->sigign |= 1ULL << (s - 1);
		else if (h != (unsigned long)SIG_DFL)
			pi->sigcgt |= 1ULL << (s - 1);
	}
	pi->shdpnd = p->shared_pending.set;
}

int proc_info_get(int pid, int tid, struct proc_info *pi)
{
	struct proc *p;
	struct task *t;
	int err = 0;
	bool found = !tid;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	memset(pi, 0, sizeof(*pi));
	p = __pid_lookup(pid);
	if (!p || p->pid != pid) {
		err = -ENOENT;
		goto out;
	}
	pi->pid = pid;
	pi->tid = tid ? tid : pid;
	pi->ppid = p->parent ? p->parent->pid : 0;
	pi->pgid = p->pgid;
	pi->sid = p->sid;
	tty_proc_stat(p, &pi->tty_nr, &pi->tpgid);
	pi->uid = p->uid; pi->euid = p->euid; pi->suid = p->suid;
	pi->gid = p->gid; pi->egid = p->egid; pi->sgid = p->sgid;
	pi->fsuid = p->fs.uid; pi->fsgid = p->fs.gid;
	pi->exit_signal = p->exit_signal;
	pi->start_ns = p->start_ns;
	pi->cutime_ns = p->cutime_ns;
	pi->cstime_ns = p->cstime_ns;
	spin_lock(&p->lock);
	memcpy(pi->comm, p->comm, sizeof(pi->comm));
	pi->comm[PROC_COMM_LEN - 1] = '\0';
	pi->umask = p->fs.fs ? READ_ONCE(p->fs.fs->umask) : 0;
	pi->state = proc_letter(p);
	pi->utime_ns = tid ? 0 : p->utime_ns;
	pi->stime_ns = tid ? 0 : p->stime_ns;
	pi->exit_code = p->zombie ? p->exit_status : 0;
	list_for_each_entry(t, &p->tasks, proc_link) {
		if (t->kworker) {	/* not a thread (struct task.kworker); its time is the process's */
			if (!tid) {
				pi->utime_ns += t->utime_ns;
				pi->stime_ns += t->stime_ns;
			}
			continue;
		}
		pi->threads++;
		if (tid && t->tid != tid)
			continue;
		if (tid || t->tid == pid) {
			pi->sigblk = t->sigmask;
			pi->sigpnd = t->pending.set;
			pi->cpu = t->cpu;
		}
		if (tid) {
			found = true;
			pi->state = task_letter(t);
		}
		pi->utime_ns += t->utime_ns;
		pi->stime_ns += t->stime_ns;
	}
	sig_sets(p, pi);
	pi->fdsize = p->fdt ? p->fdt->size : 0;
	pi->mm = p->mm;
	if (pi->mm && found)
		mm_get(pi->mm);
	else
		pi->mm = NULL;
	spin_unlock(&p->lock);
	if (!found)
		err = -ENOENT;
out:
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return err;
}

void proc_info_put(struct proc_info *pi)
{
	if (pi->mm)
		mm_put(pi->mm);
	pi->mm = NULL;
}

int proc_may_access(int pid)
{
	struct proc *me = current_proc(), *p;
	int err = -ENOENT;
	u64 flags;

	if (!me || me->euid == 0)
		return 0;
	flags = spin_lock_irqsave(&proc_tree_lock);
	p = __pid_lookup(pid);
	if (p && p->pid == pid) {
		bool same = p->uid == me->euid && p->euid == me->euid && p->suid == me->euid &&
			p->gid == me->egid && p->egid == me->egid && p->sgid == me->egid;

		err = same ? 0 : -EACCES;
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return err;
}

/* Address-space numbers for stat/status/statm (sizes in bytes). */
struct mm_numbers {
	u64 vsize, rss, stack, data, exe, locked;
	uintptr_t start_code, end_code, start_stack, brk_start, brk;
	uintptr_t arg_start, arg_end, env_start, env_end;
};

static void mm_numbers(struct mm *mm, struct mm_numbers *n)
{
	struct vm_area *v;
	u64 flags;

	memset(n, 0, sizeof(*n));
	if (!mm)
		return;
	flags = spin_lock_irqsave(&mm->lock);
	list_for_each_entry(v, &mm->vmas, link) {
		u64 len = v->end - v->start;

		n->vsize += len;
		if (v->flags & VMA_LOCKED)
			n->locked += len;
		if (v->flags & VMA_GROWSDOWN)
			n->stack += len;
		else if ((v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED))
			n->data += len;
	}
	n->rss = (u64)mm->rss_pages * PGSIZE;
	n->start_code = mm->start_code;
	n->end_code = mm->end_code;
	n->start_stack = mm->start_stack;
	n->brk_start = mm->brk_start;
	n->brk = mm->brk;
	n->arg_start = mm->arg_start;
	n->arg_end = mm->arg_end;
	n->env_start = mm->env_start;
	n->env_end = mm->env_end;
	spin_unlock_irqrestore(&mm->lock, flags);
	n->exe = n->end_code - n->start_code;
}

static unsigned long long ticks(u64 ns)
{
	return ns / (1000000000ULL / ABI_USER_HZ);
}

/* /proc/PID/stat: the 52 fields of Linux's do_task_stat. */
static int gen_stat(const struct proc_info *pi, struct slice *s)
{
	struct mm_numbers n;
	int r;

	mm_numbers(pi->mm, &n);
	r = slice_printf(s, "%d (%s) %c %d %d %d %d %d %u 0 0 0 0 %llu %llu %llu %llu 20 0 %d 0 %llu ",
			 pi->tid, pi->comm, pi->state, pi->ppid, pi->pgid, pi->sid, pi->tty_nr, pi->tpgid,
			 /* Without an mm (exiting) the value has always had 0x40 too. */
			 ABI_PF_RANDOMIZE | (pi->mm ? 0U : ABI_PF_FORKNOEXEC),
			 ticks(pi->utime_ns), ticks(pi->stime_ns), ticks(pi->cutime_ns),
			 ticks(pi->cstime_ns), pi->threads, ticks(pi->start_ns));
	if (r >= 0)
		r = slice_printf(s, "%llu %llu 18446744073709551615 %lu %lu %lu 0 0 ",
				 (unsigned long long)n.vsize,
				 (unsigned long long)(n.rss / PGSIZE),
				 (unsigned long)n.start_code, (unsigned long)n.end_code,
				 (unsigned long)n.start_stack);
	if (r >= 0)
		r = slice_printf(s, "%llu %llu %llu %llu 0 0 0 %d %d 0 0 0 0 0 ",
				 (unsigned long long)(pi->sigpnd | pi->shdpnd),
				 (unsigned long long)pi->sigblk, (unsigned long long)pi->sigign,
				 (unsigned long long)pi->sigcgt, pi->exit_signal, pi->cpu);
	if (r >= 0)
		r = slice_printf(s, "%lu %lu %lu %lu %lu %lu %lu %d\n",
				 (unsigned long)n.end_code, (unsigned long)n.brk_start,
				 (unsigned long)n.brk_start, (unsigned long)n.arg_start,
				 (unsigned long)n.arg_end, (unsigned long)n.env_start,
				 (unsigned long)n.env_end, pi->exit_code);
	return r < 0 ? r : 0;
}

static const char *state_name(char c)
{
	switch (c) {
	case 'R': return "R (running)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default: return "S (sleeping)";
	}
}

/* /proc/PID/status, the fields busybox and glibc use, in Linux's order and layout. */
static int gen_status(const struct proc_info *pi, struct slice *s)
{
	struct mm_numbers n;
	int r;

	mm_numbers(pi->mm, &n);
	r = slice_printf(s, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\n"
			 "Pid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"
			 "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n"
			 "FDSize:\t%d\nGroups:\t \nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
			 pi->comm, pi->umask, state_name(pi->state), pi->pid, pi->tid, pi->ppid,
			 pi->uid, pi->euid, pi->suid, pi->fsuid, pi->gid, pi->egid, pi->sgid,
			 pi->fsgid, pi->fdsize, pi->pid, pi->tid, pi->pgid, pi->sid);
	if (r >= 0 && pi->mm)
		r = slice_printf(s, "VmPeak:\t%8llu kB\nVmSize:\t%8llu kB\nVmLck:\t%8llu kB\n"
				 "VmPin:\t%8u kB\nVmHWM:\t%8llu kB\nVmRSS:\t%8llu kB\n"
				 "RssAnon:\t%8llu kB\nRssFile:\t%8u kB\nRssShmem:\t%8u kB\n"
				 "VmData:\t%8llu kB\nVmStk:\t%8llu kB\nVmExe:\t%8llu kB\n"
				 "VmLib:\t%8u kB\nVmPTE:\t%8u kB\nVmSwap:\t%8u kB\n",
				 n.vsize >> 10, n.vsize >> 10, n.locked >> 10, 0, n.rss >> 10, n.rss >> 10,
				 n.rss >> 10, 0, 0, n.data >> 10, n.stack >> 10, n.exe >> 10,
				 0, 0, 0);
	if (r >= 0)
		r = slice_printf(s, "Threads:\t%d\nSigQ:\t0/0\nSigPnd:\t%016llx\nShdPnd:\t%016llx\n"
				 "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n"
				 "CapInh:\t0000000000000000\nCapPrm:\t%016llx\nCapEff:\t%016llx\n"
				 "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n"
				 "NoNewPrivs:\t0\nSeccomp:\t0\n"
				 "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n",
				 pi->threads, (unsigned long long)pi->sigpnd,
				 (unsigned long long)pi->shdpnd, (unsigned long long)pi->sigblk,
				 (unsigned long long)pi->sigign, (unsigned long long)pi->sigcgt,
				 pi->euid ? 0ULL : 0x1ffffffffffULL, pi->euid ? 0ULL : 0x1ffffffffffULL);
	return r < 0 ? r : 0;
}

static int gen_statm(const struct proc_info *pi, struct slice *s)
{
	struct mm_numbers n;

	mm_numbers(pi->mm, &n);
	return slice_printf(s, "%llu %llu 0 %llu 0 %llu 0\n", n.vsize / PGSIZE, n.rss / PGSIZE,
			    n.exe / PGSIZE, (n.data + n.stack) / PGSIZE) < 0 ? -ENOMEM : 0;
}

/* Copy user memory [start, end) of mm (argv or envp strings) into s. */
static int gen_user_range(struct mm *mm, uintptr_t start, uintptr_t end, struct slice *s)
{
	size_t len;
	char *buf;
	int err;

	if (!mm || end <= start)
		return 0;
	len = MIN((size_t)(end - start), (size_t)ARGS_MAX);
	buf = kmalloc(len, MEM_WAIT);
	if (!buf)
		return -ENOMEM;
	err = uvm_read(mm, start, buf, len);
	if (!err)
		err = slice_append(s, buf, len);
	kfree(buf);
	return err == -EFAULT ? 0 : err;
}

/* One maps entry, gathered under mm->lock. */
struct map_ent {
	uintptr_t start, end;
	int prot, flags;
	const char *name;	/* static strings ("[heap]", "[stack]") or NULL */
	struct vm_file *file;	/* referenced, or NULL */
	u64 pgoff;
};

/* Drop the file references of m[0..n) and free it. */
static void put_maps(struct map_ent *m, int n)
{
	for (int i = 0; i < n; i++)
		vm_file_put(m[i].file);
	kfree(m);
}

/* Copy of mm's areas into a kmalloc'd array (put_maps); count in *n; NULL on ENOMEM. */
static struct map_ent *collect_maps(struct mm *mm, int *n)
{
	struct map_ent *m = NULL;
	struct vm_area *v;
	int cap = 16, i;

	for (;;) {
		u64 flags;

		m = kmalloc_array((size_t)cap, sizeof(*m), MEM_WAIT);
		if (!m)
			return NULL;
		i = 0;
		flags = spin_lock_irqsave(&mm->lock);
		list_for_each_entry(v, &mm->vmas, link) {
			if (i < cap)
				m[i] = (struct map_ent){ v->start, v->end, v->prot, v->flags, v->name,
							 v->file, v->pgoff };
			i++;
		}
		for (int j = 0; j < i && i <= cap; j++)
			vm_file_get(m[j].file);
		spin_unlock_irqrestore(&mm->lock, flags);
		if (i <= cap)
			break;
		kfree(m);
		cap = i + 8;
	}
	*n = i;
	return m;
}

/* /proc/PID/maps: file areas show the file's offset, device, inode and path. */
static int gen_maps(const struct proc_info *pi, struct slice *s)
{
	struct map_ent *m;
	int cnt = 0, r = 0;

	if (!pi->mm)
		return 0;
	m = collect_maps(pi->mm, &cnt);
	if (!m)
		return -ENOMEM;
	for (int i = 0; i < cnt && r >= 0; i++) {
		const struct vm_file *vf = m[i].file;
		const char *name = vf ? vf->path : m[i].name;
		size_t before = s->len;

		r = slice_printf(s, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %llu ",
				 (unsigned long)m[i].start, (unsigned long)m[i].end,
				 (m[i].prot & PROT_READ) ? 'r' : '-', (m[i].prot & PROT_WRITE) ? 'w' : '-',
				 (m[i].prot & PROT_EXEC) ? 'x' : '-', (m[i].flags & VMA_SHARED) ? 's' : 'p',
				 vf ? (unsigned long long)m[i].pgoff * PGSIZE : 0ULL,
				 vf ? ABI_MAJOR(vf->dev) : 0U, vf ? ABI_MINOR(vf->dev) : 0U,
				 vf ? (unsigned long long)vf->ino : 0ULL);
		if (r >= 0 && name && name[0])
			r = slice_printf(s, "%*s%s", (int)MAX(0, 73 - (int)(s->len - before)), "",
					 name);
		if (r >= 0)
			r = slice_append(s, "\n", 1);
	}
	put_maps(m, cnt);
	return r < 0 ? r : 0;
}

int proc_gen_pid(int kind, int pid, int tid, struct slice *s)
{
	struct proc_info pi;
	int err = proc_info_get(pid, tid, &pi);

	if (err)
		return err;
	switch (kind) {
	case PQ_P_STAT:
		err = gen_stat(&pi, s);
		break;
	case PQ_P_STATUS:
		err = gen_status(&pi, s);
		if (!err)
			err = mcp_gen_status(pid, s);
		break;
	case PQ_P_VCORES:
		err = mcp_gen_vcores(pid, s);
		break;
	case PQ_P_STATM:
		err = gen_statm(&pi, s);
		break;
	case PQ_P_COMM:
		err = slice_printf(s, "%s\n", pi.comm) < 0 ? -ENOMEM : 0;
		break;
	case PQ_P_CMDLINE:
		if (pi.mm)
			err = gen_user_range(pi.mm, pi.mm->arg_start, pi.mm->arg_end, s);
		break;
	case PQ_P_ENVIRON:
		if (pi.mm)
			err = gen_user_range(pi.mm, pi.mm->env_start, pi.mm->env_end, s);
		break;
	case PQ_P_MAPS:
		err = gen_maps(&pi, s);
		break;
	case PQ_P_AUXV:
		if (pi.mm)
			err = slice_append(s, pi.mm->saved_auxv, pi.mm->saved_auxv_bytes);
		break;
	default:
		err = -EINVAL;
	}
	proc_info_put(&pi);
	return err;
}
