// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCI functions from /sys/bus/pci/devices into the inventory: what the
 * sysfs device model (qdh/pcidev.h) read, turned into problems, reasons
 * and the observations the verdict needs, plus StreamIDs and PFs.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan.h"

#define PCI_CMD_BUS_MASTER	0x4

/* A fault of an attribute every verdict input depends on. */
static void vital(struct qdh_inv_device *d, unsigned *obs)
{
	d->reasons |= QDH_R_ATTR_MISSING;
	*obs |= QDH_OBS_VITAL_MISSING;
}

static void take_identity(const struct qdh_pci_attrs *a, struct qdh_inv_device *d,
			  unsigned *obs)
{
	int r = a->err[QDH_PA_IDENTITY];

	if (r < 0) {
		qdh_dev_problem(d, "%s: %s", a->bad_attr ? a->bad_attr : "class",
				r == -ERANGE ? "out of range" : strerror(-r));
		vital(d, obs);
		return;
	}
	d->vendor = a->vendor;
	d->device = a->device;
	d->class_code = (uint32_t)a->class_code;
}

static void take_power(const struct qdh_pci_attrs *a, struct qdh_inv_device *d,
		       unsigned *obs)
{
	int r = a->err[QDH_PA_POWER];

	if (r == 0)
		strcpy(d->power_state, a->power_state);
	else if (r == -EINVAL)
		qdh_dev_problem(d, "power_state: unexpected value");
	else if (r != -ENOENT)	/* kernels before 5.x have no power_state */
		qdh_dev_problem(d, "power_state: %s", strerror(-r));
	if (r < 0 && r != -ENOENT)
		vital(d, obs);
}

static void take_config(const struct qdh_pci_attrs *a, struct qdh_inv_device *d)
{
	int r = a->err[QDH_PA_CONFIG];

	if (r == -ENODATA)
		return;		/* D3cold: not read */
	if (r < 0) {
		d->reasons |= QDH_R_CONFIG_UNREADABLE;
		if (r == -EIO)
			qdh_dev_problem(d, "config: only %zu bytes", a->config_len);
		else if (r == -ENXIO)
			qdh_dev_problem(d, "config: reads all ones");
		else
			qdh_dev_problem(d, "config: %s", strerror(-r));
		return;
	}
	d->command = a->command;
	d->header_type = a->header_type;
	d->vf_config = a->vf_config;
	d->cfg = a->cfg;	/* what the DMA alias walk needs (alias.c) */
}

static void take_driver(const struct qdh_pci_attrs *a, struct qdh_inv_device *d,
			unsigned *obs)
{
	int r = a->err[QDH_PA_DRIVER];

	if (r == 0) {
		strcpy(d->driver, a->driver);
	} else if (r != -ENOENT) {
		qdh_dev_problem(d, "driver: %s", strerror(-r));
		vital(d, obs);
	}
}

/*
 * Could it be mastering?  Bus Master on or unread, or a user-owned group.
 * "enable" and "reset_method" only matter for such a device (a reason and
 * the reset-then-attach action), so only such devices pay for reading
 * them: at 100k functions every syscall per function shows.
 */
static int may_master(const struct qdh_inv_device *d)
{
	return d->command < 0 || (d->command & PCI_CMD_BUS_MASTER) ||
	       !strncmp(d->driver, "vfio", 4) || !strcmp(d->group_type, "unmanaged");
}

static void take_enable(const struct qdh_pci_attrs *a, struct qdh_inv_device *d,
			unsigned *obs)
{
	int r = a->err[QDH_PA_ENABLE];

	if (r == 0) {
		d->enable = a->enable;
	} else if (r != -ENOENT && r != -ENODATA) {
		qdh_dev_problem(d, "enable: %s", r == -ERANGE ? "out of range" : strerror(-r));
		vital(d, obs);
	}
}

/* A bad value counts as "no method". */
static void take_reset_method(const struct qdh_pci_attrs *a, struct qdh_inv_device *d)
{
	int r = a->err[QDH_PA_RESET_METHOD];

	if (r == 0)
		strcpy(d->reset_method, a->reset_method);
	else if (r == -ENAMETOOLONG)
		qdh_dev_problem(d, "reset_method: too long");
	else if (r == -EINVAL)
		qdh_dev_problem(d, "reset_method: unexpected value");
}

/*
 * Only a VF has a physfn link, and a VF's config reads vendor 0xffff
 * (SR-IOV 1.1, 3.4.1.1): every other function skips the lookup.
 */
static void take_physfn(struct qdh_scan_ctx *c, const struct qdh_pci_attrs *a, size_t i)
{
	struct qdh_inv_device *d = &c->inv->devices[i];
	char path[512];

	if (a->err[QDH_PA_PHYSFN] < 0)
		return;
	d->flags |= QDH_DEV_F_SRIOV_VF;
	if (qdh_path_join(d->sysfs_path, a->physfn, path, sizeof(path)) == 0)
		c->physfn[i] = strdup(path);	/* NULL on ENOMEM: just no PF */
}

