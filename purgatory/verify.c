// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Segment integrity: the loader computed each segment's SHA-256 at load
 * time; anything that wrote into the crash kernel's memory since (a stray
 * DMA, a wild pointer of the dying kernel) shows up as a mismatch here.
 */
#include "purg.h"

static int digest_equal(const uint8_t *a, const uint8_t *b)
{
	uint8_t diff = 0;
	int i;

	for (i = 0; i < QDH_SHA256_DIGEST_SIZE; i++)
		diff |= (uint8_t)(a[i] ^ b[i]);
	return diff == 0;
}

uint32_t purg_verify_segments(const struct qdh_purgatory_params *p,
			      qdh_sha256_blocks_fn *blocks_fn, uint32_t *bad)
{
	uint8_t digest[QDH_SHA256_DIGEST_SIZE];
	struct qdh_sha256_ctx ctx;
	uint32_t i;

	*bad = 0;
	if (p->nsegments > QDH_PURGATORY_MAX_SEGMENTS) {
		*bad = QDH_PURGATORY_MAX_SEGMENTS;
		return QDH_REC_F_DIGEST_BAD;
	}
	for (i = 0; i < p->nsegments; i++) {
		const struct qdh_purgatory_segment *s = &p->segments[i];

		qdh_sha256_init_with(&ctx, blocks_fn);
		qdh_sha256_update(&ctx, (const void *)(uintptr_t)s->mem,
				  (size_t)s->len);
		qdh_sha256_final(&ctx, digest);
		if (!digest_equal(digest, s->sha256)) {
			*bad = i;
			return QDH_REC_F_DIGEST_BAD;
		}
	}
	return QDH_REC_F_DIGEST_OK;
}
