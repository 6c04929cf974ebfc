// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where a block device spec or a directory leads: the resolved sysfs
 * directory of a block device, ready for the block-stack walk of
 * dumptarget.c.  Specs are the ones the kernel and the initramfs accept for
 * root= (and fstab, kdump.conf use): UUID=, LABEL=, PARTUUID=[/PARTNROFF=],
 * PARTLABEL=, /dev/NAME, /dev/disk/by-* /..., /dev/mapper/NAME, /dev/VG/LV,
 * MAJ:MIN[:OFFSET] and the kernel's hex device number.
 *
 * Tags resolve through the sysroot's /dev/disk/by-{uuid,label,partuuid,
 * partlabel} links, which udev makes and the kdump initramfs waits for.
 * Only on the live system, and only when a link is missing, libblkid
 * answers instead (blkid_evaluate_tag: udev links, its cache, then
 * probing).  Every link must end at /dev/NAME of a block device; one that
 * leads anywhere else is refused, whatever it points to.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <blkid.h>

#include "scan.h"

#define MOUNTINFO_MAX	(16u << 20)


/* /sys/class/block/NAME -> its resolved directory. */
static int class_block(const struct qdh_sysroot *sr, const char *name,
		       char *dir, size_t cap)
{
	char path[320];

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", QDH_PATH_CLASS_BLOCK,
			     name) >= sizeof(path))
		return -EINVAL;
	return qdh_sysroot_resolve(sr, path, dir, cap);
}

static int devno_dir(const struct qdh_sysroot *sr, unsigned maj, unsigned min,
		     char *dir, size_t cap)
{
	char path[64];

	snprintf(path, sizeof(path), "%s/%u:%u", QDH_PATH_DEV_BLOCK, maj, min);
	return qdh_sysroot_resolve(sr, path, dir, cap);
}

/*
 * A /dev path resolved inside the sysroot must be /dev/NAME with NAME a
 * block device of /sys/class/block (udev links point at the kernel name).
 */
static int dev_node(const struct qdh_sysroot *sr, const char *path, char *dir,
		    size_t cap, char *why, size_t whycap)
{
	char res[512];
	struct stat st;
	int r = qdh_sysroot_resolve(sr, path, res, sizeof(res));

	if (r == -ENOENT)
		return r;
	if (r < 0)
		return qdh_dump_fail(why, whycap, r, "%s: %s", path, strerror(-r));
	if (strncmp(res, QDH_PATH_DEV "/", sizeof(QDH_PATH_DEV)))
		return qdh_dump_fail(why, whycap, -EXDEV, "%s leads to %s, not to a device "
			    "under %s", path, res, QDH_PATH_DEV);
	if (class_block(sr, res + sizeof(QDH_PATH_DEV), dir, cap) == 0)
		return 0;
	/* A device node (no udev names): its number. */
	if (qdh_sysroot_stat(sr, res, &st, 0) == 0 && S_ISBLK(st.st_mode) &&
	    devno_dir(sr, major(st.st_rdev), minor(st.st_rdev), dir, cap) == 0)
		return 0;
	return qdh_dump_fail(why, whycap, -ENODEV, "%s: %s is no block device of %s", path,
		    res, QDH_PATH_CLASS_BLOCK);
}

/* udev's encoding of a tag in a link name: all but [0-9A-Za-z#+-.:=@_]
 * and valid UTF-8 sequences become \xNN. */
static int utf8_len(const unsigned char *s)
{
	int n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 :
		s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
	int i;

	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static int encode_tag(const char *v, char *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)v;
	size_t o = 0;

	while (*s) {
		int n = *s >= 0x80 ? utf8_len(s) : 0;

		if (n > 1) {
			if (o + (size_t)n >= cap)
				return -ENAMETOOLONG;
			memcpy(out + o, s, (size_t)n);
			o += (size_t)n;
			s += n;
			continue;
		}
		if (isalnum(*s) || strchr("#+-.:=@_", *s)) {
			if (o + 1 >= cap)
				return -ENAMETOOLONG;
			out[o++] = (char)*s;
		} else {
			if (o + 4 >= cap)
				return -ENAMETOOLONG;
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", *s);
		}
		s++;
	}
	out[o] = '\0';
	return 0;
}

