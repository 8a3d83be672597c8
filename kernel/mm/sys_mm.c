/*
 * Memory system calls: brk, mmap, munmap, mprotect, madvise, mremap,
 * msync.  Private anonymous mappings are demand-zero.  ramfs files are
 * mapped from their page cache object (kern/vmobj.h): MAP_SHARED maps the
 * file's pages, MAP_PRIVATE maps them copy-on-write.  Shared anonymous
 * memory (and MAP_SHARED of /dev/zero) gets a fresh anonymous object so
 * that it stays shared across fork.  Other files (devices) can only be
 * mapped privately: their bytes are copied in at mmap time.  Every file
 * mapping but /dev/zero's carries the file's identity (struct vm_file,
 * built here before the address space is touched) for /proc/PID/maps.
 * A shared area may be made writable (VMA_MAYWRITE, checked by mprotect)
 * only if its file was opened for writing and is not write-sealed; such
 * areas are counted in the object's write_maps for F_SEAL_WRITE.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/uvm.h>
#include <kern/vfs.h>
#include <kern/kmalloc.h>
#include <kern/memlayout.h>
#include <kern/errno.h>
#include <kern/string.h>
#include <kern/vmobj.h>
#include <abi/mman.h>
#include <abi/resource.h>

#define MAP_KNOWN		(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN | \
				 MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | \
				 MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_FIXED_NOREPLACE)
#define PROT_KNOWN		(PROT_READ | PROT_WRITE | PROT_EXEC)
#define MMAP_CHUNK		(64 * 1024)

/*
 * RLIMIT_AS: may the caller's address space grow by add bytes once
 * [over, over+over_len) (about to be replaced) is gone?  Linux's
 * may_expand_vm: the size of every area counts, whatever its protection.
 */
static bool as_room(struct mm *mm, size_t add, uintptr_t over, size_t over_len)
{
	u64 limit = current_proc()->rlimits[RLIMIT_AS][0];
	size_t now;

	if (limit == ~0ULL)
		return true;
	now = uvm_mapped_bytes(mm, 0, USER_MAX) - (over_len ? uvm_mapped_bytes(mm, over, over + over_len) : 0);
	return now + add >= now && now + add <= limit;
}

SYSCALL_DEFINE1(brk, uintptr_t, addr)
{
	struct mm *mm = current_proc()->mm;
	uintptr_t old = mm->brk;

	if (!addr)
		return old;
	if (addr > old && ROUNDUP(addr, PGSIZE) > ROUNDUP(old, PGSIZE) &&
	    !as_room(mm, ROUNDUP(addr, PGSIZE) - ROUNDUP(old, PGSIZE), 0, 0))
		return old;
	return uvm_brk(mm, addr);
}

/* Fill [va, va+len) of mm from file f at off (bytes past EOF stay zero). */
static int fill_from_file(struct mm *mm, struct file *f, u64 off, uintptr_t va, size_t len)
{
	char *buf = kmalloc(MMAP_CHUNK, MEM_WAIT);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	while (len) {
		size_t n = MIN(len, MMAP_CHUNK);
		ssize_t got = vfs_pread(f, buf, n, off);

		if (got < 0) {
			err = got;
			break;
		}
		if (got > 0)
			err = uvm_write(mm, va, buf, got);
		if (err || (size_t)got < n)
			break;
		off += n;
		va += n;
		len -= n;
	}
	kfree(buf);
	return err;
}

#define DEV_ZERO	ABI_MKDEV(1, 5)
#define SHMEM_NAME	"/dev/zero (deleted)"

/* Shared anonymous memory: a fresh object named like Linux's shmem; 0 or -ENOMEM. */
static int shmem_backing(size_t rlen, struct vm_backing *b)
{
	b->obj = vmo_create(rlen);
	b->name = SHMEM_NAME;
	b->pgoff = 0;
	return b->obj ? 0 : -ENOMEM;
}

