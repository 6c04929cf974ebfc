// SPDX-License-Identifier: GPL-2.0-or-later
/* The in-memory image of one load: segments, owned buffers. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qdh/loader.h"

int qdh_ld_add_segment(struct qdh_ld_image *img, const char *name,
		       uint8_t *buf, size_t bufsz, uint64_t memsz, int verify)
{
	struct qdh_ld_segment *s;

	if (img->nseg >= QDH_LD_MAX_SEGMENTS || bufsz > memsz)
		return -E2BIG;
	s = &img->seg[img->nseg];
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->buf = buf;
	s->bufsz = bufsz;
	s->memsz = memsz;
	s->verify = verify;
	return (int)img->nseg++;
}

void qdh_ld_image_free(struct qdh_ld_image *img)
{
	unsigned i;

	for (i = 0; i < img->nseg; i++)
		free(img->seg[i].buf);
	free(img->blob);
	free(img->kernel_file);
	free(img->initrd_file);
	memset(img, 0, sizeof(*img));
}
