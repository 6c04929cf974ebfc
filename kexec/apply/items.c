// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The devices `qdh apply` decides for: the union of the blob's entries and
 * what is present now, matched by identity.  A device is (bus type,
 * address): a PCI function is its (domain, bus, devfn), a platform device
 * its name on the platform bus; a platform entry named "0000:00:02.0" is
 * not the PCI function 0000:00:02.0.  Both lists are sorted once and
 * merged, and sysfs paths go into a hash for the dump-target walks, so a
 * full segment of 65,536 functions costs O(n log n), not the O(n^2) of a
 * search per device.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apply-internal.h"
#include "qdh/pcidev.h"

static int key_cmp(const struct apply_item *x, const struct apply_item *y)
{
	if (x->is_platform != y->is_platform)
		return x->is_platform - y->is_platform;
	if (x->is_platform)
		return strcmp(x->name, y->name);
	if (x->domain != y->domain)
		return x->domain < y->domain ? -1 : 1;
	if (x->bus != y->bus)
		return x->bus < y->bus ? -1 : 1;
	if (x->devfn != y->devfn)
		return x->devfn < y->devfn ? -1 : 1;
	return 0;
}

/*
 * What gets sorted: a small reference to a blob entry or a present device,
 * not the items themselves (hundreds of bytes each, 131,072 of them for a
 * full segment on both sides).
 */
struct ref {
	const char *name;	/* the identity of a platform device */
	uint32_t idx;		/* in the blob's list, or in now->devs */
	uint32_t domain;	/* above 0xffff: VMD (the blob's wide table) */
	uint8_t bus, devfn;
	uint8_t is_platform, in_blob;
};

/*
 * By identity; the blob's entry before a present device of the same
 * identity (merged below); among two bus entries naming one function
 * ("0a" and "0A"), the kernel's lowercase name first, as scan does.
 */
static int ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	if (x->is_platform != y->is_platform)
		return x->is_platform - y->is_platform;
	if (x->is_platform) {
		int c = strcmp(x->name, y->name);

		if (c)
			return c;
	} else if (x->domain != y->domain) {
		return x->domain < y->domain ? -1 : 1;
	} else if (x->bus != y->bus) {
		return x->bus < y->bus ? -1 : 1;
	} else if (x->devfn != y->devfn) {
		return x->devfn < y->devfn ? -1 : 1;
	}
	if (x->in_blob != y->in_blob)
		return y->in_blob - x->in_blob;
	return x->in_blob ? 0 : -strcmp(x->name, y->name);
}

static int same_identity(const struct ref *x, const struct ref *y)
{
	if (x->is_platform != y->is_platform)
		return 0;
	if (x->is_platform)
		return !strcmp(x->name, y->name);
	return x->domain == y->domain && x->bus == y->bus && x->devfn == y->devfn;
}

/* A blob says bridge by its state, or by the class it recorded. */
static int blob_bridge(const struct qdh_device_info *di)
{
	return !di->is_platform &&
	       (di->state == QDH_STATE_BRIDGE || qdh_pci_is_bridge((int)di->class_code, -1));
}

static void from_blob(struct apply_item *x, const struct qdh_device_info *di)
{
	x->in_blob = 1;
	x->is_platform = di->is_platform;
	x->domain = di->domain;
	x->bus = di->bus;
	x->devfn = di->devfn;
	if (di->is_platform)
		apply_fmt(x->name, sizeof(x->name), "%s", di->name);
	else
		apply_fmt(x->name, sizeof(x->name), "%04x:%02x:%02x.%x", di->domain,
			  di->bus, di->devfn >> 3, di->devfn & 7);
	x->bi = *di;
	x->bi.name = NULL;	/* points into the blob; name[] is ours */
	x->dump_target = !!(di->flags & QDH_DEV_F_DUMP_TARGET);
	x->bridge = blob_bridge(di);
}

static void from_now(struct apply_item *x, struct qdh_now_dev *d)
{
	x->is_platform = d->is_platform;
	x->domain = d->domain;
	x->bus = d->bus;
	x->devfn = d->devfn;
	apply_fmt(x->name, sizeof(x->name), "%s", d->name);
}

/*
 * Sort references to both lists by identity, then make one item per run
 * of equal identities: the blob's entry takes the present device; a second
 * blob entry (the codec rejects them) or a second bus entry for one
 * function is dropped and counted.
 */
