/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QDH ELF note, as /proc/vmcore or an elfcorehdr carries it: from
 * memory (libelf on a buffer) and from a file descriptor (the vmcore path,
 * which reads headers and notes only), then the blob inside.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "qdh/transport.h"
#include "fuzz.h"

static void from_fd(const uint8_t *data, size_t size)
{
	static int fd = -2;
	struct qdh_locate loc = { 0 };
	int rc;

	/* One memfd reused across inputs: the fd path is the vmcore path. */
	if (fd == -2)
		fd = memfd_create("fuzz-elfnote", 0);
	if (fd < 0)
		return;
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		return;
	if (lseek(fd, 0, SEEK_SET) != 0)
		return;
	rc = qdh_elf_locate_fd(fd, &loc);
	if (rc == 0 && loc.owned == NULL)
		abort();	/* the fd reader hands over its own copy */
	qdh_fuzz_check_locate(rc, &loc, size);
	free(loc.owned);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qdh_locate loc = { 0 };
	const void *blob;
	size_t blen, off;
	int rc;

	rc = qdh_elf_locate(data, size, &loc);
	qdh_fuzz_check_locate(rc, &loc, size);
	free(loc.owned);
	rc = qdh_elf_find_blob(data, size, &blob, &blen, &off);
	if (rc == 0 && (off > size || blen > size - off))
		abort();
	from_fd(data, size);
	return 0;
}
