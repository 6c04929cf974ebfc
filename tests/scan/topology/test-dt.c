// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Device-tree topology: DTS fixtures compiled with $DTC at test time into
 * <tmp>/sys/firmware/fdt, with /sys/class/iommu entries beside them, then
 * loaded through the sysroot exactly as on a live system.
 */
#include "config.h"

#include "topo-test.h"

static char root[] = "/tmp/qdh-topo-dt-XXXXXX";
static const char *dtc;
static const char *srcdir;

/* Compile fixture NAME.dts into the sysroot's fdt; add class entries. */
static struct qdh_topology *load(const char *name, const char *const *classes,
				 struct qdh_sysroot *sr)
{
	char cmd[8600], p[4200];
	struct qdh_topology *t = NULL;
	int r;

	rm_rf(root);
	mkdir(root, 0700);
	snprintf(p, sizeof(p), "%s/sys/firmware", root);
	mkdir_p(p);
	snprintf(cmd, sizeof(cmd), "'%s' -q -I dts -O dtb -o '%s/sys/firmware/fdt' "
		 "'%s/tests/scan/topology/dts/%s.dts'", dtc, root, srcdir, name);
	if (system(cmd) != 0) {
		printf("Bail out! dtc failed on %s\n", name);
		exit(99);
	}
	for (; classes && *classes; classes++) {
		snprintf(p, sizeof(p), "%s/sys/class/iommu/%s/devices", root, *classes);
		mkdir_p(p);
	}
	log_reset();
	r = qdh_sysroot_open(sr, root);
	if (r == 0)
		r = qdh_topology_load(sr, &test_log, &t);
	if (r < 0 || !t) {
		printf("Bail out! loading %s: error %d\n", name, r);
		exit(99);
	}
	return t;
}

static void done(struct qdh_topology *t, struct qdh_sysroot *sr)
{
	qdh_topology_free(t);
	qdh_sysroot_close(sr);
}

static void test_virt(void)
{
	static const char *const cls[] = { "smmu3.0x0000000009050000", NULL };
	struct qdh_sysroot sr;
	struct qdh_topology *t = load("virt-smmuv3", cls, &sr);
	const struct qdh_inv_iommu *m = qdh_topology_iommu(t, 0);
	int iommu;

	tap_ok(log_warnings == 0, "virt: no warnings");
	tap_is_int(qdh_topology_iommu_count(t), 1, "virt: DT node and sysfs class are one IOMMU");
	tap_ok(m && m->type == QDH_IOMMU_SMMUV3 && m->base == 0x9050000 && m->size == 0x20000,
	       "virt: SMMUv3 at 0x9050000, 128 KiB from reg");
	tap_is_str(m ? m->name : NULL, "smmu3.0x0000000009050000", "virt: named by its sysfs class");
	tap_is_str(m ? m->fw_node : NULL, "/smmuv3@9050000", "virt: firmware node is the DT path");
	tap_ok(m && m->phandle != 0, "virt: phandle recorded");
	tap_is_int(m ? m->segment : 9, 0, "virt: serves PCI domain 0");
	tap_is_int(qdh_topology_find_by_class(t, "smmu3.0x0000000009050000"), 0,
		   "virt: found by class name");
	tap_is_int(pci_sid(t, 0, 0x0008, &iommu), 0x8, "virt: 00:01.0 -> StreamID 8");
	tap_is_int(iommu, 0, "virt: ...on the SMMU");
	tap_is_int(pci_sid(t, 0, 0xffff, &iommu), 0xffff, "virt: last RID -> 0xffff");
	tap_is_int(pci_sid(t, 1, 0x0008, &iommu), -1, "virt: no domain 1");
	done(t, &sr);
}

