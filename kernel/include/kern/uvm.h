/*
 * User address spaces.
 *
 * A struct mm is a page table (its upper half shared with the kernel's)
 * plus a sorted list of vm_areas describing what may be mapped where.
 * Pages are filled on demand by the page fault handler: anonymous memory
 * is zero-filled; private writable pages shared after fork are marked
 * copy-on-write (read-only with PTE_COW) and copied on the first write.
 * Physical pages carry a reference count (kern/pageref.h) so COW sharing
 * and unmapping agree on when a page is free.
 *
 * An area that maps a file (mmap of a file, shared or private, and the
 * segments exec loads) names it by a struct vm_file: a refcounted
 * (path, st_dev, st_ino) record shared by every area made from one
 * mapping, carried through split, fork and mremap, shown by
 * /proc/PID/maps.  For such areas pgoff is the file page of the area's
 * start whether or not a page cache object backs them (devices are
 * copied in).  Areas merge only when name, object, file and offsets
 * line up.
 *
 * Locking: mm->lock (a spinlock; the kernel is non-preemptive and page
 * allocation does not sleep) protects the vma list and the user half of
 * the page table.  Lock order: proc->lock, then mm->lock; vfs_lock is
 * never taken under mm->lock (vm_file_create runs before mapping).
 */
#ifndef KERN_UVM_H
#define KERN_UVM_H

#include <kern/types.h>
#include <kern/list.h>
#include <kern/spinlock.h>
#include <abi/mman.h>

#define VMA_PRIVATE	0x01
#define VMA_SHARED	0x02
#define VMA_GROWSDOWN	0x04	/* stack */
#define VMA_HEAP	0x08	/* brk area */
#define VMA_MAYWRITE	0x10	/* shared area that may be writable (Linux's VM_MAYWRITE): its
				   file was opened for writing and is not write-sealed */
#define VMA_LOCKED	0x20	/* mlocked (VmLck); pages never leave RAM anyway: there is no
				   swap, so the flag only counts and is not inherited by fork */

/* User addresses live in [USER_MIN, USER_MAX). */
#define USER_MIN	0x10000ULL
#define USER_MAX	0x00007ffffffff000ULL
#define USER_STACK_TOP	0x00007ffffffde000ULL
#define USER_STACK_MAX	(8ULL << 20)
#define USER_MMAP_BASE	0x00007f0000000000ULL
#define USER_MMAP_LOW	0x0000100000000000ULL	/* second search start: mappings over ~1 TiB */

struct file;

/* The identity of a mapped file, for /proc/PID/maps. */
struct vm_file {
	int refcnt;			/* atomic: areas and readers holding it */
	u64 dev, ino;			/* st_dev, st_ino of the file */
	char path[];			/* its absolute path, NUL-terminated */
};

/* Identity of open file f (takes vfs_lock: never under mm->lock); NULL when memory is short. */
struct vm_file *vm_file_create(struct file *f);
/* Take a reference on vf (NULL allowed). */
void vm_file_get(struct vm_file *vf);
/* Drop a reference on vf (NULL allowed); the last one frees it. */
void vm_file_put(struct vm_file *vf);

/* What backs a new area and how it is named (uvm_map_backed, uvm_area_info). */
struct vm_backing {
	const char *name;		/* static label ("[heap]", "/dev/zero (deleted)") or NULL */
	struct vm_object *obj;		/* page cache object or NULL: anonymous or copied in */
	struct vm_file *file;		/* the mapped file or NULL */
	u64 pgoff;			/* page of obj/file at the area's start */
};

/* Drop the references a vm_backing holds (from uvm_area_info). */
void vm_backing_put(struct vm_backing *b);

struct vm_area {
	uintptr_t start, end;		/* page aligned, end exclusive */
	int prot;			/* PROT_* */
	int flags;			/* VMA_* */
	struct list_head link;		/* in mm->vmas, sorted by start */
	const char *name;		/* static label: "[heap]", "[stack]" or NULL */
	struct vm_object *obj;		/* backing object (holds a reference) or NULL: anonymous */
	struct vm_file *file;		/* mapped file (holds a reference) or NULL */
	u64 pgoff;			/* page index in obj (or file) of start */
};

/* True if area v counts in its object's write_maps (shared and may write). */
static inline bool vma_shared_maywrite(const struct vm_area *v)
{
	return (v->flags & (VMA_SHARED | VMA_MAYWRITE)) == (VMA_SHARED | VMA_MAYWRITE);
}

#define MM_SAVED_AUXV	64	/* words of the auxiliary vector kept (Linux's AT_VECTOR_SIZE order) */

struct mm {
	physaddr_t pml4_pa;
	struct spinlock lock;
	struct list_head vmas;		/* under lock */
	uintptr_t brk_start, brk;	/* under lock */
	uintptr_t mmap_base;		/* next search start for mmap */
	uintptr_t start_code, end_code, start_stack;
	uintptr_t arg_start, arg_end, env_start, env_end;
	u64 saved_auxv[MM_SAVED_AUXV];	/* the auxiliary vector exec gave, for /proc/PID/auxv */
	u32 saved_auxv_bytes;
	int refcount;			/* atomic: threads sharing it (CLONE_VM) */
	size_t rss_pages;		/* under lock */
	bool lock_future;		/* mlockall(MCL_FUTURE): new areas get VMA_LOCKED; under lock */
	struct list_head mm_link;	/* all address spaces; mm_list_lock */
};

/* New empty address space; NULL when memory is short. */
struct mm *mm_create(void);
/* Take a reference (CLONE_VM). */
void mm_get(struct mm *mm);
/* Drop a reference; the last one frees pages and tables. */
void mm_put(struct mm *mm);
/* Copy-on-write duplicate for fork; NULL when memory is short. */
struct mm *mm_fork(struct mm *mm);

