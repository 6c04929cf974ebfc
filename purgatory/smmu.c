// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the purgatory does to each IOMMU named in the QDH blob, just before
 * the jump to the next kernel.  Host-testable: every register access goes
 * through struct purg_io (tests/purgatory/ plugs in register models).
 *
 * Why: after a panic the crash kernel finds an SMMUv3 that the dying kernel
 * may have left disabled with GBPA in bypass, so DMA from devices that are
 * still running lands anywhere in memory until the crash kernel's driver
 * probes.  Setting GBPA.ABORT closes that window; the record tells the next
 * kernel what was found and done.
 */
#include "iommu.h"

/* Counter ticks for us microseconds, saturating. */
static uint64_t us_to_ticks(uint64_t us, uint64_t freq)
{
	if (us > UINT64_MAX / freq)
		return UINT64_MAX;
	return us * freq / 1000000u;
}

/*
 * Wait until (reg & mask) == 0.  Bounded by the counter when its frequency
 * is known, else by a poll count.  Returns 0, or -1 on timeout.
 */
static int poll_clear(const struct purg_io *io, uint64_t addr, uint32_t mask,
		      uint64_t timeout_us)
{
	if (io->freq) {
		uint64_t limit = us_to_ticks(timeout_us, io->freq);
		uint64_t start = io->ticks(io->ctx);

		for (;;) {
			/* Read after taking the time: a late first look still
			 * counts as a look, never a false timeout. */
			int expired = io->ticks(io->ctx) - start > limit;

			if (!(io->read32(io->ctx, addr) & mask))
				return 0;
			if (expired)
				return -1;
		}
	} else {
		uint64_t polls = timeout_us * PURG_POLLS_PER_US + 1;

		while (polls--)
			if (!(io->read32(io->ctx, addr) & mask))
				return 0;
		return -1;
	}
}

static void v3_snapshot(const struct purg_io *io, uint64_t b, uint64_t regs[])
{
	regs[QDH_V3_CR0] = io->read32(io->ctx, b + SMMU_V3_CR0);
	regs[QDH_V3_CR0ACK] = io->read32(io->ctx, b + SMMU_V3_CR0ACK);
	regs[QDH_V3_GBPA] = io->read32(io->ctx, b + SMMU_V3_GBPA);
	regs[QDH_V3_STRTAB_BASE] = io->read64(io->ctx, b + SMMU_V3_STRTAB_BASE);
	regs[QDH_V3_STRTAB_BASE_CFG] =
		io->read32(io->ctx, b + SMMU_V3_STRTAB_BASE_CFG);
	regs[QDH_V3_IDR0] = io->read32(io->ctx, b + SMMU_V3_IDR0);
}

/*
 * SMMUv3 GBPA update procedure (IHI 0070, 6.3.14.1): write only while
 * UPDATE == 0, with one 32-bit write that sets UPDATE, then wait for UPDATE
 * to clear.  The other attribute fields are kept as found.
 */
static uint8_t v3_block_bypass(const struct purg_io *io, uint64_t b,
			       uint64_t timeout_us)
{
	uint32_t gbpa;

	if (poll_clear(io, b + SMMU_V3_GBPA, SMMU_V3_GBPA_UPDATE, timeout_us))
		return QDH_PURG_TIMEOUT;
	gbpa = io->read32(io->ctx, b + SMMU_V3_GBPA);
	io->write32(io->ctx, b + SMMU_V3_GBPA,
		    gbpa | SMMU_V3_GBPA_ABORT | SMMU_V3_GBPA_UPDATE);
	if (poll_clear(io, b + SMMU_V3_GBPA, SMMU_V3_GBPA_UPDATE, timeout_us))
		return QDH_PURG_TIMEOUT;
	return QDH_PURG_GBPA_ABORT;
}

static void check_v3(const struct purg_io *io, const struct purg_iommu_desc *d,
		     uint32_t pflags, uint64_t timeout_us,
		     struct purg_iommu_result *r)
{
	uint64_t b = d->base;

