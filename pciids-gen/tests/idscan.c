/*
 * idscan.c - collect the ID tuples of a pci.ids file (see idscan.h).
 *
 * Model: line by line; strip CR/LF; skip blanks and comments; count tabs;
 * read hex words with sscanf.  Block kind is remembered from the last
 * top-level line ("C" class, "S" generic subsystems, other letters
 * ignored, else vendor).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "idscan.h"

/* Append to a growing array; exits on allocation failure. */
static void *grow(void *a, size_t n, size_t elem)
{
	if (n % 1024 == 0) {
		a = realloc(a, (n + 1024) * elem);
		if (!a) {
			perror("idscan");
			exit(2);
		}
	}
	return a;
}

int idscan_load(struct idscan *s, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	char kind = 0;
	unsigned int top = 0, mid = 0, a, b;

	memset(s, 0, sizeof(*s));
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		int tabs = 0;

		line[strcspn(line, "\r\n")] = 0;
		while (*p == '\t') {
			p++;
			tabs++;
		}
		if (!*p || *p == '#' || *p == ' ')
			continue;
		if (tabs == 0) {
			mid = 0;
			if (p[0] == 'C' && p[1] == ' ') {
				kind = 'C';
				sscanf(p + 2, "%x", &top);
				s->klass = grow(s->klass, s->n_class, sizeof(*s->klass));
				s->klass[s->n_class++] = top;
			} else if (p[0] == 'S' && p[1] == ' ') {
				kind = 'S';
				sscanf(p + 2, "%x", &top);
			} else if (p[0] >= 'A' && p[0] <= 'Z' && p[1] == ' ') {
				kind = '?';
			} else {
				kind = 'V';
				sscanf(p, "%x", &top);
				s->vendor = grow(s->vendor, s->n_vendor, sizeof(*s->vendor));
				s->vendor[s->n_vendor++][0] = top;
			}
		} else if (kind == '?') {
			continue;
		} else if (tabs == 1 && sscanf(p, "%x", &mid) == 1) {
			if (kind == 'V') {
				s->device = grow(s->device, s->n_device, sizeof(*s->device));
				s->device[s->n_device][0] = top;
				s->device[s->n_device++][1] = mid;
			} else if (kind == 'S') {
				s->gensub = grow(s->gensub, s->n_gensub, sizeof(*s->gensub));
				s->gensub[s->n_gensub][0] = top;
				s->gensub[s->n_gensub++][1] = mid;
			} else {
				s->subclass = grow(s->subclass, s->n_subclass, sizeof(*s->subclass));
				s->subclass[s->n_subclass++][0] = top << 8 | mid;
			}
		} else if (tabs == 2 && kind == 'V' &&
			   sscanf(p, "%x %x", &a, &b) == 2) {
			s->subsys = grow(s->subsys, s->n_subsys,
					 sizeof(*s->subsys));
			s->subsys[s->n_subsys][0] = top;
			s->subsys[s->n_subsys][1] = mid;
			s->subsys[s->n_subsys][2] = a;
			s->subsys[s->n_subsys++][3] = b;
		} else if (tabs == 2 && kind == 'C' && sscanf(p, "%x", &a) == 1) {
			s->progif = grow(s->progif, s->n_progif, sizeof(*s->progif));
			s->progif[s->n_progif][0] = top << 8 | mid;
			s->progif[s->n_progif++][1] = a;
		}
	}
	fclose(f);
	return 0;
}
