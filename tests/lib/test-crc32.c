// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qdh_crc32() must be zlib's crc32(): the blob's checksum is defined as
 * that, and readers outside this project (python's zlib.crc32, ...) use it.
 * Random inputs of random lengths at random alignments, chained calls,
 * and the standard check value.
 */
#include <zlib.h>
#include "tap.h"
#include "testlib.h"

int main(void)
{
	static uint8_t buf[1 << 17];
	uint64_t s = 42;
	uint32_t bad = 0, bad_chain = 0;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rnd_next(&s);

	tap_is_int(qdh_crc32(0, "123456789", 9), 0xCBF43926u,
		   "check value of \"123456789\" is 0xCBF43926");
	tap_is_int(qdh_crc32(0, NULL, 0), 0, "empty input gives 0");
	tap_is_int(qdh_crc32(0x12345678u, buf, 0), 0x12345678u,
		   "zero length returns the running crc");

	for (int k = 0; k < 3000; k++) {
		size_t off = rnd_below(&s, 64);
		size_t len = k < 100 ? (size_t)k :
			rnd_below(&s, k % 10 ? 300 : (uint32_t)(sizeof(buf) - off));
		uint32_t seed = k % 3 ? (uint32_t)rnd_next(&s) : 0;
		uint32_t want = (uint32_t)crc32(seed, buf + off, (uInt)len);
		size_t cut = len ? rnd_below(&s, (uint32_t)len + 1) : 0;

		if (qdh_crc32(seed, buf + off, len) != want) {
			if (bad++ < 5)
				printf("# off %zu len %zu seed %#x differs\n", off, len, seed);
		}
		if (qdh_crc32(qdh_crc32(seed, buf + off, cut), buf + off + cut,
			      len - cut) != want)
			bad_chain++;
	}
	tap_is_int(bad, 0, "3000 random inputs (lengths 0..128K, offsets 0..63) agree with zlib");
	tap_is_int(bad_chain, 0, "chained at random split points agree with zlib");

	/* Every single-byte value, and long runs of 0x00 and 0xff. */
	bad = 0;
	for (int v = 0; v < 256; v++) {
		uint8_t b = (uint8_t)v;

		if (qdh_crc32(0, &b, 1) != (uint32_t)crc32(0, &b, 1))
			bad++;
	}
	memset(buf, 0xff, 4096);
	if (qdh_crc32(0, buf, 4096) != (uint32_t)crc32(0, buf, 4096))
		bad++;
	memset(buf, 0, 4096);
	if (qdh_crc32(0, buf, 4096) != (uint32_t)crc32(0, buf, 4096))
		bad++;
	tap_is_int(bad, 0, "all 256 single bytes and uniform runs agree with zlib");
	return tap_done();
}