static int merge(const struct qdh_view *v, struct qdh_now *now, struct apply_items *it)
{
	size_t nblob = v ? qdh_device_count(v) : 0, nr = 0, i;
	struct qdh_device_info *bi = calloc(nblob ? nblob : 1, sizeof(*bi));
	struct ref *refs = calloc(nblob + now->n ? nblob + now->n : 1, sizeof(*refs));
	struct qdh_dev_iter iter;
	struct qdh_device_info di;
	size_t k = 0;

	if (!bi || !refs)
		goto nomem;
	if (v)
		for (qdh_dev_iter_init(&iter, v); k < nblob && qdh_dev_iter_next(&iter, &di) == 1;) {
			if (di.is_platform && (!di.name || !di.name[0]))
				continue;
			bi[k] = di;
			refs[nr++] = (struct ref){ di.name, (uint32_t)k, di.domain, di.bus,
						   di.devfn, (uint8_t)di.is_platform, 1 };
			k++;
		}
	for (i = 0; i < now->n; i++) {
		const struct qdh_now_dev *d = &now->devs[i];

		refs[nr++] = (struct ref){ d->name, (uint32_t)i, d->domain, d->bus, d->devfn,
					   (uint8_t)d->is_platform, 0 };
	}
	/* qsort(NULL, 0, ...) is undefined: no devices at all is a clean run. */
	if (nr > 1)
		qsort(refs, nr, sizeof(*refs), ref_cmp);
	it->v = calloc(nr ? nr : 1, sizeof(*it->v));
	if (!it->v)
		goto nomem;
	it->cap = nr ? nr : 1;
	for (i = 0; i < nr; i++) {
		struct apply_item *x;

		if (it->n && same_identity(&refs[i - 1], &refs[i])) {
			x = &it->v[it->n - 1];
			if (!refs[i].in_blob && !x->now)
				x->now = &now->devs[refs[i].idx];
			else
				it->dropped++;
			continue;
		}
		x = &it->v[it->n++];
		if (refs[i].in_blob) {
			from_blob(x, &bi[refs[i].idx]);
		} else {
			x->now = &now->devs[refs[i].idx];
			from_now(x, x->now);
		}
	}
	for (i = 0; i < it->n; i++)
		if (it->v[i].now)
			it->v[i].bridge |= qdh_now_is_bridge(it->v[i].now);
	free(bi);
	free(refs);
	return 0;
nomem:
	free(bi);
	free(refs);
	return -ENOMEM;
}

/* FNV-1a of a sysfs path. */
static size_t hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return (size_t)(h ^ h >> 29);
}

static int index_paths(struct apply_items *it)
{
	size_t n = 64, i;

	while (n < it->n * 2)
		n *= 2;
	it->slot = calloc(n, sizeof(*it->slot));
	if (!it->slot)
		return -ENOMEM;
	it->mask = n - 1;
	for (i = 0; i < it->n; i++) {
		const char *p = it->v[i].now ? it->v[i].now->path : NULL;
		size_t h;

		if (!p || !p[0])
			continue;
		for (h = hash(p, strlen(p)) & it->mask; it->slot[h]; h = (h + 1) & it->mask)
			if (!strcmp(it->v[it->slot[h] - 1].now->path, p))
				break;	/* keep the first of two equal paths */
		if (!it->slot[h])
			it->slot[h] = i + 1;
	}
	return 0;
}

int apply_items_build(const struct qdh_view *v, struct qdh_now *now,
		      struct apply_items *it)
{
	int r;

	memset(it, 0, sizeof(*it));
	r = merge(v, now, it);
	return r < 0 ? r : index_paths(it);
}

void apply_items_free(struct apply_items *it)
{
	free(it->v);
	free(it->slot);
	memset(it, 0, sizeof(*it));
}

static int bsearch_cmp(const void *a, const void *b)
{
	return key_cmp(a, b);
}

struct apply_item *apply_items_find_pci(const struct apply_items *it, uint32_t domain,
					uint8_t bus, uint8_t devfn)
{
	struct apply_item key;

	memset(&key, 0, sizeof(key));
	key.domain = domain;
	key.bus = bus;
	key.devfn = devfn;
	return it->n ? bsearch(&key, it->v, it->n, sizeof(key), bsearch_cmp) : NULL;
}

struct apply_item *apply_items_find_platform(const struct apply_items *it,
					     const char *name)
{
	struct apply_item key;

	memset(&key, 0, sizeof(key));
	key.is_platform = 1;
	if (apply_fmt(key.name, sizeof(key.name), "%s", name) < 0)
		return NULL;
	return it->n ? bsearch(&key, it->v, it->n, sizeof(key), bsearch_cmp) : NULL;
}

struct apply_item *apply_items_find_path(const struct apply_items *it,
					 const char *path, size_t len)
{
	size_t h;

	if (!it->slot || !len)
		return NULL;
	for (h = hash(path, len) & it->mask; it->slot[h]; h = (h + 1) & it->mask) {
		struct apply_item *x = &it->v[it->slot[h] - 1];

		if (!strncmp(x->now->path, path, len) && !x->now->path[len])
			return x;
	}
	return NULL;
}

/* The present device whose path is the longest prefix of path (at or above). */
struct apply_item *apply_items_find_up(const struct apply_items *it, const char *path)
{
	size_t len = strlen(path);

	while (len > 1) {
		struct apply_item *x = apply_items_find_path(it, path, len);

		if (x)
			return x;
		while (len > 0 && path[len - 1] != '/')
			len--;
		if (len)
			len--;	/* drop the '/' */
	}
	return NULL;
}

void apply_items_mark_dump_parents(struct apply_items *it)
{
	size_t i;

	for (i = 0; i < it->n; i++) {
		const char *p;
		size_t len;

		if (!it->v[i].dump_target || !it->v[i].now)
			continue;
		p = it->v[i].now->path;
		/* Every present device strictly above it, by sysfs path. */
		for (len = strlen(p); len > 1;) {
			struct apply_item *x;

			while (len > 0 && p[len - 1] != '/')
				len--;
			if (len)
				len--;
			x = apply_items_find_path(it, p, len);
			if (x && x != &it->v[i])
				x->dump_parent = 1;
		}
	}
}
