// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The builder: every argument check of init/add_iommu/add_device/finish,
 * sticky errors, capacity limits, duplicate rejection, the empty blob, the
 * 2 MiB limit, and determinism (same inventory, any insertion order, any
 * previous buffer contents: the same bytes).  v1.1: the flags a writer may
 * not combine, wide PCI functions and their requesters, the record's
 * stream table and its caps.
 */
#include "tap.h"
#include "testlib.h"

static uint8_t *buf;
static size_t cap;

static int init(struct qdh_builder *b, uint32_t ni, uint32_t nd, uint32_t np,
		uint32_t ns)
{
	free(buf);
	cap = qdh_build_size_bound(ni, nd, np, ns);
	buf = xcalloc(1, cap);
	memset(buf, 0xa5, cap);	/* the builder must not depend on zeroes */
	return qdh_build_init(b, buf, cap, ni, nd, np, ns, 7, QDH_F_CRASH);
}

static const struct qdh_iommu_spec smmu = {
	.base = 0x9050000, .size = 0x20000, .type = QDH_IOMMU_SMMUV3,
	.segment = 0, .name = "smmu3.0x0000000009050000",
};

static struct qdh_device_spec pci(uint8_t bus, uint8_t devfn)
{
	static uint32_t sid;
	struct qdh_device_spec d = {
		.bus = bus, .devfn = devfn, .vendor = 0x1af4, .device = 0x1041,
		.class_code = 0x020000, .iommu = 0, .state = QDH_STATE_QUIESCED,
		.action = QDH_ACTION_ATTACH, .nsids = 1, .sids = &sid,
	};

	sid = (uint32_t)bus << 8 | devfn;
	return d;
}

/* Expects add_device(d) to fail with err in a fresh one-IOMMU builder. */
static void bad_device(struct qdh_device_spec d, int err, const char *what)
{
	struct qdh_builder b;
	size_t len;

	init(&b, 1, 4, 16, 64);
	qdh_build_add_iommu(&b, &smmu);
	tap_is_int(qdh_build_add_device(&b, &d), -err, "add_device rejects %s", what);
	tap_is_int(qdh_build_finish(&b, &len), -err, "  and the error is sticky (%s)", what);
}

static void test_init(void)
{
	struct qdh_builder b;
	size_t bound = qdh_build_size_bound(1, 1, 0, 8);

	tap_ok(qdh_build_size_bound(0, 0, 0, 0) >= 136 + 40,
	       "size bound of the empty blob covers header and record");
	tap_ok(qdh_build_size_bound(2, 1, 0, 8) > bound &&
	       qdh_build_size_bound(1, 2, 0, 8) > bound &&
	       qdh_build_size_bound(1, 1, 4, 8) > bound &&
	       qdh_build_size_bound(1, 1, 0, 16) > bound,
	       "size bound grows with every argument");
	buf = xcalloc(1, bound);
	tap_is_int(qdh_build_init(&b, NULL, bound, 1, 1, 0, 8, 1, 0), -QDH_E_INVAL,
		   "init rejects a NULL buffer");
	tap_is_int(qdh_build_init(&b, buf, bound, 1, 1, 0, 8, 0, 0), -QDH_E_GENERATION,
		   "init rejects generation 0");
	tap_is_int(qdh_build_init(&b, buf, bound, 1, 1, 0, 8, 1, 1u << 4), -QDH_E_FLAGS,
		   "init rejects an unknown header flag");
	tap_is_int(qdh_build_init(&b, buf, bound - 1, 1, 1, 0, 8, 1, 0), -QDH_E_NOSPACE,
		   "init rejects a buffer one byte under the bound");
	tap_is_int(qdh_build_init(&b, buf, bound, 0x10000, 1, 0, 8, 1, 0), -QDH_E_COUNT,
		   "init rejects more than 65535 IOMMUs");
	tap_is_int(qdh_build_add_iommu(&b, &smmu), -QDH_E_COUNT,
		   "a failed init leaves the builder failed");
	tap_is_int(qdh_build_init(&b, buf, bound, 1, 1, 0, 8, 1,
				  QDH_F_KNOWN & ~QDH_F_NO_PURGATORY), 0,
		   "init accepts a buffer of exactly the bound and every known flag "
		   "but no-purgatory");
	tap_is_int(qdh_build_init(&b, buf, bound, 1, 1, 0, 8, 1,
				  QDH_F_KNOWN & ~QDH_F_BLOCK_BYPASS), 0,
		   "  and every known flag but block-bypass");
	tap_is_int(qdh_build_init(&b, buf, bound, 1, 1, 0, 8, 1,
				  QDH_F_KEXEC | QDH_F_NO_PURGATORY | QDH_F_BLOCK_BYPASS),
		   -QDH_E_INVAL, "init refuses no-purgatory with block-bypass (v1.1)");
	tap_is_int(qdh_build_init(&b, buf, bound, 1, 1, 0, 8, 1,
				  QDH_F_KEXEC | QDH_F_NO_DUMP_TARGET),
		   -QDH_E_FLAGS, "init refuses no-dump-target without crash");
}

