// SPDX-License-Identifier: GPL-2.0-or-later
/* What the PCI and platform readers share: device slots, groups, IOMMUs. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan.h"

/* Group numbers are small and dense; beyond this, read without caching. */
#define MAX_CACHED_GROUP	(1u << 20)

struct qdh_inv_device *qdh_scan_new_device(struct qdh_scan_ctx *c)
{
	struct qdh_inventory *inv = c->inv;
	struct qdh_inv_device *d;

	if (c->err)
		return NULL;
	if (inv->ndevices == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 256;
		void *nd = realloc(inv->devices, nc * sizeof(*inv->devices));
		void *no = nd ? realloc(c->obs, nc * sizeof(*c->obs)) : NULL;
		void *np = no ? realloc(c->physfn, nc * sizeof(*c->physfn)) : NULL;

		if (nd)
			inv->devices = nd;
		if (no)
			c->obs = no;
		if (np)
			c->physfn = np;
		if (!np) {
			c->err = -ENOMEM;
			return NULL;
		}
		c->cap = nc;
	}
	d = &inv->devices[inv->ndevices];
	memset(d, 0, sizeof(*d));
	d->iommu = -1;
	d->command = -1;
	d->enable = -1;
	d->iommu_group = -1;
	d->parent = -1;
	d->physfn = -1;
	d->header_type = -1;
	d->policy_rule = -1;
	d->requester = -1;
	d->cfg.pcie_type = QDH_PCIE_UNKNOWN;
	d->cfg.secondary = -1;
	d->cfg.subvendor = -1;
	d->cfg.subdevice = -1;
	c->obs[inv->ndevices] = 0;
	c->physfn[inv->ndevices] = NULL;
	inv->ndevices++;
	return d;
}

int qdh_scan_pool(struct qdh_scan_ctx *c, const uint32_t *v, unsigned n,
		  uint32_t *at, unsigned *count)
{
	struct qdh_inventory *inv = c->inv;
	size_t first = inv->nsids;

	if (n > UINT32_MAX - first) {
		c->err = -ENOMEM;
		return -ENOMEM;
	}
	if (first + n > inv->cap_sids) {
		size_t nc = inv->cap_sids ? inv->cap_sids : 1024;
		uint32_t *np;

		while (nc < first + n)
			nc *= 2;
		np = realloc(inv->sids, nc * sizeof(*np));
		if (!np) {
			c->err = -ENOMEM;
			return -ENOMEM;
		}
		inv->sids = np;
		inv->cap_sids = nc;
	}
	if (n)
		memcpy(inv->sids + first, v, n * sizeof(*v));
	inv->nsids = first + n;
	*at = (uint32_t)first;
	*count = n;
	return 0;
}

void qdh_dev_problem(struct qdh_inv_device *d, const char *fmt, ...)
{
	va_list ap;

	if (d->problem[0])
		return;		/* the first fault explains the most */
	va_start(ap, fmt);
	vsnprintf(d->problem, sizeof(d->problem), fmt, ap);
	va_end(ap);
}

void qdh_scan_add_skip(struct qdh_scan_ctx *c, const char *entry,
		       const char *problem)
{
	struct qdh_inventory *inv = c->inv;
	struct qdh_inv_skip *ns = realloc(inv->skipped,
					  (inv->nskipped + 1) * sizeof(*ns));

	if (!ns) {
		c->err = -ENOMEM;
		return;
	}
	inv->skipped = ns;
	snprintf(ns[inv->nskipped].entry, sizeof(ns->entry), "%s", entry);
	snprintf(ns[inv->nskipped].problem, sizeof(ns->problem), "%s", problem);
	inv->nskipped++;
}

static const char *const group_types[] = {
	"DMA", "DMA-FQ", "identity", "blocked", "unmanaged", "auto", NULL
};

/*
 * An fd on the directory holding the groups (/sys/kernel/iommu_groups on
 * every kernel), cached: "N/type" is then a two-step lookup, not a walk
 * from the root for every function.
 */
static int groups_dirfd(struct qdh_scan_ctx *c, const char *parent)
{
	int fd;

	if (c->groups_fd >= 0 && !strcmp(c->groups_dir, parent))
		return c->groups_fd;
	if (strlen(parent) >= sizeof(c->groups_dir))
		return -ENAMETOOLONG;
	fd = qdh_sysroot_openat(c->sr, parent, O_PATH | O_DIRECTORY);
	if (fd < 0)
		return fd;
	if (c->groups_fd >= 0)
		close(c->groups_fd);
	c->groups_fd = fd;
	strcpy(c->groups_dir, parent);
	return fd;
}

