/*
 * dirs: namespace syscalls - mkdir/rmdir, getdents64, chdir/fchdir/getcwd,
 * rename, link, symlink/readlink, unlink, stat/lstat/fstatat/statx,
 * access/faccessat, umask, chmod, utimensat, truncate/ftruncate - and
 * their error paths.  Directory listings are sorted before comparison so
 * the result does not depend on the file system's entry order.  Nothing
 * printed depends on the scratch directory's name.
 */
#include "tprog.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>

static void *volatile bad_ptr = (void *)1;

struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted "name:type" list of a directory via raw getdents64; "" on error. */
static void list_dir(const char *path, char *out, size_t len)
{
	char buf[512], *names[64];
	int n = 0, fd = open(path, O_RDONLY | O_DIRECTORY);
	long got;

	out[0] = '\0';
	if (fd < 0)
		return;
	/* A small buffer forces several getdents64 calls. */
	while ((got = syscall(SYS_getdents64, fd, buf, 128)) > 0) {
		for (long off = 0; off < got && n < 64;) {
			struct linux_dirent64 *d = (void *)(buf + off);

			if (d->d_ino == 0 || d->d_off == 0)
				printf("FAIL getdents64: zero d_ino/d_off\n");
			if (asprintf(&names[n], "%s:%d", d->d_name,
				     d->d_type) >= 0)
				n++;
			off += d->d_reclen;
		}
	}
	close(fd);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (int i = 0; i < n; i++) {
		strncat(out, names[i], len - strlen(out) - 2);
		strncat(out, " ", len - strlen(out) - 1);
		free(names[i]);
	}
}

/* getdents64 on a freshly opened path; keeps errno of the getdents call. */
static long getdents_file(const char *path, char *buf, size_t len)
{
	int f = open(path, O_RDONLY);
	long r = syscall(SYS_getdents64, f, buf, len);
	int e = errno;

	close(f);
	errno = e;
	return r;
}

static void test_mkdir_getdents(void)
{
	char list[512];
	int fd;

	CHECK_OK("mkdir", mkdir("d", 0755));
	CHECK_ERR("mkdir-eexist", mkdir("d", 0755), EEXIST);
	CHECK_ERR("mkdir-enoent", mkdir("nope/sub", 0755), ENOENT);
	CHECK_ERR("mkdir-efault", mkdir(bad_ptr, 0755), EFAULT);
	CHECK_OK("mkdir-sub", mkdir("d/sub", 0700));
	fd = open("d/file", O_CREAT | O_WRONLY, 0644);
	write(fd, "0123456789", 10);
	close(fd);
	CHECK_OK("symlink", symlink("file", "d/link"));
	list_dir("d", list, sizeof(list));
	CHECK("getdents64", strcmp(list, "..:4 .:4 file:8 link:10 sub:4 ") == 0,
	      "got '%s'", list);
	CHECK_ERR("getdents64-enotdir", getdents_file("d/file", list,
						       sizeof(list)), ENOTDIR);
	CHECK_ERR("getdents64-ebadf", syscall(SYS_getdents64, 999, list,
					      sizeof(list)), EBADF);
	CHECK_ERR("rmdir-enotempty", rmdir("d"), ENOTEMPTY);
	CHECK_ERR("rmdir-enotdir", rmdir("d/file"), ENOTDIR);
	CHECK_ERR("unlink-dir-eisdir", unlink("d/sub"), EISDIR);
}

static void test_cwd(void)
{
	char start[4096], buf[4096];
	int fd;

	CHECK("getcwd", getcwd(start, sizeof(start)) != NULL, "errno %d",
	      errno);
	CHECK_OK("chdir", chdir("d/sub"));
	getcwd(buf, sizeof(buf));
	CHECK("getcwd-after-chdir",
	      strlen(buf) == strlen(start) + 6 &&
	      strcmp(buf + strlen(start), "/d/sub") == 0, "got tail %s",
	      buf + (strlen(buf) > 6 ? strlen(buf) - 6 : 0));
	CHECK_OK("chdir-dotdot", chdir("../.."));
	getcwd(buf, sizeof(buf));
	CHECK("getcwd-back", strcmp(buf, start) == 0, "cwd moved");
	CHECK_ERR("getcwd-erange", syscall(SYS_getcwd, buf, 1), ERANGE);
	CHECK_ERR("chdir-enoent", chdir("nope"), ENOENT);
	CHECK_ERR("chdir-enotdir", chdir("d/file"), ENOTDIR);
	fd = open("d", O_RDONLY | O_DIRECTORY);
	CHECK_OK("fchdir", fchdir(fd));
	CHECK_OK("fchdir-relative", access("file", F_OK));
	close(fd);
	chdir(start);
	CHECK_ERR("fchdir-ebadf", fchdir(999), EBADF);
}

