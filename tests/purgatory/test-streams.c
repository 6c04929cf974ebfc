// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory's reads of the old SMMUv3 stream table (purgatory/streams.c,
 * doc/purgatory.md "Stream table entries") against a register model and a
 * memory model: every STE state, linear and 2-level tables, every bound of
 * STRTAB_BASE_CFG, IDR1.SIDSIZE and the L1STD Span, the SMMU's alignment of
 * the bases, reserved encodings, cache maintenance before each read; then
 * a v1.1 blob's record stream table filled by purg_run_blobs().
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "models.h"
#include "purg.h"
#include "qdh/codec.h"

#define SMMU	0x09050000ull
#define MEM	0x40000000ull

static struct machine m;
static struct purg_io io;
static struct v3_model *v3;

static void put(uint64_t addr, uint64_t val)
{
	m.mem[(addr - MEM) / 8] = val;
}

/* An STE at addr: word 0 and word 1. */
static void ste(uint64_t addr, uint64_t d0, uint64_t d1)
{
	put(addr, d0);
	put(addr + 8, d1);
}

#define V		1ull
#define CFG(c)		((uint64_t)(c) << 1)
#define CDMAX(n)	((uint64_t)(n) << 59)

static void reset_machine(void)
{
	memset(&m, 0, sizeof(m));
	m.mem_base = MEM;
	machine_io(&m, &io, 1000000);
	v3 = machine_add_v3(&m, SMMU);
	v3->cr0 = v3->cr0ack = 0xd;	/* SMMUEN, CMDQEN, EVTQEN */
	v3->idr0 = 1u << 27;		/* ST_LEVEL: 2-level supported */
	v3->idr1 = 16;			/* SIDSIZE */
}

static uint8_t state(uint32_t sid)
{
	uint64_t regs[QDH_RECORD_NREGS] = { 0 };
	struct purg_v3_strtab t;

	regs[QDH_V3_CR0ACK] = v3->cr0ack;
	regs[QDH_V3_STRTAB_BASE] = v3->strtab;
	regs[QDH_V3_STRTAB_BASE_CFG] = v3->strtab_cfg;
	regs[QDH_V3_IDR0] = v3->idr0;
	purg_v3_strtab(&io, SMMU, regs, &t);
	return purg_v3_ste(&io, &t, sid);
}

