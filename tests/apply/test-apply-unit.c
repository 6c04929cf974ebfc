// SPDX-License-Identifier: GPL-2.0-or-later
/* The decision table row by row, kernel-message classification, BDF parsing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apply-internal.h"
#include "qdh/output.h"
#include "qdh/pcidev.h"
#include "tap.h"

enum { OK = 1, BAD = 0 };

struct row {
	const char *name;
	struct qdh_decide_in in;
	enum qdh_decision want;
};

#define IN(ok, fs, hp, inb, pres, st, br, dt, dp, rst) \
	{ ok, fs, hp, inb, pres, st, br, dt, dp, rst, 0 }
/* Not in a no-dump-target blob, a storage/network controller (apply_plan()
 * sets dump_target with dump_fallback for it). */
#define IN_FB(hp, rst) \
	{ OK, 0, hp, 0, 1, 0, 0, 1, 0, rst, 1 }

static const struct row rows[] = {
	{ "quiesced -> attach",
	  IN(OK, 0, 0, 1, 1, QDH_STATE_QUIESCED, 0, 0, 0, 1), QDH_DEC_ATTACH },
	{ "active -> abort",
	  IN(OK, 0, 0, 1, 1, QDH_STATE_ACTIVE, 0, 0, 0, 1), QDH_DEC_ABORT },
	{ "active dump target with reset -> reset-then-attach",
	  IN(OK, 0, 0, 1, 1, QDH_STATE_ACTIVE, 0, 1, 0, 1), QDH_DEC_RESET_ATTACH },
	{ "active dump target without reset -> attach (never abort the dump)",
	  IN(OK, 0, 0, 1, 1, QDH_STATE_ACTIVE, 0, 1, 0, 0), QDH_DEC_ATTACH },
	{ "unknown -> abort",
	  IN(OK, 0, 0, 1, 1, QDH_STATE_UNKNOWN, 0, 0, 0, 1), QDH_DEC_ABORT },
	{ "unknown dump target -> reset",
	  IN(OK, 0, 0, 1, 1, QDH_STATE_UNKNOWN, 0, 1, 0, 1), QDH_DEC_RESET_ATTACH },
	{ "blob bridge state -> attach",
	  IN(OK, 0, 0, 1, 1, QDH_STATE_BRIDGE, 1, 0, 0, 0), QDH_DEC_ATTACH },
	{ "active but a bridge now -> attach",
	  IN(OK, 0, 0, 1, 1, QDH_STATE_ACTIVE, 1, 0, 0, 0), QDH_DEC_ATTACH },
	{ "active parent of dump target -> attach",
	  IN(OK, 0, 0, 1, 1, QDH_STATE_ACTIVE, 0, 0, 1, 0), QDH_DEC_ATTACH },
	{ "in blob, absent now -> ignore",
	  IN(OK, 0, 0, 1, 0, QDH_STATE_ACTIVE, 0, 0, 0, 0), QDH_DEC_IGNORE },
	{ "hot-plugged, policy abort -> abort",
	  IN(OK, 0, QDH_HOTPLUG_ABORT, 0, 1, 0, 0, 0, 0, 1), QDH_DEC_ABORT },
	{ "hot-plugged, policy attach -> attach",
	  IN(OK, 0, QDH_HOTPLUG_ATTACH, 0, 1, 0, 0, 0, 0, 1), QDH_DEC_ATTACH },
	{ "hot-plugged dump target, policy abort -> reset",
	  IN(OK, 0, QDH_HOTPLUG_ABORT, 0, 1, 0, 0, 1, 0, 1), QDH_DEC_RESET_ATTACH },
	{ "hot-plugged bridge -> attach",
	  IN(OK, 0, QDH_HOTPLUG_ABORT, 0, 1, 0, 1, 0, 0, 0), QDH_DEC_ATTACH },
	{ "no blob, observe -> observe",
	  IN(BAD, QDH_FAILSAFE_OBSERVE, 0, 0, 1, 0, 0, 0, 0, 1), QDH_DEC_OBSERVE },
	{ "no blob, observe, even a bridge -> observe",
	  IN(BAD, QDH_FAILSAFE_OBSERVE, 0, 0, 1, 0, 1, 0, 0, 1), QDH_DEC_OBSERVE },
	{ "no blob, strict -> abort",
	  IN(BAD, QDH_FAILSAFE_STRICT, 0, 0, 1, 0, 0, 0, 0, 1), QDH_DEC_ABORT },
	{ "no blob, strict, bridge -> attach",
	  IN(BAD, QDH_FAILSAFE_STRICT, 0, 0, 1, 0, 1, 0, 0, 1), QDH_DEC_ATTACH },
	{ "no blob, strict, dump target -> reset",
	  IN(BAD, QDH_FAILSAFE_STRICT, 0, 0, 1, 0, 0, 1, 0, 1), QDH_DEC_RESET_ATTACH },
	{ "no blob, strict, dump target, no reset -> attach",
	  IN(BAD, QDH_FAILSAFE_STRICT, 0, 0, 1, 0, 0, 1, 0, 0), QDH_DEC_ATTACH },
	{ "no blob, strict, dump parent -> attach",
	  IN(BAD, QDH_FAILSAFE_STRICT, 0, 0, 1, 0, 0, 0, 1, 0), QDH_DEC_ATTACH },
	{ "no-dump-target blob, storage/net not in it, reset -> reset-then-attach",
	  IN_FB(QDH_HOTPLUG_ABORT, 1), QDH_DEC_RESET_ATTACH },
	{ "no-dump-target blob, storage/net not in it, no reset -> attach (never abort)",
	  IN_FB(QDH_HOTPLUG_ABORT, 0), QDH_DEC_ATTACH },
	{ "no-dump-target blob, storage/net not in it, hotplug attach -> still reset",
	  IN_FB(QDH_HOTPLUG_ATTACH, 1), QDH_DEC_RESET_ATTACH },
	{ "out-of-range state is unknown -> abort",
	  IN(OK, 0, 0, 1, 1, 9, 0, 0, 0, 0), QDH_DEC_ABORT },
};

