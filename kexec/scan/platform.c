// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DMA-capable platform devices: those the kernel attached to an IOMMU (an
 * "iommu" link) and those whose firmware node gives StreamIDs (a DT
 * "iommus" property or an IORT named component), asked of the topology by
 * the node's path.  Anything else on the platform bus is not inventoried.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan.h"

/* DT node path ("/soc/eth@1000") from the of_node link, or "" */
static void of_node_path(const struct qdh_dev *fd, const char *devpath, char *out, size_t cap)
{
	char target[512], path[512];
	size_t n = strlen(QDH_PATH_DT_BASE);

	out[0] = '\0';
	if (qdh_dev_readlink(fd, "of_node", target, sizeof(target)) < 0 ||
	    qdh_path_join(devpath, target, path, sizeof(path)) < 0)
		return;
	if (strncmp(path, QDH_PATH_DT_BASE, n) || (path[n] && path[n] != '/'))
		return;
	if (!path[n])
		path[n + 1] = '\0', path[n] = '/';
	if (strlen(path + n) < cap)
		memcpy(out, path + n, strlen(path + n) + 1);
}

/*
 * ACPI namespace path ("\_SB_.ETH0") from firmware_node/path, or "".  The
 * firmware_node link leaves the device directory (into the ACPI devices),
 * so it is read from the sysroot, not beneath the device's fd.
 */
static void acpi_path(const struct qdh_sysroot *sr, const char *devpath, char *out,
		      size_t cap)
{
	char buf[128], p[600];

	out[0] = '\0';
	snprintf(p, sizeof(p), "%s/firmware_node/path", devpath);
	if (qdh_sysroot_read_str(sr, p, buf, sizeof(buf)) == 0 && buf[0] == '\\')
		snprintf(out, cap, "%s", buf);
}

static void scan_one(struct qdh_scan_ctx *c, int busfd, const char *name)
{
	uint32_t sids[QDH_INV_MAX_SIDS];
	char target[512], path[256], fw[128];
	const struct qdh_dev bus = { c->sr, busfd, "" };
	struct qdh_pci_attrs a;
	struct qdh_inv_device *d;
	struct qdh_dev dv;
	const struct qdh_dev *fd = &dv;
	unsigned obs = 0;
	int n = 0, iommu = -1, has_link;

	if (strlen(name) >= sizeof(d->name))
		return;
	path[0] = '\0';
	if (qdh_dev_readlink(&bus, name, target, sizeof(target)) == 0)
		qdh_path_join(QDH_PATH_PLATFORM_DEVICES, target, path, sizeof(path));
	else
		snprintf(path, sizeof(path), "%s/%s", QDH_PATH_PLATFORM_DEVICES, name);
	dv.sr = c->sr;
	dv.pre[0] = '\0';
	dv.fd = qdh_sysroot_openat(c->sr, path, O_PATH | O_DIRECTORY);
	if (dv.fd < 0)
		return;		/* gone, or never was one: nothing to say */
	qdh_pci_attrs_init(&a);
	qdh_pci_read(fd, QDH_PA(IOMMU), &a);
	has_link = a.err[QDH_PA_IOMMU] == 0;
	of_node_path(fd, path, fw, sizeof(fw));
	if (!fw[0])
		acpi_path(c->sr, path, fw, sizeof(fw));
	if (fw[0])
		n = qdh_topology_platform_sids(c->topo, fw, &iommu, sids,
					       QDH_INV_MAX_SIDS);
	if (!has_link && n <= 0) {
		close(dv.fd);
		return;		/* not DMA-capable as far as anyone says */
	}
	d = qdh_scan_new_device(c);
	if (!d) {
		close(dv.fd);
		return;
	}
	d->bus = QDH_INV_PLATFORM;
	d->flags |= QDH_DEV_F_PLATFORM;
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->sysfs_path, sizeof(d->sysfs_path), "%s", path);
	snprintf(d->fw_node, sizeof(d->fw_node), "%s", fw);
	qdh_pci_read(fd, QDH_PA(DRIVER) | QDH_PA(GROUP), &a);
	strcpy(d->driver, a.driver);
	qdh_scan_group(c, &a, d, &obs);
	qdh_scan_iommu_link(c, &a, d);
	close(dv.fd);
	if (n < 0) {
		qdh_dev_problem(d, "StreamIDs: %s", strerror(-n));
		n = 0;
	}
	if (n > QDH_INV_MAX_SIDS)
		n = QDH_INV_MAX_SIDS;
	if (d->iommu < 0)
		d->iommu = iommu;
	qdh_scan_pool(c, sids, (unsigned)n, &d->sid_at, &d->nsids);	/* ENOMEM: c->err */
	c->obs[d - c->inv->devices] |= obs;
}

int qdh_scan_platform(struct qdh_scan_ctx *c)
{
	DIR *dir = qdh_sysroot_opendir(c->sr, QDH_PATH_PLATFORM_DEVICES);
	struct dirent *e;

	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		scan_one(c, dirfd(dir), e->d_name);
		if (c->err)
			break;
	}
	closedir(dir);
	return c->err;
}
