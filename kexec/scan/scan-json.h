/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The inventory as JSON (doc/scan-json.md), shared by `qdh scan` and tests. */
#ifndef QDH_SCAN_JSON_H
#define QDH_SCAN_JSON_H

#include <json-c/json.h>

#include "qdh/inventory.h"

/* A new object the caller puts; NULL on ENOMEM. */
struct json_object *qdh_inventory_json(const struct qdh_inventory *inv);

#endif
