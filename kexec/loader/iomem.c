// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/iomem: the physical memory map (System RAM, reserved holes, the
 * "Crash kernel" reservation, the running kernel's image).  Untrusted text:
 * every line must be "<indent>START-END : NAME" with an even indent at most
 * one level deeper than its parent and a range inside the parent's.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qdh/loader.h"
#include "qdh/array.h"

#define IOMEM_MAX_LINES	100000
#define IOMEM_MAX_DEPTH	16

static int parse_hex(const char **pp, const char *end, uint64_t *v)
{
	const char *p = *pp;
	uint64_t x = 0;
	int n = 0;

	while (p < end && n < 17) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		x = x << 4 | (uint64_t)d;
		p++;
		n++;
	}
	if (n == 0 || n > 16)
		return -1;
	*pp = p;
	*v = x;
	return 0;
}

static enum qdh_mem_type classify(const char *name, size_t n)
{
#define IS(s) (n == sizeof(s) - 1 && !memcmp(name, s, n))
	if (IS("System RAM"))
		return QDH_MEM_RAM;
	if (IS("reserved"))
		return QDH_MEM_RESERVED;
	if (IS("Crash kernel"))
		return QDH_MEM_CRASH;
	if (IS("Kernel code"))
		return QDH_MEM_KCODE;
	if (IS("Kernel data"))
		return QDH_MEM_KDATA;
	return QDH_MEM_OTHER;
#undef IS
}

int qdh_iomem_parse(const char *text, size_t len, struct qdh_memmap *mm,
		    size_t *bad_line)
{
	struct qdh_mem_range parent[IOMEM_MAX_DEPTH];
	const char *p = text, *end = text + len;
	size_t line = 0, cap = 0;
	int nonzero = 0;

	mm->r = NULL;
	mm->n = 0;
	*bad_line = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p, *name;
		struct qdh_mem_range r, *nr;
		size_t indent = 0, i;

		if (!eol)
			eol = end;
		line++;
		if (line > IOMEM_MAX_LINES)
			goto bad;
		while (q < eol && *q == ' ')
			q++;
		indent = (size_t)(q - p);
		if (q == eol && indent == 0 && eol == end)
			break;			/* no final newline */
		if (indent % 2 || indent / 2 >= IOMEM_MAX_DEPTH)
			goto bad;
		memset(&r, 0, sizeof(r));
		r.depth = (int)(indent / 2);
		if (parse_hex(&q, eol, &r.start) || q >= eol || *q++ != '-' ||
		    parse_hex(&q, eol, &r.end))
			goto bad;
		if (eol - q < 4 || memcmp(q, " : ", 3))
			goto bad;
		name = q + 3;
		for (i = 0; name + i < eol; i++)
			if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] > 0x7e)
				goto bad;
		if (r.start > r.end)
			goto bad;
		/* Nesting: one level deeper at most, and inside the parent. */
		if (r.depth > 0) {
			const struct qdh_mem_range *par = &parent[r.depth - 1];

			if (mm->n == 0 || r.depth > mm->r[mm->n - 1].depth + 1)
				goto bad;
			if (r.start < par->start || r.end > par->end)
				goto bad;
		}
		r.type = classify(name, (size_t)(eol - name));
		if (r.start || r.end)
			nonzero = 1;
		nr = qdh_array_room(mm->r, &cap, mm->n, sizeof(*nr), 64);
		if (!nr) {
			qdh_memmap_free(mm);
			return -ENOMEM;
		}
		mm->r = nr;
		mm->r[mm->n++] = r;
		parent[r.depth] = r;
		p = eol < end ? eol + 1 : end;
	}
	if (mm->n && !nonzero) {
		/* The kernel shows zeros to readers without CAP_SYS_ADMIN. */
		qdh_memmap_free(mm);
		return -EPERM;
	}
	return 0;
bad:
	*bad_line = line;
	qdh_memmap_free(mm);
	return -EBADMSG;
}

void qdh_memmap_free(struct qdh_memmap *mm)
{
	free(mm->r);
	mm->r = NULL;
	mm->n = 0;
}

static int cmp_start(const void *a, const void *b)
{
	const struct qdh_mem_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

size_t qdh_memmap_select(const struct qdh_memmap *mm, enum qdh_mem_type t,
			 struct qdh_mem_range *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < mm->n && n < max; i++)
		if (mm->r[i].type == t)
			out[n++] = mm->r[i];
	qsort(out, n, sizeof(*out), cmp_start);
	return n;
}

int qdh_ranges_subtract(const struct qdh_mem_range *a, size_t na,
			const struct qdh_mem_range *b, size_t nb,
			struct qdh_mem_range *out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < na; i++) {
		uint64_t s = a[i].start, e = a[i].end;
		int alive = 1;

		/* b is sorted; carve each overlapping piece out of [s, e]. */
		for (j = 0; j < nb && alive; j++) {
			if (b[j].end < s || b[j].start > e)
				continue;
			if (b[j].start > s) {
				if (n == max)
					return -ENOSPC;
				out[n] = a[i];
				out[n].start = s;
				out[n].end = b[j].start - 1;
				n++;
			}
			if (b[j].end >= e)
				alive = 0;
			else
				s = b[j].end + 1;
		}
		if (alive) {
			if (n == max)
				return -ENOSPC;
			out[n] = a[i];
			out[n].start = s;
			out[n].end = e;
			n++;
		}
	}
	return (int)n;
}
