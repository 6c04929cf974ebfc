// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gen-crc32-table: prints lib/crc32-table.h, the slice-by-16 tables of the
 * standard CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), computed
 * here from the polynomial.  The table is committed (purgatory and the
 * kernel build lib/ as it is, without a generator step);
 * test-crc32-table.sh runs this and compares, so the committed table is
 * provably this program's output.  Regenerate with
 *   tests/lib/gen-crc32-table > lib/crc32-table.h
 * An argument replaces the polynomial (the test's proof that the table is
 * computed, not copied).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	static uint32_t t[16][256];
	uint32_t poly = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 0xedb88320u;

	/* Row 0: byte i through 8 rounds of the reflected shift register. */
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ poly : c >> 1;
		t[0][i] = c;
	}
	/* Row k: byte i followed by k zero bytes. */
	for (int k = 1; k < 16; k++)
		for (uint32_t i = 0; i < 256; i++)
			t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];

	printf("/* SPDX-License-Identifier: GPL-2.0-or-later */\n"
	       "/*\n"
	       " * CRC-32 (reflected polynomial 0xEDB88320) slice-by-16 tables, generated\n"
	       " * by tests/lib/gen-crc32-table.c (do not edit; test-crc32-table.sh checks\n"
	       " * that this file is its output).\n"
	       " * Row 0: t0[i] = CRC of byte i shifted through 8 zero bits;\n"
	       " * row k: tk[i] = (t(k-1)[i] >> 8) ^ t0[t(k-1)[i] & 0xff], i.e. byte i\n"
	       " * followed by k zero bytes.  tests/lib/test-crc32.c checks the result\n"
	       " * against zlib on random data.\n"
	       " * Constant data so purgatory needs no writable table and no init step.\n"
	       " */\n"
	       "static const uint32_t qdh_crc32_table[16][256] = {\n");
	for (int k = 0; k < 16; k++) {
		printf("\t{\n");
		for (int i = 0; i < 256; i += 4)
			printf("\t\t0x%08xu, 0x%08xu, 0x%08xu, 0x%08xu,\n",
			       t[k][i], t[k][i + 1], t[k][i + 2], t[k][i + 3]);
		printf("\t},\n");
	}
	printf("};\n");
	return ferror(stdout) ? 1 : 0;
}
