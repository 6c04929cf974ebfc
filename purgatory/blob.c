// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory's view of one QDH blob copy, on top of the codec
 * (lib/check.c, lib/read.c, lib/record.c, compiled into the purgatory).
 * The blob is untrusted (it sits in memory the dying kernel could have
 * scribbled on), so it is validated in full before anything is read from
 * it; the record checksum is not checked because the record is about to be
 * rewritten.  All access is bytewise through qdh_le*()/qdh_put_le*(): a DT
 * property is only 4-byte aligned and the MMU is off.
 */
#include "purg.h"

#define RE(f)	((uint32_t)__builtin_offsetof(struct qdh_record_iommu, f))

int purg_blob_open(struct purg_blob *b, void *buf, size_t len)
{
	int ret = qdh_check_body(&b->v, buf, len);

	if (ret)
		return ret;
	b->base = (uint8_t *)buf;
	b->niommus = qdh_iommu_count(&b->v);
	return 0;
}

void purg_blob_iommu(const struct purg_blob *b, uint32_t i,
		     struct purg_iommu_desc *d)
{
	struct qdh_iommu_info info;

	if (qdh_get_iommu(&b->v, i, &info)) {
		d->base = d->size = 0;
		d->type = QDH_IOMMU_UNKNOWN;
		d->flags = 0;
		return;
	}
	d->base = info.base;
	d->size = info.size;
	d->type = info.type;
	d->flags = info.flags;
}

uint8_t *purg_blob_rec_header(const struct purg_blob *b)
{
	return (uint8_t *)qdh_record_header(&b->v, b->base);
}

uint8_t *purg_blob_rec_entry(const struct purg_blob *b, uint32_t i)
{
	return (uint8_t *)qdh_record_entry(&b->v, b->base, i);
}

void purg_blob_seal(const struct purg_blob *b)
{
	qdh_record_seal(&b->v, b->base);
}

void purg_blob_rec_write(const struct purg_blob *b, uint32_t i,
			 const struct purg_iommu_result *res)
{
	uint8_t *e = purg_blob_rec_entry(b, i);
	int k;

	if (!e)
		return;
	qdh_put_le16(e + RE(iommu), (uint16_t)i);
	e[RE(action)] = res->action;
	e[RE(reserved)] = 0;
	qdh_put_le32(e + RE(reserved2), 0);
	for (k = 0; k < QDH_RECORD_NREGS; k++) {
		qdh_put_le64(e + RE(before) + 8 * k, res->before[k]);
		qdh_put_le64(e + RE(after) + 8 * k, res->after[k]);
	}
}

void purg_blob_rec_read(const struct purg_blob *b, uint32_t i,
			struct purg_iommu_result *res)
{
	const uint8_t *e = purg_blob_rec_entry(b, i);
	int k;

	res->action = e ? e[RE(action)] : QDH_PURG_NONE;
	for (k = 0; k < QDH_RECORD_NREGS; k++) {
		res->before[k] = e ? qdh_le64(e + RE(before) + 8 * k) : 0;
		res->after[k] = e ? qdh_le64(e + RE(after) + 8 * k) : 0;
	}
}
