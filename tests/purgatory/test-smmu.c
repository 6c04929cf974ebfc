// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * purgatory/smmu.c against the register models: every action, the GBPA
 * update protocol (including updates that never finish), every policy flag
 * combination, and the before/after snapshots.
 */
#include <string.h>

#include "tap.h"
#include "models.h"

#define V3_BASE	0x09050000ull
#define V2_BASE	0x2b400000ull
#define ALLF	(QDH_PURG_P_VERIFY | QDH_PURG_P_BLOCK_BYPASS | \
		 QDH_PURG_P_V2_FAULT | QDH_PURG_P_HALT_ON_BAD)

static struct machine m;
static struct purg_io io;

static struct v3_model *fresh_v3(void)
{
	memset(&m, 0, sizeof(m));
	machine_io(&m, &io, 1000000);
	return machine_add_v3(&m, V3_BASE);
}

static struct v2_model *fresh_v2(void)
{
	memset(&m, 0, sizeof(m));
	machine_io(&m, &io, 1000000);
	return machine_add_v2(&m, V2_BASE);
}

static struct purg_iommu_desc desc(int type, uint64_t base, uint8_t flags)
{
	struct purg_iommu_desc d = { .base = base, .size = 0x20000,
				     .type = (uint8_t)type, .flags = flags };
	return d;
}

