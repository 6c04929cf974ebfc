// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gen-golden DIR: writes the golden QDH blobs of tests/lib/golden/ (the
 * current minor, v1.1) into DIR.  (The v1.0 ones are frozen in
 * tests/lib/v1.0/golden/: no writer of today produces them.)  Inputs are fixed, so the bytes are too; test-golden.sh regenerates
 * them and compares with the committed files, which catches any change of
 * the ABI or of the builder's canonical layout.  Regenerate on purpose
 * with `tests/lib/gen-golden $srcdir/tests/lib/golden`.
 *
 * Exit codes: 0 written, 1 a blob failed to build or check, 2 usage/I/O.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qdh/codec.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct golden {
	const char *file;
	uint64_t generation;
	uint32_t flags;
	const struct qdh_iommu_spec *iommus;
	size_t ni;
	const struct qdh_device_spec *devs;
	size_t nd;
	void (*fill_record)(const struct qdh_view *v, uint8_t *blob);
};

#define PCI(s, b, d, f) .domain = (s), .bus = (b), .devfn = (uint8_t)((d) << 3 | (f))

/* --- arm64 QEMU virt with an SMMUv3 (the e2e machine) ------------------- */
static const struct qdh_iommu_spec virt_iommus[] = {
	{ .base = 0x09050000, .size = 0x20000, .type = QDH_IOMMU_SMMUV3,
	  .segment = 0, .name = "smmu3.0x0000000009050000" },
};
static const uint32_t virt_sid[4] = { 0x000, 0x008, 0x010, 0x018 };
static const struct qdh_device_spec virt_devs[] = {
	{ PCI(0, 0, 3, 0), .vendor = 0x1af4, .device = 0x1042, .class_code = 0x010000,
	  .iommu = 0, .state = QDH_STATE_ACTIVE, .action = QDH_ACTION_RESET_ATTACH,
	  .flags = QDH_DEV_F_DUMP_TARGET | QDH_DEV_F_DRIVER,
	  .reasons = QDH_R_DRIVER_BOUND | QDH_R_BUS_MASTER_ON | QDH_R_DUMP_TARGET,
	  .nsids = 1, .sids = &virt_sid[3] },
	{ PCI(0, 0, 0, 0), .vendor = 0x1b36, .device = 0x0008, .class_code = 0x060000,
	  .iommu = 0, .state = QDH_STATE_BRIDGE, .action = QDH_ACTION_ATTACH,
	  .reasons = QDH_R_BRIDGE, .nsids = 1, .sids = &virt_sid[0] },
	{ PCI(0, 0, 1, 0), .vendor = 0x1af4, .device = 0x1041, .class_code = 0x020000,
	  .iommu = 0, .state = QDH_STATE_ACTIVE, .action = QDH_ACTION_ABORT,
	  .flags = QDH_DEV_F_DRIVER,
	  .reasons = QDH_R_DRIVER_BOUND | QDH_R_BUS_MASTER_ON,
	  .nsids = 1, .sids = &virt_sid[1] },
	{ PCI(0, 0, 2, 0), .vendor = 0x8086, .device = 0x10d3, .class_code = 0x020000,
	  .iommu = 0, .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
	  .reasons = QDH_R_NO_DRIVER | QDH_R_BUS_MASTER_OFF,
	  .nsids = 1, .sids = &virt_sid[2] },
};

