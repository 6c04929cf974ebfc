// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qdh_check() against broken blobs: truncated at every length, every byte
 * flipped, every header byte changed with the checksum fixed up (rejected,
 * or accepted where the field is informational), and one targeted
 * corruption per rule of the ABI, each with its error code and the byte
 * offset it must report.  Also the newer-minor rules.  Blobs are checked
 * in exact-size heap copies so that ASan catches any read past the end.
 */
#include "tap.h"
#include "testlib.h"

#define NOPOS ((size_t)-1)

static uint8_t *base;
static size_t base_len;
static struct qdh_view bv;	/* view of the base blob */

static size_t sec_desc(int i) { return 40 + 16 * (size_t)i; }
static size_t iommu_at(uint32_t i) { return bv.offset[QDH_SEC_IOMMUS] + 32 * (size_t)i; }
static size_t dev_at(uint32_t i) { return bv.offset[QDH_SEC_DEVICES] + 24 * (size_t)i; }
static size_t run_at(uint32_t i) { return bv.offset[QDH_SEC_RUNS] + 16 * (size_t)i; }
static size_t rec_at(void) { return bv.offset[QDH_SEC_RECORD]; }

static void make_base(void)
{
	static const struct qdh_iommu_spec m[3] = {
		{ 0x9050000, 0x20000, QDH_IOMMU_SMMUV3, 0, 0, "smmu3.0x0000000009050000" },
		{ 0x2b400000, 0x10000, QDH_IOMMU_SMMUV2, 0, QDH_IOMMU_NO_SEGMENT, "arm-smmu.0" },
		{ 0xfed90000, 0x1000, QDH_IOMMU_VTD, 0, 1, "dmar1" },
	};
	static const uint32_t s0 = 0, s8 = 8, s10 = 0x10, s18 = 0x18, s100 = 0x100;
	static const uint32_t v0 = 0, v1 = 1, dma[3] = { 0x22, 0x20, 0x21 }, gpu = 0x30;
	const struct qdh_device_spec d[] = {
		{ .bus = 0, .devfn = 0, .vendor = 0x1b36, .device = 0x0008, .class_code = 0x060000,
		  .iommu = 0, .state = QDH_STATE_BRIDGE, .action = QDH_ACTION_ATTACH,
		  .reasons = QDH_R_BRIDGE, .nsids = 1, .sids = &s0 },
		{ .bus = 0, .devfn = 8, .vendor = 0x8086, .device = 0x10d3, .class_code = 0x020000,
		  .iommu = 0, .state = QDH_STATE_ACTIVE, .action = QDH_ACTION_ABORT,
		  .flags = QDH_DEV_F_DRIVER, .nsids = 1, .sids = &s8 },
		{ .bus = 0, .devfn = 9, .vendor = 0x8086, .device = 0x10d3, .class_code = 0x020000,
		  .iommu = 0, .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
		  .nsids = 1, .sids = &s8 },
		{ .bus = 0, .devfn = 0x10, .vendor = 0x1af4, .device = 0x1042, .class_code = 0x010000,
		  .iommu = 0, .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
		  .flags = QDH_DEV_F_DUMP_TARGET, .nsids = 1, .sids = &s10 },
		{ .bus = 0, .devfn = 0x18, .vendor = 0x1af4, .device = 0x1041, .class_code = 0x020000,
		  .iommu = 0, .state = QDH_STATE_UNKNOWN, .action = QDH_ACTION_RESET_ATTACH,
		  .nsids = 1, .sids = &s18 },
		{ .bus = 1, .devfn = 0, .vendor = 0x144d, .device = 0xa808, .class_code = 0x010802,
		  .iommu = 0, .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
		  .nsids = 1, .sids = &s100 },
		{ .bus = 2, .devfn = 0, .vendor = 0x10de, .device = 0x1eb8, .class_code = 0x030200,
		  .iommu = QDH_NO_IOMMU, .state = QDH_STATE_ACTIVE, .action = QDH_ACTION_ABORT },
		{ .segment = 1, .bus = 0, .devfn = 0, .vendor = 0x8086, .device = 0x1572,
		  .class_code = 0x020000, .iommu = 2, .state = QDH_STATE_QUIESCED,
		  .action = QDH_ACTION_ATTACH, .nsids = 1, .sids = &v0 },
		{ .segment = 1, .bus = 0, .devfn = 1, .vendor = 0x8086, .device = 0x1572,
		  .class_code = 0x020000, .iommu = 2, .state = QDH_STATE_QUIESCED,
		  .action = QDH_ACTION_ATTACH, .nsids = 1, .sids = &v1 },
		{ .is_platform = 1, .name = "9000000.dma", .iommu = 1, .state = QDH_STATE_ACTIVE,
		  .action = QDH_ACTION_ABORT, .reasons = QDH_R_NO_BUS_MASTER_INFO,
		  .nsids = 3, .sids = dma },
		{ .is_platform = 1, .name = "a000000.gpu", .iommu = 1, .state = QDH_STATE_QUIESCED,
		  .action = QDH_ACTION_ATTACH, .nsids = 1, .sids = &gpu },
		{ .is_platform = 1, .name = "b000000.uart", .iommu = QDH_NO_IOMMU,
		  .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH },
	};
	struct inv inv = { 0 };

	inv.iommus = (struct qdh_iommu_spec *)m;
	inv.ni = 3;
	inv.devs = (struct qdh_device_spec *)d;
	inv.nd = sizeof(d) / sizeof(d[0]);
	inv_count(&inv);
	if (inv_build(&inv, &base, &base_len, 0x0123456789abcdefULL, QDH_F_CRASH) ||
	    qdh_check(&bv, base, base_len)) {
		printf("Bail out! base blob does not build\n");
		exit(1);
	}
}

