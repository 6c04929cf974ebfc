// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /sys/class/iommu: the IOMMUs a driver registered, under the names the
 * kernel gives them ("smmu3.0x<16 hex>" for SMMUv3 and "smmu.0x<16 hex>"
 * for SMMUv1/v2, both with the MMIO base from %pa; "dmar<N>" for VT-d,
 * with the base in intel-iommu/address (hex, no 0x); "ivhd<N>" for AMD-Vi, no base).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo.h"

#define MAX_CLASS_ENTRIES	4096

/* "0x0000000009050000" -> base; 0 if it is not a clean hex number. */
static int parse_hex(const char *s, uint64_t *v)
{
	char *end;

	if (strncmp(s, "0x", 2) || !s[2])
		return 0;
	errno = 0;
	*v = strtoull(s + 2, &end, 16);
	return !errno && !*end;
}

/* intel-iommu/address is printed "%llx": hex without a 0x prefix. */
static int read_hex_attr(const struct qdh_sysroot *sr, const char *path, uint64_t *v)
{
	char buf[40], *end, *p = buf;

	if (qdh_sysroot_read_str(sr, path, buf, sizeof(buf)) < 0)
		return 0;
	if (!strncmp(p, "0x", 2))
		p += 2;
	if (!*p)
		return 0;
	errno = 0;
	*v = strtoull(p, &end, 16);
	return !errno && !*end;
}

static void classify(const struct qdh_sysroot *sr, struct topo_class *c)
{
	char path[256];

	if (!strncmp(c->name, "smmu3.", 6)) {
		c->type = QDH_IOMMU_SMMUV3;
		c->has_base = parse_hex(c->name + 6, &c->base);
	} else if (!strncmp(c->name, "smmu.", 5)) {
		c->type = QDH_IOMMU_SMMUV2;
		c->has_base = parse_hex(c->name + 5, &c->base);
	} else if (!strncmp(c->name, "dmar", 4)) {
		c->type = QDH_IOMMU_VTD;
		snprintf(path, sizeof(path), QDH_PATH_CLASS_IOMMU "/%s/intel-iommu/address",
			 c->name);
		c->has_base = read_hex_attr(sr, path, &c->base);
	} else if (!strncmp(c->name, "ivhd", 4)) {
		c->type = QDH_IOMMU_AMDVI;
	} else {
		c->type = QDH_IOMMU_UNKNOWN;
	}
}

static int cmp_class(const void *a, const void *b)
{
	/* dmar2 before dmar10: the kernel numbers them in firmware order. */
	return strverscmp(((const struct topo_class *)a)->name,
			  ((const struct topo_class *)b)->name);
}

int qdh_topology_add_sysfs(struct qdh_topology *t, const struct qdh_sysroot *sr)
{
	struct dirent *de;
	size_t start;
	DIR *d;

	if (!t || !sr)
		return -EINVAL;
	d = qdh_sysroot_opendir(sr, QDH_PATH_CLASS_IOMMU);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	start = t->nclasses;
	while ((de = readdir(d))) {
		struct topo_class *c;

		if (de->d_name[0] == '.')
			continue;
		if (strlen(de->d_name) >= sizeof(c->name)) {
			qdh_logf(t->log, QDH_LOG_WARN, "%s/%.80s...: name too long; ignored",
				 QDH_PATH_CLASS_IOMMU, de->d_name);
			continue;
		}
		if (t->nclasses - start >= MAX_CLASS_ENTRIES) {
			qdh_logf(t->log, QDH_LOG_WARN, "%s: more than %d entries; rest ignored",
				 QDH_PATH_CLASS_IOMMU, MAX_CLASS_ENTRIES);
			break;
		}
		c = TOPO_PUSH(t, classes, nclasses, cap_classes);
		if (!c) {
			closedir(d);
			return -ENOMEM;
		}
		snprintf(c->name, sizeof(c->name), "%s", de->d_name);
		classify(sr, c);
	}
	closedir(d);
	/* qsort(NULL, 0, ...) is undefined: an empty class dir has no array. */
	if (t->nclasses > start)
		qsort(t->classes + start, t->nclasses - start, sizeof(*t->classes),
		      cmp_class);
	return 0;
}
