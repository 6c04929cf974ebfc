// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The topology's lookups at server scale: a DMAR shaped like a big x86
 * server's (one VT-d unit per PCIe stack, eight stacks per segment, the
 * first the segment's INCLUDE_PCI_ALL unit, the others listing their root
 * ports as sub-hierarchies), plus scopes that overlap on purpose.
 *
 * 1. Every (segment, RID) gets the unit that the rule of VT-d 8.3.1 as
 *    the scanner applies it gives: the first device scope in table order
 *    that covers the requester, else the segment's INCLUDE_PCI_ALL unit.
 *    The reference is computed here from the table the test wrote.
 * 2. The lookups stay logarithmic: a linear search over the units and
 *    scopes per requester made `qdh scan` quadratic.  From 64 to 1,024
 *    units the time per lookup (a requester's unit and an IOMMU by class
 *    name) must grow less than 6x; a search per requester grows 16x (the
 *    scopes' linear search: 23x; the class name's and INCLUDE_PCI_ALL
 *    unit's alone: 9-15x).  The best of three runs, so a loaded
 *    machine (or ASan) does not fail it; CPU time, since a loaded machine
 *    preempts the longer run more often.
 */
#include "config.h"

#include <time.h>

#include "qdh/sysroot.h"
#include "topo-test.h"

#define STACKS	8		/* per segment: 32 buses each */
#define PORTS	7		/* root ports per scoped stack */
#define MAX_SCOPES	(256 * STACKS * PORTS + 16)

struct ref_scope {
	unsigned seg, unit, rid, has_range, sec, sub;
};

static struct ref_scope refs[MAX_SCOPES];
static unsigned nrefs;
static int all_unit[256];	/* INCLUDE_PCI_ALL unit of a segment, or -1 */

struct tbuf {
	uint8_t *b;
	size_t n, cap;
};

static void p8(struct tbuf *t, unsigned v)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 4096;
		t->b = realloc(t->b, t->cap);
		if (!t->b)
			exit(99);
	}
	t->b[t->n++] = (uint8_t)v;
}
static void p16(struct tbuf *t, unsigned v) { p8(t, v & 0xff); p8(t, v >> 8); }
static void p32(struct tbuf *t, uint32_t v) { p16(t, v & 0xffff); p16(t, v >> 16); }
static void p64(struct tbuf *t, uint64_t v) { p32(t, (uint32_t)v); p32(t, (uint32_t)(v >> 32)); }

static void set16(struct tbuf *t, size_t off, unsigned v)
{
	t->b[off] = (uint8_t)v;
	t->b[off + 1] = (uint8_t)(v >> 8);
}

/* A bridge's config space: header type 1, secondary..subordinate. */
static void bridge(const char *root, unsigned seg, unsigned bus, unsigned dev,
		   unsigned sec, unsigned sub)
{
	uint8_t cfg[64] = { 0 };
	char p[4200];

	cfg[0x0e] = 0x01;
	cfg[0x18] = (uint8_t)bus;
	cfg[0x19] = (uint8_t)sec;
	cfg[0x1a] = (uint8_t)sub;
	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/%04x:%02x:%02x.0/config", root, seg,
		 bus, dev);
	write_file(p, cfg, sizeof(cfg));
}

/* One device scope: an endpoint or sub-hierarchy at bus:dev.0 (one hop). */
static void scope(struct tbuf *t, unsigned seg, unsigned unit, unsigned type,
		  unsigned bus, unsigned dev, unsigned sec, unsigned sub)
{
	struct ref_scope *r = &refs[nrefs++];

	p8(t, type); p8(t, 8); p16(t, 0); p8(t, 0); p8(t, bus);
	p8(t, dev); p8(t, 0);
	r->seg = seg;
	r->unit = unit;
	r->rid = bus << 8 | dev << 3;
	r->has_range = type == 2;
	r->sec = sec;
	r->sub = sub;
}

/*
 * nseg segments of STACKS units.  In odd segments only stacks 1 and 2 list
 * scopes (fewer sub-hierarchies than the index's bus table takes).
 * Segment 0 gets the overlaps: unit 1 names an endpoint on bus 0xe1 first
 * (inside stack 7's range, which comes later), the last unit repeats a
 * root port of stack 1 (the earlier one wins), names 21:00.0 again (inside
 * stack 1's range: the range wins) and adds a bridge 00:1f.0 over buses
 * 1..0xfe, which only takes the buses no earlier scope covers.
 */