struct tag {
	const char *prefix;	/* "UUID=" */
	const char *token;	/* libblkid's "UUID" */
	const char *dir;	/* "by-uuid" */
	int anycase;		/* UUIDs: written in either case */
};

static const struct tag tags[] = {
	{ "UUID=", "UUID", "by-uuid", 1 },
	{ "LABEL=", "LABEL", "by-label", 0 },
	{ "PARTUUID=", "PARTUUID", "by-partuuid", 1 },
	{ "PARTLABEL=", "PARTLABEL", "by-partlabel", 0 },
};

/* libblkid, live system only: the device the tag names now. */
static int blkid_tag(const struct qdh_sysroot *sr, const struct tag *t,
		     const char *value, char *dir, size_t cap)
{
	struct stat st;
	char *dev;
	int r = -ENOENT;

	if (!qdh_sysroot_is_live(sr))
		return -ENOENT;
	dev = blkid_evaluate_tag(t->token, value, NULL);
	if (!dev)
		return -ENOENT;
	if (stat(dev, &st) == 0 && S_ISBLK(st.st_mode))
		r = devno_dir(sr, major(st.st_rdev), minor(st.st_rdev), dir, cap);
	free(dev);
	return r;
}

static int resolve_tag(const struct qdh_sysroot *sr, const struct tag *t,
		       const char *spec, char *dir, size_t cap, char *why,
		       size_t whycap)
{
	char value[256], name[1024], path[1200], bydir[64];
	size_t vl = strlen(spec + strlen(t->prefix)), i, c;
	int r, tried_links = 0;

	if (vl == 0 || vl >= sizeof(value))
		return qdh_dump_fail(why, whycap, -EINVAL, "%s: empty or longer than %zu bytes",
			    spec, sizeof(value) - 1);
	memcpy(value, spec + strlen(t->prefix), vl + 1);
	/* The kernel's PARTUUID=<uuid>/PARTNROFF=<n>: a partition of the same
	 * disk, so the same controller. */
	if (!strcmp(t->token, "PARTUUID") && strchr(value, '/') &&
	    !strncmp(strchr(value, '/'), "/PARTNROFF=", 11))
		*strchr(value, '/') = '\0';
	if (!strcmp(value, ".") || !strcmp(value, ".."))
		return qdh_dump_fail(why, whycap, -EINVAL, "%s: not a tag value", spec);
	snprintf(bydir, sizeof(bydir), "%s/%s", QDH_PATH_DISK_BY, t->dir);
	/* As written, then (UUIDs) lower and upper case: udev's link names
	 * carry blkid's spelling, the command line may not. */
	for (c = 0; c < (t->anycase ? 3u : 1u); c++) {
		char v[256];

		for (i = 0; value[i]; i++)
			v[i] = c == 1 ? (char)tolower((unsigned char)value[i]) :
			       c == 2 ? (char)toupper((unsigned char)value[i]) : value[i];
		v[i] = '\0';
		if (c && !strcmp(v, value))
			continue;
		if (encode_tag(v, name, sizeof(name)) < 0)
			return qdh_dump_fail(why, whycap, -ENAMETOOLONG, "%s: too long", spec);
		if (!qdh_sysroot_exists(sr, bydir))
			break;
		tried_links = 1;
		snprintf(path, sizeof(path), "%s/%s", bydir, name);
		r = dev_node(sr, path, dir, cap, why, whycap);
		if (r == 0)
			return 0;
		if (r != -ENOENT)
			return r;	/* there, but bad: never guess past it */
	}
	if (blkid_tag(sr, t, value, dir, cap) == 0)
		return 0;
	if (!tried_links)
		return qdh_dump_fail(why, whycap, -ENOENT, "%s: no %s in the sysroot%s", spec,
			    bydir, qdh_sysroot_is_live(sr) ? ", and libblkid knows no "
			    "such device" : " (libblkid is asked only on the live system)");
	return qdh_dump_fail(why, whycap, -ENOENT, "%s: no link %s/%s%s", spec, bydir, name,
		    qdh_sysroot_is_live(sr) ? ", and libblkid knows no such device" :
		    " (libblkid is asked only on the live system)");
}

