// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Text rendering of the `qdh inspect` object.  It walks the same json-c
 * object that --json prints, so the two views cannot disagree; strings in
 * it were sanitised when the object was built.
 */
#include "config.h"

#include <string.h>

#include "qdh/output.h"
#include "inspect.h"

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o)
		json_object_object_get_ex(o, key, &v);
	return v;
}

static int has(struct json_object *a, const char *s)
{
	size_t i, n = a ? json_object_array_length(a) : 0;

	for (i = 0; i < n; i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(a, i)), s))
			return 1;
	return 0;
}

/* Array of strings joined by commas, or "-" when empty. */
static void join(FILE *out, struct json_object *a, int width)
{
	size_t i, n = a ? json_object_array_length(a) : 0;
	int w = 0;

	for (i = 0; i < n; i++)
		w += fprintf(out, "%s%s", i ? "," : "",
			     json_object_get_string(json_object_array_get_idx(a, i)));
	if (!n)
		w += fprintf(out, "-");
	if (width > w)
		fprintf(out, "%*s", width - w, "");
}

static void header(struct json_object *h, FILE *out)
{
	fprintf(out, "Header:   version %s, generation %s, flags ",
		qdh_json_str(h, "version", "?"), qdh_json_str(h, "generation", "?"));
	join(out, get(h, "flags"), 0);
	fprintf(out, "\n          header %lld B, checked %lld B, total %lld B, crc32 %s (valid)\n",
		qdh_json_int(h, "header_size", 0), qdh_json_int(h, "checked_size", 0),
		qdh_json_int(h, "total_size", 0), qdh_json_str(h, "crc32", "?"));
}

static void iommus(struct json_object *a, FILE *out)
{
	size_t i, n = json_object_array_length(a);

	fprintf(out, "IOMMUs:   %zu\n", n);
	if (!n)
		return;
	fprintf(out, "  %-3s %-7s %-18s %-10s %-7s %-11s %s\n", "IDX", "TYPE", "BASE",
		"SIZE", "SEGMENT", "FLAGS", "NAME");
	for (i = 0; i < n; i++) {
		struct json_object *m = json_object_array_get_idx(a, i);
		struct json_object *seg = get(m, "segment");
		char segbuf[16];

		snprintf(segbuf, sizeof(segbuf), "%s", seg ? json_object_get_string(seg) : "-");
		fprintf(out, "  %-3lld %-7s %-18s %-10s %-7s ", qdh_json_int(m, "index", 0),
			qdh_json_str(m, "type", "?"), qdh_json_str(m, "base", "?"),
			qdh_json_str(m, "size", "?"), segbuf);
		join(out, get(m, "flags"), 11);
		fprintf(out, " %s\n", qdh_json_str(m, "name", ""));
	}
}

static void sids(FILE *out, struct json_object *a, int width)
{
	size_t i, n = a ? json_object_array_length(a) : 0;
	int w = 0;

	for (i = 0; i < n; i++)
		w += fprintf(out, "%s0x%llx", i ? "," : "",
			     (unsigned long long)json_object_get_int64(
				     json_object_array_get_idx(a, i)));
	if (!n)
		w += fprintf(out, "-");
	if (width > w)
		fprintf(out, "%*s", width - w, "");
}

static void devices(struct json_object *a, FILE *out)
{
	size_t i, n = json_object_array_length(a);

	fprintf(out, "Devices:  %zu\n", n);
	if (!n)
		return;
	fprintf(out, "  %-4s %-22s %-9s %-6s %-5s %-11s %-8s %-17s %-18s %s\n", "IDX",
		"DEVICE", "VEN:DEV", "CLASS", "IOMMU", "STREAM-IDS", "STATE", "ACTION",
		"FLAGS", "REASONS");
	for (i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(a, i);
		struct json_object *iommu = get(d, "iommu");
		const char *ven = qdh_json_str(d, "vendor", "0x0000");
		const char *dev = qdh_json_str(d, "device", "0x0000");
		const char *cls = qdh_json_str(d, "class", "0x000000");
		char vd[16];

		int pci = !strcmp(qdh_json_str(d, "bus", ""), "pci");

		/* Drop the "0x" of the JSON hex strings for the lspci look. */
		snprintf(vd, sizeof(vd), "%s:%s", ven + 2, dev + 2);
		fprintf(out, "  %-4lld %-22s %-9s %-6s %-5s ", qdh_json_int(d, "index", 0),
			qdh_json_str(d, "id", "?"), pci ? vd : "-", pci ? cls + 2 : "-",
			iommu ? json_object_get_string(iommu) : "-");
		sids(out, get(d, "stream_ids"), 11);
		fprintf(out, " %-8s %-17s ", qdh_json_str(d, "state", "?"),
			qdh_json_str(d, "action", "?"));
		join(out, get(d, "flags"), 18);
		fputc(' ', out);
		join(out, get(d, "reasons"), 0);
		fputc('\n', out);
	}
}

