// SPDX-License-Identifier: GPL-2.0-or-later
/* The one growth policy of growable arrays (include/qdh/array.h). */
#include "config.h"

#include <stdint.h>

#include "qdh/array.h"
#include "tap.h"

int main(void)
{
	size_t cap = 0, n, grew = 0, bad_cap;
	uint32_t *v = NULL, *p;
	int ok = 1;

	/* 100,000 appends: every element kept, the array doubling from 16 */
	for (n = 0; n < 100000; n++) {
		size_t before = cap;

		p = qdh_array_room(v, &cap, n, sizeof(*v), 16);
		if (!p) {
			ok = 0;
			break;
		}
		v = p;
		if (cap != before) {
			grew++;
			if (cap != (before ? before * 2 : 16))
				ok = 0;
		}
		v[n] = (uint32_t)n * 2654435761u;
	}
	tap_ok(ok && n == 100000, "100,000 appends, each growth doubling from 16");
	tap_is_int(grew, 14, "14 reallocations for 100,000 elements (16 << 13 = 131,072)");
	for (ok = 1, n = 0; n < 100000; n++)
		if (v[n] != (uint32_t)n * 2654435761u)
			ok = 0;
	tap_ok(ok, "every element survives the reallocations");
	p = qdh_array_room(v, &cap, 99999, sizeof(*v), 16);
	tap_ok(p == v && cap == 131072, "room left: the same array, the same capacity");
	free(v);

	/* sizes that would overflow are refused, the array left as it was */
	v = malloc(4 * sizeof(*v));
	bad_cap = SIZE_MAX / 2 + 1;
	cap = bad_cap;
	tap_ok(!qdh_array_room(v, &cap, cap, sizeof(*v), 16) && cap == bad_cap,
	       "doubling past SIZE_MAX refused, capacity untouched");
	cap = SIZE_MAX / 8;
	tap_ok(!qdh_array_room(v, &cap, cap, 16, 16) && cap == SIZE_MAX / 8,
	       "capacity x element size past SIZE_MAX refused");
	cap = 0;
	tap_ok(!qdh_array_room(v, &cap, 0, 0, 16) && cap == 0, "a zero element size refused");
	cap = 0;
	p = qdh_array_room(NULL, &cap, 0, sizeof(*v), 0);
	tap_ok(p && cap == 1, "no first capacity given: room for one");
	free(p);
	free(v);
	return tap_done();
}
