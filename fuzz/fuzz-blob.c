/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The blob validator and reader: qdh_check() on raw bytes, then everything
 * a consumer may do with a blob it accepted (iterate, look up, JSON).
 * Also the purgatory's path: qdh_check_body(), record entries, seal.
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
		if (qdh_record_header(&v, copy) != NULL) {
			for (i = 0; qdh_record_entry(&v, copy, i) != NULL; i++)
				if (i > v.count[QDH_SEC_IOMMUS])
					abort();
			qdh_record_seal(&v, copy);
			/* A sealed record must now pass the full check. */
			if (qdh_check(&v, copy, size) != 0)
				abort();
		}
	}
	free(copy);
	return 0;
}