/* Checks an exact-size copy; expects err (0: accepted) at offset at. */
static int run_check(const uint8_t *b, size_t len, int body_only, size_t *at)
{
	uint8_t *copy = xcalloc(1, len);
	struct qdh_view v;
	int ret;

	memcpy(copy, b, len);
	ret = body_only ? qdh_check_body(&v, copy, len) : qdh_check(&v, copy, len);
	*at = v.err_offset;
	free(copy);
	return ret;
}

static void expect(const uint8_t *b, int err, size_t at, const char *what)
{
	size_t got_at;
	int ret = run_check(b, base_len, 0, &got_at);

	if (!tap_ok(ret == -err && (err == 0 || at == NOPOS || got_at == at),
		    "%s: %s", what, err ? qdh_strerror(err) : "accepted"))
		printf("# got %d (%s) at %zu, want %d at %zu\n", ret,
		       qdh_strerror(ret), got_at, -err, at);
}

/* Copy of the base, the caller's change, both checksums fixed up. */
typedef void (*mutator)(uint8_t *b);

static void mutate(mutator fn, int err, size_t at, const char *what)
{
	uint8_t *b = xcalloc(1, base_len);

	memcpy(b, base, base_len);
	fn(b);
	/* the base's extents: the change may be to the sizes themselves */
	reseal_record_at(b, bv.offset[QDH_SEC_RECORD], bv.count[QDH_SEC_RECORD]);
	reseal_at(b, bv.checked_size);
	expect(b, err, at, what);
	free(b);
}

static void test_truncation(void)
{
	uint32_t bad = 0;
	size_t at;

	for (size_t len = 0; len < base_len; len++) {
		int ret = run_check(base, len, 0, &at);

		if (ret != -QDH_E_TRUNCATED || at != len) {
			if (bad++ < 5)
				printf("# length %zu: %d at %zu\n", len, ret, at);
		}
	}
	tap_is_int(bad, 0, "truncated at every one of %zu lengths: QDH_E_TRUNCATED at the cut", base_len);
	tap_is_int(run_check(base, base_len, 0, &at), 0, "the whole blob checks");
	{
		uint8_t *big = xcalloc(1, base_len + 100);
		struct qdh_view v;

		memcpy(big, base, base_len);
		tap_is_int(qdh_check(&v, big, base_len + 100), 0, "a buffer longer than total_size is fine");
		tap_is_int(v.size, base_len, "  and the view's size is total_size");
		free(big);
	}
	tap_is_int(qdh_check(&bv, NULL, 100), -QDH_E_INVAL, "NULL buffer rejected");
	qdh_check(&bv, base, base_len);
}

