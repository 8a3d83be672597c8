/*
 * Identities of mapped files.  mmap of a file and exec build one
 * struct vm_file (path, st_dev, st_ino) per mapping call, before touching
 * the address space, since naming a file takes vfs_lock, which is never
 * taken under mm->lock.  Areas then share it by reference: splitting,
 * forking and moving an area take one more, unmapping drops one.  The
 * record is immutable once built, so readers (/proc/PID/maps) only need a
 * reference.  A file renamed or unlinked later keeps the name it had when
 * mapped.
 */
#include <kern/uvm.h>
#include <kern/vfs.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/vmobj.h>

struct vm_file *vm_file_create(struct file *f)
{
	char *path = kmalloc(PATH_MAX, MEM_WAIT);
	struct vm_file *vf = NULL;
	struct abi_stat st;
	ssize_t n;

	if (!path)
		return NULL;
	n = vfs_file_path(f, path, PATH_MAX);
	if (n < 0)
		n = 0;	/* nameless (too long): shown with its identity only */
	path[n] = '\0';
	if (vfs_getattr(f->inode, &st))
		goto out;
	vf = kmalloc(sizeof(*vf) + (size_t)n + 1, MEM_WAIT);
	if (!vf)
		goto out;
	vf->refcnt = 1;
	vf->dev = st.st_dev;
	vf->ino = st.st_ino;
	memcpy(vf->path, path, (size_t)n + 1);
out:
	kfree(path);
	return vf;
}

void vm_file_get(struct vm_file *vf)
{
	if (vf)
		__atomic_fetch_add(&vf->refcnt, 1, __ATOMIC_RELAXED);
}

void vm_file_put(struct vm_file *vf)
{
	if (vf && !__atomic_sub_fetch(&vf->refcnt, 1, __ATOMIC_ACQ_REL))
		kfree(vf);
}

void vm_backing_put(struct vm_backing *b)
{
	if (b->obj)
		vmo_put(b->obj);
	vm_file_put(b->file);
	b->obj = NULL;
	b->file = NULL;
}
