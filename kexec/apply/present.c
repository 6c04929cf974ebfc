// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What is present in the crash kernel now, read from sysfs through the
 * sysroot, through the same sysfs device model as `qdh scan`
 * (qdh/pcidev.h).  Deliberately small: apply runs before udev, early in a
 * kernel that just survived a panic, and needs only a handful of
 * attributes per device (class, config header, driver, reset_method,
 * driver_override).  It does not parse firmware tables or compute
 * verdicts: the verdicts are the blob's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply-internal.h"
#include "qdh/pcidev.h"
#include "qdh/array.h"

static struct qdh_now_dev *add(struct qdh_now *now)
{
	struct qdh_now_dev *d = qdh_array_room(now->devs, &now->cap, now->n,
					       sizeof(*d), 32);

	if (!d)
		return NULL;
	now->devs = d;
	memset(&now->devs[now->n], 0, sizeof(now->devs[0]));
	return &now->devs[now->n++];
}

/* What the sysfs device model read, as apply keeps it. */
static void take(const struct qdh_pci_attrs *a, struct qdh_now_dev *d)
{
	/* The class even when vendor or device could not be read. */
	d->class_code = a->class_code;
	if (a->err[QDH_PA_CONFIG] == 0) {
		d->command = a->command;
		d->header_type = a->header_type;
	}
	snprintf(d->driver, sizeof(d->driver), "%s", a->driver);
	if (a->err[QDH_PA_RESET_METHOD] == 0)
		snprintf(d->reset_method, sizeof(d->reset_method), "%s", a->reset_method);
	d->has_reset = a->has_reset;
	d->has_override = a->has_override;
	snprintf(d->override, sizeof(d->override), "%s", a->override);
}

/*
 * The attributes apply decides and enforces with.  POWER first: the model
 * leaves a D3cold function's config alone (reading it resumes the device).
 */
#define NOW_PCI_ATTRS	(QDH_PA(POWER) | QDH_PA(CONFIG) | QDH_PA(IDENTITY) | \
			 QDH_PA(DRIVER) | QDH_PA(RESET_METHOD) | QDH_PA(RESET) | \
			 QDH_PA(OVERRIDE))

static int scan_pci(const struct qdh_sysroot *sr, struct qdh_now *now,
		    const struct qdh_log *log)
{
	struct qdh_pci_walk w;
	struct qdh_pci_entry e;
	int r = qdh_pci_walk_open(&w, sr);

	if (r == -ENOENT)
		return 0;	/* no PCI at all */
	if (r < 0)
		return r;
	while ((r = qdh_pci_walk_next(&w, &e)) > 0) {
		struct qdh_pci_attrs a;
		struct qdh_now_dev *d;

		if (!e.bdf_ok) {
			qdh_logf(log, QDH_LOG_WARN, "%s: ignoring entry '%.64s': not a PCI address",
				 QDH_PATH_PCI_DEVICES, e.name);
			continue;
		}
		d = add(now);
		if (!d) {
			r = -ENOMEM;
			break;
		}
		apply_fmt(d->name, sizeof(d->name), "%s", e.name);
		d->domain = e.domain;
		d->bus = e.bus;
		d->devfn = e.devfn;
		d->class_code = d->header_type = d->command = -1;
		/* The lexical path, as scan has it: no walk per component. */
		if (e.path[0])
			apply_fmt(d->path, sizeof(d->path), "%s", e.path);
		else
			apply_fmt(d->path, sizeof(d->path), "%s/%s", QDH_PATH_PCI_DEVICES, e.name);
		if (e.dv_err)
			continue;	/* there, unreadable: enforcement says why */
		qdh_pci_attrs_init(&a);
		qdh_pci_read(&e.dv, NOW_PCI_ATTRS, &a);
		take(&a, d);
	}
	qdh_pci_walk_close(&w);
	return r;
}

/* Platform devices the blob names; names are untrusted (no '/', no dots). */
static int scan_platform(const struct qdh_sysroot *sr, const struct qdh_view *v,
			 struct qdh_now *now, const struct qdh_log *log)
{
	struct qdh_dev_iter it;
	struct qdh_device_info di;

	for (qdh_dev_iter_init(&it, v); qdh_dev_iter_next(&it, &di) == 1;) {
		struct qdh_pci_attrs a;
		struct qdh_now_dev *d;
		struct qdh_dev dv;
		char link[600];

		if (!di.is_platform || !di.name)
			continue;
		if (!*di.name || strchr(di.name, '/') || di.name[0] == '.' ||
		    strlen(di.name) >= sizeof(d->name)) {
			qdh_logf(log, QDH_LOG_WARN, "blob names an impossible platform device '%.64s'",
				 di.name);
			continue;
		}
		apply_fmt(link, sizeof(link), "%s/%s", QDH_PATH_PLATFORM_DEVICES, di.name);
		dv.sr = sr;
		dv.fd = qdh_sysroot_openat(sr, link, O_PATH | O_DIRECTORY);
		if (dv.fd < 0)
			continue;
		dv.pre[0] = '\0';
		d = add(now);
		if (!d) {
			close(dv.fd);
			return -ENOMEM;
		}
		apply_fmt(d->name, sizeof(d->name), "%s", di.name);
		d->is_platform = 1;
		d->class_code = d->header_type = d->command = -1;
		if (qdh_sysroot_resolve(sr, link, d->path, sizeof(d->path)) < 0)
			apply_fmt(d->path, sizeof(d->path), "%s", link);
		qdh_pci_attrs_init(&a);
		qdh_pci_read(&dv, QDH_PA(DRIVER) | QDH_PA(OVERRIDE), &a);
		take(&a, d);
		close(dv.fd);
	}
	return 0;
}

int qdh_now_scan(const struct qdh_sysroot *sr, const struct qdh_view *v,
		 struct qdh_now *now, const struct qdh_log *log)
{
	int r;

	memset(now, 0, sizeof(*now));
	r = scan_pci(sr, now, log);
	if (r == 0 && v)
		r = scan_platform(sr, v, now, log);
	return r;
}

void qdh_now_free(struct qdh_now *now)
{
	free(now->devs);
	memset(now, 0, sizeof(*now));
}

int qdh_now_is_bridge(const struct qdh_now_dev *d)
{
	return !d->is_platform && qdh_pci_is_bridge(d->class_code, d->header_type);
}
