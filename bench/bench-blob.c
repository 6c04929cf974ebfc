// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/bench-blob: the encode half of bench/bench-sysroot.sh, and the
 * blob `qdh apply` is timed with there.
 *
 * Scans the sysroot as `qdh scan --encode` does, then encodes the
 * inventory.  A blob holds at most 2 MiB, about 87,350 devices
 * (doc/abi.md, "A full PCI segment, and past it"): `qdh scan --encode`
 * refuses a larger inventory, and a real machine of 100,000 functions
 * loads without a handover.  To still time encode and apply at that size,
 * this keeps the largest prefix of the inventory (whole segments first, in
 * the blob's order) that fits, found by bisection, and says how many; the
 * rest look hot-plugged to apply, which still has to match and decide
 * them.
 *
 * Prints (stdout) the encode time of what fits, best of 7, against the
 * peer, zlib's crc32() over the same blob (any encoder writes every byte
 * once: the memory-bandwidth floor), measured in the same run; the last
 * line is machine-readable for the script:
 *   encode DEVICES ALL BYTES ENCODE_S CRC32_S
 *
 * Usage: bench-blob SYSROOT OUT
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "qdh/inventory.h"

#define RUNS	7

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Encode the first n devices; 0, -EFBIG, or another -errno. */
static int encode_first(struct qdh_inventory *inv, size_t n, uint8_t **blob, size_t *len)
{
	size_t all = inv->ndevices;
	int r;

	free(*blob);
	*blob = NULL;
	inv->ndevices = n;
	r = qdh_inventory_encode(inv, 1, blob, len, NULL);
	inv->ndevices = all;
	return r;
}

int main(int argc, char **argv)
{
	struct qdh_log log = { qdh_log_stderr, (void *)"bench-blob", QDH_LOG_ERR };
	struct qdh_scan_opts so = { .mode = QDH_SCAN_CRASH, .log = &log };
	struct qdh_inventory inv;
	struct qdh_sysroot sr;
	uint8_t *blob = NULL;
	size_t len = 0, lo, hi, fit;
	double enc = 1e9, crc = 1e9, t;
	volatile uLong sink = 0;
	FILE *f;
	int r, i;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-blob SYSROOT OUT\n");
		return 2;
	}
	if (qdh_sysroot_open(&sr, argv[1]) < 0 || qdh_inventory_scan(&sr, &so, &inv) < 0) {
		fprintf(stderr, "bench-blob: cannot scan %s\n", argv[1]);
		return 1;
	}
	/* The largest n whose prefix fits: lo fits (or is 0), hi does not. */
	r = encode_first(&inv, inv.ndevices, &blob, &len);
	if (r == 0) {
		fit = inv.ndevices;
	} else if (r == -EFBIG) {
		lo = 0;
		hi = inv.ndevices;
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;

			r = encode_first(&inv, mid, &blob, &len);
			if (r == 0)
				lo = mid;
			else if (r == -EFBIG)
				hi = mid;
			else
				break;
		}
		fit = lo;
	} else {
		fit = 0;
	}
	if ((r < 0 && r != -EFBIG) || fit == 0) {
		fprintf(stderr, "bench-blob: encode: %s\n", strerror(r < 0 ? -r : EFBIG));
		return 1;
	}
	for (i = 0; i < RUNS; i++) {
		t = now_s();
		r = encode_first(&inv, fit, &blob, &len);
		t = now_s() - t;
		if (r < 0) {
			fprintf(stderr, "bench-blob: encode: %s\n", strerror(-r));
			return 1;
		}
		if (t < enc)
			enc = t;
		t = now_s();
		sink += crc32(0L, blob, (uInt)len);
		t = now_s() - t;
		if (t < crc)
			crc = t;
	}
	(void)sink;
	if (fit < inv.ndevices)
		printf("%zu of %zu devices fit one blob (2 MiB, doc/abi.md); the rest look hot-plugged to apply\n",
		       fit, inv.ndevices);
	printf("encode %zu devices: %.3f ms (%.1f ns/device), %zu bytes; peer zlib crc32 of the blob %.3f ms\n",
	       fit, enc * 1e3, enc * 1e9 / (double)fit, len, crc * 1e3);
	printf("encode %zu %zu %zu %.9f %.9f\n", fit, inv.ndevices, len, enc, crc);
	f = fopen(argv[2], "wb");
	if (!f || fwrite(blob, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "bench-blob: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	free(blob);
	qdh_inventory_free(&inv);
	qdh_sysroot_close(&sr);
	return 0;
}
