// SPDX-License-Identifier: GPL-2.0-or-later
/* The standalone iommu-map parser and RID translation. */
#include "config.h"

#include <errno.h>

#include "qdh/topology.h"
#include "tap.h"

static void be(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int main(void)
{
	uint8_t prop[4 * 16 + 3];
	struct qdh_id_map maps[4];
	uint32_t sid = 0;
	size_t n = 99;
	int iommu = -7, r;

	/* <rid-base phandle sid-base length> x 3 */
	be(prop + 0, 0x0000); be(prop + 4, 0x10); be(prop + 8, 0x10000); be(prop + 12, 0x100);
	be(prop + 16, 0x0100); be(prop + 20, 0x11); be(prop + 24, 0x20000); be(prop + 28, 0x100);
	be(prop + 32, 0xff00); be(prop + 36, 0x10); be(prop + 40, 0xfffffff0); be(prop + 44, 0x100);

	r = qdh_parse_iommu_map(prop, 48, maps, 4, &n);
	tap_ok(r == 0 && n == 3, "three entries parsed (r=%d n=%zu)", r, n);
	tap_ok(maps[1].rid_base == 0x100 && maps[1].phandle == 0x11 &&
	       maps[1].sid_base == 0x20000 && maps[1].length == 0x100 && maps[1].iommu == -1,
	       "entry fields are big-endian cells in binding order");
	maps[0].iommu = 0;
	maps[1].iommu = 1;
	maps[2].iommu = 0;

	tap_ok(qdh_map_rid(maps, n, 0xffffffff, 0x0008, &sid, &iommu) == 1 &&
	       sid == 0x10008 && iommu == 0, "rid 0x08 -> 0x10008 on iommu 0");
	tap_ok(qdh_map_rid(maps, n, 0xffffffff, 0x01ff, &sid, &iommu) == 1 &&
	       sid == 0x200ff && iommu == 1, "last rid of the second range -> 0x200ff on iommu 1");
	tap_is_int(qdh_map_rid(maps, n, 0xffffffff, 0x0200, &sid, &iommu), 0,
		   "rid just past a range is unmapped");
	tap_ok(qdh_map_rid(maps, n, 0xfff8, 0x010f, &sid, &iommu) == 1 && sid == 0x20008,
	       "iommu-map-mask 0xfff8 folds functions: 0x10f -> 0x20008");
	tap_ok(qdh_map_rid(maps, n, 0x0, 0x1234, &sid, &iommu) == 1 && sid == 0x10000,
	       "mask 0 sends every rid to the first entry's base");
	tap_is_int(qdh_map_rid(maps, n, 0xffffffff, 0xff20, &sid, &iommu), 0,
		   "an entry whose output passes 2^32 translates nothing");
	tap_ok(qdh_map_rid(maps, n, 0xffffffff, 0xff0f, &sid, &iommu) == 1 && sid == 0xffffffff,
	       "...but its part below 2^32 does");

	tap_is_int(qdh_parse_iommu_map(prop, 47, maps, 4, &n), -EINVAL,
		   "odd length is -EINVAL");
	tap_is_int(n, 0, "...and returns no entries");
	tap_is_int(qdh_parse_iommu_map(prop, 20, maps, 4, &n), -EINVAL,
		   "one and a quarter entries is -EINVAL");
	tap_ok(qdh_parse_iommu_map(prop, 48, maps, 2, &n) == -ENOSPC && n == 2,
	       "more entries than room: -ENOSPC with the first ones");
	tap_ok(qdh_parse_iommu_map(NULL, 0, NULL, 0, &n) == 0 && n == 0,
	       "empty property: no entries");
	tap_is_int(qdh_map_rid(maps, 0, 0xffffffff, 0, &sid, &iommu), 0,
		   "no entries: unmapped");
	be(prop + 12, 0);
	qdh_parse_iommu_map(prop, 16, maps, 4, &n);
	tap_is_int(qdh_map_rid(maps, n, 0xffffffff, 0, &sid, &iommu), 0,
		   "a zero-length entry maps nothing");
	return tap_done();
}
