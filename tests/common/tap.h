/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Minimal TAP producer for the unit tests (automake's tap-driver.sh reads
 * it).  Header-only so each test is one program; the counters live in the
 * test's own translation unit.
 */
#ifndef QDH_TEST_TAP_H
#define QDH_TEST_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

static inline void tap_plan(int n) { printf("1..%d\n", n); }

static inline int tap_ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static inline int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

#define tap_is_int(got, want, ...)                                            \
	do {                                                                  \
		long long g_ = (long long)(got), w_ = (long long)(want);     \
		if (!tap_ok(g_ == w_, __VA_ARGS__))                           \
			printf("# got %lld, want %lld\n", g_, w_);            \
	} while (0)

#define tap_is_str(got, want, ...)                                            \
	do {                                                                  \
		const char *g_ = (got), *w_ = (want);                         \
		if (!tap_ok(g_ && w_ && !strcmp(g_, w_), __VA_ARGS__))        \
			printf("# got '%s', want '%s'\n", g_ ? g_ : "(null)", \
			       w_ ? w_ : "(null)");                           \
	} while (0)

static inline void tap_diag(const char *msg) { printf("# %s\n", msg); }

/* Prints the trailing plan; returns the exit code for main(). */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
