// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Deterministic mutation fuzzing of the three container readers and
 * detection (run it under --enable-sanitizers): flip, overwrite, truncate
 * and splice valid containers; a reader must return 0, -ENOENT or -EBADMSG
 * and, on success, a blob that lies inside the buffer.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include <libfdt.h>

#include "qdh/transport.h"
#include "mkelf.h"
#include "tap.h"

#define ROUNDS 20000

static uint64_t seed = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return (uint32_t)((seed * 0x2545F4914F6CDD1Dull) >> 33) % n;
}

typedef int (*locator)(const void *, size_t, struct qdh_locate *);

static int fuzz(const char *what, locator fn, const uint8_t *orig, size_t len)
{
	uint8_t *buf = malloc(len + 64);
	int bad = 0, i;

	for (i = 0; i < ROUNDS && !bad; i++) {
		struct qdh_locate loc;
		size_t n = len, k, edits = 1 + rnd(4);
		int r;

		memcpy(buf, orig, len);
		for (k = 0; k < edits; k++) {
			size_t at = rnd((uint32_t)n);

			switch (rnd(5)) {
			case 0: buf[at] ^= (uint8_t)(1u << rnd(8)); break;
			case 1: buf[at] = (uint8_t)rnd(256); break;
			case 2: memset(buf + at, 0xff, n - at < 4 ? n - at : 4); break;
			case 3: n = at + 1; break;			/* truncate */
			case 4: buf[at] = "0123456789abcdefgX!"[rnd(19)]; break;
			}
		}
		/* Exact-size copy so that any overread hits the sanitizer. */
		{
			uint8_t *exact = malloc(n);

			memcpy(exact, buf, n);
			r = fn(exact, n, &loc);
			if (r != 0 && r != -ENOENT && r != -EBADMSG && r != -EFBIG)
				bad = 1;
			if (r == 0 && (loc.blob < exact || loc.offset > n ||
				       loc.len > n - loc.offset || loc.blob != exact + loc.offset))
				bad = 1;
			if (r && !loc.fault)
				bad = 1;
			(void)qdh_detect_container(exact, n);
			free(exact);
		}
	}
	free(buf);
	return tap_ok(!bad, "%s: %d mutated containers, sane results", what, i);
}

int main(void)
{
	static uint8_t blob[600], fdt[4096], core[8192], area[2048];
	struct mkelf_area a;
	size_t i, n, aoff, clen;
	uint8_t *cpio, *initrd;

	for (i = 0; i < sizeof(blob); i++)
		blob[i] = (uint8_t)(i * 31);
	memcpy(blob, "QDHB", 4);

	fdt_create_empty_tree(fdt, sizeof(fdt));
	qdh_dtb_put_blob(fdt, sizeof(fdt), blob, sizeof(blob), NULL);
	fdt_pack(fdt);
	fuzz("dtb", qdh_dtb_locate, fdt, fdt_totalsize(fdt));

	n = mkelf_note(area, "CORE", NT_PRSTATUS, "0123456789abcdef", 16);
	qdh_elfnote_write(area + n, sizeof(area) - n, blob, sizeof(blob), NULL);
	a = (struct mkelf_area){ area, n + qdh_elfnote_size(sizeof(blob)), 4 };
	fuzz("elf core", qdh_elf_locate, core, mkelf_core(core, sizeof(core), &a, 1, &aoff));
	fuzz("elf sections", qdh_elf_locate, core,
	     mkelf_sections(core, sizeof(core), &a, 1, &aoff));

	qdh_initrd_appendix(blob, sizeof(blob), &cpio, &clen);
	initrd = malloc(1024 + clen);
	for (i = 0; i < 1024; i++)
		initrd[i] = (uint8_t)rnd(256);
	memcpy(initrd, "\x1f\x8b", 2);
	memcpy(initrd + 512, "070701", 6);
	memcpy(initrd + 1024, cpio, clen);
	fuzz("initrd", qdh_initrd_locate, initrd, 1024 + clen);
	fuzz("bare appendix", qdh_initrd_locate, cpio, clen);
	free(cpio);
	free(initrd);
	return tap_done();
}
