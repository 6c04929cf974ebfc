// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACPI IORT (Arm DEN 0049): SMMUv1/v2 (node type 3) and SMMUv3 (type 4)
 * instances, root complex (type 2) ID mappings per PCI segment, named
 * component (type 1) mappings by ACPI path.  ID mapping: input base,
 * number of IDs minus one, output base, output reference (a node's byte
 * offset in the table), flags (bit 0: single mapping).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo.h"

#define IORT_HDR_LEN	48
#define IORT_NODE_HDR	16
#define IORT_MAP_LEN	20
#define IORT_MAX_NC_IDS	65536	/* StreamIDs kept per named component mapping */

enum { IORT_ITS = 0, IORT_NC = 1, IORT_RC = 2, IORT_SMMU = 3, IORT_SMMUV3 = 4, IORT_PMCG = 5 };

/* The smallest node of each type we read fields from (revision 0 layouts). */
static size_t fixed_len(uint8_t type)
{
	switch (type) {
	case IORT_NC:		return 30;	/* flags, memory props, limit, name[1+] */
	case IORT_RC:		return 32;	/* ..., ATS attribute, PCI segment */
	case IORT_SMMU:		return 60;
	case IORT_SMMUV3:	return 60;
	default:		return IORT_NODE_HDR;
	}
}

struct iort_node {
	size_t off, len;
	uint8_t type;
	uint32_t nmaps, maps_off;	/* maps_off relative to the node */
	int maps_ok;
	int iommu;
};

struct iort_ctx {
	struct qdh_topology *t;
	const uint8_t *buf;
	size_t tlen;
	struct iort_node *nodes;
	size_t nnodes;
	int faults;
};

#define FAULT(c, off, ...) do { topo_fault((c)->t, "IORT", (off), __VA_ARGS__); (c)->faults++; } while (0)

static struct iort_node *node_at(struct iort_ctx *c, uint32_t off)
{
	size_t i;

	for (i = 0; i < c->nnodes; i++)
		if (c->nodes[i].off == off)
			return &c->nodes[i];
	return NULL;
}

static int walk_nodes(struct iort_ctx *c)
{
	uint32_t count = topo_le32(c->buf + 36), first = topo_le32(c->buf + 40);
	size_t off = first, i;

	if (first < IORT_HDR_LEN || first > c->tlen) {
		FAULT(c, 40, "node array offset 0x%x is outside the table (0x%zx bytes)",
		      first, c->tlen);
		return -EBADMSG;
	}
	if (count > (c->tlen - first) / IORT_NODE_HDR) {
		FAULT(c, 36, "node count %u cannot fit in the 0x%zx bytes after 0x%x",
		      count, c->tlen - first, first);
		count = (uint32_t)((c->tlen - first) / IORT_NODE_HDR);
	}
	c->nodes = calloc(count ? count : 1, sizeof(*c->nodes));
	if (!c->nodes)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		struct iort_node *n = &c->nodes[c->nnodes];
		const uint8_t *p;

		if (c->tlen - off < IORT_NODE_HDR) {
			FAULT(c, off, "node %zu header runs past the table end", i);
			break;
		}
		p = c->buf + off;
		n->off = off;
		n->type = p[0];
		n->len = topo_le16(p + 1);
		n->nmaps = topo_le32(p + 8);
		n->maps_off = topo_le32(p + 12);
		n->iommu = -1;
		if (n->len < fixed_len(n->type)) {
			FAULT(c, off + 1, "node length 0x%zx below the 0x%zx bytes of a type %u node",
			      n->len, fixed_len(n->type), n->type);
			break;	/* lengths chain the nodes: nothing after is trustworthy */
		}
		if (n->len > c->tlen - off) {
			FAULT(c, off + 1, "node length 0x%zx runs past the table end (0x%zx)",
			      n->len, c->tlen);
			break;
		}
		/* The ID array must lie inside the node, after its fixed fields. */
		if (n->nmaps == 0) {
			n->maps_ok = 1;
		} else if (n->maps_off < fixed_len(n->type) || n->maps_off > n->len ||
			   (uint64_t)n->nmaps * IORT_MAP_LEN > n->len - n->maps_off) {
			FAULT(c, off + 8, "%u ID mappings at node offset 0x%x do not fit in the 0x%zx-byte node",
			      n->nmaps, n->maps_off, n->len);
		} else {
			n->maps_ok = 1;
		}
		c->nnodes++;
		off += n->len;
	}
	return 0;
}

