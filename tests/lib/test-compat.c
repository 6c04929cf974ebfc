// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Versions meet: the current (v1.1) reader on the v1.0 golden blobs, and
 * the real v1.0 reader (frozen in tests/lib/v1.0/) on what the current
 * writer produces.  doc/abi.md, "What v1.1 adds, and what a v1.0 reader
 * does with it", line by line:
 *  - QDH_F_NO_DUMP_TARGET: a v1.0 reader rejects the blob (QDH_E_FLAGS at
 *    the header's flags), so it touches nothing;
 *  - QDH_SEC_WIDE_PCI: skipped; its functions are not in the blob for a
 *    v1.0 reader, which never takes 10000:01:00.0 for 0000:01:00.0;
 *  - the grown record header: accepted, the v1.0 fields and the entries
 *    read the same;
 *  - everything else reads the same device for device.
 * And the other way: every v1.0 blob checks and reads the same in v1.1,
 * with no wide functions and no stream table.
 */
#include <errno.h>
#include "tap.h"
#include "testlib.h"
#include "v1.0/v10.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static uint8_t *slurp(const char *dir, const char *name, size_t *len)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	uint8_t *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s/%s", top ? top : "..", dir, name);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		printf("Bail out! %s: %s\n", path, strerror(errno));
		exit(1);
	}
	buf = xcalloc(1, (size_t)n);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		printf("Bail out! %s: short read\n", path);
		exit(1);
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The device table as v1.0 reads it == as v1.1 reads it; 0 if so. */
static uint32_t same_devices(const uint8_t *b, size_t len, const struct qdh_view *v)
{
	uint32_t bad = 0, n = v->count[QDH_SEC_DEVICES];

	if (v10_device_count(b, len) != n)
		return 1;
	for (uint32_t i = 0; i < n; i++) {
		struct qdh_device_info d;
		struct v10_device o;
		uint32_t sid, idx;

		if (qdh_get_device(v, i, &d) || v10_device(b, len, i, &o)) {
			bad++;
			continue;
		}
		bad += d.is_wide || d.is_platform != o.is_platform ||
		       d.domain != o.segment || d.bus != o.bus || d.devfn != o.devfn ||
		       d.vendor != o.vendor || d.device != o.device || d.iommu != o.iommu ||
		       d.reasons != o.reasons || d.state != o.state || d.action != o.action ||
		       d.flags != o.flags || d.nsids != o.nsids ||
		       (d.is_platform && strcmp(d.name, o.name));
		for (uint32_t k = 0; k < d.nsids && k < 8; k++) {
			bad += qdh_device_sid(v, &d, k, &sid) || sid != o.sids[k];
			/* Both find the stream at the same (lowest aliasing) device. */
			if (!qdh_find_stream(v, d.iommu, sid, &d) &&
			    (v10_find_stream(b, len, d.iommu, sid, &idx) || idx != d.index))
				bad++;
			qdh_get_device(v, i, &d);
		}
	}
	return bad;
}

/* The record as v1.0 reads it == as v1.1 reads it; 0 if so. */
static uint32_t same_record(const uint8_t *b, size_t len, const struct qdh_view *v)
{
	struct qdh_record_info r;
	struct qdh_record_iommu_info e;
	struct v10_record o;
	uint32_t bad = 0;

	memset(&o, 0, sizeof(o));
	v10_record(b, len, &o);
	qdh_record_get(v, &r);
	bad += o.flags != r.flags || o.ticks != r.ticks || o.freq != r.freq ||
	       o.nentries != r.nentries;
	for (uint32_t i = 0; i < r.nentries && i < 8; i++)
		bad += qdh_record_get_iommu(v, i, &e) || e.action != o.action[i] ||
		       e.after[0] != o.after0[i];
	return bad;
}

static const char *const v10_goldens[] = {
	"arm64-virt-smmuv3.qdh", "arm64-virt-record.qdh", "x86-q35-vtd.qdh",
	"arm64-soc-platform.qdh", "empty.qdh",
};

static void test_v10_blobs(void)
{
	for (size_t i = 0; i < NELEM(v10_goldens); i++) {
		size_t len, at;
		uint8_t *b = slurp("tests/lib/v1.0/golden", v10_goldens[i], &len);
		struct qdh_view v;
		struct qdh_record_info r;
		int ret = qdh_check(&v, b, len);

		tap_is_int(ret, 0, "v1.0 %s: the v1.1 reader accepts it", v10_goldens[i]);
		if (ret) {
			free(b);
			continue;
		}
		qdh_record_get(&v, &r);
		tap_ok(v.version_minor == 0 && v.count[QDH_SEC_WIDE_PCI] == 0 &&
		       qdh_device_count(&v) == v.count[QDH_SEC_DEVICES] &&
		       r.nstreams == 0 && r.streams_omitted == 0 && v.rec_header_size == 40,
		       "  minor 0: no wide functions, no stream table");
		tap_is_int(v10_check(b, len, &at), 0, "  the v1.0 reader accepts it too");
		tap_is_int(same_devices(b, len, &v), 0, "  every device reads the same in both");
		tap_is_int(same_record(b, len, &v), 0, "  the record reads the same in both");
		free(b);
	}
}

