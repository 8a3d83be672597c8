/*
 * Another process's memory: who may debug whom, /proc/PID/mem's reads
 * and writes, and process_vm_readv/process_vm_writev.
 *
 * Permission (docs/security.md): root may debug anything; another
 * process only when its real, effective and saved ids all equal the
 * caller's effective ids and it has not made itself non-dumpable
 * (prctl(PR_SET_DUMPABLE, 0)); like Linux's PTRACE_MODE_ATTACH without
 * Yama.  Denials are -EPERM (the /proc files turn them into -EACCES).
 *
 * Access goes through the address space, not the target's page tables as
 * they are: a page not yet present is faulted in, a read-only or PROT_NONE
 * page is readable, and a write into private memory the target shares
 * (its text, a copy-on-write page after fork) gets a private copy first,
 * as ptrace's POKETEXT: a breakpoint planted in a program's text never
 * reaches the page cache or another process.  Copies go page by page so
 * a hole ends a transfer at the page before it (partial counts).
 */
#include <kern/procdbg.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/uvm.h>
#include <kern/kmalloc.h>
#include <kern/uaccess.h>
#include <kern/errno.h>
#include <kern/syscall.h>
#include <kern/memlayout.h>
#include <abi/uio.h>

int procdbg_may_attach(struct proc *p)
{
	struct proc *me = current_proc();
	u32 uid, gid;

	if (!me || me->euid == 0)
		return 0;
	uid = me->euid;
	gid = me->egid;
	if (p->uid != uid || p->euid != uid || p->suid != uid || p->gid != gid ||
	    p->egid != gid || p->sgid != gid)
		return -EPERM;
	return READ_ONCE(p->nondumpable) ? -EPERM : 0;
}

/* pid's address space, referenced, if the caller may debug it; NULL with *err set. */
static struct mm *debuggee_mm(int pid, int *err)
{
	struct proc *p;
	struct mm *mm = NULL;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	p = __pid_lookup(pid);
	*err = -ESRCH;
	if (!p || p->pid != pid)
		goto out;
	*err = procdbg_may_attach(p);
	if (*err)
		goto out;
	spin_lock(&p->lock);
	mm = p->mm;
	if (mm)
		mm_get(mm);
	else
		*err = -ESRCH;	/* a zombie */
	spin_unlock(&p->lock);
out:
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return mm;
}

/* Copy between buf and mm at addr, a page at a time: bytes done (< len at a hole) or -errno. */
static ssize_t mm_rw(struct mm *mm, uintptr_t addr, void *buf, size_t len, bool write)
{
	size_t done = 0;
	int err = 0;

	while (done < len) {
		uintptr_t va = addr + done;
		size_t n = MIN(len - done, PGSIZE - (va & (PGSIZE - 1)));

		if (!user_range_fits(va, n)) {
			err = -EFAULT;
			break;
		}
		err = write ? uvm_write(mm, va, (char *)buf + done, n) :
			      uvm_read(mm, va, (char *)buf + done, n);
		if (err)
			break;
		done += n;
	}
	/* Threads of mm on other CPUs may cache the pages a COW break just replaced. */
	if (write && done)
		tlb_flush_mm(mm);
	return done ? (ssize_t)done : err;
}

ssize_t procmem_rw(int pid, uintptr_t addr, void *buf, size_t len, bool write)
{
	int err;
	struct mm *mm = debuggee_mm(pid, &err);
	ssize_t r;

	if (!mm)
		return err;
	r = mm_rw(mm, addr, buf, len, write);
	mm_put(mm);
	return r;
}

/* A user iovec array of n entries into a kernel copy; NULL with *err set. */
static struct abi_iovec *get_iov(const void *uiov, unsigned long n, int *err)
{
	struct abi_iovec *v;

	*err = -EINVAL;
	if (n > UIO_MAXIOV)
		return NULL;
	*err = -ENOMEM;
	v = kmalloc(sizeof(*v) * (n ? n : 1), MEM_WAIT);
	if (!v)
		return NULL;
	*err = -EFAULT;
	if (copy_from_user(v, uiov, sizeof(*v) * n)) {
		kfree(v);
		return NULL;
	}
	*err = 0;
	return v;
}

/*
 * process_vm_readv/writev: walk both vectors together, a chunk (at most
 * a page of either side) at a time through a bounce page.  Bytes moved,
 * or -errno when none were (EFAULT for a bad local or remote address).
 */
static long process_vm_rw(int pid, const void *ulocal, unsigned long nl, const void *uremote,
			  unsigned long nr, unsigned long flags, bool write)
{
	struct abi_iovec *lv = NULL, *rv = NULL;
	struct mm *mm = NULL;
	char *bounce = NULL;
	unsigned long li = 0, ri = 0;
	u64 loff = 0, roff = 0;
	long done = 0;
	int err;

	if (flags)
		return -EINVAL;
	lv = get_iov(ulocal, nl, &err);
	if (!lv)
		goto out;
	rv = get_iov(uremote, nr, &err);
	if (!rv)
		goto out;
	mm = debuggee_mm(pid, &err);
	if (!mm)
		goto out;
	bounce = kmalloc(PGSIZE, MEM_WAIT);
	err = -ENOMEM;
	if (!bounce)
		goto out;
	err = 0;
	while (li < nl && ri < nr) {
		u64 la = lv[li].base + loff, ra = rv[ri].base + roff;
		size_t n = MIN(lv[li].len - loff, rv[ri].len - roff);
		ssize_t got;

		n = MIN(n, PGSIZE - (ra & (PGSIZE - 1)));
		if (n == 0)
			goto advance;
		if (write && copy_from_user(bounce, (const void *)la, n)) {
			err = -EFAULT;
			break;
		}
		got = mm_rw(mm, ra, bounce, n, write);
		if (got <= 0) {
			err = got ? (int)got : -EFAULT;
			break;
		}
		if (!write && copy_to_user((void *)la, bounce, (size_t)got)) {
			err = -EFAULT;
			break;
		}
		done += got;
		if ((size_t)got < n)
			break;
		loff += n;
		roff += n;
advance:
		if (loff == lv[li].len) {
			li++;
			loff = 0;
		}
		if (roff == rv[ri].len) {
			ri++;
			roff = 0;
		}
	}
out:
	if (mm)
		mm_put(mm);
	kfree(bounce);
	kfree(lv);
	kfree(rv);
	return done ? done : err;
}

SYSCALL_DEFINE6(process_vm_readv, int, pid, const void *, lvec, unsigned long, liovcnt,
		const void *, rvec, unsigned long, riovcnt, unsigned long, flags)
{
	return process_vm_rw(pid, lvec, liovcnt, rvec, riovcnt, flags, false);
}

SYSCALL_DEFINE6(process_vm_writev, int, pid, const void *, lvec, unsigned long, liovcnt,
		const void *, rvec, unsigned long, riovcnt, unsigned long, flags)
{
	return process_vm_rw(pid, lvec, liovcnt, rvec, riovcnt, flags, true);
}
