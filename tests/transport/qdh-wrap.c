// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper (not installed): put a blob file into a container with the
 * transport writers, so the shell tests can feed it to dtc, readelf, cpio
 * and `qdh inspect`.  Prints the blob's byte offset in the output file.
 *
 *   qdh-wrap dtb|elf|elf-sections|initrd BLOB OUT [PREFIX]
 *
 * initrd: PREFIX (e.g. a gzip'd cpio) + zero padding + the appendix.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <libfdt.h>

#include "qdh/transport.h"
#include "mkelf.h"

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(QDH_MAX_BLOB_SIZE * 4);

	if (!f || !buf) {
		perror(path);
		exit(2);
	}
	*len = fread(buf, 1, QDH_MAX_BLOB_SIZE * 4, f);
	fclose(f);
	return buf;
}

static void spill(const char *path, const void *a, size_t alen, const void *b, size_t blen)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(a, 1, alen, f) != alen || (blen && fwrite(b, 1, blen, f) != blen) ||
	    fclose(f)) {
		perror(path);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	size_t blen, off = 0, n;
	uint8_t *blob, *out;
	int r;

	if (argc < 4) {
		fprintf(stderr, "usage: qdh-wrap dtb|elf|elf-sections|initrd BLOB OUT [PREFIX]\n");
		return 2;
	}
	blob = slurp(argv[2], &blen);
	n = blen + 65536;
	out = calloc(1, n + QDH_MAX_BLOB_SIZE * 4);
	if (!out)
		return 2;
	if (!strcmp(argv[1], "dtb")) {
		fdt_create_empty_tree(out, (int)n);
		fdt_setprop_string(out, 0, "compatible", "linux,dummy-virt");
		fdt_setprop_string(out, fdt_add_subnode(out, 0, "chosen"), "bootargs",
				   "console=ttyAMA0");
		r = qdh_dtb_put_blob(out, n, blob, blen, &off);
		fdt_pack(out);
		/* fdt_pack may move the property: ask the reader where it is. */
		if (!r) {
			struct qdh_locate loc;

			r = qdh_dtb_locate(out, fdt_totalsize(out), &loc);
			off = loc.offset;
		}
		n = fdt_totalsize(out);
	} else if (!strcmp(argv[1], "elf") || !strcmp(argv[1], "elf-sections")) {
		uint8_t *area = calloc(1, qdh_elfnote_size(blen) + 256);
		struct mkelf_area a;
		uint32_t prstatus[8] = { 0 };
		size_t alen, aoff, desc;

		alen = mkelf_note(area, "CORE", NT_PRSTATUS, prstatus, sizeof(prstatus));
		r = qdh_elfnote_write(area + alen, qdh_elfnote_size(blen), blob, blen, &desc);
		desc += alen;
		alen += qdh_elfnote_size(blen);
		a = (struct mkelf_area){ area, alen, 4 };
		n = argv[1][3] ? mkelf_sections(out, n, &a, 1, &aoff)
			       : mkelf_core(out, n, &a, 1, &aoff);
		off = aoff + desc;
		free(area);
	} else if (!strcmp(argv[1], "initrd")) {
		size_t plen = 0, clen;
		uint8_t *prefix = argc > 4 ? slurp(argv[4], &plen) : NULL, *cpio;

		r = qdh_initrd_appendix(blob, blen, &cpio, &clen);
		if (!r) {
			struct qdh_locate loc;

			n = plen + qdh_initrd_pad(plen);
			if (plen)
				memcpy(out, prefix, plen);
			memcpy(out + n, cpio, clen);
			n += clen;
			free(cpio);
			r = qdh_initrd_locate(out, n, &loc);
			off = loc.offset;
		}
		free(prefix);
	} else {
		fprintf(stderr, "qdh-wrap: unknown container %s\n", argv[1]);
		return 2;
	}
	if (r || !n) {
		fprintf(stderr, "qdh-wrap: %s failed: %d\n", argv[1], r);
		return 1;
	}
	spill(argv[3], out, n, NULL, 0);
	printf("%zu\n", off);
	free(out);
	free(blob);
	return 0;
}