static void test_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char why[192] = "";
		enum qdh_decision d = qdh_apply_decide(&rows[i].in, why, sizeof(why));

		if (!tap_ok(d == rows[i].want, "%s (%s)", rows[i].name, why))
			printf("# got %s, want %s\n", qdh_decision_name(d),
			       qdh_decision_name(rows[i].want));
	}
}

static void test_kmsg(void)
{
	static const struct { const char *line, *state, *iommu; } k[] = {
		{ "arm-smmu-v3 9050000.smmuv3: SMMU currently enabled! Resetting...",
		  "enabled-reset", "9050000.smmuv3" },
		{ "DMAR: Translation already enabled - trying to copy translation structures",
		  "enabled", "dmar" },
		{ "DMAR: Copied translation tables from previous kernel for dmar0",
		  "tables-copied", "dmar0" },
		{ "DMAR: Failed to copy translation tables from previous kernel for dmar1",
		  "copy-failed", "dmar1" },
		{ "DMAR: Translation was enabled for dmar0 but we are not in kdump mode",
		  "enabled", "dmar0" },
		{ "AMD-Vi: Translation is already enabled - trying to copy translation structures",
		  "enabled", "amd-vi" },
		{ "AMD-Vi: Translation is already enabled - trying to reuse translation structures",
		  "enabled", "amd-vi" },
		{ "AMD-Vi: Copied DEV table from previous kernel.", "tables-copied", "amd-vi" },
		{ "virtio_blk virtio1: [vda] 2048 512-byte logical blocks", NULL, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		char iommu[64] = "";
		const char *st = qdh_kmsg_classify(k[i].line, iommu, sizeof(iommu));

		if (!k[i].state) {
			tap_ok(st == NULL, "kmsg: not an IOMMU state line: %s", k[i].line);
			continue;
		}
		tap_is_str(st, k[i].state, "kmsg state: %s", k[i].line);
		tap_is_str(iommu, k[i].iommu, "kmsg iommu name: %s", k[i].line);
	}
}

static void test_bdf(void)
{
	struct qdh_bdf b;

	tap_ok(qdh_bdf_parse("0001:02:1f.7", &b) == 0 &&
	       b.domain == 1 && b.bus == 2 && b.devfn == (0x1f << 3 | 7), "bdf parses");
	tap_ok(qdh_bdf_parse("0000:00:20.0", &b) < 0, "bdf: device 32 rejected");
	tap_ok(qdh_bdf_parse("0000:00:02.0x", &b) < 0, "bdf: trailing junk rejected");
	tap_ok(qdh_bdf_parse("../../etc", &b) < 0, "bdf: path rejected");
	/* sscanf("%4x") took "0x00" as a segment: apply used to accept it. */
	tap_ok(qdh_bdf_parse("0x00:00:01.0", &b) < 0,
	       "bdf: '0x00:00:01.0' rejected (apply walks the bus with scan's parser)");
}

/* --- Bridges from the live device (issue 12 item 6) ----------------------- */

static void test_bridges(void)
{
	static const struct { int cls, hdr, bridge; const char *what; } b[] = {
		{ 0x060000, 0, 1, "host bridge 0x0600" },
		{ 0x060400, 1, 1, "PCI-to-PCI 0x0604" },
		{ 0x060401, 1, 1, "subtractive PCI-to-PCI 0x0604/01" },
		{ 0x060700, 2, 1, "CardBus 0x0607" },
		{ 0x060800, 0, 1, "RACEway 0x0608" },
		{ 0x060940, 0, 1, "semi-transparent 0x0609" },
		{ 0x060400, -1, 1, "0x0604 with unreadable config" },
		{ -1, 1, 1, "header type 1, class unknown" },
		{ -1, 2, 1, "header type 2, class unknown" },
		{ 0x060100, 0, 0, "ISA bridge 0x0601 may master: not a bridge" },
		{ 0x068000, 0, 0, "other bridge 0x0680: not a bridge" },
		{ 0x020000, 0, 0, "NIC: not a bridge" },
		{ -1, -1, 0, "nothing known: not a bridge" },
	};
	struct qdh_now_dev d;
	size_t i;

	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		memset(&d, 0, sizeof(d));
		d.class_code = b[i].cls;
		d.header_type = b[i].hdr;
		tap_ok(qdh_now_is_bridge(&d) == b[i].bridge, "bridge now: %s", b[i].what);
	}
	memset(&d, 0, sizeof(d));
	d.is_platform = 1;
	d.class_code = 0x060000;
	tap_ok(!qdh_now_is_bridge(&d), "a platform device is never a PCI bridge");
}

