// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dump target: the device(s) the crash kernel needs to save the dump.
 * A path resolves through its filesystem's block device (stat -> st_dev ->
 * /sys/dev/block/MAJ:MIN -> the device's sysfs directory, partitions and
 * holders walked up/down), an interface through /sys/class/net/IFACE/device
 * (stacked interfaces through their lower_* links).  The device found, its
 * parent bridges and its PF are marked: all of them must keep working.
 * An NVMe native-multipath head (a disk under the virtual nvme-subsystem
 * device) marks every controller that carries a path to it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "scan.h"

#define MAX_DEPTH 8	/* stacked block devices / interfaces */

static void mark_chain(struct qdh_dump_marker *m, int i)
{
	int hops = 0;

	m->marked++;
	if (m->nleaves < QDH_DUMP_MAX_LEAVES && i >= 0)
		m->leaves[m->nleaves++] = i;
	while (i >= 0 && (size_t)i < m->inv->ndevices && hops++ < 256) {
		struct qdh_inv_device *d = &m->inv->devices[i];

		d->flags |= QDH_DEV_F_DUMP_TARGET;
		d->reasons |= QDH_R_DUMP_TARGET;
		if (d->physfn >= 0) {
			struct qdh_inv_device *pf = &m->inv->devices[d->physfn];

			pf->flags |= QDH_DEV_F_DUMP_TARGET;
			pf->reasons |= QDH_R_DUMP_TARGET;
		}
		i = d->parent;
	}
}

static int mark_block_path(struct qdh_dump_marker *m, const char *devpath, int depth);

/* A virtual block device (dm, md): its slaves are what it sits on. */
static int mark_slaves(struct qdh_dump_marker *m, const char *dir, int depth)
{
	char path[600], res[512];
	struct dirent *e;
	DIR *d;
	int found = 0;

	snprintf(path, sizeof(path), "%s/slaves", dir);
	d = qdh_sysroot_opendir(m->sr, path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", QDH_PATH_CLASS_BLOCK, e->d_name);
		if (qdh_sysroot_resolve(m->sr, path, res, sizeof(res)) == 0)
			found |= mark_block_path(m, res, depth + 1);
	}
	closedir(d);
	return found;
}

/* Mark the device that holds sysfs directory PATH (a link resolved first). */
static int mark_resolved(struct qdh_dump_marker *m, const char *path)
{
	char res[512];
	int i;

	if (qdh_sysroot_resolve(m->sr, path, res, sizeof(res)) < 0)
		return 0;
	i = qdh_path_index_find_up(m->idx, res);
	if (i < 0)
		return 0;
	mark_chain(m, i);
	return 1;
}

/*
 * NVMe native multipath.  When a subsystem reports several controllers the
 * kernel makes nvmeXnY a head disk of the subsystem device
 * (.../virtual/nvme-subsystem/nvme-subsysX/nvmeXnY, no PCI parent) and the
 * real paths hidden disks nvmeXcCnY under each controller C that reaches
 * the namespace (.../<PCI function>/nvme/nvmeC/nvmeXcCnY).  Linux >= 6.15
 * lists the paths in the head's multipath/ directory; every version links
 * the subsystem to its controllers (nvme-subsysX/nvmeC), so the controllers
 * holding a nvmeXcCnY are the paths.  Only if neither tells, every
 * controller of the subsystem is marked: a superset is safe (kept working),
 * a subset is not.  Returns 1 if something was marked.
 */
static int mark_nvme_head(struct qdh_dump_marker *m, const char *diskdir)
{
	char subsys[512], path[1024], want[64];
	unsigned x, y, sx, c;
	const char *base, *sbase;
	struct dirent *e;
	char extra;
	int found = 0, pass;
	DIR *d;

	base = strrchr(diskdir, '/');
	if (!base || base == diskdir ||
	    sscanf(base + 1, "nvme%un%u%c", &x, &y, &extra) != 2)
		return 0;
	snprintf(subsys, sizeof(subsys), "%.*s", (int)(base - diskdir), diskdir);
	sbase = strrchr(subsys, '/');
	if (!sbase || sscanf(sbase + 1, "nvme-subsys%u%c", &sx, &extra) != 1 ||
	    sx != x)
		return 0;

	/* Linux >= 6.15: multipath/nvmeXcCnY -> the path disks. */
	snprintf(path, sizeof(path), "%s/multipath", diskdir);
	d = qdh_sysroot_opendir(m->sr, path);
	if (d) {
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/multipath/%s", diskdir,
				 e->d_name);
			found |= mark_resolved(m, path);
		}
		closedir(d);
		if (found)
			return 1;
	}
	/* Pass 0: controllers with a path disk; pass 1: all of them. */
	for (pass = 0; pass < 2 && !found; pass++) {
		d = qdh_sysroot_opendir(m->sr, subsys);
		if (!d)
			return 0;
		while ((e = readdir(d))) {
			if (sscanf(e->d_name, "nvme%u%c", &c, &extra) != 1)
				continue;
			if (pass == 0) {
				snprintf(want, sizeof(want), "nvme%uc%un%u", x, c, y);
				snprintf(path, sizeof(path), "%s/%s/%s", subsys,
					 e->d_name, want);
			} else {
				snprintf(path, sizeof(path), "%s/%s", subsys,
					 e->d_name);
			}
			if (qdh_sysroot_exists(m->sr, path))
				found |= mark_resolved(m, path);
		}
		closedir(d);
		if (found && pass == 1)
			qdh_logf(m->log, QDH_LOG_WARN,
				 "dump target: NVMe head %s: no path disk nvme%uc*n%u "
				 "found, every controller of nvme-subsys%u kept",
				 base + 1, x, y, x);
	}
	return found;
}

