// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qdh_check(): validate a whole QDH blob once, up front (the spirit of
 * libfdt's fdt_check_full()), so that the accessors and lookups can trust
 * every offset, count and reference afterwards.  Every rule of
 * include/uapi/qdh.h and doc/abi.md is enforced here; on failure
 * v->err_offset is the byte offset of the offending field.
 *
 * Cost: one CRC pass plus one linear pass over each table (the run check
 * is linear in the number of (device, StreamID) pairs).
 */
#include "codec-internal.h"

struct checker {
	struct qdh_view *v;
	const uint8_t *b;
	int newer;		/* version_minor newer than this reader */
	uint32_t nsec;		/* section descriptors in the blob */
	uint32_t strings_off, strings_len;
};

static int fail(struct checker *c, int err, size_t off)
{
	c->v->err_offset = off;
	return -err;
}

/* Minimum (this ABI's) entry size of each known section. */
static const uint16_t known_entry_size[QDH_NR_SECTIONS] = {
	[QDH_SEC_IOMMUS] = sizeof(struct qdh_iommu),
	[QDH_SEC_DEVICES] = sizeof(struct qdh_device),
	[QDH_SEC_SIDS] = sizeof(uint32_t),
	[QDH_SEC_RUNS] = sizeof(struct qdh_stream_run),
	[QDH_SEC_STRINGS] = 1,
	[QDH_SEC_RECORD] = 1,
	[QDH_SEC_WIDE_PCI] = sizeof(struct qdh_wide_pci),
};

/* What each minor has; a newer minor has at least what ours has. */
static uint32_t minor_sections(uint16_t minor)
{
	return minor == 0 ? QDH_NR_SECTIONS_V1_0 : QDH_NR_SECTIONS;
}

static uint32_t minor_flags(uint16_t minor)
{
	return minor == 0 ? 0x0fu : QDH_F_KNOWN;
}

#define dump_class	qdh_dump_class
#define is_active	qdh_state_active

/* A string reference: inside the strings section (whose last byte is NUL). */
static int string_ok(const struct checker *c, uint32_t off, int nonempty)
{
	if (off >= c->strings_len)
		return 0;
	return !nonempty || c->b[c->strings_off + off] != 0;
}

static int check_header(struct checker *c, size_t len)
{
	const uint8_t *b = c->b;
	struct qdh_view *v = c->v;
	uint32_t nsec, hsize, total, checked;

	if (len < QDH_HDR_FIXED)
		return fail(c, QDH_E_TRUNCATED, len);
	if (qdh_le32(b + HDR_(magic)) != QDH_MAGIC)
		return fail(c, QDH_E_MAGIC, HDR_(magic));
	v->version_major = qdh_le16(b + HDR_(version_major));
	v->version_minor = qdh_le16(b + HDR_(version_minor));
	if (v->version_major != QDH_VERSION_MAJOR)
		return fail(c, QDH_E_VERSION, HDR_(version_major));
	c->newer = v->version_minor > QDH_VERSION_MINOR;
	nsec = qdh_le16(b + HDR_(nsections));
	if (nsec < minor_sections(v->version_minor) || nsec > QDH_MAX_SECTIONS ||
	    (!c->newer && nsec != minor_sections(v->version_minor)))
		return fail(c, QDH_E_HEADER_SIZE, HDR_(nsections));
	c->nsec = nsec;
	hsize = qdh_le32(b + HDR_(header_size));
	if (hsize != QDH_HDR_SEC(nsec))
		return fail(c, QDH_E_HEADER_SIZE, HDR_(header_size));
	total = qdh_le32(b + HDR_(total_size));
	if (total > QDH_MAX_BLOB_SIZE || total < hsize)
		return fail(c, QDH_E_TOTAL_SIZE, HDR_(total_size));
	if (len < total)
		return fail(c, QDH_E_TRUNCATED, len);
	checked = qdh_le32(b + HDR_(checked_size));
	/* The record follows the checked area at an 8-aligned offset. */
	if (checked < hsize || checked > total || (checked & 7))
		return fail(c, QDH_E_TOTAL_SIZE, HDR_(checked_size));
	if (qdh_crc32_skip(b, checked, HDR_(crc32)) != qdh_le32(b + HDR_(crc32)))
		return fail(c, QDH_E_CHECKSUM, HDR_(crc32));
	if (qdh_le16(b + HDR_(reserved)) != 0)
		return fail(c, QDH_E_RESERVED, HDR_(reserved));
	v->flags = qdh_le32(b + HDR_(flags));
	if (v->flags & ~minor_flags(v->version_minor))
		return fail(c, QDH_E_FLAGS, HDR_(flags));
	/* Only a crash load has a dump target to miss. */
	if ((v->flags & QDH_F_NO_DUMP_TARGET) && !(v->flags & QDH_F_CRASH))
		return fail(c, QDH_E_FLAGS, HDR_(flags));
	v->generation = qdh_le64(b + HDR_(generation));
	if (v->generation == 0)
		return fail(c, QDH_E_GENERATION, HDR_(generation));
	v->size = total;
	v->header_size = hsize;
	v->checked_size = checked;
	v->crc32 = qdh_le32(b + HDR_(crc32));
	return 0;
}

