/*
 * initramfs unpacker: walks a cpio newc archive with the strict reader
 * of fs/cpio.c and recreates each member in the ramfs through the
 * ordinary vfs_* calls (so it obeys the same rules as user space, run as
 * root with umask 0): directories, regular files, symlinks, device
 * nodes, FIFOs, with mode, owner and mtime.  Like Linux it
 *  - strips leading "/" and "./", refuses ".." components,
 *  - creates missing parent directories,
 *  - joins hard links (newc members with nlink > 1 and the same
 *    ino/dev; the data comes with the last of them),
 *  - replaces an existing non-directory of the same name,
 *  - sets directory mtimes at the end (children would change them).
 * Members that fail are reported and skipped; a malformed archive stops
 * the unpacking with the reader's message and offset.
 */
#include <kern/initramfs.h>
#include <kern/cpio.h>
#include <kern/vfs.h>
#include <kern/dev.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>

#define NSEC	1000000000ll

struct linkrec {
	u32 ino, major, minor;
	char *name;
};

struct dirtime {
	char *name;
	s64 mtime;
};

struct unpack {
	const struct vfs_ctx *ctx;
	struct linkrec *links;
	size_t nlinks;
	struct dirtime *dirs;
	size_t ndirs;
};

static char *kstrndup(const char *s, size_t len)
{
	char *p = kmalloc(len + 1, MEM_WAIT);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

/* Cleaned copy of an archive name, NULL to skip it (root itself or "..").  */
static char *clean_name(const char *name)
{
	const char *p = name, *c;

	for (;;) {
		if (p[0] == '/')
			p++;
		else if (p[0] == '.' && p[1] == '/')
			p += 2;
		else
			break;
	}
	if (!*p || !strcmp(p, "."))
		return NULL;
	for (c = p; *c; ) {
		size_t len = 0;

		while (c[len] && c[len] != '/')
			len++;
		if (len == 2 && c[0] == '.' && c[1] == '.')
			return NULL;
		c += len;
		while (*c == '/')
			c++;
	}
	return kstrndup(p, strlen(p));
}

/* mkdir -p of every parent of path; errors show up in the caller's create. */
static void make_parents(const struct vfs_ctx *ctx, char *path)
{
	for (char *s = path; (s = strchr(s, '/')); s++) {
		*s = '\0';
		vfs_mkdirat(ctx, NULL, path, 0755);
		*s = '/';
	}
}

static void set_owner_time(struct unpack *u, const char *name, const struct cpio_entry *e)
{
	struct abi_timespec ts[2] = { { (s64)e->mtime, 0 }, { (s64)e->mtime, 0 } };

	vfs_fchownat(u->ctx, NULL, name, e->uid, e->gid, AT_SYMLINK_NOFOLLOW);
	if (!S_ISLNK(e->mode))
		vfs_fchmodat(u->ctx, NULL, name, e->mode & 07777, 0);
	vfs_utimensat(u->ctx, NULL, name, ts, AT_SYMLINK_NOFOLLOW);
}

static int write_data(struct unpack *u, const char *name, const struct cpio_entry *e,
		      int flags)
{
	struct file *f;
	ssize_t n;
	int err = vfs_openat(u->ctx, NULL, name, O_WRONLY | flags, e->mode & 07777, &f);

	if (err)
		return err;
	n = e->size ? vfs_write(f, e->data, e->size) : 0;
	file_put(f);
	if (n < 0)
		return (int)n;
	return (size_t)n == e->size ? 0 : -EIO;
}

/* Regular file, joining hard links; -errno on failure. */
static int unpack_file(struct unpack *u, const char *name, const struct cpio_entry *e)
{
	if (e->nlink > 1) {
		for (size_t i = 0; i < u->nlinks; i++) {
			struct linkrec *l = &u->links[i];

			if (l->ino == e->ino && l->major == e->devmajor && l->minor == e->devminor) {
				int err = vfs_linkat(u->ctx, NULL, l->name, NULL, name, 0);

				if (err)
					return err;
				return e->size ? write_data(u, name, e, O_TRUNC) : 0;
			}
		}
		if (!(u->nlinks & 15)) {
			struct linkrec *nl = krealloc_array(u->links, u->nlinks + 16,
							    sizeof(*nl), MEM_WAIT);

			if (!nl)
				return -ENOMEM;
			u->links = nl;
		}
		u->links[u->nlinks] = (struct linkrec){ e->ino, e->devmajor, e->devminor,
							kstrndup(name, strlen(name)) };
		if (u->links[u->nlinks].name)
			u->nlinks++;
	}
	return write_data(u, name, e, O_CREAT | O_TRUNC);
}

static int unpack_one(struct unpack *u, char *name, const struct cpio_entry *e)
{
	struct abi_stat st;
	char *target;
	int err;

	make_parents(u->ctx, name);
	if (!S_ISDIR(e->mode) && !vfs_statat(u->ctx, NULL, name, AT_SYMLINK_NOFOLLOW, &st) &&
	    !S_ISDIR(st.st_mode))
		vfs_unlinkat(u->ctx, NULL, name, 0);
	switch (e->mode & S_IFMT) {
	case S_IFDIR:
		err = vfs_mkdirat(u->ctx, NULL, name, e->mode & 07777);
		if (err == -EEXIST && !vfs_statat(u->ctx, NULL, name, 0, &st) &&
		    S_ISDIR(st.st_mode))
			err = 0;
		if (!err && !(u->ndirs & 15)) {
			struct dirtime *nd = krealloc_array(u->dirs, u->ndirs + 16, sizeof(*nd),
							    MEM_WAIT);

			if (!nd)
				return -ENOMEM;
			u->dirs = nd;
		}
		if (!err) {
			u->dirs[u->ndirs].name = kstrndup(name, strlen(name));
			u->dirs[u->ndirs].mtime = (s64)e->mtime;
			if (u->dirs[u->ndirs].name)
				u->ndirs++;
		}
		break;
	case S_IFREG:
		err = unpack_file(u, name, e);
		break;
	case S_IFLNK:
		target = kstrndup(e->data, e->size);
		if (!target)
			return -ENOMEM;
		err = strlen(target) == e->size ? vfs_symlinkat(u->ctx, target, NULL, name) :
			-EINVAL;
		kfree(target);
		break;
	default:
		err = vfs_mknodat(u->ctx, NULL, name, e->mode,
				  ABI_MKDEV(e->rdevmajor, e->rdevminor));
		break;
	}
	if (!err)
		set_owner_time(u, name, e);
	return err;
}

int initramfs_unpack_buf(const struct vfs_ctx *ctx, const void *buf, size_t len)
{
	struct unpack u = { .ctx = ctx };
	struct cpio_iter it;
	struct cpio_entry e;
	int r, count = 0;

	cpio_iter_init(&it, buf, len);
	while ((r = cpio_next(&it, &e)) > 0) {
		char *name = clean_name(e.name);
		int err;

		if (!name)
			continue;
		err = unpack_one(&u, name, &e);
		if (err)
			printk("initramfs: %s: %s\n", name, errstr(err));
		else
			count++;
		kfree(name);
	}
	if (r < 0)
		printk("initramfs: malformed archive at offset %zu: %s\n", it.err_off, it.err);
	/* Directory times last, deepest (latest created) first. */
	for (size_t i = u.ndirs; i-- > 0; ) {
		struct abi_timespec ts[2] = { { u.dirs[i].mtime, 0 }, { u.dirs[i].mtime, 0 } };

		vfs_utimensat(ctx, NULL, u.dirs[i].name, ts, 0);
		kfree(u.dirs[i].name);
	}
	for (size_t i = 0; i < u.nlinks; i++)
		kfree(u.links[i].name);
	kfree(u.dirs);
	kfree(u.links);
	return r < 0 ? r : count;
}

#ifndef HOST_UNIT_TEST
#include <kern/bootinfo.h>
#include <kern/memlayout.h>
#include <kern/init.h>

/* Unpack boot module 0 (if any) into the root; 0, or -ENOMEM without a context. */
static int initramfs_unpack(void)
{
	struct vfs_ctx ctx;
	int n;

	if (boot_info.nmods == 0) {
		printk("initramfs: no boot module, root file system is empty\n");
		return 0;
	}
	if (vfs_ctx_init(&ctx)) {
		printk("initramfs: no memory for a file system context\n");
		return -ENOMEM;
	}
	ctx.fs->umask = 0;
	n = initramfs_unpack_buf(&ctx, KADDR(boot_info.mods[0].start),
				 boot_info.mods[0].end - boot_info.mods[0].start);
	if (n >= 0)
		printk("initramfs: %d entries from %s (%llu bytes)\n", n, boot_info.mods[0].name,
		       boot_info.mods[0].end - boot_info.mods[0].start);
	vfs_ctx_put(&ctx);
	return 0;
}
initcall(initramfs_unpack, rootfs);
#endif
