// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qdh_topology_load(): read every firmware source the sysroot has, then the
 * sysfs class, then merge.  Absent sources are normal (an x86 box has no
 * fdt, an arm64 DT box no DMAR); unreadable ones are warned about.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "topo.h"

#define FW_MAX_BYTES	(16u << 20)	/* no fdt or ACPI table is this big */

typedef int (*topo_add_fn)(struct qdh_topology *, const void *, size_t);

static int add_file(struct qdh_topology *t, const struct qdh_sysroot *sr,
		    const char *path, topo_add_fn add)
{
	char shown[4200];
	void *buf = NULL;
	size_t len = 0;
	int r = qdh_sysroot_read_alloc(sr, path, FW_MAX_BYTES, &buf, &len);

	qdh_sysroot_display(sr, path, shown, sizeof(shown));
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		qdh_logf(t->log, QDH_LOG_WARN, "%s: cannot read: %s", shown,
			 r == -EFBIG ? "larger than 16 MiB" : "I/O error or no permission");
		return r == -ENOMEM ? r : 0;
	}
	t->origin = shown;
	r = add(t, buf, len);
	t->origin = NULL;
	free(buf);
	return r == -ENOMEM ? r : 0;	/* faults are already logged */
}

int qdh_topology_load(const struct qdh_sysroot *sr, const struct qdh_log *log,
		      struct qdh_topology **out)
{
	static const struct { const char *path; topo_add_fn add; } src[] = {
		{ QDH_PATH_FDT, qdh_topology_add_fdt },
		{ QDH_PATH_ACPI_TABLES "/IORT", qdh_topology_add_iort },
		{ QDH_PATH_ACPI_TABLES "/DMAR", qdh_topology_add_dmar },
		{ QDH_PATH_ACPI_TABLES "/IVRS", qdh_topology_add_ivrs },
	};
	struct qdh_topology *t;
	size_t i;
	int r = 0;

	if (!sr || !out)
		return -EINVAL;
	*out = NULL;
	t = qdh_topology_new(log);
	if (!t)
		return -ENOMEM;
	t->sr = sr;
	for (i = 0; i < sizeof(src) / sizeof(src[0]) && r == 0; i++)
		r = add_file(t, sr, src[i].path, src[i].add);
	if (r == 0) {
		r = qdh_topology_add_sysfs(t, sr);
		if (r < 0 && r != -ENOMEM) {
			qdh_logf(log, QDH_LOG_WARN, "%s: cannot list: error %d",
				 QDH_PATH_CLASS_IOMMU, r);
			r = 0;
		}
	}
	if (r == 0)
		r = qdh_topology_finish(t);
	if (r < 0) {
		qdh_topology_free(t);
		return r;
	}
	*out = t;
	return 0;
}
