// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory's main path on the host: segment verification, the record
 * written into every blob copy (registers, action, flags, time, checksum),
 * corrupt copies left alone, and the progress-line formatter.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "qdh/names.h"
#include "models.h"
#include "blob-fixture.h"
#include "purg.h"
#include "qdh/codec.h"

#define RH(f)	offsetof(struct qdh_record_header, f)
#define RE(f)	offsetof(struct qdh_record_iommu, f)

static struct machine m;
static struct purg_io io;

static const struct fixture_iommu two[] = {
	{ 0x09050000, 0x20000, QDH_IOMMU_SMMUV3, QDH_IOMMU_F_HAS_ACTIVE, "smmu3.0x0000000009050000" },
	{ 0x2b400000, 0x10000, QDH_IOMMU_SMMUV2, QDH_IOMMU_F_HAS_ACTIVE, "arm-smmu.0" },
};

static uint8_t seg[3][5000];

static void setup_segments(struct qdh_purgatory_params *p)
{
	static const size_t lens[3] = { 5000, 64, 1 };

	for (int i = 0; i < 3; i++) {
		for (size_t k = 0; k < sizeof(seg[i]); k++)
			seg[i][k] = (uint8_t)(k * 7 + i);
		p->segments[i].mem = (uint64_t)(uintptr_t)seg[i];
		p->segments[i].len = lens[i];
		qdh_sha256(seg[i], lens[i], p->segments[i].sha256);
	}
	p->nsegments = 3;
}

static void verify_tests(void)
{
	struct qdh_purgatory_params p;
	uint32_t bad = 99;

	memset(&p, 0, sizeof(p));
	setup_segments(&p);
	tap_is_int(purg_verify_segments(&p, NULL, &bad), QDH_REC_F_DIGEST_OK,
		   "3 good segments: digest ok");
	tap_is_int(bad, 0, "bad_segment 0 when ok");
	seg[1][10] ^= 1;
	tap_is_int(purg_verify_segments(&p, qdh_sha256_blocks_generic, &bad),
		   QDH_REC_F_DIGEST_BAD, "flipped bit: digest bad");
	tap_is_int(bad, 1, "first bad segment reported");
	seg[1][10] ^= 1;
	seg[2][1] ^= 1;		/* outside segment 2's length: not hashed */
	tap_is_int(purg_verify_segments(&p, NULL, &bad), QDH_REC_F_DIGEST_OK,
		   "bytes past len are not covered");
	p.nsegments = QDH_PURGATORY_MAX_SEGMENTS + 1;
	tap_ok(purg_verify_segments(&p, NULL, &bad) == QDH_REC_F_DIGEST_BAD &&
	       bad == QDH_PURGATORY_MAX_SEGMENTS, "absurd nsegments: bad, index = max");
	p.nsegments = 0;
	tap_is_int(purg_verify_segments(&p, NULL, &bad), QDH_REC_F_DIGEST_OK,
		   "no segments: ok");
}

static void fresh_machine(void)
{
	memset(&m, 0, sizeof(m));
	machine_io(&m, &io, 62500000);
	machine_add_v3(&m, two[0].base);		/* disabled, GBPA 0: bypass */
	machine_add_v2(&m, two[1].base)->scr0 = SMMU_V2_SCR0_CLIENTPD;
	m.f[1].v2.idr0 = SMMU_V2_IDR0_SMS | 8;
}

