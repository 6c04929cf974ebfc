/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The dump makedumpfile saved (kdump-compressed, flattened, ELF in a
 * stream): qdh_dump_locate() on the buffer and qdh_dump_locate_fd() on a
 * memfd (the `qdh inspect` path) must agree on every input -- result,
 * fault, offset and blob -- and keep the locate contract (a blob found is
 * walked, a refusal says why and where).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "qdh/transport.h"
#include "fuzz.h"

static int to_memfd(const uint8_t *data, size_t size)
{
	static int fd = -2;

	/* One memfd reused across inputs. */
	if (fd == -2)
		fd = memfd_create("fuzz-dump", 0);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		return -1;
	return fd;
}

static void check(int rc, const struct qdh_locate *loc, size_t size)
{
	if (rc == 0) {
		/* the blob is gathered into owned; its first byte is in the file
		 * and so is each of its bytes, once */
		if (!loc->owned || loc->offset >= size || loc->len > size)
			abort();
		qdh_fuzz_walk_blob(loc->blob, loc->len);
	} else if (rc == -EBADMSG || rc == -ENOENT || rc == -EFBIG) {
		if (!loc->fault || loc->offset > size || loc->owned)
			abort();	/* every refusal says why and where */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qdh_locate a, b;
	struct qdh_dump_info ia, ib;
	int ra, rb, fd;

	ra = qdh_dump_locate(data, size, &a, &ia);
	check(ra, &a, size);
	fd = to_memfd(data, size);
	if (fd >= 0) {
		rb = qdh_dump_locate_fd(fd, &b, &ib);
		check(rb, &b, size);
		if (ra != rb || a.offset != b.offset || a.len != b.len ||
		    (a.fault && (!b.fault || strcmp(a.fault, b.fault))) ||
		    (ra == 0 && memcmp(a.blob, b.blob, a.len)) ||
		    strcmp(ia.format, ib.format) || ia.notes != ib.notes)
			abort();	/* the two readers disagree */
		free(b.owned);
	}
	free(a.owned);
	return 0;
}
