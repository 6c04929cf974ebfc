/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Builds small QDH v1 blobs for the purgatory tests, written field by field
 * from include/uapi/qdh.h (independent of the codec under test), with
 * zlib's crc32 as the reference checksum.
 */
#ifndef QDH_TEST_BLOB_FIXTURE_H
#define QDH_TEST_BLOB_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

struct fixture_iommu {
	uint64_t base, size;
	uint8_t type, flags;
	const char *name;
};

/* Writes the blob into buf (cap bytes); returns its size, 0 if too small. */
size_t fixture_blob(uint8_t *buf, size_t cap, const struct fixture_iommu *io,
		    uint32_t n);
/* Offset of the record area in a blob built by fixture_blob(). */
size_t fixture_record_offset(const uint8_t *blob);
/* 1 if the record's crc32 (field taken as zero) matches, else 0. */
int fixture_record_crc_ok(const uint8_t *blob);

#endif