static void test_every_byte_flipped(void)
{
	uint32_t bad = 0, bad_body = 0;
	uint8_t *b = xcalloc(1, base_len);
	size_t at;

	for (size_t i = 0; i < base_len; i++) {
		memcpy(b, base, base_len);
		b[i] ^= 0xff;
		if (run_check(b, base_len, 0, &at) == 0) {
			if (bad++ < 5)
				printf("# flipping byte %zu accepted\n", i);
		}
		if (i < bv.checked_size && run_check(b, base_len, 1, &at) == 0)
			bad_body++;
	}
	tap_is_int(bad, 0, "each of %zu bytes flipped: rejected (crc32 or record crc32)", base_len);
	tap_is_int(bad_body, 0, "  and by qdh_check_body for every byte of the checked area");
	free(b);
}

/*
 * Every header byte (fixed part and section descriptors) changed, with the
 * crc32 fixed up so that the field's own rule must catch it.  Accepted on
 * purpose: version_minor (a newer minor is readable), generation (any
 * non-zero value) and flag bit 0 (a known flag).
 */
static void test_header_fields(void)
{
	static const uint8_t xors[2] = { 0xff, 0x01 };
	uint32_t hsize = qdh_le32(base + 8);
	uint8_t *b = xcalloc(1, base_len);
	uint32_t bad = 0, accepted = 0;
	size_t at;

	for (int x = 0; x < 2; x++) {
		for (size_t i = 0; i < hsize; i++) {
			int inform = (i >= 6 && i < 8) || (i >= 24 && i < 32) ||
				     (i == 32 && xors[x] == 0x01);
			int ret, want = 0;

			memcpy(b, base, base_len);
			b[i] ^= xors[x];
			/* not the crc itself, nor checked_size (its extent) */
			if (i < 16 || i >= 24)
				reseal(b);
			ret = run_check(b, base_len, 0, &at);
			if (i < 4)
				want = -QDH_E_MAGIC;
			else if (i < 6)
				want = -QDH_E_VERSION;
			else if (i >= 8 && i < 12)
				want = -QDH_E_HEADER_SIZE;
			else if (i >= 20 && i < 24)
				want = -QDH_E_CHECKSUM;
			else if (i >= 32 && i < 36 && !inform)
				want = -QDH_E_FLAGS;
			else if (i >= 36 && i < 38)
				want = -QDH_E_HEADER_SIZE;
			else if (i >= 38 && i < 40)
				want = -QDH_E_RESERVED;
			if (inform ? ret != 0 : (ret == 0 || (want && ret != want))) {
				if (bad++ < 8)
					printf("# header byte %zu ^ %#x: got %d (%s), want %d\n",
					       i, xors[x], ret, qdh_strerror(ret), want);
			}
			accepted += ret == 0;
		}
	}
	tap_is_int(bad, 0, "each header byte changed (^0xff, ^0x01), crc fixed: the right verdict");
	tap_is_int(accepted, 2 * 10 + 1, "  accepted exactly: minor x2, generation x8 (twice), flag bit 0");
	free(b);
}

/* --- targeted corruptions ------------------------------------------------ */

static void put16(uint8_t *b, size_t at, uint16_t v) { qdh_put_le16(b + at, v); }
static void put32(uint8_t *b, size_t at, uint32_t v) { qdh_put_le32(b + at, v); }

