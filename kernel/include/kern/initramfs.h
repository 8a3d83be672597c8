/*
 * initramfs: unpack a cpio newc archive (the boot module) into the ramfs
 * root.  The buffer form is arch-independent (host tests use it).
 */
#ifndef KERN_INITRAMFS_H
#define KERN_INITRAMFS_H

#include <kern/types.h>

struct vfs_ctx;

/*
 * Unpack archive buf[0..len) under ctx's root.  Bad members are reported
 * and skipped; returns the number of members created, or -EINVAL if the
 * archive itself is malformed (members before the damage are kept).
 */
int initramfs_unpack_buf(const struct vfs_ctx *ctx, const void *buf, size_t len);

#endif