/* Bounds, alignment, sizes and overlap of every section descriptor. */
static int check_sections(struct checker *c)
{
	const uint8_t *b = c->b;
	struct qdh_view *v = c->v;
	uint32_t nsec = c->nsec;
	uint32_t hsize = QDH_HDR_SEC(nsec);

	for (uint32_t i = 0; i < nsec; i++) {
		size_t d = QDH_HDR_SEC(i);
		uint32_t off = qdh_le32(b + d + SEC_(offset));
		uint32_t size = qdh_le32(b + d + SEC_(size));
		uint32_t count = qdh_le32(b + d + SEC_(count));
		uint16_t es = qdh_le16(b + d + SEC_(entry_size));
		uint16_t min = i < QDH_NR_SECTIONS ? known_entry_size[i] : 1;

		if (qdh_le16(b + d + SEC_(reserved)) != 0)
			return fail(c, QDH_E_RESERVED, d + SEC_(reserved));
		if (off & 7)
			return fail(c, QDH_E_ALIGN, d + SEC_(offset));
		/*
		 * A newer minor may grow entries; byte areas (strings, record)
		 * and entries of a writer no newer than us have exact sizes.
		 */
		if (es < min || (es != min && i < QDH_NR_SECTIONS &&
				 (!c->newer || min == 1)))
			return fail(c, QDH_E_ENTRY_SIZE, d + SEC_(entry_size));
		if (count > QDH_MAX_BLOB_SIZE / es ||
		    (i == QDH_SEC_IOMMUS && count > QDH_NO_IOMMU))
			return fail(c, QDH_E_COUNT, d + SEC_(count));
		if ((uint64_t)count * es != size)
			return fail(c, QDH_E_SECTION, d + SEC_(size));
		if (i == QDH_SEC_RECORD) {
			if (off != v->checked_size)
				return fail(c, QDH_E_SECTION, d + SEC_(offset));
			if ((uint64_t)off + size != v->size)
				return fail(c, QDH_E_SECTION, d + SEC_(size));
		} else {
			if (off < hsize || off > v->checked_size)
				return fail(c, QDH_E_SECTION, d + SEC_(offset));
			if ((uint64_t)off + size > v->checked_size)
				return fail(c, QDH_E_SECTION, d + SEC_(size));
		}
		for (uint32_t j = 0; j < i && size; j++) {
			size_t e = QDH_HDR_SEC(j);
			uint32_t o2 = qdh_le32(b + e + SEC_(offset));
			uint32_t s2 = qdh_le32(b + e + SEC_(size));

			if (s2 && off < (uint64_t)o2 + s2 && o2 < (uint64_t)off + size)
				return fail(c, QDH_E_OVERLAP, d + SEC_(offset));
		}
		if (i < QDH_NR_SECTIONS) {
			v->offset[i] = off;
			v->count[i] = count;
			v->entry_size[i] = es;
		}
	}
	c->strings_off = v->offset[QDH_SEC_STRINGS];
	c->strings_len = v->count[QDH_SEC_STRINGS];
	if (c->strings_len && b[c->strings_off + c->strings_len - 1] != 0)
		return fail(c, QDH_E_STRING, c->strings_off + c->strings_len - 1);
	return 0;
}

