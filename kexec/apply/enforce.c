// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Enforcing a decision on a stock kernel, through sysfs (the sysroot
 * layer), before udev loads any driver module:
 *  - abort: clear Bus Master Enable (PCI Command register, config offset 4,
 *    bit 2) so the function cannot start DMA, and set driver_override to a
 *    name no driver has so that no driver binds and turns it back on;
 *  - reset: the "reset" attribute (the kernel picks from reset_method),
 *    then clear driver_override so its driver may bind.
 * A device a built-in driver already bound is left alone and reported: its
 * driver's probe has reinitialised it, and pulling bus mastering or the
 * device from under a live driver turns a possible stray DMA into a certain
 * hang or oops, in a kernel whose only job is to save the dump.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "apply-internal.h"

#define PCI_COMMAND		4
#define PCI_COMMAND_MASTER	0x4	/* Bus Master Enable, PCI LB 3.0 6.2.2 */

static struct json_object *step(struct json_object *steps, const char *op,
				const char *path, int err, const char *result)
{
	struct json_object *s = json_object_new_object();

	json_object_object_add(s, "op", json_object_new_string(op));
	json_object_object_add(s, "path", json_object_new_string(path));
	json_object_object_add(s, "result", json_object_new_string(
		result ? result : err ? strerror(-err) : "ok"));
	if (err)
		json_object_object_add(s, "errno", json_object_new_int(-err));
	json_object_array_add(steps, s);
	return s;
}

static void add_hex(struct json_object *s, const char *key, unsigned v)
{
	char b[16];

	apply_fmt(b, sizeof(b), "0x%04x", v);
	json_object_object_add(s, key, json_object_new_string(b));
}

static void dev_path(const struct qdh_now_dev *d, const char *attr, char *buf,
		     size_t cap)
{
	apply_fmt(buf, cap, "%s/%s/%s",
		 d->is_platform ? QDH_PATH_PLATFORM_DEVICES : QDH_PATH_PCI_DEVICES,
		 d->name, attr);
}

static int read_command(const struct qdh_sysroot *sr, const char *path,
			unsigned *cmd)
{
	uint8_t cfg[PCI_COMMAND + 2];
	size_t len = 0;
	int r = qdh_sysroot_read_bin(sr, path, cfg, sizeof(cfg), &len);

	if (r < 0)
		return r;
	if (len < sizeof(cfg))
		return -EIO;
	*cmd = qdh_le16(cfg + PCI_COMMAND);
	return 0;
}

/* Read-modify-write of the 16-bit Command word; other bits untouched. */
static int clear_bus_master(const struct qdh_sysroot *sr,
			    const struct qdh_now_dev *d, int dry_run,
			    struct json_object *steps)
{
	char path[600];
	unsigned before, after = 0;
	uint8_t w[2];
	struct json_object *s;
	int r;

	dev_path(d, "config", path, sizeof(path));
	r = read_command(sr, path, &before);
	if (r < 0) {
		step(steps, "clear-bus-master", path, r, NULL);
		return r;
	}
	if (!(before & PCI_COMMAND_MASTER)) {
		s = step(steps, "clear-bus-master", path, 0, "already-off");
		add_hex(s, "before", before);
		return 0;
	}
	if (dry_run) {
		s = step(steps, "clear-bus-master", path, 0, "dry-run");
		add_hex(s, "before", before);
		return 0;
	}
	qdh_put_le16(w, (uint16_t)(before & ~PCI_COMMAND_MASTER));
	r = qdh_sysroot_pwrite(sr, path, w, sizeof(w), PCI_COMMAND);
	if (r == 0)
		r = read_command(sr, path, &after);
	if (r == 0 && (after & PCI_COMMAND_MASTER))
		r = -EIO;	/* the write did not stick */
	s = step(steps, "clear-bus-master", path, r, NULL);
	add_hex(s, "before", before);
	if (r == 0 || r == -EIO)
		add_hex(s, "after", after);
	return r;
}

static int write_override(const struct qdh_sysroot *sr,
			  const struct qdh_now_dev *d, const char *value,
			  const char *op, int dry_run, struct json_object *steps)
{
	char path[600];
	int r;

	dev_path(d, "driver_override", path, sizeof(path));
	if (!d->has_override) {
		step(steps, op, path, -ENOENT, "no driver_override attribute");
		return -ENOENT;
	}
	if (dry_run) {
		step(steps, op, path, 0, "dry-run");
		return 0;
	}
	r = qdh_sysroot_write(sr, path, value, strlen(value));
	step(steps, op, path, r, NULL);
	return r;
}

static int bound_skip(const struct qdh_now_dev *d, const char *op,
		      struct json_object *steps)
{
	char path[600], msg[160];

	dev_path(d, "driver", path, sizeof(path));
	apply_fmt(msg, sizeof(msg), "skipped: already bound to %s (built-in driver); not fought",
		 d->driver);
	step(steps, op, path, 0, msg);
	return 0;
}

int qdh_enforce_abort(const struct qdh_sysroot *sr, const struct qdh_now_dev *d,
		      int dry_run, struct json_object *steps)
{
	int r = 0, r2;

	if (d->driver[0])
		return bound_skip(d, "abort", steps);
	/* Bus mastering first: it stops DMA now; the override only matters later. */
	if (!d->is_platform)
		r = clear_bus_master(sr, d, dry_run, steps);
	r2 = write_override(sr, d, QDH_APPLY_OVERRIDE, "set-driver-override",
			    dry_run, steps);
	return r ? r : r2;
}

int qdh_enforce_reset(const struct qdh_sysroot *sr, const struct qdh_now_dev *d,
		      int dry_run, struct json_object *steps)
{
	char path[600];
	int r;

	if (d->driver[0])
		return bound_skip(d, "reset", steps);
	dev_path(d, "reset", path, sizeof(path));
	if (!d->has_reset) {
		step(steps, "reset", path, -EOPNOTSUPP, "no reset attribute");
		return -EOPNOTSUPP;
	}
	if (dry_run) {
		step(steps, "reset", path, 0, "dry-run");
	} else {
		r = qdh_sysroot_write(sr, path, "1", 1);
		step(steps, "reset", path, r, NULL);
		if (r < 0)
			return r;	/* leave it unbindable: a half reset is worse */
	}
	/* An empty write would be refused; "\n" clears the override. */
	if (d->has_override)
		return write_override(sr, d, "\n", "clear-driver-override",
				      dry_run, steps);
	return 0;
}
