// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SHA-256 as specified by FIPS 180-4, sections 4.1.2, 4.2.2, 5.3.3 and 6.2.
 * Freestanding (no libc): compiled for the host into libqdhpurgatory.a and
 * for aarch64 into the purgatory.
 *
 * The purgatory runs with the MMU off, where memory is Device-typed: an
 * unaligned access faults and every access is slow, so the block function
 * reads aligned input with 64-bit loads (half as many accesses as 32-bit
 * words) and falls back to byte loads for unaligned input.
 */
#include "qdh/sha256.h"

/* FIPS 180-4 4.2.2: first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes. */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* FIPS 180-4 5.3.3: initial hash value. */
static const uint32_t H0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* A 64-bit word that may alias the caller's bytes (no strict-aliasing UB). */
typedef uint64_t __attribute__((may_alias, aligned(8))) qdh_u64_alias;

static inline uint32_t ror32(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* The 16 message words of one block, big-endian per FIPS 180-4 3.1. */
static inline void load_block(uint32_t w[16], const uint8_t *p)
{
	int i;

	if (((uintptr_t)p & 7) == 0) {
		const qdh_u64_alias *q = (const qdh_u64_alias *)(const void *)p;

		for (i = 0; i < 8; i++) {
			uint64_t v = q[i];
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			v = __builtin_bswap64(v);
#endif
			w[2 * i] = (uint32_t)(v >> 32);
			w[2 * i + 1] = (uint32_t)v;
		}
		return;
	}
	for (i = 0; i < 16; i++)
		w[i] = load_be32(p + 4 * i);
}

void qdh_sha256_blocks_generic(uint32_t state[8], const uint8_t *data,
			       size_t nblocks)
{
	uint32_t w[64];

	while (nblocks--) {
		uint32_t a, b, c, d, e, f, g, h;
		int t;

		load_block(w, data);
		data += QDH_SHA256_BLOCK_SIZE;
		for (t = 16; t < 64; t++) {
			uint32_t s0 = ror32(w[t - 15], 7) ^ ror32(w[t - 15], 18) ^
				      (w[t - 15] >> 3);
			uint32_t s1 = ror32(w[t - 2], 17) ^ ror32(w[t - 2], 19) ^
				      (w[t - 2] >> 10);

			w[t] = w[t - 16] + s0 + w[t - 7] + s1;
		}
		a = state[0]; b = state[1]; c = state[2]; d = state[3];
		e = state[4]; f = state[5]; g = state[6]; h = state[7];
		for (t = 0; t < 64; t++) {
			uint32_t S1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
			uint32_t ch = (e & f) ^ (~e & g);
			uint32_t t1 = h + S1 + ch + K[t] + w[t];
			uint32_t S0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
			uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
			uint32_t t2 = S0 + maj;

			h = g; g = f; f = e; e = d + t1;
			d = c; c = b; b = a; a = t1 + t2;
		}
		state[0] += a; state[1] += b; state[2] += c; state[3] += d;
		state[4] += e; state[5] += f; state[6] += g; state[7] += h;
	}
}

void qdh_sha256_init_with(struct qdh_sha256_ctx *ctx, qdh_sha256_blocks_fn *fn)
{
	int i;

	for (i = 0; i < 8; i++)
		ctx->state[i] = H0[i];
	ctx->bytes = 0;
	ctx->blocks = fn ? fn : qdh_sha256_blocks_generic;
}

void qdh_sha256_init(struct qdh_sha256_ctx *ctx)
{
	qdh_sha256_init_with(ctx, NULL);
}

void qdh_sha256_update(struct qdh_sha256_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t used = (size_t)(ctx->bytes % QDH_SHA256_BLOCK_SIZE);

	ctx->bytes += len;
	if (used) {
		size_t n = QDH_SHA256_BLOCK_SIZE - used;

		if (n > len)
			n = len;
		for (size_t i = 0; i < n; i++)
			ctx->buf[used + i] = p[i];
		p += n;
		len -= n;
		if (used + n < QDH_SHA256_BLOCK_SIZE)
			return;
		ctx->blocks(ctx->state, ctx->buf, 1);
	}
	if (len >= QDH_SHA256_BLOCK_SIZE) {
		size_t nb = len / QDH_SHA256_BLOCK_SIZE;

		ctx->blocks(ctx->state, p, nb);
		p += nb * QDH_SHA256_BLOCK_SIZE;
		len -= nb * QDH_SHA256_BLOCK_SIZE;
	}
	for (size_t i = 0; i < len; i++)
		ctx->buf[i] = p[i];
}

void qdh_sha256_final(struct qdh_sha256_ctx *ctx,
		      uint8_t digest[QDH_SHA256_DIGEST_SIZE])
{
	/* FIPS 180-4 5.1.1: 0x80, zeros, then the length in bits (64-bit BE). */
	uint64_t bits = ctx->bytes * 8;
	size_t used = (size_t)(ctx->bytes % QDH_SHA256_BLOCK_SIZE);
	int i;

	ctx->buf[used++] = 0x80;
	if (used > QDH_SHA256_BLOCK_SIZE - 8) {
		while (used < QDH_SHA256_BLOCK_SIZE)
			ctx->buf[used++] = 0;
		ctx->blocks(ctx->state, ctx->buf, 1);
		used = 0;
	}
	while (used < QDH_SHA256_BLOCK_SIZE - 8)
		ctx->buf[used++] = 0;
	for (i = 0; i < 8; i++)
		ctx->buf[QDH_SHA256_BLOCK_SIZE - 1 - i] = (uint8_t)(bits >> (8 * i));
	ctx->blocks(ctx->state, ctx->buf, 1);
	for (i = 0; i < 8; i++)
		store_be32(digest + 4 * i, ctx->state[i]);
}

void qdh_sha256(const void *data, size_t len,
		uint8_t digest[QDH_SHA256_DIGEST_SIZE])
{
	struct qdh_sha256_ctx ctx;

	qdh_sha256_init(&ctx);
	qdh_sha256_update(&ctx, data, len);
	qdh_sha256_final(&ctx, digest);
}
