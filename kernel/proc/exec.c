/*
 * execve: replace a process image with an ELF executable.  A dynamically
 * linked program (PT_INTERP) also gets its interpreter (ld-linux, an
 * ET_DYN image) loaded at a free address of the mmap area; execution
 * starts there, with AT_BASE = its load bias and AT_ENTRY = the program's
 * entry, and the interpreter maps the libraries itself.
 *
 * Everything that can fail happens before the point of no return: the
 * arguments are copied into the kernel, the file is opened, checked
 * (elf_parse) and loaded into a brand-new address space together with the
 * initial stack (argv, envp, auxv as the x86-64 psABI lays them out).
 * Only then is the old mm dropped, close-on-exec descriptors closed,
 * handled signals reset, and the saved user registers pointed at the new
 * entry point.  A segment's pages that hold file bytes are mapped
 * copy-on-write straight from the file's page cache object (ramfs), as
 * Linux maps them, in one area named by the file (struct vm_file); the
 * page holding the end of the file bytes gets a private copy whose rest
 * is zeroed, a page shared with the previous segment gets this segment's
 * bytes copied in, and a file without a page cache object is copied
 * whole.  The zero-fill rest of a segment is anonymous.
 */
#include <kern/proc.h>
#include <kern/mcp.h>
#include <kern/sched.h>
#include <kern/uvm.h>
#include <kern/elf.h>
#include <kern/vfs.h>
#include <kern/kmalloc.h>
#include <kern/uaccess.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <kern/memlayout.h>
#include <abi/stat.h>
#include <abi/fcntl.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kern/fpu_state.h>
#include <kern/ttrace.h>
#include <abi/personality.h>
#include <kern/procdbg.h>
#include "internal.h"

#define ARG_MAX_BYTES	(2 << 20)
#define ARG_MAX_COUNT	65536
#define EXEC_CHUNK	(64 * 1024)

/* argv/envp strings copied into one kernel buffer. */
struct exec_args {
	char *buf;
	size_t len, cap;
	int argc, envc;
};

static int args_add(struct exec_args *ea, const char *s, size_t n)
{
	if (ea->len + n + 1 > ARG_MAX_BYTES)
		return -E2BIG;
	if (ea->len + n + 1 > ea->cap) {
		size_t cap = MAX(ea->cap * 2, ea->len + n + 1 + 4096);
		char *nb = krealloc(ea->buf, cap, MEM_WAIT);

		if (!nb)
			return -ENOMEM;
		ea->buf = nb;
		ea->cap = cap;
	}
	memcpy(ea->buf + ea->len, s, n);
	ea->buf[ea->len + n] = 0;
	ea->len += n + 1;
	return 0;
}

/* Copy a NULL-terminated vector of strings (user or kernel); returns the count or -errno. */
#define STR_CHUNK	4096

static int copy_strings_tmp(struct exec_args *ea, char *const vec[], bool user, char *tmp);

static int copy_strings(struct exec_args *ea, char *const vec[], bool user)
{
	char *tmp = kmalloc(STR_CHUNK, MEM_WAIT);
	int n;

	if (!tmp)
		return -ENOMEM;
	n = copy_strings_tmp(ea, vec, user, tmp);
	kfree(tmp);
	return n;
}

static int copy_strings_tmp(struct exec_args *ea, char *const vec[], bool user, char *tmp)
{
	int n = 0;

	if (!vec)
		return 0;
	for (;; n++) {
		const char *p;
		long len;
		int err;

		if (n >= ARG_MAX_COUNT)
			return -E2BIG;
		if (user) {
			if (copy_from_user(&p, &vec[n], sizeof(p)))
				return -EFAULT;
		} else {
			p = vec[n];
		}
		if (!p)
			return n;
		if (user) {
			/* Long strings are copied in pieces. */
			size_t off = 0;

			for (;;) {
				len = strncpy_from_user(tmp, p + off, STR_CHUNK);
				if (len == -EFAULT)
					return -EFAULT;
				if (len >= 0)
					break;
				if (ea->len + off + STR_CHUNK > ARG_MAX_BYTES)
					return -E2BIG;
				off += STR_CHUNK;
			}
			if (off) {
				/* Re-copy the whole string now that its length is known. */
				char *big = kmalloc(off + len + 1, MEM_WAIT);

				if (!big)
					return -ENOMEM;
				if (copy_from_user(big, p, off + len + 1)) {
					kfree(big);
					return -EFAULT;
				}
				err = args_add(ea, big, off + len);
				kfree(big);
			} else {
				err = args_add(ea, tmp, len);
			}
		} else {
			err = args_add(ea, p, strlen(p));
		}
		if (err)
			return err;
	}
}