static void test_iommus(void)
{
	struct qdh_builder b;
	struct qdh_iommu_spec m = smmu;
	size_t len;
	struct qdh_view v;
	struct qdh_iommu_info info;

	init(&b, 2, 0, 0, 64);
	tap_is_int(qdh_build_add_iommu(&b, &smmu), 0, "first IOMMU gets index 0");
	m.name = NULL;
	m.flags = QDH_IOMMU_F_HAS_ACTIVE;	/* kept: conservative */
	tap_is_int(qdh_build_add_iommu(&b, &m), 1, "second (unnamed) IOMMU gets index 1");
	tap_is_int(qdh_build_add_iommu(&b, &smmu), -QDH_E_NOSPACE, "a third is over max_iommus");
	init(&b, 2, 0, 0, 64);
	m = smmu;
	m.type = QDH_IOMMU_TYPE_MAX + 1;
	tap_is_int(qdh_build_add_iommu(&b, &m), -QDH_E_ENUM, "add_iommu rejects an unknown type");
	init(&b, 2, 0, 0, 64);
	m = smmu;
	m.flags = 2;
	tap_is_int(qdh_build_add_iommu(&b, &m), -QDH_E_FLAGS, "add_iommu rejects an unknown flag");
	init(&b, 2, 0, 0, 10);
	tap_is_int(qdh_build_add_iommu(&b, &smmu), -QDH_E_NOSPACE,
		   "add_iommu rejects a name over the string budget");
	init(&b, 2, 0, 0, 64);
	tap_is_int(qdh_build_add_iommu(&b, NULL), -QDH_E_INVAL, "add_iommu rejects NULL");

	init(&b, 2, 0, 0, 64);
	qdh_build_add_iommu(&b, &smmu);
	m = smmu;
	m.name = NULL;
	m.flags = QDH_IOMMU_F_HAS_ACTIVE;
	qdh_build_add_iommu(&b, &m);
	tap_is_int(qdh_build_finish(&b, &len), 0, "two IOMMUs, no devices: finish");
	tap_is_int(qdh_check(&v, buf, len), 0, "  and it checks");
	tap_ok(!qdh_get_iommu(&v, 1, &info) && !strcmp(info.name, "") &&
	       info.flags == QDH_IOMMU_F_HAS_ACTIVE, "  a NULL name reads back as \"\"");
	tap_is_int(qdh_get_iommu(&v, 2, &info), -QDH_E_INVAL, "  get_iommu past the end fails");
	tap_is_int(qdh_build_finish(&b, &len), -QDH_E_INVAL, "  a spent builder cannot finish again");
}

