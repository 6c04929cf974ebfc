// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Adapter to the frozen v1.0 reader: compiled against the v1.0 headers
 * (tests/lib/v1.0/include), with the v1.0 symbols renamed (rename.h).
 * The record is read the way v1.0 code did: offsetof() on the v1.0 structs,
 * entries at header_size.
 */
#include <stddef.h>
#include "qdh/codec.h"
#include "v10.h"

static int view(const void *buf, size_t len, struct qdh_view *v)
{
	return qdh_check(v, buf, len);
}

int v10_check(const void *buf, size_t len, size_t *at)
{
	struct qdh_view v;
	int ret = qdh_check(&v, buf, len);

	*at = v.err_offset;
	return ret;
}

uint32_t v10_device_count(const void *buf, size_t len)
{
	struct qdh_view v;

	return view(buf, len, &v) ? 0 : qdh_device_count(&v);
}

static void convert(const struct qdh_view *v, const struct qdh_device_info *d,
		    struct v10_device *out)
{
	out->index = d->index;
	out->is_platform = d->is_platform;
	out->segment = d->segment;
	out->bus = d->bus;
	out->devfn = d->devfn;
	out->name = d->name;
	out->vendor = d->vendor;
	out->device = d->device;
	out->iommu = d->iommu;
	out->reasons = d->reasons;
	out->state = d->state;
	out->action = d->action;
	out->flags = d->flags;
	out->nsids = d->nsids;
	for (uint32_t k = 0; k < 8; k++)
		if (k >= d->nsids || qdh_device_sid(v, d, k, &out->sids[k]))
			out->sids[k] = 0;
}

int v10_device(const void *buf, size_t len, uint32_t i, struct v10_device *out)
{
	struct qdh_view v;
	struct qdh_device_info d;
	int ret = view(buf, len, &v);

	if (!ret)
		ret = qdh_get_device(&v, i, &d);
	if (!ret)
		convert(&v, &d, out);
	return ret;
}

int v10_find_pci(const void *buf, size_t len, uint16_t segment, uint8_t bus,
		 uint8_t devfn, struct v10_device *out)
{
	struct qdh_view v;
	struct qdh_device_info d;
	int ret = view(buf, len, &v);

	if (!ret)
		ret = qdh_find_pci(&v, segment, bus, devfn, &d);
	if (!ret)
		convert(&v, &d, out);
	return ret;
}

int v10_find_stream(const void *buf, size_t len, uint16_t iommu, uint32_t sid,
		    uint32_t *index)
{
	struct qdh_view v;
	struct qdh_device_info d;
	int ret = view(buf, len, &v);

	if (!ret)
		ret = qdh_find_stream(&v, iommu, sid, &d);
	if (!ret)
		*index = d.index;
	return ret;
}

void v10_record(const void *buf, size_t len, struct v10_record *out)
{
	struct qdh_view v;
	const uint8_t *r;
	uint16_t hs, es;

	if (view(buf, len, &v))
		return;
	r = v.base + v.offset[QDH_SEC_RECORD];
	hs = qdh_le16(r + offsetof(struct qdh_record_header, header_size));
	es = qdh_le16(r + offsetof(struct qdh_record_header, entry_size));
	out->flags = qdh_le32(r + offsetof(struct qdh_record_header, flags));
	out->ticks = qdh_le64(r + offsetof(struct qdh_record_header, ticks));
	out->freq = qdh_le64(r + offsetof(struct qdh_record_header, freq));
	out->nentries = qdh_le32(r + offsetof(struct qdh_record_header, nentries));
	for (uint32_t i = 0; i < 8 && i < out->nentries; i++) {
		const uint8_t *e = r + hs + (size_t)i * es;

		out->action[i] = e[offsetof(struct qdh_record_iommu, action)];
		out->after0[i] = qdh_le64(e + offsetof(struct qdh_record_iommu, after));
	}
}
