// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/bench-blob: the handover blob `qdh apply` is timed with in
 * bench/bench-sysroot.sh.  Scans the sysroot as `qdh scan --encode` does;
 * when the inventory does not fit one blob it keeps the first devices that
 * do (the rest then look hot-plugged to apply, which still has to match
 * them), and says how many.
 *
 * Usage: bench-blob SYSROOT OUT
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qdh/inventory.h"

int main(int argc, char **argv)
{
	struct qdh_log log = { qdh_log_stderr, (void *)"bench-blob", QDH_LOG_ERR };
	struct qdh_scan_opts so = { .mode = QDH_SCAN_CRASH, .log = &log };
	struct qdh_inventory inv;
	struct qdh_sysroot sr;
	uint8_t *blob = NULL;
	size_t len = 0, all;
	FILE *f;
	int r;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-blob SYSROOT OUT\n");
		return 2;
	}
	if (qdh_sysroot_open(&sr, argv[1]) < 0 || qdh_inventory_scan(&sr, &so, &inv) < 0) {
		fprintf(stderr, "bench-blob: cannot scan %s\n", argv[1]);
		return 1;
	}
	all = inv.ndevices;
	while ((r = qdh_inventory_encode(&inv, 1, &blob, &len, NULL)) == -EFBIG &&
	       inv.ndevices > 1)
		inv.ndevices -= inv.ndevices / 8 + 1;
	if (r < 0) {
		fprintf(stderr, "bench-blob: encode: %s\n", strerror(-r));
		return 1;
	}
	fprintf(stderr, "bench-blob: %zu of %zu devices in a %zu-byte blob\n",
		inv.ndevices, all, len);
	inv.ndevices = all;
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
