// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IOMMUs and StreamIDs from a flattened device tree: SMMU nodes (and any
 * other node with #iommu-cells), PCI host bridges' iommu-map /
 * iommu-map-mask, and platform devices' iommus.  fdt_check_full() vets the
 * blob's structure first; property contents are checked here.
 */
#include "config.h"

#include <errno.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qdh/fdt-guard.h"
#include "topo.h"

#define DT_MAX_MAP_ENTRIES	4096	/* iommu-map entries per host bridge */
#define DT_MAX_IOMMU_CELLS	8
#define DT_MAX_DEPTH		64

static const char *const smmu_v2_compat[] = {
	"arm,smmu-v1", "arm,smmu-v2", "arm,mmu-400", "arm,mmu-401", "arm,mmu-500",
	"cavium,smmu-v2", "nvidia,smmu-500", "qcom,smmu-v2", "qcom,smmu-500",
	"qcom,adreno-smmu", NULL,
};

struct dt_ctx {
	struct qdh_topology *t;
	const void *fdt;
	int faults;
};

static void dt_fault(struct dt_ctx *c, int node, const char *prop, size_t off,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void dt_fault(struct dt_ctx *c, int node, const char *prop, size_t off,
		     const char *fmt, ...)
{
	char path[256], where[320], msg[256];
	va_list ap;

	if (fdt_get_path(c->fdt, node, path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "node@0x%x", (unsigned)node);
	snprintf(where, sizeof(where), "fdt %s:%s", path, prop);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	topo_fault(c->t, where, off, "%s", msg);
	c->faults++;
}

static uint32_t be32_at(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t read_cells(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 32 | be32_at(p + 4 * i);
	return v;
}

static int node_enabled(const void *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);

	if (!s || len <= 0)
		return 1;
	return !strncmp(s, "okay", (size_t)len) || !strncmp(s, "ok", (size_t)len);
}

static int compat_has_suffix(const void *fdt, int node, const char *suffix)
{
	int len, pos = 0;
	const char *s = fdt_getprop(fdt, node, "compatible", &len);
	size_t sl = strlen(suffix);

	while (s && pos < len) {
		size_t n = strnlen(s + pos, (size_t)(len - pos));

		if (n >= sl && !memcmp(s + pos + n - sl, suffix, sl))
			return 1;
		pos += (int)n + 1;
	}
	return 0;
}

/* enum qdh_iommu_type, or -1 if the node is no IOMMU. */
static int iommu_type(const void *fdt, int node)
{
	int i;

	if (fdt_node_check_compatible(fdt, node, "arm,smmu-v3") == 0)
		return QDH_IOMMU_SMMUV3;
	for (i = 0; smmu_v2_compat[i]; i++)
		if (fdt_node_check_compatible(fdt, node, smmu_v2_compat[i]) == 0)
			return QDH_IOMMU_SMMUV2;
	if (compat_has_suffix(fdt, node, "-smmu-500") ||
	    compat_has_suffix(fdt, node, "-smmu-v2"))
		return QDH_IOMMU_SMMUV2;
	if (fdt_getprop(fdt, node, "#iommu-cells", NULL))
		return QDH_IOMMU_UNKNOWN;
	return -1;
}

/*
 * Translate a bus address up through the parents' "ranges" to a CPU
 * address.  An empty "ranges" is identity; a missing one on a non-root bus
 * means the address is not CPU-visible.
 */
static int translate(struct dt_ctx *c, int node, uint64_t *addr)
{
	int bus = fdt_parent_offset(c->fdt, node), depth = 0;

	while (bus > 0 && depth++ < DT_MAX_DEPTH) {
		int parent = fdt_parent_offset(c->fdt, bus), len, ca, pa, sc, step, off;
		const uint8_t *r = fdt_getprop(c->fdt, bus, "ranges", &len);

		if (parent < 0)
			return -EINVAL;
		if (!r) {
			dt_fault(c, bus, "ranges", 0, "missing: child addresses are not translatable");
			return -EINVAL;
		}
		if (len == 0) {
			bus = parent;
			continue;
		}
		ca = fdt_address_cells(c->fdt, bus);
		sc = fdt_size_cells(c->fdt, bus);
		pa = fdt_address_cells(c->fdt, parent);
		if (ca < 1 || ca > 2 || pa < 1 || pa > 2 || sc < 0 || sc > 2) {
			dt_fault(c, bus, "ranges", 0, "unsupported cell sizes %d/%d/%d", ca, pa, sc);
			return -EINVAL;
		}
		step = (ca + pa + sc) * 4;
		if (len % step) {
			dt_fault(c, bus, "ranges", 0, "length %d is not a multiple of %d", len, step);
			return -EINVAL;
		}
		for (off = 0; off < len; off += step) {
			uint64_t child = read_cells(r + off, ca);
			uint64_t par = read_cells(r + off + ca * 4, pa);
			uint64_t size = read_cells(r + off + (ca + pa) * 4, sc);

			if (*addr >= child && *addr - child < size) {
				*addr = par + (*addr - child);
				break;
			}
		}
		if (off >= len) {
			dt_fault(c, bus, "ranges", 0, "no range covers address 0x%llx",
				 (unsigned long long)*addr);
			return -EINVAL;
		}
		bus = parent;
	}
	return 0;
}

static void add_iommu_node(struct dt_ctx *c, int node, int type)
{
	int parent = fdt_parent_offset(c->fdt, node), len, ac, sc, idx;
	const uint8_t *reg = fdt_getprop(c->fdt, node, "reg", &len);
	uint64_t base = 0, size = 0;
	char path[128];

	if (parent < 0)
		return;
	ac = fdt_address_cells(c->fdt, parent);
	sc = fdt_size_cells(c->fdt, parent);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2) {
		dt_fault(c, node, "reg", 0, "unsupported #address-cells %d / #size-cells %d", ac, sc);
		return;
	}
	if (!reg || len < (ac + sc) * 4) {
		dt_fault(c, node, "reg", 0, "missing or shorter than one (%d+%d)-cell entry",
			 ac, sc);
		return;
	}
	if (len % ((ac + sc) * 4))
		dt_fault(c, node, "reg", (size_t)len, "trailing bytes after the last entry");
	base = read_cells(reg, ac);
	size = read_cells(reg + ac * 4, sc);
	if (translate(c, node, &base) < 0)
		return;
	if (fdt_get_path(c->fdt, node, path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "node@0x%x", (unsigned)node);
	idx = topo_add_iommu(c->t, (uint8_t)type, base, size, path, fdt_get_phandle(c->fdt, node));
	if (idx == -EEXIST)
		dt_fault(c, node, "reg", 0, "MMIO 0x%llx+0x%llx overlaps another IOMMU",
			 (unsigned long long)base, (unsigned long long)size);
}

/* Index of the IOMMU with this phandle, -1 if none. */
static int iommu_by_phandle(const struct qdh_topology *t, uint32_t ph)
{
	size_t i;

	if (!ph)
		return -1;
	for (i = 0; i < t->niommus; i++)
		if (t->iommus[i].pub.phandle == ph)
			return (int)i;
	return -1;
}

/* Resolve a phandle to an IOMMU index, logging why if it cannot be. */
static int resolve_target(struct dt_ctx *c, int node, const char *prop, size_t off,
			  uint32_t ph, int *cells)
{
	int target = fdt_node_offset_by_phandle(c->fdt, ph), len;
	const void *v;

	*cells = -1;
	if (target < 0) {
		dt_fault(c, node, prop, off, "phandle 0x%x names no node", ph);
		return -1;
	}
	v = fdt_getprop(c->fdt, target, "#iommu-cells", &len);
	if (!v || len != 4) {
		dt_fault(c, node, prop, off, "phandle 0x%x names a node without #iommu-cells", ph);
		return -1;
	}
	*cells = (int)be32_at(v);
	return iommu_by_phandle(c->t, ph);
}

static void add_host_bridge(struct dt_ctx *c, int node, unsigned ordinal)
{
	struct qdh_id_map *maps;
	size_t n = 0, i, j;
	int len, r;
	const void *map = fdt_getprop(c->fdt, node, "iommu-map", &len);
	const void *seg_p, *mask_p;
	uint32_t seg = ordinal, mask = TOPO_ALL_ONES;
	int slen, mlen;

	seg_p = fdt_getprop(c->fdt, node, "linux,pci-domain", &slen);
	if (seg_p && slen == 4)
		seg = be32_at(seg_p);
	else if (seg_p)
		dt_fault(c, node, "linux,pci-domain", 0, "length %d, want 4", slen);
	if (seg > 0xffff) {
		dt_fault(c, node, "linux,pci-domain", 0, "domain %u is beyond 16 bits", seg);
		return;
	}
	if (!map)
		return;		/* no iommu-map: nothing behind an IOMMU */
	mask_p = fdt_getprop(c->fdt, node, "iommu-map-mask", &mlen);
	if (mask_p && mlen == 4)
		mask = be32_at(mask_p);
	else if (mask_p)
		dt_fault(c, node, "iommu-map-mask", 0, "length %d, want 4; ignored", mlen);
	for (i = 0; i < c->t->nmaps; i++)
		if (c->t->maps[i].segment == seg && !c->t->maps[i].iort) {
			dt_fault(c, node, "linux,pci-domain", 0,
				 "PCI domain %u already has an iommu-map", seg);
			return;
		}
	if ((size_t)len / 16 > DT_MAX_MAP_ENTRIES) {
		dt_fault(c, node, "iommu-map", 0, "%d bytes: more than %d entries", len,
			 DT_MAX_MAP_ENTRIES);
		return;
	}
	maps = calloc((size_t)len / 16 + 1, sizeof(*maps));
	if (!maps)
		return;
	r = qdh_parse_iommu_map(map, (size_t)len, maps, (size_t)len / 16 + 1, &n);
	if (r < 0) {
		dt_fault(c, node, "iommu-map", (size_t)len - (size_t)len % 16,
			 "length %d is not a multiple of 16 (4 cells per entry)", len);
		free(maps);
		return;
	}
	for (i = 0; i < n; i++) {
		struct topo_idmap *m;
		int cells;
		int dup = 0;

		for (j = 0; j < i; j++)
			if (maps[j].length && maps[i].length &&
			    maps[i].rid_base < (uint64_t)maps[j].rid_base + maps[j].length &&
			    maps[j].rid_base < (uint64_t)maps[i].rid_base + maps[i].length)
				dup = 1;
		if (dup) {
			dt_fault(c, node, "iommu-map", i * 16,
				 "entry %zu (rid 0x%x+0x%x) overlaps an earlier one; dropped",
				 i, maps[i].rid_base, maps[i].length);
			continue;
		}
		maps[i].iommu = resolve_target(c, node, "iommu-map", i * 16 + 4,
					       maps[i].phandle, &cells);
		if (cells != -1 && cells != 1)
			dt_fault(c, node, "iommu-map", i * 16 + 4,
				 "target has #iommu-cells %d, the binding needs 1", cells);
		m = TOPO_PUSH(c->t, maps, nmaps, cap_maps);
		if (!m)
			break;
		m->segment = (uint16_t)seg;
		m->mask = mask;
		m->in_base = maps[i].rid_base;
		m->count = maps[i].length;
		m->out_base = maps[i].sid_base;
		m->iommu = maps[i].iommu;
		topo_iommu_segment(c->t, m->iommu, seg);
	}
	free(maps);
}

static void add_iommus_prop(struct dt_ctx *c, int node)
{
	int len, cells;
	const uint8_t *p = fdt_getprop(c->fdt, node, "iommus", &len);
	char path[128];
	size_t off = 0;

	if (!p || len <= 0)
		return;
	if (fdt_get_path(c->fdt, node, path, sizeof(path)) < 0) {
		dt_fault(c, node, "iommus", 0, "node path longer than %zu", sizeof(path));
		return;
	}
	while (off < (size_t)len) {
		struct topo_plat *pl;
		uint32_t ph;
		int idx;

		if ((size_t)len - off < 4) {
			dt_fault(c, node, "iommus", off, "%zu trailing bytes", (size_t)len - off);
			return;
		}
		ph = be32_at(p + off);
		idx = resolve_target(c, node, "iommus", off, ph, &cells);
		if (cells < 0)
			return;		/* cannot tell where the next entry starts */
		if (cells > DT_MAX_IOMMU_CELLS) {
			dt_fault(c, node, "iommus", off, "#iommu-cells %d is implausible", cells);
			return;
		}
		if ((size_t)len - off - 4 < (size_t)cells * 4) {
			dt_fault(c, node, "iommus", off, "entry needs %d cells, property ends first",
				 1 + cells);
			return;
		}
		pl = TOPO_PUSH(c->t, plats, nplats, cap_plats);
		if (!pl)
			return;
		snprintf(pl->path, sizeof(pl->path), "%s", path);
		pl->iommu = idx;
		if (cells >= 1) {
			pl->sid = be32_at(p + off + 4);
			pl->count = 1;
		}
		/* SMMUv2 two-cell specifier: StreamID, then SMR mask. */
		if (cells >= 2)
			pl->mask = be32_at(p + off + 8);
		off += 4 + (size_t)cells * 4;
	}
}

static int is_pci_node(const void *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "device_type", &len);

	return s && len >= 3 && !strncmp(s, "pci", (size_t)len);
}

int qdh_topology_add_fdt(struct qdh_topology *t, const void *fdt, size_t len)
{
	struct dt_ctx c = { .t = t, .fdt = fdt };
	size_t guard_at = 0;
	unsigned ordinal = 0;
	int node, depth, r;

	if (!t || (!fdt && len))
		return -EINVAL;
	if (len < FDT_V17_SIZE || len > INT32_MAX) {
		topo_fault(t, "fdt", 0, "%zu bytes: not a device tree blob", len);
		return -EBADMSG;
	}
	/* libfdt 1.6.1's fdt_check_full() crashes or loops on some trees
	 * (found by fuzz-dtb): qdh_fdt_guard() refuses those first. */
	r = fdt_check_header(fdt);
	if (r == 0 && fdt_totalsize(fdt) <= len)
		r = qdh_fdt_guard(fdt, len, &guard_at);
	if (r < 0) {
		topo_fault(t, "fdt", guard_at, "%s", fdt_strerror(r));
		return -EBADMSG;
	}
	r = fdt_check_full(fdt, len);
	if (r < 0) {
		topo_fault(t, "fdt", 0, "fdt_check_full: %s", fdt_strerror(r));
		return -EBADMSG;
	}
	/* IOMMUs first, so the phandle references below can resolve. */
	for (depth = 0, node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		int type = iommu_type(fdt, node);

		if (type >= 0 && node_enabled(fdt, node))
			add_iommu_node(&c, node, type);
	}
	for (depth = 0, node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		int parent;

		if (!node_enabled(fdt, node))
			continue;
		parent = fdt_parent_offset(fdt, node);
		if (is_pci_node(fdt, node) && parent >= 0 && !is_pci_node(fdt, parent))
			add_host_bridge(&c, node, ordinal++);
		add_iommus_prop(&c, node);
	}
	return c.faults ? -EBADMSG : 0;
}
