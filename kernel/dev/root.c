/*
 * #root: the ramfs root as a device, so the writable root file system
 * can be named (and bound elsewhere) even from a namespace whose "/" is
 * something else, as in Plan 9.
 */
#include <kern/dev.h>
#include <kern/vfs.h>

static int root_attach(struct path *out)
{
	*out = vfs_root_path();
	path_get_locked(out);
	return 0;
}

static const struct dev root_dev = {
	.name = "root",
	.attach = root_attach,
};
DEV_REGISTER(root_dev);
