// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The handover record writer, for purgatory: after qdh_check_body() it
 * fills the header and one entry per IOMMU with qdh_put_le*() through these
 * pointers (never through the struct fields: the blob is little-endian and
 * purgatory runs with the MMU off, where unaligned accesses fault), then
 * qdh_record_seal() recomputes the record's own checksum.  The blob's main
 * crc32 does not cover the record, so it stays valid.
 */
#include "codec-internal.h"

struct qdh_record_header *qdh_record_header(const struct qdh_view *v, void *blob)
{
	return (struct qdh_record_header *)(void *)((uint8_t *)blob +
						    v->offset[QDH_SEC_RECORD]);
}

/* Entry i describes IOMMU i; its iommu field is preset and must be kept. */
struct qdh_record_iommu *qdh_record_entry(const struct qdh_view *v, void *blob,
					  uint32_t i)
{
	uint8_t *r = (uint8_t *)blob + v->offset[QDH_SEC_RECORD];

	if (i >= qdh_le32(r + RECH_(nentries)))
		return NULL;
	return (struct qdh_record_iommu *)(void *)(r + qdh_le16(r + RECH_(header_size)) +
						  (size_t)i * qdh_le16(r + RECH_(entry_size)));
}

void qdh_record_seal(const struct qdh_view *v, void *blob)
{
	uint8_t *r = (uint8_t *)blob + v->offset[QDH_SEC_RECORD];
	uint32_t size = v->count[QDH_SEC_RECORD];

	qdh_put_le32(r + RECH_(crc32), qdh_crc32_skip(r, size, RECH_(crc32)));
}
