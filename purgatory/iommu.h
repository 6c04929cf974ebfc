/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IOMMU check and policy of the purgatory, plain C compiled twice: into the
 * aarch64 purgatory (MMIO through purgatory/main.c) and for the host, where
 * tests/purgatory/ drives it against register models.  All register access
 * goes through struct purg_io, so this file knows no addresses but the
 * architected offsets below.
 */
#ifndef QDH_PURGATORY_IOMMU_H
#define QDH_PURGATORY_IOMMU_H

#include <stdint.h>
#include "uapi/qdh.h"
#include "qdh/purgatory.h"

/* Arm SMMUv3 (IHI 0070), SMMUv3_PAGE_0 offsets. */
#define SMMU_V3_IDR0		0x00	/* 6.3.1 */
#define SMMU_V3_IDR1		0x04	/* 6.3.2 */
#define SMMU_V3_CR0		0x20	/* 6.3.9 */
#define SMMU_V3_CR0ACK		0x24	/* 6.3.10 */
#define SMMU_V3_GBPA		0x44	/* 6.3.14 */
#define SMMU_V3_STRTAB_BASE	0x80	/* 6.3.24, 64-bit */
#define SMMU_V3_STRTAB_BASE_CFG	0x88	/* 6.3.25 */
#define SMMU_V3_CR0_SMMUEN	(1u << 0)
#define SMMU_V3_GBPA_ABORT	(1u << 20)
#define SMMU_V3_GBPA_UPDATE	(1u << 31)
#define SMMU_V3_SPAN		0x90	/* registers we touch lie below */

/* Arm SMMUv1/v2 (IHI 0062), global register space 0 offsets. */
#define SMMU_V2_SCR0		0x00	/* sCR0 */
#define SMMU_V2_IDR0		0x20	/* SMMU_IDR0 */
#define SMMU_V2_IDR1		0x24	/* SMMU_IDR1 */
#define SMMU_V2_SGFSR		0x48	/* sGFSR */
#define SMMU_V2_S2CR(n)		(0xc00 + 4 * (uint32_t)(n)) /* SMMU_S2CRn */
#define SMMU_V2_SCR0_CLIENTPD	(1u << 0)
#define SMMU_V2_SCR0_USFCFG	(1u << 10)
#define SMMU_V2_IDR0_SMS	(1u << 27)
#define SMMU_V2_IDR0_NUMSIDB(x)	(((x) >> 9) & 0xf)
#define SMMU_V2_IDR0_NUMSMRG(x)	((x) & 0xff)
#define SMMU_V2_S2CR_TYPE_FAULT	(2u << 16)	/* S2CR.TYPE = 0b10 */
#define SMMU_V2_MAX_S2CR	128
#define SMMU_V2_SPAN		0x1000	/* GR0 page with the S2CRs */

/* Poll bound when params.timeout_us is 0. */
#define PURG_DEFAULT_TIMEOUT_US	10000u
/* Poll bound in reads when the counter frequency is unknown (CNTFRQ 0). */
#define PURG_POLLS_PER_US	16u

/* Register access.  addr is physical (purgatory) or model-defined (tests). */
struct purg_io {
	void *ctx;
	uint32_t (*read32)(void *ctx, uint64_t addr);
	uint64_t (*read64)(void *ctx, uint64_t addr);
	void (*write32)(void *ctx, uint64_t addr, uint32_t val);
	uint64_t (*ticks)(void *ctx);	/* free-running counter */
	uint64_t freq;			/* counter Hz, 0 = unknown */
	/*
	 * Make memory another master wrote through the caches visible to the
	 * next read64() of [addr, addr + len) (the purgatory: DC CIVAC, its
	 * accesses bypass the caches); NULL: nothing to do.
	 */
	void (*sync_mem)(void *ctx, uint64_t addr, uint64_t len);
};

struct purg_iommu_desc {
	uint64_t base, size;		/* size 0: unknown, trusted */
	uint8_t type, flags;		/* enum qdh_iommu_type, QDH_IOMMU_F_* */
};

struct purg_iommu_result {
	uint8_t action;			/* enum qdh_purgatory_action */
	uint64_t before[QDH_RECORD_NREGS];
	uint64_t after[QDH_RECORD_NREGS];
};

/*
 * Look at one IOMMU and apply the policy in pflags (QDH_PURG_P_*), each
 * register poll bounded by timeout_us (0: PURG_DEFAULT_TIMEOUT_US).  Never
 * fails: what happened is in r->action.
 */
void purg_check_iommu(const struct purg_io *io, const struct purg_iommu_desc *d,
		      uint32_t pflags, uint64_t timeout_us,
		      struct purg_iommu_result *r);

/* An SMMUv3's stream table as its registers describe it (streams.c). */
struct purg_v3_strtab {
	int usable;		/* SMMUEN on, a base: the table can be read */
	int two_level;
	uint32_t log2size;	/* effective: capped at IDR1.SIDSIZE */
	uint32_t split;		/* effective: reserved values read as 6 */
	uint64_t base;		/* effective: aligned as the SMMU aligns it */
};

/* From the registers purgatory read (regs: a result's before[]). */
void purg_v3_strtab(const struct purg_io *io, uint64_t smmu_base,
		    const uint64_t regs[QDH_RECORD_NREGS],
		    struct purg_v3_strtab *t);
/* The STE state of sid (enum qdh_ste_state), bounds-checked. */
uint8_t purg_v3_ste(const struct purg_io *io, const struct purg_v3_strtab *t,
		    uint32_t sid);

#endif
