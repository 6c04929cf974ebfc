// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The topology object: the IOMMU list, the merge of firmware and sysfs
 * views, and the requester -> (IOMMU, StreamID) lookups.  The per-source
 * parsers live beside this file and only append to the arrays.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo.h"
#include "qdh/array.h"

void *topo_push(void **arr, size_t *n, size_t *cap, size_t elem)
{
	char *p = qdh_array_room(*arr, cap, *n, elem, 8);

	if (!p)
		return NULL;
	*arr = p;
	p += *n * elem;
	memset(p, 0, elem);
	(*n)++;
	return p;
}

void topo_fault(const struct qdh_topology *t, const char *table, size_t off,
		const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (t->origin)
		qdh_logf(t->log, QDH_LOG_WARN, "%s (%s): byte 0x%zx: %s",
			 t->origin, table, off, msg);
	else
		qdh_logf(t->log, QDH_LOG_WARN, "%s: byte 0x%zx: %s", table, off, msg);
}

struct qdh_topology *qdh_topology_new(const struct qdh_log *log)
{
	struct qdh_topology *t = calloc(1, sizeof(*t));

	if (t)
		t->log = log;
	return t;
}

void qdh_topology_free(struct qdh_topology *t)
{
	if (!t)
		return;
	free(t->iommus);
	free(t->maps);
	free(t->plats);
	free(t->scopes);
	free(t->dkeys);
	free(t->dbuses);
	free(t->ivr);
	free(t->classes);
	topo_index_free(t->index);
	free(t);
}

static int ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	uint64_t aend = alen ? a + alen - 1 : a, bend = blen ? b + blen - 1 : b;

	if (aend < a)
		aend = UINT64_MAX;
	if (bend < b)
		bend = UINT64_MAX;
	return a <= bend && b <= aend;
}

int topo_add_iommu(struct qdh_topology *t, uint8_t type, uint64_t base,
		   uint64_t size, const char *fw_node, uint32_t phandle)
{
	struct topo_iommu *m;
	size_t i;

	for (i = 0; i < t->niommus; i++) {
		m = &t->iommus[i];
		if (m->pub.base == base && m->pub.type == type) {
			/* Seen before (DT and ACPI both, or twice): one entry. */
			if (!m->pub.size)
				m->pub.size = size;
			if (!m->pub.phandle)
				m->pub.phandle = phandle;
			return (int)i;
		}
		if (ranges_overlap(m->pub.base, m->pub.size, base, size))
			return -EEXIST;
	}
	m = TOPO_PUSH(t, iommus, niommus, cap_iommus);
	if (!m)
		return -ENOMEM;
	m->pub.type = type;
	m->pub.base = base;
	m->pub.size = size;
	m->pub.segment = -1;
	m->pub.phandle = phandle;
	snprintf(m->pub.fw_node, sizeof(m->pub.fw_node), "%s", fw_node);
	return (int)(t->niommus - 1);
}

void topo_iommu_segment(struct qdh_topology *t, int i, unsigned seg)
{
	struct topo_iommu *m;

	if (i < 0 || (size_t)i >= t->niommus)
		return;
	m = &t->iommus[i];
	if (m->nseg == 0) {
		m->pub.segment = (int)seg;
		m->nseg = 1;
	} else if (m->pub.segment != (int)seg) {
		m->nseg = 2;
	}
}

/* The N of "dmarN" / "ivhdN", or -1. */
static long class_number(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	long v;

	if (strncmp(name, prefix, n) || !name[n])
		return -1;
	v = strtol(name + n, &end, 10);
	return *end || v < 0 ? -1 : v;
}

/* The idx-th firmware IOMMU of a type, in firmware order, or -1. */
static int nth_of_type(const struct qdh_topology *t, uint8_t type, long idx)
{
	size_t i;

	for (i = 0; i < t->niommus; i++) {
		if (t->iommus[i].pub.type != type || t->iommus[i].pub.fw_node[0] == '\0')
			continue;
		if (idx-- == 0)
			return (int)i;
	}
	return -1;
}

