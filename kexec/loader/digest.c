// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Segment digests.  The loader uses lib/sha256.c, the very code the
 * purgatory checks with, so the two cannot disagree on the algorithm.
 */
#include "config.h"

#include "qdh/loader.h"
#include "qdh/sha256.h"

void qdh_ld_sha256(const void *buf, size_t len, uint8_t out[32])
{
	qdh_sha256(buf, len, out);
}

void qdh_ld_hex(const uint8_t *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}
