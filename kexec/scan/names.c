// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stable names for the QDH enums and reason bits.  These strings are part of
 * the JSON schema (doc/scan-json.md) and the verdict table (doc/verdicts.md):
 * never rename one, only add.
 */
#include "config.h"

#include <stddef.h>
#include <sys/stat.h>	/* sysroot.h (via inventory.h) needs struct stat */

#include "qdh/inventory.h"

const char *qdh_state_name(unsigned state)
{
	switch (state) {
	case QDH_STATE_QUIESCED:	return "quiesced";
	case QDH_STATE_ACTIVE:		return "active";
	case QDH_STATE_UNKNOWN:		return "unknown";
	case QDH_STATE_BRIDGE:		return "bridge";
	}
	return "invalid";
}

const char *qdh_action_name(unsigned action)
{
	switch (action) {
	case QDH_ACTION_ATTACH:		return "attach";
	case QDH_ACTION_ABORT:		return "abort";
	case QDH_ACTION_RESET_ATTACH:	return "reset-then-attach";
	}
	return "invalid";
}

const char *qdh_iommu_type_name(unsigned type)
{
	switch (type) {
	case QDH_IOMMU_SMMUV3:	return "smmuv3";
	case QDH_IOMMU_SMMUV2:	return "smmuv2";
	case QDH_IOMMU_VTD:	return "vtd";
	case QDH_IOMMU_AMDVI:	return "amdvi";
	}
	return "unknown";
}

/* Indexed by bit number; the order is the ABI's QDH_R_* order. */
static const char *const reason_names[16] = {
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

const char *qdh_reason_name(unsigned bit)
{
	if (bit >= sizeof(reason_names) / sizeof(reason_names[0]))
		return NULL;
	return reason_names[bit];
}
