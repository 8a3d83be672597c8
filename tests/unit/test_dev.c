/*
 * Host tests of the generic device layer (kernel/dev/dev.c) through the
 * #template device: the first attach of a device survives -ENOMEM at
 * each of its allocations and leaves nothing half made behind.  Runs in
 * its own process so #template is attached here for the first time.
 */
// SOURCES: kernel/fs/vfs.c kernel/fs/namei.c kernel/fs/vfs_ops.c kernel/fs/vfs_rename.c kernel/fs/vfs_attr.c kernel/fs/file.c kernel/fs/fdtable.c kernel/fs/ramfs.c kernel/mm/vmobj.c kernel/dev/dev.c kernel/dev/null.c kernel/dev/template.c kernel/dev/root.c kernel/lib/errstr.c kernel/lib/random.c tests/unit/shim_kmalloc.c tests/unit/shim_fs.c
#include <stdio.h>
#include <string.h>
#include "unit.h"
#include <kern/vfs.h>
#include <kern/dev.h>
#include <kern/errno.h>

extern long shim_kmalloc_fail_after;
static struct vfs_ctx ctx;

/*
 * Fail the k-th allocation of the first attach of #template for every k:
 * each failure is -ENOMEM, and the attach that finally succeeds returns a
 * complete root (a mount and a dentry), not one left over by a failure.
 */
static void first_attach_enomem(void)
{
	struct path p = { 0 };
	int ok = 1, k, r = -ENOMEM;

	for (k = 0; k < 50; k++) {
		shim_kmalloc_fail_after = k;
		spin_lock(&vfs_lock);
		r = dev_attach_locked("template", 8, &p);
		spin_unlock(&vfs_lock);
		shim_kmalloc_fail_after = -1;
		if (r == 0)
			break;
		ok &= r == -ENOMEM;
	}
	CHECK(ok && r == 0, "attach fails with -ENOMEM until it succeeds (%d at k=%d)", r, k);
	CHECK(p.mnt != NULL && p.dentry != NULL && p.mnt->root == p.dentry,
	      "attach after failures gives a mount and its root (mnt %p)", (void *)p.mnt);
	if (p.mnt)
		path_put(&p);
	CHECK_EQ(vfs_statat(&ctx, NULL, "#template/hello", 0, &(struct abi_stat){ 0 }), 0);
}

int main(void)
{
	vfs_init();
	vfs_ctx_init(&ctx);
	first_attach_enomem();
	vfs_ctx_put(&ctx);
	return UNIT_SUMMARY();
}
