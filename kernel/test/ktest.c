/*
 * The ktest runner (see kern/ktest.h).  Tests are found through the
 * .ktests section, so adding one needs no edit here.  A name filter from
 * the command line (ktest=a,b) selects tests by exact name.
 */
#include <kern/ktest.h>
#include <kern/string.h>
#include <kern/time.h>

/* True if name appears in the comma-separated list only (NULL = all). */
static bool selected(const char *name, const char *only)
{
	size_t n = strlen(name);

	if (!only || !*only)
		return true;
	for (const char *p = only; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && !strncmp(p, name, n))
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

int ktest_run_all(const char *only)
{
	int passed = 0, failed = 0;

	printk("ktest: running self-tests\n");
	for (const struct ktest *t = __ktest_start; t < __ktest_end; t++) {
		u64 t0;
		bool ok;

		if (!selected(t->name, only))
			continue;
		printk("ktest: %s ...\n", t->name);
		t0 = nsec_since_boot();
		ok = t->fn();
		printk("ktest: %s %s (%llu us)\n", t->name, ok ? "PASS" : "FAIL",
		       (nsec_since_boot() - t0) / 1000);
		if (ok)
			passed++;
		else
			failed++;
	}
	printk("ktest: %d passed, %d failed\n", passed, failed);
	return failed;
}
