// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * aarch64 test of the SHA-2 instruction block function the purgatory uses
 * (purgatory/arch/arm64/sha256-ce.S), run under qemu-aarch64-static by
 * test-sha256-ce.sh: FIPS 180-4 vectors, then random buffers, lengths and
 * alignments against the generic code.  "--bench MB" times both.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>

#include "qdh/sha256.h"

void qdh_sha256_blocks_ce(uint32_t state[8], const uint8_t *data, size_t nblocks);

#ifndef HWCAP_SHA2
#define HWCAP_SHA2 (1 << 6)
#endif

static int n, failed;

static void ok(int cond, const char *what)
{
	n++;
	failed += !cond;
	printf("%sok %d - %s\n", cond ? "" : "not ", n, what);
}

static void digest(qdh_sha256_blocks_fn *fn, const void *p, size_t len, uint8_t d[32])
{
	struct qdh_sha256_ctx c;

	qdh_sha256_init_with(&c, fn);
	qdh_sha256_update(&c, p, len);
	qdh_sha256_final(&c, d);
}

static void vector(const char *name, const void *p, size_t len, const char *want)
{
	uint8_t d[32];
	char h[65];

	digest(qdh_sha256_blocks_ce, p, len, d);
	for (int i = 0; i < 32; i++)
		sprintf(h + 2 * i, "%02x", d[i]);
	ok(!strcmp(h, want), name);
	if (strcmp(h, want))
		printf("# got %s\n# want %s\n", h, want);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Best of three: the host may be busy; the best run is the machine's speed. */
static double bench(qdh_sha256_blocks_fn *fn, const uint8_t *buf, size_t len)
{
	uint8_t d[32];
	double best = 0;

	for (int i = 0; i < 3; i++) {
		double t = now(), mbs;

		digest(fn, buf, len, d);
		mbs = len / 1e6 / (now() - t);
		if (mbs > best)
			best = mbs;
	}
	return best;
}

int main(int argc, char **argv)
{
	size_t big = 3u << 20;
	uint8_t *buf, d1[32], d2[32];
	char *mil;
	int same = 1;

	if (!(getauxval(AT_HWCAP) & HWCAP_SHA2)) {
		printf("1..0 # SKIP CPU has no SHA-2 instructions (use -cpu max)\n");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--bench")) {
		size_t len = (size_t)atoi(argv[2]) << 20;

		buf = malloc(len);
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)(i * 131 + (i >> 9));
		printf("sha256 %zu MiB, best of 3: generic %.1f MB/s, sha2-ce %.1f MB/s\n",
		       len >> 20, bench(qdh_sha256_blocks_generic, buf, len),
		       bench(qdh_sha256_blocks_ce, buf, len));
		return 0;
	}

	vector("empty", "", 0,
	       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	vector("abc", "abc", 3,
	       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	vector("448-bit", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	mil = malloc(1000000);
	memset(mil, 'a', 1000000);
	vector("one million 'a'", mil, 1000000,
	       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(mil);

	buf = malloc(big + 64);
	srand(4242);
	for (size_t i = 0; i < big + 64; i++)
		buf[i] = (uint8_t)rand();
	for (int k = 0; k < 200; k++) {
		size_t off = (size_t)rand() % 64;
		size_t len = k < 130 ? (size_t)k : (size_t)rand() % big;

		digest(qdh_sha256_blocks_generic, buf + off, len, d1);
		digest(qdh_sha256_blocks_ce, buf + off, len, d2);
		if (memcmp(d1, d2, 32)) {
			printf("# mismatch at offset %zu length %zu\n", off, len);
			same = 0;
		}
	}
	ok(same, "200 random buffers (lengths 0..129 and up to 3 MiB, any alignment): CE == generic");
	{
		/* Many blocks in one call, the purgatory's pattern. */
		uint32_t s1[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, s2[8];

		memcpy(s2, s1, sizeof(s1));
		qdh_sha256_blocks_generic(s1, buf, big / 64);
		qdh_sha256_blocks_ce(s2, buf, big / 64);
		ok(!memcmp(s1, s2, sizeof(s1)), "block function on 49152 blocks from any state");
		qdh_sha256_blocks_ce(s2, buf, 0);
		ok(!memcmp(s1, s2, sizeof(s1)), "zero blocks leave the state alone");
	}
	free(buf);
	printf("1..%d\n", n);
	return failed != 0;
}
