/*
 * File descriptor tables (see kern/fdtable.h).  The arrays grow in
 * chunks; allocation happens with the table unlocked and the result is
 * swapped in after rechecking, so the lock is never held across an
 * allocation.  Files are released (file_put) after the lock is dropped
 * because a release hook may take other locks or, later, sleep.
 */
#include <kern/fdtable.h>
#include <kern/vfs.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>

#define FDT_CHUNK	64

void fdt_init(struct fd_table *t)
{
	spinlock_init(&t->lock, "fdtable");
	t->size = 0;
	t->max = FDT_DEFAULT_MAX;
	t->files = NULL;
	t->cloexec = NULL;
}

/* Make sure slot fd exists; called and returns with t->lock held.  -ENOMEM/-EMFILE. */
static int grow_locked(struct fd_table *t, int fd)
{
	while (fd >= t->size) {
		int nsize = ROUNDUP(fd + 1, FDT_CHUNK);
		struct file **nf;
		u8 *nc;

		if (fd >= t->max)
			return -EMFILE;
		spin_unlock(&t->lock);
		nf = kzmalloc(sizeof(*nf) * (size_t)nsize, MEM_WAIT);
		nc = kzmalloc((size_t)nsize, MEM_WAIT);
		spin_lock(&t->lock);
		if (!nf || !nc) {
			kfree(nf);
			kfree(nc);
			return -ENOMEM;
		}
		if (nsize > t->size) {
			struct file **of = t->files;
			u8 *oc = t->cloexec;

			if (t->size) {
				memcpy(nf, t->files, sizeof(*nf) * (size_t)t->size);
				memcpy(nc, t->cloexec, (size_t)t->size);
			}
			t->files = nf;
			t->cloexec = nc;
			t->size = nsize;
			nf = of;
			nc = oc;
		}
		kfree(nf);
		kfree(nc);
	}
	return 0;
}

/* Lowest free fd >= minfd, growing as needed; fd or -errno.  t->lock held. */
static int alloc_fd_locked(struct fd_table *t, int minfd)
{
	int fd, err;

	/* Slots past max may exist (the table grows in chunks, max may shrink). */
	for (fd = minfd; fd < MIN(t->size, t->max); fd++)
		if (!t->files[fd])
			return fd;
	if (fd >= t->max)
		return -EMFILE;
	err = grow_locked(t, fd);
	if (err)
		return err;
	/* The table may have changed while unlocked: search again. */
	for (fd = minfd; fd < MIN(t->size, t->max); fd++)
		if (!t->files[fd])
			return fd;
	return -EMFILE;
}

int fdt_install(struct fd_table *t, struct file *f, int minfd, bool cloexec)
{
	int fd;

	if (minfd < 0)
		return -EINVAL;
	spin_lock(&t->lock);
	if (minfd >= t->max) {
		spin_unlock(&t->lock);
		return -EINVAL;
	}
	fd = alloc_fd_locked(t, minfd);
	if (fd >= 0) {
		t->files[fd] = f;
		t->cloexec[fd] = cloexec;
	}
	spin_unlock(&t->lock);
	return fd;
}

struct file *fdt_get(struct fd_table *t, int fd)
{
	struct file *f = NULL;

	spin_lock(&t->lock);
	if (fd >= 0 && fd < t->size && t->files[fd]) {
		f = t->files[fd];
		file_get(f);
	}
	spin_unlock(&t->lock);
	return f;
}