static const char *const v11_goldens[] = {
	"arm64-virt-smmuv3.qdh", "arm64-virt-record.qdh", "x86-q35-vtd.qdh",
	"arm64-soc-platform.qdh", "empty.qdh", "arm64-virt-nodump.qdh",
	"x86-vmd-wide.qdh",
};

/* A v1.1 blob b through the v1.0 reader; what it must make of it. */
static void v10_reads(const char *what, uint8_t *b, size_t len)
{
	struct qdh_view v;
	size_t at;
	int ret;

	if (qdh_check(&v, b, len)) {
		tap_ok(0, "%s: the v1.1 reader accepts it", what);
		return;
	}
	ret = v10_check(b, len, &at);
	if (v.flags & QDH_F_NO_DUMP_TARGET) {
		tap_ok(ret == -QDH_E_FLAGS && at == 32,
		       "%s: no-dump-target: the v1.0 reader rejects it at the flags (%d at %zu)",
		       what, ret, at);
		return;
	}
	tap_is_int(ret, 0, "%s: the v1.0 reader accepts it", what);
	tap_is_int(same_devices(b, len, &v), 0, "  every device of the device table reads the same");
	tap_is_int(same_record(b, len, &v), 0, "  the record's v1.0 fields and entries read the same");
	if (v.count[QDH_SEC_WIDE_PCI]) {
		uint32_t bad = 0;

		for (uint32_t i = 0; i < v.count[QDH_SEC_WIDE_PCI]; i++) {
			struct qdh_device_info d;
			struct v10_device o;

			qdh_get_device(&v, v.count[QDH_SEC_DEVICES] + i, &d);
			/* 10000:e1:00.0 is no 0000:e1:00.0 to a v1.0 reader. */
			if (!v10_find_pci(b, len, (uint16_t)d.domain, d.bus, d.devfn, &o) &&
			    o.vendor == d.vendor && o.device == d.device)
				bad++;
		}
		tap_is_int(bad, 0, "  its %u wide functions are not in the blob for it",
			   v.count[QDH_SEC_WIDE_PCI]);
	}
}

static void test_v11_blobs(void)
{
	for (size_t i = 0; i < NELEM(v11_goldens); i++) {
		size_t len;
		uint8_t *b = slurp("tests/lib/golden", v11_goldens[i], &len);

		v10_reads(v11_goldens[i], b, len);
		free(b);
	}
	for (uint64_t seed = 1; seed <= 6; seed++) {
		struct inv inv;
		uint8_t *b;
		size_t len;
		char what[64];

		inv_random(&inv, seed, 500 * (uint32_t)seed, (uint32_t)seed * 3);
		for (uint32_t k = 0; k < inv.ni; k += 2)
			inv.iommus[k].type = QDH_IOMMU_SMMUV3;	/* streams */
		snprintf(what, sizeof(what), "random v1.1 blob %llu", (unsigned long long)seed);
		if (inv_build(&inv, &b, &len, seed, QDH_F_CRASH | QDH_F_BLOCK_BYPASS))
			tap_ok(0, "%s builds", what);
		else
			v10_reads(what, b, len);
		free(b);
		inv_free(&inv);
	}
}

/* Flags: what v1.1 changed for readers and writers. */
static void test_flags(void)
{
	size_t len, at;
	uint8_t *b = slurp("tests/lib/v1.0/golden", "x86-q35-vtd.qdh", &len);
	struct qdh_view v;

	/* A v1.0 blob cannot carry a flag its minor does not have. */
	qdh_put_le32(b + 32, qdh_le32(b + 32) | QDH_F_NO_DUMP_TARGET | QDH_F_CRASH);
	reseal(b);
	tap_is_int(qdh_check(&v, b, len), -QDH_E_FLAGS, "no-dump-target in a minor-0 blob: rejected");
	tap_is_int(v.err_offset, 32, "  at the flags");
	free(b);

	/*
	 * The builder refuses no-purgatory with block-bypass; the readers of
	 * both versions still accept such a blob, as v1.0 did.
	 */
	b = slurp("tests/lib/golden", "x86-q35-vtd.qdh", &len);
	tap_ok(qdh_le32(b + 32) == (QDH_F_KEXEC | QDH_F_NO_PURGATORY),
	       "x86-q35-vtd.qdh is a kexec_file_load blob");
	qdh_put_le32(b + 32, qdh_le32(b + 32) | QDH_F_BLOCK_BYPASS);
	reseal(b);
	tap_is_int(qdh_check(&v, b, len), 0, "no-purgatory with block-bypass: the v1.1 reader accepts it");
	tap_is_int(v10_check(b, len, &at), 0, "  so does the v1.0 reader");
	free(b);
}

int main(void)
{
	test_v10_blobs();
	test_v11_blobs();
	test_flags();
	return tap_done();
}
