/*
 * Slices (model and concurrency rule in kern/slice.h).  Growth doubles the
 * capacity (at least SLICE_MIN_CAP) with every size computation checked
 * for overflow; krealloc either succeeds or leaves the old buffer, so a
 * failed append changes nothing.  Arch-independent: host unit tests link
 * it with tests/unit/kmalloc_shim.c (kmalloc on malloc with failure
 * injection, spinlocks on C11 atomics, panic that the test can catch).
 */
#include <kern/slice.h>
#include <kern/errno.h>
#include <kern/printk.h>
#ifdef HOST_UNIT_TEST
#include <string.h>
#define vsnprintf kern_vsnprintf
#else
#include <kern/string.h>
#endif

#define SLICE_MIN_CAP	64

void __slice_init(struct slice *s, int mem_flags)
{
	*s = (struct slice){ .mem_flags = mem_flags };
}

struct slice *__slice_new(int mem_flags)
{
	struct slice *s = kmalloc(sizeof(*s), mem_flags & (MEM_WAIT | MEM_ATOMIC));

	if (!s)
		return NULL;
	__slice_init(s, mem_flags);
	s->heap = true;
	return s;
}

static void check_writable(const struct slice *s, const char *op)
{
	if (s->published)
		panic("slice: %s on published slice %p (published slices are immutable)", op, s);
}

/* Make room for extra more bytes plus the NUL; 0, -ENOMEM or -EOVERFLOW. */
static int slice_reserve(struct slice *s, size_t extra)
{
	size_t need, cap;
	char *nbuf;

	if (check_add_overflow(s->len, extra, &need) || check_add_overflow(need, (size_t)1, &need))
		return -EOVERFLOW;
	if (need <= s->cap)
		return 0;
	if (check_mul_overflow(s->cap, (size_t)2, &cap))
		cap = need;
	cap = MAX(cap, MAX(need, (size_t)SLICE_MIN_CAP));
	nbuf = krealloc(s->buf, cap, s->mem_flags);
	if (!nbuf)
		return -ENOMEM;
	if (!s->buf)
		nbuf[0] = 0;
	s->buf = nbuf;
	s->cap = cap;
	return 0;
}

int slice_append(struct slice *s, const void *data, size_t len)
{
	int err;

	check_writable(s, "append");
	if (s->published)
		return -EPERM;
	if (!len)
		return 0;
	err = slice_reserve(s, len);
	if (err)
		return err;
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	s->buf[s->len] = 0;
	return 0;
}

int slice_printf(struct slice *s, const char *fmt, ...)
{
	va_list ap, ap2;
	size_t room;
	int n;

	check_writable(s, "printf");
	if (s->published)
		return -EPERM;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	room = s->buf ? s->cap - s->len : 0;
	n = vsnprintf(room ? s->buf + s->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		return -EINVAL;
	}
	if ((size_t)n >= room) {
		int err = slice_reserve(s, (size_t)n);

		if (err) {
			if (s->buf)
				s->buf[s->len] = 0;	/* drop the truncated attempt */
			va_end(ap2);
			return err;
		}
		vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap2);
	}
	va_end(ap2);
	s->len += (size_t)n;
	return n;
}

void slice_reset(struct slice *s)
{
	check_writable(s, "reset");
	s->len = 0;
	if (s->buf)
		s->buf[0] = 0;
}

void slice_free(struct slice *s)
{
	check_writable(s, "free");
	kfree(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
	if (s->heap)
		kfree(s);
}

struct slice *slice_publish(struct slice *s)
{
	check_writable(s, "publish");
	__atomic_store_n(&s->refcnt, 1, __ATOMIC_RELAXED);
	/* Release: readers that see published (or the pointer) see the contents. */
	__atomic_store_n(&s->published, true, __ATOMIC_RELEASE);
	return s;
}

void slice_publish_ref(struct slice_ref *ref, struct slice *s)
{
	struct slice *old;

	if (s && !s->heap)
		panic("slice_publish_ref: slice %p was not made by slice_new", s);
	if (s)
		slice_publish(s);
	spin_lock(&ref->lock);
	old = __atomic_exchange_n(&ref->cur, s, __ATOMIC_ACQ_REL);
	spin_unlock(&ref->lock);
	if (old)
		slice_put(old);
}

struct slice *slice_get(struct slice_ref *ref)
{
	struct slice *s;

	spin_lock(&ref->lock);
	s = __atomic_load_n(&ref->cur, __ATOMIC_ACQUIRE);
	if (s)
		__atomic_add_fetch(&s->refcnt, 1, __ATOMIC_RELAXED);
	spin_unlock(&ref->lock);
	return s;
}

void slice_put(struct slice *s)
{
	int left;

	/* Check before dropping: once our reference is gone another put may free s. */
	if (!__atomic_load_n(&s->published, __ATOMIC_ACQUIRE))
		panic("slice_put: %p is not published", s);
	left = __atomic_sub_fetch(&s->refcnt, 1, __ATOMIC_ACQ_REL);
	if (left < 0)
		panic("slice_put: %p has no reference to drop", s);
	if (left)
		return;
	kfree(s->buf);
	s->buf = NULL;
	if (s->heap)
		kfree(s);
}
