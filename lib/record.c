// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The handover record, read and written field by field through the view's
 * layout (qdh_check() filled it and proved it consistent): purgatory fills
 * it, every reader decodes it here and nowhere else.  Bytewise access only
 * (qdh_le*()/qdh_put_le*()): the blob is little-endian, may be unaligned,
 * and purgatory runs with the MMU off, where unaligned accesses fault.
 */
#include "codec-internal.h"

static const uint8_t *rec(const struct qdh_view *v)
{
	return v->base + v->offset[QDH_SEC_RECORD];
}

static uint8_t *rec_w(const struct qdh_view *v, void *blob)
{
	return (uint8_t *)blob + v->offset[QDH_SEC_RECORD];
}

static size_t entry_off(const struct qdh_view *v, uint32_t i)
{
	return v->rec_header_size + (size_t)i * v->rec_entry_size;
}

static size_t stream_off(const struct qdh_view *v, uint32_t i)
{
	return sizeof(struct qdh_record_header) + (size_t)i * v->stream_entry_size;
}

void qdh_record_get(const struct qdh_view *v, struct qdh_record_info *out)
{
	const uint8_t *r = rec(v);

	out->flags = qdh_le32(r + RECH_(flags));
	out->bad_segment = qdh_le32(r + RECH_(bad_segment));
	out->ticks = qdh_le64(r + RECH_(ticks));
	out->freq = qdh_le64(r + RECH_(freq));
	out->crc32 = qdh_le32(r + RECH_(crc32));
	out->nentries = qdh_le32(r + RECH_(nentries));
	out->nstreams = v->nstreams;
	out->streams_omitted = v->version_minor > 0 ?
			       qdh_le32(r + RECH_(streams_omitted)) : 0;
}

int qdh_record_get_iommu(const struct qdh_view *v, uint32_t i,
			 struct qdh_record_iommu_info *out)
{
	const uint8_t *e;

	if (i >= v->count[QDH_SEC_IOMMUS])
		return -QDH_E_INVAL;
	e = rec(v) + entry_off(v, i);
	out->iommu = qdh_le16(e + RECE_(iommu));
	out->action = e[RECE_(action)];
	for (uint32_t k = 0; k < QDH_RECORD_NREGS; k++) {
		out->before[k] = qdh_le64(e + RECE_(before) + 8 * k);
		out->after[k] = qdh_le64(e + RECE_(after) + 8 * k);
	}
	return 0;
}

int qdh_record_get_stream(const struct qdh_view *v, uint32_t i,
			  struct qdh_record_stream_info *out)
{
	const uint8_t *e;

	if (i >= v->nstreams)
		return -QDH_E_INVAL;
	e = rec(v) + stream_off(v, i);
	out->iommu = qdh_le16(e + RECS_(iommu));
	out->ste = e[RECS_(ste)];
	out->sid = qdh_le32(e + RECS_(sid));
	return 0;
}

int qdh_record_find_stream(const struct qdh_view *v, uint16_t iommu,
			   uint32_t sid, uint32_t *index)
{
	uint64_t want = (uint64_t)iommu << 32 | sid;
	uint32_t lo = 0, hi = v->nstreams;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const uint8_t *e = rec(v) + stream_off(v, mid);
		uint64_t k = (uint64_t)qdh_le16(e + RECS_(iommu)) << 32 |
			     qdh_le32(e + RECS_(sid));

		if (k == want) {
			if (index)
				*index = mid;
			return 0;
		}
		if (want < k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -QDH_E_NOTFOUND;
}

int qdh_record_elapsed_us(const struct qdh_record_info *r, uint64_t *us)
{
	uint64_t whole, part, rem;

	if (!r->freq)
		return -QDH_E_INVAL;
	whole = r->ticks / r->freq;
	rem = r->ticks % r->freq;
	/* rem < freq; exact unless freq is beyond any real counter's. */
	if (r->freq <= (uint64_t)-1 / 1000000u)
		part = rem * 1000000u / r->freq;
	else
		part = rem / (r->freq / 1000000u);
	if (part > 999999u)
		part = 999999u;		/* rem < freq: under a second */
	if (whole > ((uint64_t)-1 - part) / 1000000u)
		*us = (uint64_t)-1;
	else
		*us = whole * 1000000u + part;
	return 0;
}

void qdh_record_put(const struct qdh_view *v, void *blob,
		    const struct qdh_record_info *r)
{
	uint8_t *h = rec_w(v, blob);

	qdh_put_le32(h + RECH_(flags), r->flags);
	qdh_put_le32(h + RECH_(bad_segment), r->bad_segment);
	qdh_put_le64(h + RECH_(ticks), r->ticks);
	qdh_put_le64(h + RECH_(freq), r->freq);
}

int qdh_record_put_iommu(const struct qdh_view *v, void *blob, uint32_t i,
			 const struct qdh_record_iommu_info *e)
{
	uint8_t *p;

	if (i >= v->count[QDH_SEC_IOMMUS])
		return -QDH_E_INVAL;
	p = rec_w(v, blob) + entry_off(v, i);
	qdh_put_le16(p + RECE_(iommu), (uint16_t)i);
	p[RECE_(action)] = e->action;
	p[RECE_(reserved)] = 0;
	qdh_put_le32(p + RECE_(reserved2), 0);
	for (uint32_t k = 0; k < QDH_RECORD_NREGS; k++) {
		qdh_put_le64(p + RECE_(before) + 8 * k, e->before[k]);
		qdh_put_le64(p + RECE_(after) + 8 * k, e->after[k]);
	}
	return 0;
}

int qdh_record_put_ste(const struct qdh_view *v, void *blob, uint32_t i,
		       uint8_t ste)
{
	if (i >= v->nstreams || ste > QDH_STE_MAX)
		return -QDH_E_INVAL;
	rec_w(v, blob)[stream_off(v, i) + RECS_(ste)] = ste;
	return 0;
}

void qdh_record_seal(const struct qdh_view *v, void *blob)
{
	uint8_t *r = rec_w(v, blob);

	qdh_put_le32(r + RECH_(crc32),
		     qdh_crc32_skip(r, v->count[QDH_SEC_RECORD], RECH_(crc32)));
}