/*
 * MAP_SHARED of file f's page cache object o with prot: -EPERM for
 * PROT_WRITE under a write seal.  Otherwise *pending is o if the area
 * may be writable (f open for writing, no write seal): then a count in
 * o->write_maps is taken under o->lock, so that F_SEAL_WRITE sees the
 * mapping being made; the caller drops it with vmo_put_map(o, true).
 */
static int shared_file_check(struct file *f, struct vm_object *o, int prot,
			     struct vm_object **pending)
{
	int err = 0;

	spin_lock(&o->lock);
	if (o->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) {
		if (prot & PROT_WRITE)
			err = -EPERM;
	} else if (f->fmode & FMODE_WRITE) {
		vmo_get_map(o, true);
		*pending = o;
	}
	spin_unlock(&o->lock);
	return err;
}

/*
 * Check flags/prot/fd of an mmap call and fill in its backing b (with
 * references: vm_backing_put); *fp gets the file (referenced), *maywrite
 * VMA_MAYWRITE if a shared area may be writable, *pending the object of a
 * pending writable mapping (shared_file_check).  A file identity without
 * an object means its bytes are copied in.  0 or -errno.
 */
static int mmap_backing(struct proc *p, int prot, int flags, int fd, u64 off, size_t rlen,
			struct file **fp, struct vm_backing *b, int *maywrite,
			struct vm_object **pending)
{
	int type = flags & MAP_TYPE, err;
	struct file *f;
	u64 end;

	if (check_add_overflow(off, (u64)rlen, &end) || end / PGSIZE < off / PGSIZE)
		return -EOVERFLOW;
	*maywrite = type == MAP_PRIVATE ? 0 : VMA_MAYWRITE;
	if (flags & MAP_ANONYMOUS)
		return type == MAP_PRIVATE ? 0 : shmem_backing(rlen, b);
	f = fdt_get(p->fdt, fd);
	if (!f)
		return -EBADF;
	*fp = f;
	if (!(f->fmode & FMODE_READ) || (type != MAP_PRIVATE && (prot & PROT_WRITE) &&
					  !(f->fmode & FMODE_WRITE)))
		return -EACCES;
	if (S_ISDIR(f->inode->mode))
		return -ENODEV;
	if (S_ISCHR(f->inode->mode) && f->inode->rdev == DEV_ZERO)
		return type == MAP_PRIVATE ? 0 : shmem_backing(rlen, b);	/* as anonymous */
	b->obj = ramfs_file_object(f);
	if (b->obj)
		vmo_get(b->obj);
	else if (type != MAP_PRIVATE)
		return -ENODEV;
	if (b->obj && type != MAP_PRIVATE) {
		err = shared_file_check(f, b->obj, prot, pending);
		if (err)
			return err;
		*maywrite = *pending ? VMA_MAYWRITE : 0;
	}
	b->file = vm_file_create(f);
	if (!b->file)
		return -ENOMEM;
	return 0;
}