static int merge_class(struct qdh_topology *t, const struct topo_class *c)
{
	int hit = -1;
	size_t i;
	long n;

	if (c->has_base) {
		for (i = 0; i < t->niommus; i++)
			if (t->iommus[i].pub.base == c->base) {
				hit = (int)i;
				break;
			}
	} else if ((n = class_number(c->name, "ivhd")) >= 0) {
		hit = nth_of_type(t, QDH_IOMMU_AMDVI, n);
	} else if ((n = class_number(c->name, "dmar")) >= 0) {
		hit = nth_of_type(t, QDH_IOMMU_VTD, n);
	}
	if (hit >= 0 && t->iommus[hit].named) {
		qdh_logf(t->log, QDH_LOG_WARN,
			 "iommu class %s: MMIO base 0x%llx already belongs to %s",
			 c->name, (unsigned long long)c->base, t->iommus[hit].pub.name);
		hit = -1;
	}
	if (hit < 0) {
		/* A driver-registered IOMMU that firmware did not describe. */
		struct topo_iommu *m = TOPO_PUSH(t, iommus, niommus, cap_iommus);

		if (!m)
			return -ENOMEM;
		m->pub.type = c->type;
		m->pub.base = c->base;
		m->pub.segment = -1;
		hit = (int)(t->niommus - 1);
	} else if (t->iommus[hit].pub.type != c->type && c->type != QDH_IOMMU_UNKNOWN) {
		qdh_logf(t->log, QDH_LOG_INFO,
			 "iommu class %s: firmware node %s has another type", c->name,
			 t->iommus[hit].pub.fw_node);
	}
	snprintf(t->iommus[hit].pub.name, sizeof(t->iommus[hit].pub.name), "%s", c->name);
	t->iommus[hit].named = 1;
	return 0;
}

static void resolve_scope(const struct qdh_topology *t, struct topo_dscope *sc);

static int dkey_cmp(const void *a, const void *b)
{
	const struct topo_dkey *x = a, *y = b;

	if (x->segment != y->segment)
		return x->segment < y->segment ? -1 : 1;
	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	return (x->scope > y->scope) - (x->scope < y->scope);
}

/* Bridge scopes by (segment, scope index). */
static int bridge_cmp(const void *a, const void *b, void *arg)
{
	const struct topo_dscope *sc = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (sc[x].segment != sc[y].segment)
		return sc[x].segment < sc[y].segment ? -1 : 1;
	return (x > y) - (x < y);
}

/* The first bus at or after b not set yet (256: none); compresses the path. */
static unsigned unset_from(uint16_t *next, unsigned b)
{
	unsigned r = b;

	while (next[r] != r)
		r = next[r];
	while (next[b] != r) {
		unsigned n = next[b];

		next[b] = (uint16_t)r;
		b = n;
	}
	return r;
}

/*
 * For every segment with bridge scopes, the first scope (table order)
 * covering each of its 256 buses.  Each bus is set once and "next" (a
 * union-find) skips the ones already set, so the build is near linear in
 * scopes plus buses however many ranges overlap; a lookup is one access.
 */
static int index_bridges(struct qdh_topology *t, uint32_t *br, size_t nbr)
{
	size_t i = 0;

	qsort_r(br, nbr, sizeof(*br), bridge_cmp, t->scopes);
	while (i < nbr) {
		uint16_t seg = t->scopes[br[i]].segment;
		struct topo_dbuses *d = TOPO_PUSH(t, dbuses, ndbuses, cap_dbuses);
		uint16_t next[257];
		unsigned b;

		if (!d)
			return -ENOMEM;
		d->segment = seg;
		for (b = 0; b < 256; b++)
			d->scope[b] = TOPO_ALL_ONES;
		for (b = 0; b <= 256; b++)
			next[b] = (uint16_t)b;
		for (; i < nbr && t->scopes[br[i]].segment == seg; i++) {
			const struct topo_dscope *sc = &t->scopes[br[i]];

			for (b = unset_from(next, sc->sec); b <= sc->sub;
			     b = unset_from(next, b + 1)) {
				d->scope[b] = br[i];
				next[b] = (uint16_t)(b + 1);
			}
		}
	}
	return 0;
}