static void test_links(void)
{
	char buf[64];
	struct stat st, lst;
	long n;

	memset(buf, 0, sizeof(buf));
	n = readlink("d/link", buf, sizeof(buf));
	CHECK("readlink", n == 4 && memcmp(buf, "file", 4) == 0,
	      "n=%ld buf=%s", n, buf);
	CHECK_EQ("readlink-trunc", readlink("d/link", buf, 2), 2);
	CHECK_ERR("readlink-einval", readlink("d/file", buf, sizeof(buf)),
		  EINVAL);
	CHECK_ERR("readlink-enoent", readlink("d/none", buf, sizeof(buf)),
		  ENOENT);
	CHECK_OK("stat-through-link", stat("d/link", &st));
	CHECK("stat-follows", S_ISREG(st.st_mode) && st.st_size == 10,
	      "mode %o size %lld", st.st_mode, (long long)st.st_size);
	CHECK_OK("lstat", lstat("d/link", &lst));
	CHECK("lstat-nofollow", S_ISLNK(lst.st_mode) && lst.st_size == 4,
	      "mode %o size %lld", lst.st_mode, (long long)lst.st_size);
	CHECK_OK("symlink-dangling", symlink("missing", "d/dangle"));
	CHECK_ERR("stat-dangling-enoent", stat("d/dangle", &st), ENOENT);
	CHECK_ERR("symlink-eexist", symlink("x", "d/link"), EEXIST);
	CHECK_OK("symlink-loop-a", symlink("loopb", "d/loopa"));
	CHECK_OK("symlink-loop-b", symlink("loopa", "d/loopb"));
	CHECK_ERR("stat-eloop", stat("d/loopa", &st), ELOOP);

	CHECK_OK("link", link("d/file", "d/hard"));
	stat("d/file", &st);
	CHECK_EQ("link-nlink", st.st_nlink, 2);
	stat("d/hard", &lst);
	CHECK("link-same-inode", st.st_ino == lst.st_ino, "inodes differ");
	CHECK_ERR("link-eexist", link("d/file", "d/hard"), EEXIST);
	CHECK_ERR("link-enoent", link("d/nothing", "d/h2"), ENOENT);
	CHECK_OK("unlink", unlink("d/hard"));
	stat("d/file", &st);
	CHECK_EQ("unlink-nlink", st.st_nlink, 1);
	CHECK_ERR("unlink-enoent", unlink("d/hard"), ENOENT);

	CHECK_OK("rename", rename("d/file", "d/moved"));
	CHECK_ERR("rename-old-gone", access("d/file", F_OK), ENOENT);
	CHECK_OK("rename-new", access("d/moved", F_OK));
	CHECK_OK("rename-back", rename("d/moved", "d/file"));
	CHECK_OK("rename-dir", rename("d/sub", "d/sub2"));
	CHECK_OK("rename-dir-back", rename("d/sub2", "d/sub"));
	CHECK_ERR("rename-into-self", rename("d", "d/sub/x"), EINVAL);
	CHECK_ERR("rename-enoent", rename("d/none", "d/x"), ENOENT);
	CHECK_ERR("rename-file-over-dir", rename("d/file", "d/sub"), EISDIR);
	{
		int fd = open("d/other", O_CREAT | O_WRONLY, 0644);

		write(fd, "abc", 3);
		close(fd);
	}
	CHECK_OK("rename-replace", rename("d/other", "d/file"));
	stat("d/file", &st);
	CHECK_EQ("rename-replace-size", st.st_size, 3);
}

static void test_stat_family(void)
{
	struct stat st;
	struct statx sx;
	int dfd = open("d", O_RDONLY | O_DIRECTORY);

	CHECK_OK("fstatat", fstatat(dfd, "file", &st, 0));
	CHECK_EQ("fstatat-size", st.st_size, 3);
	CHECK_OK("fstatat-nofollow", fstatat(dfd, "link", &st,
					     AT_SYMLINK_NOFOLLOW));
	CHECK("fstatat-nofollow-lnk", S_ISLNK(st.st_mode), "mode %o",
	      st.st_mode);
	CHECK_OK("fstatat-empty-path", fstatat(dfd, "", &st, AT_EMPTY_PATH));
	CHECK("fstatat-empty-dir", S_ISDIR(st.st_mode), "mode %o",
	      st.st_mode);
	CHECK_ERR("fstatat-ebadf", fstatat(999, "file", &st, 0), EBADF);
	CHECK_ERR("stat-efault", stat("d/file", bad_ptr), EFAULT);
	CHECK_ERR("stat-efault-path", stat(bad_ptr, &st), EFAULT);
	CHECK_OK("statx", statx(dfd, "file", 0, STATX_BASIC_STATS, &sx));
	CHECK("statx-fields", sx.stx_size == 3 && S_ISREG(sx.stx_mode) &&
	      (sx.stx_mask & STATX_SIZE), "size %llu mode %o mask %x",
	      (unsigned long long)sx.stx_size, sx.stx_mode, sx.stx_mask);
	CHECK_ERR("statx-enoent", statx(dfd, "none", 0, STATX_BASIC_STATS,
					&sx), ENOENT);
	close(dfd);
}

