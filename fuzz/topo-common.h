/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One firmware table into a fresh topology, merged, then every lookup the
 * scanner makes: the IOMMU list and StreamIDs of a spread of requesters.
 */
#ifndef QDH_FUZZ_TOPO_COMMON_H
#define QDH_FUZZ_TOPO_COMMON_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qdh/topology.h"

typedef int (*topo_add_fn)(struct qdh_topology *t, const void *buf, size_t len);

static inline void fuzz_topology(topo_add_fn add, const uint8_t *data, size_t size)
{
	struct qdh_topology *t = qdh_topology_new(NULL);
	uint32_t sids[QDH_INV_MAX_SIDS];
	static const uint16_t rids[] = { 0x0000, 0x0008, 0x0010, 0x0100, 0x01ff,
					 0x8000, 0xffff };
	size_t i, n;
	int iommu, rc;

	if (t == NULL)
		return;
	rc = add(t, data, size);
	if (rc != 0 && rc != -EBADMSG && rc != -ENOMEM)
		abort();	/* the documented returns only */
	(void)qdh_topology_finish(t);
	n = qdh_topology_iommu_count(t);
	for (i = 0; i < n; i++) {
		const struct qdh_inv_iommu *io = qdh_topology_iommu(t, i);

		if (io == NULL || memchr(io->name, 0, sizeof(io->name)) == NULL ||
		    memchr(io->fw_node, 0, sizeof(io->fw_node)) == NULL)
			abort();
		(void)qdh_topology_find_by_class(t, io->name);
	}
	for (i = 0; i < sizeof(rids) / sizeof(rids[0]); i++) {
		rc = qdh_topology_pci_sids(t, 0, rids[i], &iommu, sids,
					   QDH_INV_MAX_SIDS);
		if (rc > (int)QDH_INV_MAX_SIDS)
			abort();
		if (rc > 0 && (iommu < -1 || (size_t)iommu >= n))
			abort();
		(void)qdh_topology_pci_sids(t, 1, rids[i], &iommu, sids, 1);
	}
	(void)qdh_topology_platform_sids(t, "\\_SB_.ETH0", &iommu, sids,
					 QDH_INV_MAX_SIDS);
	(void)qdh_topology_platform_sids(t, "/soc/ethernet@1000", &iommu, sids,
					 QDH_INV_MAX_SIDS);
	qdh_topology_free(t);
}

#endif