static int resolve_scopes(struct qdh_topology *t)
{
	uint32_t *br;
	size_t i, nbr = 0;
	int r;

	for (i = 0; i < t->nscopes; i++)
		resolve_scope(t, &t->scopes[i]);
	t->dkeys = calloc(t->nscopes ? t->nscopes : 1, sizeof(*t->dkeys));
	br = calloc(t->nscopes ? t->nscopes : 1, sizeof(*br));
	if (!t->dkeys || !br) {
		free(br);
		return -ENOMEM;
	}
	for (i = 0; i < t->nscopes; i++) {
		const struct topo_dscope *sc = &t->scopes[i];

		if (!sc->resolved)
			continue;
		t->dkeys[t->ndkeys++] = (struct topo_dkey){ sc->segment, sc->target, (uint32_t)i };
		if (sc->has_buses && sc->sec <= sc->sub)
			br[nbr++] = (uint32_t)i;
	}
	qsort(t->dkeys, t->ndkeys, sizeof(*t->dkeys), dkey_cmp);
	r = index_bridges(t, br, nbr);
	free(br);
	return r;
}

int qdh_topology_finish(struct qdh_topology *t)
{
	size_t i;
	int r;

	if (!t)
		return -EINVAL;
	if (t->finished)
		return 0;
	t->finished = 1;
	r = resolve_scopes(t);
	if (r < 0)
		return r;
	for (i = 0; i < t->nclasses; i++) {
		r = merge_class(t, &t->classes[i]);
		if (r < 0)
			return r;
	}
	for (i = 0; i < t->niommus; i++) {
		struct topo_iommu *m = &t->iommus[i];

		if (!m->named)
			snprintf(m->pub.name, sizeof(m->pub.name), "%.63s", m->pub.fw_node);
		if (m->nseg > 1)
			m->pub.segment = -1;
	}
	return topo_index_build(t);
}

size_t qdh_topology_iommu_count(const struct qdh_topology *t)
{
	return t ? t->niommus : 0;
}

const struct qdh_inv_iommu *qdh_topology_iommu(const struct qdh_topology *t, size_t i)
{
	return t && i < t->niommus ? &t->iommus[i].pub : NULL;
}

int qdh_topology_find_by_class(const struct qdh_topology *t, const char *class_name)
{
	size_t i;

	if (!t || !class_name)
		return -ENOENT;
	if (topo_index_valid(t))
		return topo_index_by_name(t, class_name);
	for (i = 0; i < t->niommus; i++)
		if (t->iommus[i].named && !strcmp(t->iommus[i].pub.name, class_name))
			return (int)i;
	return -ENOENT;
}

/* DT iommu-map and IORT root complex mappings; first match wins. */
static int lookup_idmaps(const struct qdh_topology *t, uint16_t seg, uint16_t rid,
			 int *iommu, uint32_t *sid)
{
	const struct topo_idmap *hit = NULL;
	uint32_t hit_in = 0;
	size_t i;

	for (i = 0; i < t->nmaps; i++) {
		const struct topo_idmap *m = &t->maps[i];
		uint32_t in = rid & m->mask;

		if (m->segment != seg)
			continue;
		if (m->single) {
			if (!hit) {
				hit = m;
				hit_in = in;
			}
			break;
		}
		if (in < m->in_base || (uint64_t)in - m->in_base >= m->count)
			continue;
		if (hit) {
			/* Only reached for the IORT end ambiguity below. */
			if (in == m->in_base) {
				hit = m;
				hit_in = in;
			}
			continue;
		}
		hit = m;
		hit_in = in;
		/*
		 * IORT "Number of IDs" is count minus one, but firmware exists
		 * that stored the count, making the last ID of one range the
		 * first of the next.  As Linux does, a match on the last ID of
		 * a multi-ID range yields to a later range starting there.
		 */
		if (!(m->iort && m->count > 1 && (uint64_t)in == m->in_base + m->count - 1))
			break;
	}
	if (!hit)
		return 0;
	*iommu = hit->iommu;
	*sid = hit->single ? hit->out_base : hit->out_base + (hit_in - hit->in_base);
	return 1;
}

