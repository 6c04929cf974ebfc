/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private helpers of the codec in lib/.  Field positions come from offsetof()
 * on the UAPI structs, but the blob itself is only ever read and written
 * through qdh_le*()/qdh_put_le*(): it may be unaligned and is little-endian.
 */
#ifndef QDH_CODEC_INTERNAL_H
#define QDH_CODEC_INTERNAL_H

#include <stddef.h>
#include "qdh/codec.h"
#include "qdh/freestanding.h"

#define QDH_HDR_FIXED		offsetof(struct qdh_header, sections)
#define QDH_HDR_SEC(i)		(QDH_HDR_FIXED + (size_t)(i) * sizeof(struct qdh_section))

#define HDR_(f)		offsetof(struct qdh_header, f)
#define SEC_(f)		offsetof(struct qdh_section, f)
#define IOM_(f)		offsetof(struct qdh_iommu, f)
#define DEV_(f)		offsetof(struct qdh_device, f)
#define RUN_(f)		offsetof(struct qdh_stream_run, f)
#define WIDE_(f)	offsetof(struct qdh_wide_pci, f)
#define RECH_(f)	offsetof(struct qdh_record_header, f)
#define RECE_(f)	offsetof(struct qdh_record_iommu, f)
#define RECS_(f)	offsetof(struct qdh_record_stream, f)

/* CRC-32 of buf[0, len) with the 4 bytes at field taken as zero. */
uint32_t qdh_crc32_skip(const uint8_t *buf, size_t len, size_t field);

/* In-place heapsort of n records of size bytes; no allocation, O(n log n). */
typedef int (*qdh_cmp_fn)(const void *a, const void *b, void *ctx);
void qdh_heapsort(void *base, size_t n, size_t size, qdh_cmp_fn cmp, void *ctx);

/*
 * The streams of a device table in (iommu, StreamID) order, each once,
 * walked through its stream runs (sorted, disjoint but for aliases, every
 * (device, StreamID) pair in one run).  A stream is eligible for the
 * record's stream table when its IOMMU is an SMMUv3 and a device on it is
 * ACTIVE or UNKNOWN: the one definition, used by the builder to write the
 * table and by the checker to prove it.
 */
struct qdh_stream_walk {
	const uint8_t *iommus, *devs, *pool, *runs;
	size_t iommu_es, dev_es, run_es;
	uint32_t nruns;
	uint32_t run, k;	/* next member: run index, member in run */
};
/* 1 with the next stream, 0 at the end. */
int qdh_stream_walk_next(struct qdh_stream_walk *w, uint16_t *iommu,
			 uint32_t *sid, int *eligible);

static inline int qdh_state_active(uint8_t state)
{
	return state == QDH_STATE_ACTIVE || state == QDH_STATE_UNKNOWN;
}

/* Pointer to entry i of a known section of a checked view. */
static inline const uint8_t *qdh_entry(const struct qdh_view *v, int sec,
				       uint32_t i)
{
	return v->base + v->offset[sec] + (size_t)i * v->entry_size[sec];
}

#endif
