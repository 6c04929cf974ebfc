// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCI functions from /sys/bus/pci/devices.  One directory fd per function,
 * every attribute read relative to it; the Command register comes from the
 * first 64 bytes of "config" (PCI Local Bus 3.0, 6.2.2: bit 1 Memory Space,
 * bit 2 Bus Master; header type at 0x0e, class code at 0x09-0x0b).
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
#define PCI_HEADER_BRIDGE	1	/* type 1: PCI-to-PCI bridge */
#define PCI_HEADER_CARDBUS	2

static const char *const power_states[] = {
	"D0", "D1", "D2", "D3hot", "D3cold", "unknown", "error", NULL
};

static int is_bridge(const struct qdh_inv_device *d)
{
	unsigned cls = d->class_code >> 8;

	if (d->header_type == PCI_HEADER_BRIDGE || d->header_type == PCI_HEADER_CARDBUS)
		return 1;
	/* host (0x0600), PCI-PCI (0x0604), CardBus (0x0607), semi-transparent
	 * PCI-PCI (0x0609).  ISA/LPC and "other" bridges may master: no. */
	return cls == 0x0600 || cls == 0x0604 || cls == 0x0607 || cls == 0x0609;
}

static void read_identity_attrs(const struct qdh_dev *fd, struct qdh_inv_device *d, unsigned *obs)
{
	static const char *const names[] = { "vendor", "device", "class" };
	uint64_t v[3];
	unsigned i;

	for (i = 0; i < 3; i++) {
		int r = qdh_dev_read_num(fd, names[i], &v[i]);

		if (r < 0 || v[i] > (i == 2 ? 0xffffffu : 0xffffu)) {
			qdh_dev_problem(d, "%s: %s", names[i],
					r < 0 ? strerror(-r) : "out of range");
			d->reasons |= QDH_R_ATTR_MISSING;
			*obs |= QDH_OBS_VITAL_MISSING;
			return;
		}
	}
	d->vendor = (uint16_t)v[0];
	d->device = (uint16_t)v[1];
	d->class_code = (uint32_t)v[2] & 0xffffff;
}

static void read_config(const struct qdh_dev *fd, struct qdh_inv_device *d, unsigned *obs)
{
	unsigned char cfg[65];
	size_t len = 0;
	int r = qdh_dev_read(fd, "config", (char *)cfg, sizeof(cfg), &len);

	if (r < 0 || len < 8) {
		d->reasons |= QDH_R_CONFIG_UNREADABLE;
		if (r < 0)
			qdh_dev_problem(d, "config: %s", strerror(-r));
		else
			qdh_dev_problem(d, "config: only %zu bytes", len);
		read_identity_attrs(fd, d, obs);
		return;
	}
	if (cfg[0] == 0xff && cfg[1] == 0xff && cfg[4] == 0xff && cfg[5] == 0xff) {
		/* All ones: the read master-aborted (device gone or link down). */
		d->reasons |= QDH_R_CONFIG_UNREADABLE;
		qdh_dev_problem(d, "config: reads all ones");
		read_identity_attrs(fd, d, obs);
		return;
	}
	d->command = cfg[4] | cfg[5] << 8;
	if (len >= 15)
		d->header_type = cfg[14] & 0x7f;
	if (len >= 12 && !(cfg[0] == 0xff && cfg[1] == 0xff)) {
		d->vendor = (uint16_t)(cfg[0] | cfg[1] << 8);
		d->device = (uint16_t)(cfg[2] | cfg[3] << 8);
		d->class_code = (uint32_t)cfg[11] << 16 | (uint32_t)cfg[10] << 8 | cfg[9];
	} else {
		/* SR-IOV VFs read vendor 0xffff (SR-IOV 1.1, 3.4.1.1). */
		d->vf_config = 1;
		read_identity_attrs(fd, d, obs);
	}
}