/* Secondary and subordinate bus of a bridge, from its config space. */
static int bridge_buses(const struct qdh_topology *t, uint16_t seg, uint8_t bus,
			uint8_t dev, uint8_t fn, uint8_t *sec, uint8_t *sub)
{
	char path[128];
	uint8_t cfg[0x1c];
	size_t got = 0;

	if (!t->sr)
		return -ENOENT;
	snprintf(path, sizeof(path), QDH_PATH_PCI_DEVICES "/%04x:%02x:%02x.%x/config",
		 seg, bus, dev & 0x1f, fn & 7);
	if (qdh_sysroot_read_bin(t->sr, path, cfg, sizeof(cfg), &got) < 0 ||
	    got < sizeof(cfg))
		return -EIO;
	if ((cfg[0x0e] & 0x7f) != 1)	/* header type 1: PCI-to-PCI bridge */
		return -ENOTTY;
	*sec = cfg[0x19];
	*sub = cfg[0x1a];
	return 0;
}

/*
 * Follow a DMAR scope's path once: each hop but the last is a bridge whose
 * secondary bus (its config space) leads to the next.  The target covers
 * its own requester ID and, if it is a bridge, the buses below it (Linux
 * is_downstream_to_pci_bridge(), whatever the scope's type says).
 */
static void resolve_scope(const struct qdh_topology *t, struct topo_dscope *sc)
{
	uint8_t bus = sc->bus, sec, sub;
	unsigned i;

	if (sc->npath == 0)
		return;
	for (i = 0; i + 1 < sc->npath; i++) {
		if (bridge_buses(t, sc->segment, bus, sc->path[i][0], sc->path[i][1],
				 &sec, &sub) < 0)
			return;
		bus = sec;
	}
	sc->target = (uint16_t)(bus << 8 | (sc->path[i][0] & 0x1f) << 3 | (sc->path[i][1] & 7));
	sc->resolved = 1;
	if (bridge_buses(t, sc->segment, bus, sc->path[i][0], sc->path[i][1], &sec, &sub) == 0) {
		sc->has_buses = 1;
		sc->sec = sec;
		sc->sub = sub;
	}
}

/*
 * Linux device_lookup_iommu(): the first scope (in table order) naming the
 * function or a bridge above it wins, then the segment's INCLUDE_PCI_ALL
 * unit.  Exact matches come from a sorted index, so 65,536 endpoint scopes
 * cost a binary search each, not a scan.
 */
static int lookup_dmar(const struct qdh_topology *t, uint16_t seg, uint16_t rid, int *iommu)
{
	size_t lo = 0, hi = t->ndkeys, best = SIZE_MAX, i;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct topo_dkey *k = &t->dkeys[mid];

		if (k->segment < seg || (k->segment == seg && k->target < rid))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->ndkeys && t->dkeys[lo].segment == seg && t->dkeys[lo].target == rid)
		best = t->dkeys[lo].scope;
	lo = 0;
	hi = t->ndbuses;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->dbuses[mid].segment < seg)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->ndbuses && t->dbuses[lo].segment == seg &&
	    t->dbuses[lo].scope[rid >> 8] != TOPO_ALL_ONES &&
	    t->dbuses[lo].scope[rid >> 8] < best)
		best = t->dbuses[lo].scope[rid >> 8];
	if (best != SIZE_MAX) {
		*iommu = t->scopes[best].iommu;
		return 1;
	}
	if (topo_index_valid(t))
		return topo_index_include_all(t, seg, iommu);
	for (i = 0; i < t->niommus; i++)
		if (t->iommus[i].include_all && t->iommus[i].pub.segment == seg) {
			*iommu = (int)i;
			return 1;
		}
	return 0;
}

/*
 * Linux applies IVHD entries in table order, each overwriting what an
 * earlier one said for the same device: the last entry covering the
 * requester picks its IOMMU (rlookup table), the last alias entry its IVRS
 * alias (alias table; *alias stays -1 if none).
 */
static int lookup_ivrs(const struct qdh_topology *t, uint16_t seg, uint16_t rid,
		       int *iommu, int32_t *alias)
{
	int found = 0;
	size_t i;

	*alias = -1;
	for (i = 0; i < t->nivr; i++) {
		const struct topo_ivrange *r = &t->ivr[i];

		if (r->segment == seg && rid >= r->first && rid <= r->last) {
			*iommu = r->iommu;
			if (r->alias >= 0)
				*alias = r->alias;
			found = 1;
		}
	}
	return found;
}

