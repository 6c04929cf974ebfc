// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IORT, DMAR and IVRS built here byte by byte (with valid checksums), then
 * corrupted one field at a time: each fault must be rejected with a warning
 * naming the byte offset, and nothing may crash (run under ASan in CI).
 */
#include "config.h"

#include <time.h>

#include "topo-test.h"

struct tb {
	uint8_t b[65536];
	size_t n;
};

static void p8(struct tb *t, unsigned v) { t->b[t->n++] = (uint8_t)v; }
static void p16(struct tb *t, unsigned v) { p8(t, v & 0xff); p8(t, v >> 8); }
static void p32(struct tb *t, uint32_t v) { p16(t, v & 0xffff); p16(t, v >> 16); }
static void p64(struct tb *t, uint64_t v) { p32(t, (uint32_t)v); p32(t, (uint32_t)(v >> 32)); }
static void pzero(struct tb *t, size_t n) { while (n--) p8(t, 0); }
static void set16(struct tb *t, size_t off, unsigned v) { t->b[off] = (uint8_t)v; t->b[off + 1] = (uint8_t)(v >> 8); }
static void set32(struct tb *t, size_t off, uint32_t v) { set16(t, off, v & 0xffff); set16(t, off + 2, v >> 16); }

static void acpi_header(struct tb *t, const char *sig)
{
	t->n = 0;
	memcpy(t->b, sig, 4);
	t->n = 4;
	p32(t, 0);			/* length, fixed by seal() */
	p8(t, 1);			/* revision */
	p8(t, 0);			/* checksum */
	memcpy(t->b + t->n, "QDHTST", 6);
	t->n += 6;
	memcpy(t->b + t->n, "TOPOLOGY", 8);
	t->n += 8;
	p32(t, 1);
	p32(t, 0x51444820);
	p32(t, 1);
}

/* Set the length and make the bytes sum to zero. */
static void seal(struct tb *t)
{
	uint8_t sum = 0;
	size_t i;

	set32(t, 4, (uint32_t)t->n);
	t->b[9] = 0;
	for (i = 0; i < t->n; i++)
		sum = (uint8_t)(sum + t->b[i]);
	t->b[9] = (uint8_t)(0x100 - sum);
}

static void resum(struct tb *t)
{
	uint8_t sum = 0;
	size_t i, len = t->b[4] | t->b[5] << 8;

	if (len > t->n)
		len = t->n;
	t->b[9] = 0;
	for (i = 0; i < len; i++)
		sum = (uint8_t)(sum + t->b[i]);
	t->b[9] = (uint8_t)(0x100 - sum);
}

/* ---- IORT ------------------------------------------------------------- */

static void iort_map(struct tb *t, uint32_t in, uint32_t num, uint32_t out,
		     uint32_t ref, uint32_t flags)
{
	p32(t, in); p32(t, num); p32(t, out); p32(t, ref); p32(t, flags);
}

static void node_hdr(struct tb *t, unsigned type, unsigned len, unsigned nmaps, unsigned moff)
{
	p8(t, type); p16(t, len); p8(t, 1); p32(t, 0); p32(t, nmaps); p32(t, moff);
}

enum { ITS = 48, SMMU = 72, RC0 = 160, RC1 = 256, RC2 = 332, NC = 408, IORT_END = 472 };

