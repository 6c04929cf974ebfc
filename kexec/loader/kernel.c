// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernel file: read whole, gunzipped when it is Image.gz. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qdh/loader.h"

#define KERNEL_MAX	(512u << 20)
#define KERNEL_GZ_MAX	(1024u << 20)

int qdh_ld_read_kernel(struct qdh_ld_ctx *c, uint8_t **buf, size_t *len,
		       int *was_gzip)
{
	uint8_t *raw, *out;
	size_t rawlen, outlen, off;
	int r = qdh_ld_read_file(c->o->kernel, KERNEL_MAX, &raw, &rawlen);

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
	r = qdh_ld_gunzip(raw, rawlen, KERNEL_GZ_MAX, &out, &outlen, &off);
	free(raw);
	if (r < 0) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s (at byte %zu of the "
			 "compressed file)", c->o->kernel,
			 r == -EBADMSG ? "corrupt or truncated gzip data" :
			 r == -EFBIG ? "decompresses to more than 1 GiB" :
			 strerror(-r), off);
		return r;
	}
	*was_gzip = 1;
	*buf = out;
	*len = outlen;
	return 0;
}