/* Add an area [start, start+len); -EINVAL if misaligned/out of range, -ENOMEM if it overlaps. */
int uvm_map(struct mm *mm, uintptr_t start, size_t len, int prot, int flags, const char *name);
/* uvm_map with backing b (new references on its obj and file are taken); errors as uvm_map. */
int uvm_map_backed(struct mm *mm, uintptr_t start, size_t len, int prot, int flags,
		   const struct vm_backing *b);
/* Remove mappings in [start, start+len), splitting areas; returns 0 or -EINVAL. */
int uvm_unmap(struct mm *mm, uintptr_t start, size_t len);
/* True if every page of [start, start+len) belongs to some area. */
bool uvm_range_mapped(struct mm *mm, uintptr_t start, size_t len);
/* Bytes of [start, end) covered by areas (the address-space size for 0, USER_MAX). */
size_t uvm_mapped_bytes(struct mm *mm, uintptr_t start, uintptr_t end);
/*
 * Change protection of [start, start+len); -ENOMEM if a hole is inside,
 * -EACCES if PROT_WRITE is asked of a shared area without VMA_MAYWRITE.
 */
int uvm_protect(struct mm *mm, uintptr_t start, size_t len, int prot);
/* Find a free range of len bytes at or above hint; 0 if none. */
uintptr_t uvm_find_free(struct mm *mm, uintptr_t hint, size_t len);
/*
 * Map len bytes backed by b at the first free range at or above hint
 * (exactly at hint if exact), found and inserted under one mm->lock
 * section; 0 with *addr set, or -ENOMEM (no room, or memory short).
 */
int uvm_map_search(struct mm *mm, uintptr_t hint, bool exact, size_t len, int prot, int flags,
		   const struct vm_backing *b, uintptr_t *addr);
/* The area containing addr, or NULL (mm->lock held). */
struct vm_area *__uvm_find(struct mm *mm, uintptr_t addr);

#define FAULT_WRITE	0x1
#define FAULT_EXEC	0x2
#define FAULT_USER	0x4
#define FAULT_PRESENT	0x8
/* Resolve a fault at addr; 0 if fixed, -EFAULT if the access is not allowed, -ENXIO past EOF. */
int uvm_handle_fault(struct mm *mm, uintptr_t addr, int fault_flags);
/* Flush mm's TLB entries on every other CPU now running one of its threads (arch/x86/tlb.c). */
void tlb_flush_mm_others(struct mm *mm);
/* Copy len bytes into the user range at va of mm (not necessarily current), faulting pages in. */
int uvm_write(struct mm *mm, uintptr_t va, const void *src, size_t len);
/* Copy len bytes out of mm's user range at va. */
int uvm_read(struct mm *mm, uintptr_t va, void *dst, size_t len);
/* True if [addr, addr+len) is inside the user range without overflow. */
static inline bool user_range_fits(uintptr_t addr, size_t len)
{
	return addr >= USER_MIN && addr + len >= addr && addr + len <= USER_MAX;
}
/* Drop the pages of [start, start+len) but keep the areas (MADV_DONTNEED); 0 or -EINVAL. */
int uvm_discard(struct mm *mm, uintptr_t start, size_t len);
/* Run fn on the u32 user word at uaddr under mm->lock (futexes); 0 or -EFAULT/-ENOMEM. */
int uvm_user_word(struct mm *mm, uintptr_t uaddr, bool write,
		  u32 (*fn)(volatile u32 *word, void *arg), void *arg, u32 *out,
		  physaddr_t *shared_pa);
/* mremap core: move [old, old+len) (one area) to the free range at new; 0 or -EFAULT/-ENOMEM. */
int uvm_move(struct mm *mm, uintptr_t old, size_t len, uintptr_t new);
/* Protection, flags and backing (referenced, at addr) of the area holding [addr, addr+len). */
int uvm_area_info(struct mm *mm, uintptr_t addr, size_t len, int *prot, int *vflags,
		  struct vm_backing *b);
/*
 * mlock/munlock: set or clear VMA_LOCKED on [start, start+len) (page
 * aligned, len > 0), splitting areas; -ENOMEM if part of it is unmapped
 * (then nothing changes).
 */
int uvm_set_locked(struct mm *mm, uintptr_t start, size_t len, bool on);
/* mlockall: lock every area if current; future: areas mapped later are locked too (else not). */
void uvm_lock_all(struct mm *mm, bool current, bool future);
/* munlockall: unlock every area and stop locking new ones. */
void uvm_unlock_all(struct mm *mm);
/* Bytes of VMA_LOCKED areas inside [start, end). */
size_t uvm_locked_bytes(struct mm *mm, uintptr_t start, uintptr_t end);
/*
 * Fault in every accessible page of the areas inside [start, end) (mlock,
 * MCL_CURRENT; writable private pages get their own copy, as Linux's
 * populate does).  Faults that fail (past the end of a file) are skipped;
 * 0 or -ENOMEM.
 */
int uvm_populate(struct mm *mm, uintptr_t start, uintptr_t end);
/*
 * mincore: vec[i] = 1 if page i of [start, start + npages pages) is
 * resident (mapped, or in the page cache object of a file area), else 0.
 * Returns the pages done before a hole: npages, or fewer (the caller's
 * -ENOMEM).  start page aligned.
 */
size_t uvm_mincore(struct mm *mm, uintptr_t start, size_t npages, u8 *vec);
/* Set the program break; returns the new break (the old one on failure). */
uintptr_t uvm_brk(struct mm *mm, uintptr_t new_brk);

/* arch: flush mm's user TLB entries on every CPU that may cache them, and wait (arch/x86/tlb.c). */
void tlb_flush_mm(struct mm *mm);

#endif