/* Copy file bytes [off, off+len) to user address va of mm. */
static int load_bytes(struct mm *mm, struct file *f, u64 off, u64 va, u64 len)
{
	char *buf = kmalloc(EXEC_CHUNK, MEM_WAIT);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	while (len && !err) {
		size_t n = MIN(len, EXEC_CHUNK);
		ssize_t got = vfs_pread(f, buf, n, off);

		if (got != (ssize_t)n)
			err = got < 0 ? (int)got : -ENOEXEC;
		else
			err = uvm_write(mm, va, buf, n);
		off += n;
		va += n;
		len -= n;
	}
	kfree(buf);
	return err;
}

/*
 * Map [start, end) of segment l: the pages holding file bytes as one
 * private area of vf, copy-on-write from the page cache object o when
 * there is one (then *obj_end is where that area ends, else start), the
 * rest anonymous.
 */
static int map_segment(struct mm *mm, const struct elf_load *l, struct vm_file *vf,
		       struct vm_object *o, u64 start, u64 end, u64 *obj_end)
{
	u64 file_end = MIN(end, ROUNDUP(l->vaddr + l->filesz, PGSIZE));
	struct vm_backing b = { .file = vf, .obj = o };
	int err = 0;

	*obj_end = start;
	if (file_end > start) {
		b.pgoff = (l->offset - (l->vaddr - start)) / PGSIZE;
		err = uvm_map_backed(mm, start, file_end - start, l->prot, VMA_PRIVATE, &b);
		if (!err && o)
			*obj_end = file_end;
		start = file_end;
	}
	if (!err && end > start)
		err = uvm_map(mm, start, end - start, l->prot, VMA_PRIVATE, NULL);
	return err;
}

/*
 * Fill segment l's file bytes that lie outside [skip, skip_end), the
 * part mapped from the page cache, and zero the rest of the page cache
 * page that holds the last file bytes (a private copy then: bss and what
 * follows must not show the file's next bytes).  0 or -errno.
 */
static int load_rest(struct mm *mm, struct file *f, const struct elf_load *l, u64 skip,
		     u64 skip_end)
{
	u64 fend = l->vaddr + l->filesz;
	char *zeros;
	int err = 0;

	if (skip_end <= skip || skip_end <= l->vaddr || skip >= fend)
		return load_bytes(mm, f, l->offset, l->vaddr, l->filesz);
	if (l->vaddr < skip)
		err = load_bytes(mm, f, l->offset, l->vaddr, skip - l->vaddr);
	if (err || fend >= skip_end)
		return err;
	zeros = kzmalloc(skip_end - fend, MEM_WAIT);
	if (!zeros)
		return -ENOMEM;
	err = uvm_write(mm, fend, zeros, skip_end - fend);
	kfree(zeros);
	return err;
}

/* Map and fill every load segment; 0 or -errno. */
static int load_image(struct mm *mm, struct file *f, const struct elf_info *ei)
{
	struct vm_file *vf = vm_file_create(f);
	struct vm_object *o = ramfs_file_object(f);
	u64 prev_end_page = 0;
	int prev_prot = 0, err = 0;

	if (!vf)
		return -ENOMEM;
	for (int i = 0; i < ei->nloads && !err; i++) {
		const struct elf_load *l = &ei->loads[i];
		u64 start = ROUNDDOWN(l->vaddr, PGSIZE), end = ROUNDUP(l->vaddr + l->memsz, PGSIZE);
		u64 obj_end = start;

		if (start < prev_end_page) {
			/* First page shared with the previous segment: widen its protection. */
			err = uvm_protect(mm, start, PGSIZE, prev_prot | l->prot);
			if (err)
				break;
			start += PGSIZE;
		}
		if (end > start)
			err = map_segment(mm, l, vf, o, start, end, &obj_end);
		if (!err)
			err = load_rest(mm, f, l, start, obj_end);
		prev_end_page = end;
		prev_prot = l->prot;
	}
	vm_file_put(vf);	/* the areas hold their own references */
	return err;
}

