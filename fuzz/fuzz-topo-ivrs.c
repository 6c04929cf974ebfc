/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Topology from ACPI IVRS (IVHD blocks, device entries). */
#include "config.h"

#include "topo-common.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_topology(qdh_topology_add_ivrs, data, size);
	return 0;
}
