// SPDX-License-Identifier: GPL-2.0-or-later
/* QDH blob fixtures for tests/purgatory: see blob-fixture.h. */
#include <string.h>
#include <zlib.h>

#include "blob-fixture.h"
#include "qdh/codec.h"

#define SEC(i)	(offsetof(struct qdh_header, sections) + (i) * sizeof(struct qdh_section))

static void put_section(uint8_t *b, int i, uint32_t off, uint32_t size,
			uint32_t count, uint16_t es)
{
	uint8_t *s = b + SEC(i);

	qdh_put_le32(s + offsetof(struct qdh_section, offset), off);
	qdh_put_le32(s + offsetof(struct qdh_section, size), size);
	qdh_put_le32(s + offsetof(struct qdh_section, count), count);
	qdh_put_le16(s + offsetof(struct qdh_section, entry_size), es);
}

static uint32_t crc_skip(const uint8_t *b, size_t len, size_t field)
{
	static const uint8_t zero[4];
	uLong c = crc32(0, b, (uInt)field);

	c = crc32(c, zero, 4);
	return (uint32_t)crc32(c, b + field + 4, (uInt)(len - field - 4));
}

size_t fixture_blob(uint8_t *buf, size_t cap, const struct fixture_iommu *io,
		    uint32_t n)
{
	/* A v1.0 blob, which every v1.x purgatory must take. */
	size_t hdr = offsetof(struct qdh_header, sections) +
		     QDH_NR_SECTIONS_V1_0 * sizeof(struct qdh_section);
	size_t off, str_off, str_len = 1;
	size_t checked, rec, total, rsize;
	uint32_t i;

	for (i = 0; i < n; i++)
		str_len += strlen(io[i].name) + 1;
	off = hdr + n * sizeof(struct qdh_iommu);
	str_off = off;
	checked = (str_off + str_len + 7) & ~(size_t)7;
	rec = checked;
	rsize = QDH_RECORD_HEADER_SIZE_V1_0 + n * sizeof(struct qdh_record_iommu);
	total = rec + rsize;
	if (total > cap)
		return 0;
	memset(buf, 0, total);
	qdh_put_le32(buf + offsetof(struct qdh_header, magic), QDH_MAGIC);
	qdh_put_le16(buf + offsetof(struct qdh_header, version_major), QDH_VERSION_MAJOR);
	qdh_put_le16(buf + offsetof(struct qdh_header, version_minor), 0);
	qdh_put_le32(buf + offsetof(struct qdh_header, header_size), (uint32_t)hdr);
	qdh_put_le32(buf + offsetof(struct qdh_header, total_size), (uint32_t)total);
	qdh_put_le32(buf + offsetof(struct qdh_header, checked_size), (uint32_t)checked);
	qdh_put_le64(buf + offsetof(struct qdh_header, generation), 0x1234567890abcdefull);
	qdh_put_le32(buf + offsetof(struct qdh_header, flags), QDH_F_CRASH | QDH_F_BLOCK_BYPASS);
	qdh_put_le16(buf + offsetof(struct qdh_header, nsections), QDH_NR_SECTIONS_V1_0);

	put_section(buf, QDH_SEC_IOMMUS, (uint32_t)hdr,
		    n * (uint32_t)sizeof(struct qdh_iommu), n, sizeof(struct qdh_iommu));
	put_section(buf, QDH_SEC_DEVICES, (uint32_t)off, 0, 0, sizeof(struct qdh_device));
	put_section(buf, QDH_SEC_SIDS, (uint32_t)off, 0, 0, 4);
	put_section(buf, QDH_SEC_RUNS, (uint32_t)off, 0, 0, sizeof(struct qdh_stream_run));
	put_section(buf, QDH_SEC_STRINGS, (uint32_t)str_off, (uint32_t)str_len,
		    (uint32_t)str_len, 1);
	put_section(buf, QDH_SEC_RECORD, (uint32_t)rec, (uint32_t)rsize, (uint32_t)rsize, 1);

	{
		size_t s = str_off + 1;

		for (i = 0; i < n; i++) {
			uint8_t *e = buf + hdr + i * sizeof(struct qdh_iommu);

			qdh_put_le64(e + offsetof(struct qdh_iommu, base), io[i].base);
			qdh_put_le64(e + offsetof(struct qdh_iommu, size), io[i].size);
			e[offsetof(struct qdh_iommu, type)] = io[i].type;
			e[offsetof(struct qdh_iommu, flags)] = io[i].flags;
			qdh_put_le16(e + offsetof(struct qdh_iommu, segment), QDH_IOMMU_NO_SEGMENT);
			qdh_put_le32(e + offsetof(struct qdh_iommu, name), (uint32_t)(s - str_off));
			memcpy(buf + s, io[i].name, strlen(io[i].name) + 1);
			s += strlen(io[i].name) + 1;
		}
	}
	{
		uint8_t *r = buf + rec;

		qdh_put_le32(r + offsetof(struct qdh_record_header, magic), QDH_RECORD_MAGIC);
		qdh_put_le16(r + offsetof(struct qdh_record_header, header_size),
			     QDH_RECORD_HEADER_SIZE_V1_0);
		qdh_put_le16(r + offsetof(struct qdh_record_header, entry_size),
			     sizeof(struct qdh_record_iommu));
		qdh_put_le32(r + offsetof(struct qdh_record_header, nentries), n);
		for (i = 0; i < n; i++)
			qdh_put_le16(r + QDH_RECORD_HEADER_SIZE_V1_0 +
				     i * sizeof(struct qdh_record_iommu), (uint16_t)i);
		qdh_put_le32(r + offsetof(struct qdh_record_header, crc32),
			     crc_skip(r, rsize, offsetof(struct qdh_record_header, crc32)));
	}
	qdh_put_le32(buf + offsetof(struct qdh_header, crc32),
		     crc_skip(buf, checked, offsetof(struct qdh_header, crc32)));
	return total;
}

size_t fixture_record_offset(const uint8_t *blob)
{
	return qdh_le32(blob + SEC(QDH_SEC_RECORD) + offsetof(struct qdh_section, offset));
}

int fixture_record_crc_ok(const uint8_t *blob)
{
	const uint8_t *r = blob + fixture_record_offset(blob);
	uint32_t size = qdh_le32(blob + SEC(QDH_SEC_RECORD) + offsetof(struct qdh_section, size));

	return crc_skip(r, size, offsetof(struct qdh_record_header, crc32)) ==
	       qdh_le32(r + offsetof(struct qdh_record_header, crc32));
}
