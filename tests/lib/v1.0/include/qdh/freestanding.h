/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one environment shim of lib/ (as libfdt_env.h is for libfdt): lib/
 * runs in purgatory with no libc, so it uses these instead of <string.h>.
 * Only <stddef.h> and <stdint.h>, which every freestanding compiler has.
 *
 * GCC recognises byte loops as memset/memcpy idioms and may emit calls to
 * those very functions even with -ffreestanding; purgatory has none, so the
 * loops are compiled without that transformation.
 */
#ifndef QDH_FREESTANDING_H
#define QDH_FREESTANDING_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) && !defined(__clang__)
#define QDH_NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define QDH_NO_LIBCALLS
#endif

static inline QDH_NO_LIBCALLS void *qdh_memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = (uint8_t *)dst;
	const uint8_t *s = (const uint8_t *)src;

	while (n--)
		*d++ = *s++;
	return dst;
}

/* Regions may overlap (used to compact tables in place). */
static inline QDH_NO_LIBCALLS void *qdh_memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = (uint8_t *)dst;
	const uint8_t *s = (const uint8_t *)src;

	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else if (d > s) {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

static inline QDH_NO_LIBCALLS void *qdh_memset(void *dst, int c, size_t n)
{
	uint8_t *d = (uint8_t *)dst;

	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

static inline int qdh_memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

static inline size_t qdh_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Bytewise unsigned comparison, the order of the device table. */
static inline int qdh_strcmp(const char *a, const char *b)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;

	while (*x && *x == *y)
		x++, y++;
	return (*x > *y) - (*x < *y);
}

#endif /* QDH_FREESTANDING_H */