static void build(const char *root, unsigned nseg, struct tbuf *t)
{
	unsigned seg, k, p, unit = 0;
	char path[4200], addr[32];
	uint8_t sum = 0;
	size_t i;

	nrefs = 0;
	t->n = 0;
	memset(all_unit, -1, sizeof(all_unit));
	p32(t, 0x52414d44);	/* "DMAR" */
	p32(t, 0);
	p8(t, 1); p8(t, 0);
	for (i = 0; i < 6; i++)
		p8(t, "QDHTST"[i]);
	for (i = 0; i < 8; i++)
		p8(t, "SCALE..."[i]);
	p32(t, 1); p32(t, 0x51444820); p32(t, 1);
	p8(t, 38); p8(t, 1);
	for (i = 0; i < 10; i++)
		p8(t, 0);
	for (seg = 0; seg < nseg; seg++) {
		for (k = 0; k < STACKS; k++, unit++) {
			size_t at = t->n;
			unsigned base = k * 32;
			int scoped = k > 0 && (!(seg & 1) || k <= 2);

			p16(t, 0); p16(t, 0); p8(t, k == 0); p8(t, 0); p16(t, seg);
			p64(t, 0xd0000000ull + (uint64_t)unit * 0x1000);
			if (k == 0)
				all_unit[seg] = (int)unit;
			if (seg == 0 && k == 1)
				scope(t, seg, unit, 1, 0xe1, 0, 0, 0);
			for (p = 0; scoped && p < PORTS; p++) {
				unsigned sec = base + 1 + 4 * p;

				scope(t, seg, unit, 2, base, p + 1, sec, sec + 3);
				bridge(root, seg, base, p + 1, sec, sec + 3);
			}
			if (seg == 0 && k == STACKS - 1) {
				scope(t, seg, unit, 2, 32, 1, 33, 36);
				scope(t, seg, unit, 1, 0x21, 0, 0, 0);
				scope(t, seg, unit, 2, 0, 0x1f, 1, 0xfe);
				bridge(root, seg, 0, 0x1f, 1, 0xfe);
			}
			set16(t, at + 2, (unsigned)(t->n - at));
			snprintf(path, sizeof(path), "%s/sys/class/iommu/dmar%u/intel-iommu/address",
				 root, unit);
			snprintf(addr, sizeof(addr), "%llx\n",
				 0xd0000000ull + (unsigned long long)unit * 0x1000);
			write_file(path, addr, strlen(addr));
		}
	}
	t->b[4] = (uint8_t)t->n;
	t->b[5] = (uint8_t)(t->n >> 8);
	t->b[6] = (uint8_t)(t->n >> 16);
	t->b[7] = (uint8_t)(t->n >> 24);
	for (i = 0; i < t->n; i++)
		sum = (uint8_t)(sum + t->b[i]);
	t->b[9] = (uint8_t)(0x100 - sum);
	snprintf(path, sizeof(path), "%s/sys/firmware/acpi/tables/DMAR", root);
	write_file(path, t->b, t->n);
}

