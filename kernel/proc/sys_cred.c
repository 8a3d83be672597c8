/*
 * Credentials and resource limits: the uid/gid family with Linux's rules
 * (root may set anything; others may only switch among their real, saved
 * and effective ids), umask, rlimits and resource usage.
 *
 * The filesystem ids (fsuid/fsgid, what permission checks and new files
 * use) are p->fs.uid/gid.  Every change of the effective id resets them
 * to it; setfsuid/setfsgid set them alone (root, or to one of the real,
 * effective, saved or current filesystem ids) and always return the old
 * value, also when they refuse.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/uaccess.h>
#include <kern/errno.h>
#include <kern/string.h>
#include <abi/resource.h>

SYSCALL_DEFINE0(getuid) { return current_proc()->uid; }
SYSCALL_DEFINE0(geteuid) { return current_proc()->euid; }
SYSCALL_DEFINE0(getgid) { return current_proc()->gid; }
SYSCALL_DEFINE0(getegid) { return current_proc()->egid; }

/* May the process take id as a uid (or gid when gid is set)? */
static bool id_allowed(struct proc *p, u32 id, bool gid)
{
	if (p->euid == 0)
		return true;
	return gid ? (id == p->gid || id == p->egid || id == p->sgid)
		   : (id == p->uid || id == p->euid || id == p->suid);
}

/* setresuid/setresgid core: -1 leaves an id unchanged. */
static long set_ids(u32 r, u32 e, u32 s, bool gid)
{
	struct proc *p = current_proc();
	u32 *ids[3] = { gid ? &p->gid : &p->uid, gid ? &p->egid : &p->euid,
			gid ? &p->sgid : &p->suid };
	u32 nv[3] = { r, e, s };

	for (int i = 0; i < 3; i++)
		if (nv[i] != (u32)-1 && !id_allowed(p, nv[i], gid))
			return -EPERM;
	for (int i = 0; i < 3; i++)
		if (nv[i] != (u32)-1)
			*ids[i] = nv[i];
	if (gid)
		p->fs.gid = p->egid;
	else
		p->fs.uid = p->euid;
	return 0;
}

SYSCALL_DEFINE1(setuid, u32, uid)
{
	struct proc *p = current_proc();

	if (p->euid == 0)
		return set_ids(uid, uid, uid, false);
	return set_ids(-1, uid, -1, false);
}

SYSCALL_DEFINE1(setgid, u32, gid)
{
	struct proc *p = current_proc();

	if (p->euid == 0)
		return set_ids(gid, gid, gid, true);
	return set_ids(-1, gid, -1, true);
}

/* setfsuid/setfsgid core: returns the previous filesystem id; -1 only queries. */
static long set_fsid(u32 id, bool gid)
{
	struct proc *p = current_proc();
	u32 *fs = gid ? &p->fs.gid : &p->fs.uid;
	u32 old = *fs;

	if (id == (u32)-1)
		return old;
	if (id_allowed(p, id, gid) || id == old)
		*fs = id;
	return old;
}

SYSCALL_DEFINE1(setfsuid, u32, uid) { return set_fsid(uid, false); }
SYSCALL_DEFINE1(setfsgid, u32, gid) { return set_fsid(gid, true); }

SYSCALL_DEFINE2(setreuid, u32, r, u32, e) { return set_ids(r, e, -1, false); }
SYSCALL_DEFINE2(setregid, u32, r, u32, e) { return set_ids(r, e, -1, true); }
SYSCALL_DEFINE3(setresuid, u32, r, u32, e, u32, s) { return set_ids(r, e, s, false); }
SYSCALL_DEFINE3(setresgid, u32, r, u32, e, u32, s) { return set_ids(r, e, s, true); }

static long get_ids(u32 *ur, u32 *ue, u32 *us, bool gid)
{
	struct proc *p = current_proc();
	u32 v[3] = { gid ? p->gid : p->uid, gid ? p->egid : p->euid, gid ? p->sgid : p->suid };

	if (copy_to_user(ur, &v[0], 4) || copy_to_user(ue, &v[1], 4) || copy_to_user(us, &v[2], 4))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresuid, u32 *, r, u32 *, e, u32 *, s) { return get_ids(r, e, s, false); }