/* /dev/mapper/NAME and /dev/VG/LV without udev links: the dm name. */
static int dm_by_name(const struct qdh_sysroot *sr, const char *want,
		      char *dir, size_t cap)
{
	DIR *d = qdh_sysroot_opendir(sr, QDH_PATH_CLASS_BLOCK);
	struct dirent *e;
	int r = -ENOENT;

	if (!d)
		return -ENOENT;
	while (r && (e = readdir(d))) {
		char path[320], name[256];

		if (strncmp(e->d_name, "dm-", 3))
			continue;
		snprintf(path, sizeof(path), "%s/%s/dm/name", QDH_PATH_CLASS_BLOCK,
			 e->d_name);
		if (qdh_sysroot_read_str(sr, path, name, sizeof(name)) == 0 &&
		    !strcmp(name, want))
			r = class_block(sr, e->d_name, dir, cap);
	}
	closedir(d);
	return r;
}

static int resolve_dev(const struct qdh_sysroot *sr, const char *spec,
		       char *dir, size_t cap, char *why, size_t whycap)
{
	const char *name = spec + 5;
	char alt[256], dm[256];
	const char *slash;
	size_t i, o;
	int r;

	if (!*name || strlen(name) >= sizeof(alt) || strstr(spec, "/../") ||
	    !strcmp(spec + strlen(spec) - 3, "/.."))
		return qdh_dump_fail(why, whycap, -EINVAL, "%s: not a device path", spec);
	/* The kernel's own names: /dev/nvme0n1p2, /dev/cciss/c0d0 (sysfs "!"). */
	if (!strchr(name, '/') && class_block(sr, name, dir, cap) == 0)
		return 0;
	for (i = 0; name[i]; i++)
		alt[i] = name[i] == '/' ? '!' : name[i];
	alt[i] = '\0';
	if (strchr(name, '/') && class_block(sr, alt, dir, cap) == 0)
		return 0;
	/* udev's links and nodes inside the sysroot. */
	r = dev_node(sr, spec, dir, cap, why, whycap);
	if (r == 0 || (r != -ENOENT && r != -ENODEV))
		return r;	/* a link leading astray is refused, not bypassed */
	/* Device-mapper names when /dev has no links (a captured tree). */
	if (!strncmp(name, "mapper/", 7) && !strchr(name + 7, '/'))
		r = dm_by_name(sr, name + 7, dir, cap);
	slash = strchr(name, '/');
	if (r && slash && !strchr(slash + 1, '/') && strncmp(name, "disk/", 5) &&
	    strncmp(name, "md/", 3) && strncmp(name, "mapper/", 7)) {
		/* /dev/VG/LV is dm "VG-LV", each '-' of VG and LV doubled. */
		for (i = 0, o = 0; name[i] && o + 3 < sizeof(dm); i++) {
			if (name[i] == '/')
				dm[o++] = '-';
			else if (name[i] == '-')
				o += (size_t)snprintf(dm + o, sizeof(dm) - o, "--");
			else
				dm[o++] = name[i];
		}
		dm[o] = '\0';
		r = dm_by_name(sr, dm, dir, cap);
	}
	if (r == 0)
		return 0;
	if (why[0])
		return -ENODEV;	/* dev_node said what it found there */
	return qdh_dump_fail(why, whycap, -ENOENT, "%s: no such block device in the sysroot",
		    spec);
}

