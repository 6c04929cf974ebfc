// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory side: the record a fresh blob carries (zeroed, one entry
 * per IOMMU, sealed), filling it through qdh_record_header/entry with the
 * LE helpers, qdh_check_body() before sealing, qdh_record_seal(), and the
 * error text table.
 */
#include <stddef.h>
#include "tap.h"
#include "testlib.h"

#define RH(f) offsetof(struct qdh_record_header, f)
#define RE(f) offsetof(struct qdh_record_iommu, f)

int main(void)
{
	struct inv inv;
	uint8_t *blob, *rh, *re;
	size_t len;
	struct qdh_view v;
	uint32_t main_crc, bad = 0;
	int ret;

	inv_random(&inv, 77, 40, 3);
	tap_is_int(inv_build(&inv, &blob, &len, 9, QDH_F_CRASH | QDH_F_BLOCK_BYPASS), 0,
		   "build a blob with %u IOMMUs", inv.ni);
	tap_is_int(qdh_check_body(&v, blob, len), 0, "purgatory's first step: qdh_check_body accepts it");
	rh = (uint8_t *)qdh_record_header(&v, blob);
	tap_ok(rh == blob + v.checked_size, "record header sits at checked_size");
	tap_ok(qdh_le32(rh + RH(magic)) == QDH_RECORD_MAGIC && qdh_le16(rh + RH(header_size)) == 40 &&
	       qdh_le16(rh + RH(entry_size)) == 104 && qdh_le32(rh + RH(nentries)) == inv.ni &&
	       qdh_le32(rh + RH(flags)) == 0 && qdh_le64(rh + RH(ticks)) == 0,
	       "fresh record: magic, sizes, one entry per IOMMU, no flags");
	tap_is_int(v.size - v.checked_size, 40 + 104 * inv.ni, "record area is 40 + 104 * IOMMUs bytes");
	for (uint32_t i = 0; i < inv.ni; i++) {
		re = (uint8_t *)qdh_record_entry(&v, blob, i);
		if (re != rh + 40 + 104 * i || qdh_le16(re + RE(iommu)) != i || re[RE(action)])
			bad++;
	}
	tap_is_int(bad, 0, "entry i is at 40 + 104 i and names IOMMU i");
	tap_ok(qdh_record_entry(&v, blob, inv.ni) == NULL, "entry past the last: NULL");

	/* Fill as purgatory does. */
	main_crc = qdh_le32(blob + 20);
	qdh_put_le32(rh + RH(flags), QDH_REC_F_PURGATORY_RAN | QDH_REC_F_DIGEST_OK);
	qdh_put_le64(rh + RH(ticks), 123456);
	qdh_put_le64(rh + RH(freq), 62500000);
	for (uint32_t i = 0; i < inv.ni; i++) {
		re = (uint8_t *)qdh_record_entry(&v, blob, i);
		re[RE(action)] = (uint8_t)(i % (QDH_PURG_ACTION_MAX + 1));
		for (int k = 0; k < QDH_RECORD_NREGS; k++) {
			qdh_put_le64(re + RE(before) + 8 * k, 0x1000u * i + k);
			qdh_put_le64(re + RE(after) + 8 * k, 0x2000u * i + k);
		}
	}
	ret = qdh_check(&v, blob, len);
	tap_is_int(ret, -QDH_E_RECORD_CHECKSUM, "filled but not sealed: record crc32 mismatch");
	tap_is_int(v.err_offset, (size_t)(rh - blob) + 12, "  reported at the record's crc32 field");
	tap_is_int(qdh_check_body(&v, blob, len), 0, "  qdh_check_body ignores the record crc32");
	qdh_record_seal(&v, blob);
	tap_is_int(qdh_check(&v, blob, len), 0, "sealed: qdh_check accepts the blob");
	tap_is_int(qdh_le32(blob + 20), main_crc, "  the main crc32 did not change");
	tap_ok(qdh_le64(rh + RH(freq)) == 62500000 &&
	       qdh_le64((uint8_t *)qdh_record_entry(&v, blob, inv.ni - 1) + RE(after)) ==
	       0x2000u * (inv.ni - 1), "  the values read back");
	blob[100] ^= 1;
	tap_is_int(qdh_check(&v, blob, len), -QDH_E_CHECKSUM, "a sealed record does not hide a checked-area change");
	blob[100] ^= 1;
	rh[RH(ticks)] ^= 1;
	tap_is_int(qdh_check(&v, blob, len), -QDH_E_RECORD_CHECKSUM, "a changed tick count after sealing is caught");

	/* strerror table */
	bad = 0;
	for (int e = 0; e < QDH_E__COUNT; e++) {
		const char *s = qdh_strerror(-e);

		if (!s || !strcmp(s, "unknown error") || strcmp(s, qdh_strerror(e)))
			bad++;
		for (int f = 0; f < e; f++)
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