static void read_power(const struct qdh_dev *fd, struct qdh_inv_device *d, unsigned *obs)
{
	char buf[32];
	int r = qdh_dev_read_str(fd, "power_state", buf, sizeof(buf));
	unsigned i;

	if (r == -ENOENT)
		return;		/* kernels before 5.x have no power_state */
	if (r < 0) {
		qdh_dev_problem(d, "power_state: %s", strerror(-r));
		d->reasons |= QDH_R_ATTR_MISSING;
		*obs |= QDH_OBS_VITAL_MISSING;
		return;
	}
	for (i = 0; power_states[i]; i++) {
		if (!strcmp(buf, power_states[i])) {
			strcpy(d->power_state, buf);
			return;
		}
	}
	qdh_dev_problem(d, "power_state: unexpected value");
	d->reasons |= QDH_R_ATTR_MISSING;
	*obs |= QDH_OBS_VITAL_MISSING;
}

static void read_driver(const struct qdh_dev *fd, struct qdh_inv_device *d, unsigned *obs)
{
	int r = qdh_dev_link_name(fd, "driver", d->driver, sizeof(d->driver));

	if (r == -ENOENT) {
		d->driver[0] = '\0';
		return;
	}
	if (r < 0) {
		d->driver[0] = '\0';
		qdh_dev_problem(d, "driver: %s", strerror(-r));
		d->reasons |= QDH_R_ATTR_MISSING;
		*obs |= QDH_OBS_VITAL_MISSING;
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

static void read_enable(const struct qdh_dev *fd, struct qdh_inv_device *d, unsigned *obs)
{
	uint64_t v;
	int r;

	if (!may_master(d) || !strcmp(d->power_state, "D3cold"))
		return;
	r = qdh_dev_read_num(fd, "enable", &v);

	if (r == 0 && v <= 0xffff) {
		d->enable = (int)v;
	} else if (r != -ENOENT) {
		qdh_dev_problem(d, "enable: %s", r < 0 ? strerror(-r) : "out of range");
		d->reasons |= QDH_R_ATTR_MISSING;
		*obs |= QDH_OBS_VITAL_MISSING;
	}
}

/* For may_master() devices; a bad value counts as "no method". */
static void read_reset_method(const struct qdh_dev *fd, struct qdh_inv_device *d)
{
	char buf[96];
	size_t i;

	if (!may_master(d) || !strcmp(d->power_state, "D3cold") ||
	    qdh_dev_read_str(fd, "reset_method", buf, sizeof(buf)) < 0)
		return;
	if (strlen(buf) >= sizeof(d->reset_method)) {
		qdh_dev_problem(d, "reset_method: too long");
		return;
	}
	for (i = 0; buf[i]; i++)
		if (!(buf[i] >= 'a' && buf[i] <= 'z') && buf[i] != '_' &&
		    buf[i] != ' ' && !(buf[i] >= '0' && buf[i] <= '9'))
			break;
	if (!buf[i])
		strcpy(d->reset_method, buf);
	else
		qdh_dev_problem(d, "reset_method: unexpected value");
}

static void read_physfn(struct qdh_scan_ctx *c, const struct qdh_dev *fd, size_t i)
{
	struct qdh_inv_device *d = &c->inv->devices[i];
	char target[512], path[512];

	/*
	 * Only a VF has a physfn link, and a VF's config reads vendor 0xffff
	 * (SR-IOV 1.1, 3.4.1.1): skip the lookup for every other function.
	 */
	if (d->command >= 0 && !d->vf_config)
		return;
	if (qdh_dev_readlink(fd, "physfn", target, sizeof(target)) < 0)
		return;
	d->flags |= QDH_DEV_F_SRIOV_VF;
	if (qdh_path_join(d->sysfs_path, target, path, sizeof(path)) == 0)
		c->physfn[i] = strdup(path);	/* NULL on ENOMEM: just no PF */
}

static void read_sids(struct qdh_scan_ctx *c, struct qdh_inv_device *d)
{
	uint32_t sids[QDH_INV_MAX_SIDS];
	uint16_t rid = (uint16_t)(d->busno << 8 | d->devfn);
	int iommu = -1;
	int n = qdh_topology_pci_sids(c->topo, d->segment, rid, &iommu, sids,
				      QDH_INV_MAX_SIDS);

	if (n < 0) {
		qdh_dev_problem(d, "StreamIDs: %s", strerror(-n));
		return;
	}
	if (d->iommu < 0) {
		d->iommu = iommu;
	} else if (iommu >= 0 && iommu != d->iommu) {
		/* The kernel's link wins: it is what the running kernel uses. */
		qdh_dev_problem(d, "firmware maps it to IOMMU %d, the iommu link to %d",
				iommu, d->iommu);
	}
	if (n > QDH_INV_MAX_SIDS)
		n = QDH_INV_MAX_SIDS;
	memcpy(d->sids, sids, (size_t)n * sizeof(sids[0]));
	d->nsids = (unsigned)n;
	if (n == 0 && d->iommu >= 0 &&
	    (size_t)d->iommu < c->inv->niommus) {
		uint8_t t = c->inv->iommus[d->iommu].type;

		/* VT-d and AMD-Vi tag DMA with the requester ID itself. */
		if (t == QDH_IOMMU_VTD || t == QDH_IOMMU_AMDVI) {
			d->sids[0] = rid;
			d->nsids = 1;
		}
	}
}

/*
 * Point dv at the device directory.  Devices are listed grouped by parent,
 * so an fd on the parent (cached) plus "BDF/" prefixes saves opening and
 * closing a directory per function; the lexical path comes from the bus
 * link.  Falls back to opening the bus entry itself.  0, or -errno if the
 * device directory cannot be reached (vanished, looping link).
 */
static int open_dev(struct qdh_scan_ctx *c, int busfd, const char *name,
		    const struct qdh_inv_device *d, struct qdh_dev *dv, int *own)
{
	const char *slash = strrchr(d->sysfs_path, '/');
	size_t plen = slash ? (size_t)(slash - d->sysfs_path) : 0;

	*own = 0;
	dv->pre[0] = '\0';
	if (plen && plen < sizeof(c->parent_dir) && strlen(slash + 1) + 2 < sizeof(dv->pre)) {
		if (c->parent_fd < 0 || strncmp(c->parent_dir, d->sysfs_path, plen) ||
		    c->parent_dir[plen]) {
			char parent[sizeof(c->parent_dir)];
			int fd;

			memcpy(parent, d->sysfs_path, plen);
			parent[plen] = '\0';
			fd = qdh_sysroot_openat(c->sr, parent, O_PATH | O_DIRECTORY);
			if (fd >= 0) {
				if (c->parent_fd >= 0)
					close(c->parent_fd);
				c->parent_fd = fd;
				strcpy(c->parent_dir, parent);
			}
		}
		if (c->parent_fd >= 0 && !strncmp(c->parent_dir, d->sysfs_path, plen) &&
		    !c->parent_dir[plen]) {
			dv->fd = c->parent_fd;
			snprintf(dv->pre, sizeof(dv->pre), "%s/", slash + 1);
			return 0;
		}
	}
	dv->fd = openat(busfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dv->fd < 0)
		return -errno;
	*own = 1;
	return 0;
}

/* The parent-fd path reads through no link: tell "vanished" apart. */
static int vanished(const struct qdh_dev *dv, int busfd, const char *name)
{
	struct stat st;

	if (dv->pre[0])
		return fstatat(busfd, name, &st, 0) < 0;
	return 0;
}

static void scan_one(struct qdh_scan_ctx *c, int busfd, const char *name)
{
	const struct qdh_dev bus = { busfd, "" };
	struct qdh_inv_device *d;
	struct qdh_dev dv;
	char target[512];
	unsigned obs = 0;
	size_t i;
	int own, r;

	d = qdh_scan_new_device(c);
	if (!d)
		return;
	i = (size_t)(d - c->inv->devices);
	d->bus = QDH_INV_PCI;
	snprintf(d->name, sizeof(d->name), "%s", name);
	qdh_parse_bdf(name, &d->segment, &d->busno, &d->devfn);

	r = qdh_dev_readlink(&bus, name, target, sizeof(target));
	if (r == 0)
		r = qdh_path_join(QDH_PATH_PCI_DEVICES, target, d->sysfs_path,
				  sizeof(d->sysfs_path));
	else if (r == -EINVAL)	/* a directory, not a link (some captures) */
		r = qdh_path_join(QDH_PATH_PCI_DEVICES, name, d->sysfs_path,
				  sizeof(d->sysfs_path));
	if (r < 0) {
		qdh_dev_problem(d, "bus entry: %s", strerror(-r));
		d->sysfs_path[0] = '\0';
	}
	r = open_dev(c, busfd, name, d, &dv, &own);
	if (r < 0) {
		qdh_dev_problem(d, "device directory: %s", strerror(-r));
		goto gone;
	}
	if (d->sysfs_path[0]) {
		const char *base = strrchr(d->sysfs_path, '/');

		if (base && strcmp(base + 1, name)) {
			qdh_dev_problem(d, "bus entry points at %s", base + 1);
			d->reasons |= QDH_R_CONTRADICTION;
		}
	}
	read_power(&dv, d, &obs);
	/* Reading config resumes a runtime-suspended D3cold device: skip. */
	if (strcmp(d->power_state, "D3cold"))
		read_config(&dv, d, &obs);
	else
		read_identity_attrs(&dv, d, &obs);
	if ((d->reasons & QDH_R_CONFIG_UNREADABLE) && vanished(&dv, busfd, name)) {
		d->problem[0] = '\0';
		qdh_dev_problem(d, "device directory: %s", strerror(errno));
		goto gone;
	}
	read_driver(&dv, d, &obs);
	qdh_scan_group(c, &dv, d, &obs);
	read_enable(&dv, d, &obs);
	read_reset_method(&dv, d);
	/* The kernel links "iommu" only for a device in an IOMMU group. */
	if (d->iommu_group >= 0 || (obs & QDH_OBS_VITAL_MISSING))
		qdh_scan_iommu_link(c, &dv, d);
	read_physfn(c, &dv, i);
	if (own)
		close(dv.fd);
	d->is_bridge = is_bridge(d);
	read_sids(c, d);
	c->obs[i] |= obs;
	return;
gone:
	/* Nothing read is trusted; firmware still knows its StreamIDs, so
	 * the next kernel can block them. */
	d->reasons = QDH_R_ATTR_MISSING | QDH_R_CONFIG_UNREADABLE;
	d->command = -1;
	d->vendor = d->device = 0;
	d->class_code = 0;
	d->header_type = -1;
	d->power_state[0] = '\0';
	c->obs[i] = QDH_OBS_VANISHED;
	read_sids(c, d);
}

int qdh_scan_pci(struct qdh_scan_ctx *c)
{
	DIR *dir = qdh_sysroot_opendir(c->sr, QDH_PATH_PCI_DEVICES);
	struct dirent *e;

	if (!dir) {
		if (errno == ENOENT)
			return 0;	/* no PCI on this machine */
		return -errno;
	}
	while ((errno = 0, e = readdir(dir))) {
		uint16_t seg;
		uint8_t bus, devfn;

		if (e->d_name[0] == '.')
			continue;
		if (qdh_parse_bdf(e->d_name, &seg, &bus, &devfn) < 0) {
			qdh_scan_add_skip(c, e->d_name, "not a PCI address");
			continue;
		}
		scan_one(c, dirfd(dir), e->d_name);
		if (c->err)
			break;
	}
	closedir(dir);
	return c->err;
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
		}
		if (c->physfn[i]) {
			d->physfn = qdh_path_index_find(idx, c->physfn[i]);
			if (d->physfn < 0)
				qdh_dev_problem(d, "physfn: its PF is not among the devices");
		}
	}
	return 0;
}