static void test_smmu500(void)
{
	static const char *const cls[] = { "smmu.0x0000000045000000", NULL };
	struct qdh_sysroot sr;
	struct qdh_topology *t = load("smmu500", cls, &sr);
	const struct qdh_inv_iommu *m0 = qdh_topology_iommu(t, 0), *m1 = qdh_topology_iommu(t, 1);
	uint32_t sids[4];
	int iommu, n;

	tap_ok(log_warnings == 0, "smmu500: no warnings");
	tap_is_int(qdh_topology_iommu_count(t), 2, "smmu500: two SMMUs (the disabled one skipped)");
	tap_ok(m0 && m0->type == QDH_IOMMU_SMMUV2 && m0->base == 0x45000000 && m0->size == 0x80000,
	       "smmu500: MMU-500 at 0x45000000 (0x5000000 through the soc ranges)");
	tap_is_str(m0 ? m0->name : NULL, "smmu.0x0000000045000000", "smmu500: named by sysfs");
	tap_ok(m1 && m1->type == QDH_IOMMU_SMMUV2 && m1->base == 0x46000000,
	       "smmu500: arm,smmu-v2 at 0x46000000");
	tap_is_str(m1 ? m1->name : NULL, "/soc/iommu@6000000",
		   "smmu500: no driver, so named by the firmware node");
	n = qdh_topology_platform_sids(t, "/soc/ethernet@1000", &iommu, sids, 4);
	tap_ok(n == 1 && sids[0] == 0x10 && iommu == 0,
	       "smmu500: #iommu-cells 2: first cell is the StreamID (mask cell kept apart)");
	n = qdh_topology_platform_sids(t, "/soc/dma@2000", &iommu, sids, 4);
	tap_ok(n == 2 && sids[0] == 0x20 && sids[1] == 0x21 && iommu == 1,
	       "smmu500: #iommu-cells 1: two entries, two StreamIDs");
	n = qdh_topology_platform_sids(t, "/soc/gpu@3000", &iommu, sids, 4);
	tap_ok(n == 2 && sids[0] == 0x30 && sids[1] == 0x31 && iommu == 0,
	       "smmu500: two two-cell entries");
	n = qdh_topology_platform_sids(t, "/soc/gpu@3000", &iommu, sids, 1);
	tap_is_int(n, 1, "smmu500: max bounds the StreamIDs written");
	tap_is_int(qdh_topology_platform_sids(t, "/soc/off@4000", &iommu, sids, 4), 0,
		   "smmu500: disabled device: none");
	tap_is_int(iommu, -1, "smmu500: ...and no IOMMU");
	done(t, &sr);
}

static void test_multi(void)
{
	static const char *const cls[] = { "smmu3.0x0000000009050000",
		"smmu3.0x0000000009100000", "smmu3.0x0000000009999000", NULL };
	struct qdh_sysroot sr;
	struct qdh_topology *t = load("multi", cls, &sr);
	const struct qdh_inv_iommu *m;
	int iommu;

	tap_is_int(log_warnings, 1, "multi: one warning (the overlapping entry)");
	tap_ok(logged("pcie@20000000:iommu-map", "byte 0x30: entry 3"),
	       "multi: overlapping iommu-map entry 3 named with its byte offset");
	tap_is_int(qdh_topology_iommu_count(t), 3, "multi: two DT SMMUs plus one sysfs-only");
	m = qdh_topology_iommu(t, 2);
	tap_ok(m && m->base == 0x9999000 && m->type == QDH_IOMMU_SMMUV3 && !m->fw_node[0] &&
	       !strcmp(m->name, "smmu3.0x0000000009999000"),
	       "multi: an IOMMU only sysfs knows is still listed, base from its name");
	tap_is_int(qdh_topology_iommu(t, 0)->segment, -1, "multi: smmu0 serves two domains: -1");
	tap_is_int(qdh_topology_iommu(t, 1)->segment, 1, "multi: smmu1 serves domain 1");
	tap_is_int(qdh_topology_find_by_class(t, "smmu3.0x0000000009100000"), 1,
		   "multi: second SMMU by class");
	tap_is_int(pci_sid(t, 0, 0x0123, &iommu), 0x123, "multi: domain 0 identity");
	tap_is_int(iommu, 0, "multi: ...on smmu0");
	tap_is_int(pci_sid(t, 1, 0x0009, &iommu), 0x10008, "multi: domain 1, 0x09 & 0xfff8 -> 0x10008");
	tap_is_int(iommu, 1, "multi: ...on smmu1");
	tap_is_int(pci_sid(t, 1, 0x0105, &iommu), 0x20000, "multi: second entry: 0x105 -> 0x20000");
	tap_is_int(pci_sid(t, 1, 0x8017, &iommu), 0x510, "multi: third entry: 0x8017 -> 0x510");
	tap_is_int(iommu, 0, "multi: ...on smmu0");
	tap_is_int(pci_sid(t, 1, 0x0200, &iommu), -1, "multi: RID in no entry: none");
	tap_is_int(pci_sid(t, 2, 0x0000, &iommu), -1, "multi: a root port's iommu-map is no domain");
	done(t, &sr);
}

