// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DT transport: put the blob into a tree (with or without /chosen), read
 * it back at the reported data offset, and reject every broken tree
 * (truncated at each length, bad magic, bad structure) with an offset.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include <libfdt.h>

#include "qdh/transport.h"
#include "tap.h"

static uint8_t payload[777];
static uint8_t fdt[16384];

static void test_put_get(void)
{
	struct qdh_locate loc;
	size_t off = 0, off2 = 0, boff, blen;
	const void *b;
	int r, chosen;

	fdt_create_empty_tree(fdt, sizeof(fdt));
	r = qdh_dtb_locate(fdt, fdt_totalsize(fdt), &loc);
	tap_ok(r == -ENOENT, "empty tree: -ENOENT (%s)", loc.fault);
	r = qdh_dtb_put_blob(fdt, sizeof(fdt), payload, sizeof(payload), &off);
	tap_is_int(r, 0, "put into a tree without /chosen");
	tap_ok(!memcmp(fdt + off, payload, sizeof(payload)), "data offset %zu holds the blob", off);
	r = qdh_dtb_locate(fdt, fdt_totalsize(fdt), &loc);
	tap_ok(r == 0 && loc.offset == off && loc.len == sizeof(payload) &&
	       loc.blob == fdt + off, "reader finds it at the writer's offset");
	r = qdh_dtb_find_blob(fdt, fdt_totalsize(fdt), &b, &blen, &boff);
	tap_ok(r == 0 && b == fdt + off && blen == sizeof(payload), "qdh_dtb_find_blob");

	/* Replace with a smaller blob next to other /chosen properties. */
	chosen = fdt_path_offset(fdt, "/chosen");
	fdt_setprop_string(fdt, chosen, "bootargs", "console=ttyAMA0");
	r = qdh_dtb_put_blob(fdt, sizeof(fdt), payload + 1, 100, &off2);
	r |= qdh_dtb_locate(fdt, fdt_totalsize(fdt), &loc);
	tap_ok(r == 0 && loc.len == 100 && loc.offset == off2 &&
	       !memcmp(fdt + off2, payload + 1, 100), "replace the property");
	tap_ok(fdt_getprop(fdt, chosen, "bootargs", NULL) != NULL, "other properties kept");
	fdt_pack(fdt);
	r = qdh_dtb_locate(fdt, fdt_totalsize(fdt), &loc);
	tap_ok(r == 0 && loc.len == 100, "found after fdt_pack");

	fdt_create_empty_tree(fdt, 512);
	tap_is_int(qdh_dtb_put_blob(fdt, 512, payload, sizeof(payload), &off), -ENOSPC,
		   "no room: -ENOSPC");
	tap_is_int(qdh_dtb_put_blob(fdt, sizeof(fdt), payload, 0, &off), -EINVAL,
		   "empty blob: -EINVAL");
	memset(fdt, 0, 64);
	tap_is_int(qdh_dtb_put_blob(fdt, sizeof(fdt), payload, 4, &off), -EINVAL,
		   "not a tree: -EINVAL");
}

static size_t make_tree(void)
{
	size_t off;

	fdt_create_empty_tree(fdt, sizeof(fdt));
	fdt_setprop_string(fdt, 0, "compatible", "linux,dummy-virt");
	qdh_dtb_put_blob(fdt, sizeof(fdt), payload, sizeof(payload), &off);
	fdt_pack(fdt);
	return fdt_totalsize(fdt);
}

static void test_corrupt(void)
{
	struct qdh_locate loc;
	size_t len, i;
	int r, all;

	len = make_tree();
	for (all = 1, i = 0; i < len; i++) {
		uint8_t *cut = malloc(i ? i : 1);

		memcpy(cut, fdt, i);
		if (qdh_dtb_locate(cut, i, &loc) != -EBADMSG)
			all = 0;
		free(cut);
	}
	tap_ok(all, "tree truncated at each of %zu lengths: -EBADMSG", len);
	r = qdh_dtb_locate(fdt, len - 1, &loc);
	tap_ok(r == -EBADMSG && loc.offset == len - 1, "truncated: fault at the end (%s)",
	       loc.fault);

	fdt[0] = 0;
	r = qdh_dtb_locate(fdt, len, &loc);
	tap_ok(r == -EBADMSG && loc.offset == 0, "bad magic: fault at byte 0 (%s)", loc.fault);

	len = make_tree();
	/* The first tag must be FDT_BEGIN_NODE; make it a bogus tag. */
	fdt[fdt_off_dt_struct(fdt) + 3] = 0x77;
	r = qdh_dtb_locate(fdt, len, &loc);
	tap_ok(r == -EBADMSG && loc.offset == fdt_off_dt_struct(fdt),
	       "bad structure block: fault at the structure block (%s)", loc.fault);

	len = make_tree();
	fdt_set_off_dt_strings(fdt, 0xfffff000u);
	r = qdh_dtb_locate(fdt, len, &loc);
	tap_ok(r == -EBADMSG, "strings block outside the tree (%s)", loc.fault);

	/* libfdt 1.6.1's fdt_check_full() crashes on a pre-v16 root node. */
	len = make_tree();
	fdt_set_version(fdt, 15);
	fdt_set_last_comp_version(fdt, 2);
	r = qdh_dtb_locate(fdt, len, &loc);
	tap_ok(r == -EBADMSG && loc.offset == 20, "FDT version 15: refused at the version field (%s)",
	       loc.fault);

	len = make_tree();
	fdt_set_version(fdt, 1);
	r = qdh_dtb_locate(fdt, len, &loc);
	tap_ok(r == -EBADMSG && loc.offset == 20, "FDT version 1: header fault at the version field (%s)",
	       loc.fault);

	len = make_tree();
	r = qdh_dtb_locate(fdt, len + 100, &loc);
	tap_ok(r == 0, "trailing bytes after totalsize are fine");
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 3 + 11);
	test_put_get();
	test_corrupt();
	return tap_done();
}
