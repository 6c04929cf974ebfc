// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sysfs device model of a PCI function (include/qdh/pcidev.h): walking
 * the bus directory and reading one function's attributes, for both
 * `qdh scan` and `qdh apply`.  The Command register and header type come
 * from the first 64 bytes of "config" (PCI Local Bus 3.0, 6.2.2: bit 2 Bus
 * Master; header type at 0x0e, class code at 0x09-0x0b); the same read of
 * 256 bytes gives the capabilities the DMA alias walk needs (pcicfg.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qdh/pcidev.h"

/* --- The bus directory ---------------------------------------------------- */

int qdh_pci_walk_open(struct qdh_pci_walk *w, const struct qdh_sysroot *sr)
{
	memset(w, 0, sizeof(*w));
	w->sr = sr;
	w->parent_fd = -1;
	w->own_fd = -1;
	w->bus = qdh_sysroot_opendir(sr, QDH_PATH_PCI_DEVICES);
	return w->bus ? 0 : -errno;
}

void qdh_pci_walk_close(struct qdh_pci_walk *w)
{
	if (w->own_fd >= 0)
		close(w->own_fd);
	if (w->parent_fd >= 0)
		close(w->parent_fd);
	if (w->bus)
		closedir(w->bus);
	w->own_fd = w->parent_fd = -1;
	w->bus = NULL;
}

/*
 * Open e->dv: the function's own directory, one component beneath the
 * cached parent fd when the lexical path is known (O_NOFOLLOW: a real
 * directory, as sysfs has), else the bus entry resolved inside the
 * sysroot.  Reads below it are then one component each.
 */
static int open_dev(struct qdh_pci_walk *w, struct qdh_pci_entry *e)
{
	const char *slash = strrchr(e->path, '/');
	size_t plen = slash ? (size_t)(slash - e->path) : 0;
	char bus[sizeof(QDH_PATH_PCI_DEVICES) + 300];

	e->dv.sr = w->sr;
	e->dv.pre[0] = '\0';
	if (plen && plen < sizeof(w->parent_dir)) {
		if (w->parent_fd < 0 || strncmp(w->parent_dir, e->path, plen) ||
		    w->parent_dir[plen]) {
			char parent[sizeof(w->parent_dir)];
			int fd;

			memcpy(parent, e->path, plen);
			parent[plen] = '\0';
			fd = qdh_sysroot_openat(w->sr, parent, O_PATH | O_DIRECTORY);
			if (fd >= 0) {
				if (w->parent_fd >= 0)
					close(w->parent_fd);
				w->parent_fd = fd;
				memcpy(w->parent_dir, parent, plen + 1);
			}
		}
		if (w->parent_fd >= 0 && !strncmp(w->parent_dir, e->path, plen) &&
		    !w->parent_dir[plen])
			w->own_fd = qdh_sysroot_open_beneath(w->sr, w->parent_fd, slash + 1,
							     O_PATH | O_DIRECTORY | O_NOFOLLOW);
	}
	if (w->own_fd < 0) {
		snprintf(bus, sizeof(bus), "%s/%s", QDH_PATH_PCI_DEVICES, e->name);
		w->own_fd = qdh_sysroot_openat(w->sr, bus, O_PATH | O_DIRECTORY);
		if (w->own_fd < 0)
			return w->own_fd;
	}
	e->dv.fd = w->own_fd;
	return 0;
}

int qdh_pci_walk_next(struct qdh_pci_walk *w, struct qdh_pci_entry *e)
{
	const struct qdh_dev bus = { w->sr, dirfd(w->bus), "" };
	char target[512];
	struct qdh_bdf bdf;
	struct dirent *de;
	int r;

	if (w->own_fd >= 0) {
		close(w->own_fd);
		w->own_fd = -1;
	}
	do {
		errno = 0;
		de = readdir(w->bus);
		if (!de)
			return errno ? -errno : 0;
	} while (de->d_name[0] == '.');
	memset(e, 0, offsetof(struct qdh_pci_entry, path));
	e->name = de->d_name;
	e->path[0] = '\0';
	e->path_err = 0;
	e->dv.sr = w->sr;
	e->dv.fd = -1;
	e->dv.pre[0] = '\0';
	e->dv_err = -ENOENT;
	e->busfd = bus.fd;
	e->bdf_ok = qdh_bdf_parse(e->name, &bdf) == 0;
	if (!e->bdf_ok)
		return 1;
	e->domain = bdf.domain;
	e->bus = bdf.bus;
	e->devfn = bdf.devfn;
	r = qdh_dev_readlink(&bus, e->name, target, sizeof(target));
	if (r == 0)
		r = qdh_path_join(QDH_PATH_PCI_DEVICES, target, e->path, sizeof(e->path));
	else if (r == -EINVAL)	/* a directory, not a link (some captures) */
		r = qdh_path_join(QDH_PATH_PCI_DEVICES, e->name, e->path, sizeof(e->path));
	if (r < 0) {
		e->path_err = r;
		e->path[0] = '\0';
	}
	e->dv_err = open_dev(w, e);
	return 1;
}

int qdh_pci_entry_vanished(const struct qdh_pci_entry *e)
{
	char bus[sizeof(QDH_PATH_PCI_DEVICES) + 300];

	/* The directory opened; its bus entry (the link, followed inside
	 * the sysroot) gone means the function went away meanwhile. */
	if (e->dv_err)
		return 0;
	snprintf(bus, sizeof(bus), "%s/%s", QDH_PATH_PCI_DEVICES, e->name);
	return !qdh_sysroot_exists(e->dv.sr, bus);
}

/* --- One function's attributes -------------------------------------------- */

static const char *const power_states[] = {
	"D0", "D1", "D2", "D3hot", "D3cold", "unknown", "error", NULL
};

void qdh_pci_attrs_init(struct qdh_pci_attrs *a)
{
	unsigned i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < QDH_PA_N; i++)
		a->err[i] = -ENODATA;
	a->class_code = a->command = a->header_type = a->enable = a->iommu_group = -1;
	qdh_pcicfg_parse(NULL, 0, &a->cfg);
}

