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
 * caller's).  qdh_build_finish() sorts the staged devices in place
 * (heapsort), copies them out in order, builds the StreamID pool in device
 * order, the stream runs (sorted and merged in place in the runs area),
 * the strings (IOMMU names, then platform names in device order), the
 * zero-filled record and the checksum.  Since nothing depends on the order
 * the devices were added in, the same inventory always gives the same bytes.
 */
#include "codec-internal.h"

#define HDR_SIZE	QDH_HDR_SEC(QDH_NR_SECTIONS)
#define IOMMU_ES	sizeof(struct qdh_iommu)
#define DEV_ES		sizeof(struct qdh_device)
#define RUN_ES		sizeof(struct qdh_stream_run)
#define RECH_SIZE	sizeof(struct qdh_record_header)
#define RECE_SIZE	sizeof(struct qdh_record_iommu)

static uint64_t align8(uint64_t x)
{
	return (x + 7) & ~(uint64_t)7;
}

/* Worst-case size of the blob itself (runs: one per (device, StreamID)). */
static uint64_t final_bound(uint64_t ni, uint64_t nd, uint64_t np, uint64_t ns)
{
	return HDR_SIZE + ni * IOMMU_ES + nd * DEV_ES + align8(np * 4) +
	       (nd + np) * RUN_ES + align8(ns) + RECH_SIZE + ni * RECE_SIZE;
}

