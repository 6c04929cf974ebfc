// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Placement: a first-fit search over the usable ranges that skips what is
 * already placed.  Inclusive range ends, as /proc/iomem prints them.
 */
#include "config.h"

#include <errno.h>

#include "arm64.h"

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static int try_range(struct arm64_layout *l, const struct qdh_mem_range *r,
		     uint64_t size, uint64_t align, uint64_t no_cross,
		     uint64_t from, uint64_t *addr)
{
	uint64_t a = align_up(from > r->start ? from : r->start, align);
	size_t i;
	int moved = 1;

	while (moved) {
		if (a < r->start || a > r->end || size - 1 > r->end - a)
			return -ENOSPC;
		moved = 0;
		if (no_cross && a / no_cross != (a + size - 1) / no_cross) {
			a = align_up(a + 1, no_cross);
			moved = 1;
			continue;
		}
		for (i = 0; i < l->nused; i++) {
			if (l->used[i].end < a || l->used[i].start > a + size - 1)
				continue;
			a = align_up(l->used[i].end + 1, align);
			moved = 1;
			break;
		}
	}
	*addr = a;
	return 0;
}

int arm64_place(struct arm64_layout *l, uint64_t size, uint64_t align,
		uint64_t no_cross, uint64_t hint, uint64_t *addr)
{
	size_t i, pass;

	if (!size || !align || (align & (align - 1)) || l->nused >= QDH_LD_MAX_SEGMENTS)
		return -EINVAL;
	if (no_cross && size > no_cross)
		return -ENOSPC;
	/* First at or above the hint (keeps segments together), then anywhere. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < l->npool; i++) {
			if (pass == 0 && l->pool[i].end < hint)
				continue;
			if (try_range(l, &l->pool[i], size, align, no_cross,
				      pass == 0 ? hint : 0, addr) == 0) {
				l->used[l->nused].start = *addr;
				l->used[l->nused].end = *addr + size - 1;
				l->nused++;
				return 0;
			}
		}
	}
	return -ENOSPC;
}
