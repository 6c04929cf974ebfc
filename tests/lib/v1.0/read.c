// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Accessors, the device iterator and the O(log n) lookups over a view that
 * qdh_check() accepted.  They trust the checked offsets and counts and only
 * bounds-check the caller's indexes.
 */
#include "codec-internal.h"

uint32_t qdh_iommu_count(const struct qdh_view *v)
{
	return v->count[QDH_SEC_IOMMUS];
}

uint32_t qdh_device_count(const struct qdh_view *v)
{
	return v->count[QDH_SEC_DEVICES];
}

static const char *string_at(const struct qdh_view *v, uint32_t off)
{
	return (const char *)v->base + v->offset[QDH_SEC_STRINGS] + off;
}

int qdh_get_iommu(const struct qdh_view *v, uint32_t i, struct qdh_iommu_info *out)
{
	const uint8_t *e;

	if (i >= v->count[QDH_SEC_IOMMUS])
		return -QDH_E_INVAL;
	e = qdh_entry(v, QDH_SEC_IOMMUS, i);
	out->base = qdh_le64(e + IOM_(base));
	out->size = qdh_le64(e + IOM_(size));
	out->type = e[IOM_(type)];
	out->flags = e[IOM_(flags)];
	out->segment = qdh_le16(e + IOM_(segment));
	out->name = string_at(v, qdh_le32(e + IOM_(name)));
	return 0;
}

int qdh_get_device(const struct qdh_view *v, uint32_t i, struct qdh_device_info *out)
{
	const uint8_t *e;
	uint32_t id;

	if (i >= v->count[QDH_SEC_DEVICES])
		return -QDH_E_INVAL;
	e = qdh_entry(v, QDH_SEC_DEVICES, i);
	id = qdh_le32(e + DEV_(id));
	out->index = i;
	out->flags = e[DEV_(flags)];
	out->is_platform = !!(out->flags & QDH_DEV_F_PLATFORM);
	if (out->is_platform) {
		out->segment = 0;
		out->bus = 0;
		out->devfn = 0;
		out->name = string_at(v, id);
	} else {
		out->segment = (uint16_t)(id >> 16);
		out->bus = (uint8_t)(id >> 8);
		out->devfn = (uint8_t)id;
		out->name = NULL;
	}
	out->vendor = qdh_le16(e + DEV_(vendor));
	out->device = qdh_le16(e + DEV_(device));
	out->class_code = qdh_le32(e + DEV_(class_code));
	out->iommu = qdh_le16(e + DEV_(iommu));
	out->reasons = qdh_le16(e + DEV_(reasons));
	out->state = e[DEV_(state)];
	out->action = e[DEV_(action)];
	out->nsids = e[DEV_(nsids)];
	out->sid_raw = qdh_le32(e + DEV_(sid));
	return 0;
}

int qdh_device_sid(const struct qdh_view *v, const struct qdh_device_info *d,
		   uint32_t k, uint32_t *sid)
{
	if (k >= d->nsids)
		return -QDH_E_INVAL;
	if (d->nsids == 1) {
		*sid = d->sid_raw;
		return 0;
	}
	/* Checked at qdh_check() time, but d may be a caller's copy. */
	if ((uint64_t)d->sid_raw + k >= v->count[QDH_SEC_SIDS])
		return -QDH_E_SIDS;
	*sid = qdh_le32(qdh_entry(v, QDH_SEC_SIDS, d->sid_raw + k));
	return 0;
}

void qdh_dev_iter_init(struct qdh_dev_iter *it, const struct qdh_view *v)
{
	it->v = v;
	it->next = 0;
}

/* 1 with *out filled, 0 at the end. */
int qdh_dev_iter_next(struct qdh_dev_iter *it, struct qdh_device_info *out)
{
	if (it->next >= it->v->count[QDH_SEC_DEVICES])
		return 0;
	qdh_get_device(it->v, it->next++, out);
	return 1;
}

/*
 * Binary search over the device table in its sort order.  cmp() compares
 * the key with entry e: <0 if the key sorts before it.
 */
typedef int (*key_cmp_fn)(const struct qdh_view *v, const uint8_t *e,
			  const void *key);