struct stack_builder {
	struct mm *mm;
	u64 sp;
	int err;
};

/* Push bytes onto the new stack; returns their user address. */
static u64 push_bytes(struct stack_builder *sb, const void *p, size_t n)
{
	sb->sp -= n;
	if (!sb->err)
		sb->err = uvm_write(sb->mm, sb->sp, p, n);
	return sb->sp;
}

static u64 random_u64(void)
{
	u64 r = rdtsc();

	r ^= r << 13;
	r ^= r >> 7;
	return r ^ (r << 17) ^ (u64)(uintptr_t)&r;
}

/* Build argc/argv/envp/auxv at the top of the new stack; returns the initial rsp or 0. */
static u64 build_stack(struct mm *mm, const struct exec_args *ea, const struct elf_info *ei,
		       const char *execfn, struct proc *p, u64 interp_base)
{
	struct stack_builder sb = { mm, USER_STACK_TOP, 0 };
	u64 nptrs = ea->argc + ea->envc + 2, *ptrs, random[2] = { random_u64(), random_u64() };
	u64 strs, execfn_va, random_va, platform_va, auxv[2 * 24], sp;
	const char *s = ea->buf;
	int na = 0;

	if (uvm_map(mm, USER_STACK_TOP - USER_STACK_MAX, USER_STACK_MAX, PROT_READ | PROT_WRITE,
		    VMA_PRIVATE | VMA_GROWSDOWN, "[stack]"))
		return 0;
	ptrs = kmalloc_array(nptrs, sizeof(u64), MEM_WAIT);
	if (!ptrs)
		return 0;
	execfn_va = push_bytes(&sb, execfn, strlen(execfn) + 1);
	strs = push_bytes(&sb, ea->buf, ea->len);
	platform_va = push_bytes(&sb, "x86_64", 7);
	sb.sp &= ~15ULL;
	random_va = push_bytes(&sb, random, sizeof(random));
	mm->arg_start = strs;
	for (int i = 0, k = 0; i < ea->argc + ea->envc; i++) {
		if (i == ea->argc) {
			mm->arg_end = strs + (s - ea->buf);
			mm->env_start = mm->arg_end;
			ptrs[k++] = 0;
		}
		ptrs[k++] = strs + (s - ea->buf);
		s += strlen(s) + 1;
	}
	if (ea->envc == 0) {
		mm->arg_end = strs + (s - ea->buf);
		mm->env_start = mm->arg_end;
		ptrs[ea->argc] = 0;
	}
	mm->env_end = strs + ea->len;
	ptrs[nptrs - 1] = 0;

#define AUX(k, v)	do { auxv[na++] = (k); auxv[na++] = (v); } while (0)
	AUX(AT_PHDR, ei->phdr_vaddr);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, ei->phnum);
	AUX(AT_PAGESZ, PGSIZE);
	AUX(AT_BASE, interp_base);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, ei->entry);
	AUX(AT_UID, p->uid);
	AUX(AT_EUID, p->euid);
	AUX(AT_GID, p->gid);
	AUX(AT_EGID, p->egid);
	AUX(AT_SECURE, 0);
	AUX(AT_HWCAP, arch_hwcap());
	AUX(AT_HWCAP2, 0);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PLATFORM, platform_va);
	AUX(AT_RANDOM, random_va);
	AUX(AT_EXECFN, execfn_va);
	AUX(AT_MINSIGSTKSZ, MINSIGSTKSZ);
	AUX(AT_NULL, 0);