/* Read <group dir>/type; 1 ok, 0 no type file (old kernel), <0 error. */
static int read_group_type(struct qdh_scan_ctx *c, const char *gdir, char *out,
			   size_t cap)
{
	char parent[512], rel[300], buf[16];
	const char *slash = strrchr(gdir, '/');
	unsigned i;
	int fd, r;

	if (!slash || slash == gdir || (size_t)(slash - gdir) >= sizeof(parent) ||
	    strlen(slash + 1) + sizeof("/type") > sizeof(rel))
		return -EINVAL;
	memcpy(parent, gdir, (size_t)(slash - gdir));
	parent[slash - gdir] = '\0';
	fd = groups_dirfd(c, parent);
	if (fd < 0)
		return fd;
	memcpy(rel, slash + 1, strlen(slash + 1));
	memcpy(rel + strlen(slash + 1), "/type", sizeof("/type"));
	{
		const struct qdh_dev gd = { c->sr, fd, "" };

		r = qdh_dev_read_str(&gd, rel, buf, sizeof(buf));
	}
	if (r == -ENOENT) {
		int gfd = qdh_sysroot_open_beneath(c->sr, fd, slash + 1,
						   O_PATH | O_DIRECTORY);

		if (gfd >= 0) {
			close(gfd);
			return 0;
		}
		return -ENOENT;
	}
	if (r < 0)
		return r;
	for (i = 0; group_types[i]; i++) {
		if (!strcmp(buf, group_types[i]) && strlen(buf) < cap) {
			memcpy(out, buf, strlen(buf) + 1);
			return 1;
		}
	}
	return -EINVAL;
}

void qdh_scan_group(struct qdh_scan_ctx *c, const struct qdh_pci_attrs *a,
		    struct qdh_inv_device *d, unsigned *obs)
{
	char gdir[512];
	unsigned long g;
	int r = a->err[QDH_PA_GROUP];

	if (r == -ENOENT)
		return;		/* no IOMMU translates for it */
	if (r == 0)
		r = qdh_path_join(d->sysfs_path, a->group_target, gdir, sizeof(gdir));
	if (r < 0) {
		qdh_dev_problem(d, "iommu_group: %s", strerror(-r));
		d->reasons |= QDH_R_ATTR_MISSING;
		*obs |= QDH_OBS_VITAL_MISSING;
		return;
	}
	g = (unsigned long)a->iommu_group;
	d->iommu_group = (int)g;
	if (g < c->ngroups && c->group_state[g]) {
		r = c->group_state[g] > 0 ? 1 : -EIO;
		if (r > 0)
			memcpy(d->group_type, c->group_type[g], sizeof(d->group_type));
	} else {
		r = read_group_type(c, gdir, d->group_type, sizeof(d->group_type));
		if (g < MAX_CACHED_GROUP) {
			if (g >= c->ngroups) {
				size_t n = c->ngroups ? c->ngroups : 64;
				void *nt, *ns;

				while (n <= g)
					n *= 2;
				nt = realloc(c->group_type, n * sizeof(*c->group_type));
				if (nt)
					c->group_type = nt;
				ns = nt ? realloc(c->group_state, n) : NULL;
				if (ns) {
					c->group_state = ns;
					memset(c->group_state + c->ngroups, 0,
					       n - c->ngroups);
					c->ngroups = n;
				}
			}
			if (g < c->ngroups) {
				c->group_state[g] = r >= 0 ? 1 : -1;
				memcpy(c->group_type[g], d->group_type,
				       sizeof(d->group_type));
			}
		}
	}
	if (r < 0) {
		/* Without the type we cannot tell a VFIO-owned group. */
		qdh_dev_problem(d, "iommu_group %lu: type %s", g,
				r == -EINVAL ? "has an unexpected value" : "unreadable");
		d->reasons |= QDH_R_ATTR_MISSING;
		*obs |= QDH_OBS_VITAL_MISSING;
	}
}

void qdh_scan_iommu_link(struct qdh_scan_ctx *c, const struct qdh_pci_attrs *a,
			 struct qdh_inv_device *d)
{
	int r = a->err[QDH_PA_IOMMU];

	if (r == 0 && strlen(a->iommu) >= sizeof(d->iommu_ref))
		r = -ENAMETOOLONG;
	if (r < 0) {
		d->iommu_ref[0] = '\0';
		if (r != -ENOENT)
			qdh_dev_problem(d, "iommu link: %s", strerror(-r));
		return;
	}
	strcpy(d->iommu_ref, a->iommu);
	r = qdh_topology_find_by_class(c->topo, d->iommu_ref);
	if (r >= 0) {
		d->iommu = r;
		return;
	}
	/* The handover cannot name an IOMMU no firmware table describes. */
	qdh_dev_problem(d, "iommu link names %s, which no firmware table describes",
			d->iommu_ref);
	d->reasons |= QDH_R_ATTR_MISSING;
}
