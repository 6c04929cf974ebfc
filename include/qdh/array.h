/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Growable arrays: the one growth policy of the userspace tools.  Every
 * list that grows while a file or a tree is read (devices, quirks, memory
 * ranges, kernel streams, dump needs, names) doubles through here, so the
 * size arithmetic is checked in one place.
 */
#ifndef QDH_ARRAY_H
#define QDH_ARRAY_H

#include <stddef.h>

/*
 * Room for element n of the array arr of *cap elements of elem bytes:
 * arr itself while n < *cap, else arr reallocated to twice *cap (first
 * when *cap is 0) and *cap updated.  NULL, with arr and *cap untouched,
 * when memory runs out or the size would overflow.  The caller stores the
 * result back into its pointer: arr = qdh_array_room(arr, &cap, n, ...).
 */
void *qdh_array_room(void *arr, size_t *cap, size_t n, size_t elem, size_t first);

#endif
