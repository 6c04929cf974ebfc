// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Heapsort: in place, O(n log n) worst case, no recursion and no scratch
 * memory, which is what a builder working inside the caller's buffer needs.
 * Not stable; the callers' keys are unique (or ties are rejected).
 */
#include "codec-internal.h"

static void swap_bytes(uint8_t *a, uint8_t *b, size_t n)
{
	while (n--) {
		uint8_t t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

static void sift_down(uint8_t *base, size_t root, size_t n, size_t size,
		      qdh_cmp_fn cmp, void *ctx)
{
	for (;;) {
		size_t child = 2 * root + 1, big = root;

		if (child < n && cmp(base + child * size, base + big * size, ctx) > 0)
			big = child;
		if (child + 1 < n &&
		    cmp(base + (child + 1) * size, base + big * size, ctx) > 0)
			big = child + 1;
		if (big == root)
			return;
		swap_bytes(base + root * size, base + big * size, size);
		root = big;
	}
}

void qdh_heapsort(void *base, size_t n, size_t size, qdh_cmp_fn cmp, void *ctx)
{
	uint8_t *b = (uint8_t *)base;

	if (n < 2)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(b, i, n, size, cmp, ctx);
	for (size_t end = n - 1; end > 0; end--) {
		swap_bytes(b, b + end * size, size);
		sift_down(b, 0, end, size, cmp, ctx);
	}
}
