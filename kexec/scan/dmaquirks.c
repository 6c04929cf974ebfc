// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DMA-alias quirk table (data/dma-alias-quirks.txt, generated from the
 * kernel's drivers/pci/quirks.c and the VMD driver by
 * scripts/gen-dma-alias-quirks.sh, compiled in): parsed strictly once per
 * scan, then asked per function.  The rules' meaning is in the table's
 * header and doc/topology.md; alias.c applies them.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "qdh/array.h"
#include "kexec/scan/dmaquirks-builtin.h"

struct qdh_dmaq {
	unsigned rule;		/* one QDH_DMAQ_* bit */
	int32_t vendor, device;	/* -1: any */
	int has_class, has_sub;
	uint32_t cls;		/* matches class_code >> shift */
	unsigned shift;
	uint16_t subvendor, subdevice;
	uint8_t devfns[32];	/* QDH_DMAQ_DEVFN: bitmap of alias devfns */
};

struct qdh_dmaq_table {
	struct qdh_dmaq *q;	/* sorted by vendor; "any" (-1) first */
	size_t n;
};

static const struct {
	const char *name;
	unsigned rule;
} rules[] = {
	{ "func0", QDH_DMAQ_FUNC0 },
	{ "func1", QDH_DMAQ_FUNC1 },
	{ "devfn", QDH_DMAQ_DEVFN },
	{ "pcie-bridge-alias", QDH_DMAQ_BRIDGE_ALIAS },
	{ "xlate-root", QDH_DMAQ_XLATE_ROOT },
	{ "runtime", QDH_DMAQ_RUNTIME },
	{ "vmd", QDH_DMAQ_VMD },
};

struct perr {
	char *buf;
	size_t cap;
	const char *origin;
	unsigned line;
};

static int fail(struct perr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct perr *e, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e->buf && e->cap)
		snprintf(e->buf, e->cap, "%s:%u: %s", e->origin, e->line, msg);
	return -EINVAL;
}

/* Exactly n lowercase hex digits, whole token part [s, s+n). */
static int hexn(const char *s, size_t n, uint32_t *v)
{
	size_t i;

	*v = 0;
	if (n == 0 || n > 8)
		return -1;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			*v = *v << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v = *v << 4 | (uint32_t)(c - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

/* "1b4b" or "*" */
static int id_token(const char *t, size_t n, int32_t *v)
{
	uint32_t x;

	if (n == 1 && t[0] == '*') {
		*v = -1;
		return 0;
	}
	if (n != 4 || hexn(t, 4, &x) < 0)
		return -1;
	*v = (int32_t)x;
	return 0;
}

/* Decimal 1..max, whole token part. */
static int decn(const char *s, size_t n, unsigned max, unsigned *v)
{
	size_t i;

	*v = 0;
	if (n == 0 || n > 3 || s[0] == '0')
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return *v <= max ? 0 : -1;
}

/* A class shift: 0-24, decimal. */
static int shift_token(const char *s, size_t n, unsigned *v)
{
	if (n == 1 && s[0] == '0') {
		*v = 0;
		return 0;
	}
	return decn(s, n, 24, v);
}

/* "DD.F" or "DD.F+N": N devfns from DD.F on, within the bus's 256. */
static int devfn_token(struct perr *e, const char *t, size_t n, uint8_t *map)
{
	uint32_t dev;
	unsigned fn, cnt = 1, first, k;

	if (n < 4 || t[2] != '.' || hexn(t, 2, &dev) < 0 || dev > 0x1f ||
	    t[3] < '0' || t[3] > '7')
		return fail(e, "\"%.*s\" is not DD.F[+N]", (int)n, t);
	fn = (unsigned)(t[3] - '0');
	if (n > 4 && (t[4] != '+' || decn(t + 5, n - 5, 256, &cnt) < 0))
		return fail(e, "\"%.*s\": the count must be 1-256", (int)n, t);
	first = dev << 3 | fn;
	if (first + cnt > 256)
		return fail(e, "\"%.*s\" runs past devfn 0xff", (int)n, t);
	for (k = first; k < first + cnt; k++)
		map[k >> 3] |= (uint8_t)(1u << (k & 7));
	return 0;
}

/* One argument token after VENDOR DEVICE. */
static int arg_token(struct perr *e, struct qdh_dmaq *q, const char *t, size_t n, unsigned *ndevfn)
{
	uint32_t a, b;

	if (n > 6 && !strncmp(t, "class=", 6)) {
		const char *slash = memchr(t, '/', n);
		unsigned sh;

		if (q->has_class || !slash || hexn(t + 6, (size_t)(slash - t - 6), &a) < 0 ||
		    shift_token(slash + 1, (size_t)(t + n - slash - 1), &sh) < 0)
			return fail(e, "\"%.*s\" is not class=HEX/SHIFT (shift 0-24)", (int)n, t);
		q->has_class = 1;
		q->cls = a;
		q->shift = sh;
		return 0;
	}
	if (n == 13 && !strncmp(t, "sub=", 4) && t[8] == ':' &&
	    hexn(t + 4, 4, &a) == 0 && hexn(t + 9, 4, &b) == 0 && !q->has_sub) {
		q->has_sub = 1;
		q->subvendor = (uint16_t)a;
		q->subdevice = (uint16_t)b;
		return 0;
	}
	if (!strncmp(t, "sub=", 4) || !strncmp(t, "class=", 6))
		return fail(e, "\"%.*s\": bad or repeated sub=SSSS:DDDD / class=", (int)n, t);
	if (q->rule != QDH_DMAQ_DEVFN)
		return fail(e, "\"%.*s\": only devfn rules take alias arguments", (int)n, t);
	(*ndevfn)++;
	return devfn_token(e, t, n, q->devfns);
}

static int parse_line(struct perr *e, const char *s, size_t len, struct qdh_dmaq *q)
{
	const char *tok[64];
	size_t tlen[64], nt = 0, i = 0, k;
	unsigned ndevfn = 0;

	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len || s[i] == '#')
			break;
		if (nt == sizeof(tok) / sizeof(tok[0]))
			return fail(e, "more than %zu fields", nt);
		tok[nt] = s + i;
		while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '#')
			i++;
		tlen[nt] = (size_t)(s + i - tok[nt]);
		nt++;
	}
	if (nt == 0)
		return 0;		/* blank or comment */
	memset(q, 0, sizeof(*q));
	for (k = 0; k < sizeof(rules) / sizeof(rules[0]); k++)
		if (strlen(rules[k].name) == tlen[0] && !memcmp(rules[k].name, tok[0], tlen[0]))
			q->rule = rules[k].rule;
	if (!q->rule)
		return fail(e, "unknown rule \"%.*s\"", (int)tlen[0], tok[0]);
	if (nt < 3 || id_token(tok[1], tlen[1], &q->vendor) < 0 ||
	    id_token(tok[2], tlen[2], &q->device) < 0)
		return fail(e, "%.*s needs VENDOR DEVICE (four hex digits or *)",
			    (int)tlen[0], tok[0]);
	for (k = 3; k < nt; k++) {
		int r = arg_token(e, q, tok[k], tlen[k], &ndevfn);

		if (r < 0)
			return r;
	}
	if (q->rule == QDH_DMAQ_DEVFN && !ndevfn)
		return fail(e, "devfn needs at least one DD.F[+N]");
	return 1;
}

