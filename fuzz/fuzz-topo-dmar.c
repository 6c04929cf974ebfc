/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Topology from ACPI DMAR (DRHD units, device scopes). */
#include "config.h"

#include "topo-common.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_topology(qdh_topology_add_dmar, data, size);
	return 0;
}
