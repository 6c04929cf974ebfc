// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One device of `qdh apply`'s report: what the blob said, what is there
 * now, the decision and the steps taken.  The report file, the kernel-log
 * lines and the console text are all made of these objects.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "apply-internal.h"
#include "qdh/inventory.h"
#include "qdh/output.h"

static void reasons_text(uint16_t reasons, char *buf, size_t cap)
{
	size_t o = 0;
	unsigned bit;

	buf[0] = '\0';
	for (bit = 0; bit < 16; bit++) {
		const char *n;
		int w;

		if (!(reasons & (1u << bit)))
			continue;
		n = qdh_reason_name(bit);
		w = snprintf(buf + o, cap - o, "%s%s", o ? "," : "", n ? n : "?");
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
}

/* "failed", "skipped" (a deliberate non-action), "ok", or NULL: nothing to do. */
static const char *result_of(const struct apply_item *x)
{
	size_t i, n = x->steps ? json_object_array_length(x->steps) : 0;

	if (x->err)
		return "failed";
	for (i = 0; i < n; i++)
		if (!strncmp(qdh_json_str(json_object_array_get_idx(x->steps, i),
					  "result", ""), "skipped", 7))
			return "skipped";
	return n ? "ok" : NULL;
}

struct json_object *apply_item_json(const struct apply_item *x)
{
	struct json_object *o = json_object_new_object();
	char reasons[256], log[400], clean[200];

	json_object_object_add(o, "device", json_object_new_string(
		qdh_printable(x->name, sizeof(x->name), clean, sizeof(clean))));
	json_object_object_add(o, "bus", json_object_new_string(x->is_platform ? "platform" : "pci"));
	json_object_object_add(o, "decision", json_object_new_string(qdh_decision_name(x->dec)));
	json_object_object_add(o, "why", json_object_new_string(x->why));
	json_object_object_add(o, "in_blob", json_object_new_boolean(x->in_blob));
	json_object_object_add(o, "present", json_object_new_boolean(x->now != NULL));
	reasons[0] = '\0';
	if (x->in_blob) {
		struct json_object *b = json_object_new_object();

		reasons_text(x->bi.reasons, reasons, sizeof(reasons));
		json_object_object_add(b, "state", json_object_new_string(qdh_state_name(x->bi.state)));
		json_object_object_add(b, "hint", json_object_new_string(qdh_action_name(x->bi.action)));
		json_object_object_add(b, "reasons", json_object_new_string(reasons));
		if (!x->is_platform) {
			char id[16];

			apply_fmt(id, sizeof(id), "%04x:%04x", x->bi.vendor, x->bi.device);
			json_object_object_add(b, "id", json_object_new_string(id));
		}
		json_object_object_add(o, "blob", b);
	}
	if (x->now) {
		struct json_object *n = json_object_new_object();

		json_object_object_add(n, "path", json_object_new_string(
			qdh_printable(x->now->path, sizeof(x->now->path), log, sizeof(log))));
		json_object_object_add(n, "driver", json_object_new_string(x->now->driver));
		if (x->now->command >= 0) {
			char c[16];

			apply_fmt(c, sizeof(c), "0x%04x", (unsigned)x->now->command);
			json_object_object_add(n, "command", json_object_new_string(c));
		}
		json_object_object_add(n, "reset_method", json_object_new_string(x->now->reset_method));
		json_object_object_add(o, "now", n);
	}
	json_object_object_add(o, "dump_target", json_object_new_boolean(x->dump_target));
	json_object_object_add(o, "dump_parent", json_object_new_boolean(x->dump_parent));
	json_object_object_add(o, "bridge", json_object_new_boolean(x->bridge));
	/* The kernel-log line: "abort (active: driver-bound,bus-master-on)". */
	apply_fmt(log, sizeof(log), "%s%s%s", x->why,
		  !reasons[0] ? "" : strchr(x->why, ':') ? "; blob: " : ": ", reasons);
	json_object_object_add(o, "log_reason", json_object_new_string(log));
	json_object_object_add(o, "result", result_of(x) ?
			       json_object_new_string(result_of(x)) : NULL);
	json_object_object_add(o, "steps", x->steps ? json_object_get(x->steps) :
			       json_object_new_array());
	return o;
}
