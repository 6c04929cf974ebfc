// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qdh_blob_to_json() beyond the golden blobs: hostile names come out
 * escaped, SMMUv2 and unknown-type register snapshots, a bad digest, a
 * record without counter frequency, and the name tables' edges.
 */
#include "config.h"

#include <stdlib.h>

#include "qdh/transport.h"
#include "tap.h"


static struct json_object *path(struct json_object *o, const char *p)
{
	char key[64];
	const char *dot;

	while (o && *p) {
		size_t n;

		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		memcpy(key, p, n);
		key[n] = 0;
		if (key[0] >= '0' && key[0] <= '9')
			o = json_object_array_get_idx(o, (size_t)atoi(key));
		else if (!json_object_object_get_ex(o, key, &o))
			o = NULL;
		p += n + (dot ? 1 : 0);
	}
	return o;
}

static const char *str(struct json_object *root, const char *p)
{
	struct json_object *o = path(root, p);

	return o ? json_object_get_string(o) : "(missing)";
}

/* Present with a JSON null value (json-c stores it as a NULL object). */
static int is_null(struct json_object *o, const char *key)
{
	struct json_object *v = (struct json_object *)1;

	return o && json_object_object_get_ex(o, key, &v) && !v;
}

int main(void)
{
	static uint8_t buf[8192];
	struct qdh_iommu_spec m[3] = {
		{ .base = 0x2b400000, .size = 0x10000, .type = QDH_IOMMU_SMMUV2,
		  .segment = QDH_IOMMU_NO_SEGMENT, .name = "smmu\nv2\x1b[31m" },
		{ .base = 0xfed90000, .size = 0x1000, .type = QDH_IOMMU_VTD, .segment = 0,
		  .name = "dmar0" },
		{ .base = 0x9050000, .size = 0x20000, .type = QDH_IOMMU_SMMUV3, .segment = 0,
		  .name = "smmu3" },
	};
	uint32_t sid = 0x42;
	struct qdh_device_spec d = {
		.is_platform = 1, .name = "evil\x7f\\name", .iommu = 0, .state = QDH_STATE_ACTIVE,
		.action = QDH_ACTION_ABORT, .flags = QDH_DEV_F_PLATFORM, .nsids = 1, .sids = &sid,
		.reasons = QDH_R_NO_BUS_MASTER_INFO | QDH_R_POLICY,
	};
	struct qdh_builder b;
	struct qdh_view v;
	struct json_object *j;
	struct qdh_record_info rec;
	struct qdh_record_iommu_info e;
	size_t len;
	int r;

	qdh_build_init(&b, buf, sizeof(buf), 3, 1, 0, 64, 0x1122334455667788ull, QDH_F_CRASH);
	qdh_build_add_iommu(&b, &m[0]);
	qdh_build_add_iommu(&b, &m[1]);
	qdh_build_add_iommu(&b, &m[2]);
	qdh_build_add_device(&b, &d);
	r = qdh_build_finish(&b, &len);
	tap_is_int(r, 0, "build a blob with hostile names");
	tap_is_int(qdh_check_body(&v, buf, len), 0, "valid body");

	/* Purgatory: SMMUv2 put to fault, VT-d skipped, SMMUv3 observed. */
	qdh_record_get(&v, &rec);	/* freq stays 0: unknown */
	rec.flags = QDH_REC_F_PURGATORY_RAN | QDH_REC_F_DIGEST_BAD;
	rec.bad_segment = 3;
	rec.ticks = 5000;
	qdh_record_put(&v, buf, &rec);
	memset(&e, 0, sizeof(e));
	e.action = QDH_PURG_FAULT_STREAMS;
	e.before[QDH_V2_SCR0] = 0x1;			/* CLIENTPD */
	e.before[QDH_V2_IDR0] = (1u << 27) | 0x80;
	e.before[QDH_V2_IDR1] = 0x10;
	e.after[QDH_V2_SCR0] = 1u << 10;		/* USFCFG */
	e.after[QDH_V2_SGFSR] = 0x2;
	qdh_record_put_iommu(&v, buf, 0, &e);
	memset(&e, 0, sizeof(e));
	e.action = QDH_PURG_OBSERVED;
	e.before[0] = 0xdeadbeef;
	qdh_record_put_iommu(&v, buf, 1, &e);
	memset(&e, 0, sizeof(e));
	e.action = QDH_PURG_OBSERVED;
	e.before[QDH_V3_GBPA] = 1u << 20;		/* disabled, abort */
	qdh_record_put_iommu(&v, buf, 2, &e);
	qdh_record_seal(&v, buf);
	tap_is_int(qdh_check(&v, buf, len), 0, "sealed record validates");

	j = qdh_blob_to_json(&v);
	tap_is_str(str(j, "iommus.0.name"), "smmu\\x0av2\\x1b[31m", "IOMMU name escaped");
	tap_is_str(str(j, "devices.0.id"), "evil\\x7f\\x5cname", "platform name escaped");
	tap_is_str(str(j, "devices.0.bus"), "platform", "platform bus");
	tap_ok(is_null(path(j, "iommus.0"), "segment"), "no segment: null");
	tap_is_str(str(j, "devices.0.reasons.0"), "policy", "reasons in bit order (policy)");
	tap_is_str(str(j, "devices.0.reasons.1"), "no-bus-master-info", "  then no-bus-master-info");
	tap_is_str(str(j, "devices.0.stream_ids.0"), "66", "StreamID 0x42");
	tap_is_str(str(j, "header.generation"), "0x1122334455667788", "generation as hex");
	tap_is_str(str(j, "record.digest"), "bad", "digest bad");
	tap_is_str(str(j, "record.bad_segment"), "3", "bad segment index");
	tap_ok(is_null(path(j, "record"), "elapsed_us"), "no counter frequency: elapsed_us null");
	tap_is_str(str(j, "record.iommus.0.action"), "fault-streams", "SMMUv2 action");
	tap_is_str(str(j, "record.iommus.0.before.decoded.incoming"), "bypass",
		   "SMMUv2 before: CLIENTPD means bypass");
	tap_is_str(str(j, "record.iommus.0.before.decoded.numsmrg"), "128", "IDR0.NUMSMRG");
	tap_is_str(str(j, "record.iommus.0.before.decoded.sms"), "true", "IDR0.SMS");
	tap_is_str(str(j, "record.iommus.0.before.decoded.numcb"), "16", "IDR1.NUMCB");
	tap_is_str(str(j, "record.iommus.0.after.decoded.incoming"),
		   "translate, unmatched streams fault", "SMMUv2 after: USFCFG faults unmatched");
	tap_is_str(str(j, "record.iommus.0.after.decoded.sgfsr_usf"), "true", "sGFSR.USF");
	tap_is_str(str(j, "record.iommus.1.before.raw.0"), "0x00000000deadbeef",
		   "VT-d registers shown raw");
	tap_is_str(str(j, "record.iommus.2.before.decoded.incoming"), "abort",
		   "SMMUv3 disabled with GBPA.ABORT: abort");
	tap_is_str(str(j, "record.iommus.2.before.decoded.strtab_fmt"), "linear", "STRTAB FMT");
	json_object_put(j);

	/* Unregistered action values and flag bits. */
	tap_is_str(qdh_purgatory_action_name(QDH_PURG_ACTION_MAX + 1), "invalid", "action out of range");
	tap_is_str(qdh_header_flag_name(4), "no-dump-target", "header flag 4 (v1.1)");
	tap_is_str(qdh_ste_state_name(QDH_STE_BYPASS), "bypass", "STE state bypass");
	tap_is_str(qdh_ste_state_name(QDH_STE_MAX + 1), "invalid", "STE state out of range");
	tap_ok(qdh_header_flag_name(5) == NULL && qdh_device_flag_name(4) == NULL &&
	       qdh_iommu_flag_name(1) == NULL && qdh_record_flag_name(4) == NULL,
	       "unknown flag bits have no name");
	tap_is_str(qdh_record_flag_name(3), "digest-skipped", "record flag names");
	return tap_done();
}
