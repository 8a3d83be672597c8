/*
 * syslog(2) (Linux's klogctl) over the kernel log ring of debug/printk.c,
 * for busybox dmesg.  Positions are absolute byte counts since boot
 * (kmsg_end()); the ring keeps the last kmsg_size() bytes.  Two marks:
 * clear_pos (SYSLOG_ACTION_CLEAR: READ_ALL shows only what came after)
 * and read_pos (what the destructive SYSLOG_ACTION_READ consumed).
 *
 * Permissions follow Linux with dmesg_restrict=0: READ_ALL and
 * SIZE_BUFFER for everyone, every other action for root (euid 0) only,
 * else -EPERM.  READ does not block: it returns 0 when nothing is unread.
 * Console on/off/level are accepted and ignored.  Messages carry no
 * "<level>" prefix.
 *
 * Locking: syslog_lock protects clear_pos and read_pos.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/printk.h>
#include <kern/kmalloc.h>
#include <kern/uaccess.h>
#include <kern/spinlock.h>
#include <kern/errno.h>
#include <abi/syslog.h>

static struct spinlock syslog_lock = SPINLOCK_INITIALIZER("syslog");
static size_t clear_pos, read_pos;	/* syslog_lock */

/* Oldest absolute position still in the ring. */
static size_t ring_start(void)
{
	return kmsg_end() - kmsg_size();
}

/*
 * Copy log bytes [from, kmsg_end()) to user buf, at most len (the newest
 * ones when tail is set, else the oldest); bytes copied or -errno; *next
 * gets the position after the last byte copied.
 */
static long copy_log(char *ubuf, size_t len, size_t from, bool tail, size_t *next)
{
	size_t start = ring_start(), end = kmsg_end(), n;
	char *k;

	if (from < start)
		from = start;
	if (from > end)
		from = end;
	n = MIN(len, end - from);
	if (tail)
		from = end - n;
	*next = from + n;
	if (!n)
		return 0;
	k = kmalloc(n, MEM_WAIT);
	if (!k)
		return -ENOMEM;
	n = kmsg_read(k, n, from - start);
	*next = from + n;
	if (copy_to_user(ubuf, k, n)) {
		kfree(k);
		return -EFAULT;
	}
	kfree(k);
	return (long)n;
}

SYSCALL_DEFINE3(syslog, int, type, char *, buf, int, len)
{
	struct proc *p = current_proc();
	size_t next, pos;
	long ret;
	u64 flags;

	if (type < SYSLOG_ACTION_CLOSE || type > SYSLOG_ACTION_SIZE_BUFFER)
		return -EINVAL;
	if (type != SYSLOG_ACTION_READ_ALL && type != SYSLOG_ACTION_SIZE_BUFFER && p->euid != 0)
		return -EPERM;
	switch (type) {
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!buf || len < 0)
			return -EINVAL;
		flags = spin_lock_irqsave(&syslog_lock);
		pos = type == SYSLOG_ACTION_READ ? read_pos : clear_pos;
		spin_unlock_irqrestore(&syslog_lock, flags);
		ret = copy_log(buf, (size_t)len, pos, type != SYSLOG_ACTION_READ, &next);
		if (ret < 0)
			return ret;
		flags = spin_lock_irqsave(&syslog_lock);
		if (type == SYSLOG_ACTION_READ)
			read_pos = next;
		else if (type == SYSLOG_ACTION_READ_CLEAR)
			clear_pos = next;
		spin_unlock_irqrestore(&syslog_lock, flags);
		return ret;
	case SYSLOG_ACTION_CLEAR:
		flags = spin_lock_irqsave(&syslog_lock);
		clear_pos = kmsg_end();
		spin_unlock_irqrestore(&syslog_lock, flags);
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		flags = spin_lock_irqsave(&syslog_lock);
		pos = MAX(read_pos, ring_start());
		spin_unlock_irqrestore(&syslog_lock, flags);
		return (long)(kmsg_end() - pos);
	case SYSLOG_ACTION_SIZE_BUFFER:
		return KMSG_RING_SIZE;
	default:
		return 0;	/* CLOSE, OPEN, CONSOLE_OFF/ON/LEVEL */
	}
}
