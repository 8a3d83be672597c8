/*
 * dlopen-deps: a dynamic glibc program that needs what glibc loads with
 * dlopen() at run time, built with the host gcc by tests/tools and the
 * runner-target tier and run unchanged on the host and the target (the
 * output must match): pthread_cancel (glibc loads libgcc_s.so.1 to unwind
 * the cancelled thread; without it glibc aborts with "libgcc_s.so.1 must
 * be installed for pthread_cancel to work"), getpwnam/getgrnam through
 * /etc/nsswitch.conf and an iconv conversion that needs a gconv module.
 * Prints one line per check; exits 0 when all of them worked, 1 if not.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <iconv.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Thread body: waits in a cancellation point until cancelled. */
static void *wait_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* Cancel a thread and join it; returns 0 if it ended cancelled, else -1. */
static int check_cancel(void)
{
	pthread_t t;
	void *res = NULL;

	if (pthread_create(&t, NULL, wait_forever, NULL) != 0)
		return -1;
	if (pthread_cancel(t) != 0 || pthread_join(t, &res) != 0)
		return -1;
	return res == PTHREAD_CANCELED ? 0 : -1;
}

/* Convert "caf\xc3\xa9" from UTF-8 to ISO-8859-1; 0 if it gives "caf\xe9". */
static int check_iconv(void)
{
	char in[] = "caf\xc3\xa9", out[16] = "";
	char *ip = in, *op = out;
	size_t il = strlen(in), ol = sizeof(out) - 1;
	iconv_t cd = iconv_open("ISO-8859-1", "UTF-8");
	int ret;

	if (cd == (iconv_t)-1)
		return -1;
	ret = iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ? -1 : 0;
	iconv_close(cd);
	if (ret == 0 && strcmp(out, "caf\xe9") != 0)
		ret = -1;
	return ret;
}

int main(void)
{
	struct passwd *pw;
	struct group *gr;
	int bad = 0;

	if (check_cancel() == 0) {
		printf("pthread_cancel: cancelled\n");
	} else {
		printf("pthread_cancel: FAILED\n");
		bad = 1;
	}
	pw = getpwnam("root");
	if (pw) {
		printf("getpwnam root: uid %d gid %d home %s\n", (int)pw->pw_uid,
		       (int)pw->pw_gid, pw->pw_dir);
	} else {
		printf("getpwnam root: FAILED\n");
		bad = 1;
	}
	gr = getgrnam("root");
	if (gr) {
		printf("getgrnam root: gid %d\n", (int)gr->gr_gid);
	} else {
		printf("getgrnam root: FAILED\n");
		bad = 1;
	}
	if (check_iconv() == 0) {
		printf("iconv UTF-8 to ISO-8859-1: ok\n");
	} else {
		printf("iconv UTF-8 to ISO-8859-1: FAILED\n");
		bad = 1;
	}
	fflush(stdout);
	return bad;
}
