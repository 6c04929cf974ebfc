// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which container a buffer is, from its first bytes only.  Initrds are
 * recognised by an uncompressed newc header or the magic of a compressor
 * the kernel can unpack an initramfs with; the initrd reader then finds our
 * appendix behind whatever comes first.
 */
#include "config.h"

#include <string.h>

#include "qdh/transport.h"

static int starts_with(const void *buf, size_t len, const void *magic, size_t n)
{
	return len >= n && !memcmp(buf, magic, n);
}

enum qdh_container qdh_detect_container(const void *buf, size_t len)
{
	static const struct {
		const char *magic;
		size_t len;
	} initrd_magic[] = {
		{ "070701", 6 },		/* newc */
		{ "070702", 6 },		/* newc with checksums */
		{ "\x1f\x8b", 2 },		/* gzip */
		{ "\x1f\x9e", 2 },		/* old gzip */
		{ "\xfd" "7zXZ\0", 6 },		/* xz */
		{ "\x28\xb5\x2f\xfd", 4 },	/* zstd */
		{ "\x02\x21\x4c\x18", 4 },	/* lz4 legacy (the kernel's) */
		{ "BZh", 3 },			/* bzip2 */
		{ "\x89LZO", 4 },		/* lzop */
		{ "\x5d\x00\x00", 3 },		/* lzma */
	};
	const unsigned char *p = buf;
	size_t i;

	if (len >= 4 && qdh_le32(p) == QDH_MAGIC)
		return QDH_CT_RAW;
	if (starts_with(buf, len, "\xd0\x0d\xfe\xed", 4))
		return QDH_CT_DTB;
	if (starts_with(buf, len, "\x7f" "ELF", 4))
		return QDH_CT_ELF;
	/* makedumpfile's saved dumps (kdump.c) */
	if (starts_with(buf, len, "KDUMP   ", 8))
		return QDH_CT_KDUMP;
	if (starts_with(buf, len, "makedumpfile", 12))
		return QDH_CT_KDUMP_FLAT;
	for (i = 0; i < sizeof(initrd_magic) / sizeof(initrd_magic[0]); i++)
		if (starts_with(buf, len, initrd_magic[i].magic, initrd_magic[i].len))
			return QDH_CT_INITRD;
	return QDH_CT_UNKNOWN;
}

const char *qdh_container_name(enum qdh_container c)
{
	switch (c) {
	case QDH_CT_RAW:	return "raw";
	case QDH_CT_DTB:	return "dtb";
	case QDH_CT_ELF:	return "elf";
	case QDH_CT_INITRD:	return "initrd";
	case QDH_CT_KDUMP:	return "kdump";
	case QDH_CT_KDUMP_FLAT:	return "kdump-flat";
	case QDH_CT_UNKNOWN:	break;
	}
	return "unknown";
}

int qdh_locate_result(int r, const struct qdh_locate *loc, const void **blob,
		      size_t *blob_len, size_t *offset)
{
	*offset = loc->offset;
	if (r)
		return r;
	*blob = loc->blob;
	*blob_len = loc->len;
	return 0;
}