static int check_iommus(struct checker *c)
{
	const struct qdh_view *v = c->v;

	for (uint32_t i = 0; i < v->count[QDH_SEC_IOMMUS]; i++) {
		const uint8_t *e = qdh_entry(v, QDH_SEC_IOMMUS, i);
		size_t at = (size_t)(e - c->b);

		if (e[IOM_(type)] > QDH_IOMMU_TYPE_MAX)
			return fail(c, QDH_E_ENUM, at + IOM_(type));
		if (e[IOM_(flags)] & ~QDH_IOMMU_F_KNOWN)
			return fail(c, QDH_E_FLAGS, at + IOM_(flags));
		if (qdh_le64(e + IOM_(reserved)) != 0)
			return fail(c, QDH_E_RESERVED, at + IOM_(reserved));
		if (!string_ok(c, qdh_le32(e + IOM_(name)), 0))
			return fail(c, QDH_E_STRING, at + IOM_(name));
	}
	return 0;
}

static uint32_t pool_sid(const struct qdh_view *v, uint32_t k)
{
	return qdh_le32(qdh_entry(v, QDH_SEC_SIDS, k));
}

/* Device order: PCI by id, then platform devices by name (strcmp). */
static int device_key_cmp(const struct checker *c, const uint8_t *a,
			  const uint8_t *b)
{
	int pa = a[DEV_(flags)] & QDH_DEV_F_PLATFORM;
	int pb = b[DEV_(flags)] & QDH_DEV_F_PLATFORM;
	uint32_t ia = qdh_le32(a + DEV_(id)), ib = qdh_le32(b + DEV_(id));

	if (pa != pb)
		return pa ? 1 : -1;
	if (!pa)
		return (ia > ib) - (ia < ib);
	return qdh_strcmp((const char *)c->b + c->strings_off + ia,
			  (const char *)c->b + c->strings_off + ib);
}

static int check_devices(struct checker *c, uint64_t *npairs)
{
	const struct qdh_view *v = c->v;
	uint32_t niommus = v->count[QDH_SEC_IOMMUS];
	uint32_t npool = v->count[QDH_SEC_SIDS];
	const uint8_t *prev = NULL;

	*npairs = 0;
	for (uint32_t i = 0; i < v->count[QDH_SEC_DEVICES]; i++) {
		const uint8_t *e = qdh_entry(v, QDH_SEC_DEVICES, i);
		size_t at = (size_t)(e - c->b);
		uint8_t flags = e[DEV_(flags)], state = e[DEV_(state)];
		uint8_t nsids = e[DEV_(nsids)];
		uint16_t iommu = qdh_le16(e + DEV_(iommu));
		uint32_t sid = qdh_le32(e + DEV_(sid));

		if (flags & ~QDH_DEV_F_KNOWN)
			return fail(c, QDH_E_FLAGS, at + DEV_(flags));
		if (state < QDH_STATE_QUIESCED || state > QDH_STATE_MAX)
			return fail(c, QDH_E_ENUM, at + DEV_(state));
		if (e[DEV_(action)] < QDH_ACTION_ATTACH ||
		    e[DEV_(action)] > QDH_ACTION_MAX)
			return fail(c, QDH_E_ENUM, at + DEV_(action));
		if (qdh_le32(e + DEV_(class_code)) & 0xff000000u)
			return fail(c, QDH_E_RESERVED, at + DEV_(class_code));
		if ((v->flags & QDH_F_NO_DUMP_TARGET) && !(flags & QDH_DEV_F_PLATFORM) &&
		    dump_class(qdh_le32(e + DEV_(class_code))) &&
		    !(flags & QDH_DEV_F_DUMP_TARGET))
			return fail(c, QDH_E_FLAGS, at + DEV_(flags));
		if (iommu != QDH_NO_IOMMU && iommu >= niommus)
			return fail(c, QDH_E_IOMMU_INDEX, at + DEV_(iommu));
		if (flags & QDH_DEV_F_PLATFORM) {
			if (!string_ok(c, qdh_le32(e + DEV_(id)), 1))
				return fail(c, QDH_E_STRING, at + DEV_(id));
			if (qdh_le16(e + DEV_(vendor)))
				return fail(c, QDH_E_RESERVED, at + DEV_(vendor));
			if (qdh_le16(e + DEV_(device)))
				return fail(c, QDH_E_RESERVED, at + DEV_(device));
		}
		if (iommu == QDH_NO_IOMMU && nsids)
			return fail(c, QDH_E_SIDS, at + DEV_(nsids));
		if (nsids == 0 && sid != 0)
			return fail(c, QDH_E_SIDS, at + DEV_(sid));
		if (nsids > 1) {
			if ((uint64_t)sid + nsids > npool)
				return fail(c, QDH_E_SIDS, at + DEV_(sid));
			/* Sorted and unique: makes "each pair in one run" checkable. */
			for (uint32_t k = 1; k < nsids; k++) {
				const uint8_t *se = qdh_entry(v, QDH_SEC_SIDS, sid + k);

				if (pool_sid(v, sid + k) <= pool_sid(v, sid + k - 1))
					return fail(c, QDH_E_SIDS, (size_t)(se - c->b));
			}
		}
		/* An IOMMU with an active device behind it must say so. */
		if (is_active(state) && iommu != QDH_NO_IOMMU) {
			const uint8_t *m = qdh_entry(v, QDH_SEC_IOMMUS, iommu);

			if (!(m[IOM_(flags)] & QDH_IOMMU_F_HAS_ACTIVE))
				return fail(c, QDH_E_FLAGS,
					    (size_t)(m - c->b) + IOM_(flags));
		}
		if (prev && device_key_cmp(c, prev, e) >= 0)
			return fail(c, QDH_E_ORDER, at + DEV_(id));
		prev = e;
		*npairs += nsids;
	}
	return 0;
}