/* The unit covering (seg, rid) by the rule, from what build() wrote. */
static int expected(unsigned seg, unsigned rid)
{
	unsigned i;

	for (i = 0; i < nrefs; i++) {
		const struct ref_scope *r = &refs[i];

		if (r->seg != seg)
			continue;
		if (r->rid == rid ||
		    (r->has_range && rid >> 8 >= r->sec && rid >> 8 <= r->sub))
			return (int)r->unit;
	}
	return all_unit[seg];
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct qdh_topology *load(unsigned nseg, char *root, struct qdh_sysroot *sr)
{
	struct qdh_topology *topo = NULL;
	struct tbuf t = { 0 };
	int r;

	strcpy(root, "/tmp/qdh-topo-scale-XXXXXX");
	if (!mkdtemp(root))
		return NULL;
	build(root, nseg, &t);
	free(t.b);
	log_reset();
	r = qdh_sysroot_open(sr, root);
	if (r == 0)
		r = qdh_topology_load(sr, &test_log, &topo);
	if (r < 0 || log_warnings) {
		printf("# load of %u segments: %d, %d warnings\n", nseg, r, log_warnings);
		qdh_topology_free(topo);
		return NULL;
	}
	return topo;
}

static void unload(struct qdh_topology *topo, char *root, struct qdh_sysroot *sr)
{
	qdh_topology_free(topo);
	qdh_sysroot_close(sr);
	rm_rf(root);
}

static void test_rule(void)
{
	static const unsigned devfns[] = { 0x00, 0x08, 0x0f, 0xff };
	struct qdh_sysroot sr;
	char root[64], name[32];
	struct qdh_topology *topo = load(4, root, &sr);
	unsigned seg, bus, k, bad = 0, checked = 0, units;
	int iommu;

	if (!tap_ok(topo != NULL, "rule: a 4-segment, 32-unit DMAR with overlaps loads cleanly"))
		return;
	for (seg = 0; seg < 5; seg++)
		for (bus = 0; bus < 256; bus++)
			for (k = 0; k < 4; k++) {
				unsigned rid = bus << 8 | devfns[k];
				int want = seg < 4 ? expected(seg, rid) : -1;

				pci_sid(topo, seg, rid, &iommu);
				checked++;
				if (iommu != want && bad++ < 5)
					printf("# %04x:%02x:%02x.%x: unit %d, want %d\n", seg, bus,
					       devfns[k] >> 3, devfns[k] & 7, iommu, want);
			}
	tap_ok(bad == 0, "rule: %u of %u requesters on the unit of the first covering scope",
	       checked - bad, checked);
	pci_sid(topo, 0, 0xe100, &iommu);
	tap_is_int(iommu, 1, "rule: an endpoint scope before a covering range wins");
	pci_sid(topo, 0, 0x2100, &iommu);
	tap_is_int(iommu, 1, "rule: a range before a later endpoint scope wins");
	pci_sid(topo, 0, 0x1e00, &iommu);
	tap_is_int(iommu, 7, "rule: a later wide range takes only what no earlier scope covers");
	pci_sid(topo, 1, 0x8000, &iommu);
	tap_is_int(iommu, 8, "rule: an unscoped stack's buses fall to INCLUDE_PCI_ALL");
	units = (unsigned)qdh_topology_iommu_count(topo);
	for (bad = 0, k = 0; k < units; k++) {
		snprintf(name, sizeof(name), "dmar%u", k);
		bad += qdh_topology_find_by_class(topo, name) != (int)k;
	}
	tap_ok(units == 32 && bad == 0, "rule: dmar0..dmar%u found by class name", units - 1);
	tap_is_int(qdh_topology_find_by_class(topo, "dmar32"), -ENOENT, "rule: no dmar32");
	unload(topo, root, &sr);
}

/* Seconds per requester lookup (and class-name lookup), best of three. */
static double per_lookup(unsigned nseg, unsigned reps, int *ok)
{
	struct qdh_sysroot sr;
	static char names[256 * STACKS][16];
	char root[64];
	struct qdh_topology *topo = load(nseg, root, &sr);
	double best = 1e9;
	unsigned seg, bus, units, rep;
	int run, iommu;

	*ok = topo != NULL;
	if (!topo)
		return 1e9;
	units = (unsigned)qdh_topology_iommu_count(topo);
	/* Outside the timing: snprintf would hide a linear search's growth. */
	for (rep = 0; rep < units && rep < 256 * STACKS; rep++)
		snprintf(names[rep], sizeof(names[rep]), "dmar%u", rep);
	for (run = 0; run < 3; run++) {
		double t = now_s();

		for (rep = 0; rep < reps; rep++) {
			for (seg = 0; seg < nseg; seg++) {
				for (bus = 0; bus < 256; bus++) {
					unsigned u = (seg * 256 + bus) % units;

					pci_sid(topo, seg, bus << 8 | 0x08, &iommu);
					*ok &= iommu >= 0;
					*ok &= qdh_topology_find_by_class(topo, names[u]) == (int)u;
				}
			}
		}
		t = (now_s() - t) / (reps * nseg * 256.0);
		if (t < best)
			best = t;
	}
	unload(topo, root, &sr);
	return best;
}

static void test_scale(void)
{
	int ok_small, ok_big;
	/* The same number of lookups in both: the small run is not all noise. */
	double small = per_lookup(8, 16, &ok_small), big = per_lookup(128, 1, &ok_big);

	tap_ok(ok_small && ok_big, "scale: 64 and 1,024 units load, every lookup answered");
	tap_ok(big < 6 * small,
	       "scale: %.2f us per lookup at 1,024 units, %.2f us at 64 (< 6x)",
	       big * 1e6, small * 1e6);
}

int main(void)
{
	test_rule();
	test_scale();
	return tap_done();
}
