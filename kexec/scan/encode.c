// SPDX-License-Identifier: GPL-2.0-or-later
/* The inventory as a QDH blob, through the codec's builder (lib/). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "qdh/codec.h"
#include "scan.h"

static int fresh_generation(uint64_t *g)
{
	do {
		ssize_t n = getrandom(g, sizeof(*g), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(*g))
			return n < 0 ? -errno : -EIO;
	} while (*g == 0);	/* zero means "none" to readers */
	return 0;
}

static int wide(const struct qdh_inv_device *d)
{
	return d->bus == QDH_INV_PCI && d->domain > 0xffff;
}

static int codec_errno(int e)
{
	if (e == -QDH_E_NOSPACE || e == -QDH_E_COUNT || e == -QDH_E_TOTAL_SIZE)
		return -EFBIG;
	return -EINVAL;
}

int qdh_inventory_encode(const struct qdh_inventory *inv, uint64_t generation,
			 uint8_t **blob, size_t *len, uint32_t *flags)
{
	struct qdh_builder b;
	uint32_t pool = 0, strbytes = 0;
	size_t i, bound;
	uint8_t *buf;
	int r, *map;

	/*
	 * Only the blob is limited (2 MiB, doc/abi.md "Sizes"); the builder's
	 * scratch buffer, sized by qdh_build_size_bound(), is larger and was
	 * once capped at 2 MiB, which refused a full PCI segment (65,536
	 * functions: 1.6 MiB of blob, 4.7 MiB of scratch).  No device takes
	 * less than 24 bytes of blob, so more than 2 MiB / 24 cannot fit:
	 * refused before anything is read or allocated.
	 */
	if (inv->niommus >= QDH_NO_IOMMU ||
	    inv->ndevices > QDH_MAX_BLOB_SIZE / sizeof(struct qdh_device))
		return -EFBIG;
	if (!generation) {
		r = fresh_generation(&generation);
		if (r < 0)
			return r;
	}
	for (i = 0; i < inv->niommus; i++)
		strbytes += (uint32_t)strlen(inv->iommus[i].name) + 1;
	for (i = 0; i < inv->ndevices; i++) {
		const struct qdh_inv_device *d = &inv->devices[i];

		if (d->bus == QDH_INV_PLATFORM)
			strbytes += (uint32_t)strlen(d->name) + 1;
		if (d->nsids > 1 && !wide(d))
			pool += d->nsids;
	}
	bound = qdh_build_size_bound((uint32_t)inv->niommus, (uint32_t)inv->ndevices,
				     pool, strbytes);
	buf = malloc(bound);	/* the builder zeroes what it lays out */
	map = calloc(inv->niommus + 1, sizeof(*map));
	if (!buf || !map) {
		free(buf);
		free(map);
		return -ENOMEM;
	}
	r = qdh_build_init(&b, buf, bound, (uint32_t)inv->niommus,
			   (uint32_t)inv->ndevices, pool, strbytes, generation,
			   inv->blob_flags);
	for (i = 0; r == 0 && i < inv->niommus; i++) {
		const struct qdh_inv_iommu *m = &inv->iommus[i];
		struct qdh_iommu_spec s = {
			.base = m->base, .size = m->size, .type = m->type,
			.flags = m->has_active ? QDH_IOMMU_F_HAS_ACTIVE : 0,
			.segment = m->segment < 0 || m->segment > 0xffff ?
				   QDH_IOMMU_NO_SEGMENT : (uint16_t)m->segment,
			.name = m->name,
		};
		int idx = qdh_build_add_iommu(&b, &s);

		if (idx < 0)
			r = idx;
		else
			map[i] = idx;
	}
	for (i = 0; r == 0 && i < inv->ndevices; i++) {
		const struct qdh_inv_device *d = &inv->devices[i];
		int has_iommu = d->iommu >= 0 && (size_t)d->iommu < inv->niommus;
		struct qdh_device_spec s = {
			.is_platform = d->bus == QDH_INV_PLATFORM,
			.domain = d->domain, .bus = d->busno, .devfn = d->devfn,
			.name = d->name,
			.vendor = d->bus == QDH_INV_PCI ? d->vendor : 0,
			.device = d->bus == QDH_INV_PCI ? d->device : 0,
			.class_code = d->bus == QDH_INV_PCI ? d->class_code & 0xffffff : 0,
			.iommu = has_iommu ? (uint16_t)map[d->iommu] : QDH_NO_IOMMU,
			.reasons = d->reasons, .state = d->state,
			.action = d->action, .flags = d->flags & QDH_DEV_F_KNOWN,
			/* StreamIDs mean nothing without their IOMMU. */
			.nsids = has_iommu ? (uint8_t)d->nsids : 0,
			.sids = qdh_inv_sids(inv, d),
		};

		/*
		 * A domain above 0xffff (VMD) goes to the wide section: its
		 * IOMMU and StreamIDs are its requester's, named instead.
		 */
		if (wide(d)) {
			const struct qdh_inv_device *q = d->requester >= 0 &&
				(size_t)d->requester < inv->ndevices ?
				&inv->devices[d->requester] : NULL;

			s.iommu = QDH_NO_IOMMU;
			s.nsids = 0;
			s.sids = NULL;
			if (q && q->bus == QDH_INV_PCI && q->domain <= 0xffff) {
				s.has_requester = 1;
				s.requester_domain = (uint16_t)q->domain;
				s.requester_bus = q->busno;
				s.requester_devfn = q->devfn;
			}
		}
		r = qdh_build_add_device(&b, &s);
	}
	if (r == 0)
		r = qdh_build_finish(&b, len);
	free(map);
	if (r < 0) {
		free(buf);
		return codec_errno(r);
	}
	*blob = buf;
	if (flags)
		*flags = inv->blob_flags;
	return 0;
}
