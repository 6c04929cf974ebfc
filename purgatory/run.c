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

static void check_all(const struct purg_io *io,
		      const struct qdh_purgatory_params *p,
		      const struct purg_blob *b)
{
	struct purg_iommu_desc d;
	struct purg_iommu_result r;
	uint32_t i;

	for (i = 0; i < b->niommus; i++) {
		purg_blob_iommu(b, i, &d);
		purg_check_iommu(io, &d, p->flags, p->timeout_us, &r);
		purg_blob_rec_write(b, i, &r);
	}
}

/* The other copy gets the entries, and the STE states of the same streams. */
static void copy_entries(const struct purg_blob *from, const struct purg_blob *to)
{
	struct qdh_record_stream_info a, b;
	struct purg_iommu_result r;
	uint32_t i;

	for (i = 0; i < from->niommus; i++) {
		purg_blob_rec_read(from, i, &r);
		purg_blob_rec_write(to, i, &r);
	}
	for (i = 0; qdh_record_get_stream(&from->v, i, &a) == 0; i++)
		if (qdh_record_get_stream(&to->v, i, &b) == 0 &&
		    a.iommu == b.iommu && a.sid == b.sid)
			qdh_record_put_ste(&to->v, to->base, i, a.ste);
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
	for (i = 0; i < QDH_PURGATORY_MAX_BLOBS; i++) {
		struct purg_blob *b = &run->blob[i];

		run->valid[i] = p->blob[i] &&
			purg_blob_open(b, (void *)(uintptr_t)p->blob[i],
				       p->blob_size) == 0;
		if (!run->valid[i])
			continue;
		if (run->first < 0) {
			check_all(io, p, b);
			run->first = i;
		} else if (same_iommus(&run->blob[run->first], b)) {
			copy_entries(&run->blob[run->first], b);
		} else {
			check_all(io, p, b);
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