static void test_perms_times(void)
{
	struct stat st;
	struct timespec ts[2] = { { 1000000000, 500 }, { 1234567890, 0 } };
	int fd;

	CHECK_EQ("umask-old", umask(027), 022);
	fd = open("u.txt", O_CREAT | O_WRONLY, 0666);
	fstat(fd, &st);
	CHECK_EQ("umask-applied", st.st_mode & 0777, 0640);
	close(fd);
	mkdir("ud", 0777);
	stat("ud", &st);
	CHECK_EQ("umask-mkdir", st.st_mode & 0777, 0750);
	CHECK_EQ("umask-restore", umask(022), 027);
	CHECK_OK("chmod", chmod("u.txt", 0604));
	stat("u.txt", &st);
	CHECK_EQ("chmod-mode", st.st_mode & 07777, 0604);
	CHECK_OK("chmod-setgid-dir", chmod("ud", 02755));
	CHECK_ERR("chmod-enoent", chmod("none", 0644), ENOENT);
	CHECK_OK("access-f", access("u.txt", F_OK));
	CHECK_OK("access-r", access("u.txt", R_OK));
	CHECK_ERR("access-enoent", access("none", F_OK), ENOENT);
	CHECK_ERR("access-einval", access("u.txt", 0100), EINVAL);
	CHECK_OK("faccessat", faccessat(AT_FDCWD, "u.txt", R_OK, 0));

	CHECK_OK("utimensat", utimensat(AT_FDCWD, "u.txt", ts, 0));
	stat("u.txt", &st);
	CHECK("utimensat-values", st.st_atim.tv_sec == 1000000000 &&
	      st.st_atim.tv_nsec == 500 && st.st_mtim.tv_sec == 1234567890 &&
	      st.st_mtim.tv_nsec == 0, "atime %lld.%ld mtime %lld.%ld",
	      (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
	      (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = 42;
	CHECK_OK("utimensat-omit", utimensat(AT_FDCWD, "u.txt", ts, 0));
	stat("u.txt", &st);
	CHECK("utimensat-omit-values", st.st_atim.tv_sec == 1000000000 &&
	      st.st_mtim.tv_sec == 42, "atime %lld mtime %lld",
	      (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec);
	ts[0].tv_nsec = 2000000000;
	CHECK_ERR("utimensat-einval", utimensat(AT_FDCWD, "u.txt", ts, 0),
		  EINVAL);

	CHECK_OK("truncate-grow", truncate("u.txt", 5000));
	stat("u.txt", &st);
	CHECK_EQ("truncate-size", st.st_size, 5000);
	fd = open("u.txt", O_RDWR);
	CHECK_OK("ftruncate", ftruncate(fd, 7));
	fstat(fd, &st);
	CHECK_EQ("ftruncate-size", st.st_size, 7);
	CHECK_ERR("ftruncate-einval", ftruncate(fd, -1), EINVAL);
	close(fd);
	fd = open("u.txt", O_RDONLY);
	CHECK_ERR("ftruncate-rdonly", ftruncate(fd, 0), EINVAL);
	close(fd);
	CHECK_ERR("truncate-eisdir", truncate("ud", 0), EISDIR);
	CHECK_ERR("truncate-enoent", truncate("none", 0), ENOENT);
}

static void test_rmdir(void)
{
	unlink("d/link");
	unlink("d/dangle");
	unlink("d/loopa");
	unlink("d/loopb");
	unlink("d/file");
	CHECK_OK("rmdir-sub", rmdir("d/sub"));
	CHECK_OK("rmdir", rmdir("d"));
	CHECK_ERR("rmdir-enoent", rmdir("d"), ENOENT);
	CHECK_ERR("rmdir-dot-einval", rmdir("."), EINVAL);
}

int main(void)
{
	char dir[256];

	tp_init();
	umask(022);
	tp_scratch(dir, sizeof(dir));
	test_mkdir_getdents();
	test_cwd();
	test_links();
	test_stat_family();
	test_perms_times();
	test_rmdir();
	if (chdir("/") == 0)
		tp_rmtree(dir);
	return TP_SUMMARY();
}