static void m_gen0(uint8_t *b) { qdh_put_le64(b + 24, 0); }
static void m_nsec5(uint8_t *b) { put16(b, 36, 5); }
static void m_nsec7(uint8_t *b) { put16(b, 36, 7); put32(b, 8, 40 + 16 * 7); }
static void m_nsec65(uint8_t *b) { put16(b, 36, 65); put16(b, 6, 1); }
static void m_total_big(uint8_t *b) { put32(b, 12, QDH_MAX_BLOB_SIZE + 8); }
static void m_checked_odd(uint8_t *b) { put32(b, 16, qdh_le32(b + 16) - 4); }
static void m_checked_big(uint8_t *b) { put32(b, 16, qdh_le32(b + 12) + 8); }
static void m_hdr_flag(uint8_t *b) { put32(b, 32, QDH_F_CRASH | 1u << 9); }
static void m_sec_res(uint8_t *b) { put16(b, sec_desc(QDH_SEC_RUNS) + 14, 1); }
static void m_misalign(uint8_t *b) { put32(b, sec_desc(QDH_SEC_DEVICES), bv.offset[QDH_SEC_DEVICES] + 4); }
static void m_overlap(uint8_t *b)
{
	/* strings moved onto the device table */
	put32(b, sec_desc(QDH_SEC_STRINGS), bv.offset[QDH_SEC_DEVICES] + 24);
}
static void m_overlap_hdr(uint8_t *b) { put32(b, sec_desc(QDH_SEC_IOMMUS), 8); }
static void m_outside(uint8_t *b) { put32(b, sec_desc(QDH_SEC_RUNS), bv.checked_size + 8); }
static void m_size_ne(uint8_t *b) { put32(b, sec_desc(QDH_SEC_DEVICES) + 4, 24 * bv.count[QDH_SEC_DEVICES] - 8); }
static void m_es_small(uint8_t *b) { put16(b, sec_desc(QDH_SEC_DEVICES) + 12, 20); }
static void m_es_big(uint8_t *b)
{
	put16(b, sec_desc(QDH_SEC_IOMMUS) + 12, 40);
	put32(b, sec_desc(QDH_SEC_IOMMUS) + 4, 40 * bv.count[QDH_SEC_IOMMUS]);
}
static void m_es_zero_extra(uint8_t *b) { put16(b, sec_desc(QDH_SEC_STRINGS) + 12, 0); }
static void m_count_absurd(uint8_t *b) { put32(b, sec_desc(QDH_SEC_DEVICES) + 8, 0xffffffffu); }
static void m_count_iommus(uint8_t *b)
{
	put32(b, sec_desc(QDH_SEC_IOMMUS) + 8, 0x10000);
	put32(b, sec_desc(QDH_SEC_IOMMUS) + 4, 0x10000 * 32);
}
static void m_rec_moved(uint8_t *b) { put32(b, sec_desc(QDH_SEC_RECORD), bv.checked_size - 8); }
static void m_str_unterm(uint8_t *b) { b[bv.offset[QDH_SEC_STRINGS] + bv.count[QDH_SEC_STRINGS] - 1] = 'x'; }

static void m_iommu_type(uint8_t *b) { b[iommu_at(1) + 16] = QDH_IOMMU_TYPE_MAX + 1; }
static void m_iommu_flag(uint8_t *b) { b[iommu_at(1) + 17] |= 0x80; }
static void m_iommu_res(uint8_t *b) { b[iommu_at(2) + 31] = 1; }
static void m_iommu_name(uint8_t *b) { put32(b, iommu_at(0) + 20, bv.count[QDH_SEC_STRINGS]); }
static void m_iommu_active(uint8_t *b) { b[iommu_at(0) + 17] = 0; }