/*
 * Stream runs.  Each run's pairs are checked against the devices; runs are
 * strictly ordered by (iommu, sid) with disjoint StreamID ranges, except
 * that aliasing runs (count 1, same StreamID) are ordered by (device,
 * slot).  Since a device's StreamIDs are unique, no pair can then be named
 * twice, so "number of pairs named == number of pairs" proves every pair
 * is covered exactly once.
 */
static int check_runs(struct checker *c, uint64_t npairs)
{
	const struct qdh_view *v = c->v;
	uint32_t ndev = v->count[QDH_SEC_DEVICES];
	uint64_t named = 0;
	uint32_t p_iommu = 0, p_sid = 0, p_last = 0, p_dev = 0, p_count = 0;
	uint8_t p_slot = 0;

	for (uint32_t r = 0; r < v->count[QDH_SEC_RUNS]; r++) {
		const uint8_t *e = qdh_entry(v, QDH_SEC_RUNS, r);
		size_t at = (size_t)(e - c->b);
		uint16_t iommu = qdh_le16(e + RUN_(iommu));
		uint8_t slot = e[RUN_(sid_slot)];
		uint32_t sid = qdh_le32(e + RUN_(sid));
		uint32_t dev = qdh_le32(e + RUN_(device));
		uint32_t count = qdh_le32(e + RUN_(count));
		uint32_t last = sid;

		if (e[RUN_(reserved)])
			return fail(c, QDH_E_RESERVED, at + RUN_(reserved));
		if (iommu >= v->count[QDH_SEC_IOMMUS])
			return fail(c, QDH_E_IOMMU_INDEX, at + RUN_(iommu));
		if (count == 0)
			return fail(c, QDH_E_RUNS, at + RUN_(count));
		if (dev >= ndev || count > ndev - dev)
			return fail(c, QDH_E_RUNS, at + RUN_(device));
		for (uint32_t k = 0; k < count; k++) {
			const uint8_t *d = qdh_entry(v, QDH_SEC_DEVICES, dev + k);
			uint8_t nsids = d[DEV_(nsids)];
			uint32_t s = qdh_le32(d + DEV_(sid));

			if (qdh_le16(d + DEV_(iommu)) != iommu || nsids == 0)
				return fail(c, QDH_E_RUNS, at + RUN_(device));
			if (nsids > 1) {
				if (count != 1)
					return fail(c, QDH_E_RUNS, at + RUN_(count));
				if (slot >= nsids)
					return fail(c, QDH_E_RUNS, at + RUN_(sid_slot));
				s = pool_sid(v, s + slot);
			} else if (slot) {
				return fail(c, QDH_E_RUNS, at + RUN_(sid_slot));
			}
			if (k == 0 && s != sid)
				return fail(c, QDH_E_RUNS, at + RUN_(sid));
			if (k > 0 && s <= last)
				return fail(c, QDH_E_RUNS, at + RUN_(count));
			last = s;
		}
		if (r > 0) {
			int ordered;

			if (iommu != p_iommu)
				ordered = iommu > p_iommu;
			else if (sid > p_last)
				ordered = 1;
			else	/* alias: both single StreamID [sid, sid] */
				ordered = sid == p_sid && p_count == 1 &&
					  count == 1 && p_last == p_sid &&
					  (dev > p_dev || (dev == p_dev && slot > p_slot));
			if (!ordered)
				return fail(c, QDH_E_RUNS, at + RUN_(sid));
		}
		p_iommu = iommu;
		p_sid = sid;
		p_last = last;
		p_dev = dev;
		p_count = count;
		p_slot = slot;
		named += count;
	}
	if (named != npairs)
		return fail(c, QDH_E_RUNS, QDH_HDR_SEC(QDH_SEC_RUNS) + SEC_(count));
	return 0;
}

