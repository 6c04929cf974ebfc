// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which streams the record's stream table (v1.1) lists: see
 * qdh_stream_walk in codec-internal.h.  Linear in the (device, StreamID)
 * pairs: the runs already hold them in (iommu, StreamID) order.
 */
#include "codec-internal.h"

int qdh_stream_walk_next(struct qdh_stream_walk *w, uint16_t *iommu,
			 uint32_t *sid, int *eligible)
{
	int have = 0;

	*eligible = 0;
	while (w->run < w->nruns) {
		const uint8_t *r = w->runs + (size_t)w->run * w->run_es;
		uint16_t ri = qdh_le16(r + RUN_(iommu));
		uint32_t dev = qdh_le32(r + RUN_(device)) + w->k;
		const uint8_t *d = w->devs + (size_t)dev * w->dev_es;
		const uint8_t *m = w->iommus + (size_t)ri * w->iommu_es;
		uint32_t s = qdh_le32(d + DEV_(sid));

		if (d[DEV_(nsids)] > 1)
			s = qdh_le32(w->pool + (size_t)(s + r[RUN_(sid_slot)]) * 4);
		/* Aliases: one stream, several devices, consecutive runs. */
		if (have && (ri != *iommu || s != *sid))
			return 1;
		have = 1;
		*iommu = ri;
		*sid = s;
		*eligible |= m[IOM_(type)] == QDH_IOMMU_SMMUV3 &&
			     qdh_state_active(d[DEV_(state)]);
		if (++w->k == qdh_le32(r + RUN_(count))) {
			w->run++;
			w->k = 0;
		}
	}
	return have;
}
