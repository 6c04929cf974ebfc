// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stable names for the QDH enums and bits (include/qdh/names.h): tables
 * indexed by value or bit number, in the order of include/uapi/qdh.h, so
 * that a new value is one line here.  Arrays of characters, not of
 * pointers: purgatory is linked position independent with no relocations
 * at all, and a pointer table would need one per entry.
 */
#include "codec-internal.h"
#include "qdh/names.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define NAME_MAX_LEN	20	/* the longest name, with its NUL */

static const char state_names[][NAME_MAX_LEN] = {
	[QDH_STATE_QUIESCED] = "quiesced",
	[QDH_STATE_ACTIVE] = "active",
	[QDH_STATE_UNKNOWN] = "unknown",
	[QDH_STATE_BRIDGE] = "bridge",
};

static const char action_names[][NAME_MAX_LEN] = {
	[QDH_ACTION_ATTACH] = "attach",
	[QDH_ACTION_ABORT] = "abort",
	[QDH_ACTION_RESET_ATTACH] = "reset-then-attach",
};

static const char purgatory_action_names[][NAME_MAX_LEN] = {
	[QDH_PURG_NONE] = "none",
	[QDH_PURG_OBSERVED] = "observed",
	[QDH_PURG_GBPA_ABORT] = "gbpa-abort",
	[QDH_PURG_FAULT_STREAMS] = "fault-streams",
	[QDH_PURG_TIMEOUT] = "timeout",
	[QDH_PURG_SKIPPED] = "skipped",
};

static const char iommu_type_names[][NAME_MAX_LEN] = {
	[QDH_IOMMU_UNKNOWN] = "unknown",
	[QDH_IOMMU_SMMUV3] = "smmuv3",
	[QDH_IOMMU_SMMUV2] = "smmuv2",
	[QDH_IOMMU_VTD] = "vtd",
	[QDH_IOMMU_AMDVI] = "amdvi",
};

static const char ste_names[][NAME_MAX_LEN] = {
	[QDH_STE_NOT_READ] = "not-read",
	[QDH_STE_INVALID] = "invalid",
	[QDH_STE_ABORT] = "abort",
	[QDH_STE_BYPASS] = "bypass",
	[QDH_STE_S1] = "s1",
	[QDH_STE_S2] = "s2",
	[QDH_STE_NESTED] = "nested",
	[QDH_STE_OUT_OF_RANGE] = "out-of-range",
	[QDH_STE_UNREADABLE] = "unreadable",
};

/* Bit tables: entry b names bit b (1u << b). */
static const char reason_names[][NAME_MAX_LEN] = {
	"no-driver",		/* QDH_R_NO_DRIVER */
	"driver-bound",		/* QDH_R_DRIVER_BOUND */
	"bus-master-off",	/* QDH_R_BUS_MASTER_OFF */
	"bus-master-on",	/* QDH_R_BUS_MASTER_ON */
	"d3cold",		/* QDH_R_D3COLD */
	"vfio-owned",		/* QDH_R_VFIO_OWNED */
	"shutdown-driver",	/* QDH_R_SHUTDOWN_DRIVER */
	"config-unreadable",	/* QDH_R_CONFIG_UNREADABLE */
	"contradiction",	/* QDH_R_CONTRADICTION */
	"bridge",		/* QDH_R_BRIDGE */
	"policy",		/* QDH_R_POLICY */
	"identity-domain",	/* QDH_R_IDENTITY_DOMAIN */
	"no-bus-master-info",	/* QDH_R_NO_BUS_MASTER_INFO */
	"disabled",		/* QDH_R_DISABLED */
	"dump-target",		/* QDH_R_DUMP_TARGET */
	"attr-missing",		/* QDH_R_ATTR_MISSING */
};

static const char header_flag_names[][NAME_MAX_LEN] = {
	"crash",		/* QDH_F_CRASH */
	"kexec",		/* QDH_F_KEXEC */
	"no-purgatory",		/* QDH_F_NO_PURGATORY */
	"block-bypass",		/* QDH_F_BLOCK_BYPASS */
	"no-dump-target",	/* QDH_F_NO_DUMP_TARGET */
};

