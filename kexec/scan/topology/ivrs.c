// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACPI IVRS (AMD IOMMU spec 48882, section 5): IVHD blocks of type 0x10
 * (24-byte header), 0x11 and 0x40 (40-byte header) with the IOMMU base,
 * PCI segment and device entries.  Firmware may describe one IOMMU in
 * several IVHD types; as Linux does, only blocks of the highest type
 * present are used.  The StreamID is the requester ID, or the alias an
 * alias entry names.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "topo.h"

#define IVRS_HDR_LEN	48
#define AMDVI_MMIO_LEN	0x4000	/* the IOMMU's base register window */

struct ivrs_ctx {
	struct qdh_topology *t;
	const uint8_t *buf;
	size_t first_iommu;
	int faults;
};

#define FAULT(c, off, ...) do { topo_fault((c)->t, "IVRS", (off), __VA_ARGS__); (c)->faults++; } while (0)

static int is_ivhd(uint8_t type)
{
	return type == 0x10 || type == 0x11 || type == 0x40;
}

static void push_range(struct ivrs_ctx *c, int idx, uint16_t seg, unsigned first,
		       unsigned last, int32_t alias)
{
	struct topo_ivrange *r = TOPO_PUSH(c->t, ivr, nivr, cap_ivr);

	if (!r)
		return;
	r->iommu = idx;
	r->segment = seg;
	r->first = (uint16_t)first;
	r->last = (uint16_t)last;
	r->alias = alias;
}

static void add_entries(struct ivrs_ctx *c, size_t p, size_t end, int idx, uint16_t seg)
{
	int in_range = 0;
	unsigned start = 0;
	int32_t alias = -1;

	while (p < end) {
		const uint8_t *e = c->buf + p;
		uint8_t type = e[0];
		size_t elen;
		uint16_t devid;

		/* Entry length is coded in the type: 4, 8, or ACPI HID's own. */
		if (type < 0x40) {
			elen = 4;
		} else if (type < 0x80) {
			elen = 8;
		} else if (type == 0xf0) {
			if (end - p < 22) {
				FAULT(c, p, "ACPI HID entry needs 22 bytes, %zu left", end - p);
				return;
			}
			elen = 22 + (size_t)e[21];
		} else {
			FAULT(c, p, "device entry type 0x%02x has no known length; rest of the block skipped",
			      type);
			return;
		}
		if (elen > end - p) {
			FAULT(c, p, "device entry type 0x%02x (%zu bytes) runs past the block end",
			      type, elen);
			return;
		}
		devid = topo_le16(e + 1);
		switch (type) {
		case 0x01:	/* all devices */
			push_range(c, idx, seg, 0, 0xffff, -1);
			break;
		case 0x02:	/* select */
		case 0x46:	/* extended select */
			push_range(c, idx, seg, devid, devid, -1);
			break;
		case 0x42:	/* alias select: the IOMMU sees the alias */
			push_range(c, idx, seg, devid, devid, topo_le16(e + 5));
			break;
		case 0x03:	/* start of range */
		case 0x43:	/* alias start of range */
		case 0x47:	/* extended start of range */
			if (in_range)
				FAULT(c, p, "start of range inside an open range");
			in_range = 1;
			start = devid;
			alias = type == 0x43 ? topo_le16(e + 5) : -1;
			break;
		case 0x04:	/* end of range */
			if (!in_range)
				FAULT(c, p, "end of range 0x%04x without a start", devid);
			else if (devid < start)
				FAULT(c, p, "range end 0x%04x is below its start 0x%04x", devid, start);
			else
				push_range(c, idx, seg, start, devid, alias);
			in_range = 0;
			break;
		default:	/* padding, special (IOAPIC/HPET), ACPI HID: no RID */
			break;
		}
		p += elen;
	}
	if (in_range)
		FAULT(c, end, "range from 0x%04x is never closed", start);
}

static void add_ivhd(struct ivrs_ctx *c, size_t off, size_t blen)
{
	const uint8_t *h = c->buf + off;
	size_t hdr = h[0] == 0x10 ? 24 : 40, before = c->t->niommus;
	uint64_t base;
	uint16_t seg;
	char name[32];
	int idx;

	if (blen < hdr) {
		FAULT(c, off + 2, "IVHD type 0x%02x length %zu is below its %zu-byte header",
		      h[0], blen, hdr);
		return;
	}
	/* Only now are base and segment inside the block (fuzz-topo-ivrs). */
	base = topo_le64(h + 8);
	seg = topo_le16(h + 16);
	snprintf(name, sizeof(name), "IVRS@0x%zx", off);
	idx = topo_add_iommu(c->t, QDH_IOMMU_AMDVI, base, AMDVI_MMIO_LEN, name, 0);
	if (idx == -EEXIST) {
		FAULT(c, off + 8, "IOMMU base 0x%llx overlaps another IOMMU",
		      (unsigned long long)base);
		return;
	}
	if (idx < 0)
		return;
	if ((size_t)idx >= c->first_iommu && (size_t)idx < before) {
		FAULT(c, off + 8, "IOMMU base 0x%llx described twice in one IVHD type",
		      (unsigned long long)base);
		return;
	}
	topo_iommu_segment(c->t, idx, seg);
	add_entries(c, off + hdr, off + blen, idx, seg);
}

int qdh_topology_add_ivrs(struct qdh_topology *t, const void *buf, size_t len)
{
	struct ivrs_ctx c = { .t = t, .buf = buf };
	size_t tlen, off, end;
	uint8_t best = 0;
	int r;

	if (!t)
		return -EINVAL;
	r = topo_acpi_header(t, "IVRS", buf, len, IVRS_HDR_LEN, &tlen);
	if (r < 0)
		return r;
	c.first_iommu = t->niommus;
	/* Pass 1: validate the block chain, pick the IVHD type to use. */
	for (off = IVRS_HDR_LEN; off < tlen; off += topo_le16(c.buf + off + 2)) {
		uint16_t blen;

		if (tlen - off < 4) {
			FAULT(&c, off, "%zu trailing bytes", tlen - off);
			break;
		}
		blen = topo_le16(c.buf + off + 2);
		if (blen < 4 || blen > tlen - off) {
			FAULT(&c, off + 2, "block type 0x%02x length %u is outside 4..0x%zx",
			      c.buf[off], blen, tlen - off);
			break;
		}
		if (is_ivhd(c.buf[off]) && c.buf[off] > best)
			best = c.buf[off];
	}
	end = off < tlen ? off : tlen;
	/* Pass 2: the blocks of that type, up to where the chain was sound. */
	for (off = IVRS_HDR_LEN; off < end; off += topo_le16(c.buf + off + 2))
		if (best && c.buf[off] == best)
			add_ivhd(&c, off, topo_le16(c.buf + off + 2));
	return c.faults ? -EBADMSG : 0;
}