static void linear_tests(void)
{
	uint64_t base = MEM + 0x4000;	/* 256 STEs = 16 KiB, aligned */

	reset_machine();
	v3->strtab = base | (1ull << 62);	/* RA hint: not address */
	v3->strtab_cfg = 8;			/* linear, LOG2SIZE 8 */
	ste(base + 0 * 64, 0, 0);
	ste(base + 1 * 64, V | CFG(0), 0);
	ste(base + 2 * 64, V | CFG(4), 0);
	ste(base + 3 * 64, V | CFG(5), 0);
	ste(base + 4 * 64, V | CFG(6), 0);
	ste(base + 5 * 64, V | CFG(7), 0);
	ste(base + 6 * 64, V | CFG(2), 0);
	ste(base + 7 * 64, V | CFG(5) | CDMAX(3), 1);	/* S1DSS bypass */
	ste(base + 8 * 64, V | CFG(5) | CDMAX(3), 2);	/* S1DSS substream 0 */
	ste(base + 9 * 64, V | CFG(5), 1);		/* no substreams: S1DSS ignored */
	ste(base + 10 * 64, V | CFG(7) | CDMAX(3), 1);	/* nested: stage 2 still translates */
	ste(base + 255 * 64, V | CFG(5), 0);
	tap_is_int(state(0), QDH_STE_INVALID, "linear: V=0 -> invalid");
	tap_is_int(state(1), QDH_STE_ABORT, "Config 0b000 -> abort");
	tap_is_int(state(2), QDH_STE_BYPASS, "Config 0b100 -> bypass");
	tap_is_int(state(3), QDH_STE_S1, "Config 0b101 -> s1");
	tap_is_int(state(4), QDH_STE_S2, "Config 0b110 -> s2");
	tap_is_int(state(5), QDH_STE_NESTED, "Config 0b111 -> nested");
	tap_is_int(state(6), QDH_STE_ABORT, "reserved Config 0b010 behaves as abort");
	tap_is_int(state(7), QDH_STE_BYPASS,
		   "stage 1 with substreams, untagged DMA bypassing stage 1 (S1DSS 0b01) -> bypass");
	tap_is_int(state(8), QDH_STE_S1, "stage 1 with substreams, S1DSS substream 0 -> s1");
	tap_is_int(state(9), QDH_STE_S1, "S1DSS ignored without substreams -> s1");
	tap_is_int(state(10), QDH_STE_NESTED, "nested with S1DSS bypass: stage 2 still translates");
	tap_is_int(state(255), QDH_STE_S1, "last StreamID of the table");
	tap_is_int(state(256), QDH_STE_OUT_OF_RANGE, "StreamID beyond LOG2SIZE -> out of range");
	tap_is_int(state(0xffffffffu), QDH_STE_OUT_OF_RANGE, "StreamID 0xffffffff -> out of range");
	tap_ok(m.stray == 0 && m.unsynced_reads == 0 && m.mem_reads > 0,
	       "every memory read cleaned first, no stray access (%d reads, %d unsynced, %d stray)",
	       m.mem_reads, m.unsynced_reads, m.stray);

	/* the SMMU aligns ADDR to the table size: low bits are ignored */
	v3->strtab = base + 0x40 * 5;
	tap_is_int(state(3), QDH_STE_S1, "linear: base aligned down to the table size");

	/*
	 * LOG2SIZE larger than SIDSIZE: the effective size is SIDSIZE, the
	 * alignment still the literal LOG2SIZE's (2^12 STEs: 256 KiB).
	 */
	v3->strtab = MEM + 0x40000 + 0x4000;
	v3->strtab_cfg = 12;
	v3->idr1 = 8;
	ste(MEM + 0x40000 + 255 * 64, V | CFG(6), 0);
	tap_is_int(state(255), QDH_STE_S2,
		   "LOG2SIZE 12 > SIDSIZE 8: StreamID 255 read, base aligned by the literal LOG2SIZE");
	tap_is_int(state(256), QDH_STE_OUT_OF_RANGE, "... StreamID 256 out of range (capped at SIDSIZE)");
	v3->idr1 = 16;
	v3->strtab = base;

	/* FMT says 2-level, but the SMMU has only linear tables (ST_LEVEL 0) */
	v3->strtab_cfg = (1u << 16) | (8u << 6) | 8;
	v3->idr0 = 0;
	tap_is_int(state(3), QDH_STE_S1, "FMT 2-level without ST_LEVEL: read as linear");
	v3->idr0 = 1u << 27;
	/* reserved FMT behaves as linear */
	v3->strtab_cfg = (2u << 16) | 8;
	tap_is_int(state(4), QDH_STE_S2, "reserved FMT 0b10: read as linear");

	/* an SMMU not in use: nothing read at all */
	v3->cr0ack = 0;
	m.mem_reads = 0;
	tap_is_int(state(3), QDH_STE_UNREADABLE, "SMMUEN=0 -> unreadable");
	tap_is_int(m.mem_reads, 0, "SMMUEN=0: no memory read");
	v3->cr0ack = 0xd;
	v3->strtab = 0;
	v3->strtab_cfg = 8;
	tap_is_int(state(3), QDH_STE_UNREADABLE, "base 0 -> unreadable");
}