static void add_smmus(struct iort_ctx *c)
{
	size_t first = c->t->niommus, i;

	for (i = 0; i < c->nnodes; i++) {
		struct iort_node *n = &c->nodes[i];
		const uint8_t *p = c->buf + n->off;
		uint64_t base, size;
		size_t before = c->t->niommus;
		char name[32];
		int idx;

		if (n->type != IORT_SMMU && n->type != IORT_SMMUV3)
			continue;
		base = topo_le64(p + 16);
		/* SMMUv3: page 0 and page 1, 64 KiB each; SMMUv2: the span field. */
		size = n->type == IORT_SMMUV3 ? 0x20000 : topo_le64(p + 24);
		snprintf(name, sizeof(name), "IORT@0x%zx", n->off);
		idx = topo_add_iommu(c->t, n->type == IORT_SMMUV3 ? QDH_IOMMU_SMMUV3 :
				     QDH_IOMMU_SMMUV2, base, size, name, 0);
		if (idx == -EEXIST) {
			FAULT(c, n->off + 16, "SMMU MMIO 0x%llx+0x%llx overlaps another IOMMU",
			      (unsigned long long)base, (unsigned long long)size);
		} else if (idx >= 0 && (size_t)idx >= first && (size_t)idx < before) {
			FAULT(c, n->off + 16, "SMMU base 0x%llx described twice",
			      (unsigned long long)base);
		}
		n->iommu = idx >= 0 ? idx : -1;
	}
}

/*
 * Check mapping j of node n; returns its target node (NULL if the mapping
 * is rejected) and the decoded fields.
 */
static const struct iort_node *check_map(struct iort_ctx *c, const struct iort_node *n,
					 uint32_t j, uint32_t *in, uint32_t *num,
					 uint32_t *out, uint32_t *flags)
{
	size_t moff = n->off + n->maps_off + (size_t)j * IORT_MAP_LEN;
	const uint8_t *m = c->buf + moff;
	uint32_t ref = topo_le32(m + 12);
	const struct iort_node *target;

	*in = topo_le32(m);
	*num = topo_le32(m + 4);
	*out = topo_le32(m + 8);
	*flags = topo_le32(m + 16);
	if (!(*flags & 1) &&
	    ((uint64_t)*in + *num > UINT32_MAX || (uint64_t)*out + *num > UINT32_MAX)) {
		FAULT(c, moff + 4, "ID count 0x%x+1 overflows 32-bit IDs (input 0x%x, output 0x%x)",
		      *num, *in, *out);
		return NULL;
	}
	target = node_at(c, ref);
	if (!target) {
		FAULT(c, moff + 12, "output reference 0x%x is not the start of a node", ref);
		return NULL;
	}
	if (target == n) {
		FAULT(c, moff + 12, "output reference 0x%x points at the node itself", ref);
		return NULL;
	}
	return target;
}

/*
 * Do ID ranges [a0, a1] and [b0, b1] share more than one boundary ID?
 * Sharing exactly the last ID of one and the first of the other is the
 * num_ids ambiguity of shipped firmware, tolerated as Linux does.
 */
static int ranges_clash(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	uint64_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;

	if (lo > hi)
		return 0;
	if (lo == hi && a0 != a1 && b0 != b1 && ((lo == a1 && lo == b0) || (lo == b1 && lo == a0)))
		return 0;
	return 1;
}

