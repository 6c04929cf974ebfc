// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `qdh apply`'s console text: a rendering of the same report object and
 * device objects the report file and the kernel-log lines are made of
 * (kexec/apply/report.c), so the three cannot disagree.  Command code:
 * only `qdh apply` prints this.
 */
#include "config.h"

#include <string.h>

#include "qdh/output.h"
#include "apply-text.h"

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o)
		json_object_object_get_ex(o, key, &v);
	return v;
}

/* Steps of one device, "clear-bus-master ok, set-driver-override ok". */
static void steps_text(struct json_object *steps, char *buf, size_t cap)
{
	size_t i, n = steps ? json_object_array_length(steps) : 0, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o < cap; i++) {
		struct json_object *s = json_object_array_get_idx(steps, i);
		int w = snprintf(buf + o, cap - o, "%s%s %s", i ? ", " : "",
				 qdh_json_str(s, "op", "?"), qdh_json_str(s, "result", "?"));

		if (w < 0)
			break;
		o += (size_t)w;
	}
}

void qdh_apply_render_text(struct json_object *root, const struct qdh_apply_devs *devs, FILE *out)
{
	struct json_object *ho = get(root, "handover"), *srcs = get(ho, "sources");
	struct json_object *dis = get(ho, "disagreements");
	struct json_object *io = get(root, "iommu_state"), *cnt = get(root, "counts");
	size_t i;

	fprintf(out, "qdh apply: %s, handover %s", qdh_json_str(root, "mode", "?"),
		qdh_json_str(ho, "status", "?"));
	if (get(ho, "source"))
		fprintf(out, " from %s (generation %s)", qdh_json_str(ho, "source", "?"),
			qdh_json_str(ho, "generation", "?"));
	fputc('\n', out);
	for (i = 0; srcs && i < json_object_array_length(srcs); i++) {
		struct json_object *s = json_object_array_get_idx(srcs, i);

		fprintf(out, "  source %-7s %-10s %s", qdh_json_str(s, "name", "?"),
			qdh_json_str(s, "status", "?"), qdh_json_str(s, "path", ""));
		if (get(s, "problem"))
			fprintf(out, ": %s", qdh_json_str(s, "problem", ""));
		if (get(s, "offset"))
			fprintf(out, " (at byte %lld)", qdh_json_int(s, "offset", 0));
		fputc('\n', out);
	}
	for (i = 0; dis && i < json_object_array_length(dis); i++)
		fprintf(out, "  WARNING: sources disagree: %s\n",
			json_object_get_string(json_object_array_get_idx(dis, i)));
	if (json_object_get_boolean(get(root, "fail_safe_applied")))
		fprintf(out, "  WARNING: NO VALID HANDOVER: fail-safe '%s' applied%s\n",
			qdh_json_str(get(root, "policy"), "fail_safe", "?"),
			!strcmp(qdh_json_str(get(root, "policy"), "fail_safe", ""), "observe") ?
			": nothing was touched, stray DMA is NOT blocked" : "");
	if (json_object_get_boolean(get(get(ho, "record"), "purgatory_ran"))) {
		struct json_object *rec = get(ho, "record"), *ri = get(rec, "iommus");

		fprintf(out, "  purgatory ran: digest %s", qdh_json_str(rec, "digest", "?"));
		if (get(rec, "elapsed_us"))
			fprintf(out, " in %lld us", qdh_json_int(rec, "elapsed_us", 0));
		for (i = 0; ri && i < json_object_array_length(ri); i++) {
			struct json_object *e = json_object_array_get_idx(ri, i);

			fprintf(out, "%sIOMMU %lld (%s) %s", i ? ", " : "; ",
				qdh_json_int(e, "iommu", 0), qdh_json_str(e, "type", "?"),
				qdh_json_str(e, "action", "?"));
		}
		fputc('\n', out);
	}
	fprintf(out, "  kernel messages on IOMMUs at handover: %s\n",
		qdh_json_str(io, "summary", "?"));
	for (i = 0; i < devs->n; i++) {
		struct json_object *d = devs->json(devs->ctx, i);
		char steps[512];

		steps_text(get(d, "steps"), steps, sizeof(steps));
		fprintf(out, "  %-14s %-17s %s%s%s\n", qdh_json_str(d, "device", "?"),
			qdh_json_str(d, "decision", "?"), qdh_json_str(d, "why", ""),
			steps[0] ? " -> " : "", steps);
		json_object_put(d);
	}
	fprintf(out, "  %lld attach, %lld abort, %lld reset-then-attach, %lld ignore, %lld observe; %lld failed\n",
		qdh_json_int(cnt, "attach", 0), qdh_json_int(cnt, "abort", 0),
		qdh_json_int(cnt, "reset-then-attach", 0), qdh_json_int(cnt, "ignore", 0),
		qdh_json_int(cnt, "observe", 0), qdh_json_int(cnt, "failed", 0));
	if (get(root, "report"))
		fprintf(out, "  report: %s\n", qdh_json_str(root, "report", ""));
}