static void two_level_tests(void)
{
	uint64_t l1 = MEM + 0x1000;	/* 256 descriptors = 2 KiB */
	uint64_t l2a = MEM + 0x10000;	/* 16 KiB each */
	uint64_t l2b = MEM + 0x20000;
	uint64_t small = MEM + 0x30000;	/* Span 3: 4 STEs, 256 bytes */

	reset_machine();
	v3->strtab = l1;
	v3->strtab_cfg = (1u << 16) | (8u << 6) | 16;	/* 2-level, SPLIT 8, LOG2SIZE 16 */
	put(l1 + 0 * 8, l2a | 9);
	put(l1 + 1 * 8, l2b | 9);
	put(l1 + 2 * 8, 0);			/* no L2 table */
	put(l1 + 3 * 8, l2b | 12);		/* reserved Span: as 0 */
	put(l1 + 4 * 8, l2b | 10);		/* Span beyond SPLIT + 1 */
	put(l1 + 5 * 8, small | 3);
	put(l1 + 6 * 8, (l2a + 0x40) | 9);	/* L2Ptr low bits: ignored */
	put(l1 + 7 * 8, 9);			/* a Span, no L2 table */
	ste(l2a + 0x18 * 64, V | CFG(5), 0);
	ste(l2b + 0x00 * 64, V | CFG(4), 0);
	ste(l2b + 0xff * 64, V | CFG(6), 0);
	ste(small + 3 * 64, V | CFG(5), 0);
	tap_is_int(state(0x18), QDH_STE_S1, "2-level: L1[0] -> L2 entry 0x18 -> s1");
	tap_is_int(state(0x100), QDH_STE_BYPASS, "2-level: L1[1] -> bypass");
	tap_is_int(state(0x1ff), QDH_STE_S2, "2-level: last entry of an L2 table");
	tap_is_int(state(0x17), QDH_STE_INVALID, "2-level: zeroed STE -> invalid");
	tap_is_int(state(0x200), QDH_STE_OUT_OF_RANGE, "L1 Span 0 (no L2 table) -> out of range");
	tap_is_int(state(0x300), QDH_STE_OUT_OF_RANGE, "reserved Span 12 behaves as 0");
	tap_is_int(state(0x400), QDH_STE_OUT_OF_RANGE, "Span 10 beyond SPLIT + 1 -> out of range");
	tap_is_int(state(0x503), QDH_STE_S1, "Span 3: StreamID 3 of 4 read");
	tap_is_int(state(0x504), QDH_STE_OUT_OF_RANGE, "Span 3: StreamID 4 beyond the L2 array");
	tap_is_int(state(0x618), QDH_STE_S1, "L2Ptr aligned down to the L2 table's size");
	tap_is_int(state(0x700), QDH_STE_UNREADABLE, "a Span with L2Ptr 0 -> unreadable");
	tap_is_int(state(0x10000), QDH_STE_OUT_OF_RANGE, "StreamID beyond LOG2SIZE 16");
	tap_ok(m.stray == 0 && m.unsynced_reads == 0,
	       "2-level: every descriptor cleaned before reading, no stray (%d stray, %d unsynced)",
	       m.stray, m.unsynced_reads);

	/* reserved SPLIT behaves as 6: L1 index = sid >> 6; 2^10 descriptors */
	v3->strtab = MEM + 0x8000;		/* aligned to the 8 KiB L1 */
	v3->strtab_cfg = (1u << 16) | (7u << 6) | 16;
	put(MEM + 0x8000 + 1 * 8, small | 3);	/* sid 0x40..: L1[1] */
	tap_is_int(state(0x43), QDH_STE_S1, "reserved SPLIT 7 behaves as 6");
	v3->strtab = l1;

	/* LOG2SIZE below SPLIT: one L1 descriptor covers everything */
	v3->strtab_cfg = (1u << 16) | (8u << 6) | 5;
	put(l1, l2a | 9);
	tap_is_int(state(0x18), QDH_STE_S1, "LOG2SIZE 5 < SPLIT: StreamID 0x18 via L1[0]");
	tap_is_int(state(0x20), QDH_STE_OUT_OF_RANGE, "LOG2SIZE 5: StreamID 0x20 out of range");

	/* the L1 base aligned to the L1 table's size (2^(16-8) * 8 = 2 KiB) */
	v3->strtab_cfg = (1u << 16) | (8u << 6) | 16;
	v3->strtab = l1 + 0x7c0;
	tap_is_int(state(0x18), QDH_STE_S1, "L1 base aligned down to the L1 table's size");
}

/* A v1.1 blob from the codec's builder: its record lists the streams. */
static size_t build_blob(uint8_t *buf, size_t cap)
{
	static const uint32_t sid_e1000e = 0x18, sid_nvme = 0x100, sid_net = 0x10,
			      sid_gone = 0x2000;
	struct qdh_iommu_spec is = { SMMU, 0x20000, QDH_IOMMU_SMMUV3,
				     QDH_IOMMU_F_HAS_ACTIVE, 0, "smmu3.0x0000000009050000" };
	struct qdh_device_spec d = { 0 };
	struct qdh_builder b;
	size_t len = 0;

	if (qdh_build_init(&b, buf, cap, 1, 4, 0, 64, 0x5eed, QDH_F_CRASH))
		return 0;
	qdh_build_add_iommu(&b, &is);
	d.iommu = 0;
	d.nsids = 1;
	d.vendor = 0x8086;
	d.device = 0x10d3;
	d.class_code = 0x020000;
	d.action = QDH_ACTION_ABORT;
	d.state = QDH_STATE_ACTIVE;
	d.bus = 0; d.devfn = 0x18; d.sids = &sid_e1000e;
	qdh_build_add_device(&b, &d);
	d.bus = 1; d.devfn = 0; d.sids = &sid_nvme;
	d.action = QDH_ACTION_RESET_ATTACH;
	qdh_build_add_device(&b, &d);
	d.bus = 0x20; d.devfn = 0; d.sids = &sid_gone;	/* no L2 table for it */
	qdh_build_add_device(&b, &d);
	d.bus = 0; d.devfn = 0x10; d.sids = &sid_net;
	d.state = QDH_STATE_QUIESCED;			/* not eligible */
	d.action = QDH_ACTION_ATTACH;
	qdh_build_add_device(&b, &d);
	return qdh_build_finish(&b, &len) ? 0 : len;
}

