// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysfs path -> device index, so that parents, PFs and dump targets are
 * found in O(1) instead of a scan over all devices (O(n^2) at 100k).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scan.h"

struct qdh_path_index {
	const struct qdh_inventory *inv;
	int *slot;		/* device index + 1; 0 = empty */
	size_t mask;
};

static size_t hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return (size_t)(h ^ h >> 29);
}

struct qdh_path_index *qdh_path_index_build(const struct qdh_inventory *inv)
{
	struct qdh_path_index *idx = calloc(1, sizeof(*idx));
	size_t n = 64, i;

	if (!idx)
		return NULL;
	while (n < inv->ndevices * 2)
		n *= 2;
	idx->slot = calloc(n, sizeof(*idx->slot));
	if (!idx->slot) {
		free(idx);
		return NULL;
	}
	idx->inv = inv;
	idx->mask = n - 1;
	for (i = 0; i < inv->ndevices; i++) {
		const char *p = inv->devices[i].sysfs_path;
		size_t h;

		if (!p[0])
			continue;
		for (h = hash(p, strlen(p)) & idx->mask; idx->slot[h];
		     h = (h + 1) & idx->mask)
			if (!strcmp(inv->devices[idx->slot[h] - 1].sysfs_path, p))
				break;	/* keep the first of two equal paths */
		if (!idx->slot[h])
			idx->slot[h] = (int)i + 1;
	}
	return idx;
}

static int find_len(const struct qdh_path_index *idx, const char *path, size_t len)
{
	size_t h;

	for (h = hash(path, len) & idx->mask; idx->slot[h]; h = (h + 1) & idx->mask) {
		const char *p = idx->inv->devices[idx->slot[h] - 1].sysfs_path;

		if (!strncmp(p, path, len) && p[len] == '\0')
			return idx->slot[h] - 1;
	}
	return -1;
}

int qdh_path_index_find(const struct qdh_path_index *idx, const char *path)
{
	return find_len(idx, path, strlen(path));
}

int qdh_path_index_find_up(const struct qdh_path_index *idx, const char *path)
{
	size_t len = strlen(path);

	while (len > 1) {
		int i = find_len(idx, path, len);

		if (i >= 0)
			return i;
		while (len > 0 && path[len - 1] != '/')
			len--;
		while (len > 1 && path[len - 1] == '/')
			len--;
	}
	return -1;
}

void qdh_path_index_free(struct qdh_path_index *idx)
{
	if (!idx)
		return;
	free(idx->slot);
	free(idx);
}
