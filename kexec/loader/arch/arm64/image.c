// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The arm64 Image header (Documentation/arch/arm64/booting.rst): 64 bytes,
 * little-endian, magic "ARM\x64" at 56; text_offset at 8, image_size at 16,
 * flags at 24 (bit 0 big-endian kernel, bits 1-2 page size, bit 3 physical
 * placement anywhere).
 */
#include "config.h"

#include <errno.h>

#include "qdh/codec.h"
#include "qdh/loader.h"

int arm64_image_parse(const uint8_t *buf, size_t len, struct arm64_image *im,
		      const char **why)
{
	static const unsigned page_kb[] = { 0, 4, 16, 64 };

	*why = NULL;
	if (len < ARM64_IMAGE_HDR_SIZE) {
		*why = "shorter than the 64-byte arm64 Image header";
		return -ENOEXEC;
	}
	if (qdh_le32(buf + 56) != ARM64_IMAGE_MAGIC) {
		*why = "no arm64 Image magic \"ARM\\x64\" at byte 56";
		return -ENOEXEC;
	}
	im->text_offset = qdh_le64(buf + 8);
	im->image_size = qdh_le64(buf + 16);
	im->flags = qdh_le64(buf + 24);
	if (im->image_size == 0) {
		/* Before Linux 3.17 the header had no size; text_offset was
		 * 0x80000 and the size unknown.  Not worth guessing. */
		*why = "image_size is 0 (pre-3.17 kernel): not supported";
		return -ENOEXEC;
	}
	im->big_endian = im->flags & 1;
	im->page_size_kb = page_kb[(im->flags >> 1) & 3];
	im->phys_anywhere = (im->flags >> 3) & 1;
	if (im->big_endian) {
		*why = "big-endian kernel: not supported";
		return -ENOEXEC;
	}
	if (im->text_offset & 0xfff || im->text_offset >= (2u << 20)) {
		*why = "text_offset is not 4 KiB aligned below 2 MiB";
		return -ENOEXEC;
	}
	if (im->image_size > (1ull << 32)) {
		*why = "image_size is larger than 4 GiB";
		return -ENOEXEC;
	}
	return 0;
}
