/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QDH blob codec: build, validate, walk and look up QDH blobs, and write the
 * purgatory record.  Freestanding: no libc, no allocation; every buffer is
 * the caller's.  Compiled into purgatory, the tools and the tests.
 *
 * All functions that can fail return 0 or a negative enum qdh_err; a
 * validator failure also reports the byte offset of the fault.
 */
#ifndef QDH_CODEC_H
#define QDH_CODEC_H

#include <stddef.h>
#include <stdint.h>
#include "uapi/qdh.h"

enum qdh_err {
	QDH_OK = 0,
	QDH_E_TRUNCATED = 1,	/* buffer shorter than a size it claims */
	QDH_E_MAGIC,		/* header magic wrong */
	QDH_E_VERSION,		/* unknown major version */
	QDH_E_HEADER_SIZE,	/* header_size / nsections inconsistent */
	QDH_E_TOTAL_SIZE,	/* total/checked size inconsistent or too big */
	QDH_E_CHECKSUM,		/* crc32 mismatch */
	QDH_E_FLAGS,		/* unknown flag bit set */
	QDH_E_RESERVED,		/* reserved field not zero */
	QDH_E_SECTION,		/* section outside its area, size != count*es */
	QDH_E_ALIGN,		/* section offset not 8-byte aligned */
	QDH_E_OVERLAP,		/* sections overlap */
	QDH_E_ENTRY_SIZE,	/* entry_size smaller than this ABI's */
	QDH_E_COUNT,		/* absurd count (over the ABI limits) */
	QDH_E_STRING,		/* string offset out of range / unterminated */
	QDH_E_IOMMU_INDEX,	/* reference to a missing IOMMU */
	QDH_E_ENUM,		/* state / action / type out of range */
	QDH_E_ORDER,		/* devices not sorted, or duplicate key */
	QDH_E_SIDS,		/* StreamID pool reference out of range */
	QDH_E_RUNS,		/* stream runs inconsistent with devices */
	QDH_E_RECORD,		/* record area malformed */
	QDH_E_RECORD_CHECKSUM,	/* record crc32 mismatch */
	QDH_E_NOSPACE,		/* builder: caller's buffer too small */
	QDH_E_INVAL,		/* builder: bad argument */
	QDH_E_NOTFOUND,		/* lookup: no such device */
	QDH_E_GENERATION,	/* generation is zero */
	QDH_E_WIDE,		/* v1.1 wide PCI entry inconsistent */
	QDH_E_STREAMS,		/* v1.1 record stream table inconsistent */
	QDH_E__COUNT
};

/*
 * Reader limit, not an ABI field: a blob with more section descriptors than
 * this is rejected as absurd (v1.1 has QDH_NR_SECTIONS; newer minors append
 * a few).  Keeps the overlap check quadratic in a small number.
 */
#define QDH_MAX_SECTIONS	64

/* Human-readable text for an enum qdh_err (positive or negated). */
const char *qdh_strerror(int err);

/* Standard CRC-32 (zlib-compatible): crc = qdh_crc32(crc, buf, len), start 0 */
uint32_t qdh_crc32(uint32_t crc, const void *buf, size_t len);

/* --- Validation and reading --------------------------------------------- */

/*
 * A validated blob.  Filled by qdh_check(); afterwards every accessor may
 * trust offsets and counts.  Field values are host-endian copies.  A
 * section the blob's minor does not have (QDH_SEC_WIDE_PCI in a v1.0 blob)
 * has count 0.
 */
struct qdh_view {
	const uint8_t *base;
	size_t size;		/* total_size */
	uint16_t version_major, version_minor;
	uint32_t flags;
	uint64_t generation;
	uint32_t header_size, checked_size;
	uint32_t crc32;		/* of the checked area, verified */
	uint32_t count[QDH_NR_SECTIONS];
	uint32_t offset[QDH_NR_SECTIONS];
	uint16_t entry_size[QDH_NR_SECTIONS];
	/* The record's layout (nstreams and stream_entry_size 0 before v1.1). */
	uint16_t rec_header_size, rec_entry_size;
	uint16_t nstreams, stream_entry_size;
	/* On failure: where the fault is, from the start of the buffer. */
	size_t err_offset;
};

