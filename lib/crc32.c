// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder CRC-32 (bitwise); the codec work replaces it. */
#include "qdh/codec.h"

uint32_t qdh_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
	}
	return ~crc;
}