static int find_device(const struct qdh_view *v, key_cmp_fn cmp,
		       const void *key, struct qdh_device_info *out)
{
	uint32_t lo = 0, hi = v->count[QDH_SEC_DEVICES];

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = cmp(v, qdh_entry(v, QDH_SEC_DEVICES, mid), key);

		if (c == 0)
			return out ? qdh_get_device(v, mid, out) : 0;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -QDH_E_NOTFOUND;
}

static int pci_cmp(const struct qdh_view *v, const uint8_t *e, const void *key)
{
	uint32_t want = *(const uint32_t *)key, id = qdh_le32(e + DEV_(id));

	(void)v;
	if (e[DEV_(flags)] & QDH_DEV_F_PLATFORM)
		return -1;	/* every PCI function sorts before platform devices */
	return (want > id) - (want < id);
}

int qdh_find_pci(const struct qdh_view *v, uint16_t segment, uint8_t bus,
		 uint8_t devfn, struct qdh_device_info *out)
{
	uint32_t id = (uint32_t)segment << 16 | (uint32_t)bus << 8 | devfn;

	return find_device(v, pci_cmp, &id, out);
}

static int platform_cmp(const struct qdh_view *v, const uint8_t *e, const void *key)
{
	if (!(e[DEV_(flags)] & QDH_DEV_F_PLATFORM))
		return 1;
	return qdh_strcmp((const char *)key, string_at(v, qdh_le32(e + DEV_(id))));
}

int qdh_find_platform(const struct qdh_view *v, const char *name,
		      struct qdh_device_info *out)
{
	if (!name)
		return -QDH_E_INVAL;
	return find_device(v, platform_cmp, name, out);
}

/* StreamID of device dev at slot (the run's view of it). */
static uint32_t run_member_sid(const struct qdh_view *v, uint32_t dev, uint8_t slot)
{
	const uint8_t *d = qdh_entry(v, QDH_SEC_DEVICES, dev);
	uint32_t sid = qdh_le32(d + DEV_(sid));

	if (d[DEV_(nsids)] > 1)
		sid = qdh_le32(qdh_entry(v, QDH_SEC_SIDS, sid + slot));
	return sid;
}

/*
 * Two binary searches: the first run whose (iommu, sid) is >= the key (an
 * exact start, and with aliases the lowest device, as aliasing runs sort by
 * device), else the run before it, whose range may contain the StreamID;
 * then the device inside that run, whose StreamIDs increase.
 */
int qdh_find_stream(const struct qdh_view *v, uint16_t iommu, uint32_t sid,
		    struct qdh_device_info *out)
{
	uint64_t key = (uint64_t)iommu << 32 | sid;
	uint32_t lo = 0, hi = v->count[QDH_SEC_RUNS];
	const uint8_t *r;
	uint32_t dev, count;
	uint8_t slot;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const uint8_t *e = qdh_entry(v, QDH_SEC_RUNS, mid);
		uint64_t k = (uint64_t)qdh_le16(e + RUN_(iommu)) << 32 |
			     qdh_le32(e + RUN_(sid));

		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < v->count[QDH_SEC_RUNS]) {
		r = qdh_entry(v, QDH_SEC_RUNS, lo);
		if (qdh_le16(r + RUN_(iommu)) == iommu &&
		    qdh_le32(r + RUN_(sid)) == sid)
			return out ? qdh_get_device(v, qdh_le32(r + RUN_(device)), out) : 0;
	}
	if (lo == 0)
		return -QDH_E_NOTFOUND;
	r = qdh_entry(v, QDH_SEC_RUNS, lo - 1);
	if (qdh_le16(r + RUN_(iommu)) != iommu)
		return -QDH_E_NOTFOUND;
	dev = qdh_le32(r + RUN_(device));
	count = qdh_le32(r + RUN_(count));
	slot = r[RUN_(sid_slot)];
	lo = 0;
	hi = count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint32_t s = run_member_sid(v, dev + mid, slot);

		if (s == sid)
			return out ? qdh_get_device(v, dev + mid, out) : 0;
		if (s < sid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -QDH_E_NOTFOUND;
}