static void v3_cases(void)
{
	struct purg_iommu_desc d = desc(QDH_IOMMU_SMMUV3, V3_BASE, QDH_IOMMU_F_HAS_ACTIVE);
	struct purg_iommu_result r;
	struct v3_model *s;

	/* Enabled (the running kernel's state under QEMU): observe only. */
	s = fresh_v3();
	s->cr0 = s->cr0ack = 0xd;
	s->strtab = 0x0000000041230000ull | (1ull << 62);
	s->strtab_cfg = 0x10010;
	s->idr0 = 0x0c0ccaff;
	purg_check_iommu(&io, &d, QDH_PURG_P_BLOCK_BYPASS, 1000, &r);
	tap_is_int(r.action, QDH_PURG_OBSERVED, "v3 enabled: observed");
	tap_ok(r.before[QDH_V3_CR0] == 0xd && r.before[QDH_V3_CR0ACK] == 0xd &&
	       r.before[QDH_V3_GBPA] == 0 &&
	       r.before[QDH_V3_STRTAB_BASE] == s->strtab &&
	       r.before[QDH_V3_STRTAB_BASE_CFG] == 0x10010 &&
	       r.before[QDH_V3_IDR0] == 0x0c0ccaff,
	       "v3 snapshot: CR0, CR0ACK, GBPA, STRTAB_BASE (64-bit), _CFG, IDR0");
	tap_ok(!memcmp(r.before, r.after, sizeof(r.before)), "v3 enabled: after == before");
	tap_is_int(s->gbpa_writes, 0, "v3 enabled: GBPA not written");
	tap_is_int(m.stray, 0, "v3: no stray access");

	/* Disabled, bypassing, active devices, policy on: GBPA.ABORT. */
	s = fresh_v3();
	s->gbpa = 0x1000;		/* SHCFG = use incoming: must be kept */
	s->update_after = 3;
	purg_check_iommu(&io, &d, QDH_PURG_P_BLOCK_BYPASS, 1000, &r);
	tap_is_int(r.action, QDH_PURG_GBPA_ABORT, "v3 bypass + active: gbpa-abort");
	tap_is_int(s->gbpa_writes, 1, "GBPA written once");
	tap_is_int(s->gbpa_written, 0x1000 | SMMU_V3_GBPA_ABORT | SMMU_V3_GBPA_UPDATE,
		   "written with ABORT|UPDATE, other fields kept");
	tap_is_int(s->violations, 0, "update protocol respected");
	tap_is_int(r.before[QDH_V3_GBPA], 0x1000, "before: GBPA as found");
	tap_is_int(r.after[QDH_V3_GBPA], 0x101000, "after: ABORT set, UPDATE clear");
	tap_is_int(s->gbpa & SMMU_V3_GBPA_UPDATE, 0, "model saw the update complete");

	/* A previous update still running: wait for it first. */
	s = fresh_v3();
	s->gbpa = SMMU_V3_GBPA_UPDATE;
	s->pending = 5;
	purg_check_iommu(&io, &d, QDH_PURG_P_BLOCK_BYPASS, 1000, &r);
	tap_is_int(r.action, QDH_PURG_GBPA_ABORT, "pending update waited for, then abort");
	tap_is_int(s->violations, 0, "no write while UPDATE was 1");

	/* A previous update that never completes: timeout, no write at all. */
	s = fresh_v3();
	s->gbpa = SMMU_V3_GBPA_UPDATE;
	s->pending = MODEL_NEVER;
	purg_check_iommu(&io, &d, QDH_PURG_P_BLOCK_BYPASS, 200, &r);
	tap_is_int(r.action, QDH_PURG_TIMEOUT, "stuck prior update: timeout");
	tap_is_int(s->gbpa_writes, 0, "stuck prior update: GBPA never written");
	tap_ok(m.clock >= 200 && m.clock < 400, "stuck prior update: bounded by timeout_us (clock %llu)",
	       (unsigned long long)m.clock);

	/* Our update never completes: timeout recorded, after shows UPDATE. */
	s = fresh_v3();
	s->update_after = MODEL_NEVER;
	purg_check_iommu(&io, &d, QDH_PURG_P_BLOCK_BYPASS, 300, &r);
	tap_is_int(r.action, QDH_PURG_TIMEOUT, "update never completes: timeout");
	tap_is_int(s->gbpa_writes, 1, "one write attempted");
	tap_ok((r.after[QDH_V3_GBPA] & SMMU_V3_GBPA_UPDATE) != 0, "after: UPDATE still set");
	tap_ok(m.clock >= 300 && m.clock < 700, "bounded by timeout_us (clock %llu)",
	       (unsigned long long)m.clock);

	/* timeout_us 0 means the documented default. */
	s = fresh_v3();
	s->update_after = MODEL_NEVER;
	purg_check_iommu(&io, &d, QDH_PURG_P_BLOCK_BYPASS, 0, &r);
	tap_ok(r.action == QDH_PURG_TIMEOUT && m.clock >= PURG_DEFAULT_TIMEOUT_US &&
	       m.clock < 3 * PURG_DEFAULT_TIMEOUT_US, "timeout_us 0: default bound");

	/* Counter frequency unknown: a poll count bounds the wait. */
	s = fresh_v3();
	io.freq = 0;
	s->update_after = MODEL_NEVER;
	purg_check_iommu(&io, &d, QDH_PURG_P_BLOCK_BYPASS, 50, &r);
	tap_is_int(r.action, QDH_PURG_TIMEOUT, "CNTFRQ 0: still times out");
	tap_ok(s->gbpa_reads <= (int)(2 * (50 * PURG_POLLS_PER_US + 1) + 4),
	       "CNTFRQ 0: poll count bounded (%d reads)", s->gbpa_reads);
	s = fresh_v3();
	io.freq = 0;
	s->update_after = 2;
	purg_check_iommu(&io, &d, QDH_PURG_P_BLOCK_BYPASS, 50, &r);
	tap_is_int(r.action, QDH_PURG_GBPA_ABORT, "CNTFRQ 0: update completes");

	/* CR0 written but not yet acknowledged: CR0ACK decides. */
	s = fresh_v3();
	s->cr0 = 0; s->cr0ack = 1;
	purg_check_iommu(&io, &d, QDH_PURG_P_BLOCK_BYPASS, 100, &r);
	tap_is_int(r.action, QDH_PURG_OBSERVED, "CR0ACK.SMMUEN=1 (disable pending): observed");
	s = fresh_v3();
	s->cr0 = 1; s->cr0ack = 0;
	purg_check_iommu(&io, &d, QDH_PURG_P_BLOCK_BYPASS, 100, &r);
	tap_is_int(r.action, QDH_PURG_GBPA_ABORT, "CR0ACK.SMMUEN=0 (enable pending): abort");
}

