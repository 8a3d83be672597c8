/*
 * memfd_create: an anonymous in-memory file.  It is a ramfs regular file
 * (page cache object and all, so read/write/ftruncate/mmap work as for
 * any ramfs file) whose dentry "memfd:NAME" hangs under the ramfs root
 * but was never linked there: nobody can open it by name, it counts as
 * deleted (d_path shows "/memfd:NAME (deleted)", like Linux's), and it
 * goes away with its last descriptor or mapping.  File sealing
 * (MFD_ALLOW_SEALING, F_ADD_SEALS) is not supported; MFD_HUGETLB neither.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/vfs.h>
#include <kern/uaccess.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>

#define MFD_CLOEXEC		0x0001U
#define MFD_ALLOW_SEALING	0x0002U
#define MFD_HUGETLB		0x0004U
#define MFD_NAME_MAX		249		/* bytes of NAME, Linux's MFD_NAME_MAX_LEN */
#define MFD_PREFIX		"memfd:"

/* New unlinked ramfs file "memfd:name" owned by ctx's ids, opened read-write; 0 or -ENOMEM. */
static int memfd_open(const struct vfs_ctx *ctx, const char *name, struct file **out)
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
		d->inode->uid = ctx->uid;
		d->inode->gid = ctx->gid;
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
	if (flags & (MFD_ALLOW_SEALING | MFD_HUGETLB))
		return -EINVAL;	/* no seals, no huge pages */
	err = memfd_open(&p->fs, name, &f);
	if (err)
		return err;
	fd = fdt_install(p->fdt, f, 0, flags & MFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}
