/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Everything a consumer does with a blob after qdh_check() said yes: this is
 * what the checker promises is safe, so the fuzzers exercise all of it.
 */
#include "config.h"

#include <stddef.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "qdh/codec.h"
#include "qdh/transport.h"
#include "fuzz.h"

/* The record: every entry and stream, each stream found where it is. */
static void walk_record(const struct qdh_view *v)
{
	struct qdh_record_info r;
	struct qdh_record_iommu_info e;
	struct qdh_record_stream_info s;
	uint64_t us;
	uint32_t i, at;

	qdh_record_get(v, &r);
	if (r.nentries != qdh_iommu_count(v))
		abort();
	for (i = 0; i < r.nentries; i++)
		if (qdh_record_get_iommu(v, i, &e) != 0 || e.iommu != i)
			abort();
	for (i = 0; i < r.nstreams; i++)
		if (qdh_record_get_stream(v, i, &s) != 0 || s.ste > QDH_STE_MAX ||
		    qdh_record_find_stream(v, s.iommu, s.sid, &at) != 0 || at != i)
			abort();
	if (qdh_record_get_stream(v, r.nstreams, &s) == 0 ||
	    qdh_record_get_iommu(v, r.nentries, &e) == 0)
		abort();
	(void)qdh_record_elapsed_us(&r, &us);
}

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
		} else if (qdh_find_pci(v, d.domain, d.bus, d.devfn, &f) != 0 ||
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
		/* A wide function's requester is a PCI function of the table. */
		if (d.is_wide && d.requester != QDH_NO_REQUESTER &&
		    (qdh_get_device(v, d.requester, &f) != 0 || f.is_wide ||
		     f.is_platform || f.iommu != d.iommu))
			abort();
		if (!d.is_wide && !d.is_platform) {
			uint32_t pos = 0;

			while (qdh_find_behind(v, d.index, &pos, &f) == 1)
				if (!f.is_wide || f.requester != d.index)
					abort();
		}
	}
	walk_record(v);
	/* Misses must be clean misses. */
	(void)qdh_find_pci(v, 0xffff, 0xff, 0xff, &f);
	(void)qdh_find_pci(v, 0xffffffffu, 0xff, 0xff, &f);
	(void)qdh_find_platform(v, "", &f);
	(void)qdh_find_stream(v, 0, 0xffffffffu, &f);
	(void)qdh_get_device(v, qdh_device_count(v), &f);
}

/*
 * Random mutations almost never keep a CRC-32 right, so the checks behind
 * the checksum would go untested: a copy with both checksums recomputed
 * gets past them.  The record's is found only if its descriptor is sane.
 */
void qdh_fuzz_reseal(uint8_t *b, size_t len)
{
	size_t crc_at = offsetof(struct qdh_header, crc32);
	size_t rec_desc = offsetof(struct qdh_header, sections) +
			  QDH_SEC_RECORD * sizeof(struct qdh_section);
	size_t rcrc_at = offsetof(struct qdh_record_header, crc32);
	uint32_t checked, roff, rsize;

	if (len < offsetof(struct qdh_header, sections) +
		  QDH_NR_SECTIONS_V1_0 * sizeof(struct qdh_section))
		return;
	roff = qdh_le32(b + rec_desc + offsetof(struct qdh_section, offset));
	rsize = qdh_le32(b + rec_desc + offsetof(struct qdh_section, size));
	if (roff < len && rsize >= rcrc_at + 4 && rsize <= len - roff) {
		qdh_put_le32(b + roff + rcrc_at, 0);
		qdh_put_le32(b + roff + rcrc_at, qdh_crc32(0, b + roff, rsize));
	}
	checked = qdh_le32(b + offsetof(struct qdh_header, checked_size));
	if (checked < crc_at + 4 || checked > len)
		return;
	qdh_put_le32(b + crc_at, 0);
	qdh_put_le32(b + crc_at, qdh_crc32(0, b, checked));
}

static void walk_one(const void *blob, size_t len)
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

void qdh_fuzz_walk_blob(const void *blob, size_t len)
{
	uint8_t *copy;

	walk_one(blob, len);
	copy = malloc(len ? len : 1);
	if (copy == NULL)
		return;
	memcpy(copy, blob, len);
	qdh_fuzz_reseal(copy, len);
	walk_one(copy, len);
	free(copy);
}

void qdh_fuzz_check_locate(int rc, const struct qdh_locate *loc, size_t size)
{
	if (rc == 0) {
		if (loc->offset > size || loc->len > size - loc->offset)
			abort();	/* the blob must lie inside the container */
		qdh_fuzz_walk_blob(loc->blob, loc->len);
	} else if ((rc == -EBADMSG || rc == -ENOENT) && loc->fault == NULL) {
		abort();		/* every refusal says why */
	}
}