/* --- Items: identity and linear matching (items 4, 5, 8) ------------------ */

static uint8_t *blob_of(unsigned npci, const char *platform_name, size_t *len,
			struct qdh_view *v)
{
	size_t cap = qdh_build_size_bound(0, npci + 1, 0, 64);
	uint8_t *buf = calloc(1, cap);
	struct qdh_builder b;
	unsigned i;

	if (!buf || qdh_build_init(&b, buf, cap, 0, npci + 1, 0, 64, 1, QDH_F_CRASH) < 0)
		goto fail;
	for (i = 0; i < npci; i++) {
		struct qdh_device_spec d = {
			.domain = i >> 16, .bus = (uint8_t)(i >> 8),
			.devfn = (uint8_t)i, .vendor = 0x8086, .device = 0x1234,
			.class_code = 0x020000, .state = QDH_STATE_ACTIVE,
			.action = QDH_ACTION_ABORT, .iommu = QDH_NO_IOMMU,
		};

		if (qdh_build_add_device(&b, &d) < 0)
			goto fail;
	}
	if (platform_name) {
		struct qdh_device_spec d = {
			.is_platform = 1, .name = platform_name, .state = QDH_STATE_QUIESCED,
			.action = QDH_ACTION_ATTACH, .iommu = QDH_NO_IOMMU,
		};

		if (qdh_build_add_device(&b, &d) < 0)
			goto fail;
	}
	if (qdh_build_finish(&b, len) < 0 || qdh_check(v, buf, *len) < 0)
		goto fail;
	return buf;
fail:
	free(buf);
	return NULL;
}