static void build_iort(struct tb *t)
{
	acpi_header(t, "IORT");
	p32(t, 6);			/* nodes */
	p32(t, ITS);			/* node array offset */
	p32(t, 0);
	/* ITS group: one ITS. */
	node_hdr(t, 0, 24, 0, 0); p32(t, 1); p32(t, 0);
	/* SMMUv3 at 0x9050000; its own single mapping goes to the ITS. */
	node_hdr(t, 4, 88, 1, 68);
	p64(t, 0x9050000); p32(t, 1); p32(t, 0); p64(t, 0); p32(t, 0);
	pzero(t, 24);			/* GSIVs, proximity, id mapping index */
	iort_map(t, 0, 0, 0x10000, ITS, 1);
	/* RC segment 0: 0-0xff -> 0x0, 0x100-0x1ff -> 0x1000, rest -> ITS only. */
	node_hdr(t, 2, 96, 3, 36);
	pzero(t, 12); p32(t, 0); pzero(t, 4);
	iort_map(t, 0x000, 0xff, 0x0, SMMU, 0);
	iort_map(t, 0x100, 0xff, 0x1000, SMMU, 0);
	iort_map(t, 0x200, 0xfdff, 0x200, ITS, 0);
	/* RC segment 1: a range, then a single mapping catching the rest. */
	node_hdr(t, 2, 76, 2, 36);
	pzero(t, 12); p32(t, 1); pzero(t, 4);
	iort_map(t, 0x000, 0xff, 0x300, SMMU, 0);
	iort_map(t, 0, 0, 0x77, SMMU, 1);
	/* RC segment 2: firmware that wrote the count, not count - 1. */
	node_hdr(t, 2, 76, 2, 36);
	pzero(t, 12); p32(t, 2); pzero(t, 4);
	iort_map(t, 0x000, 0x100, 0x0, SMMU, 0);
	iort_map(t, 0x100, 0xff, 0x5000, SMMU, 0);
	/* Named component \_SB_.ETH0 with one single mapping. */
	node_hdr(t, 1, 64, 1, 44);
	p32(t, 0); pzero(t, 8); p8(t, 48);
	memcpy(t->b + t->n, "\\_SB_.ETH0", 11); t->n += 11;
	pzero(t, 4);
	iort_map(t, 0, 0, 0x42, SMMU, 1);
	if (t->n != IORT_END) {
		printf("Bail out! IORT builder produced %zu bytes\n", t->n);
		exit(99);
	}
	seal(t);
}

/* qdh_topology_pci_map() of own ID rid (unit looked up by unit) plus aliases. */
static uint32_t msids[16];
static struct qdh_pci_map_note mnote;

static int map(const struct qdh_topology *t, unsigned seg, unsigned rid, unsigned unit,
	       const uint16_t *more, unsigned nmore, int *iommu)
{
	uint16_t a[8];
	struct qdh_pci_requester rq = { (uint16_t)seg, (uint16_t)unit, a, 1 + nmore };
	unsigned k;

	a[0] = (uint16_t)rid;
	for (k = 0; k < nmore && k < 7; k++)
		a[k + 1] = more[k];
	memset(msids, 0, sizeof(msids));
	return qdh_topology_pci_map(t, &rq, iommu, msids, 16, &mnote);
}

static struct qdh_topology *parse(int (*add)(struct qdh_topology *, const void *, size_t),
				  const struct tb *t, size_t len, int *r)
{
	struct qdh_topology *topo = qdh_topology_new(&test_log);

	log_reset();
	*r = add(topo, t->b, len);
	qdh_topology_finish(topo);
	return topo;
}

