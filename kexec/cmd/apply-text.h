/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `qdh apply`'s console text (apply_text.c), shared with its tests. */
#ifndef QDH_CMD_APPLY_TEXT_H
#define QDH_CMD_APPLY_TEXT_H

#include <stdio.h>
#include <json-c/json.h>

#include "qdh/apply.h"

/* The summary of report root (qdh_apply_report()) and its devices. */
void qdh_apply_render_text(struct json_object *root, const struct qdh_apply_devs *devs,
			   FILE *out);

#endif