static void scan_one(struct qdh_scan_ctx *c, const struct qdh_pci_entry *e)
{
	struct qdh_inv_device *d;
	struct qdh_pci_attrs a;
	unsigned obs = 0;
	size_t i;

	d = qdh_scan_new_device(c);
	if (!d)
		return;
	i = (size_t)(d - c->inv->devices);
	d->bus = QDH_INV_PCI;
	snprintf(d->name, sizeof(d->name), "%s", e->name);
	d->domain = e->domain;
	d->busno = e->bus;
	d->devfn = e->devfn;
	if (e->path_err)
		qdh_dev_problem(d, "bus entry: %s", strerror(-e->path_err));
	else
		snprintf(d->sysfs_path, sizeof(d->sysfs_path), "%s", e->path);
	if (e->dv_err) {
		qdh_dev_problem(d, "device directory: %s", strerror(-e->dv_err));
		goto gone;
	}
	if (d->sysfs_path[0]) {
		const char *base = strrchr(d->sysfs_path, '/');

		if (base && strcmp(base + 1, e->name)) {
			qdh_dev_problem(d, "bus entry points at %s", base + 1);
			d->reasons |= QDH_R_CONTRADICTION;
		}
	}
	qdh_pci_attrs_init(&a);
	qdh_pci_read(&e->dv, QDH_PA(POWER) | QDH_PA(CONFIG) | QDH_PA(IDENTITY) |
		     QDH_PA(DRIVER) | QDH_PA(GROUP), &a);
	take_power(&a, d, &obs);
	take_config(&a, d);
	take_identity(&a, d, &obs);
	if ((d->reasons & QDH_R_CONFIG_UNREADABLE) && qdh_pci_entry_vanished(e)) {
		d->problem[0] = '\0';
		qdh_dev_problem(d, "device directory: %s", strerror(errno));
		goto gone;
	}
	take_driver(&a, d, &obs);
	qdh_scan_group(c, &a, d, &obs);
	if (may_master(d) && !a.d3cold) {
		qdh_pci_read(&e->dv, QDH_PA(ENABLE) | QDH_PA(RESET_METHOD), &a);
		take_enable(&a, d, &obs);
		take_reset_method(&a, d);
	}
	/* The kernel links "iommu" only for a device in an IOMMU group. */
	if (d->iommu_group >= 0 || (obs & QDH_OBS_VITAL_MISSING)) {
		qdh_pci_read(&e->dv, QDH_PA(IOMMU), &a);
		qdh_scan_iommu_link(c, &a, d);
	}
	if (d->command < 0 || d->vf_config) {
		qdh_pci_read(&e->dv, QDH_PA(PHYSFN), &a);
		take_physfn(c, &a, i);
	}
	d->is_bridge = qdh_pci_is_bridge((int)d->class_code, d->header_type);
	c->obs[i] |= obs;
	return;
gone:
	/* Nothing read is trusted; firmware still knows its StreamIDs (alias.c,
	 * later), so the next kernel can block them. */
	d->reasons = QDH_R_ATTR_MISSING | QDH_R_CONFIG_UNREADABLE;
	d->command = -1;
	d->vendor = d->device = 0;
	d->class_code = 0;
	d->header_type = -1;
	d->power_state[0] = '\0';
	qdh_pcicfg_parse(NULL, 0, &d->cfg);
	c->obs[i] = QDH_OBS_VANISHED;
}

int qdh_scan_pci(struct qdh_scan_ctx *c)
{
	struct qdh_pci_walk w;
	struct qdh_pci_entry e;
	int r = qdh_pci_walk_open(&w, c->sr);

	if (r == -ENOENT)
		return 0;	/* no PCI on this machine */
	if (r < 0)
		return r;
	while ((r = qdh_pci_walk_next(&w, &e)) > 0) {
		if (!e.bdf_ok) {
			qdh_scan_add_skip(c, e.name, "not a PCI address");
			continue;
		}
		scan_one(c, &e);
		if (c->err)
			break;
	}
	qdh_pci_walk_close(&w);
	return c->err ? c->err : r;
}

/*
 * A function on a root bus ("pciDDDD:BB" directory) normally has no parent
 * device.  If that bus directory sits inside a device in the inventory,
 * that device created the bus (Intel VMD: pci_create_root_bus() with the
 * VMD endpoint as parent): it is the upstream of the whole domain.
 * busdir is modified.
 */
static int root_bus_host(const struct qdh_path_index *idx, char *busdir)
{
	char *slash = strrchr(busdir, '/'), name[QDH_BDF_NAME_MAX + 8];
	struct qdh_bdf bdf;

	if (!slash || slash == busdir || strncmp(slash + 1, "pci", 3))
		return -1;
	/* "pci10000:e0" names domain:bus in the kernel's format */
	if (snprintf(name, sizeof(name), "%s:00.0", slash + 4) >= (int)sizeof(name) ||
	    qdh_bdf_parse(name, &bdf) < 0)
		return -1;
	*slash = '\0';
	return qdh_path_index_find(idx, busdir);
}

int qdh_scan_pci_link(struct qdh_scan_ctx *c, const struct qdh_path_index *idx)
{
	struct qdh_inventory *inv = c->inv;
	char parent[sizeof(inv->devices[0].sysfs_path)];
	size_t i;

	for (i = 0; i < inv->ndevices; i++) {
		struct qdh_inv_device *d = &inv->devices[i];
		char *slash;

		if (d->bus != QDH_INV_PCI || !d->sysfs_path[0])
			continue;
		strcpy(parent, d->sysfs_path);
		slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = '\0';
			d->parent = qdh_path_index_find(idx, parent);
			if (d->parent < 0)
				d->parent = root_bus_host(idx, parent);
		}
		if (c->physfn[i]) {
			d->physfn = qdh_path_index_find(idx, c->physfn[i]);
			if (d->physfn < 0)
				qdh_dev_problem(d, "physfn: its PF is not among the devices");
		}
	}
	return 0;
}