/*
 * Wide PCI functions (v1.1): sorted by (domain, bdf), each naming a PCI
 * function of the device table as requester, which is active when the
 * function is.
 */
static int check_wide(struct checker *c)
{
	const struct qdh_view *v = c->v;
	uint32_t ndev = v->count[QDH_SEC_DEVICES];
	uint64_t prev = 0;

	for (uint32_t i = 0; i < v->count[QDH_SEC_WIDE_PCI]; i++) {
		const uint8_t *e = qdh_entry(v, QDH_SEC_WIDE_PCI, i);
		size_t at = (size_t)(e - c->b);
		uint32_t domain = qdh_le32(e + WIDE_(domain));
		uint32_t req = qdh_le32(e + WIDE_(requester));
		uint32_t class_code = qdh_le32(e + WIDE_(class_code));
		uint8_t flags = e[WIDE_(flags)], state = e[WIDE_(state)];
		uint64_t key = (uint64_t)domain << 16 | qdh_le16(e + WIDE_(bdf));

		if (domain <= 0xffff)
			return fail(c, QDH_E_WIDE, at + WIDE_(domain));
		if (qdh_le16(e + WIDE_(reserved)))
			return fail(c, QDH_E_RESERVED, at + WIDE_(reserved));
		if (e[WIDE_(reserved2)] || e[WIDE_(reserved2) + 1] ||
		    e[WIDE_(reserved2) + 2])
			return fail(c, QDH_E_RESERVED, at + WIDE_(reserved2));
		if (qdh_le32(e + WIDE_(reserved3)))
			return fail(c, QDH_E_RESERVED, at + WIDE_(reserved3));
		if (class_code & 0xff000000u)
			return fail(c, QDH_E_RESERVED, at + WIDE_(class_code));
		if (flags & (~QDH_DEV_F_KNOWN | QDH_DEV_F_PLATFORM))
			return fail(c, QDH_E_FLAGS, at + WIDE_(flags));
		if ((v->flags & QDH_F_NO_DUMP_TARGET) && dump_class(class_code) &&
		    !(flags & QDH_DEV_F_DUMP_TARGET))
			return fail(c, QDH_E_FLAGS, at + WIDE_(flags));
		if (state < QDH_STATE_QUIESCED || state > QDH_STATE_MAX)
			return fail(c, QDH_E_ENUM, at + WIDE_(state));
		if (e[WIDE_(action)] < QDH_ACTION_ATTACH ||
		    e[WIDE_(action)] > QDH_ACTION_MAX)
			return fail(c, QDH_E_ENUM, at + WIDE_(action));
		if (req != QDH_NO_REQUESTER) {
			const uint8_t *d;

			if (req >= ndev)
				return fail(c, QDH_E_WIDE, at + WIDE_(requester));
			d = qdh_entry(v, QDH_SEC_DEVICES, req);
			if (d[DEV_(flags)] & QDH_DEV_F_PLATFORM)
				return fail(c, QDH_E_WIDE, at + WIDE_(requester));
			/* The IOMMU sees the requester: it carries the verdict. */
			if (is_active(state) && !is_active(d[DEV_(state)]))
				return fail(c, QDH_E_WIDE, at + WIDE_(requester));
		}
		if (i > 0 && key <= prev)
			return fail(c, QDH_E_ORDER, at + WIDE_(domain));
		prev = key;
	}
	return 0;
}