static void add_rc(struct iort_ctx *c, const struct iort_node *n)
{
	uint32_t seg = topo_le32(c->buf + n->off + 28), j;
	size_t first = c->t->nmaps;

	if (seg > 0xffff) {
		FAULT(c, n->off + 28, "PCI segment %u is beyond 16 bits", seg);
		return;
	}
	for (j = 0; j < n->nmaps; j++) {
		uint32_t in, num, out, flags;
		const struct iort_node *tg = check_map(c, n, j, &in, &num, &out, &flags);
		size_t moff = n->off + n->maps_off + (size_t)j * IORT_MAP_LEN, k;
		struct topo_idmap *m;
		int overlap = 0;

		if (!tg)
			continue;
		for (k = first; k < c->t->nmaps && !(flags & 1); k++)
			if (!c->t->maps[k].single &&
			    ranges_clash(c->t->maps[k].in_base,
					 c->t->maps[k].in_base + c->t->maps[k].count - 1,
					 in, (uint64_t)in + num))
				overlap = 1;
		if (overlap) {
			FAULT(c, moff, "ID mapping %u (input 0x%x..0x%llx) overlaps an earlier one; dropped",
			      j, in, (unsigned long long)in + num);
			continue;
		}
		m = TOPO_PUSH(c->t, maps, nmaps, cap_maps);
		if (!m)
			return;
		m->segment = (uint16_t)seg;
		m->mask = TOPO_ALL_ONES;
		m->in_base = in;
		m->count = (uint64_t)num + 1;
		m->out_base = out;
		m->single = flags & 1;
		m->iort = 1;
		m->iommu = tg->iommu;	/* -1 for an ITS: no IOMMU on the path */
		topo_iommu_segment(c->t, m->iommu, seg);
	}
}

static void add_nc(struct iort_ctx *c, const struct iort_node *n)
{
	const char *name = (const char *)c->buf + n->off + 29;
	size_t room = (n->nmaps ? n->maps_off : n->len) - 29, nl;
	uint32_t j;

	nl = strnlen(name, room);
	if (nl == room || nl == 0) {
		FAULT(c, n->off + 29, "device object name is %s within the node",
		      nl ? "not NUL-terminated" : "empty");
		return;
	}
	for (j = 0; j < n->nmaps; j++) {
		uint32_t in, num, out, flags;
		const struct iort_node *tg = check_map(c, n, j, &in, &num, &out, &flags);
		struct topo_plat *pl;

		if (!tg || tg->iommu < 0)
			continue;
		pl = TOPO_PUSH(c->t, plats, nplats, cap_plats);
		if (!pl)
			return;
		snprintf(pl->path, sizeof(pl->path), "%.*s", (int)nl, name);
		pl->iommu = tg->iommu;
		pl->sid = out;
		/* A single mapping is the device's one ID; a range, all of them. */
		pl->count = flags & 1 ? 1 : (num >= IORT_MAX_NC_IDS ? IORT_MAX_NC_IDS : num + 1);
	}
}

int qdh_topology_add_iort(struct qdh_topology *t, const void *buf, size_t len)
{
	struct iort_ctx c = { .t = t, .buf = buf };
	size_t i;
	int r;

	if (!t)
		return -EINVAL;
	r = topo_acpi_header(t, "IORT", buf, len, IORT_HDR_LEN, &c.tlen);
	if (r < 0)
		return r;
	r = walk_nodes(&c);
	if (r == -ENOMEM) {
		free(c.nodes);
		return r;
	}
	add_smmus(&c);
	for (i = 0; i < c.nnodes; i++) {
		if (!c.nodes[i].maps_ok)
			continue;
		if (c.nodes[i].type == IORT_RC)
			add_rc(&c, &c.nodes[i]);
		else if (c.nodes[i].type == IORT_NC)
			add_nc(&c, &c.nodes[i]);
	}
	free(c.nodes);
	return c.faults || r < 0 ? -EBADMSG : 0;
}
