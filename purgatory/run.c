// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fill the handover record of every blob copy the loader listed (the DT
 * property and the ELF note hold one each).  The IOMMUs are checked once:
 * a second pass would observe the first pass's own writes, so the other
 * copies get the same entries.
 */
#include "purg.h"
#include "qdh/codec.h"

/* Same IOMMU table (count, bases and types) as the copy already checked? */
static int same_iommus(const struct purg_blob *a, const struct purg_blob *b)
{
	struct purg_iommu_desc x, y;
	uint32_t i;

	if (a->niommus != b->niommus)
		return 0;
	for (i = 0; i < a->niommus; i++) {
		purg_blob_iommu(a, i, &x);
		purg_blob_iommu(b, i, &y);
		if (x.base != y.base || x.type != y.type || x.flags != y.flags)
			return 0;
	}
	return 1;
}

/*
 * The record's stream table (ABI v1.1; empty in a v1.0 blob): the STE of
 * every StreamID the writer listed, read from the old stream table of its
 * SMMUv3 as the registers found just now describe it.  Sorted by IOMMU,
 * so each table is described once.
 */
static void read_streams(const struct purg_io *io, const struct purg_blob *b,
			 struct purg_run *run)
{
	struct qdh_record_stream_info si;
	struct qdh_record_info ri;
	struct purg_iommu_desc d;
	struct purg_iommu_result r;
	struct purg_v3_strtab t = { 0 };
	uint32_t k, cur = UINT32_MAX;
	uint8_t ste;
	int v3 = 0;

	qdh_record_get(&b->v, &ri);
	for (k = 0; k < ri.nstreams; k++) {
		if (qdh_record_get_stream(&b->v, k, &si))
			break;
		if (si.iommu != cur) {
			cur = si.iommu;
			v3 = 0;
			if (cur < b->niommus) {
				purg_blob_iommu(b, cur, &d);
				purg_blob_rec_read(b, cur, &r);
				v3 = d.type == QDH_IOMMU_SMMUV3 &&
				     r.action != QDH_PURG_SKIPPED;
			}
			if (v3)
				purg_v3_strtab(io, d.base, r.before, &t);
		}
		ste = v3 ? purg_v3_ste(io, &t, si.sid) : QDH_STE_NOT_READ;
		qdh_record_put_ste(&b->v, b->base, k, ste);
		if (ste <= QDH_STE_MAX)
			run->nste[ste]++;
	}
}

static void check_all(const struct purg_io *io,
		      const struct qdh_purgatory_params *p,
		      const struct purg_blob *b, struct purg_run *run)
{
	struct purg_iommu_desc d;
	struct purg_iommu_result r;
	uint32_t i;

	for (i = 0; i < b->niommus; i++) {
		purg_blob_iommu(b, i, &d);
		purg_check_iommu(io, &d, p->flags, p->timeout_us, &r);
		purg_blob_rec_write(b, i, &r);
	}
	read_streams(io, b, run);
}

/* The other copy gets the entries, and the STE states of the same streams. */
static void copy_entries(const struct purg_blob *from, const struct purg_blob *to)
{
	struct qdh_record_stream_info si, sj;
	struct qdh_record_info ri;
	struct purg_iommu_result r;
	uint32_t i, k;

	for (i = 0; i < from->niommus; i++) {
		purg_blob_rec_read(from, i, &r);
		purg_blob_rec_write(to, i, &r);
	}
	/* the same StreamIDs, looked up: the copies' tables need not match */
	qdh_record_get(&from->v, &ri);
	for (i = 0; i < ri.nstreams; i++)
		if (!qdh_record_get_stream(&from->v, i, &si) &&
		    !qdh_record_find_stream(&to->v, si.iommu, si.sid, &k) &&
		    !qdh_record_get_stream(&to->v, k, &sj))
			qdh_record_put_ste(&to->v, to->base, k, si.ste);
}

void purg_run_blobs(const struct purg_io *io,
		    const struct qdh_purgatory_params *p, struct purg_run *run)
{
	struct qdh_record_info rec = {
		.flags = run->rec_flags | QDH_REC_F_PURGATORY_RAN,
		.bad_segment = (run->rec_flags & QDH_REC_F_DIGEST_BAD) ?
			       run->bad_segment : 0,
		.freq = io->freq,
	};
	int i;

	run->first = -1;
	run->nsealed = 0;
	for (i = 0; i <= QDH_STE_MAX; i++)
		run->nste[i] = 0;
	for (i = 0; i < QDH_PURGATORY_MAX_BLOBS; i++) {
		struct purg_blob *b = &run->blob[i];

		run->valid[i] = p->blob[i] &&
			purg_blob_open(b, (void *)(uintptr_t)p->blob[i],
				       p->blob_size) == 0;
		if (!run->valid[i])
			continue;
		if (run->first < 0) {
			check_all(io, p, b, run);
			run->first = i;
		} else if (same_iommus(&run->blob[run->first], b)) {
			copy_entries(&run->blob[run->first], b);
		} else {
			check_all(io, p, b, run);
		}
	}
	/* The run time covers everything up to the seal. */
	rec.ticks = io->ticks(io->ctx) - run->t0;
	for (i = 0; i < QDH_PURGATORY_MAX_BLOBS; i++) {
		if (!run->valid[i])
			continue;
		qdh_record_put(&run->blob[i].v, run->blob[i].base, &rec);
		purg_blob_seal(&run->blob[i]);
		run->nsealed++;
	}
}