/* --- x86 q35 with VT-d, kexec_file_load (no purgatory) ------------------ */
static const struct qdh_iommu_spec q35_iommus[] = {
	{ .base = 0xfed90000, .size = 0x1000, .type = QDH_IOMMU_VTD,
	  .segment = 0, .name = "dmar0" },
};
static const uint32_t q35_rid[] = { 0x00, 0x08, 0x10, 0xf8, 0xfa, 0xfb };
static const struct qdh_device_spec q35_devs[] = {
	{ PCI(0, 0, 0, 0), .vendor = 0x8086, .device = 0x29c0, .class_code = 0x060000,
	  .iommu = 0, .state = QDH_STATE_BRIDGE, .action = QDH_ACTION_ATTACH,
	  .reasons = QDH_R_BRIDGE, .nsids = 1, .sids = &q35_rid[0] },
	{ PCI(0, 0, 1, 0), .vendor = 0x1234, .device = 0x1111, .class_code = 0x030000,
	  .iommu = 0, .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
	  .flags = QDH_DEV_F_DRIVER,
	  .reasons = QDH_R_DRIVER_BOUND | QDH_R_BUS_MASTER_OFF | QDH_R_SHUTDOWN_DRIVER,
	  .nsids = 1, .sids = &q35_rid[1] },
	{ PCI(0, 0, 2, 0), .vendor = 0x1af4, .device = 0x1041, .class_code = 0x020000,
	  .iommu = 0, .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
	  .flags = QDH_DEV_F_DRIVER,
	  .reasons = QDH_R_DRIVER_BOUND | QDH_R_SHUTDOWN_DRIVER,
	  .nsids = 1, .sids = &q35_rid[2] },
	{ PCI(0, 0, 0x1f, 0), .vendor = 0x8086, .device = 0x2918, .class_code = 0x060100,
	  .iommu = 0, .state = QDH_STATE_BRIDGE, .action = QDH_ACTION_ATTACH,
	  .reasons = QDH_R_BRIDGE, .nsids = 1, .sids = &q35_rid[3] },
	{ PCI(0, 0, 0x1f, 2), .vendor = 0x8086, .device = 0x2922, .class_code = 0x010601,
	  .iommu = 0, .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
	  .flags = QDH_DEV_F_DRIVER | QDH_DEV_F_DUMP_TARGET,
	  .reasons = QDH_R_DRIVER_BOUND | QDH_R_SHUTDOWN_DRIVER | QDH_R_DUMP_TARGET,
	  .nsids = 1, .sids = &q35_rid[4] },
	{ PCI(0, 0, 0x1f, 3), .vendor = 0x8086, .device = 0x2930, .class_code = 0x0c0500,
	  .iommu = 0, .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
	  .reasons = QDH_R_NO_DRIVER, .nsids = 1, .sids = &q35_rid[5] },
};

