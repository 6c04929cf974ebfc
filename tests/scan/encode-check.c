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

int main(int argc, char **argv)
{
	struct qdh_scan_opts so = { .mode = QDH_SCAN_CRASH };
	struct qdh_inventory inv;
	struct qdh_sysroot sr;
	struct qdh_view v;
	uint8_t *blob;
	size_t len, i;
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
		struct qdh_device_info di;
		unsigned k;

		r = d->bus == QDH_INV_PCI ?
		    qdh_find_pci(&v, d->segment, d->busno, d->devfn, &di) :
		    qdh_find_platform(&v, d->name, &di);
		CHECK(r == 0, "%s: not in the blob", d->name);
		if (r)
			continue;
		CHECK(di.index == i, "%s: index %u, inventory %zu", d->name, di.index, i);
		CHECK(di.state == d->state && di.action == d->action &&
		      di.reasons == d->reasons && di.flags == d->flags,
		      "%s: verdict differs", d->name);
		CHECK(d->iommu < 0 ? di.iommu == QDH_NO_IOMMU : di.iommu == d->iommu,
		      "%s: iommu", d->name);
		CHECK(di.nsids == (d->iommu < 0 ? 0 : d->nsids), "%s: nsids", d->name);
		for (k = 0; k < di.nsids; k++) {
			uint32_t sid;

			CHECK(qdh_device_sid(&v, &di, k, &sid) == 0 && sid == d->sids[k],
			      "%s: StreamID %u", d->name, k);
		}
	}
	free(blob);
	qdh_inventory_free(&inv);
	qdh_sysroot_close(&sr);
	return fails ? 1 : 0;
}
