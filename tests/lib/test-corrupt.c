// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qdh_check() against broken blobs: truncated at every length, every byte
 * flipped, every header byte changed with the checksum fixed up (rejected,
 * or accepted where the field is informational), and one targeted
 * corruption per rule of the ABI, each with its error code and the byte
 * offset it must report.  Also the newer-minor rules, and each v1.1 rule
 * (no-dump-target, wide PCI functions, the record's stream table).  Blobs
 * are checked in exact-size heap copies so that ASan catches any read past
 * the end.
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
static size_t wide_at(uint32_t i) { return bv.offset[QDH_SEC_WIDE_PCI] + 32 * (size_t)i; }
static size_t rec_at(void) { return bv.offset[QDH_SEC_RECORD]; }
/* Record entry i and stream i (the v1.1 header: 48 bytes, then streams). */
static size_t rece_at(uint32_t i) { return rec_at() + bv.rec_header_size + 104 * (size_t)i; }
static size_t recs_at(uint32_t i) { return rec_at() + 48 + 8 * (size_t)i; }

static void make_base(void)
{
	static const struct qdh_iommu_spec m[3] = {
		{ 0x9050000, 0x20000, QDH_IOMMU_SMMUV3, 0, 0, "smmu3.0x0000000009050000" },
		{ 0x2b400000, 0x10000, QDH_IOMMU_SMMUV2, 0, QDH_IOMMU_NO_SEGMENT, "arm-smmu.0" },
		{ 0xfed90000, 0x1000, QDH_IOMMU_VTD, 0, 1, "dmar1" },
	};
	static const uint32_t s0 = 0, s8 = 8, s10 = 0x10, s18 = 0x18, s100 = 0x100, vmd = 0x110;
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
		{ .domain = 1, .bus = 0, .devfn = 0, .vendor = 0x8086, .device = 0x1572,
		  .class_code = 0x020000, .iommu = 2, .state = QDH_STATE_QUIESCED,
		  .action = QDH_ACTION_ATTACH, .nsids = 1, .sids = &v0 },
		{ .domain = 1, .bus = 0, .devfn = 1, .vendor = 0x8086, .device = 0x1572,
		  .class_code = 0x020000, .iommu = 2, .state = QDH_STATE_QUIESCED,
		  .action = QDH_ACTION_ATTACH, .nsids = 1, .sids = &v1 },
		/* An Intel VMD endpoint and the NVMe behind it (v1.1 wide table). */
		{ .domain = 1, .bus = 1, .devfn = 0x10, .vendor = 0x8086, .device = 0x201d,
		  .class_code = 0x010400, .iommu = 2, .state = QDH_STATE_ACTIVE,
		  .action = QDH_ACTION_ABORT, .nsids = 1, .sids = &vmd },
		{ .domain = 0x10000, .bus = 1, .devfn = 0, .vendor = 0x144d, .device = 0xa808,
		  .class_code = 0x010802, .iommu = QDH_NO_IOMMU, .state = QDH_STATE_ACTIVE,
		  .action = QDH_ACTION_RESET_ATTACH, .has_requester = 1, .requester_domain = 1,
		  .requester_bus = 1, .requester_devfn = 0x10 },
		{ .domain = 0x10000, .bus = 2, .devfn = 0, .vendor = 0x144d, .device = 0xa808,
		  .class_code = 0x010802, .iommu = QDH_NO_IOMMU, .state = QDH_STATE_QUIESCED,
		  .action = QDH_ACTION_ATTACH, .has_requester = 1, .requester_domain = 1,
		  .requester_bus = 1, .requester_devfn = 0x10 },
		{ .domain = 0x10001, .bus = 0, .devfn = 0, .vendor = 0x8086, .device = 0x1572,
		  .class_code = 0x020000, .iommu = QDH_NO_IOMMU, .state = QDH_STATE_QUIESCED,
		  .action = QDH_ACTION_ATTACH },
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
 * purpose: version_minor when it becomes newer (a newer minor is readable;
 * minor 0 is not, its blobs have 6 sections), generation (any non-zero
 * value) and flag bit 0 (a known flag).
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
			int inform = (i == 6 && xors[x] == 0xff) || i == 7 ||
				     (i >= 24 && i < 32) || (i == 32 && xors[x] == 0x01);
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
			else if ((i >= 8 && i < 12) || i == 6)
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
	tap_is_int(accepted, 3 + 16 + 1,
		   "  accepted exactly: a newer minor x3, generation x8 (twice), flag bit 0");
	free(b);
}

/* --- targeted corruptions ------------------------------------------------ */

static void put16(uint8_t *b, size_t at, uint16_t v) { qdh_put_le16(b + at, v); }
static void put32(uint8_t *b, size_t at, uint32_t v) { qdh_put_le32(b + at, v); }

static void m_gen0(uint8_t *b) { qdh_put_le64(b + 24, 0); }
static void m_nsec5(uint8_t *b) { put16(b, 36, 5); }
static void m_nsec8(uint8_t *b) { put16(b, 36, 8); put32(b, 8, 40 + 16 * 8); }
static void m_nsec6(uint8_t *b) { put16(b, 36, 6); put32(b, 8, 40 + 16 * 6); }
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
static void m_plat_dup(uint8_t *b) { put32(b, dev_at(11), qdh_le32(b + dev_at(10))); }
static void m_plat_empty(uint8_t *b) { put32(b, dev_at(10), qdh_le32(b + dev_at(10)) - 1); }
static void m_plat_range(uint8_t *b) { put32(b, dev_at(12), bv.count[QDH_SEC_STRINGS]); }
static void m_plat_vendor(uint8_t *b) { put16(b, dev_at(12) + 4, 0x8086); }
static void m_sids_range(uint8_t *b) { put32(b, dev_at(10) + 20, 1); }
static void m_sids_order(uint8_t *b)
{
	put32(b, bv.offset[QDH_SEC_SIDS], 0x21);	/* 0x21, 0x21, 0x22 */
}
static void m_sids_noiommu(uint8_t *b) { b[dev_at(6) + 19] = 1; }
static void m_sids_zero(uint8_t *b) { put32(b, dev_at(12) + 20, 5); }

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
static void m_rec_hs(uint8_t *b) { put16(b, rec_at() + 4, 40); }
static void m_rec_es(uint8_t *b) { put16(b, rec_at() + 6, 96); }
static void m_rec_n(uint8_t *b) { put32(b, rec_at() + 8, 2); }
static void m_rec_flag(uint8_t *b) { put32(b, rec_at() + 16, 1u << 7); }
static void m_rec_okbad(uint8_t *b) { put32(b, rec_at() + 16, QDH_REC_F_DIGEST_OK | QDH_REC_F_DIGEST_BAD); }
static void m_rec_badseg(uint8_t *b) { put32(b, rec_at() + 20, 3); }
static void m_rec_entry(uint8_t *b) { put16(b, rece_at(1), 0); }
static void m_rec_action(uint8_t *b) { b[rece_at(0) + 2] = QDH_PURG_ACTION_MAX + 1; }
static void m_rec_res(uint8_t *b) { b[rece_at(1) + 3] = 1; }
static void m_rec_res2(uint8_t *b) { put32(b, rece_at(0) + 4, 1); }
static void m_rec_ok(uint8_t *b)
{
	put32(b, rec_at() + 16, QDH_REC_F_PURGATORY_RAN | QDH_REC_F_DIGEST_BAD);
	put32(b, rec_at() + 20, 3);
	b[rece_at(0) + 2] = QDH_PURG_GBPA_ABORT;
	b[recs_at(1) + 2] = QDH_STE_BYPASS;
}

/* --- v1.1 ----------------------------------------------------------------- */

static void m_ndt_kexec(uint8_t *b) { put32(b, 32, QDH_F_KEXEC | QDH_F_NO_DUMP_TARGET); }
static void m_ndt_unmarked(uint8_t *b) { put32(b, 32, QDH_F_CRASH | QDH_F_NO_DUMP_TARGET); }
/* Every storage and network function of the device table marked. */
static void mark_narrow(uint8_t *b)
{
	for (uint32_t i = 0; i < bv.count[QDH_SEC_DEVICES]; i++) {
		uint32_t cls = qdh_le32(b + dev_at(i) + 8) >> 16;

		if (!(b[dev_at(i) + 18] & QDH_DEV_F_PLATFORM) && (cls == 1 || cls == 2))
			b[dev_at(i) + 18] |= QDH_DEV_F_DUMP_TARGET;
	}
}
static void m_ndt_wide(uint8_t *b) { m_ndt_unmarked(b); mark_narrow(b); }
static void m_ndt_ok(uint8_t *b)
{
	m_ndt_wide(b);
	for (uint32_t i = 0; i < bv.count[QDH_SEC_WIDE_PCI]; i++)
		b[wide_at(i) + 24] |= QDH_DEV_F_DUMP_TARGET;
}

static void m_wide_domain(uint8_t *b) { put32(b, wide_at(0), 0xffff); }
static void m_wide_res(uint8_t *b) { put16(b, wide_at(0) + 6, 1); }
static void m_wide_res2(uint8_t *b) { b[wide_at(1) + 26] = 1; }
static void m_wide_res3(uint8_t *b) { put32(b, wide_at(2) + 28, 1); }
static void m_wide_class(uint8_t *b) { b[wide_at(0) + 19] = 1; }
static void m_wide_plat(uint8_t *b) { b[wide_at(0) + 24] |= QDH_DEV_F_PLATFORM; }
static void m_wide_flag(uint8_t *b) { b[wide_at(0) + 24] |= 0x10; }
static void m_wide_state(uint8_t *b) { b[wide_at(1) + 22] = 0; }
static void m_wide_action(uint8_t *b) { b[wide_at(1) + 23] = QDH_ACTION_MAX + 1; }
static void m_wide_req_range(uint8_t *b) { put32(b, wide_at(0) + 8, bv.count[QDH_SEC_DEVICES]); }
static void m_wide_req_plat(uint8_t *b) { put32(b, wide_at(0) + 8, 10); }
static void m_wide_req_quiet(uint8_t *b) { put32(b, wide_at(0) + 8, 5); }
static void m_wide_req_quiet_ok(uint8_t *b) { put32(b, wide_at(1) + 8, 5); }
static void m_wide_swap(uint8_t *b)
{
	uint8_t t[32];

	memcpy(t, b + wide_at(0), 32);
	memcpy(b + wide_at(0), b + wide_at(1), 32);
	memcpy(b + wide_at(1), t, 32);
}
static void m_wide_dup(uint8_t *b) { put16(b, wide_at(1) + 4, qdh_le16(b + wide_at(0) + 4)); }
static void m_wide_es(uint8_t *b)
{
	put16(b, sec_desc(QDH_SEC_WIDE_PCI) + 12, 40);
	put32(b, sec_desc(QDH_SEC_WIDE_PCI) + 4, 40 * bv.count[QDH_SEC_WIDE_PCI]);
}

static void m_st_ste(uint8_t *b) { b[recs_at(0) + 2] = QDH_STE_MAX + 1; }
static void m_st_res(uint8_t *b) { b[recs_at(0) + 3] = 1; }
static void m_st_iommu(uint8_t *b) { put16(b, recs_at(1), 3); }
static void m_st_swap(uint8_t *b)
{
	uint8_t t[8];

	memcpy(t, b + recs_at(0), 8);
	memcpy(b + recs_at(0), b + recs_at(1), 8);
	memcpy(b + recs_at(1), t, 8);
}
static void m_st_dup(uint8_t *b) { memcpy(b + recs_at(1), b + recs_at(0), 8); }
static void m_st_quiet(uint8_t *b) { put32(b, recs_at(1) + 4, 0x10); }
static void m_st_v2(uint8_t *b) { put16(b, recs_at(1), 1); put32(b, recs_at(1) + 4, 0x20); }
static void m_st_omitted(uint8_t *b) { put32(b, rec_at() + 44, 1); }
static void m_st_es(uint8_t *b) { put16(b, rec_at() + 42, 16); }
static void m_st_n(uint8_t *b) { put16(b, rec_at() + 40, 1); }

/*
 * The base with its last stream dropped (the record 8 bytes shorter),
 * streams_omitted set to omitted; both checksums fixed up.
 */
static void drop_last_stream(uint32_t omitted, int err, size_t at, const char *what)
{
	uint8_t *b = xcalloc(1, base_len);
	uint32_t ro = (uint32_t)rec_at(), rs = bv.count[QDH_SEC_RECORD] - 8;
	size_t tail = rece_at(0);
	size_t got_at;
	int ret;

	memcpy(b, base, base_len);
	memmove(b + tail - 8, b + tail, base_len - tail);
	put16(b, ro + 40, (uint16_t)(bv.nstreams - 1));
	put16(b, ro + 4, (uint16_t)(bv.rec_header_size - 8));
	put32(b, ro + 44, omitted);
	put32(b, sec_desc(QDH_SEC_RECORD) + 4, rs);
	put32(b, sec_desc(QDH_SEC_RECORD) + 8, rs);
	put32(b, 12, ro + rs);
	reseal_record_at(b, ro, rs);
	reseal_at(b, bv.checked_size);
	ret = run_check(b, base_len - 8, 0, &got_at);
	if (!tap_ok(ret == -err && (!err || got_at == at), "%s: %s", what,
		    err ? qdh_strerror(err) : "accepted"))
		printf("# got %d at %zu, want %d at %zu\n", ret, got_at, -err, at);
	free(b);
}

static void test_rules_v11(void)
{
	mutate(m_ndt_kexec, QDH_E_FLAGS, 32, "no-dump-target on a kexec load");
	mutate(m_ndt_unmarked, QDH_E_FLAGS, dev_at(1) + 18,
	       "no-dump-target with a NIC not marked dump-target");
	mutate(m_ndt_wide, QDH_E_FLAGS, wide_at(0) + 24,
	       "no-dump-target with a wide NVMe not marked dump-target");
	mutate(m_ndt_ok, 0, NOPOS, "no-dump-target with every storage and network function marked");

	mutate(m_wide_domain, QDH_E_WIDE, wide_at(0), "wide entry with a 16-bit domain");
	mutate(m_wide_res, QDH_E_RESERVED, wide_at(0) + 6, "wide entry reserved");
	mutate(m_wide_res2, QDH_E_RESERVED, wide_at(1) + 25, "wide entry reserved2");
	mutate(m_wide_res3, QDH_E_RESERVED, wide_at(2) + 28, "wide entry reserved3");
	mutate(m_wide_class, QDH_E_RESERVED, wide_at(0) + 16, "wide class_code reserved bits");
	mutate(m_wide_plat, QDH_E_FLAGS, wide_at(0) + 24, "wide entry flagged platform");
	mutate(m_wide_flag, QDH_E_FLAGS, wide_at(0) + 24, "wide entry unknown flag");
	mutate(m_wide_state, QDH_E_ENUM, wide_at(1) + 22, "wide entry state 0");
	mutate(m_wide_action, QDH_E_ENUM, wide_at(1) + 23, "wide entry action past the last");
	mutate(m_wide_req_range, QDH_E_WIDE, wide_at(0) + 8, "wide requester past the device table");
	mutate(m_wide_req_plat, QDH_E_WIDE, wide_at(0) + 8, "wide requester a platform device");
	mutate(m_wide_req_quiet, QDH_E_WIDE, wide_at(0) + 8,
	       "an active wide function behind a quiesced requester");
	mutate(m_wide_req_quiet_ok, 0, NOPOS, "a quiesced wide function behind a quiesced requester");
	mutate(m_wide_swap, QDH_E_ORDER, wide_at(1), "wide entries out of order");
	mutate(m_wide_dup, QDH_E_ORDER, wide_at(1), "duplicate wide function");
	mutate(m_wide_es, QDH_E_ENTRY_SIZE, sec_desc(QDH_SEC_WIDE_PCI) + 12,
	       "larger wide entry_size in a blob of our minor");

	mutate(m_st_ste, QDH_E_ENUM, recs_at(0) + 2, "stream STE state past the last");
	mutate(m_st_res, QDH_E_RESERVED, recs_at(0) + 3, "stream reserved");
	mutate(m_st_iommu, QDH_E_IOMMU_INDEX, recs_at(1), "stream on a missing IOMMU");
	mutate(m_st_swap, QDH_E_STREAMS, recs_at(0), "streams out of order");
	mutate(m_st_dup, QDH_E_STREAMS, recs_at(1), "a stream listed twice");
	mutate(m_st_quiet, QDH_E_STREAMS, recs_at(1), "a quiesced device's stream listed");
	mutate(m_st_v2, QDH_E_STREAMS, recs_at(1), "an SMMUv2 stream listed");
	mutate(m_st_omitted, QDH_E_STREAMS, rec_at() + 44, "streams_omitted counts what is listed");
	mutate(m_st_es, QDH_E_STREAMS, rec_at() + 42, "stream_entry_size not 8 in a blob of our minor");
	mutate(m_st_n, QDH_E_RECORD, rec_at() + 4, "header_size != 48 + 8 * nstreams");
	drop_last_stream(1, 0, NOPOS, "the last eligible stream left out and counted");
	drop_last_stream(0, QDH_E_STREAMS, rec_at() + 44,
			 "the last eligible stream left out, not counted");
}

static void test_rules(void)
{
	size_t d;

	mutate(m_gen0, QDH_E_GENERATION, 24, "generation zero");
	mutate(m_nsec5, QDH_E_HEADER_SIZE, 36, "nsections below 6");
	mutate(m_nsec8, QDH_E_HEADER_SIZE, 36, "an extra section in a blob of our minor");
	mutate(m_nsec6, QDH_E_HEADER_SIZE, 36, "v1.1: a minor-1 blob without the wide PCI section");
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
	mutate(m_es_big, QDH_E_ENTRY_SIZE, sec_desc(QDH_SEC_IOMMUS) + 12, "larger entry_size in a blob of our minor");
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
	mutate(m_plat_dup, QDH_E_ORDER, dev_at(11), "duplicate platform name");
	mutate(m_plat_empty, QDH_E_STRING, dev_at(10), "empty platform name");
	mutate(m_plat_range, QDH_E_STRING, dev_at(12), "platform name out of range");
	mutate(m_plat_vendor, QDH_E_RESERVED, dev_at(12) + 4, "vendor ID on a platform device");
	mutate(m_sids_range, QDH_E_SIDS, dev_at(10) + 20, "StreamID list past the pool");
	mutate(m_sids_order, QDH_E_SIDS, bv.offset[QDH_SEC_SIDS] + 4, "StreamID list not increasing");
	mutate(m_sids_noiommu, QDH_E_SIDS, dev_at(6) + 19, "StreamIDs without an IOMMU");
	mutate(m_sids_zero, QDH_E_SIDS, dev_at(12) + 20, "sid not zero with nsids 0");

	mutate(m_run_res, QDH_E_RESERVED, run_at(0) + 3, "run reserved field");
	mutate(m_run_iommu, QDH_E_IOMMU_INDEX, run_at(0), "run on a missing IOMMU");
	mutate(m_run_count0, QDH_E_RUNS, run_at(0) + 12, "empty run");
	mutate(m_run_dev, QDH_E_RUNS, run_at(0) + 8, "run past the device table");
	mutate(m_run_sid, QDH_E_RUNS, run_at(0) + 4, "run StreamID not its first device's");
	mutate(m_run_swap, QDH_E_RUNS, run_at(1) + 4, "runs out of order");
	mutate(m_run_drop, QDH_E_RUNS, sec_desc(QDH_SEC_RUNS) + 8, "a (device, StreamID) pair in no run");

	mutate(m_rec_magic, QDH_E_RECORD, rec_at(), "record magic");
	mutate(m_rec_hs, QDH_E_RECORD, rec_at() + 4, "v1.1: a record header of v1.0 size");
	mutate(m_rec_es, QDH_E_RECORD, rec_at() + 6, "record entry_size");
	mutate(m_rec_n, QDH_E_RECORD, rec_at() + 8, "record nentries != IOMMUs");
	mutate(m_rec_flag, QDH_E_FLAGS, rec_at() + 16, "unknown record flag");
	mutate(m_rec_okbad, QDH_E_RECORD, rec_at() + 16, "record digest both OK and BAD");
	mutate(m_rec_badseg, QDH_E_RECORD, rec_at() + 20, "bad_segment without DIGEST_BAD");
	mutate(m_rec_entry, QDH_E_RECORD, rece_at(1), "record entry for the wrong IOMMU");
	mutate(m_rec_action, QDH_E_ENUM, rece_at(0) + 2, "record action past the last");
	mutate(m_rec_res, QDH_E_RESERVED, rece_at(1) + 3, "record entry reserved");
	mutate(m_rec_res2, QDH_E_RESERVED, rece_at(0) + 4, "record entry reserved2");
	mutate(m_rec_ok, 0, NOPOS, "a filled record (DIGEST_BAD, segment 3, GBPA abort, a bypass STE)");
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
	tap_ok(merged && alias && bv.count[QDH_SEC_SIDS] == 3 && bv.count[QDH_SEC_DEVICES] == 13,
	       "base blob has merged runs, aliasing runs and a multi-SID device");
	tap_ok(bv.version_minor == 1 && bv.count[QDH_SEC_WIDE_PCI] == 3 && bv.nstreams == 2 &&
	       bv.rec_header_size == 64 && qdh_le32(base + wide_at(0) + 8) == 9 &&
	       qdh_le32(base + recs_at(0) + 4) == 8 && qdh_le32(base + recs_at(1) + 4) == 0x18,
	       "  v1.1: three wide functions (two behind device 9), streams 0x8 and 0x18");
}

/*
 * Rewrites the base as a newer-minor writer would: minor 2, an 8th section
 * (before the record), every table entry grown by pad bytes of junk.
 */
static uint8_t *newer_minor(size_t *len, uint16_t pad, uint32_t extra_off_delta)
{
	static const int order[QDH_NR_SECTIONS] = {
		QDH_SEC_IOMMUS, QDH_SEC_DEVICES, QDH_SEC_SIDS, QDH_SEC_RUNS,
		QDH_SEC_WIDE_PCI, QDH_SEC_STRINGS, QDH_SEC_RECORD,
	};
	uint8_t *b = xcalloc(1, base_len * 2 + 4096);
	uint32_t at = 40 + 16 * 8, grow[QDH_NR_SECTIONS] = { pad, pad, pad, pad, 0, 0, pad };

	memcpy(b, base, 40);
	put16(b, 6, 2);
	put16(b, 36, 8);
	put32(b, 8, at);
	for (int j = 0; j < QDH_NR_SECTIONS; j++) {
		int i = order[j];
		uint32_t n = bv.count[i], es = bv.entry_size[i], nes = es + grow[i];
		size_t d = sec_desc(i);

		if (i == QDH_SEC_RECORD) {
			/* the extra section: 3 entries of 4 bytes */
			put32(b, sec_desc(7), at - extra_off_delta);
			put32(b, sec_desc(7) + 4, 12);
			put32(b, sec_desc(7) + 8, 3);
			put16(b, sec_desc(7) + 12, 4);
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
	tap_is_int(ret, 0, "minor 2, 8 sections, entries 8 bytes larger: accepted (%s at %zu)",
		   qdh_strerror(ret), at);
	if (!qdh_check(&v, b, len)) {
		tap_ok(v.version_minor == 2 && v.entry_size[QDH_SEC_DEVICES] == 32 &&
		       v.entry_size[QDH_SEC_WIDE_PCI] == 40,
		       "  the view reports minor 2 and the larger entry_size");
		tap_ok(!qdh_find_platform(&v, "9000000.dma", &d) && d.nsids == 3 &&
		       !qdh_find_stream(&v, 1, 0x21, &d) && d.index == 10 &&
		       !qdh_find_stream(&v, 0, 8, &d) && d.index == 1 &&
		       !qdh_find_pci(&v, 1, 0, 1, &d) && d.vendor == 0x8086 &&
		       !qdh_find_pci(&v, 0x10000, 1, 0, &d) && d.requester == 9 &&
		       d.iommu == 2 && d.vendor == 0x144d,
		       "  and the known prefix of each entry reads the same");
	}
	free(b);
	b = newer_minor(&len, 8, 8);
	tap_is_int(run_check(b, len, 0, &at), -QDH_E_OVERLAP, "  an extra section overlapping another: rejected");
	free(b);
	b = newer_minor(&len, 4, 0);
	put16(b, sec_desc(7) + 12, 0);
	put32(b, sec_desc(7) + 4, 0);
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
	test_rules_v11();
	test_truncation();
	test_every_byte_flipped();
	test_header_fields();
	test_rules();
	test_newer_minor();
	free(base);
	return tap_done();
}