/*
 * Validate everything once: header, versions, sizes, checksum, every
 * section's bounds, alignment and overlap, every entry's enums, reserved
 * fields and references, device order, StreamID pool and runs, and the
 * record area (structure and its own checksum).  len may exceed total_size.
 */
int qdh_check(struct qdh_view *v, const void *buf, size_t len);

/* Same, but the record checksum is not checked (purgatory before writing). */
int qdh_check_body(struct qdh_view *v, const void *buf, size_t len);

/* Decoded, host-endian copies of entries. */
struct qdh_iommu_info {
	uint64_t base, size;
	uint8_t type, flags;
	uint16_t segment;
	const char *name;	/* points into the blob, NUL-terminated */
};

/*
 * One device.  Device indexes run over the device table first, then the
 * wide PCI table: [0, count[QDH_SEC_DEVICES]) are QDH_SEC_DEVICES entries
 * (what runs, requesters and lookups by StreamID name), the rest
 * QDH_SEC_WIDE_PCI entries in their order.  A wide function carries its
 * requester's IOMMU and StreamIDs (iommu, nsids, sid_raw), so
 * qdh_device_sid() works on it as on any device.
 */
struct qdh_device_info {
	uint32_t index;		/* see above */
	int is_platform;
	int is_wide;		/* from QDH_SEC_WIDE_PCI (domain > 0xffff) */
	uint32_t domain;	/* PCI domain (segment); 0 for platform */
	uint8_t bus, devfn;	/* PCI */
	const char *name;	/* platform: device name; PCI: NULL */
	uint16_t vendor, device;
	uint32_t class_code;
	uint16_t iommu;		/* QDH_NO_IOMMU if none */
	uint16_t reasons;
	uint8_t state, action, flags, nsids;
	uint32_t sid_raw;	/* as stored (SID or pool index) */
	/*
	 * wide: index of the requester, or QDH_NO_REQUESTER; others:
	 * QDH_NO_REQUESTER
	 */
	uint32_t requester;
};

uint32_t qdh_iommu_count(const struct qdh_view *v);
/* Every device: the device table plus the wide PCI table. */
uint32_t qdh_device_count(const struct qdh_view *v);
int qdh_get_iommu(const struct qdh_view *v, uint32_t i, struct qdh_iommu_info *out);
int qdh_get_device(const struct qdh_view *v, uint32_t i, struct qdh_device_info *out);
/* The k-th StreamID of a device (k < nsids). */
int qdh_device_sid(const struct qdh_view *v, const struct qdh_device_info *d,
		   uint32_t k, uint32_t *sid);

/*
 * Iterator over every device (device table, then wide PCI table):
 * for (qdh_dev_iter_init(&it, v); qdh_dev_iter_next(&it, &d) == 1;)
 */
struct qdh_dev_iter { const struct qdh_view *v; uint32_t next; };
void qdh_dev_iter_init(struct qdh_dev_iter *it, const struct qdh_view *v);
int qdh_dev_iter_next(struct qdh_dev_iter *it, struct qdh_device_info *out);

/*
 * O(log n) lookups; -QDH_E_NOTFOUND when absent.  qdh_find_pci() searches
 * the wide table for a domain above 0xffff; qdh_find_stream() finds the
 * device the IOMMU sees (a wide function's requester, never the function).
 */
int qdh_find_pci(const struct qdh_view *v, uint32_t domain, uint8_t bus,
		 uint8_t devfn, struct qdh_device_info *out);
int qdh_find_platform(const struct qdh_view *v, const char *name,
		      struct qdh_device_info *out);
int qdh_find_stream(const struct qdh_view *v, uint16_t iommu, uint32_t sid,
		    struct qdh_device_info *out);
/*
 * The wide functions behind requester (a device index), in table order:
 * for (pos = 0; qdh_find_behind(v, req, &pos, &d) == 1;).  Linear.
 */
int qdh_find_behind(const struct qdh_view *v, uint32_t requester,
		    uint32_t *pos, struct qdh_device_info *out);