static uint64_t staging_size(uint64_t nd, uint64_t np, uint64_t ns)
{
	return nd * DEV_ES + align8(np * 4) + align8(ns);
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
	return stage_devices(b) + (size_t)b->max_devices * DEV_ES;
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

int qdh_build_add_device(struct qdh_builder *b, const struct qdh_device_spec *s)
{
	uint8_t *e;
	uint32_t id = 0, sid = 0;
	uint8_t flags;
	int ret;

	if (b->err)
		return -b->err;
	if (!s)
		return set_err(b, QDH_E_INVAL);
	if (b->ndevices >= b->max_devices)
		return set_err(b, QDH_E_NOSPACE);
	if (s->state < QDH_STATE_QUIESCED || s->state > QDH_STATE_MAX ||
	    s->action < QDH_ACTION_ATTACH || s->action > QDH_ACTION_MAX)
		return set_err(b, QDH_E_ENUM);
	if (s->flags & ~QDH_DEV_F_KNOWN)
		return set_err(b, QDH_E_FLAGS);
	if ((s->flags & QDH_DEV_F_PLATFORM) && !s->is_platform)
		return set_err(b, QDH_E_INVAL);
	if (s->class_code & 0xff000000u)
		return set_err(b, QDH_E_RESERVED);
	if (s->iommu != QDH_NO_IOMMU && s->iommu >= b->niommus)
		return set_err(b, QDH_E_IOMMU_INDEX);
	if (s->nsids && (s->iommu == QDH_NO_IOMMU || !s->sids))
		return set_err(b, QDH_E_SIDS);
	flags = s->flags;
	if (s->is_platform) {
		if (!s->name || !s->name[0])
			return set_err(b, QDH_E_STRING);
		if (s->vendor || s->device)
			return set_err(b, QDH_E_RESERVED);
		flags |= QDH_DEV_F_PLATFORM;
	} else {
		id = (uint32_t)s->segment << 16 | (uint32_t)s->bus << 8 | s->devfn;
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
		ret = stage_string(b, s->name, &id);
		if (ret)
			return ret;
	}
	if (s->nsids > 1)
		b->npool_sids += s->nsids;
	e = stage_devices(b) + (size_t)b->ndevices * DEV_ES;
	qdh_put_le32(e + DEV_(id), id);
	qdh_put_le16(e + DEV_(vendor), s->vendor);
	qdh_put_le16(e + DEV_(device), s->device);
	qdh_put_le32(e + DEV_(class_code), s->class_code);
	qdh_put_le16(e + DEV_(iommu), s->iommu);
	qdh_put_le16(e + DEV_(reasons), s->reasons);
	e[DEV_(state)] = s->state;
	e[DEV_(action)] = s->action;
	e[DEV_(flags)] = flags;
	e[DEV_(nsids)] = s->nsids;
	qdh_put_le32(e + DEV_(sid), sid);
	b->ndevices++;
	return 0;
}

/* Staged device order: the ABI's (platform flag, id or name). */
static int staged_device_cmp(const void *pa, const void *pb, void *ctx)
{
	const uint8_t *a = (const uint8_t *)pa, *b = (const uint8_t *)pb;
	const char *strings = (const char *)ctx;
	int fa = a[DEV_(flags)] & QDH_DEV_F_PLATFORM;
	int fb = b[DEV_(flags)] & QDH_DEV_F_PLATFORM;
	uint32_t ia = qdh_le32(a + DEV_(id)), ib = qdh_le32(b + DEV_(id));

	if (fa != fb)
		return fa ? 1 : -1;
	if (!fa)
		return (ia > ib) - (ia < ib);
	return qdh_strcmp(strings + ia, strings + ib);
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
	uint32_t nt = 0, nruns = 0;
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
	qdh_heapsort(rt, nt, RUN_ES, tuple_cmp, NULL);
	for (uint32_t i = 1; i < nt; i++) {
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
	for (uint32_t i = 0; i < nt; i++) {
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
		if (cur != t) {
			qdh_memmove(cur, t, RUN_ES);
		}
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

int qdh_build_finish(struct qdh_builder *b, size_t *len)
{
	uint8_t *buf = b->buf, *sdev = NULL, *rec;
	const char *sstr;
	const uint8_t *spool;
	uint32_t ni = b->niommus, nd = b->ndevices, np = b->npool_sids;
	uint32_t off_dev, off_pool, off_runs, off_str, off_rec, nruns;
	uint32_t pool_at = 0, str_at = 0, rec_size, total;
	uint64_t fin;

	if (b->err)
		return -b->err;
	sdev = stage_devices(b);
	spool = stage_pool(b);
	sstr = (const char *)stage_strings(b);
	fin = final_bound(b->max_iommus, b->max_devices, b->max_pool_sids,
			  b->max_strings);

	qdh_heapsort(sdev, nd, DEV_ES, staged_device_cmp, (void *)(uintptr_t)sstr);
	for (uint32_t i = 1; i < nd; i++)
		if (!staged_device_cmp(sdev + (size_t)(i - 1) * DEV_ES,
				       sdev + (size_t)i * DEV_ES, (void *)(uintptr_t)sstr))
			return set_err(b, QDH_E_ORDER);

	off_dev = HDR_SIZE + ni * (uint32_t)IOMMU_ES;
	off_pool = off_dev + nd * (uint32_t)DEV_ES;
	off_runs = (uint32_t)align8(off_pool + (uint64_t)np * 4);

	/* Devices in order; their StreamID lists follow them into the pool. */
	for (uint32_t i = 0; i < nd; i++) {
		uint8_t *e = buf + off_dev + (size_t)i * DEV_ES;
		uint8_t nsids, state;
		uint16_t iommu;

		qdh_memcpy(e, sdev + (size_t)i * DEV_ES, DEV_ES);
		nsids = e[DEV_(nsids)];
		state = e[DEV_(state)];
		iommu = qdh_le16(e + DEV_(iommu));
		if (nsids > 1) {
			const uint8_t *src = spool + (size_t)qdh_le32(e + DEV_(sid)) * 4;

			qdh_memcpy(buf + off_pool + (size_t)pool_at * 4, src,
				   (size_t)nsids * 4);
			qdh_put_le32(e + DEV_(sid), pool_at);
			pool_at += nsids;
		}
		if ((state == QDH_STATE_ACTIVE || state == QDH_STATE_UNKNOWN) &&
		    iommu != QDH_NO_IOMMU)
			buf[HDR_SIZE + (size_t)iommu * IOMMU_ES + IOM_(flags)] |=
				QDH_IOMMU_F_HAS_ACTIVE;
	}

	nruns = build_runs(buf + off_dev, nd, buf + off_pool, buf + off_runs);
	off_str = off_runs + nruns * (uint32_t)RUN_ES;
	/* The run tuples spilled past the runs: clear before the strings. */
	qdh_memset(buf + off_str, 0, (size_t)(fin - off_str));

	/* Strings: IOMMU names in IOMMU order, then platform names in order. */
	for (uint32_t i = 0; i < ni; i++) {
		uint8_t *e = buf + HDR_SIZE + (size_t)i * IOMMU_ES;
		const char *s = sstr + qdh_le32(e + IOM_(name));
		size_t n = qdh_strlen(s) + 1;

		qdh_memcpy(buf + off_str + str_at, s, n);
		qdh_put_le32(e + IOM_(name), str_at);
		str_at += (uint32_t)n;
	}
	for (uint32_t i = 0; i < nd; i++) {
		uint8_t *e = buf + off_dev + (size_t)i * DEV_ES;
		const char *s;
		size_t n;

		if (!(e[DEV_(flags)] & QDH_DEV_F_PLATFORM))
			continue;
		s = sstr + qdh_le32(e + DEV_(id));
		n = qdh_strlen(s) + 1;
		qdh_memcpy(buf + off_str + str_at, s, n);
		qdh_put_le32(e + DEV_(id), str_at);
		str_at += (uint32_t)n;
	}

	/* The record: sized for every IOMMU, zeroed, sealed. */
	off_rec = (uint32_t)align8((uint64_t)off_str + str_at);
	rec_size = (uint32_t)(RECH_SIZE + ni * RECE_SIZE);
	total = off_rec + rec_size;
	if (total > QDH_MAX_BLOB_SIZE)
		return set_err(b, QDH_E_TOTAL_SIZE);
	rec = buf + off_rec;
	qdh_put_le32(rec + RECH_(magic), QDH_RECORD_MAGIC);
	qdh_put_le16(rec + RECH_(header_size), (uint16_t)RECH_SIZE);
	qdh_put_le16(rec + RECH_(entry_size), (uint16_t)RECE_SIZE);
	qdh_put_le32(rec + RECH_(nentries), ni);
	for (uint32_t i = 0; i < ni; i++)
		qdh_put_le16(rec + RECH_SIZE + (size_t)i * RECE_SIZE + RECE_(iommu),
			     (uint16_t)i);
	qdh_put_le32(rec + RECH_(crc32), qdh_crc32_skip(rec, rec_size, RECH_(crc32)));

	qdh_put_le32(buf + HDR_(magic), QDH_MAGIC);
	qdh_put_le16(buf + HDR_(version_major), QDH_VERSION_MAJOR);
	qdh_put_le16(buf + HDR_(version_minor), QDH_VERSION_MINOR);
	qdh_put_le32(buf + HDR_(header_size), HDR_SIZE);
	qdh_put_le32(buf + HDR_(total_size), total);
	qdh_put_le32(buf + HDR_(checked_size), off_rec);
	qdh_put_le64(buf + HDR_(generation), b->generation);
	qdh_put_le32(buf + HDR_(flags), b->flags);
	qdh_put_le16(buf + HDR_(nsections), QDH_NR_SECTIONS);
	qdh_put_le16(buf + HDR_(reserved), 0);
	put_section(buf, QDH_SEC_IOMMUS, HDR_SIZE, ni * (uint32_t)IOMMU_ES, ni, IOMMU_ES);
	put_section(buf, QDH_SEC_DEVICES, off_dev, nd * (uint32_t)DEV_ES, nd, DEV_ES);
	put_section(buf, QDH_SEC_SIDS, off_pool, np * 4, np, 4);
	put_section(buf, QDH_SEC_RUNS, off_runs, nruns * (uint32_t)RUN_ES, nruns, RUN_ES);
	put_section(buf, QDH_SEC_STRINGS, off_str, str_at, str_at, 1);
	put_section(buf, QDH_SEC_RECORD, off_rec, rec_size, rec_size, 1);
	qdh_put_le32(buf + HDR_(crc32), 0);
	qdh_put_le32(buf + HDR_(crc32), qdh_crc32_skip(buf, off_rec, HDR_(crc32)));

	if (len)
		*len = total;
	b->err = QDH_E_INVAL;	/* spent: staging is gone */
	return 0;
}
