// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The set of drivers known to implement .shutdown: on a normal kexec the
 * kernel runs them (device_shutdown()), so a device bound to one is quiet by
 * the time the next kernel starts.  A crash runs none of them.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "qdh/array.h"
#include "kexec/scan/shutdown-builtin.h"	/* generated: the data file */

struct qdh_strset {
	char **v;
	size_t n, cap;
	int sorted;
};

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort(struct qdh_strset *s)
{
	size_t i, o = 0;

	qsort(s->v, s->n, sizeof(*s->v), cmp);
	for (i = 0; i < s->n; i++) {	/* drop duplicates */
		if (o && !strcmp(s->v[o - 1], s->v[i]))
			free(s->v[i]);
		else
			s->v[o++] = s->v[i];
	}
	s->n = o;
	s->sorted = 1;
}

int qdh_strset_add(struct qdh_strset *s, const char *name)
{
	char **nv, *d;

	nv = qdh_array_room(s->v, &s->cap, s->n, sizeof(*nv), 256);
	if (!nv)
		return -ENOMEM;
	s->v = nv;
	d = strdup(name);
	if (!d)
		return -ENOMEM;
	s->v[s->n++] = d;
	s->sorted = 0;
	return 0;
}

static char **find(const struct qdh_strset *s, const char *name)
{
	return bsearch(&name, s->v, s->n, sizeof(*s->v), cmp);
}

void qdh_strset_remove(struct qdh_strset *s, const char *name)
{
	char **hit;

	if (!s->sorted)
		sort(s);
	hit = find(s, name);
	if (!hit)
		return;
	free(*hit);
	memmove(hit, hit + 1, (size_t)(s->v + s->n - (hit + 1)) * sizeof(*hit));
	s->n--;
}

int qdh_strset_has(const struct qdh_strset *s, const char *name)
{
	if (!s || !name || !*name)
		return 0;
	if (!s->sorted)
		sort((struct qdh_strset *)s);	/* lazily, after the adds */
	return find(s, name) != NULL;
}

size_t qdh_strset_count(const struct qdh_strset *s)
{
	if (!s->sorted)
		sort((struct qdh_strset *)s);
	return s->n;
}

void qdh_strset_free(struct qdh_strset *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	free(s);
}

/* Driver names are what the kernel puts in sysfs: no spaces, no slashes. */
static int valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= 64)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s >= 0x7f || *s == '/')
			return 0;
	return 1;
}

int qdh_strset_load_shutdown(const char *file, const struct qdh_log *log,
			     struct qdh_strset **out)
{
	struct qdh_strset *s = calloc(1, sizeof(*s));
	char line[256];
	unsigned lineno = 0;
	FILE *f;
	int r = 0;

	if (!s)
		return -ENOMEM;
	if (!file) {
		const char *const *p;

		for (p = qdh_builtin_shutdown_drivers; *p && !r; p++)
			r = qdh_strset_add(s, *p);
		goto out;
	}
	f = fopen(file, "re");
	if (!f) {
		r = -errno;
		goto out;
	}
	while (!r && fgets(line, sizeof(line), f)) {
		char *p = line, *e;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			qdh_logf(log, QDH_LOG_ERR, "%s:%u: line too long", file, lineno);
			r = -EINVAL;
			break;
		}
		e = strchr(p, '#');
		if (e)
			*e = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strlen(p);
		while (e > p && (e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			*--e = '\0';
		if (!*p)
			continue;
		if (!valid_name(p)) {
			qdh_logf(log, QDH_LOG_ERR, "%s:%u: not a driver name", file, lineno);
			r = -EINVAL;
			break;
		}
		r = qdh_strset_add(s, p);
	}
	if (!r && ferror(f))
		r = -EIO;
	fclose(f);
out:
	if (r) {
		qdh_strset_free(s);
		return r;
	}
	sort(s);
	*out = s;
	return 0;
}
