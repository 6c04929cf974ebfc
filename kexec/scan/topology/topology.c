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

void *topo_push(void **arr, size_t *n, size_t *cap, size_t elem)
{
	char *p;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void *na;

		if (ncap > SIZE_MAX / elem)
			return NULL;
		na = realloc(*arr, ncap * elem);
		if (!na)
			return NULL;
		*arr = na;
		*cap = ncap;
	}
	p = (char *)*arr + *n * elem;
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
	free(t->ivr);
	free(t->classes);
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

static void scope_resolve(const struct qdh_topology *t, struct topo_dscope *sc);

int qdh_topology_finish(struct qdh_topology *t)
{
	size_t i;
	int r;

	if (!t)
		return -EINVAL;
	if (t->finished)
		return 0;
	t->finished = 1;
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
	for (i = 0; i < t->nscopes; i++)
		scope_resolve(t, &t->scopes[i]);
	return 0;
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

/* Walk a DMAR device scope's path to the function it names (VT-d 8.3.1). */
static void scope_resolve(const struct qdh_topology *t, struct topo_dscope *sc)
{
	uint8_t bus = sc->bus, sec, sub;
	unsigned i;

	sc->resolved = 1;
	sc->reached = 0;
	sc->has_range = 0;
	if (sc->npath == 0)
		return;
	for (i = 0; i + 1 < sc->npath; i++) {
		if (bridge_buses(t, sc->segment, bus, sc->path[i][0], sc->path[i][1],
				 &sec, &sub) < 0)
			return;
		bus = sec;
	}
	sc->reached = 1;
	sc->rid = (uint16_t)(bus << 8 | (sc->path[i][0] & 0x1f) << 3 | (sc->path[i][1] & 7));
	if (sc->type == 2 &&
	    bridge_buses(t, sc->segment, bus, sc->path[i][0], sc->path[i][1], &sec, &sub) == 0) {
		sc->has_range = 1;
		sc->sec = sec;
		sc->sub = sub;
	}
}

/* Does DMAR device scope sc cover requester rid? */
static int scope_covers(const struct qdh_topology *t, const struct topo_dscope *sc,
			uint16_t rid)
{
	struct topo_dscope tmp;

	if (!sc->resolved) {	/* looked up before qdh_topology_finish() */
		tmp = *sc;
		scope_resolve(t, &tmp);
		sc = &tmp;
	}
	if (!sc->reached)
		return 0;
	if (rid == sc->rid)
		return 1;
	return sc->has_range && (rid >> 8) >= sc->sec && (rid >> 8) <= sc->sub;
}

static int lookup_dmar(const struct qdh_topology *t, uint16_t seg, uint16_t rid, int *iommu)
{
	size_t i;

	/* An explicit device scope beats a catch-all unit. */
	for (i = 0; i < t->nscopes; i++)
		if (t->scopes[i].segment == seg && scope_covers(t, &t->scopes[i], rid)) {
			*iommu = t->scopes[i].iommu;
			return 1;
		}
	for (i = 0; i < t->niommus; i++)
		if (t->iommus[i].include_all && t->iommus[i].pub.segment == seg) {
			*iommu = (int)i;
			return 1;
		}
	return 0;
}

static int lookup_ivrs(const struct qdh_topology *t, uint16_t seg, uint16_t rid,
		       int *iommu, uint32_t *sid)
{
	size_t i;

	for (i = 0; i < t->nivr; i++) {
		const struct topo_ivrange *r = &t->ivr[i];

		if (r->segment == seg && rid >= r->first && rid <= r->last) {
			*iommu = r->iommu;
			*sid = r->alias >= 0 ? (uint32_t)r->alias : rid;
			return 1;
		}
	}
	return 0;
}

int qdh_topology_pci_sids(const struct qdh_topology *t, uint16_t segment,
			  uint16_t rid, int *iommu, uint32_t *sids, unsigned max)
{
	int idx = -1;
	uint32_t sid = rid;

	if (iommu)
		*iommu = -1;
	if (!t || (max && !sids))
		return -EINVAL;
	if (!lookup_idmaps(t, segment, rid, &idx, &sid) &&
	    !lookup_dmar(t, segment, rid, &idx) &&
	    !lookup_ivrs(t, segment, rid, &idx, &sid))
		return 0;
	if (idx < 0)
		return 0;	/* mapped, but not to an IOMMU (e.g. an ITS) */
	if (iommu)
		*iommu = idx;
	if (max == 0)
		return 0;
	sids[0] = sid;
	return 1;
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