static void m_dev_flag(uint8_t *b) { b[dev_at(3) + 18] |= 0x10; }
static void m_dev_state0(uint8_t *b) { b[dev_at(3) + 16] = 0; }
static void m_dev_state5(uint8_t *b) { b[dev_at(3) + 16] = QDH_STATE_MAX + 1; }
static void m_dev_action(uint8_t *b) { b[dev_at(4) + 17] = QDH_ACTION_MAX + 1; }
static void m_dev_class(uint8_t *b) { b[dev_at(5) + 11] = 1; }
static void m_dev_iommu(uint8_t *b) { put16(b, dev_at(5) + 12, 3); }
static void m_dev_order(uint8_t *b)
{
	uint8_t t[24];

	memcpy(t, b + dev_at(3), 24);
	memcpy(b + dev_at(3), b + dev_at(4), 24);
	memcpy(b + dev_at(4), t, 24);
}
static void m_dev_dup(uint8_t *b) { put32(b, dev_at(4), qdh_le32(b + dev_at(3))); }
static void m_plat_dup(uint8_t *b) { put32(b, dev_at(10), qdh_le32(b + dev_at(9))); }
static void m_plat_empty(uint8_t *b) { put32(b, dev_at(9), qdh_le32(b + dev_at(9)) - 1); }
static void m_plat_range(uint8_t *b) { put32(b, dev_at(11), bv.count[QDH_SEC_STRINGS]); }
static void m_plat_vendor(uint8_t *b) { put16(b, dev_at(11) + 4, 0x8086); }
static void m_sids_range(uint8_t *b) { put32(b, dev_at(9) + 20, 1); }
static void m_sids_order(uint8_t *b)
{
	put32(b, bv.offset[QDH_SEC_SIDS], 0x21);	/* 0x21, 0x21, 0x22 */
}
static void m_sids_noiommu(uint8_t *b) { b[dev_at(6) + 19] = 1; }
static void m_sids_zero(uint8_t *b) { put32(b, dev_at(11) + 20, 5); }

static void m_run_res(uint8_t *b) { b[run_at(0) + 3] = 1; }
static void m_run_iommu(uint8_t *b) { put16(b, run_at(0), 3); }
static void m_run_count0(uint8_t *b) { put32(b, run_at(0) + 12, 0); }
static void m_run_dev(uint8_t *b) { put32(b, run_at(0) + 8, bv.count[QDH_SEC_DEVICES]); }
static void m_run_sid(uint8_t *b) { put32(b, run_at(0) + 4, 1); }
static void m_run_swap(uint8_t *b)
{
	uint8_t t[16];

	memcpy(t, b + run_at(0), 16);
	memcpy(b + run_at(0), b + run_at(1), 16);
	memcpy(b + run_at(1), t, 16);
}
static void m_run_drop(uint8_t *b)
{
	size_t d = sec_desc(QDH_SEC_RUNS);

	put32(b, d + 8, qdh_le32(b + d + 8) - 1);
	put32(b, d + 4, qdh_le32(b + d + 4) - 16);
}

static void m_rec_magic(uint8_t *b) { b[rec_at()] ^= 1; }
static void m_rec_hs(uint8_t *b) { put16(b, rec_at() + 4, 48); }
static void m_rec_es(uint8_t *b) { put16(b, rec_at() + 6, 96); }
static void m_rec_n(uint8_t *b) { put32(b, rec_at() + 8, 2); }
static void m_rec_flag(uint8_t *b) { put32(b, rec_at() + 16, 1u << 7); }
static void m_rec_okbad(uint8_t *b) { put32(b, rec_at() + 16, QDH_REC_F_DIGEST_OK | QDH_REC_F_DIGEST_BAD); }
static void m_rec_badseg(uint8_t *b) { put32(b, rec_at() + 20, 3); }
static void m_rec_entry(uint8_t *b) { put16(b, rec_at() + 40 + 104, 0); }
static void m_rec_action(uint8_t *b) { b[rec_at() + 40 + 2] = QDH_PURG_ACTION_MAX + 1; }
static void m_rec_res(uint8_t *b) { b[rec_at() + 40 + 104 + 3] = 1; }
static void m_rec_res2(uint8_t *b) { put32(b, rec_at() + 40 + 4, 1); }
static void m_rec_ok(uint8_t *b)
{
	put32(b, rec_at() + 16, QDH_REC_F_PURGATORY_RAN | QDH_REC_F_DIGEST_BAD);
	put32(b, rec_at() + 20, 3);
	b[rec_at() + 40 + 2] = QDH_PURG_GBPA_ABORT;
}

