// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The handover record through the codec's typed accessors: what a fresh
 * blob carries (zeroed, one entry per IOMMU, the stream table preset,
 * sealed), filling it as purgatory does (qdh_check_body(), qdh_record_put*,
 * qdh_record_seal()), reading it back, the run time in microseconds, and
 * the error text table.
 */
#include <stddef.h>
#include "tap.h"
#include "testlib.h"

#define RH(f) offsetof(struct qdh_record_header, f)

static void test_elapsed(void)
{
	struct qdh_record_info r = { 0 };
	uint64_t us = 7;

	tap_is_int(qdh_record_elapsed_us(&r, &us), -QDH_E_INVAL, "elapsed: unknown frequency");
	tap_is_int(us, 7, "  leaves the result alone");
	r.ticks = 1562500;
	r.freq = 62500000;
	tap_ok(!qdh_record_elapsed_us(&r, &us) && us == 25000,
	       "1,562,500 ticks at 62.5 MHz: 25,000 us (%llu)", (unsigned long long)us);
	r.ticks = 62500000ull * 3 + 62499999;
	tap_ok(!qdh_record_elapsed_us(&r, &us) && us == 3999999,
	       "3.999999984 s: 3,999,999 us, rounded down (%llu)", (unsigned long long)us);
	r.ticks = UINT64_MAX;
	r.freq = 1;
	tap_ok(!qdh_record_elapsed_us(&r, &us) && us == UINT64_MAX, "overflow saturates");
	r.ticks = UINT64_MAX - 1;
	r.freq = UINT64_MAX;
	tap_is_int(qdh_record_elapsed_us(&r, &us), 0, "an absurd frequency:");
	tap_is_int(us, 999999, "  under a second, no overflow");
}

