/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/iomem text (kexec/loader/iomem.c): strict parse, then what the
 * loader does with it (select RAM, crash kernel and reserved ranges,
 * subtract one list from another).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "qdh/loader.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qdh_memmap mm = { 0 };
	struct qdh_mem_range ram[QDH_LD_MAX_RANGES], crash[QDH_LD_MAX_RANGES];
	struct qdh_mem_range out[QDH_LD_MAX_RANGES];
	size_t bad = 0, nram, ncrash, i;
	int rc;

	rc = qdh_iomem_parse((const char *)data, size, &mm, &bad);
	if (rc == -EBADMSG && bad == 0)
		abort();	/* a refusal names the line */
	if (rc != 0) {
		qdh_memmap_free(&mm);
		return 0;
	}
	for (i = 0; i < mm.n; i++)
		if (mm.r[i].start > mm.r[i].end)
			abort();
	nram = qdh_memmap_select(&mm, QDH_MEM_RAM, ram, QDH_LD_MAX_RANGES);
	ncrash = qdh_memmap_select(&mm, QDH_MEM_CRASH, crash, QDH_LD_MAX_RANGES);
	if (nram > QDH_LD_MAX_RANGES)
		nram = QDH_LD_MAX_RANGES;
	if (ncrash > QDH_LD_MAX_RANGES)
		ncrash = QDH_LD_MAX_RANGES;
	(void)qdh_memmap_select(&mm, QDH_MEM_RESERVED, out, QDH_LD_MAX_RANGES);
	rc = qdh_ranges_subtract(ram, nram, crash, ncrash, out, QDH_LD_MAX_RANGES);
	if (rc > QDH_LD_MAX_RANGES)
		abort();
	for (i = 0; rc > 0 && i < (size_t)rc; i++)
		if (out[i].start > out[i].end)
			abort();
	qdh_memmap_free(&mm);
	return 0;
}
