// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACPI DMAR (Intel VT-d spec, chapter 8): one DRHD (type 0) per remapping
 * unit with its register base, PCI segment, INCLUDE_PCI_ALL flag (bit 0)
 * and device scope entries.  Other structures (RMRR, ATSR, ...) are
 * skipped by length.  VT-d's source-id is the requester ID, so a device's
 * StreamID is its RID; only the covering unit has to be found.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "topo.h"

#define DMAR_HDR_LEN	48
#define DRHD_LEN	16
#define SCOPE_HDR_LEN	6

struct dmar_ctx {
	struct qdh_topology *t;
	const uint8_t *buf;
	size_t first_iommu;
	int faults;
};

#define FAULT(c, off, ...) do { topo_fault((c)->t, "DMAR", (off), __VA_ARGS__); (c)->faults++; } while (0)

static void add_scopes(struct dmar_ctx *c, size_t pos, size_t end, int idx, uint16_t seg)
{
	while (pos < end) {
		const uint8_t *s = c->buf + pos;
		struct topo_dscope *sc;
		size_t sl, npath, i;

		if (end - pos < SCOPE_HDR_LEN) {
			FAULT(c, pos, "%zu bytes left, a device scope needs %d", end - pos,
			      SCOPE_HDR_LEN);
			return;
		}
		sl = s[1];
		if (sl < SCOPE_HDR_LEN || sl > end - pos) {
			FAULT(c, pos + 1, "device scope length %zu is outside 6..%zu", sl, end - pos);
			return;
		}
		npath = (sl - SCOPE_HDR_LEN) / 2;
		if ((sl - SCOPE_HDR_LEN) % 2 || npath == 0 || npath > TOPO_MAX_PATH) {
			FAULT(c, pos + 1, "device scope length %zu: path of %zu.%zu hops", sl,
			      npath, (sl - SCOPE_HDR_LEN) % 2 * 5);
		} else if (s[0] == 1 || s[0] == 2) {	/* PCI endpoint, sub-hierarchy */
			sc = TOPO_PUSH(c->t, scopes, nscopes, cap_scopes);
			if (!sc)
				return;
			sc->iommu = idx;
			sc->segment = seg;
			sc->type = s[0];
			sc->bus = s[5];
			sc->npath = (uint8_t)npath;
			for (i = 0; i < npath; i++) {
				sc->path[i][0] = s[SCOPE_HDR_LEN + 2 * i];
				sc->path[i][1] = s[SCOPE_HDR_LEN + 2 * i + 1];
			}
		}
		pos += sl;
	}
}

static void add_drhd(struct dmar_ctx *c, size_t off, size_t slen)
{
	const uint8_t *d = c->buf + off;
	uint8_t flags;
	uint16_t seg;
	uint64_t base, size;
	size_t before = c->t->niommus, i;
	char name[32];
	int idx;

	if (slen < DRHD_LEN) {
		FAULT(c, off + 2, "DRHD length %zu is below %d", slen, DRHD_LEN);
		return;
	}
	/* Only now are these fields inside the structure (fuzz-topo-dmar). */
	flags = d[4];
	seg = topo_le16(d + 6);
	base = topo_le64(d + 8);
	/* Size: bits 3:0 = log2 of the register set in 4 KiB pages (0: 4 KiB). */
	size = 4096ull << (d[5] & 0xf);
	if (flags & 1)
		for (i = c->first_iommu; i < c->t->niommus; i++)
			if (c->t->iommus[i].include_all && c->t->iommus[i].pub.segment == seg) {
				FAULT(c, off + 4, "second INCLUDE_PCI_ALL unit for segment %u; ignored",
				      seg);
				return;
			}
	snprintf(name, sizeof(name), "DMAR@0x%zx", off);
	idx = topo_add_iommu(c->t, QDH_IOMMU_VTD, base, size, name, 0);
	if (idx == -EEXIST) {
		FAULT(c, off + 8, "register base 0x%llx+0x%llx overlaps another IOMMU",
		      (unsigned long long)base, (unsigned long long)size);
		return;
	}
	if (idx < 0)
		return;
	if ((size_t)idx >= c->first_iommu && (size_t)idx < before) {
		FAULT(c, off + 8, "register base 0x%llx described twice", (unsigned long long)base);
		return;
	}
	topo_iommu_segment(c->t, idx, seg);
	c->t->iommus[idx].include_all = flags & 1;
	add_scopes(c, off + DRHD_LEN, off + slen, idx, seg);
}

int qdh_topology_add_dmar(struct qdh_topology *t, const void *buf, size_t len)
{
	struct dmar_ctx c = { .t = t, .buf = buf };
	size_t tlen, off = DMAR_HDR_LEN;
	int r;

	if (!t)
		return -EINVAL;
	r = topo_acpi_header(t, "DMAR", buf, len, DMAR_HDR_LEN, &tlen);
	if (r < 0)
		return r;
	c.first_iommu = t->niommus;
	while (off < tlen) {
		uint16_t type, slen;

		if (tlen - off < 4) {
			FAULT(&c, off, "%zu trailing bytes", tlen - off);
			break;
		}
		type = topo_le16(c.buf + off);
		slen = topo_le16(c.buf + off + 2);
		if (slen < 4 || slen > tlen - off) {
			FAULT(&c, off + 2, "structure type %u length %u is outside 4..0x%zx",
			      type, slen, tlen - off);
			break;
		}
		if (type == 0)
			add_drhd(&c, off, slen);
		off += slen;
	}
	return c.faults ? -EBADMSG : 0;
}