static void test_devices(void)
{
	struct qdh_builder b;
	struct qdh_device_spec d;
	uint32_t dup[2] = { 5, 5 };
	size_t len;

	d = pci(0, 8); d.state = 0;
	bad_device(d, QDH_E_ENUM, "state 0");
	d = pci(0, 8); d.state = QDH_STATE_MAX + 1;
	bad_device(d, QDH_E_ENUM, "state past the last");
	d = pci(0, 8); d.action = 0;
	bad_device(d, QDH_E_ENUM, "action 0");
	d = pci(0, 8); d.action = QDH_ACTION_MAX + 1;
	bad_device(d, QDH_E_ENUM, "action past the last");
	d = pci(0, 8); d.flags = 0x10;
	bad_device(d, QDH_E_FLAGS, "an unknown device flag");
	d = pci(0, 8); d.flags = QDH_DEV_F_PLATFORM;
	bad_device(d, QDH_E_INVAL, "the platform flag on a PCI function");
	d = pci(0, 8); d.class_code = 0x01000000;
	bad_device(d, QDH_E_RESERVED, "class_code reserved bits");
	d = pci(0, 8); d.iommu = 1;
	bad_device(d, QDH_E_IOMMU_INDEX, "a missing IOMMU");
	d = pci(0, 8); d.iommu = QDH_NO_IOMMU;
	bad_device(d, QDH_E_SIDS, "StreamIDs without an IOMMU");
	d = pci(0, 8); d.sids = NULL;
	bad_device(d, QDH_E_SIDS, "nsids without a list");
	d = pci(0, 8); d.nsids = 2; d.sids = dup;
	bad_device(d, QDH_E_SIDS, "a duplicated StreamID");
	d = pci(0, 0); d.is_platform = 1; d.vendor = 0; d.device = 0; d.name = NULL;
	bad_device(d, QDH_E_STRING, "a platform device without name");
	d.name = "";
	bad_device(d, QDH_E_STRING, "a platform device with an empty name");
	d.name = "dma@0"; d.vendor = 1;
	bad_device(d, QDH_E_RESERVED, "a platform device with a vendor ID");
	d.vendor = 0; d.name = "a-platform-device-name-well-over-the-budget-of-64-bytes-for-strings";
	bad_device(d, QDH_E_NOSPACE, "a name over the string budget");
	d = pci(0, 8); d.nsids = 17; d.sids = dup;
	bad_device(d, QDH_E_NOSPACE, "more pool StreamIDs than max_pool_sids");

	init(&b, 1, 1, 0, 64);
	qdh_build_add_iommu(&b, &smmu);
	d = pci(0, 8);
	tap_is_int(qdh_build_add_device(&b, &d), 0, "one device fits max_devices 1");
	tap_is_int(qdh_build_add_device(&b, &d), -QDH_E_NOSPACE, "a second does not");

	init(&b, 1, 3, 0, 64);
	qdh_build_add_iommu(&b, &smmu);
	d = pci(1, 8);
	qdh_build_add_device(&b, &d);
	d = pci(0, 8);
	qdh_build_add_device(&b, &d);
	d = pci(1, 8);
	qdh_build_add_device(&b, &d);
	tap_is_int(qdh_build_finish(&b, &len), -QDH_E_ORDER, "finish rejects a duplicate BDF");

	init(&b, 1, 3, 0, 64);
	qdh_build_add_iommu(&b, &smmu);
	d = pci(0, 0); d.is_platform = 1; d.vendor = d.device = 0; d.nsids = 0;
	d.name = "dma@1000";
	qdh_build_add_device(&b, &d);
	d.name = "dma@2000";
	qdh_build_add_device(&b, &d);
	d.name = "dma@1000";
	qdh_build_add_device(&b, &d);
	tap_is_int(qdh_build_finish(&b, &len), -QDH_E_ORDER, "finish rejects a duplicate platform name");
}