/*
 * The record's stream table (v1.1).  In a blob of our minor it must be
 * exactly the first nstreams eligible streams, streams_omitted the rest; a
 * newer minor may list others, so there only order and references count.
 */
static int check_streams(struct checker *c, const uint8_t *r, size_t at,
			 uint32_t hs)
{
	const struct qdh_view *v = c->v;
	struct qdh_stream_walk w = {
		.iommus = c->b + v->offset[QDH_SEC_IOMMUS],
		.devs = c->b + v->offset[QDH_SEC_DEVICES],
		.pool = c->b + v->offset[QDH_SEC_SIDS],
		.runs = c->b + v->offset[QDH_SEC_RUNS],
		.iommu_es = v->entry_size[QDH_SEC_IOMMUS],
		.dev_es = v->entry_size[QDH_SEC_DEVICES],
		.run_es = v->entry_size[QDH_SEC_RUNS],
		.nruns = v->count[QDH_SEC_RUNS],
	};
	uint32_t n = v->nstreams, es = v->stream_entry_size, listed = 0;
	uint32_t omitted = qdh_le32(r + RECH_(streams_omitted));
	uint16_t wi = 0;
	uint32_t ws = 0;
	uint64_t prev = 0;
	int el;

	if (es < sizeof(struct qdh_record_stream) ||
	    (!c->newer && es != sizeof(struct qdh_record_stream)))
		return fail(c, QDH_E_STREAMS, at + RECH_(stream_entry_size));
	if (sizeof(struct qdh_record_header) + (uint64_t)n * es > hs ||
	    (!c->newer && sizeof(struct qdh_record_header) + (uint64_t)n * es != hs))
		return fail(c, QDH_E_RECORD, at + RECH_(header_size));
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = r + sizeof(struct qdh_record_header) + (size_t)i * es;
		size_t eat = at + sizeof(struct qdh_record_header) + (size_t)i * es;
		uint16_t iommu = qdh_le16(e + RECS_(iommu));
		uint32_t sid = qdh_le32(e + RECS_(sid));
		uint64_t key = (uint64_t)iommu << 32 | sid;

		if (iommu >= v->count[QDH_SEC_IOMMUS])
			return fail(c, QDH_E_IOMMU_INDEX, eat + RECS_(iommu));
		if (e[RECS_(ste)] > QDH_STE_MAX)
			return fail(c, QDH_E_ENUM, eat + RECS_(ste));
		if (e[RECS_(reserved)])
			return fail(c, QDH_E_RESERVED, eat + RECS_(reserved));
		if (i > 0 && key <= prev)
			return fail(c, QDH_E_STREAMS, eat + RECS_(iommu));
		prev = key;
		if (c->newer)
			continue;
		/* The next eligible stream of the device table must be this one. */
		while (qdh_stream_walk_next(&w, &wi, &ws, &el) && !el)
			;
		if (!el || wi != iommu || ws != sid)
			return fail(c, QDH_E_STREAMS, eat + RECS_(iommu));
		listed++;
	}
	if (c->newer)
		return 0;
	while (qdh_stream_walk_next(&w, &wi, &ws, &el))
		listed += el;
	if (listed - n != omitted)
		return fail(c, QDH_E_STREAMS, at + RECH_(streams_omitted));
	return 0;
}