static void run_tests(void)
{
	static uint8_t b0[8192], b1[8192];
	struct qdh_purgatory_params p;
	struct qdh_record_stream_info si;
	struct qdh_record_info ri;
	struct purg_run run;
	struct qdh_view v;
	uint64_t l1 = MEM + 0x1000, l2a = MEM + 0x10000, l2b = MEM + 0x20000;
	size_t len = build_blob(b0, sizeof(b0));
	uint32_t k;

	tap_ok(len > 0, "v1.1 blob built (%zu bytes)", len);
	memcpy(b1, b0, len);
	reset_machine();
	v3->strtab = l1;
	v3->strtab_cfg = (1u << 16) | (8u << 6) | 16;
	put(l1, l2a | 9);
	put(l1 + 8, l2b | 9);
	ste(l2a + 0x18 * 64, V | CFG(5), 0);
	ste(l2b, V | CFG(4), 0);		/* the dump target: bypass */

	memset(&p, 0, sizeof(p));
	p.blob[0] = (uint64_t)(uintptr_t)b0;
	p.blob[1] = (uint64_t)(uintptr_t)b1;
	p.blob_size = len;
	memset(&run, 0, sizeof(run));
	run.rec_flags = QDH_REC_F_DIGEST_SKIPPED;
	purg_run_blobs(&io, &p, &run);
	tap_is_int(run.nsealed, 2, "both copies sealed");
	tap_ok(qdh_check(&v, b0, len) == 0, "copy 0 valid after the record was written");
	qdh_record_get(&v, &ri);
	tap_is_int(ri.nstreams, 3, "the record lists the 3 active devices' streams (not the quiesced one)");
	for (k = 0; k < ri.nstreams && !qdh_record_get_stream(&v, k, &si); k++) {
		uint8_t want = si.sid == 0x18 ? QDH_STE_S1 : si.sid == 0x100 ?
			       QDH_STE_BYPASS : QDH_STE_OUT_OF_RANGE;

		tap_ok(si.iommu == 0 && si.ste == want, "stream 0x%x: ste %u, want %u",
		       (unsigned)si.sid, si.ste, want);
	}
	tap_ok(run.nste[QDH_STE_S1] == 1 && run.nste[QDH_STE_BYPASS] == 1 &&
	       run.nste[QDH_STE_OUT_OF_RANGE] == 1, "counts by state for the progress line");
	tap_ok(qdh_check(&v, b1, len) == 0, "copy 1 valid");
	qdh_record_get(&v, &ri);
	for (k = 0; k < ri.nstreams && !qdh_record_get_stream(&v, k, &si); k++)
		if (si.sid == 0x100)
			tap_is_int(si.ste, QDH_STE_BYPASS, "copy 1 carries the same STE states");
	{
		struct purg_line l;

		purg_line_init(&l);
		purg_line_streams(&l, run.nste);
		tap_is_str(l.buf, "3 stream(s) read: 1 bypass, 1 s1, 1 out-of-range",
			   "progress line");
	}

	/* the SMMU disabled: nothing read, every stream unreadable */
	memcpy(b0, b1, len);
	build_blob(b0, sizeof(b0));
	v3->cr0ack = 0;
	m.mem_reads = 0;
	memset(&run, 0, sizeof(run));
	p.blob[1] = 0;
	purg_run_blobs(&io, &p, &run);
	tap_ok(run.nste[QDH_STE_UNREADABLE] == 3 && m.mem_reads == 0,
	       "SMMU disabled: 3 streams unreadable, no memory read");
}

int main(void)
{
	linear_tests();
	two_level_tests();
	run_tests();
	return tap_done();
}
