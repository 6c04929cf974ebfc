// SPDX-License-Identifier: GPL-2.0-or-later
/* Skeleton: no IOMMUs, no mappings (being filled in). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "qdh/topology.h"

struct qdh_topology {
	const struct qdh_log *log;
};

struct qdh_topology *qdh_topology_new(const struct qdh_log *log)
{
	struct qdh_topology *t = calloc(1, sizeof(*t));

	if (t)
		t->log = log;
	return t;
}

int qdh_topology_add_fdt(struct qdh_topology *t, const void *fdt, size_t len)
{ (void)t; (void)fdt; (void)len; return 0; }
int qdh_topology_add_iort(struct qdh_topology *t, const void *buf, size_t len)
{ (void)t; (void)buf; (void)len; return 0; }
int qdh_topology_add_dmar(struct qdh_topology *t, const void *buf, size_t len)
{ (void)t; (void)buf; (void)len; return 0; }
int qdh_topology_add_ivrs(struct qdh_topology *t, const void *buf, size_t len)
{ (void)t; (void)buf; (void)len; return 0; }
int qdh_topology_add_sysfs(struct qdh_topology *t, const struct qdh_sysroot *sr)
{ (void)t; (void)sr; return 0; }
int qdh_topology_finish(struct qdh_topology *t) { (void)t; return 0; }

int qdh_topology_load(const struct qdh_sysroot *sr, const struct qdh_log *log,
		      struct qdh_topology **out)
{
	(void)sr;
	*out = qdh_topology_new(log);
	return *out ? 0 : -ENOMEM;
}

void qdh_topology_free(struct qdh_topology *t) { free(t); }

size_t qdh_topology_iommu_count(const struct qdh_topology *t) { (void)t; return 0; }

const struct qdh_inv_iommu *qdh_topology_iommu(const struct qdh_topology *t, size_t i)
{ (void)t; (void)i; return NULL; }

int qdh_topology_find_by_class(const struct qdh_topology *t, const char *class_name)
{ (void)t; (void)class_name; return -ENOENT; }

int qdh_topology_pci_sids(const struct qdh_topology *t, uint16_t segment,
			  uint16_t rid, int *iommu, uint32_t *sids, unsigned max)
{
	(void)t; (void)segment; (void)rid; (void)sids; (void)max;
	if (iommu)
		*iommu = -1;
	return 0;
}

int qdh_topology_platform_sids(const struct qdh_topology *t, const char *fw_path,
			       int *iommu, uint32_t *sids, unsigned max)
{
	(void)t; (void)fw_path; (void)sids; (void)max;
	if (iommu)
		*iommu = -1;
	return 0;
}

int qdh_parse_iommu_map(const void *prop, size_t len, struct qdh_id_map *maps,
			size_t max, size_t *n)
{ (void)prop; (void)len; (void)maps; (void)max; *n = 0; return 0; }

int qdh_map_rid(const struct qdh_id_map *maps, size_t n, uint32_t mask,
		uint32_t rid, uint32_t *sid, int *iommu)
{ (void)maps; (void)n; (void)mask; (void)rid; (void)sid; (void)iommu; return 0; }