/* --- Building ------------------------------------------------------------ */

/*
 * Two passes, no allocation: describe what goes in (qdh_build_add_*) into a
 * builder backed by the caller's buffer, then qdh_build_finish() sorts,
 * indexes, lays out, zero-fills the record and checksums.  The buffer must
 * hold qdh_build_size_bound(niommus, ndevices, nsids, strbytes) bytes.
 *
 * npool_sids: the sum of nsids over devices with nsids > 1 (single
 * StreamIDs live in the device entry).  ndevices counts every device, wide
 * PCI functions (domain > 0xffff) included.  string_bytes: the sum of
 * strlen(name) + 1 over the IOMMU names (a NULL name counts 1) and the
 * platform device names.  Add the IOMMUs before the devices that name them
 * (the index add_iommu returns is the one devices use); devices go in any
 * order.  A device's StreamID list is stored sorted, so sid_slot k is its
 * k-th smallest StreamID; duplicates are rejected.  The output depends only
 * on the inventory, not on the order devices were added (deterministic).
 * Errors are sticky: after a failed add, finish returns that error.
 */
struct qdh_builder {
	uint8_t *buf;
	size_t cap;
	uint32_t max_iommus, max_devices, max_pool_sids, max_strings;
	uint32_t niommus, ndevices, npool_sids, strings_len;
	uint32_t flags;
	uint64_t generation;
	int err;		/* sticky first error */
};

size_t qdh_build_size_bound(uint32_t niommus, uint32_t ndevices,
			    uint32_t npool_sids, uint32_t string_bytes);

int qdh_build_init(struct qdh_builder *b, void *buf, size_t cap,
		   uint32_t max_iommus, uint32_t max_devices,
		   uint32_t max_pool_sids, uint32_t max_string_bytes,
		   uint64_t generation, uint32_t flags);

struct qdh_iommu_spec {
	uint64_t base, size;
	uint8_t type, flags;
	uint16_t segment;
	const char *name;
};
/* Returns the IOMMU's index (>= 0) or a negative enum qdh_err. */
int qdh_build_add_iommu(struct qdh_builder *b, const struct qdh_iommu_spec *s);

struct qdh_device_spec {
	int is_platform;
	uint32_t domain; uint8_t bus, devfn;	/* PCI; domain > 0xffff: wide */
	const char *name;			/* platform */
	uint16_t vendor, device;
	uint32_t class_code;
	/* QDH_NO_IOMMU if none (wide: must be none) */
	uint16_t iommu;
	uint16_t reasons;
	uint8_t state, action, flags;
	uint8_t nsids;				/* wide: must be 0 */
	const uint32_t *sids;			/* nsids StreamIDs */
	/* Wide only: the function whose requester ID carries its DMA. */
	int has_requester;
	uint16_t requester_domain;		/* a PCI function of the blob */
	uint8_t requester_bus, requester_devfn;
};
int qdh_build_add_device(struct qdh_builder *b, const struct qdh_device_spec *s);

/* Lays out the blob; *len gets total_size.  The builder is spent. */
int qdh_build_finish(struct qdh_builder *b, size_t *len);

/* --- The handover record ---------------------------------------------- */

/*
 * Typed access to the record, the one decoder of it: purgatory writes it,
 * `qdh inspect`, `qdh apply` and the kernel read it, all through these.
 * Readers read the view's buffer; writers take the same buffer, writable
 * (purgatory: after qdh_check_body()), and qdh_record_seal() recomputes the
 * record's crc32 afterwards (the blob's main crc32 does not cover the
 * record, so it stays valid).  Every access is bytewise: the blob may be
 * unaligned and purgatory runs with the MMU off.
 */
struct qdh_record_info {
	/* written by purgatory (qdh_record_put) */
	uint32_t flags;		/* QDH_REC_F_* */
	uint32_t bad_segment;	/* with QDH_REC_F_DIGEST_BAD */
	uint64_t ticks;		/* purgatory run time, counter ticks */
	uint64_t freq;		/* counter frequency, Hz; 0 unknown */
	/* set by the writer, or by qdh_record_seal() */
	uint32_t crc32;		/* the record's own */
	uint32_t nentries;	/* == IOMMUs */
	uint32_t nstreams;	/* v1.1 stream table; 0 before */
	uint32_t streams_omitted;
};