static int mark_block_path(struct qdh_dump_marker *m, const char *devpath, int depth)
{
	char parent[512];
	char *slash;
	int i;

	if (depth > MAX_DEPTH)
		return 0;
	i = qdh_path_index_find_up(m->idx, devpath);
	if (i >= 0) {
		mark_chain(m, i);
		return 1;
	}
	if (mark_slaves(m, devpath, depth) || mark_nvme_head(m, devpath))
		return 1;
	/* A partition of a virtual disk: the disk holds the slaves, or is
	 * the NVMe multipath head. */
	snprintf(parent, sizeof(parent), "%s", devpath);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		return mark_slaves(m, parent, depth) || mark_nvme_head(m, parent);
	}
	return 0;
}

static int mark_devno(struct qdh_dump_marker *m, unsigned maj, unsigned min)
{
	char path[128], res[512];
	int r;

	snprintf(path, sizeof(path), "%s/%u:%u", QDH_PATH_DEV_BLOCK, maj, min);
	r = qdh_sysroot_resolve(m->sr, path, res, sizeof(res));
	if (r < 0) {
		qdh_logf(m->log, QDH_LOG_ERR, "dump target: block device %u:%u: %s",
			 maj, min, strerror(-r));
		return r;
	}
	if (!mark_block_path(m, res, 0)) {
		qdh_logf(m->log, QDH_LOG_ERR,
			 "dump target: block device %u:%u (%s) is on no known device",
			 maj, min, res);
		return -ENODEV;
	}
	return 0;
}

static int mark_block_name(struct qdh_dump_marker *m, const char *name)
{
	char path[300], res[512];

	snprintf(path, sizeof(path), "%s/%s", QDH_PATH_CLASS_BLOCK, name);
	if (qdh_sysroot_resolve(m->sr, path, res, sizeof(res)) < 0)
		return -ENOENT;
	if (!mark_block_path(m, res, 0)) {
		qdh_logf(m->log, QDH_LOG_ERR,
			 "dump target: block device %s is on no known device", name);
		return -ENODEV;
	}
	return 0;
}

static int mark_iface(struct qdh_dump_marker *m, const char *ifname, int depth)
{
	char path[300], res[512];
	struct dirent *e;
	DIR *d;
	int found = 0;

	if (depth > MAX_DEPTH)
		return 0;
	snprintf(path, sizeof(path), "%s/%s/device", QDH_PATH_CLASS_NET, ifname);
	if (qdh_sysroot_resolve(m->sr, path, res, sizeof(res)) == 0) {
		int i = qdh_path_index_find_up(m->idx, res);

		if (i >= 0) {
			mark_chain(m, i);
			return 1;
		}
	}
	/* bond, team, vlan, bridge: follow the lower devices. */
	snprintf(path, sizeof(path), "%s/%s", QDH_PATH_CLASS_NET, ifname);
	d = qdh_sysroot_opendir(m->sr, path);
	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "lower_", 6) && e->d_name[6])
			found |= mark_iface(m, e->d_name + 6, depth + 1);
	closedir(d);
	return found;
}

void qdh_dump_mark_device(struct qdh_dump_marker *m, int i)
{
	mark_chain(m, i);
}

int qdh_dump_mark_block(struct qdh_dump_marker *m, const char *dir)
{
	return mark_block_path(m, dir, 0);
}

int qdh_dump_mark_iface(struct qdh_dump_marker *m, const char *ifname)
{
	return mark_iface(m, ifname, 0);
}

