/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 block function with the ARMv8 Cryptographic Extension
 * (SHA256H, SHA256H2, SHA256SU0, SHA256SU1; Arm ARM DDI 0487, C7.2).
 *
 * void qdh_sha256_blocks_ce(uint32_t state[8], const uint8_t *data,
 *                           size_t nblocks);
 *
 * The only file of the purgatory that uses SIMD registers: the caller
 * makes sure FP/SIMD is not trapped (purgatory/main.c).  Of the
 * callee-saved d8-d15 only d8/d9 are used, and pushed.  With the MMU off
 * (Device memory) an unaligned access faults: see the load below.
 */
	.arch	armv8-a+crypto

	/* K[0..63] (FIPS 180-4, 4.2.2), one 4-word vector per quad-round. */
	.section .rodata.qdh_sha256_ce_k, "a"
	.balign	16
.Lk:
	.word	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5
	.word	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
	.word	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3
	.word	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
	.word	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc
	.word	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
	.word	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7
	.word	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
	.word	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13
	.word	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
	.word	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3
	.word	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
	.word	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5
	.word	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
	.word	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208
	.word	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2

/*
 * Registers: v0 = ABCD, v1 = EFGH, v2 = ABCD before a quad-round (SHA256H2
 * needs it after SHA256H changed v0), v3 = W + K, v4-v7 = message schedule,
 * v8/v9 = state at block start (feed-forward), v16-v31 = K vectors.
 */
	.text
	.globl	qdh_sha256_blocks_ce
	.type	qdh_sha256_blocks_ce, %function
qdh_sha256_blocks_ce:
	cbz	x2, 9f
	adrp	x8, .Lk
	add	x8, x8, :lo12:.Lk
	ld1	{v16.4s-v19.4s}, [x8], #64
	ld1	{v20.4s-v23.4s}, [x8], #64
	ld1	{v24.4s-v27.4s}, [x8], #64
	ld1	{v28.4s-v31.4s}, [x8]
	ld1	{v0.4s, v1.4s}, [x0]
	/* d8/d9 hold the feed-forward copy: save their low halves (AAPCS64). */
	stp	d8, d9, [sp, #-16]!

	/*
	 * 16-byte aligned input (segments are page aligned): two ldp of
	 * q registers, four 128-bit accesses per block.  Else byte-element
	 * ld1, which cannot fault on alignment but is 64 accesses (slow in
	 * QEMU's system emulation, where each one is a softmmu lookup).
	 */
1:	tst	x1, #15
	b.ne	2f
	ldp	q4, q5, [x1]
	ldp	q6, q7, [x1, #32]
	add	x1, x1, #64
	b	3f
2:	ld1	{v4.16b-v7.16b}, [x1], #64
3:	rev32	v4.16b, v4.16b
	rev32	v5.16b, v5.16b
	rev32	v6.16b, v6.16b
	rev32	v7.16b, v7.16b
	mov	v8.16b, v0.16b
	mov	v9.16b, v1.16b

	/* One quad-round with schedule update: w = m0 + k; m0 = next words. */
	.macro	qround_s m0, m1, m2, m3, k
	add	v3.4s, \m0\().4s, \k\().4s
	sha256su0 \m0\().4s, \m1\().4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v3.4s
	sha256h2 q1, q2, v3.4s
	sha256su1 \m0\().4s, \m2\().4s, \m3\().4s
	.endm
	/* The last four quad-rounds need no more schedule. */
	.macro	qround m0, k
	add	v3.4s, \m0\().4s, \k\().4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v3.4s
	sha256h2 q1, q2, v3.4s
	.endm

	qround_s v4, v5, v6, v7, v16
	qround_s v5, v6, v7, v4, v17
	qround_s v6, v7, v4, v5, v18
	qround_s v7, v4, v5, v6, v19
	qround_s v4, v5, v6, v7, v20
	qround_s v5, v6, v7, v4, v21
	qround_s v6, v7, v4, v5, v22
	qround_s v7, v4, v5, v6, v23
	qround_s v4, v5, v6, v7, v24
	qround_s v5, v6, v7, v4, v25
	qround_s v6, v7, v4, v5, v26
	qround_s v7, v4, v5, v6, v27
	qround	v4, v28
	qround	v5, v29
	qround	v6, v30
	qround	v7, v31

	add	v0.4s, v0.4s, v8.4s
	add	v1.4s, v1.4s, v9.4s
	subs	x2, x2, #1
	b.ne	1b

	st1	{v0.4s, v1.4s}, [x0]
	ldp	d8, d9, [sp], #16
9:	ret
	.size	qdh_sha256_blocks_ce, . - qdh_sha256_blocks_ce
