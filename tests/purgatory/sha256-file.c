// SPDX-License-Identifier: GPL-2.0-or-later
/* Test helper: prints "DIGEST  FILE" per file, like sha256sum, with lib/sha256.c. */
#include <stdio.h>

#include "qdh/sha256.h"

int main(int argc, char **argv)
{
	static uint8_t buf[65537];	/* odd size: exercises partial blocks */

	for (int i = 1; i < argc; i++) {
		struct qdh_sha256_ctx ctx;
		uint8_t d[QDH_SHA256_DIGEST_SIZE];
		FILE *f = fopen(argv[i], "rb");
		size_t n;

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		qdh_sha256_init(&ctx);
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			qdh_sha256_update(&ctx, buf, n);
		fclose(f);
		qdh_sha256_final(&ctx, d);
		for (int k = 0; k < QDH_SHA256_DIGEST_SIZE; k++)
			printf("%02x", d[k]);
		printf("  %s\n", argv[i]);
	}
	return 0;
}
