// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/sha256.c against the FIPS 180-4 / NIST CAVP example vectors, and
 * against itself across update splits and (un)aligned inputs (the 64-bit
 * load path and the byte path must agree).
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "qdh/sha256.h"

static void hex(const uint8_t *d, char *out)
{
	for (int i = 0; i < QDH_SHA256_DIGEST_SIZE; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void check_vector(const char *name, const void *msg, size_t len,
			 const char *want)
{
	uint8_t d[32];
	char h[65];

	qdh_sha256(msg, len, d);
	hex(d, h);
	tap_is_str(h, want, "%s", name);
}

int main(void)
{
	static const char m448[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char m896[] =
		"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	struct qdh_sha256_ctx ctx;
	uint8_t d[32], d2[32], *buf, *big;
	char h[65];
	size_t n = 100000;
	int i, ok;

	check_vector("empty message", "", 0,
		     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_vector("\"abc\"", "abc", 3,
		     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_vector("448-bit message", m448, strlen(m448),
		     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	check_vector("896-bit message", m896, strlen(m896),
		     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");

	/* One million 'a', fed in odd-sized pieces. */
	buf = malloc(1000000);
	memset(buf, 'a', 1000000);
	qdh_sha256_init(&ctx);
	for (size_t off = 0, step = 1; off < 1000000; off += step, step = step * 3 % 977 + 1)
		qdh_sha256_update(&ctx, buf + off, off + step > 1000000 ? 1000000 - off : step);
	qdh_sha256_final(&ctx, d);
	hex(d, h);
	tap_is_str(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
		   "one million 'a' in uneven updates");
	check_vector("one million 'a' one-shot", buf, 1000000,
		     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(buf);

	/* Padding edges: lengths 55, 56, 63, 64, 65 bytes of 'a' (known values). */
	{
		static const struct { size_t len; const char *d; } e[] = {
			{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
			{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
			{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
			{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
			{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
		};
		char a[65];

		memset(a, 'a', sizeof(a));
		for (i = 0; i < 5; i++) {
			char name[40];

			snprintf(name, sizeof(name), "%zu bytes of 'a'", e[i].len);
			check_vector(name, a, e[i].len, e[i].d);
		}
	}

	/* Aligned (64-bit loads) vs unaligned (byte loads) input, any split. */
	big = malloc(n + 16);
	srand(12345);
	for (size_t k = 0; k < n + 16; k++)
		big[k] = (uint8_t)rand();
	ok = 1;
	for (i = 0; i < 8; i++) {
		uint8_t *src = big + 8 + i;	/* misaligned by i */
		uint8_t *al = malloc(n);	/* 16-aligned copy */

		memcpy(al, src, n);
		qdh_sha256(al, n, d);
		qdh_sha256(src, n, d2);
		ok &= !memcmp(d, d2, 32);
		qdh_sha256_init(&ctx);
		qdh_sha256_update(&ctx, src, 7);
		qdh_sha256_update(&ctx, src + 7, n - 7);
		qdh_sha256_final(&ctx, d2);
		ok &= !memcmp(d, d2, 32);
		free(al);
	}
	tap_ok(ok, "aligned and misaligned inputs and splits agree");

	/* A custom block function is used (and NULL means generic). */
	qdh_sha256_init_with(&ctx, NULL);
	tap_ok(ctx.blocks == qdh_sha256_blocks_generic, "init_with(NULL) picks generic");
	free(big);
	return tap_done();
}
