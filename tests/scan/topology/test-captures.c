// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Real firmware from real kernels (captures/, see its README): the parsed
 * topology must match the guest's own view - the IOMMU every PCI function's
 * "iommu" link named - and the known bases.
 */
#include "config.h"

#include "topo-test.h"

static const char *srcdir;

static struct qdh_topology *load_capture(const char *name, char *root, struct qdh_sysroot *sr)
{
	char cmd[8800];
	struct qdh_topology *t = NULL;
	int r;

	strcpy(root, "/tmp/qdh-topo-cap-XXXXXX");
	if (!mkdtemp(root))
		exit(99);
	snprintf(cmd, sizeof(cmd),
		 "cp -R '%s/tests/scan/topology/captures/%s/.' '%s/' && "
		 "if [ -f '%s/sys/firmware/fdt.gz' ]; then gzip -d '%s/sys/firmware/fdt.gz'; fi",
		 srcdir, name, root, root, root);
	if (system(cmd) != 0) {
		printf("Bail out! cannot unpack capture %s\n", name);
		exit(99);
	}
	log_reset();
	r = qdh_sysroot_open(sr, root);
	if (r == 0)
		r = qdh_topology_load(sr, &test_log, &t);
	if (r < 0 || !t) {
		printf("Bail out! loading capture %s: error %d\n", name, r);
		exit(99);
	}
	return t;
}

/* Every function the guest attached to an IOMMU: same IOMMU, SID = RID. */
static void agree_with_guest(const char *name, const struct qdh_topology *t, const char *root)
{
	char path[4300], line[256];
	int checked = 0, agreed = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/pci-iommu.txt", root);
	f = fopen(path, "r");
	if (!f) {
		tap_ok(0, "%s: pci-iommu.txt", name);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned seg, bus, dev, fn;
		char want[128] = "";
		const struct qdh_inv_iommu *m;
		int iommu = -1;
		long sid;

		if (sscanf(line, "%x:%x:%x.%x %127s", &seg, &bus, &dev, &fn, want) < 4)
			continue;
		sid = pci_sid(t, seg, bus << 8 | dev << 3 | fn, &iommu);
		if (!want[0]) {
			printf("# %s: %04x:%02x:%02x.%x has no IOMMU in the guest (no driver); "
			       "firmware maps it to %ld\n", name, seg, bus, dev, fn, sid);
			continue;
		}
		checked++;
		m = qdh_topology_iommu(t, (size_t)(iommu < 0 ? 0 : iommu));
		if (iommu >= 0 && m && !strcmp(m->name, want) &&
		    sid == (long)(bus << 8 | dev << 3 | fn))
			agreed++;
		else
			printf("# %s: %04x:%02x:%02x.%x: guest says %s, we say iommu %d sid %ld\n",
			       name, seg, bus, dev, fn, want, iommu, sid);
	}
	fclose(f);
	tap_ok(checked > 0 && agreed == checked,
	       "%s: all %d functions the guest attached agree (IOMMU and StreamID)", name, checked);
}

static void check(const char *name, uint8_t type, uint64_t base, const char *cls,
		  const char *fw_node)
{
	char root[64];
	struct qdh_sysroot sr;
	struct qdh_topology *t = load_capture(name, root, &sr);
	const struct qdh_inv_iommu *m = qdh_topology_iommu(t, 0);

	tap_ok(log_warnings == 0, "%s: parses without warnings", name);
	tap_is_int(qdh_topology_iommu_count(t), 1, "%s: one IOMMU", name);
	tap_ok(m && m->type == type && m->base == base && m->segment == 0,
	       "%s: %s at 0x%llx serving segment 0", name, qdh_iommu_type_name(type),
	       (unsigned long long)base);
	tap_is_str(m ? m->name : NULL, cls, "%s: named by its sysfs class", name);
	tap_is_str(m ? m->fw_node : NULL, fw_node, "%s: firmware node", name);
	agree_with_guest(name, t, root);
	if (!strcmp(name, "arm64-virt-acpi")) {
		int iommu;

		/* QEMU wrote "0x100 IDs" for bus 0 and started the ITS range at
		 * 0x100: the shared ID belongs to the later range. */
		tap_is_int(pci_sid(t, 0, 0x00ff, &iommu), 0xff, "%s: RID 0xff behind the SMMU", name);
		tap_is_int(pci_sid(t, 0, 0x0100, &iommu), -1,
			   "%s: RID 0x100 (bus 1) goes to the ITS: no IOMMU", name);
	}
	qdh_topology_free(t);
	qdh_sysroot_close(&sr);
	rm_rf(root);
}

int main(void)
{
	srcdir = getenv("top_srcdir");
	if (!srcdir) {
		printf("1..0 # SKIP top_srcdir not set\n");
		return 0;
	}
	check("arm64-virt-dt", QDH_IOMMU_SMMUV3, 0x9050000, "smmu3.0x0000000009050000",
	      "/smmuv3@9050000");
	check("arm64-virt-acpi", QDH_IOMMU_SMMUV3, 0x9050000, "smmu3.0x0000000009050000",
	      "IORT@0x48");
	check("amd64-q35-dmar", QDH_IOMMU_VTD, 0xfed90000, "dmar0", "DMAR@0x30");
	return tap_done();
}
