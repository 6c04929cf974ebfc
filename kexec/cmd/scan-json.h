/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The inventory as JSON (doc/scan-json.md), shared by `qdh scan` and tests. */
#ifndef QDH_SCAN_JSON_H
#define QDH_SCAN_JSON_H

#include <stdio.h>

#include <json-c/json.h>

#include "qdh/inventory.h"

/*
 * "devices" in the frame holds this string (no sysfs name can put its
 * escaped form, \u0001, outside a string); the printer puts the devices
 * there.
 */
#define QDH_JSON_DEVICES_MARK	"\001devices"
/* The inventory without its devices: mode, iommus, skipped, summary. */
struct json_object *qdh_inventory_json_frame(const struct qdh_inventory *inv);
/* Device i as its JSON object (the caller puts it). */
struct json_object *qdh_inventory_device_json(const struct qdh_inventory *inv, size_t i);
/*
 * The whole inventory as pretty JSON, byte for byte what printing one
 * json-c tree gave, one device at a time.  0 or -errno.
 */
int qdh_inventory_json_print(const struct qdh_inventory *inv, FILE *out);

#endif
