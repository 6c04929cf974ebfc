// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one table of names (lib/names.c): every value the ABI defines has a
 * name, names are unique within a table, the reverse lookups invert them,
 * and values past a table read "invalid" (types "unknown"), bits NULL.
 * The strings are part of the JSON schemas: a rename fails here first.
 */
#include "tap.h"
#include "testlib.h"
#include "qdh/names.h"

static int unique(const char *(*name)(unsigned), unsigned first, unsigned last)
{
	for (unsigned i = first; i <= last; i++)
		for (unsigned j = first; j < i; j++)
			if (!name(i) || !name(j) || !strcmp(name(i), name(j)))
				return 0;
	return 1;
}

int main(void)
{
	uint32_t bad = 0;

	for (unsigned s = 1; s <= QDH_STATE_MAX; s++)
		bad += qdh_state_by_name(qdh_state_name(s)) != s;
	for (unsigned a = 1; a <= QDH_ACTION_MAX; a++)
		bad += qdh_action_by_name(qdh_action_name(a)) != a;
	tap_is_int(bad, 0, "state and action names invert");
	tap_ok(!qdh_state_by_name("invalid") && !qdh_state_by_name("") &&
	       !qdh_state_by_name(NULL) && !qdh_action_by_name("Abort"),
	       "unknown names map to 0");
	tap_ok(unique(qdh_state_name, 1, QDH_STATE_MAX) &&
	       unique(qdh_action_name, 1, QDH_ACTION_MAX) &&
	       unique(qdh_purgatory_action_name, 0, QDH_PURG_ACTION_MAX) &&
	       unique(qdh_iommu_type_name, 0, QDH_IOMMU_TYPE_MAX) &&
	       unique(qdh_ste_state_name, 0, QDH_STE_MAX) &&
	       unique(qdh_reason_name, 0, 15) && unique(qdh_header_flag_name, 0, 4) &&
	       unique(qdh_device_flag_name, 0, 3) && unique(qdh_record_flag_name, 0, 3),
	       "every defined value and bit has its own name");
	tap_is_str(qdh_state_name(QDH_STATE_BRIDGE), "bridge", "state 4");
	tap_is_str(qdh_action_name(QDH_ACTION_RESET_ATTACH), "reset-then-attach", "action 3");
	tap_is_str(qdh_purgatory_action_name(QDH_PURG_TIMEOUT), "timeout", "purgatory action 4");
	tap_is_str(qdh_iommu_type_name(QDH_IOMMU_AMDVI), "amdvi", "IOMMU type 4");
	tap_is_str(qdh_ste_state_name(QDH_STE_OUT_OF_RANGE), "out-of-range", "STE state 7");
	tap_is_str(qdh_reason_name(15), "attr-missing", "reason bit 15");
	tap_is_str(qdh_header_flag_name(4), "no-dump-target", "header flag 4");
	tap_is_str(qdh_iommu_flag_name(0), "has-active", "IOMMU flag 0");
	tap_is_str(qdh_device_flag_name(3), "sriov-vf", "device flag 3");
	tap_is_str(qdh_record_flag_name(3), "digest-skipped", "record flag 3");
	tap_ok(!strcmp(qdh_state_name(0), "invalid") && !strcmp(qdh_state_name(99), "invalid") &&
	       !strcmp(qdh_action_name(0), "invalid") &&
	       !strcmp(qdh_purgatory_action_name(QDH_PURG_ACTION_MAX + 1), "invalid") &&
	       !strcmp(qdh_ste_state_name(QDH_STE_MAX + 1), "invalid") &&
	       !strcmp(qdh_iommu_type_name(QDH_IOMMU_TYPE_MAX + 1), "unknown"),
	       "values past a table: \"invalid\" (types: \"unknown\")");
	tap_ok(!qdh_reason_name(16) && !qdh_header_flag_name(5) && !qdh_iommu_flag_name(1) &&
	       !qdh_device_flag_name(4) && !qdh_record_flag_name(4),
	       "bits past a table have no name");
	return tap_done();
}