static void test_bad(void)
{
	struct qdh_sysroot sr;
	struct qdh_topology *t = load("bad", NULL, &sr);
	uint32_t sids[4];
	int iommu, n;

	tap_is_int(qdh_topology_iommu_count(t), 1, "bad: the SMMUs with a short reg or overlapping MMIO are dropped");
	tap_ok(logged("smmuv3@9f00000:reg", "shorter"), "bad: short reg reported");
	tap_ok(logged("smmuv3@9060000:reg", "overlaps another IOMMU"),
	       "bad: an SMMU inside another's MMIO is rejected");
	tap_ok(logged("pcie@10000000:iommu-map", "byte 0x4: phandle 0xdead names no node"),
	       "bad: iommu-map to an unknown phandle reported at its byte offset");
	tap_is_int(pci_sid(t, 0, 0x0010, &iommu), -1, "bad: RID mapped to the unknown phandle: none");
	tap_ok(logged("pcie@10000000:iommu-map-mask", "length 8"), "bad: 8-byte iommu-map-mask reported");
	tap_is_int(pci_sid(t, 0, 0x0110, &iommu), 0x110, "bad: ...ignored, the good entry still maps");
	tap_ok(logged("pcie@20000000:iommu-map", "not a multiple of 16"),
	       "bad: odd-length iommu-map reported");
	tap_is_int(pci_sid(t, 1, 0x0000, &iommu), -1, "bad: ...and not used");
	tap_ok(logged("pcie@30000000:iommu-map", "without #iommu-cells"),
	       "bad: iommu-map to a non-IOMMU node reported");
	tap_is_int(pci_sid(t, 2, 0x0000, &iommu), -1, "bad: ...no IOMMU");
	tap_ok(logged("dev@1:iommus", "byte 0x0: entry needs 2 cells"), "bad: truncated iommus");
	tap_is_int(qdh_topology_platform_sids(t, "/dev@1", &iommu, sids, 4), 0, "bad: ...no StreamID");
	tap_ok(logged("dev@2:iommus", "byte 0x8: phandle 0x4242"), "bad: iommus second phandle unknown");
	n = qdh_topology_platform_sids(t, "/dev@2", &iommu, sids, 4);
	tap_ok(n == 1 && sids[0] == 5 && iommu == 0, "bad: ...the first entry is kept");
	tap_ok(logged("dev@3:iommus", "3 trailing bytes"), "bad: 3-byte iommus");
	tap_ok(logged("dev@4:iommus", "without #iommu-cells"), "bad: iommus to a non-IOMMU");
	done(t, &sr);
}

static void test_broken_blob(void)
{
	char p[4200];
	struct qdh_topology *t;
	uint8_t junk[200];
	FILE *f;
	long size;
	uint8_t *blob;
	int r;

	/* A valid blob, cut in half. */
	snprintf(p, sizeof(p), "%s/sys/firmware/fdt", root);
	f = fopen(p, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) <= 0) {
		tap_ok(0, "re-read fdt");
		return;
	}
	rewind(f);
	blob = malloc((size_t)size);
	if (!blob || fread(blob, 1, (size_t)size, f) != (size_t)size) {
		tap_ok(0, "re-read fdt");
		return;
	}
	fclose(f);
	t = qdh_topology_new(&test_log);
	log_reset();
	r = qdh_topology_add_fdt(t, blob, (size_t)size / 2);
	tap_ok(r == -EBADMSG && logged("fdt", "fdt_check_full"), "truncated blob rejected by fdt_check_full");
	qdh_topology_free(t);
	memset(junk, 0xd0, sizeof(junk));
	t = qdh_topology_new(&test_log);
	r = qdh_topology_add_fdt(t, junk, sizeof(junk));
	tap_ok(r == -EBADMSG && qdh_topology_iommu_count(t) == 0, "junk blob rejected");
	qdh_topology_free(t);
	t = qdh_topology_new(&test_log);
	r = qdh_topology_add_fdt(t, blob, 10);
	tap_ok(r == -EBADMSG, "10-byte blob rejected");
	qdh_topology_free(t);
	free(blob);
}

int main(void)
{
	dtc = getenv("DTC");
	srcdir = getenv("top_srcdir");
	if (!dtc || !*dtc || !srcdir) {
		printf("1..0 # SKIP DTC or top_srcdir not set\n");
		return 0;
	}
	if (!mkdtemp(root))
		return 99;
	test_virt();
	test_smmu500();
	test_multi();
	test_bad();
	test_broken_blob();
	rm_rf(root);
	return tap_done();
}
