/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 (FIPS 180-4).  Freestanding: no libc, no allocation.  The same
 * code computes segment digests in the loader (host) and checks them in the
 * purgatory, so the two can never disagree about the algorithm.
 *
 * The block function is pluggable: the purgatory passes the ARMv8 SHA-2
 * instruction version when the CPU has it (purgatory/arch/arm64/).
 */
#ifndef QDH_SHA256_H
#define QDH_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define QDH_SHA256_DIGEST_SIZE	32
#define QDH_SHA256_BLOCK_SIZE	64

/*
 * Compress nblocks 64-byte blocks at data into state.  data has no
 * alignment requirement.
 */
typedef void qdh_sha256_blocks_fn(uint32_t state[8], const uint8_t *data,
				  size_t nblocks);

struct qdh_sha256_ctx {
	uint32_t state[8];
	uint64_t bytes;			/* message length so far */
	uint8_t buf[QDH_SHA256_BLOCK_SIZE] __attribute__((aligned(16)));
	qdh_sha256_blocks_fn *blocks;	/* never NULL after init */
};

/* The portable block function (64-bit loads where the data is aligned). */
void qdh_sha256_blocks_generic(uint32_t state[8], const uint8_t *data,
			       size_t nblocks);

void qdh_sha256_init(struct qdh_sha256_ctx *ctx);
/* Same, with a chosen block function (NULL: the generic one). */
void qdh_sha256_init_with(struct qdh_sha256_ctx *ctx, qdh_sha256_blocks_fn *fn);
void qdh_sha256_update(struct qdh_sha256_ctx *ctx, const void *data, size_t len);
void qdh_sha256_final(struct qdh_sha256_ctx *ctx,
		      uint8_t digest[QDH_SHA256_DIGEST_SIZE]);

/* One-shot digest of len bytes. */
void qdh_sha256(const void *data, size_t len,
		uint8_t digest[QDH_SHA256_DIGEST_SIZE]);

#endif /* QDH_SHA256_H */
