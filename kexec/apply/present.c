// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What is present in the crash kernel now, read from sysfs through the
 * sysroot.  Deliberately small: apply runs before udev, early in a kernel
 * that just survived a panic, and needs only a handful of attributes per
 * device (class, config header, driver, reset_method).  It does not parse
 * firmware tables or compute verdicts: the verdicts are the blob's.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply-internal.h"

int qdh_apply_parse_bdf(const char *s, uint16_t *seg, uint8_t *bus, uint8_t *devfn)
{
	unsigned a, b, d, f;
	int n = 0;

	if (strlen(s) != 12 ||
	    sscanf(s, "%4x:%2x:%2x.%1x%n", &a, &b, &d, &f, &n) != 4 || n != 12 ||
	    d > 31 || f > 7)
		return -EINVAL;
	*seg = (uint16_t)a;
	*bus = (uint8_t)b;
	*devfn = (uint8_t)(d << 3 | f);
	return 0;
}

static struct qdh_now_dev *add(struct qdh_now *now)
{
	if (now->n == now->cap) {
		size_t cap = now->cap ? now->cap * 2 : 32;
		struct qdh_now_dev *n = realloc(now->devs, cap * sizeof(*n));

		if (!n)
			return NULL;
		now->devs = n;
		now->cap = cap;
	}
	memset(&now->devs[now->n], 0, sizeof(now->devs[0]));
	return &now->devs[now->n++];
}

/* Attributes both buses share: driver link and driver_override. */
static void read_common(const struct qdh_sysroot *sr, const char *dir,
			struct qdh_now_dev *d)
{
	char p[600];

	apply_fmt(p, sizeof(p), "%s/driver", dir);
	if (qdh_sysroot_link_name(sr, p, d->driver, sizeof(d->driver)) < 0)
		d->driver[0] = '\0';
	apply_fmt(p, sizeof(p), "%s/driver_override", dir);
	d->has_override = qdh_sysroot_exists(sr, p);
	if (!d->has_override ||
	    qdh_sysroot_read_str(sr, p, d->override, sizeof(d->override)) < 0 ||
	    !strcmp(d->override, "(null)"))
		d->override[0] = '\0';
}

static void read_pci(const struct qdh_sysroot *sr, const char *dir,
		     struct qdh_now_dev *d)
{
	uint8_t cfg[64];
	size_t len = 0;
	uint64_t v;
	char p[600];

	d->class_code = -1;
	d->header_type = -1;
	d->command = -1;
	apply_fmt(p, sizeof(p), "%s/class", dir);
	if (qdh_sysroot_read_u64(sr, p, &v) == 0 && v <= 0xffffff)
		d->class_code = (int)v;
	/* The first 64 bytes are readable by anyone; the header is there. */
	apply_fmt(p, sizeof(p), "%s/config", dir);
	if (qdh_sysroot_read_bin(sr, p, cfg, sizeof(cfg), &len) == 0) {
		if (len >= 6)
			d->command = qdh_le16(cfg + 4);
		if (len >= 0x0f)
			d->header_type = cfg[0x0e] & 0x7f;
	}
	apply_fmt(p, sizeof(p), "%s/reset_method", dir);
	if (qdh_sysroot_read_str(sr, p, d->reset_method,
				 sizeof(d->reset_method)) < 0)
		d->reset_method[0] = '\0';
	apply_fmt(p, sizeof(p), "%s/reset", dir);
	d->has_reset = qdh_sysroot_exists(sr, p);
	read_common(sr, dir, d);
}

static int scan_pci(const struct qdh_sysroot *sr, struct qdh_now *now,
		    const struct qdh_log *log)
{
	DIR *dir = qdh_sysroot_opendir(sr, QDH_PATH_PCI_DEVICES);
	struct dirent *e;

	if (!dir)
		return errno == ENOENT ? 0 : -errno;	/* no PCI at all */
	while ((e = readdir(dir))) {
		struct qdh_now_dev *d;
		char link[600];
		uint16_t seg;
		uint8_t bus, devfn;

		if (e->d_name[0] == '.')
			continue;
		if (qdh_apply_parse_bdf(e->d_name, &seg, &bus, &devfn) < 0) {
			qdh_logf(log, QDH_LOG_WARN, "%s: ignoring entry '%.64s': not a PCI address",
				 QDH_PATH_PCI_DEVICES, e->d_name);
			continue;
		}
		d = add(now);
		if (!d) {
			closedir(dir);
			return -ENOMEM;
		}
		apply_fmt(d->name, sizeof(d->name), "%s", e->d_name);
		d->segment = seg;
		d->bus = bus;
		d->devfn = devfn;
		apply_fmt(link, sizeof(link), "%s/%s", QDH_PATH_PCI_DEVICES, e->d_name);
		if (qdh_sysroot_resolve(sr, link, d->path, sizeof(d->path)) < 0)
			apply_fmt(d->path, sizeof(d->path), "%s", link);
		read_pci(sr, link, d);
	}
	closedir(dir);
	return 0;
}

/* Platform devices the blob names; names are untrusted (no '/', no dots). */
static int scan_platform(const struct qdh_sysroot *sr, const struct qdh_view *v,
			 struct qdh_now *now, const struct qdh_log *log)
{
	struct qdh_dev_iter it;
	struct qdh_device_info di;

	for (qdh_dev_iter_init(&it, v); qdh_dev_iter_next(&it, &di) == 1;) {
		struct qdh_now_dev *d;
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
		if (!qdh_sysroot_exists(sr, link))
			continue;
		d = add(now);
		if (!d)
			return -ENOMEM;
		apply_fmt(d->name, sizeof(d->name), "%s", di.name);
		d->is_platform = 1;
		d->class_code = d->header_type = d->command = -1;
		if (qdh_sysroot_resolve(sr, link, d->path, sizeof(d->path)) < 0)
			apply_fmt(d->path, sizeof(d->path), "%s", link);
		read_common(sr, link, d);
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

struct qdh_now_dev *qdh_now_find(const struct qdh_now *now, const char *name)
{
	size_t i;

	for (i = 0; i < now->n; i++)
		if (!strcmp(now->devs[i].name, name))
			return &now->devs[i];
	return NULL;
}

int qdh_now_is_bridge(const struct qdh_now_dev *d)
{
	if (d->is_platform)
		return 0;
	if (d->class_code >= 0) {
		unsigned cls = (unsigned)d->class_code >> 8;

		/* PCI-to-PCI, CardBus, semi-transparent PCI-to-PCI. */
		if (cls == 0x0604 || cls == 0x0607 || cls == 0x0609)
			return 1;
	}
	return d->header_type == 1 || d->header_type == 2;
}