/* Anonymous st_dev (btrfs, overlay, NFS): mountinfo names the source. */
static int source_from_mountinfo(struct qdh_dump_marker *m, unsigned maj, unsigned min,
				 char *name, size_t cap)
{
	char want[32], *buf, *line, *save = NULL;
	size_t len;
	int r = qdh_sysroot_read_alloc(m->sr, QDH_PATH_MOUNTINFO, 16u << 20,
				       (void **)&buf, &len);

	if (r < 0)
		return r;
	buf = realloc(buf, len + 1);
	if (!buf)
		return -ENOMEM;
	buf[len] = '\0';
	snprintf(want, sizeof(want), "%u:%u", maj, min);
	r = -ENOENT;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[32], *sep, src[256];

		if (sscanf(line, "%*s %*s %31s", id) != 1 || strcmp(id, want))
			continue;
		sep = strstr(line, " - ");
		if (!sep || sscanf(sep + 3, "%*s %255s", src) != 1)
			continue;
		if (!strncmp(src, "/dev/", 5) && !strchr(src + 5, '/')) {
			snprintf(name, cap, "%s", src + 5);
			r = 0;
			break;
		}
	}
	free(buf);
	return r;
}

int qdh_dump_target_mark(const struct qdh_sysroot *sr, const char *target,
			 struct qdh_inventory *inv,
			 const struct qdh_path_index *idx,
			 const struct qdh_log *log)
{
	struct qdh_dump_marker m = { sr, inv, idx, log, 0, { 0 }, 0 };
	char path[300], name[256];
	unsigned maj, min;
	struct stat st;
	char extra;

	if (!target || !*target)
		return -EINVAL;
	/* A PCI address ("0000:00:04.0"): the device itself, when the admin
	 * knows which function holds the dump (kdump over a raw device). */
	{
		struct qdh_bdf b;
		size_t i;

		if (qdh_bdf_parse(target, &b) == 0) {
			for (i = 0; i < inv->ndevices; i++) {
				const struct qdh_inv_device *d = &inv->devices[i];

				if (d->bus == QDH_INV_PCI && d->domain == b.domain &&
				    d->busno == b.bus && d->devfn == b.devfn) {
					mark_chain(&m, (int)i);
					return 0;
				}
			}
			qdh_logf(log, QDH_LOG_ERR,
				 "dump target %s: no such PCI device", target);
			return -ENODEV;
		}
	}
	/* An interface name. */
	if (!strchr(target, '/') && strlen(target) < 64) {
		snprintf(path, sizeof(path), "%s/%s", QDH_PATH_CLASS_NET, target);
		if (qdh_sysroot_exists(sr, path)) {
			if (mark_iface(&m, target, 0))
				return 0;
			qdh_logf(log, QDH_LOG_ERR,
				 "dump target: interface %s is on no known device", target);
			return -ENODEV;
		}
	}
	/* "MAJ:MIN" */
	if (sscanf(target, "%u:%u%c", &maj, &min, &extra) == 2)
		return mark_devno(&m, maj, min);
	/* A block device by name ("nvme0n1p2" or "/dev/nvme0n1p2"). */
	if (!strncmp(target, "/dev/", 5) && !strchr(target + 5, '/') &&
	    mark_block_name(&m, target + 5) != -ENOENT)
		return m.marked ? 0 : -ENODEV;
	if (!strchr(target, '/') && strlen(target) < 64 &&
	    mark_block_name(&m, target) != -ENOENT)
		return m.marked ? 0 : -ENODEV;
	/* A path on the running system: the filesystem that holds it. */
	if (stat(target, &st) < 0) {
		int e = errno;

		qdh_logf(log, QDH_LOG_ERR,
			 "dump target %s: no such interface, block device or path (%s)",
			 target, strerror(e));
		return e == ENOENT ? -ENODEV : -e;
	}
	if (S_ISBLK(st.st_mode)) {
		maj = major(st.st_rdev);
		min = minor(st.st_rdev);
	} else {
		maj = major(st.st_dev);
		min = minor(st.st_dev);
	}
	if (maj == 0) {
		int r = source_from_mountinfo(&m, maj, min, name, sizeof(name));

		if (r < 0) {
			qdh_logf(log, QDH_LOG_ERR,
				 "dump target %s: filesystem %u:%u has no block device",
				 target, maj, min);
			return -ENODEV;
		}
		r = mark_block_name(&m, name);
		if (r == -ENOENT)
			qdh_logf(log, QDH_LOG_ERR, "dump target %s: no block device %s",
				 target, name);
		return r;
	}
	return mark_devno(&m, maj, min);
}