static void read_power(const struct qdh_dev *dv, struct qdh_pci_attrs *a)
{
	char buf[32];
	int r = qdh_dev_read_str(dv, "power_state", buf, sizeof(buf));
	unsigned i;

	if (r == 0) {
		r = -EINVAL;
		for (i = 0; power_states[i]; i++)
			if (!strcmp(buf, power_states[i])) {
				strcpy(a->power_state, buf);
				r = 0;
			}
	}
	a->err[QDH_PA_POWER] = r;
	a->d3cold = r == 0 && !strcmp(a->power_state, "D3cold");
}

static void read_config(const struct qdh_dev *dv, struct qdh_pci_attrs *a)
{
	/* The header and the capability list: all the alias walk needs. */
	unsigned char cfg[256];
	size_t len = 0;
	int r = qdh_dev_read(dv, "config", (char *)cfg, sizeof(cfg), &len);

	a->config_len = len;
	if (r == 0 && len < 8)
		r = -EIO;
	else if (r == 0 && cfg[0] == 0xff && cfg[1] == 0xff && cfg[4] == 0xff && cfg[5] == 0xff)
		r = -ENXIO;	/* all ones: the read master-aborted */
	a->err[QDH_PA_CONFIG] = r;
	if (r < 0)
		return;
	a->command = cfg[4] | cfg[5] << 8;
	if (len >= 15)
		a->header_type = cfg[14] & 0x7f;
	qdh_pcicfg_parse(cfg, len, &a->cfg);
	if (len >= 12 && !(cfg[0] == 0xff && cfg[1] == 0xff)) {
		a->vendor = (uint16_t)(cfg[0] | cfg[1] << 8);
		a->device = (uint16_t)(cfg[2] | cfg[3] << 8);
		a->class_code = cfg[11] << 16 | cfg[10] << 8 | cfg[9];
	} else {
		/* SR-IOV VFs read vendor 0xffff (SR-IOV 1.1, 3.4.1.1). */
		a->vf_config = 1;
	}
}

/* Each attribute on its own: a bridge's class still counts without its vendor. */
static void read_identity(const struct qdh_dev *dv, struct qdh_pci_attrs *a)
{
	static const char *const names[] = { "vendor", "device", "class" };
	unsigned i;

	a->err[QDH_PA_IDENTITY] = 0;
	for (i = 0; i < 3; i++) {
		uint64_t v;
		int r = qdh_dev_read_num(dv, names[i], &v);

		if (r == 0 && v > (i == 2 ? 0xffffffu : 0xffffu))
			r = -ERANGE;
		if (r < 0) {
			if (!a->err[QDH_PA_IDENTITY]) {
				a->err[QDH_PA_IDENTITY] = r;
				a->bad_attr = names[i];
			}
			continue;
		}
		if (i == 0)
			a->vendor = (uint16_t)v;
		else if (i == 1)
			a->device = (uint16_t)v;
		else
			a->class_code = (int)v;
	}
}