static void test_empty_and_limits(void)
{
	struct qdh_builder b;
	struct qdh_view v;
	size_t len = 0;
	uint32_t n = 90000;
	int ret = 0;

	init(&b, 0, 0, 0, 0);
	tap_is_int(qdh_build_finish(&b, &len), 0, "empty inventory builds");
	tap_is_int(len, 152 + 48, "  header plus an empty record: 200 bytes");
	tap_is_int(qdh_check(&v, buf, len), 0, "  and checks");
	tap_is_int(qdh_device_count(&v) + qdh_iommu_count(&v), 0, "  with nothing in it");

	/* 90,000 devices of 24 bytes are over the 2 MiB blob limit. */
	init(&b, 1, n, 0, 32);
	qdh_build_add_iommu(&b, &smmu);
	for (uint32_t i = 0; i < n && !ret; i++) {
		struct qdh_device_spec d = pci((uint8_t)(i >> 8), (uint8_t)i);

		d.domain = i >> 16;
		ret = qdh_build_add_device(&b, &d);
	}
	tap_is_int(ret, 0, "90,000 devices can be added");
	tap_is_int(qdh_build_finish(&b, &len), -QDH_E_TOTAL_SIZE,
		   "  but the blob would pass 2 MiB: finish fails");
}

static void test_determinism(void)
{
	struct inv inv;
	uint8_t *a, *c;
	size_t la = 0, lc = 0;
	int same;

	inv_random(&inv, 99, 2000, 40);
	inv_build(&inv, &a, &la, 5, 0);
	inv_build(&inv, &c, &lc, 5, 0);
	tap_ok(la == lc && !memcmp(a, c, la), "same inventory twice: byte-identical (%zu bytes)", la);
	free(c);
	/* Reverse the insertion order, and dirty the buffer beforehand. */
	for (uint32_t i = 0; i < inv.nd / 2; i++) {
		struct qdh_device_spec t = inv.devs[i];

		inv.devs[i] = inv.devs[inv.nd - 1 - i];
		inv.devs[inv.nd - 1 - i] = t;
	}
	{
		size_t bound = qdh_build_size_bound(inv.ni, inv.nd, inv.npool, inv.strbytes);
		struct qdh_builder b;

		c = xcalloc(1, bound);
		memset(c, 0x5a, bound);
		qdh_build_init(&b, c, bound, inv.ni, inv.nd, inv.npool, inv.strbytes, 5, 0);
		for (uint32_t i = 0; i < inv.ni; i++)
			qdh_build_add_iommu(&b, &inv.iommus[i]);
		for (uint32_t i = 0; i < inv.nd; i++)
			qdh_build_add_device(&b, &inv.devs[i]);
		qdh_build_finish(&b, &lc);
	}
	same = la == lc && !memcmp(a, c, la);
	tap_ok(same, "reversed insertion order and a dirty buffer: byte-identical");
	free(a);
	free(c);
	inv_free(&inv);
}

/* Builds the devices behind one SMMUv3; 0 or the error, *v checked. */
static int build_list(const struct qdh_device_spec *d, uint32_t n, uint32_t flags,
		      struct qdh_view *v, size_t *len)
{
	struct qdh_builder b;
	int ret;

	free(buf);
	cap = qdh_build_size_bound(1, n, 0, 64);
	buf = xcalloc(1, cap);
	ret = qdh_build_init(&b, buf, cap, 1, n, 0, 64, 7, flags);
	if (!ret)
		ret = qdh_build_add_iommu(&b, &smmu);
	for (uint32_t i = 0; ret >= 0 && i < n; i++)
		ret = qdh_build_add_device(&b, &d[i]);
	if (ret >= 0)
		ret = qdh_build_finish(&b, len);
	if (ret >= 0)
		ret = qdh_check(v, buf, *len);
	return ret;
}

