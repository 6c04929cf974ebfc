// SPDX-License-Identifier: GPL-2.0-or-later
/* The decision table row by row, kernel-message classification, BDF parsing. */
#include "config.h"

#include "qdh/apply.h"
#include "tap.h"

enum { OK = 1, BAD = 0 };

struct row {
	const char *name;
	struct qdh_decide_in in;
	enum qdh_decision want;
};

#define IN(ok, fs, hp, inb, pres, st, br, dt, dp, rst) \
	{ ok, fs, hp, inb, pres, st, br, dt, dp, rst }

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
	uint16_t seg;
	uint8_t bus, devfn;

	tap_ok(qdh_apply_parse_bdf("0001:02:1f.7", &seg, &bus, &devfn) == 0 &&
	       seg == 1 && bus == 2 && devfn == (0x1f << 3 | 7), "bdf parses");
	tap_ok(qdh_apply_parse_bdf("0000:00:20.0", &seg, &bus, &devfn) < 0, "bdf: device 32 rejected");
	tap_ok(qdh_apply_parse_bdf("0000:00:02.0x", &seg, &bus, &devfn) < 0, "bdf: trailing junk rejected");
	tap_ok(qdh_apply_parse_bdf("../../etc", &seg, &bus, &devfn) < 0, "bdf: path rejected");
}

int main(void)
{
	test_table();
	test_kmsg();
	test_bdf();
	return tap_done();
}
