/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A DT iommu-map property value and iommu-map-mask: the first 8 bytes are
 * the mask and a RID, the rest the property.  Every RID the maps produce
 * must come from a map entry that covers the masked RID.
 */
#include "config.h"

#include <stdlib.h>

#include "qdh/codec.h"
#include "qdh/topology.h"
#include "fuzz.h"

#define MAXMAPS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qdh_id_map maps[MAXMAPS];
	uint32_t mask, rid, sid;
	size_t n = 0, i;
	int iommu, rc;

	if (size < 8)
		return 0;
	mask = qdh_le32(data);
	rid = qdh_le32(data + 4);
	rc = qdh_parse_iommu_map(data + 8, size - 8, maps, MAXMAPS, &n);
	if (rc != 0)
		return 0;
	if (n > MAXMAPS)
		abort();
	rc = qdh_map_rid(maps, n, mask, rid, &sid, &iommu);
	if (rc == 1) {
		for (i = 0; i < n; i++) {
			uint32_t r = rid & mask;

			if (r >= maps[i].rid_base &&
			    r - maps[i].rid_base < maps[i].length &&
			    sid == maps[i].sid_base + (r - maps[i].rid_base))
				break;
		}
		if (i == n)
			abort();	/* a StreamID no map entry explains */
	}
	/* Every map's first and last RID, with and without the mask. */
	for (i = 0; i < n; i++) {
		(void)qdh_map_rid(maps, n, 0xffffffffu, maps[i].rid_base, &sid, &iommu);
		(void)qdh_map_rid(maps, n, mask, maps[i].rid_base + maps[i].length - 1,
				  &sid, &iommu);
	}
	return 0;
}