/* Every policy flag combination x device activity x SMMUv3 state. */
static void v3_matrix(void)
{
	int bad = 0, n = 0;

	for (uint32_t pf = 0; pf <= ALLF; pf++) {
		for (int active = 0; active < 2; active++) {
			for (int state = 0; state < 3; state++) {
				struct purg_iommu_desc d = desc(QDH_IOMMU_SMMUV3, V3_BASE,
					active ? QDH_IOMMU_F_HAS_ACTIVE : 0);
				struct purg_iommu_result r;
				struct v3_model *s = fresh_v3();
				int want_abort;
				uint8_t want;

				if (state == 0)		/* enabled */
					s->cr0 = s->cr0ack = 0xd;
				else if (state == 2)	/* disabled, aborting */
					s->gbpa = SMMU_V3_GBPA_ABORT;
				want_abort = (pf & QDH_PURG_P_BLOCK_BYPASS) && active &&
					     state == 1;
				want = want_abort ? QDH_PURG_GBPA_ABORT : QDH_PURG_OBSERVED;
				purg_check_iommu(&io, &d, pf, 100, &r);
				n++;
				if (r.action != want || s->gbpa_writes != want_abort ||
				    m.stray || s->violations ||
				    ((r.after[QDH_V3_GBPA] & SMMU_V3_GBPA_ABORT) != 0) !=
				    (want_abort || state == 2)) {
					bad++;
					printf("# flags %#x active %d state %d: action %d\n",
					       pf, active, state, r.action);
				}
			}
		}
	}
	tap_ok(!bad, "v3: %d policy/state combinations as specified", n);
}

static void v2_cases(void)
{
	struct purg_iommu_desc d = desc(QDH_IOMMU_SMMUV2, V2_BASE, QDH_IOMMU_F_HAS_ACTIVE);
	struct purg_iommu_result r;
	struct v2_model *s;
	int i, ok;

	/* Bypass, policy on: all S2CRs fault, then USFCFG=1, CLIENTPD=0. */
	s = fresh_v2();
	s->scr0 = SMMU_V2_SCR0_CLIENTPD | 0x6;	/* GFRE|GFIE kept */
	s->sgfsr = 0x2;
	s->idr0 = SMMU_V2_IDR0_SMS | 48;	/* 48 stream match groups */
	s->idr1 = 0x12345;
	for (i = 0; i < 256; i++)
		s->s2cr[i] = 0x10000;		/* bypass left by the old kernel */
	purg_check_iommu(&io, &d, QDH_PURG_P_V2_FAULT, 100, &r);
	tap_is_int(r.action, QDH_PURG_FAULT_STREAMS, "v2 bypass + V2_FAULT: fault-streams");
	tap_is_int(s->scr0, (0x6 | SMMU_V2_SCR0_USFCFG), "sCR0: USFCFG=1, CLIENTPD=0, rest kept");
	ok = 1;
	for (i = 0; i < 256; i++)
		ok &= s->s2cr[i] == (i < 48 ? SMMU_V2_S2CR_TYPE_FAULT : 0x10000u);
	tap_ok(ok && s->s2cr_writes == 48, "exactly NUMSMRG S2CRs set to TYPE fault");
	tap_ok(s->last_s2cr_seq < s->scr0_seq && s->scr0_writes == 1,
	       "S2CRs written before CLIENTPD is cleared");
	tap_ok(r.before[QDH_V2_SCR0] == (SMMU_V2_SCR0_CLIENTPD | 0x6) &&
	       r.before[QDH_V2_SGFSR] == 2 && r.before[QDH_V2_IDR0] == s->idr0 &&
	       r.before[QDH_V2_IDR1] == 0x12345 && !r.before[4] && !r.before[5],
	       "v2 snapshot: sCR0, sGFSR, IDR0, IDR1, unused slots zero");
	tap_is_int(r.after[QDH_V2_SCR0], 0x6 | SMMU_V2_SCR0_USFCFG, "after: sCR0 as left");
	tap_is_int(m.stray, 0, "v2: no stray access");

	/* Stream indexing (SMS=0): 2^NUMSIDB S2CRs. */
	s = fresh_v2();
	s->scr0 = SMMU_V2_SCR0_CLIENTPD;
	s->idr0 = 4u << 9;
	purg_check_iommu(&io, &d, QDH_PURG_P_V2_FAULT, 100, &r);
	tap_is_int(s->s2cr_writes, 16, "stream indexing: 2^NUMSIDB S2CRs");

	/* Absurd counts are capped at the architectural maximum. */
	s = fresh_v2();
	s->scr0 = SMMU_V2_SCR0_CLIENTPD;
	s->idr0 = SMMU_V2_IDR0_SMS | 255;
	purg_check_iommu(&io, &d, QDH_PURG_P_V2_FAULT, 100, &r);
	tap_is_int(s->s2cr_writes, SMMU_V2_MAX_S2CR, "NUMSMRG capped at 128");
	s = fresh_v2();
	s->scr0 = SMMU_V2_SCR0_CLIENTPD;
	s->idr0 = 15u << 9;
	purg_check_iommu(&io, &d, QDH_PURG_P_V2_FAULT, 100, &r);
	tap_is_int(s->s2cr_writes, SMMU_V2_MAX_S2CR, "2^NUMSIDB capped at 128");

	/* Matrix: flags x CLIENTPD. */
	{
		int bad = 0, n = 0;

		for (uint32_t pf = 0; pf <= ALLF; pf++) {
			for (int pd = 0; pd < 2; pd++) {
				int want_fault = pd && (pf & QDH_PURG_P_V2_FAULT);

				s = fresh_v2();
				s->scr0 = pd ? SMMU_V2_SCR0_CLIENTPD : 0;
				s->idr0 = SMMU_V2_IDR0_SMS | 4;
				purg_check_iommu(&io, &d, pf, 100, &r);
				n++;
				if (r.action != (want_fault ? QDH_PURG_FAULT_STREAMS
							    : QDH_PURG_OBSERVED) ||
				    s->scr0_writes != want_fault ||
				    s->s2cr_writes != (want_fault ? 4 : 0) || m.stray)
					bad++;
			}
		}
		tap_ok(!bad, "v2: %d policy/CLIENTPD combinations as specified", n);
	}
}