/* Append sid unless already there (the SMMU drivers skip duplicates). */
static void put_sid(uint32_t *sids, unsigned max, unsigned *n, unsigned *dropped, uint32_t sid)
{
	unsigned k;

	for (k = 0; k < *n; k++)
		if (sids[k] == sid)
			return;
	if (*n < max)
		sids[(*n)++] = sid;
	else
		(*dropped)++;
}

static void note_alias(struct qdh_pci_map_note *note, unsigned k, int other)
{
	if (!note)
		return;
	if (other < 0 && note->unmapped < 0)
		note->unmapped = (int)k;
	if (other >= 0 && note->elsewhere < 0) {
		note->elsewhere = (int)k;
		note->other_iommu = other;
	}
}

int qdh_topology_pci_map(const struct qdh_topology *t, const struct qdh_pci_requester *rq,
			 int *iommu, uint32_t *sids, unsigned max,
			 struct qdh_pci_map_note *note)
{
	struct qdh_pci_map_note dummy;
	unsigned n = 0, k, dropped = 0;
	int idx = -1, other;
	int32_t ivalias;
	uint32_t sid;

	if (iommu)
		*iommu = -1;
	if (!note)
		note = &dummy;
	note->unmapped = note->elsewhere = note->other_iommu = -1;
	note->dropped = 0;
	if (!t || !rq || !rq->naliases || !rq->aliases || (max && !sids))
		return -EINVAL;
	if (lookup_idmaps(t, rq->segment, rq->aliases[0], &idx, &sid)) {
		/* DT iommu-map / IORT: each alias through the map (of_map_id(),
		 * iort_node_map_id() per pci_for_each_dma_alias() step). */
		if (idx < 0)
			return 0;	/* mapped, but not to an IOMMU (an ITS) */
		put_sid(sids, max, &n, &dropped, sid);
		for (k = 1; k < rq->naliases; k++) {
			other = -1;
			if (!lookup_idmaps(t, rq->segment, rq->aliases[k], &other, &sid) ||
			    other != idx) {
				note_alias(note, k, other);
				continue;
			}
			put_sid(sids, max, &n, &dropped, sid);
		}
	} else if (lookup_dmar(t, rq->segment, rq->unit_rid, &idx)) {
		/* VT-d: the unit of the function (a VF's PF), a context entry
		 * per alias (domain_context_mapping()). */
		for (k = 0; k < rq->naliases; k++)
			put_sid(sids, max, &n, &dropped, rq->aliases[k]);
	} else if (lookup_ivrs(t, rq->segment, rq->aliases[0], &idx, &ivalias)) {
		/* AMD-Vi: the device table entry of the function, then its
		 * IVRS alias, then every DMA alias (clone_aliases()). */
		put_sid(sids, max, &n, &dropped, rq->aliases[0]);
		if (ivalias >= 0)
			put_sid(sids, max, &n, &dropped, (uint32_t)ivalias);
		for (k = 1; k < rq->naliases; k++)
			put_sid(sids, max, &n, &dropped, rq->aliases[k]);
	} else {
		return 0;
	}
	if (idx < 0)
		return 0;
	if (iommu)
		*iommu = idx;
	note->dropped = dropped;
	return (int)n;
}

int qdh_topology_pci_sids(const struct qdh_topology *t, uint16_t segment,
			  uint16_t rid, int *iommu, uint32_t *sids, unsigned max)
{
	struct qdh_pci_requester rq = { segment, rid, &rid, 1 };

	return qdh_topology_pci_map(t, &rq, iommu, sids, max, NULL);
}

int qdh_topology_platform_sids(const struct qdh_topology *t, const char *fw_path,
			       int *iommu, uint32_t *sids, unsigned max)
{
	unsigned n = 0;
	int idx = -1;
	size_t i;

	if (iommu)
		*iommu = -1;
	if (!t || !fw_path || (max && !sids))
		return -EINVAL;
	for (i = 0; i < t->nplats; i++) {
		const struct topo_plat *p = &t->plats[i];
		uint32_t k;

		if (strcmp(p->path, fw_path) || p->iommu < 0)
			continue;
		if (idx < 0)
			idx = p->iommu;
		else if (p->iommu != idx)
			continue;	/* one device, one IOMMU: keep the first */
		for (k = 0; k < p->count && n < max; k++)
			sids[n++] = p->sid + k;
	}
	if (iommu)
		*iommu = idx;
	return (int)n;
}
