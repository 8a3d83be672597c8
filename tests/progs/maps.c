/*
 * maps: /proc/self/maps names what each area maps.  File mappings
 * (shared and private, split by munmap, moved by mremap, duplicated by
 * mremap with old_len 0, inherited by fork) and the executable's own
 * segments show the file offset of the area's start, the file's device
 * and inode and its path, with the path at column 73; anonymous areas
 * show zeros and no name; shared anonymous memory is "/dev/zero
 * (deleted)".  Only derived facts are printed, never addresses.
 */
#include "tprog.h"
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#define PG 4096

/* One parsed line of /proc/self/maps. */
struct map_line {
	unsigned long start, end, offset, ino;
	unsigned maj, min;
	char perms[5];
	char path[PATH_MAX];
	int path_col;		/* column of the path, -1 if none */
};

/* Find the line of /proc/self/maps whose area contains addr; 0 if found. */
static int find_map(const void *addr, struct map_line *ml)
{
	char line[PATH_MAX + 128];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		int n = 0;

		memset(ml, 0, sizeof(*ml));
		if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu %n", &ml->start, &ml->end, ml->perms,
			   &ml->offset, &ml->maj, &ml->min, &ml->ino, &n) < 7)
			continue;
		if ((uintptr_t)addr < ml->start || (uintptr_t)addr >= ml->end)
			continue;
		line[strcspn(line, "\n")] = 0;
		ml->path_col = line[n] ? n : -1;
		snprintf(ml->path, sizeof(ml->path), "%s", line + n);
		found = 0;
		break;
	}
	fclose(f);
	return found;
}

/* True if the area holding addr names file st at path with byte offset off. */
static int names_file(const void *addr, const struct stat *st, const char *path,
		      unsigned long off, struct map_line *ml)
{
	return !find_map(addr, ml) && ml->offset == off && ml->ino == st->st_ino &&
	       ml->maj == major(st->st_dev) && ml->min == minor(st->st_dev) &&
	       !strcmp(ml->path, path) && ml->path_col == 73;
}

#define CHECK_NAMES(name, addr, st, path, off)					\
	do {									\
		struct map_line ml_;						\
		CHECK(name, names_file(addr, st, path, off, &ml_),		\
		      "offset %#lx %02x:%02x ino %lu col %d path '%s'",		\
		      ml_.offset, ml_.maj, ml_.min, ml_.ino, ml_.path_col, ml_.path); \
	} while (0)

static char path[PATH_MAX];
static struct stat st;

static void make_file(void)
{
	char buf[PG];
	int fd = open("data", O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (int i = 0; i < 6; i++) {
		memset(buf, 'a' + i, sizeof(buf));
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			printf("FAIL setup: write\n");
	}
	fstat(fd, &st);
	close(fd);
	if (!realpath("data", path))
		printf("FAIL setup: realpath\n");
}

static void test_file_maps(void)
{
	int fd = open("data", O_RDWR);
	char *p, *q;

	p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 2 * PG);
	CHECK("private-data", p != MAP_FAILED && p[0] == 'c', "p %p", p);
	CHECK_NAMES("private-named", p, &st, path, 2 * PG);
	munmap(p, PG);

	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
	CHECK_NAMES("shared-named", p, &st, path, PG);
	CHECK_NAMES("shared-second-page", p + PG, &st, path, PG);
	munmap(p, 2 * PG);

	/* munmap of the middle page: the upper part starts at its own file offset. */
	p = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	munmap(p + PG, PG);
	CHECK_NAMES("split-low", p, &st, path, 0);
	CHECK_NAMES("split-high", p + 2 * PG, &st, path, 2 * PG);
	/* mprotect splits too. */
	mprotect(p + 2 * PG, PG, PROT_NONE);
	CHECK_NAMES("mprotect-keeps", p + 2 * PG, &st, path, 2 * PG);
	munmap(p, 3 * PG);

	/* mremap moving a file mapping keeps its identity and offset. */
	p = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 3 * PG);
	q = mmap(p + 2 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		 -1, 0);
	p = mremap(p, 2 * PG, 3 * PG, MREMAP_MAYMOVE);
	CHECK("mremap-moved", p != MAP_FAILED && p[0] == 'd' && p[2 * PG] == 'f', "p %p", p);
	CHECK_NAMES("mremap-named", p, &st, path, 3 * PG);
	CHECK_NAMES("mremap-grown", p + 2 * PG, &st, path, 3 * PG);
	if (q != MAP_FAILED)
		munmap(q, PG);

	/* A duplicate (old_len 0) of the second page starts at that page's offset. */
	q = mremap(p + PG, 0, PG, MREMAP_MAYMOVE);
	CHECK("dup-data", q != MAP_FAILED && q[0] == 'e', "q %p", q);
	CHECK_NAMES("dup-named", q, &st, path, 4 * PG);

	/* A forked child sees the same names. */
	pid_t pid = fork();

	if (pid == 0) {
		struct map_line ml;

		_exit(names_file(q, &st, path, 4 * PG, &ml) ? 0 : 1);
	}
	int ws = 0;

	waitpid(pid, &ws, 0);
	CHECK("fork-named", WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "status %#x", ws);
	munmap(q, PG);
	munmap(p, 3 * PG);
	close(fd);
}

static void test_anon_maps(void)
{
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct map_line ml;
	int ok;

	p[0] = 1;
	ok = !find_map(p, &ml) && ml.offset == 0 && ml.maj == 0 && ml.min == 0 && ml.ino == 0 &&
	     ml.path_col == -1;
	CHECK("anon-unnamed", ok, "offset %#lx ino %lu path '%s'", ml.offset, ml.ino, ml.path);
	munmap(p, PG);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ok = !find_map(p, &ml) && !strcmp(ml.path, "/dev/zero (deleted)") && ml.perms[3] == 's';
	CHECK("shmem-named", ok, "path '%s' perms %s", ml.path, ml.perms);
	munmap(p, PG);
}

static int data_word = 1;

/* The executable's segments are named by it, at their file offsets. */
static void test_exe_maps(void)
{
	char exe[PATH_MAX];
	struct stat est;
	struct map_line text, data;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n > 0 ? n : 0] = 0;
	stat(exe, &est);
	CHECK("exe-text-named", !find_map((void *)test_exe_maps, &text) &&
	      !strcmp(text.path, exe) && text.ino == est.st_ino && text.perms[2] == 'x',
	      "path '%s' perms %s", text.path, text.perms);
	CHECK("exe-data-named", !find_map(&data_word, &data) && !strcmp(data.path, exe) &&
	      data.ino == est.st_ino && data.perms[1] == 'w' && data.offset > text.offset,
	      "path '%s' perms %s offset %#lx", data.path, data.perms, data.offset);
	CHECK("exe-offset-aligned", text.offset % PG == 0 && data.offset % PG == 0,
	      "text %#lx data %#lx", text.offset, data.offset);
}

int main(void)
{
	char dir[PATH_MAX];

	tp_init();
	tp_scratch(dir, sizeof(dir));
	make_file();
	test_file_maps();
	test_anon_maps();
	test_exe_maps();
	if (chdir("/") == 0)
		tp_rmtree(dir);
	return TP_SUMMARY();
}
