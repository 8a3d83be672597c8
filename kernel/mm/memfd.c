/*
 * memfd_create: an anonymous in-memory file.  It is a ramfs regular file
 * (page cache object and all, so read/write/ftruncate/mmap work as for
 * any ramfs file) whose dentry "memfd:NAME" hangs under the ramfs root
 * but was never linked there: nobody can open it by name, it counts as
 * deleted (d_path shows "/memfd:NAME (deleted)", like Linux's), and it
 * goes away with its last descriptor or mapping.  MFD_HUGETLB is not
 * supported.
 *
 * Seals follow Linux's memfd/tmpfs model: every ramfs regular file has a
 * seal set (in its vm_object, under the object's lock) that starts as
 * F_SEAL_SEAL, i.e. nothing can be added; MFD_ALLOW_SEALING starts it
 * empty.  fcntl F_ADD_SEALS/F_GET_SEALS land here.  The seals are
 * enforced where the data changes: ramfs write and resize
 * (__vmo_seal_write/__vmo_seal_resize), chmod of exec bits (ramfs
 * setattr) and mmap/mprotect of shared areas (sys_mm.c, mm/vma.c).
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/vfs.h>
#include <kern/uaccess.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <kern/vmobj.h>
#include <abi/mman.h>

#define MFD_NAME_MAX		249		/* bytes of NAME, Linux's MFD_NAME_MAX_LEN */
#define MFD_PREFIX		"memfd:"
#define F_ALL_SEALS		(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | \
				 F_SEAL_FUTURE_WRITE | F_SEAL_EXEC)

int memfd_add_seals(struct file *f, u32 seals)
{
	struct vm_object *o = ramfs_file_object(f);
	int err = 0;

	if (!(f->fmode & FMODE_WRITE))
		return -EPERM;
	if ((seals & ~F_ALL_SEALS) || !o)
		return -EINVAL;
	spin_lock(&o->lock);
	if (o->seals & F_SEAL_SEAL) {
		err = -EPERM;
		goto out_unlock;
	}
	/* write_maps only rises from 0 under o->lock: no mapping can slip in. */
	if ((seals & F_SEAL_WRITE) && !(o->seals & F_SEAL_WRITE) &&
	    __atomic_load_n(&o->write_maps, __ATOMIC_RELAXED)) {
		err = -EBUSY;
		goto out_unlock;
	}
	/* Linux: sealing exec on an executable file also seals writes (W^X). */
	if ((seals & F_SEAL_EXEC) && (f->inode->mode & 0111))
		seals |= F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE;
	o->seals |= seals;
out_unlock:
	spin_unlock(&o->lock);
	return err;
}

int memfd_get_seals(struct file *f)
{
	struct vm_object *o = ramfs_file_object(f);
	int seals;

	if (!o)
		return -EINVAL;
	spin_lock(&o->lock);
	seals = (int)o->seals;
	spin_unlock(&o->lock);
	return seals;
}

/*
 * New unlinked ramfs file "memfd:name" owned by ctx's ids, opened
 * read-write, sealable if seal; 0 or -ENOMEM.
 */
static int memfd_open(const struct vfs_ctx *ctx, const char *name, bool seal,
		      struct file **out)
{
	struct path p = vfs_root_path();
	char dname[sizeof(MFD_PREFIX) + MFD_NAME_MAX];
	size_t len = (size_t)snprintf(dname, sizeof(dname), MFD_PREFIX "%s", name);
	struct dentry *d;
	int err;

	spin_lock(&vfs_lock);
	d = d_alloc(p.dentry, dname, len);
	err = d ? ramfs_new_file_locked(d, 0777) : -ENOMEM;
	if (!err) {
		struct vm_object *o = d->inode->priv;

		d->inode->uid = ctx->uid;
		d->inode->gid = ctx->gid;
		if (seal)
			o->seals = 0;	/* nobody else sees the object yet */
	}
	spin_unlock(&vfs_lock);
	if (!d)
		return err;
	p.dentry = d;
	if (!err)
		err = vfs_open_path(&p, O_RDWR | O_LARGEFILE, out);
	path_put(&p);		/* the file holds its own reference */
	return err;
}

SYSCALL_DEFINE2(memfd_create, const char *, uname, unsigned int, flags)
{
	struct proc *p = current_proc();
	char name[MFD_NAME_MAX + 1];
	struct file *f;
	long len;
	int err, fd;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB))
		return -EINVAL;
	len = strncpy_from_user(name, uname, sizeof(name));
	if (len == -ENAMETOOLONG)
		return -EINVAL;
	if (len < 0)
		return len;
	if (flags & MFD_HUGETLB)
		return -EINVAL;	/* no huge pages */
	err = memfd_open(&p->fs, name, flags & MFD_ALLOW_SEALING, &f);
	if (err)
		return err;
	fd = fdt_install(p->fdt, f, 0, flags & MFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}