/* --- arm64 SoC: platform devices with several StreamIDs, aliasing PCI ---- */
static const struct qdh_iommu_spec soc_iommus[] = {
	{ .base = 0x09050000, .size = 0x20000, .type = QDH_IOMMU_SMMUV3,
	  .segment = 0, .name = "smmu3.0x0000000009050000" },
	{ .base = 0x2b400000, .size = 0x10000, .type = QDH_IOMMU_SMMUV2,
	  .segment = QDH_IOMMU_NO_SEGMENT, .name = "arm-smmu.0.auto" },
};
static const uint32_t soc_dma[] = { 0x104, 0x100, 0x101 };
static const uint32_t soc_eth = 0x200, soc_gpu[] = { 0x301, 0x300 };
static const uint32_t soc_alias = 0x08, soc_root = 0x00, soc_nvme = 0x100;
static const struct qdh_device_spec soc_devs[] = {
	{ .is_platform = 1, .name = "9000000.dma-controller", .iommu = 1,
	  .state = QDH_STATE_ACTIVE, .action = QDH_ACTION_ABORT, .flags = QDH_DEV_F_DRIVER,
	  .reasons = QDH_R_DRIVER_BOUND | QDH_R_NO_BUS_MASTER_INFO,
	  .nsids = 3, .sids = soc_dma },
	{ .is_platform = 1, .name = "9100000.ethernet", .iommu = 1,
	  .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
	  .reasons = QDH_R_NO_DRIVER | QDH_R_NO_BUS_MASTER_INFO, .nsids = 1, .sids = &soc_eth },
	{ .is_platform = 1, .name = "9200000.gpu", .iommu = 1,
	  .state = QDH_STATE_UNKNOWN, .action = QDH_ACTION_ABORT,
	  .reasons = QDH_R_ATTR_MISSING | QDH_R_NO_BUS_MASTER_INFO, .nsids = 2, .sids = soc_gpu },
	{ .is_platform = 1, .name = "9300000.serial", .iommu = QDH_NO_IOMMU,
	  .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
	  .reasons = QDH_R_NO_BUS_MASTER_INFO },
	{ PCI(0, 0, 0, 0), .vendor = 0x1b36, .device = 0x000c, .class_code = 0x060400,
	  .iommu = 0, .state = QDH_STATE_BRIDGE, .action = QDH_ACTION_ATTACH,
	  .reasons = QDH_R_BRIDGE, .nsids = 1, .sids = &soc_root },
	/* iommu-map-mask 0xfff8: both functions of 00:01 share StreamID 8 */
	{ PCI(0, 0, 1, 0), .vendor = 0x15b3, .device = 0x1017, .class_code = 0x020000,
	  .iommu = 0, .state = QDH_STATE_ACTIVE, .action = QDH_ACTION_ABORT,
	  .flags = QDH_DEV_F_DRIVER, .reasons = QDH_R_DRIVER_BOUND | QDH_R_BUS_MASTER_ON,
	  .nsids = 1, .sids = &soc_alias },
	{ PCI(0, 0, 1, 1), .vendor = 0x15b3, .device = 0x1018, .class_code = 0x020000,
	  .iommu = 0, .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
	  .flags = QDH_DEV_F_SRIOV_VF, .reasons = QDH_R_NO_DRIVER | QDH_R_BUS_MASTER_OFF,
	  .nsids = 1, .sids = &soc_alias },
	{ PCI(0, 1, 0, 0), .vendor = 0x144d, .device = 0xa808, .class_code = 0x010802,
	  .iommu = 0, .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
	  .flags = QDH_DEV_F_DUMP_TARGET | QDH_DEV_F_DRIVER,
	  .reasons = QDH_R_DRIVER_BOUND | QDH_R_BUS_MASTER_OFF | QDH_R_DUMP_TARGET,
	  .nsids = 1, .sids = &soc_nvme },
	{ PCI(0, 2, 0, 0), .vendor = 0x10de, .device = 0x1eb8, .class_code = 0x030200,
	  .iommu = QDH_NO_IOMMU, .state = QDH_STATE_ACTIVE, .action = QDH_ACTION_ABORT,
	  .flags = QDH_DEV_F_DRIVER, .reasons = QDH_R_DRIVER_BOUND | QDH_R_BUS_MASTER_ON },
};

/* --- arm64 virt, crash load, no dump target determined (v1.1) ------------ */
static const struct qdh_device_spec nodump_devs[] = {
	{ PCI(0, 0, 3, 0), .vendor = 0x1af4, .device = 0x1042, .class_code = 0x010000,
	  .iommu = 0, .state = QDH_STATE_ACTIVE, .action = QDH_ACTION_RESET_ATTACH,
	  .flags = QDH_DEV_F_DUMP_TARGET | QDH_DEV_F_DRIVER,
	  .reasons = QDH_R_DRIVER_BOUND | QDH_R_BUS_MASTER_ON | QDH_R_DUMP_TARGET,
	  .nsids = 1, .sids = &virt_sid[3] },
	{ PCI(0, 0, 0, 0), .vendor = 0x1b36, .device = 0x0008, .class_code = 0x060000,
	  .iommu = 0, .state = QDH_STATE_BRIDGE, .action = QDH_ACTION_ATTACH,
	  .reasons = QDH_R_BRIDGE, .nsids = 1, .sids = &virt_sid[0] },
	{ PCI(0, 0, 1, 0), .vendor = 0x1af4, .device = 0x1041, .class_code = 0x020000,
	  .iommu = 0, .state = QDH_STATE_ACTIVE, .action = QDH_ACTION_RESET_ATTACH,
	  .flags = QDH_DEV_F_DUMP_TARGET | QDH_DEV_F_DRIVER,
	  .reasons = QDH_R_DRIVER_BOUND | QDH_R_BUS_MASTER_ON | QDH_R_DUMP_TARGET,
	  .nsids = 1, .sids = &virt_sid[1] },
	{ PCI(0, 0, 2, 0), .vendor = 0x8086, .device = 0x10d3, .class_code = 0x020000,
	  .iommu = 0, .state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
	  .flags = QDH_DEV_F_DUMP_TARGET,
	  .reasons = QDH_R_NO_DRIVER | QDH_R_BUS_MASTER_OFF | QDH_R_DUMP_TARGET,
	  .nsids = 1, .sids = &virt_sid[2] },
};

