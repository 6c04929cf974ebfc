// SPDX-License-Identifier: GPL-2.0-or-later
/* Growable arrays (include/qdh/array.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "qdh/array.h"

void *qdh_array_room(void *arr, size_t *cap, size_t n, size_t elem, size_t first)
{
	size_t ncap;
	void *na;

	if (n < *cap)
		return arr;
	if (!*cap)
		ncap = first ? first : 1;
	else if (*cap > SIZE_MAX / 2)
		return NULL;
	else
		ncap = *cap * 2;
	if (!elem || ncap > SIZE_MAX / elem)
		return NULL;
	na = realloc(arr, ncap * elem);
	if (!na)
		return NULL;
	*cap = ncap;
	return na;
}
