/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The newc cpio appendix of an initrd: find QDH_INITRD_PATH among the
 * archives concatenated at the end of the image, then the blob inside; and
 * the file reader (qdh inspect's, through a window) must say exactly what
 * the memory reader says.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "qdh/transport.h"
#include "fuzz.h"

static void from_fd(const uint8_t *data, size_t size, int rc_mem,
		    const struct qdh_locate *mem)
{
	static int fd = -2;
	struct qdh_locate loc = { 0 };
	int rc;

	if (fd == -2)
		fd = memfd_create("fuzz-initrd", 0);
	if (fd < 0 || ftruncate(fd, 0) != 0 ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		return;
	rc = qdh_initrd_locate_fd(fd, size, &loc);
	if (rc != rc_mem || loc.offset != mem->offset || loc.len != mem->len ||
	    (loc.fault && mem->fault && strcmp(loc.fault, mem->fault)) ||
	    !loc.fault != !mem->fault)
		abort();	/* the two readers disagree */
	if (rc == 0 && (!loc.owned || memcmp(loc.owned, mem->blob, loc.len)))
		abort();
	free(loc.owned);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qdh_locate loc = { 0 };
	const void *blob;
	size_t blen, off;
	int rc;

	(void)qdh_detect_container(data, size);
	rc = qdh_initrd_locate(data, size, &loc);
	qdh_fuzz_check_locate(rc, &loc, size);
	from_fd(data, size, rc, &loc);
	rc = qdh_initrd_find_blob(data, size, &blob, &blen, &off);
	if (rc == 0 && (off > size || blen > size - off))
		abort();
	return 0;
}