static const char iommu_flag_names[][NAME_MAX_LEN] = {
	"has-active",		/* QDH_IOMMU_F_HAS_ACTIVE */
};

static const char device_flag_names[][NAME_MAX_LEN] = {
	"platform",		/* QDH_DEV_F_PLATFORM */
	"dump-target",		/* QDH_DEV_F_DUMP_TARGET */
	"driver",		/* QDH_DEV_F_DRIVER */
	"sriov-vf",		/* QDH_DEV_F_SRIOV_VF */
};

static const char record_flag_names[][NAME_MAX_LEN] = {
	"purgatory-ran",	/* QDH_REC_F_PURGATORY_RAN */
	"digest-ok",		/* QDH_REC_F_DIGEST_OK */
	"digest-bad",		/* QDH_REC_F_DIGEST_BAD */
	"digest-skipped",	/* QDH_REC_F_DIGEST_SKIPPED */
};

/* Every table covers exactly what the ABI defines. */
_Static_assert(NELEM(state_names) == QDH_STATE_MAX + 1, "a state without a name");
_Static_assert(NELEM(action_names) == QDH_ACTION_MAX + 1, "an action without a name");
_Static_assert(NELEM(purgatory_action_names) == QDH_PURG_ACTION_MAX + 1,
	       "a purgatory action without a name");
_Static_assert(NELEM(iommu_type_names) == QDH_IOMMU_TYPE_MAX + 1, "a type without a name");
_Static_assert(NELEM(ste_names) == QDH_STE_MAX + 1, "an STE state without a name");
_Static_assert(NELEM(reason_names) == 16, "reasons are 16 bits");
_Static_assert((1u << NELEM(header_flag_names)) - 1 == QDH_F_KNOWN, "header flags");
_Static_assert((1u << NELEM(iommu_flag_names)) - 1 == QDH_IOMMU_F_KNOWN, "IOMMU flags");
_Static_assert((1u << NELEM(device_flag_names)) - 1 == QDH_DEV_F_KNOWN, "device flags");
_Static_assert((1u << NELEM(record_flag_names)) - 1 == QDH_REC_F_KNOWN, "record flags");

/* An entry the table leaves out (value 0 of states and actions) is "". */
static const char *pick(const char (*names)[NAME_MAX_LEN], size_t n, unsigned int i)
{
	return i < n && names[i][0] ? names[i] : NULL;
}

#define PICK(names, i)	pick(names, NELEM(names), i)

static const char *or_invalid(const char *s)
{
	return s ? s : "invalid";
}

const char *qdh_state_name(unsigned int state)
{
	return or_invalid(PICK(state_names, state));
}

const char *qdh_action_name(unsigned int action)
{
	return or_invalid(PICK(action_names, action));
}

const char *qdh_purgatory_action_name(unsigned int action)
{
	return or_invalid(PICK(purgatory_action_names, action));
}

const char *qdh_iommu_type_name(unsigned int type)
{
	const char *s = PICK(iommu_type_names, type);

	return s ? s : "unknown";
}

const char *qdh_ste_state_name(unsigned int ste)
{
	return or_invalid(PICK(ste_names, ste));
}

const char *qdh_reason_name(unsigned int bit)
{
	return PICK(reason_names, bit);
}

const char *qdh_header_flag_name(unsigned int bit)
{
	return PICK(header_flag_names, bit);
}

const char *qdh_iommu_flag_name(unsigned int bit)
{
	return PICK(iommu_flag_names, bit);
}

const char *qdh_device_flag_name(unsigned int bit)
{
	return PICK(device_flag_names, bit);
}

const char *qdh_record_flag_name(unsigned int bit)
{
	return PICK(record_flag_names, bit);
}

static unsigned int by_name(const char (*names)[NAME_MAX_LEN], size_t n, const char *name)
{
	if (!name || !name[0])
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!qdh_strcmp(names[i], name))
			return (unsigned int)i;
	return 0;
}

unsigned int qdh_state_by_name(const char *name)
{
	return by_name(state_names, NELEM(state_names), name);
}

unsigned int qdh_action_by_name(const char *name)
{
	return by_name(action_names, NELEM(action_names), name);
}