SYSCALL_DEFINE6(mmap, uintptr_t, addr, size_t, len, int, prot, int, flags, int, fd, u64, off)
{
	struct proc *p = current_proc();
	struct mm *mm = p->mm;
	struct vm_backing b = { .pgoff = off / PGSIZE };
	struct vm_object *pending = NULL;
	struct file *f = NULL;
	int type = flags & MAP_TYPE, err, vflags, maywrite = 0;
	size_t rlen;

	if (!len || (off & (PGSIZE - 1)) || (prot & ~PROT_KNOWN))
		return -EINVAL;
	if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN))
		return -EOPNOTSUPP;
	if (flags & MAP_HUGETLB)
		return -EINVAL;
	rlen = ROUNDUP(len, PGSIZE);
	if (!rlen || rlen > USER_MAX)
		return -ENOMEM;
	err = mmap_backing(p, prot, flags, fd, off, rlen, &f, &b, &maywrite, &pending);
	if (err)
		goto out;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
	    ((addr & (PGSIZE - 1)) || !user_range_fits(addr, rlen))) {
		err = -EINVAL;
		goto out;
	}
	if (!as_room(mm, rlen, addr, (flags & MAP_FIXED) ? rlen : 0)) {
		err = -ENOMEM;
		goto out;
	}
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if ((flags & MAP_FIXED_NOREPLACE) && uvm_find_free(mm, addr, rlen) != addr) {
			err = -EEXIST;
			goto out;
		}
		if (flags & MAP_FIXED)
			uvm_unmap(mm, addr, rlen);
	}
	vflags = (type == MAP_PRIVATE ? VMA_PRIVATE : VMA_SHARED) | maywrite |
		 (flags & MAP_GROWSDOWN ? VMA_GROWSDOWN : 0) | (flags & MAP_LOCKED ? VMA_LOCKED : 0);
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		err = uvm_map_backed(mm, addr, rlen, prot, vflags, &b);
	} else {
		/* The hint if it is free, else above mmap_base, else anywhere (~1 TiB limit). */
		uintptr_t hint = addr ? ROUNDUP(addr, PGSIZE) : 0;

		err = -ENOMEM;
		if (hint)
			err = uvm_map_search(mm, hint, true, rlen, prot, vflags, &b, &addr);
		if (err)
			err = uvm_map_search(mm, mm->mmap_base, false, rlen, prot, vflags, &b, &addr);
		if (err)
			err = uvm_map_search(mm, USER_MMAP_LOW, false, rlen, prot, vflags, &b, &addr);
		if (err)
			goto out;
	}
	if (!err && b.file && !b.obj)
		err = fill_from_file(mm, f, off, addr, len);	/* a device, mapped privately */
	/* Locked areas (MAP_LOCKED, mlockall(MCL_FUTURE)) start resident, as on Linux. */
	if (!err && ((flags & MAP_LOCKED) || READ_ONCE(mm->lock_future)))
		err = uvm_populate(mm, addr, addr + rlen);
	if (err && err != -ENOMEM)
		uvm_unmap(mm, addr, rlen);
out:
	if (pending)
		vmo_put_map(pending, true);	/* the area (if any) holds its own count */
	vm_backing_put(&b);
	if (f)
		file_put(f);
	return err ? err : (long)addr;
}

SYSCALL_DEFINE2(munmap, uintptr_t, addr, size_t, len)
{
	if ((addr & (PGSIZE - 1)) || !len || !user_range_fits(addr, ROUNDUP(len, PGSIZE)))
		return -EINVAL;
	return uvm_unmap(current_proc()->mm, addr, len);
}

SYSCALL_DEFINE3(mprotect, uintptr_t, addr, size_t, len, int, prot)
{
	if ((addr & (PGSIZE - 1)) || (prot & ~(PROT_KNOWN | 0x01000000 | 0x02000000)))
		return -EINVAL;
	if (!len)
		return 0;
	if (!user_range_fits(addr, ROUNDUP(len, PGSIZE)))
		return -ENOMEM;
	return uvm_protect(current_proc()->mm, addr, len, prot & PROT_KNOWN);
}

SYSCALL_DEFINE3(madvise, uintptr_t, addr, size_t, len, int, advice)
{
	if (addr & (PGSIZE - 1))
		return -EINVAL;
	if (advice == MADV_DONTNEED && len)
		return uvm_discard(current_proc()->mm, addr, ROUNDUP(len, PGSIZE));
	return 0;
}

/* Map new_len bytes of backing b at dst, continuing at page grow of b; 0 or -errno. */
static int map_more(struct mm *mm, uintptr_t dst, size_t len, int prot, int vflags,
		    const struct vm_backing *b, u64 grow)
{
	struct vm_backing more = *b;

	more.pgoff = grow;
	return uvm_map_backed(mm, dst, len, prot, vflags, &more);
}

