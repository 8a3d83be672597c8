/*
 * bench.c - sizes and lookup speed of libpciids against libpci.
 *
 * Model: sizes: our read-only bytes come from `size -A` (passed in by
 * bench.sh), libpci's are measured with mallinfo2(): heap bytes in use
 * (uordblks + hblkhd) just before and after pci_load_name_list().  Speed:
 * the same shuffled list of known IDs is formatted by pciids_format() and
 * by pci_lookup_name() (256-byte buffers as in lspci), in alternating
 * rounds, best round of each kept, in ns per call.  Usage:
 *   bench PCI_IDS RODATA_BYTES GEN_MS
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <pci/pci.h>
#include "pciids.h"
#include "pciids_db.h"

#define N_IDS	100000
#define ROUNDS	15

struct job {
	unsigned int req, a[4];
};

static struct pci_access *pacc;
static unsigned long sink;

/* Monotonic time in ns. */
static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ns per call of one pass over the jobs with one library. */
static double pass(const struct job *j, int n, int ours)
{
	double t0 = now_ns();
	char buf[256];
	int i;

	for (i = 0; i < n; i++) {
		if (ours)
			pciids_format(buf, sizeof(buf), j[i].req, j[i].a[0],
				      j[i].a[1], j[i].a[2], j[i].a[3]);
		else
			pci_lookup_name(pacc, buf, sizeof(buf), (int)j[i].req,
					j[i].a[0], j[i].a[1], j[i].a[2],
					j[i].a[3]);
		sink += (unsigned char)buf[0];
	}
	return (now_ns() - t0) / n;
}

/* Best-of-ROUNDS ns per call for both, rounds interleaved; no return. */
static void run(const struct job *j, int n, double *ours, double *theirs)
{
	int r;

	*ours = *theirs = 1e30;
	for (r = 0; r < ROUNDS; r++) {
		double a = pass(j, n, 1), b = pass(j, n, 0);

		if (a < *ours)
			*ours = a;
		if (b < *theirs)
			*theirs = b;
	}
}

/* Fill jobs of one kind from the tables; returns the count. */
static int make_jobs(struct job *j, int kind)
{
	const struct pciids_db_info *db = &pciids_db_info;
	unsigned int i, v, k;
	int n;

	for (n = 0; n < N_IDS; n++) {
		struct job *x = &j[n];

		memset(x, 0, sizeof(*x));
		if (kind == 0) {		/* vendor + device */
			i = (unsigned int)rand() % db->n_devices;
			for (v = 0; pciids_vendor_dev[v + 1] <= i; v++)
				;
			x->req = PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE;
			x->a[0] = pciids_vendor_id[v];
			x->a[1] = pciids_device_id[i];
		} else if (kind == 1) {		/* subsystem */
			do
				i = (unsigned int)rand() % db->n_devices;
			while (!(pciids_subdev_bits[i / 32] >> (i % 32) & 1));
			k = pciids_subdev_rank[i / 32];
			for (v = 0; v < i % 32; v++)
				k += pciids_subdev_bits[i / 32] >> v & 1;
			for (v = 0; pciids_vendor_dev[v + 1] <= i; v++)
				;
			x->req = PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE |
				 PCI_LOOKUP_SUBSYSTEM;
			x->a[0] = pciids_vendor_id[v];
			x->a[1] = pciids_device_id[i];
			x->a[2] = pciids_subsys_key[pciids_subdev_sub[k]] >> 16;
			x->a[3] = pciids_subsys_key[pciids_subdev_sub[k]] & 0xffff;
		} else {			/* class */
			x->req = PCI_LOOKUP_CLASS;
			x->a[0] = pciids_subclass_key[(unsigned int)rand() %
						      db->n_subclasses];
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	static const char *const kind[] = {
		"vendor+device", "subsystem (v+d+sv+sd)", "class"
	};
	struct job *j = malloc(N_IDS * sizeof(*j));
	struct mallinfo2 m0, m1;
	double t0;
	size_t heap;
	struct stat st;
	long ro;
	int k;

	if (argc != 4 || !j || stat(argv[1], &st)) {
		fprintf(stderr, "usage: bench PCI_IDS RODATA_BYTES GEN_MS\n");
		return 2;
	}
	ro = atol(argv[2]);
	pacc = pci_alloc();
	pci_set_param(pacc, "hwdb.disable", "1");
	pacc->id_lookup_mode = 0;
	pci_set_name_list_path(pacc, argv[1], 0);
	m0 = mallinfo2();
	t0 = now_ns();
	pci_load_name_list(pacc);
	t0 = now_ns() - t0;
	m1 = mallinfo2();
	heap = (m1.uordblks + m1.hblkhd) - (m0.uordblks + m0.hblkhd);

	printf("pci.ids (%s): %ld bytes\n", argv[1], (long)st.st_size);
	printf("pciids tables: %ld bytes .rodata (size -A) = %.1f%% of "
	       "pci.ids\n", ro, 100.0 * ro / st.st_size);
	printf("libpci hash:   %zu bytes heap after pci_load_name_list "
	       "(mallinfo2 uordblks+hblkhd delta) = %.1f%% of pci.ids\n",
	       heap, 100.0 * heap / st.st_size);
	printf("size ratio pciids/libpci: %.2f\n", (double)ro / heap);
	printf("generation time: %s ms (pciids-gen, best of 3); libpci "
	       "load time: %.1f ms\n", argv[3], t0 / 1e6);
	srand(1);
	for (k = 0; k < 3; k++) {
		int n = make_jobs(j, k);
		double ours, theirs;

		pass(j, n, 1);	/* warm up both */
		pass(j, n, 0);
		run(j, n, &ours, &theirs);
		printf("lookup %-22s pciids %6.1f ns, libpci %6.1f ns, "
		       "time ratio pciids/libpci %.2f (speedup %.2fx)\n",
		       kind[k], ours, theirs, ours / theirs, theirs / ours);
	}
	printf("(checksum %lu)\n", sink);
	pci_cleanup(pacc);
	free(j);
	return 0;
}
