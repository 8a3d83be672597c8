/*
 * Akaros-style create-then-run process creation, and the start of /init.
 *
 * proc_create builds a child from an executable without running it: a new
 * address space with the image and stack, a descriptor table (empty, or a
 * copy of the parent's without close-on-exec entries when asked), the
 * parent's filesystem context and credentials, default signal
 * dispositions.  The child is PROC_CREATED: only its parent may change it
 * (proc_dup_fd, proc_close_fd, proc_chdir) until proc_run makes it
 * runnable.  See docs/processes.md.
 */
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/uvm.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <abi/fcntl.h>
#include <abi/akaros.h>
#include <kern/bootinfo.h>
#include "internal.h"

/* Undo proc_create: unlink and free a child that never ran. */
static void proc_discard(struct proc *c)
{
	struct task *t, *n;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	list_del_init(&c->sibling);
	__proc_unhash(c);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	list_for_each_entry_safe(t, n, &c->tasks, proc_link) {
		list_del_init(&t->proc_link);
		task_free(t);
	}
	proc_free(c);
}

int proc_create_flags(struct proc *parent, const char *path, char *const argv[],
		      char *const envp[], int flags, bool user, struct proc **out)
{
	struct proc *c = proc_alloc();
	struct task *t;
	int err = -ENOMEM;
	u64 irq;

	if (!c)
		return -ENOMEM;
	c->fdt = kzmalloc(sizeof(*c->fdt), MEM_WAIT);
	c->sighand = sighand_alloc();
	c->mm = mm_create();
	if (!c->fdt || !c->sighand || !c->mm) {
		proc_free(c);
		return -ENOMEM;
	}
	if (parent && (flags & PROC_DUP_FGRP)) {
		err = fdt_copy(c->fdt, parent->fdt);
		if (err) {
			kfree(c->fdt);
			c->fdt = NULL;
			proc_free(c);
			return err;
		}
		fdt_close_on_exec(c->fdt);
	} else {
		fdt_init(c->fdt);
	}
	err = parent ? vfs_ctx_copy(&c->fs, &parent->fs) : vfs_ctx_init(&c->fs);
	if (err) {
		proc_free(c);
		return err;
	}
	if (parent) {
		c->uid = parent->uid; c->euid = parent->euid; c->suid = parent->suid;
		c->gid = parent->gid; c->egid = parent->egid; c->sgid = parent->sgid;
		memcpy(c->rlimits, parent->rlimits, sizeof(c->rlimits));
	}
	c->exit_signal = SIGCHLD;
	err = proc_register(c, parent, parent);
	if (err) {
		proc_free(c);
		return err;
	}
	t = proc_new_task(c, "main", false);
	if (!t) {
		proc_discard(c);
		return -ENOMEM;
	}
	t->tid = c->pid;
	err = exec_into(c, t, path, argv, envp, user);
	if (err) {
		proc_discard(c);
		return err;
	}
	irq = spin_lock_irqsave(&c->lock);
	c->state = PROC_CREATED;
	spin_unlock_irqrestore(&c->lock, irq);
	*out = c;
	return 0;
}

int proc_create(struct proc *parent, const char *path, char *const argv[], char *const envp[],
		struct proc **out)
{
	return proc_create_flags(parent, path, argv, envp, 0, false, out);
}

/* The CREATED child pid of the caller, or NULL (-ESRCH/-EPERM in *err). */
struct proc *created_child(int pid, int *err)
{
	struct proc *me = current_proc(), *c;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	c = __pid_lookup(pid);
	*err = 0;
	if (!c || c->pid != pid)
		*err = -ESRCH;
	else if (c->parent != me)
		*err = -EPERM;
	else if (READ_ONCE(c->state) != PROC_CREATED)
		*err = -EINVAL;
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return *err ? NULL : c;
}

/* Open path on fd slots 0, 1 and 2 of p. */
static int open_console(struct proc *p, const char *path)
{
	for (int fd = 0; fd < 3; fd++) {
		struct file *f;
		int err = vfs_openat(&p->fs, NULL, path, O_RDWR, 0, &f);

		if (err)
			return err;
		err = fdt_install(p->fdt, f, fd, false);
		if (err != fd) {
			file_put(f);
			return err < 0 ? err : -EBADF;
		}
	}
	return 0;
}

#define INIT_MAX_ENV	32
/* Command-line words the kernel itself consumes; everything else with '=' goes to init. */
static const char *const kernel_params[] = {
	"init", "ktest", "panic", "crash", "console", "noacpi", "strace", "segvlog",
	"watchdog_thresh", "softlockup_panic", "hardlockup_panic", "hung_task_timeout_secs",
	"hung_task_panic",
};

/*
 * Build init's environment: defaults, then every key=value word of the
 * kernel command line that is not a kernel parameter (as Linux does), so
 * e.g. `exec=...` reaches init.  Words are copied into buf.
 */
static int init_environment(char **envp, char *buf, size_t len)
{
	static const char *const defaults[] = { "HOME=/", "TERM=linux",
						"PATH=/bin:/sbin:/usr/bin:/usr/sbin" };
	const char *s = boot_info.cmdline;
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(defaults); i++)
		envp[n++] = (char *)defaults[i];
	while (*s && n < INIT_MAX_ENV - 1) {
		const char *w = s, *eq = NULL;
		size_t wl;
		bool kernel_word = false;

		while (*s && *s != ' ') {
			if (*s == '=' && !eq)
				eq = s;
			s++;
		}
		wl = s - w;
		while (*s == ' ')
			s++;
		if (!eq || wl + 1 > len)
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(kernel_params); i++)
			if ((size_t)(eq - w) == strlen(kernel_params[i]) &&
			    !strncmp(w, kernel_params[i], eq - w))
				kernel_word = true;
		if (kernel_word)
			continue;
		memcpy(buf, w, wl);
		buf[wl] = 0;
		envp[n++] = buf;
		buf += wl + 1;
		len -= wl + 1;
	}
	envp[n] = NULL;
	return n;
}

void proc_start_init(const char *cmdline_init)
{
	static char env_buf[BOOT_CMDLINE_MAX];
	static char *envp[INIT_MAX_ENV];
	const char *path = cmdline_init && *cmdline_init ? cmdline_init : "/init";
	char *const argv[] = { (char *)path, NULL };
	struct proc *init;
	int err;

	init_environment(envp, env_buf, sizeof(env_buf));
	err = proc_create(NULL, path, argv, envp, &init);
	if (err)
		panic("cannot start %s: error %d", path, err);
	err = open_console(init, "/dev/console");
	if (err)
		printk("init: cannot open /dev/console (%d); running without a console\n", err);
	proc_run(init);
}