/* mremap once the source area is known (b: its backing at addr); the new address or -errno. */
static long do_mremap(struct mm *mm, uintptr_t addr, size_t old_len, size_t new_len, int flags,
		      uintptr_t new_addr, int prot, int vflags, const struct vm_backing *b)
{
	uintptr_t dst;
	int err;

	if (new_len > old_len &&
	    !as_room(mm, new_len - old_len, new_addr,
		     (flags & MREMAP_FIXED) && user_range_fits(new_addr, new_len) ? new_len : 0))
		return -ENOMEM;
	if (flags & MREMAP_FIXED) {
		if ((new_addr & (PGSIZE - 1)) || !user_range_fits(new_addr, new_len) ||
		    (new_addr < addr + old_len && addr < new_addr + new_len))
			return -EINVAL;
		uvm_unmap(mm, new_addr, new_len);
		dst = new_addr;
	} else if (old_len && new_len <= old_len) {
		if (new_len < old_len)
			uvm_unmap(mm, addr + new_len, old_len - new_len);
		return addr;
	} else if (old_len &&
		   uvm_find_free(mm, addr + old_len, new_len - old_len) == addr + old_len) {
		err = map_more(mm, addr + old_len, new_len - old_len, prot, vflags, b,
			       b->pgoff + old_len / PGSIZE);
		return err ? err : (long)addr;
	} else if (!(flags & MREMAP_MAYMOVE)) {
		return -ENOMEM;
	} else {
		dst = uvm_find_free(mm, mm->mmap_base, new_len);
		if (!dst)
			dst = uvm_find_free(mm, USER_MMAP_LOW, new_len);
		if (!dst)
			return -ENOMEM;
	}
	if (!old_len) {
		/* Duplicate a shared mapping: a second view of the same pages. */
		err = map_more(mm, dst, new_len, prot, vflags, b, b->pgoff);
		return err ? err : (long)dst;
	}
	if (new_len < old_len) {
		uvm_unmap(mm, addr + new_len, old_len - new_len);
		old_len = new_len;
	}
	err = uvm_move(mm, addr, old_len, dst);
	if (!err && new_len > old_len)
		err = map_more(mm, dst + old_len, new_len - old_len, prot, vflags, b,
			       b->pgoff + old_len / PGSIZE);
	return err ? err : (long)dst;
}

/*
 * Grow or shrink [addr, addr+old_len), moving it if allowed; the new
 * address or -errno.  old_len 0 duplicates a shared mapping (EINVAL for a
 * private one, ENOMEM without MREMAP_MAYMOVE, as Linux).
 */
SYSCALL_DEFINE5(mremap, uintptr_t, addr, size_t, old_len, size_t, new_len, int, flags,
		uintptr_t, new_addr)
{
	struct mm *mm = current_proc()->mm;
	struct vm_backing b;
	int prot, vflags;
	long ret;

	if ((addr & (PGSIZE - 1)) || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) ||
	    ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) || !new_len)
		return -EINVAL;
	old_len = ROUNDUP(old_len, PGSIZE);
	new_len = ROUNDUP(new_len, PGSIZE);
	if (!new_len || !user_range_fits(addr, old_len) || new_len > USER_MAX)
		return -EINVAL;
	ret = uvm_area_info(mm, addr, old_len, &prot, &vflags, &b);
	if (ret)
		return ret;
	if (!old_len && !(vflags & VMA_SHARED))
		ret = -EINVAL;
	else
		ret = do_mremap(mm, addr, old_len, new_len, flags, new_addr, prot, vflags, &b);
	vm_backing_put(&b);
	return ret;
}

/* Shared mappings of in-memory files have no backing store to write: nothing to do. */
SYSCALL_DEFINE3(msync, uintptr_t, addr, size_t, len, int, flags)
{
	if ((addr & (PGSIZE - 1)) || (flags & ~7) || ((flags & 1) && (flags & 4)))
		return -EINVAL;
	if (!user_range_fits(addr, ROUNDUP(len, PGSIZE)))
		return -ENOMEM;
	if (len && !uvm_range_mapped(current_proc()->mm, addr, ROUNDUP(len, PGSIZE)))
		return -ENOMEM;
	return 0;
}