static void test_rules(void)
{
	size_t d;

	mutate(m_gen0, QDH_E_GENERATION, 24, "generation zero");
	mutate(m_nsec5, QDH_E_HEADER_SIZE, 36, "nsections below 6");
	mutate(m_nsec7, QDH_E_HEADER_SIZE, 36, "an extra section in a minor-0 blob");
	mutate(m_nsec65, QDH_E_HEADER_SIZE, 36, "absurd nsections (65)");
	mutate(m_total_big, QDH_E_TOTAL_SIZE, 12, "total_size over 2 MiB");
	mutate(m_checked_odd, QDH_E_TOTAL_SIZE, 16, "checked_size not 8-aligned");
	mutate(m_checked_big, QDH_E_TOTAL_SIZE, 16, "checked_size past total_size");
	mutate(m_hdr_flag, QDH_E_FLAGS, 32, "unknown header flag");
	mutate(m_sec_res, QDH_E_RESERVED, sec_desc(QDH_SEC_RUNS) + 14, "section reserved field");
	mutate(m_misalign, QDH_E_ALIGN, sec_desc(QDH_SEC_DEVICES), "misaligned section");
	mutate(m_overlap, QDH_E_OVERLAP, sec_desc(QDH_SEC_STRINGS), "overlapping sections");
	mutate(m_overlap_hdr, QDH_E_SECTION, sec_desc(QDH_SEC_IOMMUS), "section over the header");
	mutate(m_outside, QDH_E_SECTION, sec_desc(QDH_SEC_RUNS), "section in the record area");
	mutate(m_size_ne, QDH_E_SECTION, sec_desc(QDH_SEC_DEVICES) + 4, "size != count * entry_size");
	mutate(m_es_small, QDH_E_ENTRY_SIZE, sec_desc(QDH_SEC_DEVICES) + 12, "entry_size below the ABI's");
	mutate(m_es_big, QDH_E_ENTRY_SIZE, sec_desc(QDH_SEC_IOMMUS) + 12, "larger entry_size in a minor-0 blob");
	mutate(m_es_zero_extra, QDH_E_ENTRY_SIZE, sec_desc(QDH_SEC_STRINGS) + 12, "strings entry_size 0");
	mutate(m_count_absurd, QDH_E_COUNT, sec_desc(QDH_SEC_DEVICES) + 8, "absurd device count");
	mutate(m_count_iommus, QDH_E_COUNT, sec_desc(QDH_SEC_IOMMUS) + 8, "65536 IOMMUs");
	mutate(m_rec_moved, QDH_E_SECTION, sec_desc(QDH_SEC_RECORD), "record not at checked_size");
	d = bv.offset[QDH_SEC_STRINGS] + bv.count[QDH_SEC_STRINGS] - 1;
	mutate(m_str_unterm, QDH_E_STRING, d, "strings not NUL-terminated");

	mutate(m_iommu_type, QDH_E_ENUM, iommu_at(1) + 16, "unknown IOMMU type");
	mutate(m_iommu_flag, QDH_E_FLAGS, iommu_at(1) + 17, "unknown IOMMU flag");
	mutate(m_iommu_res, QDH_E_RESERVED, iommu_at(2) + 24, "IOMMU reserved field");
	mutate(m_iommu_name, QDH_E_STRING, iommu_at(0) + 20, "IOMMU name out of range");
	mutate(m_iommu_active, QDH_E_FLAGS, iommu_at(0) + 17, "HAS_ACTIVE missing on an IOMMU with active devices");

	mutate(m_dev_flag, QDH_E_FLAGS, dev_at(3) + 18, "unknown device flag");
	mutate(m_dev_state0, QDH_E_ENUM, dev_at(3) + 16, "device state 0");
	mutate(m_dev_state5, QDH_E_ENUM, dev_at(3) + 16, "device state past the last");
	mutate(m_dev_action, QDH_E_ENUM, dev_at(4) + 17, "device action past the last");
	mutate(m_dev_class, QDH_E_RESERVED, dev_at(5) + 8, "class_code reserved bits");
	mutate(m_dev_iommu, QDH_E_IOMMU_INDEX, dev_at(5) + 12, "device on a missing IOMMU");
	mutate(m_dev_order, QDH_E_ORDER, dev_at(4), "devices out of order");
	mutate(m_dev_dup, QDH_E_ORDER, dev_at(4), "duplicate BDF");
	mutate(m_plat_dup, QDH_E_ORDER, dev_at(10), "duplicate platform name");
	mutate(m_plat_empty, QDH_E_STRING, dev_at(9), "empty platform name");
	mutate(m_plat_range, QDH_E_STRING, dev_at(11), "platform name out of range");
	mutate(m_plat_vendor, QDH_E_RESERVED, dev_at(11) + 4, "vendor ID on a platform device");
	mutate(m_sids_range, QDH_E_SIDS, dev_at(9) + 20, "StreamID list past the pool");
	mutate(m_sids_order, QDH_E_SIDS, bv.offset[QDH_SEC_SIDS] + 4, "StreamID list not increasing");
	mutate(m_sids_noiommu, QDH_E_SIDS, dev_at(6) + 19, "StreamIDs without an IOMMU");
	mutate(m_sids_zero, QDH_E_SIDS, dev_at(11) + 20, "sid not zero with nsids 0");

	mutate(m_run_res, QDH_E_RESERVED, run_at(0) + 3, "run reserved field");
	mutate(m_run_iommu, QDH_E_IOMMU_INDEX, run_at(0), "run on a missing IOMMU");
	mutate(m_run_count0, QDH_E_RUNS, run_at(0) + 12, "empty run");
	mutate(m_run_dev, QDH_E_RUNS, run_at(0) + 8, "run past the device table");
	mutate(m_run_sid, QDH_E_RUNS, run_at(0) + 4, "run StreamID not its first device's");
	mutate(m_run_swap, QDH_E_RUNS, run_at(1) + 4, "runs out of order");
	mutate(m_run_drop, QDH_E_RUNS, sec_desc(QDH_SEC_RUNS) + 8, "a (device, StreamID) pair in no run");

	mutate(m_rec_magic, QDH_E_RECORD, rec_at(), "record magic");
	mutate(m_rec_hs, QDH_E_RECORD, rec_at() + 4, "record header_size");
	mutate(m_rec_es, QDH_E_RECORD, rec_at() + 6, "record entry_size");
	mutate(m_rec_n, QDH_E_RECORD, rec_at() + 8, "record nentries != IOMMUs");
	mutate(m_rec_flag, QDH_E_FLAGS, rec_at() + 16, "unknown record flag");
	mutate(m_rec_okbad, QDH_E_RECORD, rec_at() + 16, "record digest both OK and BAD");
	mutate(m_rec_badseg, QDH_E_RECORD, rec_at() + 20, "bad_segment without DIGEST_BAD");
	mutate(m_rec_entry, QDH_E_RECORD, rec_at() + 40 + 104, "record entry for the wrong IOMMU");
	mutate(m_rec_action, QDH_E_ENUM, rec_at() + 42, "record action past the last");
	mutate(m_rec_res, QDH_E_RESERVED, rec_at() + 40 + 104 + 3, "record entry reserved");
	mutate(m_rec_res2, QDH_E_RESERVED, rec_at() + 44, "record entry reserved2");
	mutate(m_rec_ok, 0, NOPOS, "a filled record (DIGEST_BAD, segment 3, GBPA abort)");
}