static void skip_cases(void)
{
	struct purg_iommu_result r;
	struct purg_iommu_desc d;
	static const int types[] = { QDH_IOMMU_UNKNOWN, QDH_IOMMU_VTD, QDH_IOMMU_AMDVI, 9 };

	for (int i = 0; i < 4; i++) {
		fresh_v3();
		d = desc(types[i], V3_BASE, QDH_IOMMU_F_HAS_ACTIVE);
		purg_check_iommu(&io, &d, ALLF, 100, &r);
		tap_ok(r.action == QDH_PURG_SKIPPED && m.accesses == 0 &&
		       !r.before[0] && !r.after[0], "type %d: skipped, not touched", types[i]);
	}
	fresh_v3();
	d = desc(QDH_IOMMU_SMMUV3, 0, QDH_IOMMU_F_HAS_ACTIVE);
	purg_check_iommu(&io, &d, ALLF, 100, &r);
	tap_ok(r.action == QDH_PURG_SKIPPED && m.accesses == 0, "base 0: skipped");
	d = desc(QDH_IOMMU_SMMUV3, V3_BASE + 0x80, QDH_IOMMU_F_HAS_ACTIVE);
	purg_check_iommu(&io, &d, ALLF, 100, &r);
	tap_ok(r.action == QDH_PURG_SKIPPED && m.accesses == 0, "unaligned base: skipped");
	d = desc(QDH_IOMMU_SMMUV3, V3_BASE, QDH_IOMMU_F_HAS_ACTIVE);
	d.size = 0x40;
	purg_check_iommu(&io, &d, ALLF, 100, &r);
	tap_ok(r.action == QDH_PURG_SKIPPED && m.accesses == 0, "v3 frame too small: skipped");
	d = desc(QDH_IOMMU_SMMUV2, V3_BASE, QDH_IOMMU_F_HAS_ACTIVE);
	d.size = 0x800;
	purg_check_iommu(&io, &d, ALLF, 100, &r);
	tap_ok(r.action == QDH_PURG_SKIPPED && m.accesses == 0, "v2 frame too small: skipped");
	d = desc(QDH_IOMMU_SMMUV2, 0xfffffffffffff000ull, QDH_IOMMU_F_HAS_ACTIVE);
	d.size = 0;
	purg_check_iommu(&io, &d, ALLF, 100, &r);
	tap_ok(r.action == QDH_PURG_SKIPPED && m.accesses == 0, "frame wrapping the address space: skipped");
	d = desc(QDH_IOMMU_SMMUV3, V3_BASE, QDH_IOMMU_F_HAS_ACTIVE);
	d.size = 0;
	purg_check_iommu(&io, &d, 0, 100, &r);
	tap_is_int(r.action, QDH_PURG_OBSERVED, "size 0 (unknown): trusted");
}

int main(void)
{
	v3_cases();
	v3_matrix();
	v2_cases();
	skip_cases();
	return tap_done();
}