#undef AUX
	/* After argc, argv, envp and auxv, rsp must be 16-byte aligned. */
	sp = sb.sp - (na + nptrs + 1) * sizeof(u64);
	sb.sp = sp & ~15ULL;
	sp = sb.sp;
	{
		u64 argc = ea->argc;

		sb.err = sb.err ? sb.err : uvm_write(mm, sp, &argc, 8);
		sb.err = sb.err ? sb.err : uvm_write(mm, sp + 8, ptrs, nptrs * 8);
		sb.err = sb.err ? sb.err : uvm_write(mm, sp + 8 + nptrs * 8, auxv, na * 8);
	}
	mm->saved_auxv_bytes = (u32)(MIN((size_t)na, (size_t)MM_SAVED_AUXV) * 8);
	memcpy(mm->saved_auxv, auxv, mm->saved_auxv_bytes);
	kfree(ptrs);
	mm->start_stack = sp;
	return sb.err ? 0 : sp;
}

/*
 * Open path (relative to dirf, NULL: the cwd) for execution and check
 * permissions; AT_EMPTY_PATH with "" opens dirf's own file (fexecve),
 * AT_SYMLINK_NOFOLLOW makes a final symlink -ELOOP.  0 or -errno.
 */
static int open_exec(struct proc *p, struct file *dirf, const char *path, int atflags,
		     struct file **out, u64 *size)
{
	struct abi_stat st;
	struct file *f;
	int err;