static int cmp_vendor(const void *a, const void *b)
{
	const struct qdh_dmaq *x = a, *y = b;

	return (x->vendor > y->vendor) - (x->vendor < y->vendor);
}

int qdh_dmaq_parse(const char *text, size_t len, const char *origin,
		   struct qdh_dmaq_table **out, char *err, size_t errcap)
{
	struct perr e = { err, errcap, origin ? origin : "quirk table", 0 };
	struct qdh_dmaq_table *t;
	size_t cap = 0, i = 0;
	int r = 0;

	*out = NULL;
	if (memchr(text, '\0', len)) {
		e.line = 1;
		return fail(&e, "NUL byte in the table");
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	while (i < len && r >= 0) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - text - i) : len - i;
		struct qdh_dmaq q;

		e.line++;
		r = parse_line(&e, text + i, l, &q);
		if (r > 0) {
			struct qdh_dmaq *nq = qdh_array_room(t->q, &cap, t->n,
							     sizeof(*nq), 64);

			if (!nq) {
				r = -ENOMEM;
				break;
			}
			t->q = nq;
			t->q[t->n++] = q;
		}
		i += l + 1;
	}
	if (r < 0) {
		qdh_dmaq_free(t);
		return r;
	}
	if (t->n)
		qsort(t->q, t->n, sizeof(*t->q), cmp_vendor);
	*out = t;
	return 0;
}

int qdh_dmaq_builtin(struct qdh_dmaq_table **out, char *err, size_t errcap)
{
	return qdh_dmaq_parse(qdh_builtin_dma_quirks, sizeof(qdh_builtin_dma_quirks) - 1,
			      "built-in data/dma-alias-quirks.txt", out, err, errcap);
}

void qdh_dmaq_free(struct qdh_dmaq_table *t)
{
	if (!t)
		return;
	free(t->q);
	free(t);
}

size_t qdh_dmaq_count(const struct qdh_dmaq_table *t)
{
	return t ? t->n : 0;
}

static int matches(const struct qdh_dmaq *q, const struct qdh_inv_device *d)
{
	if (q->device >= 0 && q->device != d->device)
		return 0;
	if (q->has_class && (d->class_code >> q->shift) != q->cls)
		return 0;
	if (q->has_sub && (d->cfg.subvendor != q->subvendor || d->cfg.subdevice != q->subdevice))
		return 0;
	return 1;
}

static void take(const struct qdh_dmaq *q, unsigned *rules_out, uint8_t *devfns)
{
	unsigned k;

	*rules_out |= q->rule;
	if (devfns && q->rule == QDH_DMAQ_DEVFN)
		for (k = 0; k < 32; k++)
			devfns[k] |= q->devfns[k];
}

unsigned qdh_dmaq_match(const struct qdh_dmaq_table *t, const struct qdh_inv_device *d,
			uint8_t devfns[32])
{
	size_t lo = 0, hi, i;
	unsigned r = 0;

	if (devfns)
		memset(devfns, 0, 32);
	if (!t || d->bus != QDH_INV_PCI)
		return 0;
	for (i = 0; i < t->n && t->q[i].vendor < 0; i++)
		if (matches(&t->q[i], d))
			take(&t->q[i], &r, devfns);
	/* first entry with vendor >= d->vendor */
	lo = i;
	hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->q[mid].vendor < d->vendor)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < t->n && t->q[i].vendor == d->vendor; i++)
		if (matches(&t->q[i], d))
			take(&t->q[i], &r, devfns);
	return r;
}
