// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory's view of one QDH blob copy, on top of the codec
 * (lib/check.c, lib/read.c, lib/record.c, compiled into the purgatory).
 * The blob is untrusted (it sits in memory the dying kernel could have
 * scribbled on), so it is validated in full before anything is read from
 * it; the record checksum is not checked because the record is about to be
 * rewritten.  The record is read and written through the codec's typed
 * record calls, which access it bytewise: a DT property is only 4-byte
 * aligned and the MMU is off.
 */
#include "purg.h"

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

void purg_blob_seal(const struct purg_blob *b)
{
	qdh_record_seal(&b->v, b->base);
}

void purg_blob_rec_write(const struct purg_blob *b, uint32_t i,
			 const struct purg_iommu_result *res)
{
	struct qdh_record_iommu_info e;
	int k;

	e.iommu = (uint16_t)i;
	e.action = res->action;
	for (k = 0; k < QDH_RECORD_NREGS; k++) {
		e.before[k] = res->before[k];
		e.after[k] = res->after[k];
	}
	qdh_record_put_iommu(&b->v, b->base, i, &e);
}

void purg_blob_rec_read(const struct purg_blob *b, uint32_t i,
			struct purg_iommu_result *res)
{
	struct qdh_record_iommu_info e;
	int k, ok = qdh_record_get_iommu(&b->v, i, &e) == 0;

	res->action = ok ? e.action : QDH_PURG_NONE;
	for (k = 0; k < QDH_RECORD_NREGS; k++) {
		res->before[k] = ok ? e.before[k] : 0;
		res->after[k] = ok ? e.after[k] : 0;
	}
}