static void run_tests(void)
{
	/* Copy 1 sits at a 4-byte (not 8) aligned address, like a DT property. */
	static uint8_t area[2][4096] __attribute__((aligned(8)));
	uint8_t *b0 = area[0], *b1 = area[1] + 4, *pristine;
	struct qdh_purgatory_params p;
	struct purg_run run;
	size_t len, ro;
	const uint8_t *r, *e;
	int ok;

	len = fixture_blob(b0, 4000, two, 2);
	memcpy(b1, b0, len);
	memset(&p, 0, sizeof(p));
	p.magic = QDH_PURGATORY_MAGIC;
	p.version = QDH_PURGATORY_VERSION;
	p.blob[0] = (uint64_t)(uintptr_t)b0;
	p.blob[1] = (uint64_t)(uintptr_t)b1;
	p.blob_size = (uint32_t)len;
	p.flags = QDH_PURG_P_VERIFY | QDH_PURG_P_BLOCK_BYPASS | QDH_PURG_P_V2_FAULT;
	p.timeout_us = 1000;

	fresh_machine();
	m.clock = 1000;
	run.rec_flags = QDH_REC_F_DIGEST_OK;
	run.bad_segment = 0;
	run.t0 = 400;
	purg_run_blobs(&io, &p, &run);
	tap_ok(run.first == 0 && run.nsealed == 2, "both copies validated and sealed");
	tap_is_int(m.f[0].v3.gbpa_writes, 1, "SMMUv3 acted on once, not once per copy");
	tap_is_int(m.f[1].v2.scr0_writes, 1, "SMMUv2 acted on once");
	tap_is_int(m.stray, 0, "no stray register access");
	ro = fixture_record_offset(b0);
	tap_ok(!memcmp(b0 + ro, b1 + ro, len - ro), "both copies carry the same record");
	tap_ok(fixture_record_crc_ok(b0) && fixture_record_crc_ok(b1),
	       "record crc32 valid in both copies (zlib reference)");
	r = b0 + ro;
	tap_is_int(qdh_le32(r + RH(flags)), QDH_REC_F_PURGATORY_RAN | QDH_REC_F_DIGEST_OK,
		   "record flags: ran, digest ok");
	tap_is_int(qdh_le32(r + RH(bad_segment)), 0, "bad_segment 0");
	tap_is_int(qdh_le64(r + RH(freq)), 62500000, "freq = counter frequency");
	tap_ok(qdh_le64(r + RH(ticks)) > 600 && qdh_le64(r + RH(ticks)) < 100000,
	       "ticks = now - t0 (%llu)", (unsigned long long)qdh_le64(r + RH(ticks)));
	e = r + QDH_RECORD_HEADER_SIZE_V1_0;
	tap_ok(qdh_le16(e + RE(iommu)) == 0 && e[RE(action)] == QDH_PURG_GBPA_ABORT &&
	       qdh_le64(e + RE(before) + 8 * QDH_V3_GBPA) == 0 &&
	       qdh_le64(e + RE(after) + 8 * QDH_V3_GBPA) == SMMU_V3_GBPA_ABORT,
	       "entry 0: SMMUv3 gbpa-abort, GBPA 0 -> ABORT");
	e += sizeof(struct qdh_record_iommu);
	tap_ok(qdh_le16(e + RE(iommu)) == 1 && e[RE(action)] == QDH_PURG_FAULT_STREAMS &&
	       qdh_le64(e + RE(before) + 8 * QDH_V2_SCR0) == SMMU_V2_SCR0_CLIENTPD &&
	       qdh_le64(e + RE(after) + 8 * QDH_V2_SCR0) == SMMU_V2_SCR0_USFCFG &&
	       !e[RE(reserved)] && !qdh_le32(e + RE(reserved2)),
	       "entry 1: SMMUv2 fault-streams, sCR0 CLIENTPD -> USFCFG");
	tap_ok(!memcmp(b0, b1, ro), "checked area untouched");
	{
		struct qdh_view v;

		tap_is_int(qdh_check(&v, b0, len), 0, "codec accepts the sealed copy");
		tap_is_int(qdh_check(&v, b1, len), 0, "codec accepts the unaligned copy");
	}

	/* Digest bad: flags and index land in the record. */
	len = fixture_blob(b0, 4000, two, 2);
	p.blob[1] = 0;
	fresh_machine();
	run.rec_flags = QDH_REC_F_DIGEST_BAD;
	run.bad_segment = 2;
	purg_run_blobs(&io, &p, &run);
	r = b0 + ro;
	tap_ok(qdh_le32(r + RH(flags)) == (QDH_REC_F_PURGATORY_RAN | QDH_REC_F_DIGEST_BAD) &&
	       qdh_le32(r + RH(bad_segment)) == 2 && run.nsealed == 1,
	       "digest bad: flags and bad_segment recorded");

	/* Skipped verification. */
	len = fixture_blob(b0, 4000, two, 2);
	fresh_machine();
	run.rec_flags = QDH_REC_F_DIGEST_SKIPPED;
	run.bad_segment = 7;	/* ignored without DIGEST_BAD */
	purg_run_blobs(&io, &p, &run);
	tap_ok(qdh_le32(r + RH(flags)) == (QDH_REC_F_PURGATORY_RAN | QDH_REC_F_DIGEST_SKIPPED) &&
	       qdh_le32(r + RH(bad_segment)) == 0, "verify skipped: flag, bad_segment 0");

	/* A corrupt first copy is left alone; the second one gets the record. */
	len = fixture_blob(b0, 4000, two, 2);
	memcpy(b1, b0, len);
	b0[200] ^= 0xff;
	pristine = malloc(len);
	memcpy(pristine, b0, len);
	p.blob[1] = (uint64_t)(uintptr_t)b1;
	fresh_machine();
	run.rec_flags = QDH_REC_F_DIGEST_OK;
	purg_run_blobs(&io, &p, &run);
	tap_ok(run.first == 1 && run.nsealed == 1 && !memcmp(b0, pristine, len),
	       "corrupt copy untouched, valid copy sealed");
	tap_is_int(b1[ro + QDH_RECORD_HEADER_SIZE_V1_0 + RE(action)],
		   QDH_PURG_GBPA_ABORT, "valid second copy has the checks");
	free(pristine);

	/* Truncated blob_size: no copy validates, nothing written. */
	len = fixture_blob(b0, 4000, two, 2);
	memcpy(b1, b0, len);
	p.blob_size = (uint32_t)len - 1;
	fresh_machine();
	purg_run_blobs(&io, &p, &run);
	tap_ok(run.first == -1 && run.nsealed == 0 && m.accesses == 0,
	       "blob_size too small: nothing checked or written");
	p.blob_size = (uint32_t)len;

	/* Copies with different IOMMU tables are each checked. */
	{
		static const struct fixture_iommu one[] = {
			{ 0x09050000, 0x20000, QDH_IOMMU_SMMUV3, QDH_IOMMU_F_HAS_ACTIVE, "s" },
		};
		size_t len1;

		len = fixture_blob(b0, 4000, two, 2);
		len1 = fixture_blob(b1, 4000, one, 1);
		p.blob_size = (uint32_t)(len > len1 ? len : len1);
		fresh_machine();
		purg_run_blobs(&io, &p, &run);
		ok = run.nsealed == 2 && fixture_record_crc_ok(b1);
		/* The second look finds the SMMU already aborting. */
		e = b1 + fixture_record_offset(b1) + QDH_RECORD_HEADER_SIZE_V1_0;
		tap_ok(ok && e[RE(action)] == QDH_PURG_OBSERVED &&
		       m.f[0].v3.gbpa_writes == 1,
		       "different tables: re-checked, second look observes ABORT");
	}
	/* No blob at all. */
	memset(p.blob, 0, sizeof(p.blob));
	fresh_machine();
	purg_run_blobs(&io, &p, &run);
	tap_ok(run.first == -1 && run.nsealed == 0, "no blob: nothing to do");
}