static void now_pci(struct qdh_now *now, unsigned n)
{
	unsigned i;

	now->devs = calloc(n ? n : 1, sizeof(*now->devs));
	now->n = now->cap = n;
	/* Listed backwards: the matcher may not rely on readdir order. */
	for (i = 0; i < n; i++) {
		struct qdh_now_dev *d = &now->devs[n - 1 - i];

		d->domain = (uint32_t)(i >> 16);
		d->bus = (uint8_t)(i >> 8);
		d->devfn = (uint8_t)i;
		snprintf(d->name, sizeof(d->name), "%04x:%02x:%02x.%x", d->domain, d->bus,
			 d->devfn >> 3, d->devfn & 7);
		snprintf(d->path, sizeof(d->path), "/sys/devices/pci%04x:00/%s", d->domain,
			 d->name);
		d->class_code = 0x020000;
		d->header_type = d->command = -1;
	}
}

static void test_identity(void)
{
	struct qdh_view v;
	struct qdh_now now;
	struct apply_items it;
	struct apply_item *pci, *plat;
	size_t len;
	uint8_t *blob = blob_of(0, "0000:00:02.0", &len, &v);

	if (!tap_ok(blob != NULL, "identity: blob with a platform entry named 0000:00:02.0"))
		return;
	memset(&now, 0, sizeof(now));
	now_pci(&now, 3);	/* 0000:00:00.0 .. 0000:00:00.2 */
	snprintf(now.devs[0].name, sizeof(now.devs[0].name), "0000:00:02.0");
	now.devs[0].devfn = 2 << 3;
	tap_ok(apply_items_build(&v, &now, &it) == 0 && it.n == 4,
	       "identity: the platform entry and the PCI function are two devices (%zu)", it.n);
	pci = apply_items_find_pci(&it, 0, 0, 2 << 3);
	plat = apply_items_find_platform(&it, "0000:00:02.0");
	tap_ok(pci && !pci->in_blob && pci->now && !pci->is_platform,
	       "identity: PCI 0000:00:02.0 is present and not in the blob");
	tap_ok(plat && plat->in_blob && !plat->now && plat->is_platform,
	       "identity: platform 0000:00:02.0 is in the blob and absent");
	tap_ok(pci && pci->bi.state == 0, "identity: the platform entry's verdict does not reach the PCI function");
	apply_items_free(&it);
	free(now.devs);
	free(blob);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seconds to build the items of n present functions against a blob of n. */
static double match_time(unsigned n, size_t *matched)
{
	struct qdh_view v;
	struct qdh_now now;
	struct apply_items it;
	size_t len, i;
	uint8_t *blob = blob_of(n, NULL, &len, &v);
	double t = -1;

	*matched = 0;
	if (!blob)
		return -1;
	memset(&now, 0, sizeof(now));
	now_pci(&now, n);
	t = now_s();
	if (apply_items_build(&v, &now, &it) < 0)
		t = -1;
	else
		t = now_s() - t;
	for (i = 0; t >= 0 && i < it.n; i++)
		*matched += it.v[i].in_blob && it.v[i].now;
	for (i = 0; t >= 0 && i < n; i++)
		if (!apply_items_find_path(&it, now.devs[i].path, strlen(now.devs[i].path)))
			*matched = 0;	/* a path the hash lost */
	apply_items_free(&it);
	free(now.devs);
	free(blob);
	return t;
}

/*
 * A full segment: matching by a search per device took 33 s here; sorted
 * and merged it is a fraction of a second.  On a loaded machine (or under
 * the sanitizers) seconds stretch, so the bound is "under 2 s, or grown
 * less than 64x from 1/16 of the devices": linear grows 16x, a search per
 * device 256x, and fails both.  CPU time, not wall time: under load the
 * longer run is preempted more often (ASan, load 27: 2.7 s against 64x
 * 0.03 s, a failure of a linear match).
 */
static void test_linear(void)
{
	unsigned n = 65536;
	size_t matched = 0, m16;
	double t, t16 = 1e9, x;
	int i;

	for (i = 0; i < 3; i++) {	/* the best of three: the small run is noisy */
		x = match_time(n / 16, &m16);
		if (x >= 0 && x < t16)
			t16 = x;
	}
	t = match_time(n, &matched);
	if (!tap_ok(t >= 0, "linear: a blob of %u PCI functions, items built", n))
		return;
	tap_ok(matched == n, "linear: %u functions, every one matched, every path hashed (%zu)",
	       n, matched);
	tap_ok(t < 2.0 || t < 64 * t16,
	       "linear: %u functions matched in %.3f s (< 2 s, or < 64x the %.4f s of %u)",
	       n, t, t16, n / 16);
}

static void test_empty(void)
{
	struct qdh_now now;
	struct apply_items it;

	memset(&now, 0, sizeof(now));
	/* qsort(NULL, 0) aborted the UBSan build here. */
	tap_ok(apply_items_build(NULL, &now, &it) == 0 && it.n == 0,
	       "no blob, no devices: a clean, empty item list");
	apply_items_mark_dump_parents(&it);
	tap_ok(apply_items_find_pci(&it, 0, 0, 0) == NULL, "empty: nothing to find");
	apply_items_free(&it);
}

/* --- Kernel messages: every one that changes the summary is kept ------------ */

static void test_kmsg_many(void)
{
	char path[] = "/tmp/qdh-kmsg-XXXXXX";
	int fd = mkstemp(path), i, found = 0;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	struct json_object *arr;
	const char *summary = "";
	size_t k, omitted = 0;

	if (!tap_ok(f != NULL, "kmsg: temporary file"))
		return;
	fprintf(f, "6,1,100,-;DMAR: Translation already enabled - trying to copy translation structures\n");
	for (i = 0; i < 300; i++)
		fprintf(f, "6,%d,200,-;DMAR: Copied translation tables from previous kernel for dmar%d\n",
			i + 2, i);
	fprintf(f, "3,999,300,-;DMAR: Failed to copy translation tables from previous kernel for dmar300\n");
	fclose(f);
	arr = qdh_kmsg_iommu_state(NULL, path, &summary, &omitted);
	unlink(path);
	tap_is_str(summary, "copy-failed", "kmsg: 302 IOMMU lines, the last a failure: summary copy-failed");
	for (k = 0; k < json_object_array_length(arr); k++)
		found |= !strcmp(qdh_json_str(json_object_array_get_idx(arr, k), "iommu", ""), "dmar300");
	tap_ok(found, "kmsg: the failing unit's message is kept");
	tap_ok(json_object_array_length(arr) == 65 && omitted == 237,
	       "kmsg: 64 kept, the failure kept after them, the rest counted (%zu kept, %zu omitted)",
	       json_object_array_length(arr), omitted);
	json_object_put(arr);
}

int main(void)
{
	test_table();
	test_kmsg();
	test_bdf();
	test_bridges();
	test_identity();
	test_linear();
	test_empty();
	test_kmsg_many();
	return tap_done();
}
