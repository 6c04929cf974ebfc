// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DT PCI "iommu-map" property (Documentation/devicetree/bindings/pci/
 * pci-iommu.txt): a list of (rid-base, iommu phandle, iommu-base, length)
 * with a one-cell IOMMU specifier, plus "iommu-map-mask" applied to the RID
 * before matching.  Pure functions so tests and fuzzers can drive them.
 */
#include "config.h"

#include <errno.h>

#include "qdh/topology.h"

#define IOMMU_MAP_CELLS	4

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * -EINVAL: the length is not a whole number of entries (the property is
 * malformed; nothing is returned).  -ENOSPC: more than max entries (the
 * first max are returned).  *n gets the number of entries written.
 */
int qdh_parse_iommu_map(const void *prop, size_t len, struct qdh_id_map *maps,
			size_t max, size_t *n)
{
	const uint8_t *p = prop;
	size_t count, i;

	if (!n)
		return -EINVAL;
	*n = 0;
	if (len && !prop)
		return -EINVAL;
	if (len % (IOMMU_MAP_CELLS * 4))
		return -EINVAL;
	count = len / (IOMMU_MAP_CELLS * 4);
	if (count && !maps)
		return -EINVAL;
	for (i = 0; i < count && i < max; i++, p += IOMMU_MAP_CELLS * 4) {
		maps[i].rid_base = be32_at(p);
		maps[i].phandle = be32_at(p + 4);
		maps[i].sid_base = be32_at(p + 8);
		maps[i].length = be32_at(p + 12);
		maps[i].iommu = -1;
	}
	*n = i;
	return count > max ? -ENOSPC : 0;
}

/*
 * The first entry whose [rid_base, rid_base + length) holds rid & mask
 * translates it (the kernel's of_map_id() order).  An entry whose output
 * would pass 2^32 translates nothing.  Returns 1 if mapped, 0 if not.
 */
int qdh_map_rid(const struct qdh_id_map *maps, size_t n, uint32_t mask,
		uint32_t rid, uint32_t *sid, int *iommu)
{
	uint32_t in = rid & mask;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t off;

		if (in < maps[i].rid_base)
			continue;
		off = (uint64_t)in - maps[i].rid_base;
		if (off >= maps[i].length)
			continue;
		if ((uint64_t)maps[i].sid_base + off > UINT32_MAX)
			continue;
		if (sid)
			*sid = maps[i].sid_base + (uint32_t)off;
		if (iommu)
			*iommu = maps[i].iommu;
		return 1;
	}
	return 0;
}
