/*
 * Anonymous files: descriptors that name no file in the namespace
 * (eventfd, timerfd, signalfd, epoll).  Each gets its own inode on an
 * internal super block, like a pipe, with Linux's anon_inode attributes
 * (mode 0600 without a file type bit) and a dentry without mount or
 * parent named "anon_inode:[KIND]", which is what d_path and so
 * /proc/PID/fd show.  The object behind the file hangs off file->priv
 * and is freed by the file_ops' release.
 */
#include <kern/vfs.h>
#include <kern/proc.h>
#include <kern/printk.h>
#include <kern/errno.h>

static struct super anon_inodefs_sb = {
	.dev = 0xe,		/* anonymous block device 0:14 */
};

int anon_file_open(const char *kind, const struct file_ops *fops, void *priv, int flags,
		   struct file **out)
{
	struct vfs_ctx *ctx = &current_proc()->fs;
	struct path p = { .mnt = NULL };
	struct inode *inode;
	char name[48];
	int err;

	spin_lock(&vfs_lock);
	inode = inode_alloc(&anon_inodefs_sb, 0600);
	spin_unlock(&vfs_lock);
	if (!inode)
		return -ENOMEM;
	inode->uid = ctx->uid;
	inode->gid = ctx->gid;
	inode->fops = fops;
	p.dentry = d_alloc(NULL, name, (size_t)snprintf(name, sizeof(name), "anon_inode:[%s]",
							kind));
	spin_lock(&vfs_lock);
	if (!p.dentry) {
		inode_put_locked(inode);
		spin_unlock(&vfs_lock);
		return -ENOMEM;
	}
	p.dentry->inode = inode;
	spin_unlock(&vfs_lock);
	err = vfs_open_path(&p, O_RDWR | (flags & O_NONBLOCK), out);
	if (!err)
		(*out)->priv = priv;
	spin_lock(&vfs_lock);
	d_put_locked(p.dentry);	/* the file holds its own reference */
	spin_unlock(&vfs_lock);
	return err;
}

bool file_is_anon(const struct file *f, const struct file_ops *fops)
{
	return f->fops == fops && f->inode->sb == &anon_inodefs_sb;
}
