/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Everything a consumer does with a blob after qdh_check() said yes: this is
 * what the checker promises is safe, so the fuzzers exercise all of it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "qdh/codec.h"
#include "qdh/transport.h"
#include "fuzz.h"

static void walk_view(const struct qdh_view *v)
{
	struct qdh_dev_iter it;
	struct qdh_device_info d, f;
	struct qdh_iommu_info io;
	uint32_t i, k, sid;

	for (i = 0; i < qdh_iommu_count(v); i++)
		if (qdh_get_iommu(v, i, &io) != 0 || io.name == NULL)
			abort();
	if (qdh_get_iommu(v, qdh_iommu_count(v), &io) == 0)
		abort();

	qdh_dev_iter_init(&it, v);
	while (qdh_dev_iter_next(&it, &d) == 1) {
		if (d.is_platform) {
			if (d.name == NULL ||
			    qdh_find_platform(v, d.name, &f) != 0 ||
			    f.index != d.index)
				abort();
		} else if (qdh_find_pci(v, d.segment, d.bus, d.devfn, &f) != 0 ||
			   f.index != d.index) {
			abort();
		}
		for (k = 0; k < d.nsids; k++) {
			if (qdh_device_sid(v, &d, k, &sid) != 0)
				abort();
			/* A StreamID may be shared (aliases): any owner will do. */
			if (d.iommu != QDH_NO_IOMMU &&
			    qdh_find_stream(v, d.iommu, sid, &f) != 0)
				abort();
		}
		(void)qdh_device_sid(v, &d, d.nsids, &sid);
	}
	/* Misses must be clean misses. */
	(void)qdh_find_pci(v, 0xffff, 0xff, 0xff, &f);
	(void)qdh_find_platform(v, "", &f);
	(void)qdh_find_stream(v, 0, 0xffffffffu, &f);
	(void)qdh_get_device(v, qdh_device_count(v), &f);
}

void qdh_fuzz_walk_blob(const void *blob, size_t len)
{
	struct qdh_view v;
	struct json_object *j;

	memset(&v, 0, sizeof(v));
	if (qdh_check(&v, blob, len) != 0) {
		if (v.err_offset > len)
			abort();	/* the fault offset must be inside */
		return;
	}
	walk_view(&v);
	j = qdh_blob_to_json(&v);
	if (j != NULL) {
		/* Render it: strings from the blob go through json-c's escaper. */
		const char *s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
		if (s == NULL)
			abort();
		json_object_put(j);
	}
}
