// SPDX-License-Identifier: GPL-2.0-or-later
/* Text for enum qdh_err, from a table (as fdt_strerror()). */
#include "codec-internal.h"

static const char *const qdh_errtab[QDH_E__COUNT] = {
	[QDH_OK] = "success",
	[QDH_E_TRUNCATED] = "truncated: buffer shorter than the size it claims",
	[QDH_E_MAGIC] = "bad magic (not a QDH blob)",
	[QDH_E_VERSION] = "unsupported major version",
	[QDH_E_HEADER_SIZE] = "header size or section count inconsistent",
	[QDH_E_TOTAL_SIZE] = "total or checked size inconsistent or too large",
	[QDH_E_CHECKSUM] = "crc32 mismatch",
	[QDH_E_FLAGS] = "unknown or inconsistent flag bit",
	[QDH_E_RESERVED] = "reserved field not zero",
	[QDH_E_SECTION] = "section outside its area or size != count * entry_size",
	[QDH_E_ALIGN] = "section offset not 8-byte aligned",
	[QDH_E_OVERLAP] = "sections overlap",
	[QDH_E_ENTRY_SIZE] = "entry size smaller than this ABI's (or wrong)",
	[QDH_E_COUNT] = "absurd count",
	[QDH_E_STRING] = "string offset out of range or string empty",
	[QDH_E_IOMMU_INDEX] = "reference to a missing IOMMU",
	[QDH_E_ENUM] = "state, action or type out of range",
	[QDH_E_ORDER] = "devices not sorted, or duplicate device",
	[QDH_E_SIDS] = "StreamID list out of range, unsorted or duplicated",
	[QDH_E_RUNS] = "stream runs inconsistent with the devices",
	[QDH_E_RECORD] = "record area malformed",
	[QDH_E_RECORD_CHECKSUM] = "record crc32 mismatch",
	[QDH_E_NOSPACE] = "buffer too small",
	[QDH_E_INVAL] = "invalid argument",
	[QDH_E_NOTFOUND] = "no such device",
	[QDH_E_GENERATION] = "generation is zero",
	[QDH_E_WIDE] = "wide PCI entry: domain, requester or its verdict inconsistent",
	[QDH_E_STREAMS] = "record stream table unsorted or not the active streams",
};

const char *qdh_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= QDH_E__COUNT || !qdh_errtab[err])
		return "unknown error";
	return qdh_errtab[err];
}