/* --- x86 with an Intel VMD: NVMe in PCI domain 0x10000 (v1.1) ------------ */
static const uint32_t vmd_rid[] = { 0x00, 0x70 };
static const struct qdh_device_spec vmd_devs[] = {
	{ PCI(0, 0, 0, 0), .vendor = 0x8086, .device = 0x4660, .class_code = 0x060000,
	  .iommu = 0, .state = QDH_STATE_BRIDGE, .action = QDH_ACTION_ATTACH,
	  .reasons = QDH_R_BRIDGE, .nsids = 1, .sids = &vmd_rid[0] },
	/* The VMD endpoint: the requester ID every function behind it uses. */
	{ PCI(0, 0, 0x0e, 0), .vendor = 0x8086, .device = 0x467f, .class_code = 0x010400,
	  .iommu = 0, .state = QDH_STATE_ACTIVE, .action = QDH_ACTION_ATTACH,
	  .flags = QDH_DEV_F_DRIVER, .reasons = QDH_R_DRIVER_BOUND | QDH_R_BUS_MASTER_ON,
	  .nsids = 1, .sids = &vmd_rid[1] },
	{ PCI(0x10000, 0xe0, 0x06, 0), .vendor = 0x8086, .device = 0x464d,
	  .class_code = 0x060400, .iommu = QDH_NO_IOMMU, .state = QDH_STATE_BRIDGE,
	  .action = QDH_ACTION_ATTACH, .reasons = QDH_R_BRIDGE, .has_requester = 1,
	  .requester_bus = 0, .requester_devfn = 0x70 },
	{ PCI(0x10000, 0xe1, 0, 0), .vendor = 0x144d, .device = 0xa80a,
	  .class_code = 0x010802, .iommu = QDH_NO_IOMMU, .state = QDH_STATE_ACTIVE,
	  .action = QDH_ACTION_RESET_ATTACH, .flags = QDH_DEV_F_DUMP_TARGET | QDH_DEV_F_DRIVER,
	  .reasons = QDH_R_DRIVER_BOUND | QDH_R_BUS_MASTER_ON | QDH_R_DUMP_TARGET,
	  .has_requester = 1, .requester_bus = 0, .requester_devfn = 0x70 },
	{ PCI(0x10000, 0xe2, 0, 0), .vendor = 0x144d, .device = 0xa80a,
	  .class_code = 0x010802, .iommu = QDH_NO_IOMMU, .state = QDH_STATE_QUIESCED,
	  .action = QDH_ACTION_ATTACH, .reasons = QDH_R_NO_DRIVER | QDH_R_BUS_MASTER_OFF,
	  .has_requester = 1, .requester_bus = 0, .requester_devfn = 0x70 },
};

/*
 * The record of the virt machine as purgatory leaves it: GBPA.ABORT set,
 * and the two active devices' stream table entries read (stage 1).
 */
static void fill_virt_record(const struct qdh_view *v, uint8_t *blob)
{
	static const uint64_t before[QDH_RECORD_NREGS] = {
		0xd, 0xd, 0x0, 0x4000000041ac0000ULL, 0x10010, 0x080e17bb,
	};
	struct qdh_record_info r = {
		.flags = QDH_REC_F_PURGATORY_RAN | QDH_REC_F_DIGEST_OK,
		.ticks = 1562500, .freq = 62500000,
	};
	struct qdh_record_iommu_info e = { .action = QDH_PURG_GBPA_ABORT };

	qdh_record_put(v, blob, &r);
	for (int k = 0; k < QDH_RECORD_NREGS; k++) {
		e.before[k] = before[k];
		e.after[k] = k == QDH_V3_GBPA ? 1u << 20 : before[k];
	}
	qdh_record_put_iommu(v, blob, 0, &e);
	qdh_record_put_ste(v, blob, 0, QDH_STE_S1);
	qdh_record_put_ste(v, blob, 1, QDH_STE_S1);
	qdh_record_seal(v, blob);
}

