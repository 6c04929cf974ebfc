/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The newc cpio appendix of an initrd: find QDH_INITRD_PATH among the
 * archives concatenated at the end of the image, then the blob inside.
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

	(void)qdh_detect_container(data, size);
	rc = qdh_initrd_locate(data, size, &loc);
	qdh_fuzz_check_locate(rc, &loc, size);
	rc = qdh_initrd_find_blob(data, size, &blob, &blen, &off);
	if (rc == 0 && (off > size || blen > size - off))
		abort();
	return 0;
}