SYSCALL_DEFINE3(getresgid, u32 *, r, u32 *, e, u32 *, s) { return get_ids(r, e, s, true); }

SYSCALL_DEFINE2(getgroups, int, size, u32 *, ulist)
{
	u32 g = current_proc()->gid;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return 1;
	return copy_to_user(ulist, &g, sizeof(g)) ? -EFAULT : 1;
}

SYSCALL_DEFINE2(setgroups, int, size, const u32 *, ulist)
{
	if (current_proc()->euid)
		return -EPERM;
	return size >= 0 && size <= 65536 ? 0 : -EINVAL;
}

SYSCALL_DEFINE1(umask, u32, mask)
{
	return vfs_set_umask(&current_proc()->fs, mask & 0777);
}

/* prlimit core for the calling process (pid 0 or our own). */
SYSCALL_DEFINE4(prlimit64, int, pid, int, res, const struct abi_rlimit *, unew,
		struct abi_rlimit *, uold)
{
	struct proc *p = current_proc();
	struct abi_rlimit nl, ol;

	if (pid && pid != p->pid)
		return -ESRCH;
	if (res < 0 || res >= RLIM_NLIMITS)
		return -EINVAL;
	ol.cur = p->rlimits[res][0];
	ol.max = p->rlimits[res][1];
	if (unew) {
		if (copy_from_user(&nl, unew, sizeof(nl)))
			return -EFAULT;
		if (nl.cur > nl.max)
			return -EINVAL;
		if (nl.max > ol.max && p->euid)
			return -EPERM;
		if (res == RLIMIT_NOFILE && nl.cur > (u64)p->fdt->max && nl.cur > 1048576)
			return -EPERM;
		p->rlimits[res][0] = nl.cur;
		p->rlimits[res][1] = nl.max;
		if (res == RLIMIT_NOFILE)
			p->fdt->max = nl.cur > 1048576 ? 1048576 : (int)nl.cur;
	}
	if (uold && copy_to_user(uold, &ol, sizeof(ol)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(getrlimit, int, res, struct abi_rlimit *, uold)
{
	struct syscall_args a = { { 0, (u64)res, 0, (u64)uold, 0, 0 }, NULL };

	return sys_prlimit64(&a);
}

SYSCALL_DEFINE2(setrlimit, int, res, const struct abi_rlimit *, unew)
{
	struct syscall_args a = { { 0, (u64)res, (u64)unew, 0, 0, 0 }, NULL };

	return sys_prlimit64(&a);
}

SYSCALL_DEFINE2(getrusage, int, who, struct abi_rusage *, uru)
{
	struct proc *p = current_proc();
	struct abi_rusage ru;
	u64 u = 0, s = 0;
	struct task *t;

	if (who == 0 || who == 1) {		/* RUSAGE_SELF, RUSAGE_THREAD */
		u = p->utime_ns;
		s = p->stime_ns;
		list_for_each_entry(t, &p->tasks, proc_link) {
			u += t->utime_ns;
			s += t->stime_ns;
		}
	} else if (who == -1) {			/* RUSAGE_CHILDREN */
		u = p->cutime_ns;
		s = p->cstime_ns;
	} else {
		return -EINVAL;
	}
	memset(&ru, 0, sizeof(ru));
	ru.utime_sec = u / 1000000000;
	ru.utime_usec = (u % 1000000000) / 1000;
	ru.stime_sec = s / 1000000000;
	ru.stime_usec = (s % 1000000000) / 1000;
	return copy_to_user(uru, &ru, sizeof(ru)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(getpriority, int, which, int, who)
{
	return which >= 0 && which <= 2 ? 20 : -EINVAL;	/* nice 0, in Linux's 40-nice encoding */
}

SYSCALL_DEFINE3(setpriority, int, which, int, who, int, prio)
{
	return which >= 0 && which <= 2 ? 0 : -EINVAL;
}
