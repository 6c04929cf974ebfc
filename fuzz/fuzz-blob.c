/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The blob validator and reader: qdh_check() on raw bytes, then everything
 * a consumer may do with a blob it accepted (iterate, look up, JSON).
 * Also the purgatory's path: qdh_check_body(), the record's writers, seal.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "qdh/codec.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qdh_view v;
	uint8_t *copy;
	uint32_t i;

	qdh_fuzz_walk_blob(data, size);

	/* Purgatory writes into the record of a body-valid blob, then seals. */
	memset(&v, 0, sizeof(v));
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	if (qdh_check_body(&v, copy, size) == 0) {
		struct qdh_record_info r;
		struct qdh_record_iommu_info e;

		/* What purgatory writes: the header, every entry, every STE. */
		qdh_record_get(&v, &r);
		r.flags = QDH_REC_F_PURGATORY_RAN | QDH_REC_F_DIGEST_OK;
		r.bad_segment = 0;
		qdh_record_put(&v, copy, &r);
		for (i = 0; qdh_record_get_iommu(&v, i, &e) == 0; i++) {
			if (i >= v.count[QDH_SEC_IOMMUS])
				abort();
			e.action = QDH_PURG_OBSERVED;
			qdh_record_put_iommu(&v, copy, i, &e);
		}
		for (i = 0; i < r.nstreams; i++)
			if (qdh_record_put_ste(&v, copy, i, QDH_STE_BYPASS) != 0)
				abort();
		qdh_record_seal(&v, copy);
		/* A sealed record must now pass the full check. */
		if (qdh_check(&v, copy, size) != 0)
			abort();
	}
	free(copy);
	return 0;
}
