// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helper for test-scan.sh: scan SYSROOT, encode, validate the blob with the
 * codec and check every device and IOMMU against the inventory.  Exit 0 if
 * they agree; complaints on stderr.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qdh/codec.h"
#include "qdh/inventory.h"

static int fails;

#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); fails++; } } while (0)

static int is_wide(const struct qdh_inv_device *d)
{
	return d->bus == QDH_INV_PCI && d->domain > 0xffff;
}

/* Blob index of a device-table entry: the wide functions before it are elsewhere. */
static uint32_t blob_index(const struct qdh_inventory *inv, size_t i)
{
	size_t k, n = 0;

	for (k = 0; k < i; k++)
		n += is_wide(&inv->devices[k]);
	return (uint32_t)(i - n);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	struct qdh_scan_opts so = { .mode = QDH_SCAN_CRASH };
	struct qdh_inventory inv;
	struct qdh_sysroot sr;
	struct qdh_view v;
	uint8_t *blob;
	size_t len, i, wide = 0, nwide = 0;
	int r;

	if (argc != 2 || qdh_sysroot_open(&sr, argv[1]) < 0)
		return 2;
	r = qdh_inventory_scan(&sr, &so, &inv);
	if (r < 0)
		return 2;
	r = qdh_inventory_encode(&inv, 0x1234, &blob, &len, NULL);
	CHECK(r == 0, "encode: %d", r);
	if (r)
		return 1;
	r = qdh_check(&v, blob, len);
	CHECK(r == 0, "qdh_check: %s at %zu", qdh_strerror(r), v.err_offset);
	if (r)
		return 1;
	CHECK(v.generation == 0x1234, "generation");
	CHECK(qdh_iommu_count(&v) == inv.niommus, "IOMMU count");
	for (i = 0; i < inv.ndevices; i++)
		nwide += is_wide(&inv.devices[i]);
	CHECK(qdh_device_count(&v) == inv.ndevices, "device count %u vs %zu",
	      qdh_device_count(&v), inv.ndevices);
	for (i = 0; i < inv.niommus; i++) {
		struct qdh_iommu_info m;

		r = qdh_get_iommu(&v, (uint32_t)i, &m);
		CHECK(!r && !strcmp(m.name, inv.iommus[i].name) &&
		      m.base == inv.iommus[i].base && m.type == inv.iommus[i].type &&
		      !!(m.flags & QDH_IOMMU_F_HAS_ACTIVE) == !!inv.iommus[i].has_active,
		      "IOMMU %zu differs", i);
	}
	for (i = 0; i < inv.ndevices; i++) {
		const struct qdh_inv_device *d = &inv.devices[i];
		/* a wide function carries its requester's IOMMU and StreamIDs */
		const struct qdh_inv_device *io = is_wide(d) && d->requester >= 0 ?
			&inv.devices[d->requester] : d;
		const uint32_t *sv = qdh_inv_sids(&inv, io);
		uint32_t sorted[QDH_INV_MAX_SIDS];
		struct qdh_device_info di;
		size_t want;
		unsigned k;

		r = d->bus == QDH_INV_PCI ?
		    qdh_find_pci(&v, d->domain, d->busno, d->devfn, &di) :
		    qdh_find_platform(&v, d->name, &di);
		CHECK(r == 0, "%s: not in the blob", d->name);
		if (r)
			continue;
		/* device table (PCI, then platform), then the wide table */
		want = is_wide(d) ? inv.ndevices - nwide + wide++ : i - wide;
		CHECK(di.index == want && di.is_wide == is_wide(d),
		      "%s: index %u, want %zu", d->name, di.index, want);
		CHECK(di.state == d->state && di.action == d->action &&
		      di.reasons == d->reasons && di.flags == d->flags,
		      "%s: verdict differs", d->name);
		if (is_wide(d))
			CHECK(d->requester < 0 ? di.requester == QDH_NO_REQUESTER :
			      di.requester == blob_index(&inv, (size_t)d->requester),
			      "%s: requester %u", d->name, di.requester);
		if (is_wide(d) && d->requester < 0) {
			CHECK(di.iommu == QDH_NO_IOMMU && di.nsids == 0, "%s: no requester, no IOMMU",
			      d->name);
			continue;
		}
		CHECK(io->iommu < 0 ? di.iommu == QDH_NO_IOMMU : di.iommu == io->iommu,
		      "%s: iommu", d->name);
		CHECK(di.nsids == (io->iommu < 0 ? 0 : io->nsids), "%s: nsids", d->name);
		/* the blob keeps a device's StreamIDs sorted; the scan in
		 * Linux's order */
		if (di.nsids != (io->iommu < 0 ? 0 : io->nsids))
			continue;
		if (di.nsids)
			memcpy(sorted, sv, di.nsids * sizeof(*sorted));
		qsort(sorted, di.nsids, sizeof(*sorted), cmp_u32);
		for (k = 0; k < di.nsids; k++) {
			uint32_t sid;

			CHECK(qdh_device_sid(&v, &di, k, &sid) == 0 && sid == sorted[k],
			      "%s: StreamID %u", d->name, k);
		}
	}
	free(blob);
	qdh_inventory_free(&inv);
	qdh_sysroot_close(&sr);
	return fails ? 1 : 0;
}