/* The base must exercise what the rules above corrupt. */
static void test_base_shape(void)
{
	int merged = 0, alias = 0;

	for (uint32_t r = 0; r < bv.count[QDH_SEC_RUNS]; r++) {
		merged |= qdh_le32(base + run_at(r) + 12) > 1;
		alias |= r && qdh_le32(base + run_at(r) + 4) == qdh_le32(base + run_at(r - 1) + 4) &&
			 qdh_le16(base + run_at(r)) == qdh_le16(base + run_at(r - 1));
	}
	tap_ok(merged && alias && bv.count[QDH_SEC_SIDS] == 3 && bv.count[QDH_SEC_DEVICES] == 12,
	       "base blob has merged runs, aliasing runs and a multi-SID device");
}

/*
 * Rewrites the base as a newer-minor writer would: minor 1, a 7th section
 * (before the record), every table entry grown by pad bytes of junk.
 */
static uint8_t *newer_minor(size_t *len, uint16_t pad, uint32_t extra_off_delta)
{
	uint8_t *b = xcalloc(1, base_len * 2 + 4096);
	uint32_t at = 40 + 16 * 7, grow[QDH_NR_SECTIONS] = { pad, pad, pad, pad, 0, 0 };

	memcpy(b, base, 40);
	put16(b, 6, 1);
	put16(b, 36, 7);
	put32(b, 8, at);
	for (int i = 0; i < QDH_NR_SECTIONS; i++) {
		uint32_t n = bv.count[i], es = bv.entry_size[i], nes = es + grow[i];
		size_t d = sec_desc(i);

		if (i == QDH_SEC_RECORD) {
			/* the extra section: 3 entries of 4 bytes */
			put32(b, sec_desc(6), at - extra_off_delta);
			put32(b, sec_desc(6) + 4, 12);
			put32(b, sec_desc(6) + 8, 3);
			put16(b, sec_desc(6) + 12, 4);
			memset(b + at, 0xee, 12);
			at += 16;
			put32(b, 16, at);
		}
		put32(b, d, at);
		put32(b, d + 4, n * nes);
		put32(b, d + 8, n);
		put16(b, d + 12, (uint16_t)nes);
		for (uint32_t k = 0; k < n; k++) {
			memcpy(b + at + (size_t)k * nes, base + bv.offset[i] + (size_t)k * es, es);
			memset(b + at + (size_t)k * nes + es, 0xcc, grow[i]);
		}
		at += (n * nes + 7) & ~7u;
	}
	put32(b, 12, at - (uint32_t)((bv.count[QDH_SEC_RECORD] + 7) & ~7u) + bv.count[QDH_SEC_RECORD]);
	*len = qdh_le32(b + 12);
	reseal(b);
	return b;
}