	v3_snapshot(io, b, r->before);
	r->action = QDH_PURG_OBSERVED;
	/* CR0ACK, not CR0: the value in effect (6.3.9, "Update"). */
	if ((pflags & QDH_PURG_P_BLOCK_BYPASS) &&
	    (d->flags & QDH_IOMMU_F_HAS_ACTIVE) &&
	    !(r->before[QDH_V3_CR0ACK] & SMMU_V3_CR0_SMMUEN) &&
	    !(r->before[QDH_V3_GBPA] & SMMU_V3_GBPA_ABORT))
		r->action = v3_block_bypass(io, b, timeout_us);
	v3_snapshot(io, b, r->after);
}

static void v2_snapshot(const struct purg_io *io, uint64_t b, uint64_t regs[])
{
	regs[QDH_V2_SCR0] = io->read32(io->ctx, b + SMMU_V2_SCR0);
	regs[QDH_V2_SGFSR] = io->read32(io->ctx, b + SMMU_V2_SGFSR);
	regs[QDH_V2_IDR0] = io->read32(io->ctx, b + SMMU_V2_IDR0);
	regs[QDH_V2_IDR1] = io->read32(io->ctx, b + SMMU_V2_IDR1);
}

/* Number of stream-to-context registers (IDR0.SMS, NUMSMRG, NUMSIDB). */
static uint32_t v2_nr_s2cr(uint32_t idr0)
{
	uint32_t n;

	if (idr0 & SMMU_V2_IDR0_SMS)
		n = SMMU_V2_IDR0_NUMSMRG(idr0);
	else
		n = 1u << SMMU_V2_IDR0_NUMSIDB(idr0);
	return n > SMMU_V2_MAX_S2CR ? SMMU_V2_MAX_S2CR : n;
}

/*
 * An SMMUv2 with sCR0.CLIENTPD = 1 lets every stream bypass.  "Fault all
 * streams": every S2CR to TYPE fault (matched streams, stale entries of the
 * old kernel included) and USFCFG = 1 (unmatched streams), written while
 * CLIENTPD is still 1, then CLIENTPD = 0 to put them in force.
 */
static void check_v2(const struct purg_io *io, const struct purg_iommu_desc *d,
		     uint32_t pflags, struct purg_iommu_result *r)
{
	uint64_t b = d->base;
	uint32_t scr0, n, i;

	v2_snapshot(io, b, r->before);
	r->action = QDH_PURG_OBSERVED;
	scr0 = (uint32_t)r->before[QDH_V2_SCR0];
	if ((scr0 & SMMU_V2_SCR0_CLIENTPD) && (pflags & QDH_PURG_P_V2_FAULT)) {
		n = v2_nr_s2cr((uint32_t)r->before[QDH_V2_IDR0]);
		for (i = 0; i < n; i++)
			io->write32(io->ctx, b + SMMU_V2_S2CR(i),
				    SMMU_V2_S2CR_TYPE_FAULT);
		io->write32(io->ctx, b + SMMU_V2_SCR0,
			    (scr0 | SMMU_V2_SCR0_USFCFG) & ~SMMU_V2_SCR0_CLIENTPD);
		r->action = QDH_PURG_FAULT_STREAMS;
	}
	v2_snapshot(io, b, r->after);
}

/* A register frame we may touch: known type, aligned, big enough. */
static int frame_ok(const struct purg_iommu_desc *d, uint64_t span)
{
	if (!d->base || (d->base & 0xfff))
		return 0;
	if (d->size && d->size < span)
		return 0;
	return d->base + span > d->base;	/* no wrap */
}

void purg_check_iommu(const struct purg_io *io, const struct purg_iommu_desc *d,
		      uint32_t pflags, uint64_t timeout_us,
		      struct purg_iommu_result *r)
{
	int i;

	for (i = 0; i < QDH_RECORD_NREGS; i++)
		r->before[i] = r->after[i] = 0;
	r->action = QDH_PURG_SKIPPED;
	if (!timeout_us)
		timeout_us = PURG_DEFAULT_TIMEOUT_US;
	if (d->type == QDH_IOMMU_SMMUV3 && frame_ok(d, SMMU_V3_SPAN))
		check_v3(io, d, pflags, timeout_us, r);
	else if (d->type == QDH_IOMMU_SMMUV2 && frame_ok(d, SMMU_V2_SPAN))
		check_v2(io, d, pflags, r);
}
