// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the old kernel's SMMUv3 stream table says about one StreamID, read
 * by the purgatory just before the jump (ABI v1.1 record stream entries,
 * doc/purgatory.md "Stream table entries").  Host-testable like smmu.c:
 * registers and memory are reached only through struct purg_io.
 *
 * Why: the next kernel (and qdh apply) must know which active devices
 * could reach any memory -- an STE in bypass -- and which were translated,
 * as seen before anything changed.  Layouts: Arm IHI 0070, 6.3.24-25
 * (STRTAB_BASE, STRTAB_BASE_CFG), 5.1 (L1STD), 5.2 (STE).
 *
 * The table is read only while the SMMU uses it (CR0ACK.SMMUEN == 1): its
 * memory is then the one the SMMU walks, so every address read is real
 * memory.  Every index is bounds-checked against STRTAB_BASE_CFG (LOG2SIZE
 * capped at IDR1.SIDSIZE, as the SMMU caps it), SPLIT and the L1STD's Span;
 * addresses are aligned the way the SMMU aligns them.  The purgatory runs
 * with the MMU and caches off, while the old kernel wrote the table through
 * its caches: each descriptor is cleaned to the point of coherency first
 * (io->sync_mem) so that the read sees what the SMMU would.
 */
#include "iommu.h"

#define STE_BYTES		64u
#define L1STD_BYTES		8u

/* STRTAB_BASE.ADDR, bits [55:6]; STRTAB_BASE_CFG fields (6.3.24-25). */
#define STRTAB_ADDR_MASK	0x00ffffffffffffc0ull
#define CFG_LOG2SIZE(c)		((c) & 0x3fu)
#define CFG_SPLIT(c)		(((c) >> 6) & 0x1fu)
#define CFG_FMT(c)		(((c) >> 16) & 0x3u)
#define CFG_FMT_2LVL		1u
/* SMMU_IDR0.ST_LEVEL, bits [28:27]: 0b00 linear only; IDR1.SIDSIZE [5:0] */
#define IDR0_ST_LEVEL(r)	(((r) >> 27) & 0x3u)
#define IDR1_SIDSIZE(r)		((r) & 0x3fu)
/* L1STD (5.1): Span [4:0], L2Ptr [55:6] */
#define L1STD_SPAN(d)		((uint32_t)(d) & 0x1fu)
#define L1STD_L2PTR(d)		((d) & 0x00ffffffffffffc0ull)
/* STE word 0 and 1 (5.2) */
#define STE0_V			1ull
#define STE0_CONFIG(d)		((uint32_t)((d) >> 1) & 0x7u)
#define STE0_S1CDMAX(d)		((uint32_t)((d) >> 59) & 0x1fu)
#define STE1_S1DSS(d)		((uint32_t)(d) & 0x3u)
#define CONFIG_BYPASS		4u	/* 0b100 */
#define CONFIG_S1		5u	/* 0b101 */
#define CONFIG_S2		6u	/* 0b110 */
#define CONFIG_NESTED		7u	/* 0b111 */
#define S1DSS_BYPASS		1u

void purg_v3_strtab(const struct purg_io *io, uint64_t smmu_base,
		    const uint64_t regs[QDH_RECORD_NREGS],
		    struct purg_v3_strtab *t)
{
	uint32_t cfg = (uint32_t)regs[QDH_V3_STRTAB_BASE_CFG];
	uint32_t idr0 = (uint32_t)regs[QDH_V3_IDR0];
	uint32_t literal = CFG_LOG2SIZE(cfg), sidsize, align;

	t->usable = 0;
	if (!(regs[QDH_V3_CR0ACK] & SMMU_V3_CR0_SMMUEN))
		return;		/* not in use: no promise the memory is real */
	sidsize = IDR1_SIDSIZE(io->read32(io->ctx, smmu_base + SMMU_V3_IDR1));
	/* the effective size never exceeds SIDSIZE (6.3.25) */
	t->log2size = literal < sidsize ? literal : sidsize;
	/* FMT: reserved values behave as linear; linear only without ST_LEVEL */
	t->two_level = IDR0_ST_LEVEL(idr0) != 0 && CFG_FMT(cfg) == CFG_FMT_2LVL;
	t->split = CFG_SPLIT(cfg);
	if (t->split != 6 && t->split != 8 && t->split != 10)
		t->split = 6;		/* reserved values behave as 6 */
	/*
	 * The SMMU aligns the base to the table size from the literal
	 * LOG2SIZE: linear ADDR[LOG2SIZE + 5:0] = 0, 2-level
	 * ADDR[MAX(5, LOG2SIZE - SPLIT - 1 + 3):0] = 0.
	 */
	if (t->two_level)
		align = literal > t->split + 3 ? literal - t->split + 3 : 6;
	else
		align = literal + 6;
	if (align > 56)
		return;
	t->base = regs[QDH_V3_STRTAB_BASE] & STRTAB_ADDR_MASK &
		  ~((1ull << align) - 1);
	t->usable = t->base != 0;
}

static uint64_t read_mem(const struct purg_io *io, uint64_t addr)
{
	if (io->sync_mem)
		io->sync_mem(io->ctx, addr, 8);
	return io->read64(io->ctx, addr);
}

uint8_t purg_v3_ste(const struct purg_io *io, const struct purg_v3_strtab *t,
		    uint32_t sid)
{
	uint64_t ste, d0, d1;
	uint32_t span, l2idx, cfg;

	if (!t->usable)
		return QDH_STE_UNREADABLE;
	if ((uint64_t)sid >> t->log2size)
		return QDH_STE_OUT_OF_RANGE;
	if (!t->two_level) {
		ste = t->base + (uint64_t)sid * STE_BYTES;
	} else {
		/* L1 index: StreamID[LOG2SIZE - 1:SPLIT] (one entry if smaller) */
		uint64_t d = read_mem(io, t->base + (uint64_t)(sid >> t->split) *
					  L1STD_BYTES);

		span = L1STD_SPAN(d);
		/* 0: no L2 table; 12-31 reserved (as 0); beyond the split */
		if (!span || span > 11 || span > t->split + 1)
			return QDH_STE_OUT_OF_RANGE;
		l2idx = sid & ((1u << t->split) - 1);
		if (l2idx >> (span - 1))
			return QDH_STE_OUT_OF_RANGE;	/* past the L2 array */
		/* L2Ptr[5 + Span - 1:0] are taken as zero: aligned to size */
		ste = (L1STD_L2PTR(d) & ~((1ull << (5 + span)) - 1)) +
		      (uint64_t)l2idx * STE_BYTES;
		if (!L1STD_L2PTR(d))
			return QDH_STE_UNREADABLE;
	}
	d0 = read_mem(io, ste);
	if (!(d0 & STE0_V))
		return QDH_STE_INVALID;
	cfg = STE0_CONFIG(d0);
	switch (cfg) {
	case CONFIG_BYPASS:
		return QDH_STE_BYPASS;
	case CONFIG_S1:
		/* substreams on, untagged DMA bypassing stage 1: bypass */
		d1 = read_mem(io, ste + 8);
		if (STE0_S1CDMAX(d0) && STE1_S1DSS(d1) == S1DSS_BYPASS)
			return QDH_STE_BYPASS;
		return QDH_STE_S1;
	case CONFIG_S2:
		return QDH_STE_S2;
	case CONFIG_NESTED:
		return QDH_STE_NESTED;
	default:
		return QDH_STE_ABORT;	/* 0b000, and 0b0xx behaving as it */
	}
}