static void test_newer_minor(void)
{
	struct qdh_view v;
	struct qdh_device_info d;
	size_t len, at;
	uint8_t *b = newer_minor(&len, 8, 0);
	int ret;

	ret = run_check(b, len, 0, &at);
	tap_is_int(ret, 0, "minor 1, 7 sections, entries 8 bytes larger: accepted (%s at %zu)",
		   qdh_strerror(ret), at);
	if (!qdh_check(&v, b, len)) {
		tap_ok(v.version_minor == 1 && v.entry_size[QDH_SEC_DEVICES] == 32,
		       "  the view reports minor 1 and the larger entry_size");
		tap_ok(!qdh_find_platform(&v, "9000000.dma", &d) && d.nsids == 3 &&
		       !qdh_find_stream(&v, 1, 0x21, &d) && d.index == 9 &&
		       !qdh_find_stream(&v, 0, 8, &d) && d.index == 1 &&
		       !qdh_find_pci(&v, 1, 0, 1, &d) && d.vendor == 0x8086,
		       "  and the known prefix of each entry reads the same");
	}
	free(b);
	b = newer_minor(&len, 8, 8);
	tap_is_int(run_check(b, len, 0, &at), -QDH_E_OVERLAP, "  an extra section overlapping another: rejected");
	free(b);
	b = newer_minor(&len, 4, 0);
	put16(b, sec_desc(6) + 12, 0);
	put32(b, sec_desc(6) + 4, 0);
	reseal(b);
	tap_is_int(run_check(b, len, 0, &at), -QDH_E_ENTRY_SIZE, "  an extra section with entry_size 0: rejected");
	free(b);
	b = newer_minor(&len, 4, 0);
	put16(b, sec_desc(QDH_SEC_STRINGS) + 12, 2);
	put32(b, sec_desc(QDH_SEC_STRINGS) + 4, 2 * bv.count[QDH_SEC_STRINGS]);
	reseal(b);
	tap_is_int(run_check(b, len, 0, &at), -QDH_E_ENTRY_SIZE, "  strings are bytes in every minor");
	free(b);
	b = newer_minor(&len, 0, 0);
	put16(b, 4, 2);
	reseal(b);
	tap_is_int(run_check(b, len, 0, &at), -QDH_E_VERSION, "major 2: rejected");
	free(b);
}

int main(void)
{
	make_base();
	test_base_shape();
	test_truncation();
	test_every_byte_flipped();
	test_header_fields();
	test_rules();
	test_newer_minor();
	free(base);
	return tap_done();
}