static void test_no_dump_target(void)
{
	struct qdh_device_spec d[3] = { pci(0, 0), pci(0, 8), pci(0, 16) };
	struct qdh_view v;
	size_t len;

	d[0].class_code = 0x060400;		/* a bridge: not kept */
	d[1].class_code = 0x010802;		/* NVMe */
	d[2].class_code = 0x020000;		/* Ethernet */
	d[1].flags = QDH_DEV_F_DUMP_TARGET;
	tap_is_int(build_list(d, 3, QDH_F_CRASH | QDH_F_NO_DUMP_TARGET, &v, &len),
		   -QDH_E_FLAGS, "no-dump-target with a NIC not marked dump-target: finish fails");
	d[2].flags = QDH_DEV_F_DUMP_TARGET;
	tap_is_int(build_list(d, 3, QDH_F_CRASH | QDH_F_NO_DUMP_TARGET, &v, &len), 0,
		   "  every storage and network function marked: builds and checks");
	tap_is_int(v.flags, QDH_F_CRASH | QDH_F_NO_DUMP_TARGET, "  with the flag");
	d[1].flags = 0;
	tap_is_int(build_list(d, 3, QDH_F_CRASH, &v, &len), 0,
		   "without the flag nothing needs marking");
}

static struct qdh_device_spec wide(uint32_t domain, uint8_t bus, uint8_t devfn)
{
	struct qdh_device_spec d = {
		.domain = domain, .bus = bus, .devfn = devfn, .vendor = 0x144d,
		.device = 0xa808, .class_code = 0x010802, .iommu = QDH_NO_IOMMU,
		.state = QDH_STATE_QUIESCED, .action = QDH_ACTION_ATTACH,
	};

	return d;
}

static void test_wide(void)
{
	struct qdh_device_spec d[6];
	struct qdh_device_info di;
	struct qdh_view v;
	uint32_t pos = 0, n = 0, sid, vmd_sid = 0x70;
	size_t len;

	d[0] = wide(0x10000, 1, 0); d[0].iommu = 0;
	bad_device(d[0], QDH_E_WIDE, "a wide function with an IOMMU of its own");
	d[0] = wide(0x10000, 1, 0); d[0].has_requester = 1;
	d[1] = pci(0, 8); d[1].has_requester = 1;
	bad_device(d[1], QDH_E_INVAL, "a requester on a PCI function of a 16-bit domain");
	d[1] = wide(0x10000, 1, 0); d[1].flags = QDH_DEV_F_PLATFORM;
	bad_device(d[1], QDH_E_INVAL, "the platform flag on a wide function");

	/* The VMD endpoint 0000:00:0e.0 and what sits behind it. */
	d[0] = pci(0, 0x70); d[0].class_code = 0x010400; d[0].sids = &vmd_sid;
	d[1] = wide(0x10001, 0, 0);		/* no requester known */
	d[2] = wide(0x10000, 2, 0); d[2].has_requester = 1;
	d[2].requester_bus = 0; d[2].requester_devfn = 0x70;
	d[3] = wide(0x10000, 1, 0); d[3].has_requester = 1;
	d[3].requester_bus = 0; d[3].requester_devfn = 0x70;
	d[3].state = QDH_STATE_ACTIVE; d[3].action = QDH_ACTION_RESET_ATTACH;
	d[4] = pci(0, 8);
	tap_is_int(build_list(d, 5, QDH_F_CRASH, &v, &len), -QDH_E_WIDE,
		   "an active wide function behind a quiesced requester: finish fails");
	d[0].state = QDH_STATE_ACTIVE; d[0].action = QDH_ACTION_ABORT;
	d[3].requester_devfn = 0x78;
	tap_is_int(build_list(d, 5, QDH_F_CRASH, &v, &len), -QDH_E_WIDE,
		   "a requester the blob does not have: finish fails");
	d[3].requester_devfn = 0x70;
	tap_is_int(build_list(d, 5, QDH_F_CRASH, &v, &len), 0,
		   "a VMD endpoint with three wide functions: builds and checks");
	tap_ok(v.count[QDH_SEC_DEVICES] == 2 && v.count[QDH_SEC_WIDE_PCI] == 3 &&
	       qdh_device_count(&v) == 5,
	       "  2 in the device table, 3 in the wide table, 5 devices in all");
	tap_ok(!qdh_find_pci(&v, 0x10000, 1, 0, &di) && di.is_wide && di.index == 2 &&
	       di.domain == 0x10000 && di.requester == 1 && di.state == QDH_STATE_ACTIVE &&
	       di.iommu == 0 && di.nsids == 1 && !qdh_device_sid(&v, &di, 0, &sid) &&
	       sid == 0x70, "  10000:01:00.0 is wide, index 2, with the requester's IOMMU "
	       "and StreamID 0x70");
	tap_is_int(qdh_find_pci(&v, 0, 1, 0, &di), -QDH_E_NOTFOUND,
		   "  0000:01:00.0 is not 10000:01:00.0");
	tap_ok(!qdh_find_pci(&v, 0x10001, 0, 0, &di) && di.requester == QDH_NO_REQUESTER &&
	       di.iommu == QDH_NO_IOMMU && di.nsids == 0,
	       "  10001:00:00.0 has no requester, so no IOMMU");
	tap_ok(!qdh_find_stream(&v, 0, 0x70, &di) && !di.is_wide && di.index == 1,
	       "  StreamID 0x70 finds the VMD endpoint (device 1)");
	while (qdh_find_behind(&v, 1, &pos, &di) == 1)
		n += di.is_wide && di.domain == 0x10000;
	tap_is_int(n, 2, "  two wide functions behind it");
	tap_ok(!qdh_get_device(&v, 4, &di) && di.domain == 0x10001 &&
	       qdh_get_device(&v, 5, &di) == -QDH_E_INVAL,
	       "  the wide table is sorted by (domain, bdf); index 5 is past the end");
	d[2].bus = 1;
	tap_is_int(build_list(d, 5, QDH_F_CRASH, &v, &len), -QDH_E_ORDER,
		   "a duplicate wide function: finish fails");
}