int fdt_close(struct fd_table *t, int fd)
{
	struct file *f = NULL;

	spin_lock(&t->lock);
	if (fd >= 0 && fd < t->size) {
		f = t->files[fd];
		t->files[fd] = NULL;
		t->cloexec[fd] = 0;
	}
	spin_unlock(&t->lock);
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

int fdt_dup(struct fd_table *t, int oldfd, int minfd, bool cloexec)
{
	struct file *f = fdt_get(t, oldfd);
	int fd;

	if (!f)
		return -EBADF;
	fd = fdt_install(t, f, minfd, cloexec);
	if (fd < 0)
		file_put(f);
	return fd;
}

int fdt_dup3(struct fd_table *t, int oldfd, int newfd, int flags)
{
	struct file *f, *old = NULL;
	int err;

	if (flags > 0 && (flags & ~O_CLOEXEC))
		return -EINVAL;
	if (oldfd == newfd) {
		if (flags >= 0)
			return -EINVAL;	/* dup3 */
		f = fdt_get(t, oldfd);
		if (!f)
			return -EBADF;
		file_put(f);
		return newfd;
	}
	f = fdt_get(t, oldfd);
	if (!f)
		return -EBADF;
	spin_lock(&t->lock);
	if (newfd < 0 || newfd >= t->max) {
		spin_unlock(&t->lock);
		file_put(f);
		return -EBADF;
	}
	err = grow_locked(t, newfd);
	if (err) {
		spin_unlock(&t->lock);
		file_put(f);
		return err;
	}
	old = t->files[newfd];
	t->files[newfd] = f;
	t->cloexec[newfd] = flags > 0 && (flags & O_CLOEXEC);
	spin_unlock(&t->lock);
	if (old)
		file_put(old);
	return newfd;
}

int fdt_get_cloexec(struct fd_table *t, int fd)
{
	int r = -EBADF;

	spin_lock(&t->lock);
	if (fd >= 0 && fd < t->size && t->files[fd])
		r = t->cloexec[fd];
	spin_unlock(&t->lock);
	return r;
}

int fdt_set_cloexec(struct fd_table *t, int fd, bool on)
{
	int r = -EBADF;

	spin_lock(&t->lock);
	if (fd >= 0 && fd < t->size && t->files[fd]) {
		t->cloexec[fd] = on;
		r = 0;
	}
	spin_unlock(&t->lock);
	return r;
}

/*
 * Walk descriptors first..last: with mark, set close-on-exec on each;
 * otherwise detach and release each one (only the close-on-exec ones if
 * only_cloexec).  The lock is dropped around every file_put.
 */
static void range_apply(struct fd_table *t, unsigned int first, unsigned int last,
			bool only_cloexec, bool mark)
{
	for (unsigned int fd = first;; fd++) {
		struct file *f = NULL;

		spin_lock(&t->lock);
		if (fd >= (unsigned int)t->size || fd > last) {
			spin_unlock(&t->lock);
			return;
		}
		if (t->files[fd] && mark) {
			t->cloexec[fd] = 1;
		} else if (t->files[fd] && (!only_cloexec || t->cloexec[fd])) {
			f = t->files[fd];
			t->files[fd] = NULL;
			t->cloexec[fd] = 0;
		}
		spin_unlock(&t->lock);
		if (f)
			file_put(f);
	}
}

void fdt_close_range(struct fd_table *t, unsigned int first, unsigned int last, bool cloexec)
{
	range_apply(t, first, last, false, cloexec);
}

void fdt_close_on_exec(struct fd_table *t)
{
	range_apply(t, 0, ~0u, true, false);
}

void fdt_destroy(struct fd_table *t)
{
	range_apply(t, 0, ~0u, false, false);
	kfree(t->files);
	kfree(t->cloexec);
	t->files = NULL;
	t->cloexec = NULL;
	t->size = 0;
}

int fdt_copy(struct fd_table *dst, struct fd_table *src)
{
	int size;

	fdt_init(dst);
	dst->max = src->max;
	for (;;) {
		spin_lock(&src->lock);
		size = src->size;
		spin_unlock(&src->lock);
		if (size == 0)
			return 0;
		dst->files = kzmalloc(sizeof(*dst->files) * (size_t)size, MEM_WAIT);
		dst->cloexec = kzmalloc((size_t)size, MEM_WAIT);
		if (!dst->files || !dst->cloexec) {
			kfree(dst->files);
			kfree(dst->cloexec);
			return -ENOMEM;
		}
		spin_lock(&src->lock);
		if (src->size == size)
			break;
		spin_unlock(&src->lock);
		kfree(dst->files);
		kfree(dst->cloexec);
	}
	dst->size = size;
	for (int fd = 0; fd < size; fd++) {
		dst->files[fd] = src->files[fd];
		dst->cloexec[fd] = src->cloexec[fd];
		if (dst->files[fd])
			file_get(dst->files[fd]);
	}
	spin_unlock(&src->lock);
	return 0;
}