static const struct golden goldens[] = {
	{ "arm64-virt-smmuv3.qdh", 0x5eed000000000001ULL, QDH_F_CRASH,
	  virt_iommus, NELEM(virt_iommus), virt_devs, NELEM(virt_devs), NULL },
	{ "arm64-virt-record.qdh", 0x5eed000000000002ULL, QDH_F_CRASH | QDH_F_BLOCK_BYPASS,
	  virt_iommus, NELEM(virt_iommus), virt_devs, NELEM(virt_devs), fill_virt_record },
	{ "x86-q35-vtd.qdh", 0x5eed000000000003ULL, QDH_F_KEXEC | QDH_F_NO_PURGATORY,
	  q35_iommus, NELEM(q35_iommus), q35_devs, NELEM(q35_devs), NULL },
	{ "arm64-soc-platform.qdh", 0x5eed000000000004ULL, QDH_F_CRASH,
	  soc_iommus, NELEM(soc_iommus), soc_devs, NELEM(soc_devs), NULL },
	{ "empty.qdh", 0x5eed000000000005ULL, QDH_F_KEXEC, NULL, 0, NULL, 0, NULL },
	{ "arm64-virt-nodump.qdh", 0x5eed000000000006ULL,
	  QDH_F_CRASH | QDH_F_BLOCK_BYPASS | QDH_F_NO_DUMP_TARGET,
	  virt_iommus, NELEM(virt_iommus), nodump_devs, NELEM(nodump_devs), NULL },
	{ "x86-vmd-wide.qdh", 0x5eed000000000007ULL, QDH_F_CRASH,
	  q35_iommus, NELEM(q35_iommus), vmd_devs, NELEM(vmd_devs), NULL },
};

static int build(const struct golden *g, uint8_t **out, size_t *len)
{
	uint32_t npool = 0, strbytes = 0;
	struct qdh_builder b;
	struct qdh_view v;
	size_t cap;
	int ret;

	for (size_t i = 0; i < g->ni; i++)
		strbytes += (uint32_t)strlen(g->iommus[i].name) + 1;
	for (size_t i = 0; i < g->nd; i++) {
		if (g->devs[i].nsids > 1)
			npool += g->devs[i].nsids;
		if (g->devs[i].is_platform)
			strbytes += (uint32_t)strlen(g->devs[i].name) + 1;
	}
	cap = qdh_build_size_bound((uint32_t)g->ni, (uint32_t)g->nd, npool, strbytes);
	*out = calloc(1, cap);
	if (!*out)
		return -QDH_E_NOSPACE;
	ret = qdh_build_init(&b, *out, cap, (uint32_t)g->ni, (uint32_t)g->nd, npool,
			     strbytes, g->generation, g->flags);
	for (size_t i = 0; ret >= 0 && i < g->ni; i++)
		ret = qdh_build_add_iommu(&b, &g->iommus[i]);
	for (size_t i = 0; ret >= 0 && i < g->nd; i++)
		ret = qdh_build_add_device(&b, &g->devs[i]);
	if (ret >= 0)
		ret = qdh_build_finish(&b, len);
	if (ret < 0)
		return ret;
	if (g->fill_record) {
		ret = qdh_check_body(&v, *out, *len);
		if (ret)
			return ret;
		g->fill_record(&v, *out);
	}
	return qdh_check(&v, *out, *len);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < NELEM(goldens); i++) {
		const struct golden *g = &goldens[i];
		char path[4096];
		uint8_t *blob = NULL;
		size_t len = 0;
		FILE *f;
		int ret = build(g, &blob, &len);

		if (ret) {
			fprintf(stderr, "%s: %s\n", g->file, qdh_strerror(ret));
			free(blob);
			return 1;
		}
		snprintf(path, sizeof(path), "%s/%s", argv[1], g->file);
		f = fopen(path, "wb");
		if (!f || fwrite(blob, 1, len, f) != len || fclose(f)) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			free(blob);
			return 2;
		}
		free(blob);
	}
	return 0;
}
