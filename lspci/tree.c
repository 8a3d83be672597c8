/*
 * tree.c - the bus tree of lspci -t / -tv, and the parents -P prints.
 *
 * Model (pciutils' ls-tree.c): every PCI-to-PCI or CardBus bridge owns the
 * bus range secondary..subordinate of its header; a bridge hangs below the
 * narrowest other bridge (or the host) whose range holds its primary bus;
 * each device goes to the bus of its number under the deepest bridge
 * covering it.  The tree is drawn depth first, one line per leaf, with
 * "+-", "\-" and "|" as connectors.
 */
#include <stdlib.h>
#include <string.h>

#include "lspci.h"
#include "regs.h"
#include "filter.h"
#include "pciids.h"

struct tbridge {
	struct tbridge *chain;		/* all bridges */
	struct tbridge *next;		/* sibling under the same parent */
	struct tbridge *child;
	struct tbus *first_bus, *last_bus;
	unsigned int domain;
	unsigned int primary, secondary, subordinate;
	struct pdev *br_dev;
};

struct tbus {
	unsigned int domain, number;
	struct tbus *sibling;
	struct tbridge *parent_bridge;
	struct pdev *first_dev, **last_dev;
};

static struct tbridge host_bridge = { .secondary = 0, .subordinate = ~0u };

static void *xzalloc(size_t n)
{
	void *p = calloc(1, n);

	if (!p) {
		fprintf(stderr, "lspci: out of memory\n");
		exit(1);
	}
	return p;
}

static struct tbus *find_bus(struct tbridge *b, unsigned int domain, unsigned int n)
{
	struct tbus *bus;

	for (bus = b->first_bus; bus; bus = bus->sibling)
		if (bus->domain == domain && bus->number == n)
			break;
	return bus;
}

static struct tbus *new_bus(struct tbridge *b, unsigned int domain, unsigned int n)
{
	struct tbus *bus = xzalloc(sizeof(*bus));

	bus->domain = domain;
	bus->number = n;
	bus->last_dev = &bus->first_dev;
	bus->parent_bridge = b;
	if (b->last_bus)
		b->last_bus->sibling = bus;
	else
		b->first_bus = bus;
	b->last_bus = bus;
	return bus;
}

static void insert_dev(struct pdev *d, struct tbridge *b)
{
	struct tbus *bus = find_bus(b, d->domain, d->bus);

	if (!bus) {
		for (struct tbridge *c = b->child; c; c = c->next)
			if (c->domain == d->domain && c->secondary <= d->bus &&
			    d->bus <= c->subordinate) {
				insert_dev(d, c);
				return;
			}
		bus = new_bus(b, d->domain, d->bus);
	}
	*bus->last_dev = d;
	bus->last_dev = &d->bus_next;
	d->bus_next = NULL;
	d->parent_bus = bus;
}

/* Builds the bridge tree over first_dev. */
void grow_tree(void)
{
	struct tbridge **last_br = &host_bridge.chain, *b;

	for (struct pdev *d = first_dev; d; d = d->next) {
		int ht = d->cached ? (get_conf_byte(d, PCI_HEADER_TYPE) & 0x7f) : -1;

		if ((d->device_class >> 8) != 0x06 ||
		    (ht != PCI_HEADER_TYPE_BRIDGE && ht != PCI_HEADER_TYPE_CARDBUS))
			continue;
		b = xzalloc(sizeof(*b));
		b->domain = d->domain;
		b->primary = get_conf_byte(d, PCI_PRIMARY_BUS);
		b->secondary = get_conf_byte(d, PCI_SECONDARY_BUS);
		b->subordinate = get_conf_byte(d, PCI_SUBORDINATE_BUS);
		*last_br = b;
		last_br = &b->chain;
		b->br_dev = d;
		d->bridge = b;
	}
	*last_br = NULL;

	for (b = &host_bridge; b; b = b->chain) {
		struct tbridge *c, *best = NULL;

		for (c = &host_bridge; c; c = c->chain)
			if (c != b && (c == &host_bridge || b->domain == c->domain) &&
			    b->primary >= c->secondary && b->primary <= c->subordinate &&
			    (!best || best->subordinate - best->secondary > c->subordinate - c->secondary))
				best = c;
		if (best) {
			b->next = best->child;
			best->child = b;
		}
	}
	for (b = &host_bridge; b; b = b->chain)
		if (!find_bus(b, b->domain, b->secondary))
			new_bus(b, b->domain, b->secondary);
	for (struct pdev *d = first_dev; d; d = d->next)
		insert_dev(d, &host_bridge);
}

/* The bridge device above d, or NULL at the host bridge. */
struct pdev *tree_parent(struct pdev *d)
{
	return d->parent_bus ? d->parent_bus->parent_bridge->br_dev : NULL;
}

static void print_it(char *line, char *p)
{
	*p++ = '\n';
	*p = 0;
	fputs(line, stdout);
	for (p = line; *p; p++)
		*p = (*p == '+' || *p == '|') ? '|' : ' ';
}

static void show_tree_bridge(struct tbridge *b, char *line, char *p);

static void show_tree_dev(struct pdev *d, char *line, char *p)
{
	char namebuf[256];

	p += sprintf(p, "%02x.%x", d->dev, d->func);
	for (struct tbridge *b = &host_bridge; b; b = b->chain)
		if (b->br_dev == d) {
			if (!b->secondary)
				p += sprintf(p, "-");
			else if (b->secondary == b->subordinate)
				p += sprintf(p, "-[%02x]-", b->secondary);
			else
				p += sprintf(p, "-[%02x-%02x]-", b->secondary, b->subordinate);
			show_tree_bridge(b, line, p);
			return;
		}
	if (verbose)
		p += sprintf(p, "  %s", lookup_name(namebuf, sizeof(namebuf),
						    PCIIDS_LOOKUP_VENDOR | PCIIDS_LOOKUP_DEVICE,
						    d->vendor_id, d->device_id));
	print_it(line, p);
}

static void show_tree_bus(struct tbus *b, char *line, char *p)
{
	if (!b->first_dev) {
		print_it(line, p);
	} else if (!b->first_dev->bus_next) {
		*p++ = '-';
		*p++ = '-';
		show_tree_dev(b->first_dev, line, p);
	} else {
		struct pdev *d = b->first_dev;

		while (d->bus_next) {
			p[0] = '+';
			p[1] = '-';
			show_tree_dev(d, line, p + 2);
			d = d->bus_next;
		}
		p[0] = '\\';
		p[1] = '-';
		show_tree_dev(d, line, p + 2);
	}
}

static void show_tree_bridge(struct tbridge *b, char *line, char *p)
{
	*p++ = '-';
	if (!b->first_bus->sibling) {
		if (b == &host_bridge)
			p += sprintf(p, "[%04x:%02x]-", b->domain, b->first_bus->number);
		show_tree_bus(b->first_bus, line, p);
	} else {
		struct tbus *u = b->first_bus;
		char *k;

		while (u->sibling) {
			k = p + sprintf(p, "+-[%04x:%02x]-", u->domain, u->number);
			show_tree_bus(u, line, k);
			u = u->sibling;
		}
		k = p + sprintf(p, "\\-[%04x:%02x]-", u->domain, u->number);
		show_tree_bus(u, line, k);
	}
}

/* Prints the whole tree. */
void show_forest(void)
{
	static char line[1 << 16];

	show_tree_bridge(&host_bridge, line, line);
}