int main(void)
{
	struct inv inv;
	struct qdh_record_info ri;
	struct qdh_record_iommu_info e;
	struct qdh_record_stream_info si;
	uint8_t *blob;
	size_t len;
	struct qdh_view v;
	uint32_t main_crc, bad = 0, ns;
	int ret;

	inv_random(&inv, 77, 40, 3);
	for (uint32_t i = 0; i < inv.ni; i++)	/* streams need an SMMUv3 */
		inv.iommus[i].type = QDH_IOMMU_SMMUV3;
	tap_is_int(inv_build(&inv, &blob, &len, 9, QDH_F_CRASH | QDH_F_BLOCK_BYPASS), 0,
		   "build a blob with %u IOMMUs", inv.ni);
	tap_is_int(qdh_check_body(&v, blob, len), 0, "purgatory's first step: qdh_check_body accepts it");
	qdh_record_get(&v, &ri);
	ns = ri.nstreams;
	tap_ok(ns > 0 && ri.streams_omitted == 0, "the stream table lists %u streams", ns);
	tap_ok(qdh_le32(blob + v.checked_size + RH(magic)) == QDH_RECORD_MAGIC &&
	       v.rec_header_size == 48 + 8 * ns && v.rec_entry_size == 104 &&
	       ri.nentries == inv.ni && ri.flags == 0 && ri.ticks == 0 && ri.freq == 0,
	       "fresh record at checked_size: magic, sizes, one entry per IOMMU, no flags");
	tap_is_int(v.size - v.checked_size, 48 + 8 * ns + 104 * inv.ni,
		   "record area is 48 + 8 * streams + 104 * IOMMUs bytes");
	for (uint32_t i = 0; i < inv.ni; i++)
		if (qdh_record_get_iommu(&v, i, &e) || e.iommu != i || e.action)
			bad++;
	tap_is_int(bad, 0, "entry i names IOMMU i, action none");
	tap_is_int(qdh_record_get_iommu(&v, inv.ni, &e), -QDH_E_INVAL, "entry past the last: refused");
	tap_is_int(qdh_record_get_stream(&v, ns, &si), -QDH_E_INVAL, "stream past the last: refused");

	/* Fill as purgatory does. */
	main_crc = qdh_le32(blob + 20);
	ri.flags = QDH_REC_F_PURGATORY_RAN | QDH_REC_F_DIGEST_OK;
	ri.ticks = 123456;
	ri.freq = 62500000;
	ri.nentries = 0;	/* layout fields are not written */
	qdh_record_put(&v, blob, &ri);
	for (uint32_t i = 0; i < inv.ni; i++) {
		e.iommu = 0xffff;	/* kept as i whatever the caller says */
		e.action = (uint8_t)(i % (QDH_PURG_ACTION_MAX + 1));
		for (int k = 0; k < QDH_RECORD_NREGS; k++) {
			e.before[k] = 0x1000u * i + k;
			e.after[k] = 0x2000u * i + k;
		}
		qdh_record_put_iommu(&v, blob, i, &e);
	}
	for (uint32_t i = 0; i < ns; i++)
		qdh_record_put_ste(&v, blob, i, (uint8_t)(i % (QDH_STE_MAX + 1)));
	tap_is_int(qdh_record_put_ste(&v, blob, 0, QDH_STE_MAX + 1), -QDH_E_INVAL,
		   "put_ste refuses an unknown state");
	tap_is_int(qdh_record_put_ste(&v, blob, ns, QDH_STE_ABORT), -QDH_E_INVAL,
		   "put_ste refuses a stream past the last");
	ret = qdh_check(&v, blob, len);
	tap_is_int(ret, -QDH_E_RECORD_CHECKSUM, "filled but not sealed: record crc32 mismatch");
	tap_is_int(v.err_offset, v.checked_size + 12, "  reported at the record's crc32 field");
	tap_is_int(qdh_check_body(&v, blob, len), 0, "  qdh_check_body ignores the record crc32");
	qdh_record_seal(&v, blob);
	tap_is_int(qdh_check(&v, blob, len), 0, "sealed: qdh_check accepts the blob");
	tap_is_int(qdh_le32(blob + 20), main_crc, "  the main crc32 did not change");
	qdh_record_get(&v, &ri);
	tap_ok(ri.flags == (QDH_REC_F_PURGATORY_RAN | QDH_REC_F_DIGEST_OK) &&
	       ri.ticks == 123456 && ri.freq == 62500000 && ri.nentries == inv.ni &&
	       ri.nstreams == ns, "  the header reads back");
	bad = 0;
	for (uint32_t i = 0; i < inv.ni; i++)
		bad += qdh_record_get_iommu(&v, i, &e) || e.iommu != i ||
		       e.action != i % (QDH_PURG_ACTION_MAX + 1) ||
		       e.before[5] != 0x1000u * i + 5 || e.after[0] != 0x2000u * i;
	for (uint32_t i = 0; i < ns; i++)
		bad += qdh_record_get_stream(&v, i, &si) || si.ste != i % (QDH_STE_MAX + 1);
	tap_is_int(bad, 0, "  every entry and stream reads back");
	blob[100] ^= 1;
	tap_is_int(qdh_check(&v, blob, len), -QDH_E_CHECKSUM, "a sealed record does not hide a checked-area change");
	blob[100] ^= 1;
	blob[qdh_le32(blob + 16) + RH(ticks)] ^= 1;
	tap_is_int(qdh_check(&v, blob, len), -QDH_E_RECORD_CHECKSUM, "a changed tick count after sealing is caught");
	test_elapsed();

	/* strerror table */
	bad = 0;
	for (int err = 0; err < QDH_E__COUNT; err++) {
		const char *s = qdh_strerror(-err);

		if (!s || !strcmp(s, "unknown error") || strcmp(s, qdh_strerror(err)))
			bad++;
		for (int f = 0; f < err; f++)
			if (!strcmp(s, qdh_strerror(f)))
				bad++;
	}
	tap_is_int(bad, 0, "every error code has its own text, for err and -err");
	tap_is_str(qdh_strerror(QDH_E__COUNT), "unknown error", "codes past the table: \"unknown error\"");
	tap_is_str(qdh_strerror(-1000), "unknown error", "  also negative ones");
	free(blob);
	inv_free(&inv);
	return tap_done();
}
