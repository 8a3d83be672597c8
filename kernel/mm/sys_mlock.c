/*
 * Memory locking and residency: mlock, mlock2, munlock, mlockall,
 * munlockall and mincore.
 *
 * Model: there is no swap and no reclaim of user pages, so a page that is
 * present stays in RAM; locking only has to make pages present and keep
 * the books.  mlock/mlock2 (without MLOCK_ONFAULT) and
 * mlockall(MCL_CURRENT) fault every accessible page of the range in (a
 * private writable page gets its own copy, as Linux's populate), and
 * mlockall(MCL_FUTURE) makes later mmaps locked and resident.  The locked
 * state is VMA_LOCKED on the areas (kern/uvm.h), so /proc/PID/status
 * reports VmLck and fork does not inherit it.  MCL_FUTURE does not cover
 * brk growth.
 *
 * Checks follow Linux: ranges are widened to whole pages; EPERM when
 * RLIMIT_MEMLOCK is 0 without CAP_IPC_LOCK (euid 0), ENOMEM when the
 * locked total would pass it or part of the range is unmapped, EAGAIN when
 * memory ran out while faulting in; mlock2 flags other than
 * MLOCK_ONFAULT and mlockall flags that are empty, unknown or only
 * MCL_ONFAULT give EINVAL.  mincore: EINVAL for an unaligned start,
 * ENOMEM for a range outside user space or with a hole, EFAULT for vec.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/uvm.h>
#include <kern/uaccess.h>
#include <kern/kmalloc.h>
#include <kern/memlayout.h>
#include <kern/errno.h>
#include <abi/mman.h>

#define MINCORE_CHUNK	512		/* vec bytes copied out at a time */

/* May p lock at all (Linux's can_do_mlock)? */
static bool can_lock(struct proc *p)
{
	return p->euid == 0 || READ_ONCE(p->rlimits[RLIMIT_MEMLOCK][0]) != 0;
}

/* mlock/mlock2 core; 0 or -errno. */
static long do_mlock(uintptr_t start, size_t len, bool onfault)
{
	struct proc *p = current_proc();
	struct mm *mm = p->mm;
	uintptr_t end;
	long err;

	if (!can_lock(p))
		return -EPERM;
	len = ROUNDUP(len + (start & (PGSIZE - 1)), PGSIZE);
	start = ROUNDDOWN(start, PGSIZE);
	if (!len)
		return 0;
	if (check_add_overflow(start, len, &end))
		return -EINVAL;
	if (p->euid) {
		u64 limit = READ_ONCE(p->rlimits[RLIMIT_MEMLOCK][0]);
		u64 locked = len + uvm_locked_bytes(mm, 0, USER_MAX) -
			     uvm_locked_bytes(mm, start, end);

		if (locked > limit)
			return -ENOMEM;
	}
	err = uvm_set_locked(mm, start, len, true);
	if (err)
		return err;
	if (!onfault && uvm_populate(mm, start, end))
		return -EAGAIN;
	return 0;
}

SYSCALL_DEFINE2(mlock, uintptr_t, start, size_t, len)
{
	return do_mlock(start, len, false);
}

SYSCALL_DEFINE3(mlock2, uintptr_t, start, size_t, len, int, flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(start, len, flags & MLOCK_ONFAULT);
}

SYSCALL_DEFINE2(munlock, uintptr_t, start, size_t, len)
{
	len = ROUNDUP(len + (start & (PGSIZE - 1)), PGSIZE);
	start = ROUNDDOWN(start, PGSIZE);
	if (!len)
		return 0;
	return uvm_set_locked(current_proc()->mm, start, len, false);
}

SYSCALL_DEFINE1(mlockall, int, flags)
{
	struct proc *p = current_proc();
	struct mm *mm = p->mm;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_lock(p))
		return -EPERM;
	if ((flags & MCL_CURRENT) && p->euid &&
	    uvm_mapped_bytes(mm, 0, USER_MAX) > READ_ONCE(p->rlimits[RLIMIT_MEMLOCK][0]))
		return -ENOMEM;
	uvm_lock_all(mm, flags & MCL_CURRENT, flags & MCL_FUTURE);
	if ((flags & MCL_CURRENT) && !(flags & MCL_ONFAULT))
		uvm_populate(mm, USER_MIN, USER_MAX);	/* errors ignored, as Linux */
	return 0;
}

SYSCALL_DEFINE0(munlockall)
{
	uvm_unlock_all(current_proc()->mm);
	return 0;
}

SYSCALL_DEFINE3(mincore, uintptr_t, start, size_t, len, u8 *, uvec)
{
	struct mm *mm = current_proc()->mm;
	size_t pages, done = 0;
	u8 *kvec;
	long err = 0;

	if (start & (PGSIZE - 1))
		return -EINVAL;
	if (!user_range_fits(start, len) && len)
		return -ENOMEM;
	pages = len / PGSIZE + ((len & (PGSIZE - 1)) != 0);
	if (!user_range_ok((uintptr_t)uvec, pages))
		return -EFAULT;
	kvec = kmalloc(MINCORE_CHUNK, MEM_WAIT);
	if (!kvec)
		return -ENOMEM;
	while (done < pages) {
		size_t want = MIN(pages - done, MINCORE_CHUNK);
		size_t got = uvm_mincore(mm, start + done * PGSIZE, want, kvec);

		if (copy_to_user(uvec + done, kvec, got)) {
			err = -EFAULT;
			break;
		}
		done += got;
		if (got < want) {
			err = -ENOMEM;
			break;
		}
	}
	kfree(kvec);
	return err;
}
