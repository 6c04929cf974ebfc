// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Standard CRC-32 (IEEE 802.3, reflected, as zlib's crc32()), slice-by-8.
 *
 * Eight table lookups per 8 bytes instead of one per byte: validating a
 * 2 MiB blob is dominated by this loop.  Input words are assembled from
 * bytes, so the result does not depend on the CPU's endianness, and the
 * pointer is first brought to an 8-byte boundary so that a compiler that
 * merges the byte loads emits aligned loads (purgatory runs with the MMU
 * off, where unaligned accesses fault).
 */
#include "codec-internal.h"
#include "crc32-table.h"

uint32_t qdh_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = (const uint8_t *)buf;

	crc = ~crc;
	while (len && ((uintptr_t)p & 7)) {
		crc = qdh_crc32_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
		len--;
	}
	while (len >= 8) {
		uint32_t lo = qdh_le32(p) ^ crc;
		uint32_t hi = qdh_le32(p + 4);

		crc = qdh_crc32_table[7][lo & 0xff] ^
		      qdh_crc32_table[6][(lo >> 8) & 0xff] ^
		      qdh_crc32_table[5][(lo >> 16) & 0xff] ^
		      qdh_crc32_table[4][lo >> 24] ^
		      qdh_crc32_table[3][hi & 0xff] ^
		      qdh_crc32_table[2][(hi >> 8) & 0xff] ^
		      qdh_crc32_table[1][(hi >> 16) & 0xff] ^
		      qdh_crc32_table[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = qdh_crc32_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

uint32_t qdh_crc32_skip(const uint8_t *buf, size_t len, size_t field)
{
	static const uint8_t zero[4];
	uint32_t crc = qdh_crc32(0, buf, field);

	crc = qdh_crc32(crc, zero, sizeof(zero));
	return qdh_crc32(crc, buf + field + 4, len - field - 4);
}
