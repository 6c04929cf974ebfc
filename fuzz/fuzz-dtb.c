/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /chosen/kexec-qdh,handover from a flattened device tree: the container
 * check (fdt_check_full), the property lookup, then the blob inside.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "qdh/transport.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qdh_locate loc = { 0 };
	const void *blob;
	size_t blen, off;
	int rc;

	rc = qdh_dtb_locate(data, size, &loc);
	if (rc == 0 && (const uint8_t *)loc.blob < data)
		abort();
	qdh_fuzz_check_locate(rc, &loc, size);
	rc = qdh_dtb_find_blob(data, size, &blob, &blen, &off);
	if (rc == 0 && (off > size || blen > size - off))
		abort();
	return 0;
}
