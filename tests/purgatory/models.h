/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host register models of an SMMUv3 and an SMMUv2 for the purgatory's IOMMU
 * logic, and a fake counter.  One struct purg_io serves a whole "machine"
 * of up to MODEL_MAX frames; an access outside every frame or to a register
 * the model does not know is counted as stray (tests assert zero).
 */
#ifndef QDH_TEST_PURGATORY_MODELS_H
#define QDH_TEST_PURGATORY_MODELS_H

#include <stdint.h>
#include "iommu.h"

#define MODEL_MAX	4
#define MODEL_NEVER	(-1)	/* GBPA.UPDATE never clears */

struct v3_model {
	uint32_t cr0, cr0ack, gbpa, strtab_cfg, idr0, idr1;
	uint64_t strtab;
	int update_after;	/* reads of GBPA until UPDATE clears after a
				 * write, or MODEL_NEVER */
	int pending;		/* reads left for the current update */
	int gbpa_writes;
	uint32_t gbpa_written;	/* last value written */
	int violations;		/* writes while UPDATE=1 or without UPDATE */
	int gbpa_reads;
};

struct v2_model {
	uint32_t scr0, sgfsr, idr0, idr1;
	uint32_t s2cr[256];
	int s2cr_writes, scr0_writes;
	int seq;		/* write sequence number */
	int last_s2cr_seq, scr0_seq;
};

struct model_frame {
	uint64_t base;
	int type;		/* QDH_IOMMU_SMMUV3 / QDH_IOMMU_SMMUV2 */
	struct v3_model v3;
	struct v2_model v2;
};

/* RAM for stream tables: 8-byte words from mem_base (8-byte aligned
 * reads only; anything else is stray). */
#define MODEL_MEM_WORDS	(1u << 16)

struct machine {
	struct model_frame f[MODEL_MAX];
	int nframes;
	uint64_t mem_base;
	uint64_t mem[MODEL_MEM_WORDS];
	uint8_t synced[MODEL_MEM_WORDS];	/* sync_mem covered the word */
	int mem_reads;
	int unsynced_reads;	/* memory read without sync_mem first */
	uint64_t clock;		/* advances by one per ticks() call */
	int accesses;
	int stray;
};

/* A purg_io over m with a 1 MHz counter (one tick = 1 us). */
void machine_io(struct machine *m, struct purg_io *io, uint64_t freq);
struct v3_model *machine_add_v3(struct machine *m, uint64_t base);
struct v2_model *machine_add_v2(struct machine *m, uint64_t base);

#endif