	if (!*path && (atflags & AT_EMPTY_PATH) && dirf)
		err = vfs_open_path(&dirf->path, O_RDONLY, &f);
	else
		err = vfs_openat(&p->fs, dirf, path,
				 O_RDONLY | ((atflags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0), 0, &f);
	if (err)
		return err;
	err = vfs_fstat(f, &st);
	if (!err && (st.st_mode & 0170000) != 0100000)
		err = -EACCES;
	if (!err)
		err = inode_permission(&p->fs, f->inode, MAY_EXEC);
	if (!err && !(st.st_mode & 0111))
		err = -EACCES;
	if (err) {
		file_put(f);
		return err;
	}
	*out = f;
	*size = st.st_size;
	return 0;
}

/* Read and validate the ELF headers of f, biasing ET_DYN images by bias; 0 or -ENOEXEC/-errno. */
static int read_elf_at(struct file *f, u64 size, struct elf_info *ei, const char *path, u64 bias)
{
	struct elf64_ehdr eh;
	struct elf64_phdr *ph;
	const char *why = "";
	ssize_t n = vfs_pread(f, &eh, sizeof(eh), 0);
	int err;

	if (n < 0)
		return n;
	if (n < (ssize_t)sizeof(eh) || elf_check_header(&eh, size, &why))
		return -ENOEXEC;
	ph = kmalloc_array(eh.e_phnum, sizeof(*ph), MEM_WAIT);
	if (!ph)
		return -ENOMEM;
	n = vfs_pread(f, ph, eh.e_phnum * sizeof(*ph), eh.e_phoff);
	err = n == (ssize_t)(eh.e_phnum * sizeof(*ph)) ?
		      elf_parse(&eh, ph, size, bias, ei, &why) : -ENOEXEC;
	kfree(ph);
	if (err)
		printk("exec %s: %s\n", path, why);
	return err;
}

static int read_elf(struct file *f, u64 size, struct elf_info *ei, const char *path)
{
	return read_elf_at(f, size, ei, path, ELF_DYN_BASE);
}

/*
 * Load the PT_INTERP program interpreter of ei (an ET_DYN image such as
 * ld-linux-x86-64.so.2) into mm at a free address in the mmap area; its
 * load bias goes to *base and its entry point to *entry.  0 or -errno.
 */
static int load_interp(struct proc *p, struct mm *mm, struct file *exe, const struct elf_info *ei,
		       u64 *base, u64 *entry)
{
	struct elf_info *ii = kmalloc(sizeof(*ii), MEM_WAIT);
	char *ipath = kmalloc(PATH_MAX, MEM_WAIT);
	struct file *f = NULL;
	u64 size, span, at;
	int err;

	err = -ENOMEM;
	if (!ii || !ipath)
		goto out;
	err = -ENOEXEC;
	if (!ei->interp_len || ei->interp_len >= PATH_MAX)
		goto out;
	if (vfs_pread(exe, ipath, ei->interp_len, ei->interp_offset) != (ssize_t)ei->interp_len)
		goto out;
	/* The interpreter path must be NUL-terminated inside PT_INTERP (as Linux requires). */
	if (ipath[ei->interp_len - 1] != 0)
		goto out;
	ipath[ei->interp_len] = 0;
	err = open_exec(p, NULL, ipath, 0, &f, &size);
	if (err)
		goto out;
	/* Parse at a trial bias to learn the extent, then again at the chosen base. */
	err = read_elf_at(f, size, ii, ipath, USER_MIN);
	if (err)
		goto out;
	err = -ENOEXEC;
	if (ii->type != ET_DYN || ii->has_interp)
		goto out;
	span = ROUNDUP(ii->max_vaddr, PGSIZE) - ROUNDDOWN(ii->min_vaddr, PGSIZE);
	at = uvm_find_free(mm, mm->mmap_base, span);
	err = -ENOMEM;
	if (!at)
		goto out;
	err = read_elf_at(f, size, ii, ipath, at - ROUNDDOWN(ii->min_vaddr - USER_MIN, PGSIZE));
	if (!err)
		err = load_image(mm, f, ii);
	if (!err) {
		*base = ii->bias;
		*entry = ii->entry;
	}
out:
	if (f)
		file_put(f);
	kfree(ipath);
	kfree(ii);
	return err;
}

/* Point of no return: install mm and registers in the current process. */
static void commit_exec(struct proc *p, struct task *t, struct mm *mm,
			const struct elf_info *ei, u64 sp, const char *path, u64 entry)
{
	struct hw_trapframe *tf = t->utf;
	struct mm *old = p->mm;
	const char *base = strrchr(path, '/');
	bool self = t == current();

	u64 flags;

	if (self && READ_ONCE(p->nr_tasks) > 1) {
		/* Another thread is already exiting the group: it has sent us SIGKILL. */
		if (!proc_claim_group_exit(p)) {
			mm_put(mm);
			proc_exit_killed_thread();
		}
		proc_kill_other_threads(p);
		WRITE_ONCE(p->exiting, false);
		if (t->tid != p->pid) {
			/* The exec'ing thread takes over the process id (Linux de_thread). */
			tid_free(t->tid);
			t->tid = p->pid;
		}
	}
	t->clear_child_tid = 0;
	t->robust_list = 0;
	p->personality &= ~READ_IMPLIES_EXEC;	/* as Linux's set_personality_64bit */
	p->nondumpable = false;			/* as Linux without a credential change */
	/* Under p->lock so #proc readers can take a reference. */
	flags = spin_lock_irqsave(&p->lock);
	p->mm = mm;
	spin_unlock_irqrestore(&p->lock, flags);
	if (self)
		write_cr3(mm->pml4_pa);
	if (old)
		mm_put(old);
	mm->brk_start = mm->brk = ROUNDUP(ei->max_vaddr, PGSIZE);
	mm->start_code = ei->min_vaddr;
	mm->end_code = ei->max_vaddr;
	fdt_close_on_exec(p->fdt);
	sighand_reset_for_exec(p->sighand);
	t->altstack = (struct abi_stack){ 0, SS_DISABLE, 0, 0 };
	t->fs_base = 0;
	if (self) {
		wrmsr(MSR_FS_BASE, 0);
		arch_fpu_reset_current();
	}
	strlcpy(p->comm, base ? base + 1 : path, sizeof(p->comm));
	strlcpy(p->exe, path, sizeof(p->exe));
	ttrace_proc_exec(t, path);
	memset(tf, 0, __builtin_offsetof(struct hw_trapframe, gsbase_swapped));
	tf->rip = entry;
	tf->rsp = sp;
	tf->rflags = 0x202;
	tf->cs = GD_UT | 3;
	tf->ss = GD_UD | 3;
	if (self) {
		proc_vfork_release(p);
		procdbg_exec(p);
	}
}

/*
 * Load path (relative to descriptor dirfd of p, or AT_FDCWD; atflags as
 * execveat) into task t of process p (t is current for execve, a new task
 * for proc_create).  Linux's order: the path, the flags, the file, then
 * argv and envp.  0 or -errno.
 */
static int exec_at(struct proc *p, struct task *t, int dirfd, const char *upath,
		   char *const argv[], char *const envp[], bool user, int atflags)
{
	struct exec_args ea = { 0 };
	struct elf_info *ei = NULL;
	struct mm *mm = NULL;
	struct file *f = NULL, *dirf = NULL;
	char *path;
	u64 size = 0, sp, interp_base = 0, interp_entry = 0;
	long err;

	path = kmalloc(PATH_MAX, MEM_WAIT);
	if (!path)
		return -ENOMEM;
	err = user ? strncpy_from_user(path, upath, PATH_MAX) : (long)strlcpy(path, upath, PATH_MAX);
	if (err < 0)
		goto out;
	err = -ENOENT;
	if (!*path && !(atflags & AT_EMPTY_PATH))
		goto out;
	err = -EINVAL;
	if (atflags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		goto out;
	if (dirfd != AT_FDCWD && path[0] != '/') {
		err = -EBADF;
		dirf = fdt_get(p->fdt, dirfd);
		if (!dirf)
			goto out;
	}
	err = open_exec(p, dirf, path, atflags, &f, &size);
	if (err)
		goto out;
	/* Named through a descriptor: use the file's own name (Linux: /dev/fd/N/...). */
	if (dirf && vfs_file_path(f, path, PATH_MAX) < 0)
		strlcpy(path, "/dev/fd", PATH_MAX);
	err = copy_strings(&ea, argv, user);
	if (err < 0)
		goto out;
	ea.argc = err;
	err = copy_strings(&ea, envp, user);
	if (err < 0)
		goto out;
	ea.envc = err;
	ei = kmalloc(sizeof(*ei), MEM_WAIT);
	err = ei ? read_elf(f, size, ei, path) : -ENOMEM;
	if (err)
		goto out;
	mm = mm_create();
	err = mm ? load_image(mm, f, ei) : -ENOMEM;
	if (err)
		goto out;
	if (ei->has_interp) {
		err = load_interp(p, mm, f, ei, &interp_base, &interp_entry);
		if (err) {
			printk("exec %s: cannot load its interpreter (%ld)\n", path, err);
			goto out;
		}
	}
	sp = build_stack(mm, &ea, ei, path, p, interp_base);
	if (!sp) {
		err = -ENOMEM;
		goto out;
	}
	commit_exec(p, t, mm, ei, sp, path, interp_entry ? interp_entry : ei->entry);
	mm = NULL;
	/* /proc/PID/exe: the absolute name of the file actually run (wt-procfs). */
	if (vfs_file_path(f, path, PATH_MAX) > 0) {
		u64 flags = spin_lock_irqsave(&p->lock);

		strlcpy(p->exe, path, sizeof(p->exe));
		spin_unlock_irqrestore(&p->lock, flags);
	}
	err = 0;
out:
	if (mm)
		mm_put(mm);
	if (f)
		file_put(f);
	if (dirf)
		file_put(dirf);
	kfree(ei);
	kfree(ea.buf);
	kfree(path);
	return err;
}

/* Load path into task t of process p; see exec_at. */
int exec_into(struct proc *p, struct task *t, const char *upath, char *const argv[],
	      char *const envp[], bool user)
{
	return exec_at(p, t, AT_FDCWD, upath, argv, envp, user, 0);
}

int proc_execve(const char *upath, char *const argv[], char *const envp[], bool user)
{
	if (proc_is_mcp(current_proc()))
		return -EPERM;	/* its vcores hold cores: an MCP cannot change image */
	return exec_at(current_proc(), current(), AT_FDCWD, upath, argv, envp, user, 0);
}

int proc_execveat(int dirfd, const char *upath, char *const argv[], char *const envp[],
		  int flags)
{
	if (proc_is_mcp(current_proc()))
		return -EPERM;
	return exec_at(current_proc(), current(), dirfd, upath, argv, envp, true, flags);
}