static void read_reset_method(const struct qdh_dev *dv, struct qdh_pci_attrs *a)
{
	char buf[96];
	size_t i;
	int r = qdh_dev_read_str(dv, "reset_method", buf, sizeof(buf));

	if (r == 0 && strlen(buf) >= sizeof(a->reset_method))
		r = -ENAMETOOLONG;
	for (i = 0; r == 0 && buf[i]; i++)
		if (!(buf[i] >= 'a' && buf[i] <= 'z') && buf[i] != '_' &&
		    buf[i] != ' ' && !(buf[i] >= '0' && buf[i] <= '9'))
			r = -EINVAL;
	if (r == 0)
		strcpy(a->reset_method, buf);
	a->err[QDH_PA_RESET_METHOD] = r;
}

static void read_group(const struct qdh_dev *dv, struct qdh_pci_attrs *a)
{
	const char *base;
	unsigned long g;
	char *end;
	int r = qdh_dev_readlink(dv, "iommu_group", a->group_target, sizeof(a->group_target));

	if (r == 0) {
		base = strrchr(a->group_target, '/');
		base = base ? base + 1 : a->group_target;
		errno = 0;
		g = strtoul(base, &end, 10);
		if (!*base || *end || errno || g > 0x7fffffff || *base < '0' || *base > '9')
			r = -EINVAL;
		else
			a->iommu_group = (int)g;
	}
	if (r < 0)
		a->group_target[0] = '\0';
	a->err[QDH_PA_GROUP] = r;
}

void qdh_pci_read(const struct qdh_dev *dv, unsigned want, struct qdh_pci_attrs *a)
{
	uint64_t v;
	int r;

#define WANT(x) ((want & QDH_PA(x)) && a->err[QDH_PA_##x] == -ENODATA)
	if (WANT(POWER))
		read_power(dv, a);
	/* Reading config resumes a runtime-suspended D3cold device: skip. */
	if (WANT(CONFIG) && !a->d3cold)
		read_config(dv, a);
	if (WANT(IDENTITY)) {
		if (a->err[QDH_PA_CONFIG] == 0 && !a->vf_config)
			a->err[QDH_PA_IDENTITY] = 0;	/* the config header said */
		else
			read_identity(dv, a);
	}
	if (WANT(DRIVER)) {
		r = qdh_dev_link_name(dv, "driver", a->driver, sizeof(a->driver));
		if (r < 0)
			a->driver[0] = '\0';
		a->err[QDH_PA_DRIVER] = r;
	}
	if (WANT(ENABLE)) {
		r = qdh_dev_read_num(dv, "enable", &v);
		if (r == 0 && v > 0xffff)
			r = -ERANGE;
		if (r == 0)
			a->enable = (int)v;
		a->err[QDH_PA_ENABLE] = r;
	}
	if (WANT(RESET_METHOD))
		read_reset_method(dv, a);
	if (WANT(RESET)) {
		a->has_reset = qdh_dev_exists(dv, "reset");
		a->err[QDH_PA_RESET] = a->has_reset ? 0 : -ENOENT;
	}
	if (WANT(OVERRIDE)) {
		r = qdh_dev_read_str(dv, "driver_override", a->override, sizeof(a->override));
		a->has_override = r != -ENOENT;
		if (r < 0 || !strcmp(a->override, "(null)"))
			a->override[0] = '\0';
		a->err[QDH_PA_OVERRIDE] = r;
	}
	if (WANT(GROUP))
		read_group(dv, a);
	if (WANT(IOMMU)) {
		r = qdh_dev_link_name(dv, "iommu", a->iommu, sizeof(a->iommu));
		if (r < 0)
			a->iommu[0] = '\0';
		a->err[QDH_PA_IOMMU] = r;
	}
	if (WANT(PHYSFN)) {
		r = qdh_dev_readlink(dv, "physfn", a->physfn, sizeof(a->physfn));
		if (r < 0)
			a->physfn[0] = '\0';
		a->err[QDH_PA_PHYSFN] = r;
	}
#undef WANT
}

int qdh_pci_is_bridge(int class_code, int header_type)
{
	unsigned cls = class_code >= 0 ? (unsigned)class_code >> 8 : 0;

	if (header_type == 1 || header_type == 2)
		return 1;
	return class_code >= 0 &&
	       (cls == 0x0600 || cls == 0x0604 || cls == 0x0607 || cls == 0x0608 ||
		cls == 0x0609);
}
