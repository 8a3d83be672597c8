/*
 * exec_image: the memory image execve builds from an ELF file.
 *
 * Model: the program re-executes itself (argv[0]) as a child that checks
 * its initialised data (several pages of .data, so some pages are wholly
 * file bytes and one holds the end of them) and its zero-filled .bss,
 * then overwrites all of it and exits with the number of bad checks.  The
 * parent runs the child three times: each run must see the file's bytes
 * again, so writes to pages mapped from the file (copy-on-write from the
 * page cache) never reach the file or the next image.  The parent also
 * compares the executable's bytes before and after.  Same output on host
 * Linux and on our kernel.
 */
#include "tprog.h"
#include <fcntl.h>
#include <sys/wait.h>

#define DATA_PAGES	3

/* .data over several pages: a pattern the child can check. */
static unsigned char data_pages[DATA_PAGES * 4096 + 123] = { 1, 2, 3, [4096] = 4,
							     [2 * 4096 + 5] = 6,
							     [DATA_PAGES * 4096 + 122] = 7 };
static volatile int data_word = 42;
/* .bss right after: must read as zero, also in the page .data ends in. */
static unsigned char bss_buf[3 * 4096];

/* Child: count bad bytes of the image, then dirty every byte. */
static int child(void)
{
	int bad = 0;

	for (size_t i = 0; i < sizeof(data_pages); i++) {
		unsigned char want = i == 0 ? 1 : i == 1 ? 2 : i == 2 ? 3 : i == 4096 ? 4 :
				     i == 2 * 4096 + 5 ? 6 : i == DATA_PAGES * 4096 + 122 ? 7 : 0;

		bad += data_pages[i] != want;
	}
	bad += data_word != 42;
	for (size_t i = 0; i < sizeof(bss_buf); i++)
		bad += bss_buf[i] != 0;
	memset(data_pages, 0xa5, sizeof(data_pages));
	memset(bss_buf, 0x5a, sizeof(bss_buf));
	data_word = 7;
	return bad > 100 ? 100 : bad;
}

/* Run the child once; returns its exit code, or -1. */
static int run_child(const char *self)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl(self, "exec_image", "--child", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The whole file at path in a malloc'd buffer (*len bytes); NULL on error. */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	char *buf;

	if (fd < 0 || fstat(fd, &st) < 0 || !(buf = malloc(st.st_size + 1)))
		return NULL;
	*len = read(fd, buf, st.st_size);
	close(fd);
	return buf;
}

int main(int argc, char **argv)
{
	size_t len0 = 0, len1 = 0;
	char *before, *after;

	if (argc > 1 && strcmp(argv[1], "--child") == 0)
		return child();
	tp_init();
	before = slurp(argv[0], &len0);
	CHECK("read-self", before != NULL, "cannot read %s", argv[0]);
	for (int i = 1; i <= 3; i++) {
		char name[32];
		int bad = run_child(argv[0]);

		snprintf(name, sizeof(name), "fresh-image-%d", i);
		CHECK(name, bad == 0, "%d bad bytes in the child's data/bss", bad);
	}
	/* The parent's own image was never touched by the children. */
	CHECK("parent-data", data_word == 42 && data_pages[4096] == 4, "data changed");
	after = slurp(argv[0], &len1);
	CHECK("file-unchanged", before && after && len0 == len1 && !memcmp(before, after, len0),
	      "the executable's bytes changed");
	free(before);
	free(after);
	return TP_SUMMARY();
}
