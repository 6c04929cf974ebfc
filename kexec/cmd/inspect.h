/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `qdh inspect` internals shared between its files. */
#ifndef QDH_TRANSPORT_INSPECT_H
#define QDH_TRANSPORT_INSPECT_H

#include <stdio.h>
#include <json-c/json.h>

/* Text renderer for the object `qdh inspect` builds (see doc/inspect-json.md). */
void qdh_inspect_render_text(struct json_object *obj, FILE *out);

#endif
