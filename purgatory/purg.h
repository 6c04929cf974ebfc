/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal interfaces of the purgatory.  Everything declared here is plain
 * C built both into the aarch64 purgatory and for the host (unit tests);
 * "physical addresses" in params are host pointers in the tests.
 */
#ifndef QDH_PURGATORY_PURG_H
#define QDH_PURGATORY_PURG_H

#include <stddef.h>
#include <stdint.h>
#include "qdh/purgatory.h"
#include "qdh/sha256.h"
#include "qdh/codec.h"
#include "iommu.h"

/* --- One copy of the QDH blob (blob.c) ------------------------------------ */

struct purg_blob {
	struct qdh_view v;
	uint8_t *base;
	uint32_t niommus;
};

/* qdh_check_body(): everything but the record checksum; 0 or -qdh_err. */
int purg_blob_open(struct purg_blob *b, void *buf, size_t len);
void purg_blob_iommu(const struct purg_blob *b, uint32_t i,
		     struct purg_iommu_desc *d);
/* Recompute the record's crc32 after filling it. */
void purg_blob_seal(const struct purg_blob *b);
/* Write / read record entry i (little-endian in the blob). */
void purg_blob_rec_write(const struct purg_blob *b, uint32_t i,
			 const struct purg_iommu_result *r);
void purg_blob_rec_read(const struct purg_blob *b, uint32_t i,
			struct purg_iommu_result *r);

/* --- Segment digests (verify.c) ------------------------------------------- */

/*
 * Hash every segment of p with blocks_fn and compare with p's digests.
 * Returns QDH_REC_F_DIGEST_OK, or QDH_REC_F_DIGEST_BAD with *bad = index of
 * the first mismatch (QDH_PURGATORY_MAX_SEGMENTS if nsegments is absurd).
 */
uint32_t purg_verify_segments(const struct qdh_purgatory_params *p,
			      qdh_sha256_blocks_fn *blocks_fn, uint32_t *bad);

/* --- Records (run.c) ---------------------------------------------------- */

struct purg_run {
	uint32_t rec_flags;	/* QDH_REC_F_DIGEST_*; PURGATORY_RAN is added */
	uint32_t bad_segment;
	uint64_t t0;		/* counter at entry: ticks = now - t0 */
	/* out */
	int first;		/* blob index whose record the checks wrote, -1 */
	uint32_t nsealed;	/* copies validated, filled and sealed */
	uint32_t nste[QDH_STE_MAX + 1];	/* streams read, by STE state */
	struct purg_blob blob[QDH_PURGATORY_MAX_BLOBS];
	int valid[QDH_PURGATORY_MAX_BLOBS];
};

/*
 * Check every IOMMU of the first valid blob copy once (policy from
 * p->flags), write the record into every valid copy and seal it.  Copies
 * that do not validate are left untouched.
 */
void purg_run_blobs(const struct purg_io *io,
		    const struct qdh_purgatory_params *p, struct purg_run *run);

/* --- Progress lines (fmt.c) ---------------------------------------------- */

#define PURG_LINE_MAX	200

struct purg_line {
	char buf[PURG_LINE_MAX];
	uint32_t len;		/* never more than PURG_LINE_MAX - 1 */
};

void purg_line_init(struct purg_line *l);
void purg_line_str(struct purg_line *l, const char *s);
void purg_line_dec(struct purg_line *l, uint64_t v);
void purg_line_hex(struct purg_line *l, uint64_t v);	/* "0x..." */
/* "smmu 0x9050000 CR0=0xd GBPA=0x0 observed" for record entry e of blob b */
void purg_line_iommu(struct purg_line *l, const struct purg_iommu_desc *d,
		     const struct purg_iommu_result *r);
/* "5 stream(s) read: 3 s1, 1 bypass, 1 out-of-range"; "" with none */
void purg_line_streams(struct purg_line *l, const uint32_t nste[QDH_STE_MAX + 1]);

#endif