/* "K=V ..." for raw registers, then the decoded fields. */
static void regs(const char *label, struct json_object *r, FILE *out)
{
	struct json_object *dec = get(r, "decoded");

	fprintf(out, "    %-7s", label);
	json_object_object_foreach(r, key, val) {
		if (!strcmp(key, "decoded"))
			continue;
		if (json_object_is_type(val, json_type_array)) {
			fprintf(out, " %s=", key);
			join(out, val, 0);
		} else {
			fprintf(out, " %s=%s", key, json_object_get_string(val));
		}
	}
	fputc('\n', out);
	if (!dec)
		return;
	fprintf(out, "    %-7s", "");
	json_object_object_foreach(dec, dkey, dval) {
		if (json_object_is_type(dval, json_type_boolean))
			fprintf(out, " %s=%d", dkey, json_object_get_boolean(dval));
		else
			fprintf(out, " %s=%s", dkey, json_object_get_string(dval));
	}
	fputc('\n', out);
}

/* v1.1: the old kernel's stream table entries of the active devices. */
static void streams(struct json_object *r, FILE *out)
{
	struct json_object *a = get(r, "streams");
	size_t i, n = a ? json_object_array_length(a) : 0;

	if (!n && !qdh_json_int(r, "streams_omitted", 0))
		return;
	fprintf(out, "  Streams: %zu of active devices", n);
	if (qdh_json_int(r, "streams_omitted", 0))
		fprintf(out, " (%lld more omitted)", qdh_json_int(r, "streams_omitted", 0));
	fputc('\n', out);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		fprintf(out, "    IOMMU %lld StreamID 0x%llx: %s\n", qdh_json_int(e, "iommu", 0),
			(unsigned long long)qdh_json_int(e, "sid", 0), qdh_json_str(e, "ste", "?"));
	}
}

static void record(struct json_object *r, int no_purgatory, FILE *out)
{
	struct json_object *a = get(r, "iommus"), *el = get(r, "elapsed_us");
	struct json_object *bad = get(r, "bad_segment");
	size_t i, n = a ? json_object_array_length(a) : 0;

	if (!json_object_get_boolean(get(r, "purgatory_ran"))) {
		fprintf(out, "Record:   purgatory ran: no (%s)\n", no_purgatory ?
			"loaded without QDH purgatory" : "no QDH purgatory ran, or it did not finish");
		return;
	}
	fprintf(out, "Record:   purgatory ran: yes, digest: %s", qdh_json_str(r, "digest", "?"));
	if (bad)
		fprintf(out, " (first bad segment %s)", json_object_get_string(bad));
	if (el)
		fprintf(out, ", elapsed %s us (%s ticks at %s Hz)\n", json_object_get_string(el),
			qdh_json_str(r, "ticks", "?"), qdh_json_str(r, "freq_hz", "?"));
	else
		fprintf(out, ", elapsed unknown (%s ticks, no counter frequency)\n",
			qdh_json_str(r, "ticks", "?"));
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		fprintf(out, "  IOMMU %lld (%s): %s\n", qdh_json_int(e, "iommu", 0),
			qdh_json_str(e, "type", "?"), qdh_json_str(e, "action", "?"));
		if (get(e, "before"))
			regs("before:", get(e, "before"), out);
		if (get(e, "after"))
			regs("after:", get(e, "after"), out);
	}
	streams(r, out);
}

void qdh_inspect_render_text(struct json_object *obj, FILE *out)
{
	struct json_object *c = get(obj, "container"), *b = get(obj, "blob");

	fprintf(out, "%s: %s container, QDH blob of %lld bytes at byte %lld\n",
		qdh_json_str(obj, "file", "?"), qdh_json_str(c, "type", "?"),
		qdh_json_int(c, "blob_length", 0), qdh_json_int(c, "blob_offset", 0));
	header(get(b, "header"), out);
	iommus(get(b, "iommus"), out);
	devices(get(b, "devices"), out);
	record(get(b, "record"), has(get(get(b, "header"), "flags"), "no-purgatory"), out);
}