static void test_streams(void)
{
	static const struct qdh_iommu_spec v2 = {
		.base = 0x2b400000, .size = 0x10000, .type = QDH_IOMMU_SMMUV2,
		.segment = 0, .name = "arm-smmu",
	};
	struct qdh_device_spec d;
	struct qdh_record_stream_info si;
	struct qdh_record_info ri;
	struct qdh_builder b;
	struct qdh_view v;
	uint32_t alias = 0x40, n, bad = 0;
	size_t len = 0;
	int ret = 0;

	init(&b, 2, 6, 0, 64);
	qdh_build_add_iommu(&b, &smmu);
	qdh_build_add_iommu(&b, &v2);
	d = pci(0, 8); d.state = QDH_STATE_ACTIVE;
	qdh_build_add_device(&b, &d);
	d = pci(0, 16);				/* quiesced: not listed */
	qdh_build_add_device(&b, &d);
	d = pci(0, 24); d.state = QDH_STATE_UNKNOWN;
	qdh_build_add_device(&b, &d);
	d = pci(0, 32); d.state = QDH_STATE_ACTIVE; d.iommu = 1;	/* SMMUv2 */
	qdh_build_add_device(&b, &d);
	d = pci(0, 0x40); d.sids = &alias;	/* quiesced, aliases the next */
	qdh_build_add_device(&b, &d);
	d = pci(0, 0x41); d.sids = &alias; d.state = QDH_STATE_ACTIVE;
	qdh_build_add_device(&b, &d);
	tap_is_int(qdh_build_finish(&b, &len), 0, "active devices on an SMMUv3 and an SMMUv2: builds");
	tap_is_int(qdh_check(&v, buf, len), 0, "  and checks");
	qdh_record_get(&v, &ri);
	tap_ok(ri.nstreams == 3 && ri.streams_omitted == 0, "  3 streams listed (%u), none omitted",
	       ri.nstreams);
	tap_ok(!qdh_record_get_stream(&v, 0, &si) && si.iommu == 0 && si.sid == 8 &&
	       si.ste == QDH_STE_NOT_READ && !qdh_record_get_stream(&v, 1, &si) &&
	       si.sid == 0x18 && !qdh_record_get_stream(&v, 2, &si) && si.sid == 0x40,
	       "  the active and unknown ones on the SMMUv3, an alias once, in StreamID order, "
	       "not read");
	tap_is_int(qdh_record_find_stream(&v, 0, 0x18, &n), 0, "  find (0, 0x18)");
	tap_is_int(n, 1, "  at index 1");
	tap_is_int(qdh_record_find_stream(&v, 0, 0x10, &n), -QDH_E_NOTFOUND,
		   "  a quiesced device's stream is not there");
	tap_is_int(qdh_record_find_stream(&v, 1, 0x20, &n), -QDH_E_NOTFOUND,
		   "  nor an SMMUv2's");

	/* More eligible streams than a u16 header_size holds. */
	n = QDH_RECORD_MAX_STREAMS + 815;
	init(&b, 1, n, 0, 64);
	qdh_build_add_iommu(&b, &smmu);
	for (uint32_t i = 0; i < n && !ret; i++) {
		d = pci((uint8_t)(i >> 8), (uint8_t)i);
		d.state = QDH_STATE_ACTIVE;
		ret = qdh_build_add_device(&b, &d);
	}
	if (!ret)
		ret = qdh_build_finish(&b, &len);
	tap_is_int(ret ? ret : qdh_check(&v, buf, len), 0, "%u active devices: builds and checks", n);
	qdh_record_get(&v, &ri);
	tap_ok(ri.nstreams == QDH_RECORD_MAX_STREAMS && ri.streams_omitted == 815,
	       "  %u streams kept (the most a u16 header_size holds), 815 omitted",
	       QDH_RECORD_MAX_STREAMS);
	for (uint32_t i = 0; i < ri.nstreams; i++)
		bad += qdh_record_get_stream(&v, i, &si) || si.sid != i;
	tap_is_int(bad, 0, "  the first ones in StreamID order");

	/* Near 2 MiB, the stream table yields to the devices. */
	n = 86000;
	ret = 0;
	init(&b, 1, n, 0, 64);
	qdh_build_add_iommu(&b, &smmu);
	for (uint32_t i = 0; i < n && !ret; i++) {
		uint32_t sid = i;	/* copied by add_device */

		d = pci((uint8_t)(i >> 8), (uint8_t)i);
		d.domain = i >> 16;
		d.sids = &sid;
		d.state = QDH_STATE_ACTIVE;
		ret = qdh_build_add_device(&b, &d);
	}
	if (!ret)
		ret = qdh_build_finish(&b, &len);
	tap_is_int(ret ? ret : qdh_check(&v, buf, len), 0, "86,000 active devices: builds and checks");
	qdh_record_get(&v, &ri);
	tap_ok(len <= QDH_MAX_BLOB_SIZE && len + 8 > QDH_MAX_BLOB_SIZE &&
	       ri.nstreams + ri.streams_omitted == n && ri.nstreams < QDH_RECORD_MAX_STREAMS,
	       "  %u streams fill the blob to %zu bytes, %u omitted", ri.nstreams, len,
	       ri.streams_omitted);
}

int main(void)
{
	test_init();
	test_iommus();
	test_devices();
	test_empty_and_limits();
	test_determinism();
	test_no_dump_target();
	test_wide();
	test_streams();
	free(buf);
	tap_diag(qdh_strerror(-QDH_E_NOSPACE));
	return tap_done();
}