int qdh_dump_spec_resolve(const struct qdh_sysroot *sr, const char *spec,
			  char *dir, size_t cap, char *why, size_t whycap)
{
	unsigned maj, min, off;
	unsigned long v;
	char extra, *end;
	size_t i;

	why[0] = '\0';
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (!strncmp(spec, tags[i].prefix, strlen(tags[i].prefix)))
			return resolve_tag(sr, &tags[i], spec, dir, cap, why, whycap);
	if (!strncmp(spec, QDH_PATH_DEV "/", sizeof(QDH_PATH_DEV)))
		return resolve_dev(sr, spec, dir, cap, why, whycap);
	if (sscanf(spec, "%u:%u%c", &maj, &min, &extra) == 2 ||
	    sscanf(spec, "%u:%u:%u%c", &maj, &min, &off, &extra) == 3) {
		if (devno_dir(sr, maj, min, dir, cap) == 0)
			return 0;
		return qdh_dump_fail(why, whycap, -ENOENT, "%s: no block device %u:%u", spec,
			    maj, min);
	}
	/* The kernel's bare hex dev_t ("801"), new_decode_dev() layout. */
	if (spec[0] && strspn(spec, "0123456789abcdefABCDEF") == strlen(spec) &&
	    strlen(spec) <= 8) {
		v = strtoul(spec, &end, 16);
		maj = (unsigned)((v & 0xfff00) >> 8);
		min = (unsigned)((v & 0xff) | ((v >> 12) & 0xfff00));
		if (devno_dir(sr, maj, min, dir, cap) == 0)
			return 0;
		return qdh_dump_fail(why, whycap, -ENOENT, "%s: no block device %u:%u", spec,
			    maj, min);
	}
	return qdh_dump_fail(why, whycap, -EINVAL, "%s: not a device spec (UUID=, LABEL=, "
		    "PARTUUID=, PARTLABEL=, /dev/..., MAJ:MIN)", spec);
}

/* --- A directory -> the file system holding it ------------------------- */


/* Is mount point m a prefix of path p, component-wise? */
static size_t mount_covers(const char *m, const char *p)
{
	size_t n = strlen(m);

	if (!strcmp(m, "/"))
		return 1;
	if (strncmp(m, p, n) || (p[n] != '/' && p[n] != '\0'))
		return 0;
	return n;
}

/*
 * Resolve symlinks inside the sysroot as far as the path exists (the dump
 * directory may not have been made yet): the longest existing prefix,
 * resolved, plus the rest as written.
 */
static int resolve_existing(const struct qdh_sysroot *sr, const char *path,
			    char *out, size_t cap)
{
	char tmp[1024];
	char *cut;

	if (strlen(path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	strcpy(tmp, path);
	for (;;) {
		if (qdh_sysroot_resolve(sr, tmp, out, cap) == 0) {
			const char *rest = path + strlen(tmp);

			if (strlen(out) + strlen(rest) + 1 >= cap)
				return -ENAMETOOLONG;
			if (!strcmp(out, "/") && *rest == '/')
				rest++;
			strcat(out, rest);
			return 0;
		}
		cut = strrchr(tmp, '/');
		if (!cut)
			return -ENOENT;
		if (cut == tmp) {
			if (!tmp[1])
				return -ENOENT;
			tmp[1] = '\0';
		} else {
			*cut = '\0';
		}
	}
}

/* Every other device of a btrfs (its /sys/fs/btrfs/FSID/devices links). */
static int btrfs_members(const struct qdh_sysroot *sr, const char *blockdir,
			 char ***extra)
{
	const char *name = strrchr(blockdir, '/');
	struct dirent *e, *m;
	char path[600], res[512], fsid[256] = "";
	char **v = NULL;
	size_t n = 0;
	DIR *d, *dd;

	*extra = NULL;
	if (!name)
		return 0;
	name++;
	d = qdh_sysroot_opendir(sr, QDH_PATH_SYS_BTRFS);
	if (!d)
		return 0;
	while (!fsid[0] && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), QDH_PATH_SYS_BTRFS "/%s/devices/%s", e->d_name, name);
		if (qdh_sysroot_exists(sr, path))
			snprintf(fsid, sizeof(fsid), "%s", e->d_name);
	}
	closedir(d);
	if (!fsid[0])
		return 0;
	snprintf(path, sizeof(path), QDH_PATH_SYS_BTRFS "/%s/devices", fsid);
	dd = qdh_sysroot_opendir(sr, path);
	while (dd && (m = readdir(dd)) && n < 64) {
		char **nv;

		if (m->d_name[0] == '.' || !strcmp(m->d_name, name))
			continue;
		snprintf(path, sizeof(path), QDH_PATH_SYS_BTRFS "/%s/devices/%s", fsid,
			 m->d_name);
		if (qdh_sysroot_resolve(sr, path, res, sizeof(res)) < 0)
			continue;
		nv = realloc(v, (n + 2) * sizeof(*v));
		if (!nv || !(nv[n] = strdup(res))) {
			v = nv ? nv : v;
			if (v)
				v[n] = NULL;
			break;
		}
		v = nv;
		v[++n] = NULL;
	}
	if (dd)
		closedir(dd);
	*extra = v;
	return 0;
}

