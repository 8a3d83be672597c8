/*
 * #root: the ramfs root as a device, so the writable root file system
 * can be named (and bound elsewhere) even from a namespace whose "/" is
 * something else, as in Plan 9.  It has no tree of its own: its attach
 * hands out the existing ramfs root.
 */
#include <kern/dev.h>
#include <kern/vfs.h>

/* The namespace root with a reference (never fails). */
static int root_attach_path(const struct dev_instance *di, struct path *out)
{
	(void)di;
	*out = vfs_root_path();
	path_get_locked(out);
	return 0;
}

static const struct dev root_dev = {
	.name = "root",
	.attach_path = root_attach_path,
};
DEV_REGISTER(root_dev);
