/*
 * Pipes and FIFOs (ipc/pipe.c): a 64 KiB ring shared by a read end and
 * a write end.  pipe2() makes an anonymous pair; opening a FIFO inode
 * attaches to (or creates) the pipe hanging off that inode.
 */
#ifndef KERN_PIPE_H
#define KERN_PIPE_H

#include <kern/types.h>

#define PIPE_BUF	4096
#define PIPE_SIZE	(64 * 1024)

struct file;

/* Two new files (read end, write end) sharing one pipe; -ENOMEM. */
int pipe_create(int flags, struct file **rd, struct file **wr);
/* True if f is either end of a pipe or an open FIFO. */
bool file_is_pipe(const struct file *f);
/* Ends of pipe2() pipes; opened FIFO inodes (of any file system) use fifo_file_ops. */
extern const struct file_ops pipe_file_ops;
extern const struct file_ops fifo_file_ops;

#endif
