// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernel file: read whole, gunzipped when it is Image.gz. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qdh/codec.h"
#include "qdh/loader.h"

#define KERNEL_MAX	QDH_LD_KERNEL_MAX
/*
 * An Image.gz decompresses to at most the least of: 128 MiB, the
 * image_size its arm64 Image header gives (the kernel's whole footprint,
 * BSS included, so the file is never larger), and 32 times its compressed
 * size but at least 16 MiB (kernels compress about 3 to 4 times; small
 * test images far better).  A gzip bomb is refused after that much
 * output, not after a gibibyte.
 */
#define KERNEL_GZ_MAX	(128u << 20)
#define KERNEL_GZ_RATIO	32u
#define KERNEL_GZ_FLOOR	(16u << 20)
#define ARM64_HDR	64u	/* arm64 booting.rst: image_size at 16, magic at 56 */

static size_t gunzip_cap(const uint8_t *raw, size_t rawlen)
{
	uint8_t head[ARM64_HDR];
	size_t cap = KERNEL_GZ_MAX;
	uint64_t image_size;

	if (rawlen < KERNEL_GZ_MAX / KERNEL_GZ_RATIO)
		cap = rawlen * KERNEL_GZ_RATIO;
	if (cap < KERNEL_GZ_FLOOR)
		cap = KERNEL_GZ_FLOOR;
	if (qdh_ld_gunzip_head(raw, rawlen, head, sizeof(head)) == sizeof(head) &&
	    !memcmp(head + 56, "ARM\x64", 4)) {
		image_size = qdh_le64(head + 16);
		if (image_size >= sizeof(head) && image_size < cap)
			cap = (size_t)image_size;
	}
	return cap < ARM64_HDR ? ARM64_HDR : cap;
}

int qdh_ld_read_kernel(struct qdh_ld_ctx *c, uint8_t **buf, size_t *len,
		       int *was_gzip)
{
	uint8_t *raw, *out;
	size_t rawlen, outlen, off, cap;
	int r = qdh_ld_read_file(c, c->o->kernel, KERNEL_MAX, &raw, &rawlen);

	*was_gzip = 0;
	if (r < 0) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s", c->o->kernel,
			 r == -EFBIG ? "larger than 512 MiB" : strerror(-r));
		return r;
	}
	if (!qdh_ld_is_gzip(raw, rawlen)) {
		*buf = raw;
		*len = rawlen;
		return 0;
	}
	cap = gunzip_cap(raw, rawlen);
	r = qdh_ld_gunzip(raw, rawlen, cap, &out, &outlen, &off);
	free(raw);
	if (r == -EFBIG) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: decompresses to more than %zu "
			 "bytes (128 MiB, its Image header's image_size, or 32 "
			 "times its compressed size, whichever is least): refused "
			 "as a decompression bomb", c->o->kernel, cap);
		return r;
	}
	if (r < 0) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s (at byte %zu of the "
			 "compressed file)", c->o->kernel,
			 r == -EBADMSG ? "corrupt or truncated gzip data" :
			 strerror(-r), off);
		return r;
	}
	*was_gzip = 1;
	*buf = out;
	*len = outlen;
	return 0;
}
