// SPDX-License-Identifier: GPL-2.0-or-later
/* Register models for tests/purgatory: see models.h. */
#include <string.h>

#include "models.h"

static struct model_frame *frame_of(struct machine *m, uint64_t addr,
				    uint32_t *off)
{
	for (int i = 0; i < m->nframes; i++) {
		if (addr >= m->f[i].base && addr - m->f[i].base < 0x10000) {
			*off = (uint32_t)(addr - m->f[i].base);
			return &m->f[i];
		}
	}
	return NULL;
}

static uint32_t v3_read(struct machine *m, struct v3_model *s, uint32_t off)
{
	switch (off) {
	case SMMU_V3_IDR0: return s->idr0;
	case SMMU_V3_IDR1: return s->idr1;
	case SMMU_V3_CR0: return s->cr0;
	case SMMU_V3_CR0ACK: return s->cr0ack;
	case SMMU_V3_STRTAB_BASE_CFG: return s->strtab_cfg;
	case SMMU_V3_GBPA: {
		uint32_t v;

		s->gbpa_reads++;
		/* The pending-th read after the write sees UPDATE clear. */
		if ((s->gbpa & SMMU_V3_GBPA_UPDATE) && s->pending != MODEL_NEVER &&
		    --s->pending <= 0)
			s->gbpa &= ~SMMU_V3_GBPA_UPDATE;
		v = s->gbpa;
		return v;
	}
	}
	m->stray++;
	return 0xdeadbeef;
}

static void v3_write(struct machine *m, struct v3_model *s, uint32_t off,
		     uint32_t v)
{
	if (off != SMMU_V3_GBPA) {
		m->stray++;
		return;
	}
	s->gbpa_writes++;
	s->gbpa_written = v;
	/* 6.3.14.1: ignored while an update runs or without UPDATE set. */
	if ((s->gbpa & SMMU_V3_GBPA_UPDATE) || !(v & SMMU_V3_GBPA_UPDATE)) {
		s->violations++;
		return;
	}
	s->gbpa = v;
	s->pending = s->update_after;
}

static uint32_t v2_read(struct machine *m, struct v2_model *s, uint32_t off)
{
	switch (off) {
	case SMMU_V2_SCR0: return s->scr0;
	case SMMU_V2_SGFSR: return s->sgfsr;
	case SMMU_V2_IDR0: return s->idr0;
	case SMMU_V2_IDR1: return s->idr1;
	}
	if (off >= SMMU_V2_S2CR(0) && off < SMMU_V2_S2CR(256) && !(off & 3))
		return s->s2cr[(off - SMMU_V2_S2CR(0)) / 4];
	m->stray++;
	return 0xdeadbeef;
}

static void v2_write(struct machine *m, struct v2_model *s, uint32_t off,
		     uint32_t v)
{
	s->seq++;
	if (off == SMMU_V2_SCR0) {
		s->scr0 = v;
		s->scr0_writes++;
		s->scr0_seq = s->seq;
		return;
	}
	if (off >= SMMU_V2_S2CR(0) && off < SMMU_V2_S2CR(256) && !(off & 3)) {
		s->s2cr[(off - SMMU_V2_S2CR(0)) / 4] = v;
		s->s2cr_writes++;
		s->last_s2cr_seq = s->seq;
		return;
	}
	m->stray++;
}

static uint32_t io_read32(void *ctx, uint64_t addr)
{
	struct machine *m = ctx;
	uint32_t off;
	struct model_frame *f = frame_of(m, addr, &off);

	m->accesses++;
	if (!f) {
		m->stray++;
		return 0xdeadbeef;
	}
	return f->type == QDH_IOMMU_SMMUV3 ? v3_read(m, &f->v3, off)
					   : v2_read(m, &f->v2, off);
}

static uint64_t io_read64(void *ctx, uint64_t addr)
{
	struct machine *m = ctx;
	uint32_t off;
	struct model_frame *f = frame_of(m, addr, &off);

	m->accesses++;
	if (f && f->type == QDH_IOMMU_SMMUV3 && off == SMMU_V3_STRTAB_BASE)
		return f->v3.strtab;
	if (!f && m->mem_base && addr >= m->mem_base && !(addr & 7) &&
	    (addr - m->mem_base) / 8 < MODEL_MEM_WORDS) {
		uint64_t w = (addr - m->mem_base) / 8;

		m->mem_reads++;
		if (!m->synced[w])
			m->unsynced_reads++;
		m->synced[w] = 0;	/* the next read needs its own sync */
		return m->mem[w];
	}
	m->stray++;
	return 0xdeadbeefdeadbeefull;
}

static void io_sync_mem(void *ctx, uint64_t addr, uint64_t len)
{
	struct machine *m = ctx;

	for (uint64_t a = addr & ~7ull; a < addr + len; a += 8)
		if (a >= m->mem_base && (a - m->mem_base) / 8 < MODEL_MEM_WORDS)
			m->synced[(a - m->mem_base) / 8] = 1;
}

static void io_write32(void *ctx, uint64_t addr, uint32_t v)
{
	struct machine *m = ctx;
	uint32_t off;
	struct model_frame *f = frame_of(m, addr, &off);

	m->accesses++;
	if (!f) {
		m->stray++;
		return;
	}
	if (f->type == QDH_IOMMU_SMMUV3)
		v3_write(m, &f->v3, off, v);
	else
		v2_write(m, &f->v2, off, v);
}

static uint64_t io_ticks(void *ctx)
{
	struct machine *m = ctx;

	return ++m->clock;
}

void machine_io(struct machine *m, struct purg_io *io, uint64_t freq)
{
	io->ctx = m;
	io->read32 = io_read32;
	io->read64 = io_read64;
	io->write32 = io_write32;
	io->ticks = io_ticks;
	io->freq = freq;
	io->sync_mem = io_sync_mem;
}

struct v3_model *machine_add_v3(struct machine *m, uint64_t base)
{
	struct model_frame *f = &m->f[m->nframes++];

	memset(f, 0, sizeof(*f));
	f->base = base;
	f->type = QDH_IOMMU_SMMUV3;
	f->v3.update_after = 1;
	return &f->v3;
}

struct v2_model *machine_add_v2(struct machine *m, uint64_t base)
{
	struct model_frame *f = &m->f[m->nframes++];

	memset(f, 0, sizeof(*f));
	f->base = base;
	f->type = QDH_IOMMU_SMMUV2;
	return &f->v2;
}