static void test_iort(void)
{
	struct qdh_topology *topo;
	const struct qdh_inv_iommu *m;
	struct tb t, bad;
	uint32_t sids[4];
	int r, iommu;

	build_iort(&t);
	topo = parse(qdh_topology_add_iort, &t, t.n, &r);
	tap_ok(r == 0 && log_warnings == 0, "IORT: clean table parses without warnings (r=%d)", r);
	tap_is_int(qdh_topology_iommu_count(topo), 1, "IORT: one SMMU");
	m = qdh_topology_iommu(topo, 0);
	tap_ok(m && m->type == QDH_IOMMU_SMMUV3 && m->base == 0x9050000 && m->size == 0x20000,
	       "IORT: SMMUv3 at 0x9050000, 128 KiB");
	tap_is_str(m ? m->fw_node : NULL, "IORT@0x48", "IORT: firmware node is its byte offset");
	tap_is_str(m ? m->name : NULL, "IORT@0x48", "IORT: no sysfs class, so named by the node");
	tap_is_int(m ? m->segment : 0, -1, "IORT: serves segments 0-2, so segment -1");
	tap_is_int(pci_sid(topo, 0, 0x0010, &iommu), 0x10, "IORT seg 0: rid 0x10 -> 0x10");
	tap_is_int(iommu, 0, "IORT seg 0: ...behind the SMMU");
	tap_is_int(pci_sid(topo, 0, 0x01ff, &iommu), 0x10ff,
		   "IORT seg 0: count-minus-one: 0x1ff is the last ID of 0x100+0xff");
	tap_is_int(pci_sid(topo, 0, 0x0300, &iommu), -1, "IORT seg 0: rid mapped to the ITS only: none");
	tap_is_int(iommu, -1, "IORT seg 0: ...and no IOMMU");
	tap_is_int(pci_sid(topo, 1, 0x0020, &iommu), 0x320, "IORT seg 1: range -> 0x320");
	tap_is_int(pci_sid(topo, 1, 0x0500, &iommu), 0x77,
		   "IORT seg 1: single mapping catches what no range covers");
	tap_is_int(pci_sid(topo, 2, 0x00ff, &iommu), 0xff, "IORT seg 2: 0xff in the first range");
	tap_is_int(pci_sid(topo, 2, 0x0100, &iommu), 0x5000,
		   "IORT seg 2: shared boundary ID goes to the range starting there");
	tap_is_int(pci_sid(topo, 3, 0x0000, &iommu), -1, "IORT: no root complex for segment 3");
	{
		static const uint16_t a1[] = { 0x0100 }, a2[] = { 0x0300 };

		tap_ok(map(topo, 0, 0x0108, 0x0108, a1, 1, &iommu) == 2 && msids[0] == 0x1008 &&
		       msids[1] == 0x1000 && iommu == 0,
		       "IORT: each DMA alias through the ID mappings: 0x108, 0x100 -> 0x1008, 0x1000");
		tap_ok(map(topo, 0, 0x0108, 0x0108, a2, 1, &iommu) == 1 && msids[0] == 0x1008 &&
		       mnote.unmapped == 1,
		       "IORT: an alias mapped to the ITS only is left out and reported");
	}
	r = qdh_topology_platform_sids(topo, "\\_SB_.ETH0", &iommu, sids, 4);
	tap_ok(r == 1 && sids[0] == 0x42 && iommu == 0, "IORT: named component \\_SB_.ETH0 -> 0x42");
	tap_is_int(qdh_topology_platform_sids(topo, "\\_SB_.ETH1", &iommu, sids, 4), 0,
		   "IORT: unknown ACPI path has no StreamIDs");
	qdh_topology_free(topo);

	/* Corrupt variants: each rejected with the byte offset named. */
	bad = t; set32(&bad, 4, (uint32_t)t.n + 16); resum(&bad);
	topo = parse(qdh_topology_add_iort, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && qdh_topology_iommu_count(topo) == 0 &&
	       logged("byte 0x4:", "runs past"), "IORT: length beyond the table is rejected at byte 0x4");
	qdh_topology_free(topo);

	bad = t; set32(&bad, RC0 + 8, 50); resum(&bad);
	topo = parse(qdh_topology_add_iort, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0xa8:", "do not fit") &&
	       pci_sid(topo, 0, 0x10, &iommu) == -1 && pci_sid(topo, 1, 0x10, &iommu) == 0x310,
	       "IORT: mapping array beyond its node is rejected at byte 0xa8, other nodes kept");
	qdh_topology_free(topo);

	bad = t; set32(&bad, 40, 0x5000); resum(&bad);
	topo = parse(qdh_topology_add_iort, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && qdh_topology_iommu_count(topo) == 0 && logged("byte 0x28:", "outside"),
	       "IORT: node array offset outside the table is rejected at byte 0x28");
	qdh_topology_free(topo);

	bad = t; set32(&bad, 36, 0xffffffff); resum(&bad);
	topo = parse(qdh_topology_add_iort, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x24:", "cannot fit") &&
	       qdh_topology_iommu_count(topo) == 1,
	       "IORT: node count overflow is reported at byte 0x24, the nodes that fit are used");
	qdh_topology_free(topo);

	bad = t; set32(&bad, RC0 + 36, 0xffffff00); set32(&bad, RC0 + 40, 0x1000); resum(&bad);
	topo = parse(qdh_topology_add_iort, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0xc8:", "overflows"),
	       "IORT: ID count overflowing 32 bits is rejected at byte 0xc8");
	qdh_topology_free(topo);

	bad = t; set32(&bad, RC0 + 36 + 12, SMMU + 1); resum(&bad);
	topo = parse(qdh_topology_add_iort, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0xd0:", "not the start of a node") &&
	       pci_sid(topo, 0, 0x10, &iommu) == -1 && pci_sid(topo, 0, 0x110, &iommu) == 0x1010,
	       "IORT: output reference into the middle of a node is rejected at byte 0xd0");
	qdh_topology_free(topo);

	bad = t; set16(&bad, SMMU + 1, 0xffff); resum(&bad);
	topo = parse(qdh_topology_add_iort, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x49:", "runs past"),
	       "IORT: node length beyond the table is rejected at byte 0x49");
	qdh_topology_free(topo);

	bad = t; set16(&bad, SMMU + 1, 4); resum(&bad);
	topo = parse(qdh_topology_add_iort, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x49:", "below"),
	       "IORT: node length too short to hold its fields is rejected at byte 0x49");
	qdh_topology_free(topo);

	bad = t; set32(&bad, RC0 + 36 + 20, 0x80); resum(&bad);
	topo = parse(qdh_topology_add_iort, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0xd8:", "overlaps"),
	       "IORT: overlapping ID ranges are rejected at byte 0xd8");
	qdh_topology_free(topo);

	bad = t; memset(bad.b + NC + 29, 'A', 15); resum(&bad);
	topo = parse(qdh_topology_add_iort, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x1b5:", "NUL"),
	       "IORT: unterminated named component name is rejected at byte 0x1b5");
	qdh_topology_free(topo);

	bad = t; bad.b[9] ^= 0x5a;
	topo = parse(qdh_topology_add_iort, &bad, bad.n, &r);
	tap_ok(logged("byte 0x9:", "checksum") && qdh_topology_iommu_count(topo) == 1,
	       "IORT: bad checksum is warned about at byte 0x9, table still used");
	qdh_topology_free(topo);

	topo = parse(qdh_topology_add_iort, &t, 30, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x0:", "shorter"), "IORT: 30 bytes is no table");
	qdh_topology_free(topo);
}

/* ---- DMAR ------------------------------------------------------------- */

static void drhd(struct tb *t, unsigned len, unsigned flags, unsigned size, unsigned seg,
		 uint64_t base)
{
	p16(t, 0); p16(t, len); p8(t, flags); p8(t, size); p16(t, seg); p64(t, base);
}

static void scope(struct tb *t, unsigned type, unsigned bus, const uint8_t *path, unsigned hops)
{
	unsigned i;

	p8(t, type); p8(t, 6 + 2 * hops); p16(t, 0); p8(t, 0); p8(t, bus);
	for (i = 0; i < 2 * hops; i++)
		p8(t, path[i]);
}

enum { DRHD0 = 48, DRHD1 = 90, DRHD2 = 106 };

static void build_dmar(struct tb *t)
{
	static const uint8_t ep[] = { 2, 0 }, sub[] = { 0x1c, 0 }, deep[] = { 0x1c, 0, 0, 0 };

	acpi_header(t, "DMAR");
	p8(t, 38); p8(t, 1); pzero(t, 10);
	/* Unit 0 (segment 0): 00:02.0 exactly, the tree under 00:1c.0, and
	 * 03:00.0 reached through 00:1c.0 (two hops). */
	drhd(t, 16 + 8 + 8 + 10, 0, 0, 0, 0xfed90000);
	scope(t, 1, 0, ep, 1);
	scope(t, 2, 0, sub, 1);
	scope(t, 1, 0, deep, 2);
	/* Unit 1: everything else on segment 0. */
	drhd(t, 16, 1, 0, 0, 0xfed91000);
	/* Unit 2: all of segment 1, 8 KiB of registers. */
	drhd(t, 16, 1, 1, 1, 0xfed92000);
	/* An RMRR, skipped by its length. */
	p16(t, 1); p16(t, 24); pzero(t, 20);
	seal(t);
}

static void test_dmar(void)
{
	struct qdh_topology *topo;
	const struct qdh_inv_iommu *m;
	struct tb t, bad;
	int r, iommu;

	build_dmar(&t);
	topo = parse(qdh_topology_add_dmar, &t, t.n, &r);
	tap_ok(r == 0 && log_warnings == 0, "DMAR: clean table parses without warnings (r=%d)", r);
	tap_is_int(qdh_topology_iommu_count(topo), 3, "DMAR: three remapping units");
	m = qdh_topology_iommu(topo, 0);
	tap_ok(m && m->type == QDH_IOMMU_VTD && m->base == 0xfed90000 && m->size == 0x1000 &&
	       m->segment == 0 && !strcmp(m->fw_node, "DMAR@0x30"),
	       "DMAR: unit 0 at 0xfed90000, 4 KiB, segment 0, DMAR@0x30");
	m = qdh_topology_iommu(topo, 2);
	tap_ok(m && m->base == 0xfed92000 && m->size == 0x2000 && m->segment == 1,
	       "DMAR: unit 2 on segment 1, size field 1 = 8 KiB");
	tap_is_int(pci_sid(topo, 0, 0x0010, &iommu), 0x10, "DMAR: 00:02.0 StreamID is its RID");
	tap_is_int(iommu, 0, "DMAR: ...on the unit whose device scope names it");
	pci_sid(topo, 0, 0x0018, &iommu);
	tap_is_int(iommu, 1, "DMAR: 00:03.0 falls to INCLUDE_PCI_ALL of segment 0");
	pci_sid(topo, 0, 0x0300, &iommu);
	tap_is_int(iommu, 1, "DMAR: without config space the bridge scopes cannot be resolved");
	tap_is_int(pci_sid(topo, 1, 0x0100, &iommu), 0x100, "DMAR: segment 1 RID 0x100");
	tap_is_int(iommu, 2, "DMAR: ...on the segment 1 unit");
	tap_is_int(pci_sid(topo, 2, 0x0100, &iommu), -1, "DMAR: segment 2 has no unit");
	{
		static const uint16_t up[] = { 0x0008, 0x0300 };

		tap_ok(map(topo, 0, 0x0012, 0x0010, up, 2, &iommu) == 3 && iommu == 0 &&
		       msids[0] == 0x12 && msids[1] == 0x8 && msids[2] == 0x300,
		       "DMAR: a VF (00:02.2) is looked up by its PF 00:02.0; every alias is a source ID");
		tap_ok(map(topo, 0, 0x0012, 0x0012, up, 2, &iommu) == 3 && iommu == 1,
		       "DMAR: ...by its own ID it would fall to INCLUDE_PCI_ALL");
	}
	qdh_topology_free(topo);

	bad = t; set16(&bad, DRHD1 + 2, 0x400); resum(&bad);
	topo = parse(qdh_topology_add_dmar, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x5c:", "length") && qdh_topology_iommu_count(topo) == 1,
	       "DMAR: structure length beyond the table is rejected at byte 0x5c");
	qdh_topology_free(topo);

	bad = t; bad.b[DRHD0 + 16 + 1] = 40; resum(&bad);
	topo = parse(qdh_topology_add_dmar, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x41:", "device scope length"),
	       "DMAR: device scope running past its DRHD is rejected at byte 0x41");
	qdh_topology_free(topo);

	bad = t; set16(&bad, DRHD2 + 6, 0); resum(&bad);
	topo = parse(qdh_topology_add_dmar, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x6e:", "INCLUDE_PCI_ALL"),
	       "DMAR: a second INCLUDE_PCI_ALL unit on one segment is rejected at byte 0x6e");
	qdh_topology_free(topo);

	bad = t; set32(&bad, DRHD1 + 8, 0xfed90800); resum(&bad);
	topo = parse(qdh_topology_add_dmar, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x62:", "overlaps") && qdh_topology_iommu_count(topo) == 2,
	       "DMAR: a unit overlapping another's registers is rejected at byte 0x62");
	qdh_topology_free(topo);

	bad = t; set16(&bad, DRHD1 + 2, 2); resum(&bad);
	topo = parse(qdh_topology_add_dmar, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x5c:", "outside 4"),
	       "DMAR: structure length 2 (would loop) is rejected at byte 0x5c");
	qdh_topology_free(topo);
}

/* DMAR bridge scopes need the bridges' bus numbers: a sysroot supplies them. */
static void test_dmar_sysroot(void)
{
	char root[] = "/tmp/qdh-topo-acpi-XXXXXX", p[4200];
	uint8_t cfg[64] = { 0 };
	struct qdh_topology *topo = NULL;
	struct qdh_sysroot sr;
	struct tb t;
	int iommu, r;

	if (!mkdtemp(root)) {
		tap_ok(0, "mkdtemp");
		return;
	}
	build_dmar(&t);
	snprintf(p, sizeof(p), "%s/sys/firmware/acpi/tables/DMAR", root);
	write_file(p, t.b, t.n);
	cfg[0x0e] = 0x81;		/* multi-function, type 1 bridge */
	cfg[0x18] = 0; cfg[0x19] = 3; cfg[0x1a] = 4;
	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/0000:00:1c.0/config", root);
	write_file(p, cfg, sizeof(cfg));
	snprintf(p, sizeof(p), "%s/sys/class/iommu/dmar1/intel-iommu/address", root);
	write_file(p, "fed91000\n", 9);
	snprintf(p, sizeof(p), "%s/sys/class/iommu/dmar0/intel-iommu/address", root);
	write_file(p, "fed90000\n", 9);
	snprintf(p, sizeof(p), "%s/sys/class/iommu/dmar2", root);
	mkdir_p(p);

	log_reset();
	r = qdh_sysroot_open(&sr, root);
	if (r == 0)
		r = qdh_topology_load(&sr, &test_log, &topo);
	tap_ok(r == 0 && topo && log_warnings == 0, "DMAR sysroot: loads cleanly (r=%d)", r);
	if (!topo) {
		rm_rf(root);
		return;
	}
	tap_is_int(qdh_topology_iommu_count(topo), 3, "DMAR sysroot: sysfs units merged, still three");
	tap_is_int(qdh_topology_find_by_class(topo, "dmar1"), 1, "DMAR sysroot: dmar1 by address");
	tap_is_int(qdh_topology_find_by_class(topo, "dmar2"), 2,
		   "DMAR sysroot: dmar2 (no address file) by its number");
	tap_is_int(qdh_topology_find_by_class(topo, "dmar9"), -ENOENT, "DMAR sysroot: no dmar9");
	pci_sid(topo, 0, 0x0300, &iommu);
	tap_is_int(iommu, 0, "DMAR sysroot: 03:00.0 via the two-hop endpoint scope");
	pci_sid(topo, 0, 0x0408, &iommu);
	tap_is_int(iommu, 0, "DMAR sysroot: 04:01.0 under the 00:1c.0 sub-hierarchy (buses 3-4)");
	pci_sid(topo, 0, 0x0500, &iommu);
	tap_is_int(iommu, 1, "DMAR sysroot: bus 5 is outside it: INCLUDE_PCI_ALL");
	pci_sid(topo, 0, 0x00e0, &iommu);
	tap_is_int(iommu, 0, "DMAR sysroot: the bridge 00:1c.0 itself is in its scope");
	qdh_topology_free(topo);

	/*
	 * Thousands of bridge scopes overlapping 00:1c.0's buses in a later
	 * unit: the first scope in table order still wins, and 65,536
	 * lookups stay cheap (one array access each, not a scan).
	 */
	{
		static const uint8_t sub[] = { 0x1c, 0 }, first[] = { 0x1c, 0 };
		struct tb *big = calloc(1, sizeof(*big));
		struct timespec t0, t1;
		unsigned k, wrong = 0;
		double ms;

		acpi_header(big, "DMAR");
		p8(big, 38); p8(big, 1); pzero(big, 10);
		drhd(big, 16 + 6 + 2, 0, 0, 0, 0xfed90000);
		scope(big, 2, 0, first, 1);
		drhd(big, 16 + 3000 * 8, 0, 0, 0, 0xfed93000);
		for (k = 0; k < 3000; k++)
			scope(big, 2, 0, sub, 1);
		drhd(big, 16, 1, 0, 0, 0xfed91000);
		seal(big);
		snprintf(p, sizeof(p), "%s/sys/firmware/acpi/tables/DMAR", root);
		write_file(p, big->b, big->n);
		log_reset();
		topo = NULL;
		r = qdh_topology_load(&sr, &test_log, &topo);
		tap_ok(r == 0 && topo, "DMAR sysroot: 3,001 overlapping bridge scopes load (r=%d)", r);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (k = 0; topo && k < 65536; k++) {
			pci_sid(topo, 0, k, &iommu);
			wrong += iommu != (((k >> 8) >= 3 && (k >> 8) <= 4) || k == 0xe0 ? 0 : 2);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		tap_ok(topo && wrong == 0,
		       "DMAR sysroot: 00:1c.0 and its buses 3-4 belong to the first unit naming it, the rest to INCLUDE_PCI_ALL (%u wrong)",
		       wrong);
		tap_ok(ms < 2000, "DMAR sysroot: 65,536 lookups in %.0f ms", ms);
		qdh_topology_free(topo);
		free(big);
	}
	qdh_sysroot_close(&sr);
	rm_rf(root);
}

/* ---- IVRS ------------------------------------------------------------- */

enum { IVHD10 = 48, IVHD11 = 96 };

static void ivhd_hdr(struct tb *t, unsigned type, unsigned len, uint64_t base, unsigned seg)
{
	p8(t, type); p8(t, 0xb0); p16(t, len); p16(t, 0x0002); p16(t, 0x40);
	p64(t, base); p16(t, seg); p16(t, 0);
	if (type == 0x10)
		p32(t, 0);
	else
		pzero(t, 20);
}

static void dev4(struct tb *t, unsigned type, unsigned devid)
{
	p8(t, type); p16(t, devid); p8(t, 0);
}

static void build_ivrs(struct tb *t, int with_11)
{
	acpi_header(t, "IVRS");
	p32(t, 0x00203041); pzero(t, 8);
	ivhd_hdr(t, 0x10, 24 + 24, 0xfeb80000, 0);
	dev4(t, 0x03, 0x0000);		/* start of range */
	dev4(t, 0x04, 0x00ff);		/* end of range */
	p8(t, 0x42); p16(t, 0x0300); p8(t, 0); p8(t, 0); p16(t, 0x0200); p8(t, 0);
	dev4(t, 0x02, 0x0400);		/* select */
	dev4(t, 0x00, 0);		/* padding */
	if (with_11) {
		ivhd_hdr(t, 0x11, 40 + 4, 0xfeb80000, 0);
		dev4(t, 0x01, 0);	/* all */
	}
	seal(t);
}

static void test_ivrs(void)
{
	struct qdh_topology *topo;
	const struct qdh_inv_iommu *m;
	struct tb t, bad;
	int r, iommu;

	build_ivrs(&t, 0);
	topo = parse(qdh_topology_add_ivrs, &t, t.n, &r);
	tap_ok(r == 0 && log_warnings == 0, "IVRS: clean table parses without warnings (r=%d)", r);
	m = qdh_topology_iommu(topo, 0);
	tap_ok(qdh_topology_iommu_count(topo) == 1 && m && m->type == QDH_IOMMU_AMDVI &&
	       m->base == 0xfeb80000 && m->segment == 0 && !strcmp(m->fw_node, "IVRS@0x30"),
	       "IVRS: one IVHD at 0xfeb80000, segment 0, IVRS@0x30");
	tap_is_int(pci_sid(topo, 0, 0x0010, &iommu), 0x10, "IVRS: RID in the range is its own StreamID");
	tap_is_int(iommu, 0, "IVRS: ...on the IVHD");
	tap_ok(map(topo, 0, 0x0300, 0x0300, NULL, 0, &iommu) == 2 && msids[0] == 0x300 &&
	       msids[1] == 0x200 && iommu == 0,
	       "IVRS: alias select: the function's own entry, then its IVRS alias 0x200 (clone_aliases())");
	tap_is_int(pci_sid(topo, 0, 0x0400, &iommu), 0x400, "IVRS: select entry");
	tap_is_int(pci_sid(topo, 0, 0x0500, &iommu), -1, "IVRS: RID in no entry: none");
	{
		static const uint16_t up[] = { 0x0208 };

		tap_ok(map(topo, 0, 0x0300, 0x0300, up, 1, &iommu) == 3 && msids[0] == 0x300 &&
		       msids[1] == 0x200 && msids[2] == 0x208,
		       "IVRS: then the PCI DMA aliases, in their order");
		tap_ok(map(topo, 0, 0x0010, 0x0010, up, 1, &iommu) == 2 && msids[0] == 0x10 &&
		       msids[1] == 0x208, "IVRS: no IVRS alias: own ID, then the DMA aliases");
	}
	qdh_topology_free(topo);

	/* Later entries overwrite earlier ones for a device (Linux applies
	 * them in order): ALL on IOMMU 0, then a select on IOMMU 1. */
	acpi_header(&t, "IVRS");
	p32(&t, 0x00203041); pzero(&t, 8);
	ivhd_hdr(&t, 0x10, 24 + 12, 0xfeb80000, 0);
	dev4(&t, 0x01, 0);
	p8(&t, 0x42); p16(&t, 0x0300); p8(&t, 0); p8(&t, 0); p16(&t, 0x0200); p8(&t, 0);
	ivhd_hdr(&t, 0x10, 24 + 4, 0xfeb90000, 0);
	dev4(&t, 0x02, 0x0300);
	seal(&t);
	topo = parse(qdh_topology_add_ivrs, &t, t.n, &r);
	tap_ok(r == 0 && map(topo, 0, 0x0300, 0x0300, NULL, 0, &iommu) == 2 && iommu == 1 &&
	       msids[1] == 0x200,
	       "IVRS: the last entry naming a device picks its IOMMU; a plain select keeps its alias");
	tap_ok(map(topo, 0, 0x0500, 0x0500, NULL, 0, &iommu) == 1 && iommu == 0,
	       "IVRS: ...devices only ALL names stay on the first IOMMU");
	qdh_topology_free(topo);

	build_ivrs(&t, 1);
	topo = parse(qdh_topology_add_ivrs, &t, t.n, &r);
	tap_ok(r == 0 && qdh_topology_iommu_count(topo) == 1 && pci_sid(topo, 0, 0x0500, &iommu) == 0x500 &&
	       pci_sid(topo, 0, 0x0300, &iommu) == 0x300,
	       "IVRS: with types 0x10 and 0x11 only the 0x11 block is used");
	qdh_topology_free(topo);

	build_ivrs(&t, 0);
	bad = t; bad.b[IVHD10 + 24 + 8] = 0x85; resum(&bad);
	topo = parse(qdh_topology_add_ivrs, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x50:", "no known length") &&
	       pci_sid(topo, 0, 0x10, &iommu) == 0x10 && pci_sid(topo, 0, 0x400, &iommu) == -1,
	       "IVRS: unknown variable entry type stops the block at byte 0x50, earlier entries kept");
	qdh_topology_free(topo);

	bad = t; bad.b[IVHD10 + 24] = 0x02; resum(&bad);
	topo = parse(qdh_topology_add_ivrs, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x4c:", "without a start"),
	       "IVRS: end of range without a start is rejected at byte 0x4c");
	qdh_topology_free(topo);

	bad = t; set16(&bad, IVHD10 + 2, 0x200); resum(&bad);
	topo = parse(qdh_topology_add_ivrs, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x32:", "outside") && qdh_topology_iommu_count(topo) == 0,
	       "IVRS: block length beyond the table is rejected at byte 0x32");
	qdh_topology_free(topo);

	bad = t; set16(&bad, IVHD10 + 2, 8); resum(&bad);
	topo = parse(qdh_topology_add_ivrs, &bad, bad.n, &r);
	tap_ok(r == -EBADMSG && logged("byte 0x32:", "header"),
	       "IVRS: IVHD shorter than its header is rejected at byte 0x32");
	qdh_topology_free(topo);
}

int main(void)
{
	test_iort();
	test_dmar();
	test_dmar_sysroot();
	test_ivrs();
	return tap_done();
}
