// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The QDH builder.  No allocation: everything happens inside the caller's
 * buffer, which qdh_build_size_bound() sizes as two disjoint regions:
 *
 *   [0, final)            the blob as it will be laid out (worst case)
 *   [cap - staging, cap)  staged devices, their StreamID lists and the
 *                         names, as added, in any order
 *
 * The IOMMU table goes straight to its final place (its index is the
 * caller's).  qdh_build_finish() puts the staged devices in the ABI's order
 * (one pass when they already are, heapsort otherwise), copies them out
 * (the device table, then the wide PCI table), builds the StreamID pool in
 * device order, the stream runs (sorted and merged in place in the runs
 * area), the strings (IOMMU names, then platform names in device order),
 * the record with its stream table, and the checksum.  Since nothing
 * depends on the order the devices were added in, the same inventory
 * always gives the same bytes.
 */
#include "codec-internal.h"

#define HDR_SIZE	QDH_HDR_SEC(QDH_NR_SECTIONS)
#define IOMMU_ES	sizeof(struct qdh_iommu)
#define DEV_ES		sizeof(struct qdh_device)
#define RUN_ES		sizeof(struct qdh_stream_run)
#define WIDE_ES		sizeof(struct qdh_wide_pci)
#define RECH_SIZE	sizeof(struct qdh_record_header)
#define RECE_SIZE	sizeof(struct qdh_record_iommu)
#define RECS_SIZE	sizeof(struct qdh_record_stream)

/*
 * A staged device: the builder's own fixed-size record, whatever table
 * the device ends in.  Sorted by (kind, key): the device table's PCI
 * functions, then the wide ones, then platform devices, which is the
 * ABI's order within each table.
 */
enum { KIND_PCI = 0, KIND_WIDE = 1, KIND_PLATFORM = 2 };
#define ST_KEY		0	/* u32: PCI id, wide domain, platform name */
#define ST_BDF		4	/* u16: wide only */
#define ST_KIND		6	/* u8 */
#define ST_NSIDS	7	/* u8 */
#define ST_VENDOR	8	/* u16 */
#define ST_DEVICE	10	/* u16 */
#define ST_CLASS	12	/* u32 */
#define ST_IOMMU	16	/* u16 */
#define ST_REASONS	18	/* u16 */
#define ST_STATE	20	/* u8 */
#define ST_ACTION	21	/* u8 */
#define ST_FLAGS	22	/* u8 */
#define ST_HAS_REQ	23	/* u8 */
#define ST_SID		24	/* u32: the StreamID, or staged pool index */
#define ST_REQ		28	/* u32: requester's PCI id */
#define ST_SIZE		32

static uint64_t align8(uint64_t x)
{
	return (x + 7) & ~(uint64_t)7;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * Worst-case size of the blob itself.  Runs: one tuple per (device,
 * StreamID) while sorting.  A wide function takes 32 bytes instead of a
 * device entry and a tuple (40), so the wide table fits the same bound.
 */
static uint64_t final_bound(uint64_t ni, uint64_t nd, uint64_t np, uint64_t ns)
{
	return HDR_SIZE + ni * IOMMU_ES + nd * DEV_ES + align8(np * 4) +
	       (nd + np) * RUN_ES + align8(ns) + RECH_SIZE + ni * RECE_SIZE +
	       min64(nd + np, QDH_RECORD_MAX_STREAMS) * RECS_SIZE;
}

static uint64_t staging_size(uint64_t nd, uint64_t np, uint64_t ns)
{
	return nd * ST_SIZE + align8(np * 4) + align8(ns);
}

size_t qdh_build_size_bound(uint32_t niommus, uint32_t ndevices,
			    uint32_t npool_sids, uint32_t string_bytes)
{
	uint64_t n = final_bound(niommus, ndevices, npool_sids, string_bytes) +
		     staging_size(ndevices, npool_sids, string_bytes);

	return n > (size_t)-1 ? (size_t)-1 : (size_t)n;
}

/* Staging areas, recomputed from the builder's limits. */
static uint8_t *stage_devices(const struct qdh_builder *b)
{
	return b->buf + b->cap -
	       staging_size(b->max_devices, b->max_pool_sids, b->max_strings);
}

static uint8_t *stage_pool(const struct qdh_builder *b)
{
	return stage_devices(b) + (size_t)b->max_devices * ST_SIZE;
}

static uint8_t *stage_strings(const struct qdh_builder *b)
{
	return stage_pool(b) + align8((uint64_t)b->max_pool_sids * 4);
}

static int set_err(struct qdh_builder *b, int err)
{
	if (!b->err)
		b->err = err;
	return -err;
}

int qdh_build_init(struct qdh_builder *b, void *buf, size_t cap,
		   uint32_t max_iommus, uint32_t max_devices,
		   uint32_t max_pool_sids, uint32_t max_string_bytes,
		   uint64_t generation, uint32_t flags)
{
	uint64_t fin = final_bound(max_iommus, max_devices, max_pool_sids,
				   max_string_bytes);

	qdh_memset(b, 0, sizeof(*b));
	b->buf = (uint8_t *)buf;
	b->cap = cap;
	b->max_iommus = max_iommus;
	b->max_devices = max_devices;
	b->max_pool_sids = max_pool_sids;
	b->max_strings = max_string_bytes;
	b->generation = generation;
	b->flags = flags;
	if (!buf)
		return set_err(b, QDH_E_INVAL);
	if (max_iommus > QDH_NO_IOMMU)
		return set_err(b, QDH_E_COUNT);
	if (generation == 0)
		return set_err(b, QDH_E_GENERATION);
	if (flags & ~QDH_F_KNOWN)
		return set_err(b, QDH_E_FLAGS);
	/* No blob claims a purgatory action that never runs. */
	if ((flags & QDH_F_NO_PURGATORY) && (flags & QDH_F_BLOCK_BYPASS))
		return set_err(b, QDH_E_INVAL);
	if ((flags & QDH_F_NO_DUMP_TARGET) && !(flags & QDH_F_CRASH))
		return set_err(b, QDH_E_FLAGS);
	if (cap < qdh_build_size_bound(max_iommus, max_devices, max_pool_sids,
				       max_string_bytes))
		return set_err(b, QDH_E_NOSPACE);
	/* Padding and reserved fields are zero: the output is deterministic. */
	qdh_memset(b->buf, 0, (size_t)fin);
	return 0;
}

/* Stages a NUL-terminated copy of s; returns its staged offset. */
static int stage_string(struct qdh_builder *b, const char *s, uint32_t *off)
{
	size_t n = qdh_strlen(s) + 1;

	if (n > b->max_strings - b->strings_len)
		return set_err(b, QDH_E_NOSPACE);
	*off = b->strings_len;
	qdh_memcpy(stage_strings(b) + b->strings_len, s, n);
	b->strings_len += (uint32_t)n;
	return 0;
}

int qdh_build_add_iommu(struct qdh_builder *b, const struct qdh_iommu_spec *s)
{
	uint8_t *e;
	uint32_t name;
	int ret;

	if (b->err)
		return -b->err;
	if (!s)
		return set_err(b, QDH_E_INVAL);
	if (b->niommus >= b->max_iommus)
		return set_err(b, QDH_E_NOSPACE);
	if (s->type > QDH_IOMMU_TYPE_MAX)
		return set_err(b, QDH_E_ENUM);
	if (s->flags & ~QDH_IOMMU_F_KNOWN)
		return set_err(b, QDH_E_FLAGS);
	ret = stage_string(b, s->name ? s->name : "", &name);
	if (ret)
		return ret;
	e = b->buf + HDR_SIZE + (size_t)b->niommus * IOMMU_ES;
	qdh_put_le64(e + IOM_(base), s->base);
	qdh_put_le64(e + IOM_(size), s->size);
	e[IOM_(type)] = s->type;
	e[IOM_(flags)] = s->flags;
	qdh_put_le16(e + IOM_(segment), s->segment);
	qdh_put_le32(e + IOM_(name), name);	/* staged; moved by finish */
	return (int)b->niommus++;
}

/* Insertion sort of a staged StreamID list (at most 255 entries). */
static void sort_sids(uint8_t *v, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t x = qdh_le32(v + (size_t)i * 4), j = i;

		for (; j > 0 && qdh_le32(v + (size_t)(j - 1) * 4) > x; j--)
			qdh_put_le32(v + (size_t)j * 4, qdh_le32(v + (size_t)(j - 1) * 4));
		qdh_put_le32(v + (size_t)j * 4, x);
	}
}

/* What add_device refuses, before anything is staged. */
static int spec_error(const struct qdh_builder *b, const struct qdh_device_spec *s)
{
	int wide = !s->is_platform && s->domain > 0xffff;

	if (s->state < QDH_STATE_QUIESCED || s->state > QDH_STATE_MAX ||
	    s->action < QDH_ACTION_ATTACH || s->action > QDH_ACTION_MAX)
		return QDH_E_ENUM;
	if (s->flags & ~QDH_DEV_F_KNOWN)
		return QDH_E_FLAGS;
	if ((s->flags & QDH_DEV_F_PLATFORM) && !s->is_platform)
		return QDH_E_INVAL;
	if (s->class_code & 0xff000000u)
		return QDH_E_RESERVED;
	if (s->iommu != QDH_NO_IOMMU && s->iommu >= b->niommus)
		return QDH_E_IOMMU_INDEX;
	if (s->nsids && (s->iommu == QDH_NO_IOMMU || !s->sids))
		return QDH_E_SIDS;
	/* A wide function's IOMMU and StreamIDs are its requester's. */
	if (wide && (s->iommu != QDH_NO_IOMMU || s->nsids))
		return QDH_E_WIDE;
	if (!wide && s->has_requester)
		return QDH_E_INVAL;
	if (s->is_platform) {
		if (!s->name || !s->name[0])
			return QDH_E_STRING;
		if (s->vendor || s->device)
			return QDH_E_RESERVED;
	}
	return 0;
}

int qdh_build_add_device(struct qdh_builder *b, const struct qdh_device_spec *s)
{
	uint8_t *e;
	uint32_t key = 0, sid = 0;
	uint8_t flags, kind;
	int ret;

	if (b->err)
		return -b->err;
	if (!s)
		return set_err(b, QDH_E_INVAL);
	if (b->ndevices >= b->max_devices)
		return set_err(b, QDH_E_NOSPACE);
	ret = spec_error(b, s);
	if (ret)
		return set_err(b, ret);
	flags = s->flags;
	if (s->is_platform) {
		kind = KIND_PLATFORM;
		flags |= QDH_DEV_F_PLATFORM;
	} else if (s->domain > 0xffff) {
		kind = KIND_WIDE;
		key = s->domain;
	} else {
		kind = KIND_PCI;
		key = s->domain << 16 | (uint32_t)s->bus << 8 | s->devfn;
	}
	if (s->nsids > 1) {
		uint8_t *pool;

		if (s->nsids > b->max_pool_sids - b->npool_sids)
			return set_err(b, QDH_E_NOSPACE);
		/* Staged in the blob's encoding: the tail need not be aligned. */
		pool = stage_pool(b) + (size_t)b->npool_sids * 4;
		for (uint32_t k = 0; k < s->nsids; k++)
			qdh_put_le32(pool + (size_t)k * 4, s->sids[k]);
		sort_sids(pool, s->nsids);
		for (uint32_t k = 1; k < s->nsids; k++)
			if (qdh_le32(pool + (size_t)k * 4) == qdh_le32(pool + (size_t)(k - 1) * 4))
				return set_err(b, QDH_E_SIDS);
		sid = b->npool_sids;
	} else if (s->nsids == 1) {
		sid = s->sids[0];
	}
	if (s->is_platform) {
		ret = stage_string(b, s->name, &key);
		if (ret)
			return ret;
	}
	if (s->nsids > 1)
		b->npool_sids += s->nsids;
	e = stage_devices(b) + (size_t)b->ndevices * ST_SIZE;
	qdh_put_le32(e + ST_KEY, key);
	qdh_put_le16(e + ST_BDF, kind == KIND_WIDE ?
		     (uint16_t)(s->bus << 8 | s->devfn) : 0);
	e[ST_KIND] = kind;
	e[ST_NSIDS] = s->nsids;
	qdh_put_le16(e + ST_VENDOR, s->vendor);
	qdh_put_le16(e + ST_DEVICE, s->device);
	qdh_put_le32(e + ST_CLASS, s->class_code);
	qdh_put_le16(e + ST_IOMMU, s->iommu);
	qdh_put_le16(e + ST_REASONS, s->reasons);
	e[ST_STATE] = s->state;
	e[ST_ACTION] = s->action;
	e[ST_FLAGS] = flags;
	e[ST_HAS_REQ] = !!s->has_requester;
	qdh_put_le32(e + ST_SID, sid);
	qdh_put_le32(e + ST_REQ, s->has_requester ?
		     (uint32_t)s->requester_domain << 16 |
		     (uint32_t)s->requester_bus << 8 | s->requester_devfn : 0);
	b->ndevices++;
	return 0;
}

/* Staged device order: (kind, PCI id / (domain, bdf) / name). */
static int staged_device_cmp(const void *pa, const void *pb, void *ctx)
{
	const uint8_t *a = (const uint8_t *)pa, *b = (const uint8_t *)pb;
	const char *strings = (const char *)ctx;
	uint64_t ka, kb;

	if (a[ST_KIND] != b[ST_KIND])
		return a[ST_KIND] < b[ST_KIND] ? -1 : 1;
	if (a[ST_KIND] == KIND_PLATFORM)
		return qdh_strcmp(strings + qdh_le32(a + ST_KEY),
				  strings + qdh_le32(b + ST_KEY));
	ka = (uint64_t)qdh_le32(a + ST_KEY) << 16 | qdh_le16(a + ST_BDF);
	kb = (uint64_t)qdh_le32(b + ST_KEY) << 16 | qdh_le16(b + ST_BDF);
	return (ka > kb) - (ka < kb);
}

/*
 * Sorts n records unless they already are (one pass: the scanner adds
 * devices in the blob's order, so encoding stays linear); then rejects
 * equal neighbours.  Returns 0 or QDH_E_ORDER.
 */
static int sort_unique(uint8_t *base, uint32_t n, size_t size, qdh_cmp_fn cmp,
		       void *ctx)
{
	uint32_t i;

	for (i = 1; i < n; i++)
		if (cmp(base + (size_t)(i - 1) * size, base + (size_t)i * size, ctx) >= 0)
			break;
	if (i >= n)
		return 0;
	qdh_heapsort(base, n, size, cmp, ctx);
	for (i = 1; i < n; i++)
		if (!cmp(base + (size_t)(i - 1) * size, base + (size_t)i * size, ctx))
			return QDH_E_ORDER;
	return 0;
}

/*
 * Run tuples, one per (device, StreamID), sorted by (iommu, sid, device,
 * slot); the reserved byte marks an aliased StreamID while building.
 */
static int tuple_cmp(const void *pa, const void *pb, void *ctx)
{
	const uint8_t *a = (const uint8_t *)pa, *b = (const uint8_t *)pb;
	uint64_t ka = (uint64_t)qdh_le16(a + RUN_(iommu)) << 32 | qdh_le32(a + RUN_(sid));
	uint64_t kb = (uint64_t)qdh_le16(b + RUN_(iommu)) << 32 | qdh_le32(b + RUN_(sid));
	uint64_t da = (uint64_t)qdh_le32(a + RUN_(device)) << 8 | a[RUN_(sid_slot)];
	uint64_t db = (uint64_t)qdh_le32(b + RUN_(device)) << 8 | b[RUN_(sid_slot)];

	(void)ctx;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	return (da > db) - (da < db);
}

static int same_stream(const uint8_t *a, const uint8_t *b)
{
	return qdh_le16(a + RUN_(iommu)) == qdh_le16(b + RUN_(iommu)) &&
	       qdh_le32(a + RUN_(sid)) == qdh_le32(b + RUN_(sid));
}

/* Builds the runs at rt from the laid-out devices; returns their number. */
static uint32_t build_runs(const uint8_t *devs, uint32_t ndev,
			   const uint8_t *pool, uint8_t *rt)
{
	uint32_t nt = 0, nruns = 0, i;
	uint8_t *cur = NULL;

	for (uint32_t d = 0; d < ndev; d++) {
		const uint8_t *e = devs + (size_t)d * DEV_ES;
		uint8_t nsids = e[DEV_(nsids)];
		uint32_t sid = qdh_le32(e + DEV_(sid));

		for (uint32_t k = 0; k < nsids; k++, nt++) {
			uint8_t *t = rt + (size_t)nt * RUN_ES;

			qdh_put_le16(t + RUN_(iommu), qdh_le16(e + DEV_(iommu)));
			t[RUN_(sid_slot)] = (uint8_t)k;
			t[RUN_(reserved)] = 0;
			qdh_put_le32(t + RUN_(sid),
				     nsids > 1 ? qdh_le32(pool + (size_t)(sid + k) * 4) : sid);
			qdh_put_le32(t + RUN_(device), d);
			qdh_put_le32(t + RUN_(count), 1);
		}
	}
	/* Tuples are unique (a device's StreamIDs are); sorted unless not. */
	for (i = 1; i < nt; i++)
		if (tuple_cmp(rt + (size_t)(i - 1) * RUN_ES, rt + (size_t)i * RUN_ES, NULL) > 0)
			break;
	if (i < nt)
		qdh_heapsort(rt, nt, RUN_ES, tuple_cmp, NULL);
	for (i = 1; i < nt; i++) {
		uint8_t *a = rt + (size_t)(i - 1) * RUN_ES, *t = a + RUN_ES;

		if (same_stream(a, t))
			a[RUN_(reserved)] = t[RUN_(reserved)] = 1;
	}
	/*
	 * Merge: a tuple extends the current run when both are unaliased
	 * single-StreamID devices of the same IOMMU at consecutive indexes
	 * (sorting already makes the StreamIDs increase).  Writes never pass
	 * reads, so this compacts in place.
	 */
	for (i = 0; i < nt; i++) {
		const uint8_t *t = rt + (size_t)i * RUN_ES;
		uint32_t dev = qdh_le32(t + RUN_(device));
		int single = (devs + (size_t)dev * DEV_ES)[DEV_(nsids)] == 1;
		int alias = t[RUN_(reserved)];

		if (cur && single && !alias && !cur[RUN_(reserved)] &&
		    (devs + (size_t)qdh_le32(cur + RUN_(device)) * DEV_ES)[DEV_(nsids)] == 1 &&
		    qdh_le16(cur + RUN_(iommu)) == qdh_le16(t + RUN_(iommu)) &&
		    qdh_le32(cur + RUN_(device)) + qdh_le32(cur + RUN_(count)) == dev) {
			qdh_put_le32(cur + RUN_(count), qdh_le32(cur + RUN_(count)) + 1);
			continue;
		}
		if (cur)
			cur[RUN_(reserved)] = 0;
		cur = rt + (size_t)nruns++ * RUN_ES;
		if (cur != t)
			qdh_memmove(cur, t, RUN_ES);
		cur[RUN_(reserved)] = (uint8_t)alias;
	}
	if (cur)
		cur[RUN_(reserved)] = 0;
	return nruns;
}

static void put_section(uint8_t *buf, int i, uint32_t off, uint32_t size,
			uint32_t count, uint16_t es)
{
	uint8_t *d = buf + QDH_HDR_SEC(i);

	qdh_put_le32(d + SEC_(offset), off);
	qdh_put_le32(d + SEC_(size), size);
	qdh_put_le32(d + SEC_(count), count);
	qdh_put_le16(d + SEC_(entry_size), es);
	qdh_put_le16(d + SEC_(reserved), 0);
}

/* Where finish() puts things; offsets from the start of the blob. */
struct layout {
	uint32_t ni, npci, nwide, nplat, ndev, np;
	uint32_t off_dev, off_pool, off_runs, nruns, off_wide, off_str, str_len;
	uint32_t off_rec, nstreams, omitted, rec_size, total;
};

/* A device table entry from a staged record (PCI or platform). */
static void emit_device(uint8_t *e, const uint8_t *st)
{
	qdh_put_le32(e + DEV_(id), qdh_le32(st + ST_KEY));
	qdh_put_le16(e + DEV_(vendor), qdh_le16(st + ST_VENDOR));
	qdh_put_le16(e + DEV_(device), qdh_le16(st + ST_DEVICE));
	qdh_put_le32(e + DEV_(class_code), qdh_le32(st + ST_CLASS));
	qdh_put_le16(e + DEV_(iommu), qdh_le16(st + ST_IOMMU));
	qdh_put_le16(e + DEV_(reasons), qdh_le16(st + ST_REASONS));
	e[DEV_(state)] = st[ST_STATE];
	e[DEV_(action)] = st[ST_ACTION];
	e[DEV_(flags)] = st[ST_FLAGS];
	e[DEV_(nsids)] = st[ST_NSIDS];
	qdh_put_le32(e + DEV_(sid), qdh_le32(st + ST_SID));
}

/*
 * The device table in order (PCI functions, then platform devices), the
 * StreamID pool in device order, HAS_ACTIVE on the IOMMUs.
 */
static int emit_devices(struct qdh_builder *b, struct layout *l,
			const uint8_t *sdev, const uint8_t *spool)
{
	uint8_t *buf = b->buf;
	uint32_t pool_at = 0, o = 0;

	for (uint32_t i = 0; i < b->ndevices; i++) {
		const uint8_t *st = sdev + (size_t)i * ST_SIZE;
		uint8_t *e;
		uint16_t iommu;
		uint8_t nsids;

		if (st[ST_KIND] == KIND_WIDE)
			continue;
		e = buf + l->off_dev + (size_t)o++ * DEV_ES;
		emit_device(e, st);
		nsids = e[DEV_(nsids)];
		iommu = qdh_le16(e + DEV_(iommu));
		if ((b->flags & QDH_F_NO_DUMP_TARGET) && st[ST_KIND] == KIND_PCI &&
		    qdh_dump_class(qdh_le32(st + ST_CLASS)) &&
		    !(st[ST_FLAGS] & QDH_DEV_F_DUMP_TARGET))
			return QDH_E_FLAGS;
		if (nsids > 1) {
			const uint8_t *src = spool + (size_t)qdh_le32(st + ST_SID) * 4;

			qdh_memcpy(buf + l->off_pool + (size_t)pool_at * 4, src,
				   (size_t)nsids * 4);
			qdh_put_le32(e + DEV_(sid), pool_at);
			pool_at += nsids;
		}
		if (qdh_state_active(e[DEV_(state)]) && iommu != QDH_NO_IOMMU)
			buf[HDR_SIZE + (size_t)iommu * IOMMU_ES + IOM_(flags)] |=
				QDH_IOMMU_F_HAS_ACTIVE;
	}
	return 0;
}

/* Index of the PCI function id among the first npci (sorted) devices. */
static uint32_t find_requester(const uint8_t *devs, uint32_t npci, uint32_t id)
{
	uint32_t lo = 0, hi = npci;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint32_t k = qdh_le32(devs + (size_t)mid * DEV_ES + DEV_(id));

		if (k == id)
			return mid;
		if (id < k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return QDH_NO_REQUESTER;
}

/* The wide PCI table, its requesters resolved in the device table. */
static int emit_wide(struct qdh_builder *b, const struct layout *l,
		     const uint8_t *sdev)
{
	const uint8_t *devs = b->buf + l->off_dev;
	uint8_t *e = b->buf + l->off_wide;

	for (uint32_t i = 0; i < b->ndevices; i++) {
		const uint8_t *st = sdev + (size_t)i * ST_SIZE;
		uint32_t req = QDH_NO_REQUESTER;

		if (st[ST_KIND] != KIND_WIDE)
			continue;
		if (st[ST_HAS_REQ]) {
			req = find_requester(devs, l->npci, qdh_le32(st + ST_REQ));
			if (req == QDH_NO_REQUESTER)
				return QDH_E_WIDE;	/* not in the blob */
			/* The scanner owns the requester's verdict. */
			if (qdh_state_active(st[ST_STATE]) &&
			    !qdh_state_active(devs[(size_t)req * DEV_ES + DEV_(state)]))
				return QDH_E_WIDE;
		}
		if ((b->flags & QDH_F_NO_DUMP_TARGET) &&
		    qdh_dump_class(qdh_le32(st + ST_CLASS)) &&
		    !(st[ST_FLAGS] & QDH_DEV_F_DUMP_TARGET))
			return QDH_E_FLAGS;
		qdh_put_le32(e + WIDE_(domain), qdh_le32(st + ST_KEY));
		qdh_put_le16(e + WIDE_(bdf), qdh_le16(st + ST_BDF));
		qdh_put_le32(e + WIDE_(requester), req);
		qdh_put_le16(e + WIDE_(vendor), qdh_le16(st + ST_VENDOR));
		qdh_put_le16(e + WIDE_(device), qdh_le16(st + ST_DEVICE));
		qdh_put_le32(e + WIDE_(class_code), qdh_le32(st + ST_CLASS));
		qdh_put_le16(e + WIDE_(reasons), qdh_le16(st + ST_REASONS));
		e[WIDE_(state)] = st[ST_STATE];
		e[WIDE_(action)] = st[ST_ACTION];
		e[WIDE_(flags)] = st[ST_FLAGS];
		e += WIDE_ES;
	}
	return 0;
}

/* Strings: IOMMU names in IOMMU order, then platform names in order. */
static uint32_t emit_strings(struct qdh_builder *b, const struct layout *l,
			     const char *sstr)
{
	uint8_t *buf = b->buf;
	uint32_t at = 0;

	for (uint32_t i = 0; i < l->ni; i++) {
		uint8_t *e = buf + HDR_SIZE + (size_t)i * IOMMU_ES;
		const char *s = sstr + qdh_le32(e + IOM_(name));
		size_t n = qdh_strlen(s) + 1;

		qdh_memcpy(buf + l->off_str + at, s, n);
		qdh_put_le32(e + IOM_(name), at);
		at += (uint32_t)n;
	}
	for (uint32_t i = l->npci; i < l->ndev; i++) {
		uint8_t *e = buf + l->off_dev + (size_t)i * DEV_ES;
		const char *s = sstr + qdh_le32(e + DEV_(id));
		size_t n = qdh_strlen(s) + 1;

		qdh_memcpy(buf + l->off_str + at, s, n);
		qdh_put_le32(e + DEV_(id), at);
		at += (uint32_t)n;
	}
	return at;
}

static struct qdh_stream_walk walker(const uint8_t *buf, const struct layout *l)
{
	struct qdh_stream_walk w = {
		.iommus = buf + HDR_SIZE, .devs = buf + l->off_dev,
		.pool = buf + l->off_pool, .runs = buf + l->off_runs,
		.iommu_es = IOMMU_ES, .dev_es = DEV_ES, .run_es = RUN_ES,
		.nruns = l->nruns,
	};

	return w;
}

/*
 * The record: header, the stream table (as many eligible streams as a
 * u16 header_size and the 2 MiB blob leave room for), one zeroed entry
 * per IOMMU, sealed.
 */
static int emit_record(struct qdh_builder *b, struct layout *l)
{
	struct qdh_stream_walk w = walker(b->buf, l);
	uint64_t fixed = (uint64_t)l->off_rec + RECH_SIZE + (uint64_t)l->ni * RECE_SIZE;
	uint32_t eligible = 0, room, n = 0;
	uint16_t iommu;
	uint32_t sid;
	uint8_t *rec;
	int el;

	if (fixed > QDH_MAX_BLOB_SIZE)
		return QDH_E_TOTAL_SIZE;
	while (qdh_stream_walk_next(&w, &iommu, &sid, &el))
		eligible += el;
	room = (uint32_t)min64((QDH_MAX_BLOB_SIZE - fixed) / RECS_SIZE,
			       QDH_RECORD_MAX_STREAMS);
	l->nstreams = eligible < room ? eligible : room;
	l->omitted = eligible - l->nstreams;
	l->rec_size = RECH_SIZE + l->nstreams * (uint32_t)RECS_SIZE +
		      l->ni * (uint32_t)RECE_SIZE;
	l->total = l->off_rec + l->rec_size;

	rec = b->buf + l->off_rec;
	w = walker(b->buf, l);
	while (n < l->nstreams && qdh_stream_walk_next(&w, &iommu, &sid, &el)) {
		uint8_t *s = rec + RECH_SIZE + (size_t)n * RECS_SIZE;

		if (!el)
			continue;
		qdh_put_le16(s + RECS_(iommu), iommu);
		s[RECS_(ste)] = QDH_STE_NOT_READ;
		s[RECS_(reserved)] = 0;
		qdh_put_le32(s + RECS_(sid), sid);
		n++;
	}
	qdh_put_le32(rec + RECH_(magic), QDH_RECORD_MAGIC);
	qdh_put_le16(rec + RECH_(header_size),
		     (uint16_t)(RECH_SIZE + l->nstreams * RECS_SIZE));
	qdh_put_le16(rec + RECH_(entry_size), (uint16_t)RECE_SIZE);
	qdh_put_le32(rec + RECH_(nentries), l->ni);
	qdh_put_le16(rec + RECH_(nstreams), (uint16_t)l->nstreams);
	qdh_put_le16(rec + RECH_(stream_entry_size), (uint16_t)RECS_SIZE);
	qdh_put_le32(rec + RECH_(streams_omitted), l->omitted);
	for (uint32_t i = 0; i < l->ni; i++)
		qdh_put_le16(rec + RECH_SIZE + (size_t)l->nstreams * RECS_SIZE +
			     (size_t)i * RECE_SIZE + RECE_(iommu), (uint16_t)i);
	qdh_put_le32(rec + RECH_(crc32), qdh_crc32_skip(rec, l->rec_size, RECH_(crc32)));
	return 0;
}

static void emit_header(struct qdh_builder *b, const struct layout *l)
{
	uint8_t *buf = b->buf;

	qdh_put_le32(buf + HDR_(magic), QDH_MAGIC);
	qdh_put_le16(buf + HDR_(version_major), QDH_VERSION_MAJOR);
	qdh_put_le16(buf + HDR_(version_minor), QDH_VERSION_MINOR);
	qdh_put_le32(buf + HDR_(header_size), HDR_SIZE);
	qdh_put_le32(buf + HDR_(total_size), l->total);
	qdh_put_le32(buf + HDR_(checked_size), l->off_rec);
	qdh_put_le64(buf + HDR_(generation), b->generation);
	qdh_put_le32(buf + HDR_(flags), b->flags);
	qdh_put_le16(buf + HDR_(nsections), QDH_NR_SECTIONS);
	qdh_put_le16(buf + HDR_(reserved), 0);
	put_section(buf, QDH_SEC_IOMMUS, HDR_SIZE, l->ni * (uint32_t)IOMMU_ES, l->ni, IOMMU_ES);
	put_section(buf, QDH_SEC_DEVICES, l->off_dev, l->ndev * (uint32_t)DEV_ES, l->ndev, DEV_ES);
	put_section(buf, QDH_SEC_SIDS, l->off_pool, l->np * 4, l->np, 4);
	put_section(buf, QDH_SEC_RUNS, l->off_runs, l->nruns * (uint32_t)RUN_ES, l->nruns, RUN_ES);
	put_section(buf, QDH_SEC_STRINGS, l->off_str, l->str_len, l->str_len, 1);
	put_section(buf, QDH_SEC_RECORD, l->off_rec, l->rec_size, l->rec_size, 1);
	put_section(buf, QDH_SEC_WIDE_PCI, l->off_wide, l->nwide * (uint32_t)WIDE_ES,
		    l->nwide, WIDE_ES);
	qdh_put_le32(buf + HDR_(crc32), 0);
	qdh_put_le32(buf + HDR_(crc32), qdh_crc32_skip(buf, l->off_rec, HDR_(crc32)));
}

int qdh_build_finish(struct qdh_builder *b, size_t *len)
{
	uint8_t *sdev;
	const char *sstr;
	struct layout l;
	uint64_t fin;
	int ret;

	if (b->err)
		return -b->err;
	sdev = stage_devices(b);
	sstr = (const char *)stage_strings(b);
	fin = final_bound(b->max_iommus, b->max_devices, b->max_pool_sids,
			  b->max_strings);
	ret = sort_unique(sdev, b->ndevices, ST_SIZE, staged_device_cmp,
			  (void *)(uintptr_t)sstr);
	if (ret)
		return set_err(b, ret);

	qdh_memset(&l, 0, sizeof(l));
	l.ni = b->niommus;
	l.np = b->npool_sids;
	for (uint32_t i = 0; i < b->ndevices; i++) {
		uint8_t kind = sdev[(size_t)i * ST_SIZE + ST_KIND];

		l.npci += kind == KIND_PCI;
		l.nwide += kind == KIND_WIDE;
		l.nplat += kind == KIND_PLATFORM;
	}
	l.ndev = l.npci + l.nplat;
	l.off_dev = HDR_SIZE + l.ni * (uint32_t)IOMMU_ES;
	l.off_pool = l.off_dev + l.ndev * (uint32_t)DEV_ES;
	l.off_runs = (uint32_t)align8(l.off_pool + (uint64_t)l.np * 4);

	ret = emit_devices(b, &l, sdev, stage_pool(b));
	if (ret)
		return set_err(b, ret);
	l.nruns = build_runs(b->buf + l.off_dev, l.ndev, b->buf + l.off_pool,
			     b->buf + l.off_runs);
	l.off_wide = l.off_runs + l.nruns * (uint32_t)RUN_ES;
	/* The run tuples spilled past the runs: clear what follows. */
	qdh_memset(b->buf + l.off_wide, 0, (size_t)(fin - l.off_wide));
	ret = emit_wide(b, &l, sdev);
	if (ret)
		return set_err(b, ret);
	l.off_str = l.off_wide + l.nwide * (uint32_t)WIDE_ES;
	l.str_len = emit_strings(b, &l, sstr);
	l.off_rec = (uint32_t)align8((uint64_t)l.off_str + l.str_len);
	ret = emit_record(b, &l);
	if (ret)
		return set_err(b, ret);
	emit_header(b, &l);

	if (len)
		*len = l.total;
	b->err = QDH_E_INVAL;	/* spent: staging is gone */
	return 0;
}