static int check_record(struct checker *c, int check_crc)
{
	struct qdh_view *v = c->v;
	const uint8_t *r = c->b + v->offset[QDH_SEC_RECORD];
	size_t at = v->offset[QDH_SEC_RECORD];
	uint32_t size = v->count[QDH_SEC_RECORD];
	uint32_t hs, es, n, flags, min_hs;
	int ret;

	/* A v1.0 blob's record header stops before the v1.1 fields. */
	min_hs = v->version_minor == 0 ? QDH_RECORD_HEADER_SIZE_V1_0 :
		 sizeof(struct qdh_record_header);
	if (size < min_hs)
		return fail(c, QDH_E_RECORD, QDH_HDR_SEC(QDH_SEC_RECORD) + SEC_(size));
	if (qdh_le32(r + RECH_(magic)) != QDH_RECORD_MAGIC)
		return fail(c, QDH_E_RECORD, at + RECH_(magic));
	hs = qdh_le16(r + RECH_(header_size));
	es = qdh_le16(r + RECH_(entry_size));
	n = qdh_le32(r + RECH_(nentries));
	/* Sizes stay multiples of 8 so that the u64 registers stay aligned. */
	if (hs < min_hs || (hs & 7) ||
	    (v->version_minor == 0 && hs != QDH_RECORD_HEADER_SIZE_V1_0))
		return fail(c, QDH_E_RECORD, at + RECH_(header_size));
	if (es < sizeof(struct qdh_record_iommu) || (es & 7) ||
	    (!c->newer && es != sizeof(struct qdh_record_iommu)))
		return fail(c, QDH_E_RECORD, at + RECH_(entry_size));
	if (n != v->count[QDH_SEC_IOMMUS])
		return fail(c, QDH_E_RECORD, at + RECH_(nentries));
	if ((uint64_t)hs + (uint64_t)n * es != size)
		return fail(c, QDH_E_RECORD, at + RECH_(header_size));
	v->rec_header_size = (uint16_t)hs;
	v->rec_entry_size = (uint16_t)es;
	if (v->version_minor > 0) {
		v->nstreams = qdh_le16(r + RECH_(nstreams));
		v->stream_entry_size = qdh_le16(r + RECH_(stream_entry_size));
		ret = check_streams(c, r, at, hs);
		if (ret)
			return ret;
	}
	flags = qdh_le32(r + RECH_(flags));
	if (flags & ~QDH_REC_F_KNOWN)
		return fail(c, QDH_E_FLAGS, at + RECH_(flags));
	if ((flags & QDH_REC_F_DIGEST_OK) && (flags & QDH_REC_F_DIGEST_BAD))
		return fail(c, QDH_E_RECORD, at + RECH_(flags));
	if (!(flags & QDH_REC_F_DIGEST_BAD) && qdh_le32(r + RECH_(bad_segment)))
		return fail(c, QDH_E_RECORD, at + RECH_(bad_segment));
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = r + hs + (size_t)i * es;
		size_t eat = at + hs + (size_t)i * es;

		if (qdh_le16(e + RECE_(iommu)) != i)
			return fail(c, QDH_E_RECORD, eat + RECE_(iommu));
		if (e[RECE_(action)] > QDH_PURG_ACTION_MAX)
			return fail(c, QDH_E_ENUM, eat + RECE_(action));
		if (e[RECE_(reserved)])
			return fail(c, QDH_E_RESERVED, eat + RECE_(reserved));
		if (qdh_le32(e + RECE_(reserved2)))
			return fail(c, QDH_E_RESERVED, eat + RECE_(reserved2));
	}
	if (check_crc &&
	    qdh_crc32_skip(r, size, RECH_(crc32)) != qdh_le32(r + RECH_(crc32)))
		return fail(c, QDH_E_RECORD_CHECKSUM, at + RECH_(crc32));
	return 0;
}

static int check(struct qdh_view *v, const void *buf, size_t len, int rec_crc)
{
	struct checker c = { .v = v, .b = (const uint8_t *)buf };
	uint64_t npairs;
	int ret;

	qdh_memset(v, 0, sizeof(*v));
	v->base = c.b;
	if (!buf)
		return fail(&c, QDH_E_INVAL, 0);
	ret = check_header(&c, len);
	if (!ret)
		ret = check_sections(&c);
	if (!ret)
		ret = check_iommus(&c);
	if (!ret)
		ret = check_devices(&c, &npairs);
	if (!ret)
		ret = check_runs(&c, npairs);
	if (!ret)
		ret = check_wide(&c);
	if (!ret)
		ret = check_record(&c, rec_crc);
	return ret;
}

int qdh_check(struct qdh_view *v, const void *buf, size_t len)
{
	return check(v, buf, len, 1);
}

int qdh_check_body(struct qdh_view *v, const void *buf, size_t len)
{
	return check(v, buf, len, 0);
}