struct qdh_record_iommu_info {
	uint16_t iommu;		/* == its index */
	uint8_t action;		/* enum qdh_purgatory_action */
	uint64_t before[QDH_RECORD_NREGS];	/* registers as found */
	uint64_t after[QDH_RECORD_NREGS];	/* registers as left */
};

struct qdh_record_stream_info {
	uint16_t iommu;
	uint8_t ste;		/* enum qdh_ste_state */
	uint32_t sid;
};

void qdh_record_get(const struct qdh_view *v, struct qdh_record_info *out);
/* Entry i (for IOMMU i); -QDH_E_INVAL past the last. */
int qdh_record_get_iommu(const struct qdh_view *v, uint32_t i,
			 struct qdh_record_iommu_info *out);
/* Stream i of the stream table; -QDH_E_INVAL past the last. */
int qdh_record_get_stream(const struct qdh_view *v, uint32_t i,
			  struct qdh_record_stream_info *out);
/* Index of (iommu, sid) in the stream table (binary search), or -QDH_E_NOTFOUND. */
int qdh_record_find_stream(const struct qdh_view *v, uint16_t iommu,
			   uint32_t sid, uint32_t *index);
/*
 * Purgatory's run time in microseconds, from ticks and freq, in integer
 * arithmetic (no floating point: this runs in purgatory and the kernel).
 * -QDH_E_INVAL when freq is 0 (unknown).
 */
int qdh_record_elapsed_us(const struct qdh_record_info *r, uint64_t *us);

/* Writes flags, bad_segment, ticks and freq (the layout fields are kept). */
void qdh_record_put(const struct qdh_view *v, void *blob,
		    const struct qdh_record_info *r);
/* Writes entry i; its iommu field stays i whatever e->iommu says. */
int qdh_record_put_iommu(const struct qdh_view *v, void *blob, uint32_t i,
			 const struct qdh_record_iommu_info *e);
/* Writes the STE state of stream i (iommu and sid are the writer's). */
int qdh_record_put_ste(const struct qdh_view *v, void *blob, uint32_t i,
		       uint8_t ste);
/* Recompute the record's crc32 after filling it. */
void qdh_record_seal(const struct qdh_view *v, void *blob);

/*
 * A storage (base class 0x01) or network (0x02) controller: what a blob
 * flagged QDH_F_NO_DUMP_TARGET keeps as a dump target.  The one
 * definition: the builder and checker enforce it, the scan marks by it,
 * qdh apply extends it to controllers the blob does not know.
 */
static inline int qdh_dump_class(uint32_t class_code)
{
	return (class_code >> 16) == 0x01 || (class_code >> 16) == 0x02;
}

/* Little-endian accessors: the blob is LE on every CPU. */
static inline uint16_t qdh_le16(const void *p)
{
	const uint8_t *b = (const uint8_t *)p;

	return (uint16_t)(b[0] | b[1] << 8);
}
static inline uint32_t qdh_le32(const void *p)
{
	const uint8_t *b = (const uint8_t *)p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}
static inline uint64_t qdh_le64(const void *p)
{
	return (uint64_t)qdh_le32(p) | (uint64_t)qdh_le32((const uint8_t *)p + 4) << 32;
}
static inline void qdh_put_le16(void *p, uint16_t v)
{
	uint8_t *b = (uint8_t *)p;

	b[0] = (uint8_t)v; b[1] = (uint8_t)(v >> 8);
}
static inline void qdh_put_le32(void *p, uint32_t v)
{
	uint8_t *b = (uint8_t *)p;

	b[0] = (uint8_t)v; b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16); b[3] = (uint8_t)(v >> 24);
}
static inline void qdh_put_le64(void *p, uint64_t v)
{
	qdh_put_le32(p, (uint32_t)v);
	qdh_put_le32((uint8_t *)p + 4, (uint32_t)(v >> 32));
}

#endif /* QDH_CODEC_H */