static void fmt_tests(void)
{
	struct purg_line l;
	struct purg_iommu_desc d = { 0x9050000, 0x20000, QDH_IOMMU_SMMUV3, 0 };
	struct purg_iommu_result r = { .action = QDH_PURG_OBSERVED };

	purg_line_init(&l);
	purg_line_hex(&l, 0);
	purg_line_str(&l, " ");
	purg_line_hex(&l, 0xd);
	purg_line_str(&l, " ");
	purg_line_hex(&l, 0xffffffffffffffffull);
	purg_line_str(&l, " ");
	purg_line_dec(&l, 0);
	purg_line_str(&l, " ");
	purg_line_dec(&l, 18446744073709551615ull);
	tap_is_str(l.buf, "0x0 0xd 0xffffffffffffffff 0 18446744073709551615", "hex and dec");
	purg_line_init(&l);
	r.before[QDH_V3_CR0] = 0xd;
	r.after[QDH_V3_CR0] = 0xd;
	purg_line_iommu(&l, &d, &r);
	tap_is_str(l.buf, "smmu 0x9050000 CR0=0xd GBPA=0x0 observed", "SMMUv3 line");
	purg_line_init(&l);
	r.action = QDH_PURG_GBPA_ABORT;
	r.after[QDH_V3_GBPA] = SMMU_V3_GBPA_ABORT;
	r.before[QDH_V3_CR0] = 0;
	purg_line_iommu(&l, &d, &r);
	tap_is_str(l.buf, "smmu 0x9050000 CR0=0x0 GBPA=0x0->0x100000 gbpa-abort",
		   "SMMUv3 abort line");
	purg_line_init(&l);
	r.after[QDH_V3_GBPA] = 0;
	purg_line_iommu(&l, &d, &r);
	tap_is_str(l.buf, "smmu 0x9050000 CR0=0x0 GBPA=0x0 gbpa-abort (not taken by the SMMU)",
		   "SMMUv3 abort that did not stick");
	purg_line_init(&l);
	for (int i = 0; i < 100; i++)
		purg_line_str(&l, "abcdefgh");
	tap_ok(l.len == PURG_LINE_MAX - 1 && strlen(l.buf) == l.len, "line truncates safely");
	tap_is_str(qdh_purgatory_action_name(QDH_PURG_TIMEOUT), "timeout",
		   "action names: the codec's table");
	tap_is_str(qdh_purgatory_action_name(200), "invalid", "unknown action name");
}

int main(void)
{
	verify_tests();
	run_tests();
	fmt_tests();
	return tap_done();
}