int qdh_dump_path_resolve(const struct qdh_sysroot *sr, const char *path,
			  char *dir, size_t cap, char *host, size_t hostcap,
			  char ***extra, char *why, size_t whycap)
{
	char real[1024], *buf, *line, *save = NULL;
	char best_src[512] = "", best_type[64] = "";
	unsigned best_maj = 0, best_min = 0;
	size_t len, best = 0;
	int r, found = 0;

	*extra = NULL;
	host[0] = '\0';
	why[0] = '\0';
	if (path[0] != '/')
		return qdh_dump_fail(why, whycap, -EINVAL, "%s: not an absolute path", path);
	r = resolve_existing(sr, path, real, sizeof(real));
	if (r < 0)
		return qdh_dump_fail(why, whycap, r, "%s: %s", path, strerror(-r));
	r = qdh_dump_read_text(sr, QDH_PATH_MOUNTINFO, MOUNTINFO_MAX, &buf, &len);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return qdh_dump_fail(why, whycap, r, "%s: %s", QDH_PATH_MOUNTINFO, strerror(-r));
	/* The longest mount point over the path; the last one mounted there. */
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char mnt[1024], type[64], src[512], *sep;
		unsigned maj, min;
		size_t n;

		if (sscanf(line, "%*s %*s %u:%u %*s %1023s", &maj, &min, mnt) != 3)
			continue;
		sep = strstr(line, " - ");
		if (!sep || sscanf(sep + 3, "%63s %511s", type, src) != 2)
			continue;
		qdh_dump_unoctal(mnt);
		qdh_dump_unoctal(src);
		n = mount_covers(mnt, real);
		if (!n || n < best)
			continue;
		best = n;
		best_maj = maj;
		best_min = min;
		snprintf(best_src, sizeof(best_src), "%s", src);
		snprintf(best_type, sizeof(best_type), "%s", type);
		found = 1;
	}
	free(buf);
	if (!found)
		return qdh_dump_fail(why, whycap, -ENOENT, "%s: no mount covers %s", path, real);
	if (!strncmp(best_type, "nfs", 3) || !strcmp(best_type, "cifs") ||
	    !strcmp(best_type, "smb3")) {
		const char *s = best_src;
		const char *e;

		/* nfs "server:/export", "[v6]:/export"; cifs "//server/share" */
		if (!strncmp(s, "//", 2)) {
			s += 2;
			e = s + strcspn(s, "/");
		} else if (*s == '[') {
			e = strchr(++s, ']');
		} else {
			e = s + strcspn(s, ":");
		}
		if (!e || e == s || (size_t)(e - s) >= hostcap)
			return qdh_dump_fail(why, whycap, -EINVAL, "%s is on %s %s: no server in it",
				    path, best_type, best_src);
		memcpy(host, s, (size_t)(e - s));
		host[e - s] = '\0';
		return QDH_NEED_HOST;
	}
	if (best_maj != 0) {
		if (devno_dir(sr, best_maj, best_min, dir, cap) < 0)
			return qdh_dump_fail(why, whycap, -ENOENT, "%s is on %u:%u (%s), which is "
				    "no block device", path, best_maj, best_min, best_type);
	} else if (!strncmp(best_src, QDH_PATH_DEV "/", sizeof(QDH_PATH_DEV))) {
		/* btrfs and others with an anonymous st_dev: the source. */
		r = qdh_dump_spec_resolve(sr, best_src, dir, cap, why, whycap);
		if (r < 0)
			return r;
	} else {
		return qdh_dump_fail(why, whycap, -ENODEV, "%s is on %s (%s): no device holds it",
			    path, best_type, best_src);
	}
	if (!strcmp(best_type, "btrfs") && btrfs_members(sr, dir, extra) < 0)
		return -ENOMEM;
	return QDH_NEED_BLOCK;
}
