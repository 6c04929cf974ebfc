// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The JSON view of a validated blob (doc/inspect-json.md): what `qdh
 * inspect` prints and `qdh apply` embeds.  Every string that comes from the
 * blob is passed through qdh_printable(); addresses, registers and IDs are
 * hex strings so that 64-bit values survive JSON readers that use doubles.
 * Key order is fixed (json-c keeps insertion order): golden files rely on it.
 */
#include "config.h"

#include <inttypes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>	/* inventory.h includes sysroot.h */

#include "qdh/inventory.h"
#include "qdh/output.h"
#include "qdh/transport.h"

static struct json_object *hex(uint64_t v, int width)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%0*" PRIx64, width, v);
	return json_object_new_string(buf);
}

/* Blob strings are validated NUL-terminated, but their bytes are not. */
static struct json_object *text(const char *s)
{
	size_t n = s ? strlen(s) : 0, cap = 4 * n + 1;
	struct json_object *o;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	o = json_object_new_string(qdh_printable(s ? s : "", n, buf, cap));
	free(buf);
	return o;
}

static void add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

/* Names of the set bits; bits without a name become "bit<N>". */
struct json_object *qdh_bits_to_json(uint32_t v, const char *(*name)(unsigned))
{
	struct json_object *a = json_object_new_array();
	unsigned b;

	for (b = 0; b < 32; b++) {
		char buf[16];
		const char *n;

		if (!(v & (1u << b)))
			continue;
		n = name(b);
		if (!n) {
			snprintf(buf, sizeof(buf), "bit%u", b);
			n = buf;
		}
		json_object_array_add(a, json_object_new_string(n));
	}
	return a;
}

#define bit_names qdh_bits_to_json

static struct json_object *header_json(const struct qdh_view *v)
{
	struct json_object *o = json_object_new_object(), *c;
	char ver[16];

	snprintf(ver, sizeof(ver), "%u.%u", v->version_major, v->version_minor);
	add(o, "version", json_object_new_string(ver));
	add(o, "generation", hex(v->generation, 16));
	add(o, "flags", bit_names(v->flags, qdh_header_flag_name));
	add(o, "flags_raw", hex(v->flags, 8));
	add(o, "header_size", json_object_new_int64(v->header_size));
	add(o, "checked_size", json_object_new_int64(v->checked_size));
	add(o, "total_size", json_object_new_int64((int64_t)v->size));
	add(o, "crc32", hex(v->crc32, 8));
	c = json_object_new_object();
	add(c, "iommus", json_object_new_int64(v->count[QDH_SEC_IOMMUS]));
	add(c, "devices", json_object_new_int64(v->count[QDH_SEC_DEVICES]));
	add(c, "pool_stream_ids", json_object_new_int64(v->count[QDH_SEC_SIDS]));
	add(c, "stream_runs", json_object_new_int64(v->count[QDH_SEC_RUNS]));
	add(c, "string_bytes", json_object_new_int64(v->count[QDH_SEC_STRINGS]));
	add(c, "record_bytes", json_object_new_int64(v->count[QDH_SEC_RECORD]));
	add(c, "wide_pci", json_object_new_int64(v->count[QDH_SEC_WIDE_PCI]));
	add(o, "counts", c);
	return o;
}

static struct json_object *iommus_json(const struct qdh_view *v)
{
	struct json_object *a = json_object_new_array();
	uint32_t i;

	for (i = 0; i < qdh_iommu_count(v); i++) {
		struct json_object *o = json_object_new_object();
		struct qdh_iommu_info m;

		if (qdh_get_iommu(v, i, &m))
			break;
		add(o, "index", json_object_new_int64(i));
		add(o, "type", json_object_new_string(qdh_iommu_type_name(m.type)));
		add(o, "name", text(m.name));
		add(o, "base", hex(m.base, 1));
		add(o, "size", hex(m.size, 1));
		add(o, "segment", m.segment == QDH_IOMMU_NO_SEGMENT ? NULL :
				  json_object_new_int64(m.segment));
		add(o, "flags", bit_names(m.flags, qdh_iommu_flag_name));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *device_json(const struct qdh_view *v,
				       const struct qdh_device_info *d)
{
	struct json_object *o = json_object_new_object(), *sids;
	char id[32];
	uint32_t k;

	add(o, "index", json_object_new_int64(d->index));
	add(o, "bus", json_object_new_string(d->is_platform ? "platform" : "pci"));
	if (d->is_platform) {
		add(o, "id", text(d->name));
	} else {
		snprintf(id, sizeof(id), "%04x:%02x:%02x.%u", d->domain, d->bus,
			 d->devfn >> 3, d->devfn & 7u);
		add(o, "id", json_object_new_string(id));
	}
	add(o, "vendor", hex(d->vendor, 4));
	add(o, "device", hex(d->device, 4));
	add(o, "class", hex(d->class_code, 6));
	add(o, "iommu", d->iommu == QDH_NO_IOMMU ? NULL : json_object_new_int64(d->iommu));
	/* A wide function's IOMMU and StreamIDs are its requester's. */
	add(o, "requester", d->requester == QDH_NO_REQUESTER ? NULL :
			    json_object_new_int64(d->requester));
	sids = json_object_new_array();
	for (k = 0; k < d->nsids; k++) {
		uint32_t sid;

		if (qdh_device_sid(v, d, k, &sid))
			break;
		json_object_array_add(sids, json_object_new_int64(sid));
	}
	add(o, "stream_ids", sids);
	add(o, "state", json_object_new_string(qdh_state_name(d->state)));
	add(o, "action", json_object_new_string(qdh_action_name(d->action)));
	add(o, "reasons", bit_names(d->reasons, qdh_reason_name));
	add(o, "reasons_raw", hex(d->reasons, 4));
	add(o, "flags", bit_names(d->flags, qdh_device_flag_name));
	return o;
}

static struct json_object *devices_json(const struct qdh_view *v)
{
	struct json_object *a = json_object_new_array();
	struct qdh_device_info d;
	struct qdh_dev_iter it;

	for (qdh_dev_iter_init(&it, v); qdh_dev_iter_next(&it, &d) == 1;)
		json_object_array_add(a, device_json(v, &d));
	return a;
}

static const char *digest_result(uint32_t flags)
{
	if (flags & QDH_REC_F_DIGEST_BAD)
		return "bad";
	if (flags & QDH_REC_F_DIGEST_OK)
		return "ok";
	if (flags & QDH_REC_F_DIGEST_SKIPPED)
		return "skipped";
	return "not-checked";
}

static struct json_object *record_entry_json(const struct qdh_view *v, uint32_t i)
{
	struct json_object *o = json_object_new_object();
	struct qdh_record_iommu_info e;
	struct qdh_iommu_info m;
	uint8_t type = QDH_IOMMU_UNKNOWN;

	qdh_record_get_iommu(v, i, &e);
	if (!qdh_get_iommu(v, e.iommu, &m))
		type = m.type;
	add(o, "iommu", json_object_new_int64(e.iommu));
	add(o, "type", json_object_new_string(qdh_iommu_type_name(type)));
	add(o, "action", json_object_new_string(qdh_purgatory_action_name(e.action)));
	/* Registers are meaningful only when purgatory read them. */
	if (e.action == QDH_PURG_NONE || e.action == QDH_PURG_SKIPPED)
		return o;
	add(o, "before", qdh_iommu_regs_json(type, e.before));
	add(o, "after", qdh_iommu_regs_json(type, e.after));
	return o;
}

/* The v1.1 stream table: what purgatory found in the old stream table. */
static struct json_object *streams_json(const struct qdh_view *v)
{
	struct json_object *a = json_object_new_array();
	struct qdh_record_stream_info si;
	uint32_t i;

	for (i = 0; qdh_record_get_stream(v, i, &si) == 0; i++) {
		struct json_object *o = json_object_new_object();

		add(o, "iommu", json_object_new_int64(si.iommu));
		add(o, "sid", json_object_new_int64(si.sid));
		add(o, "ste", json_object_new_string(qdh_ste_state_name(si.ste)));
		json_object_array_add(a, o);
	}
	return a;
}

struct json_object *qdh_record_to_json(const struct qdh_view *v)
{
	struct json_object *o = json_object_new_object(), *a;
	struct qdh_record_info r;
	uint64_t us;
	uint32_t i;

	qdh_record_get(v, &r);
	add(o, "purgatory_ran", json_object_new_boolean(r.flags & QDH_REC_F_PURGATORY_RAN));
	add(o, "digest", json_object_new_string(digest_result(r.flags)));
	add(o, "bad_segment", r.flags & QDH_REC_F_DIGEST_BAD ?
		json_object_new_int64(r.bad_segment) : NULL);
	add(o, "flags", bit_names(r.flags, qdh_record_flag_name));
	add(o, "crc32", hex(r.crc32, 8));
	add(o, "ticks", json_object_new_uint64(r.ticks));
	add(o, "freq_hz", json_object_new_uint64(r.freq));
	add(o, "elapsed_us", qdh_record_elapsed_us(&r, &us) ? NULL : json_object_new_uint64(us));
	a = json_object_new_array();
	for (i = 0; i < r.nentries; i++)
		json_object_array_add(a, record_entry_json(v, i));
	add(o, "iommus", a);
	add(o, "streams", streams_json(v));
	add(o, "streams_omitted", json_object_new_int64(r.streams_omitted));
	return o;
}

struct json_object *qdh_blob_to_json(const struct qdh_view *v)
{
	struct json_object *o = json_object_new_object();

	add(o, "header", header_json(v));
	add(o, "iommus", iommus_json(v));
	add(o, "devices", devices_json(v));
	add(o, "record", qdh_record_to_json(v));
	return o;
}
