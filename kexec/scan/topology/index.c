// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Lookup indexes over a finished topology's IOMMUs, so that the
 * per-device lookups stay logarithmic: a server has one VT-d unit per
 * PCIe stack, their number grows with the number of functions, and a
 * linear search per function (the `iommu` link by class name, the
 * segment's INCLUDE_PCI_ALL unit) made `qdh scan` quadratic.  The DMAR
 * device scopes have their own index (topology.c, resolve_scopes()).
 *
 * Every index answers exactly what the linear search in IOMMU order
 * answers: where several entries match, the lowest index wins.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "topo.h"

struct topo_named {
	const char *name;	/* the IOMMU's pub.name */
	uint32_t index;
};

struct topo_unit {
	uint16_t segment;
	uint32_t index;
};

struct topo_index {
	struct topo_named *by_name;	/* named IOMMUs by (name, index) */
	size_t nby_name;
	struct topo_unit *all;	/* INCLUDE_PCI_ALL units by (segment, index) */
	size_t nall;
	size_t niommus;		/* what the index was built over */
};

static int cmp_name(const void *a, const void *b)
{
	const struct topo_named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int cmp_unit(const void *a, const void *b)
{
	const struct topo_unit *x = a, *y = b;

	if (x->segment != y->segment)
		return x->segment < y->segment ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

void topo_index_free(struct topo_index *x)
{
	if (!x)
		return;
	free(x->by_name);
	free(x->all);
	free(x);
}

int topo_index_build(struct qdh_topology *t)
{
	struct topo_index *x = calloc(1, sizeof(*x));
	size_t i;

	if (!x || t->niommus > UINT32_MAX)
		goto nomem;
	x->by_name = calloc(t->niommus + 1, sizeof(*x->by_name));
	x->all = calloc(t->niommus + 1, sizeof(*x->all));
	if (!x->by_name || !x->all)
		goto nomem;
	for (i = 0; i < t->niommus; i++) {
		const struct topo_iommu *m = &t->iommus[i];

		if (m->named)
			x->by_name[x->nby_name++] = (struct topo_named){ m->pub.name, (uint32_t)i };
		if (m->include_all && m->pub.segment >= 0 && m->pub.segment <= 0xffff)
			x->all[x->nall++] = (struct topo_unit){ (uint16_t)m->pub.segment,
								(uint32_t)i };
	}
	if (x->nby_name)
		qsort(x->by_name, x->nby_name, sizeof(*x->by_name), cmp_name);
	if (x->nall)
		qsort(x->all, x->nall, sizeof(*x->all), cmp_unit);
	x->niommus = t->niommus;
	topo_index_free(t->index);
	t->index = x;
	return 0;
nomem:
	topo_index_free(x);
	return -ENOMEM;
}

int topo_index_valid(const struct qdh_topology *t)
{
	return t->index && t->index->niommus == t->niommus;
}

int topo_index_by_name(const struct qdh_topology *t, const char *name)
{
	const struct topo_index *x = t->index;
	size_t lo = 0, hi = x->nby_name;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(x->by_name[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < x->nby_name && !strcmp(x->by_name[lo].name, name))
		return (int)x->by_name[lo].index;
	return -ENOENT;
}

int topo_index_include_all(const struct qdh_topology *t, uint16_t seg, int *iommu)
{
	const struct topo_index *x = t->index;
	size_t lo = 0, hi = x->nall;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->all[mid].segment < seg)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < x->nall && x->all[lo].segment == seg) {
		*iommu = (int)x->all[lo].index;
		return 1;
	}
	return 0;
}
