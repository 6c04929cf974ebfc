/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A walk over a flattened device tree's structure block to run before
 * libfdt's fdt_check_full(), because the libfdt of Debian 12 (1.6.1) has
 * two bugs a hostile tree triggers there (both found by fuzz/fuzz-dtb):
 *  - a property whose length is "negative" (0xfffffff4 = -12) sends
 *    fdt_next_tag() back to the same tag: fdt_check_full() never returns;
 *  - a version < 16 tree whose root node name lacks '/' makes
 *    fdt_get_name() return NULL, which fdt_check_full() dereferences.
 * The walk refuses both (and anything else it cannot step over), so that
 * fdt_check_full() only ever sees trees it terminates on.  Call it after
 * fdt_check_header() succeeded and with totalsize <= len.
 * Returns 0, or -FDT_ERR_BADVERSION / -FDT_ERR_BADSTRUCTURE /
 * -FDT_ERR_TRUNCATED with *at the byte offset (from the start of the tree).
 */
#ifndef QDH_FDT_GUARD_H
#define QDH_FDT_GUARD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <libfdt.h>

static inline uint32_t qdh_fdt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline int qdh_fdt_guard(const void *fdt, size_t len, size_t *at)
{
	const uint8_t *b = (const uint8_t *)fdt;
	size_t pos, end, total = fdt_totalsize(fdt);

	*at = 20;	/* the version field */
	if (fdt_version(fdt) < 16)
		return -FDT_ERR_BADVERSION;
	if (total > len)
		total = len;
	pos = fdt_off_dt_struct(fdt);
	end = fdt_version(fdt) >= 17 ? pos + fdt_size_dt_struct(fdt) : total;
	if (pos > total || end > total || end < pos) {
		*at = 8;	/* off_dt_struct */
		return -FDT_ERR_TRUNCATED;
	}
	for (;;) {
		uint32_t tag, plen;
		const uint8_t *nul;

		*at = pos;
		if (end - pos < 4 || (pos & 3))
			return -FDT_ERR_TRUNCATED;
		tag = qdh_fdt_be32(b + pos);
		switch (tag) {
		case FDT_BEGIN_NODE:
			nul = (const uint8_t *)memchr(b + pos + 4, 0, end - pos - 4);
			if (!nul)
				return -FDT_ERR_TRUNCATED;
			pos = (size_t)(nul - b) + 1;
			pos = (pos + 3) & ~(size_t)3;
			break;
		case FDT_END_NODE:
		case FDT_NOP:
			pos += 4;
			break;
		case FDT_PROP:
			if (end - pos < 12)
				return -FDT_ERR_TRUNCATED;
			plen = qdh_fdt_be32(b + pos + 4);
			if (plen > end - pos - 12) {
				*at = pos + 4;
				return -FDT_ERR_BADSTRUCTURE;
			}
			pos += 12 + (size_t)plen;
			pos = (pos + 3) & ~(size_t)3;
			break;
		case FDT_END:
			return 0;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
		if (pos > end)
			return -FDT_ERR_TRUNCATED;
	}
}

#endif
