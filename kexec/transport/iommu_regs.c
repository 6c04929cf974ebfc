// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decode the register snapshots purgatory leaves in the record, so that a
 * reader sees "SMMU enabled / bypass / abort" without a manual.  Only the
 * fields that decide what happens to incoming DMA are decoded; the raw
 * values are always shown beside them.
 *
 * SMMUv3 (Arm IHI 0070, section 6.3): CR0 and CR0ACK bit 0 SMMUEN,
 * bit 1 PRIQEN, bit 2 EVTQEN, bit 3 CMDQEN; GBPA bit 31 UPDATE,
 * bit 20 ABORT; STRTAB_BASE ADDR bits 51:6; STRTAB_BASE_CFG
 * FMT bits 17:16, LOG2SIZE bits 5:0; IDR0 ST_LEVEL bits 28:27.
 * SMMUv2 (Arm IHI 0062): sCR0 bit 0 CLIENTPD, bit 1 GFRE, bit 2
 * GFIE, bit 10 USFCFG; sGFSR bit 1 USF; IDR0 NUMSMRG 7:0, SMS bit 27;
 * IDR1 NUMCB 7:0.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "qdh/transport.h"

static void put_hex(struct json_object *o, const char *key, uint64_t v, int width)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%0*" PRIx64, width, v);
	json_object_object_add(o, key, json_object_new_string(buf));
}

static void put_bool(struct json_object *o, const char *key, uint64_t reg, unsigned bit)
{
	json_object_object_add(o, key, json_object_new_boolean((reg >> bit) & 1));
}

static uint64_t bits(uint64_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & ((1ull << (hi - lo + 1)) - 1);
}

static struct json_object *smmuv3(const uint64_t *r)
{
	static const char *const fmt[] = { "linear", "2-level", "reserved", "reserved" };
	struct json_object *o = json_object_new_object(), *d = json_object_new_object();
	uint64_t cr0ack = r[QDH_V3_CR0ACK], gbpa = r[QDH_V3_GBPA];
	const char *incoming;

	put_hex(o, "CR0", r[QDH_V3_CR0], 8);
	put_hex(o, "CR0ACK", cr0ack, 8);
	put_hex(o, "GBPA", gbpa, 8);
	put_hex(o, "STRTAB_BASE", r[QDH_V3_STRTAB_BASE], 16);
	put_hex(o, "STRTAB_BASE_CFG", r[QDH_V3_STRTAB_BASE_CFG], 8);
	put_hex(o, "IDR0", r[QDH_V3_IDR0], 8);

	/* What the SMMU does to a transaction now: CR0ACK is the truth. */
	if (cr0ack & 1)
		incoming = "translate";
	else
		incoming = (gbpa >> 20) & 1 ? "abort" : "bypass";
	json_object_object_add(d, "incoming", json_object_new_string(incoming));
	put_bool(d, "smmuen", r[QDH_V3_CR0], 0);
	put_bool(d, "smmuen_ack", cr0ack, 0);
	put_bool(d, "cmdqen", r[QDH_V3_CR0], 3);
	put_bool(d, "evtqen", r[QDH_V3_CR0], 2);
	put_bool(d, "priqen", r[QDH_V3_CR0], 1);
	put_bool(d, "gbpa_abort", gbpa, 20);
	put_bool(d, "gbpa_update", gbpa, 31);
	put_hex(d, "strtab_addr", r[QDH_V3_STRTAB_BASE] & (bits(~0ull, 51, 6) << 6), 1);
	json_object_object_add(d, "strtab_fmt", json_object_new_string(
		fmt[bits(r[QDH_V3_STRTAB_BASE_CFG], 17, 16)]));
	json_object_object_add(d, "strtab_log2size",
			       json_object_new_int64((int64_t)bits(r[QDH_V3_STRTAB_BASE_CFG], 5, 0)));
	json_object_object_add(d, "st_level", json_object_new_string(
		fmt[bits(r[QDH_V3_IDR0], 28, 27)]));
	json_object_object_add(o, "decoded", d);
	return o;
}

static struct json_object *smmuv2(const uint64_t *r)
{
	struct json_object *o = json_object_new_object(), *d = json_object_new_object();
	uint64_t scr0 = r[QDH_V2_SCR0];
	const char *incoming;

	put_hex(o, "sCR0", scr0, 8);
	put_hex(o, "sGFSR", r[QDH_V2_SGFSR], 8);
	put_hex(o, "IDR0", r[QDH_V2_IDR0], 8);
	put_hex(o, "IDR1", r[QDH_V2_IDR1], 8);

	/* CLIENTPD: the SMMU ignores clients; else USFCFG rules unmatched ones. */
	if (scr0 & 1)
		incoming = "bypass";
	else
		incoming = (scr0 >> 10) & 1 ? "translate, unmatched streams fault" :
					      "translate, unmatched streams bypass";
	json_object_object_add(d, "incoming", json_object_new_string(incoming));
	put_bool(d, "clientpd", scr0, 0);
	put_bool(d, "usfcfg", scr0, 10);
	put_bool(d, "gfre", scr0, 1);
	put_bool(d, "gfie", scr0, 2);
	put_bool(d, "sgfsr_usf", r[QDH_V2_SGFSR], 1);
	json_object_object_add(d, "numsmrg",
			       json_object_new_int64((int64_t)bits(r[QDH_V2_IDR0], 7, 0)));
	put_bool(d, "sms", r[QDH_V2_IDR0], 27);
	json_object_object_add(d, "numcb",
			       json_object_new_int64((int64_t)bits(r[QDH_V2_IDR1], 7, 0)));
	json_object_object_add(o, "decoded", d);
	return o;
}

struct json_object *qdh_iommu_regs_json(unsigned type, const uint64_t *regs)
{
	struct json_object *o, *raw;
	unsigned k;

	if (type == QDH_IOMMU_SMMUV3)
		return smmuv3(regs);
	if (type == QDH_IOMMU_SMMUV2)
		return smmuv2(regs);
	o = json_object_new_object();
	raw = json_object_new_array();
	for (k = 0; k < QDH_RECORD_NREGS; k++) {
		char buf[24];

		snprintf(buf, sizeof(buf), "0x%016" PRIx64, regs[k]);
		json_object_array_add(raw, json_object_new_string(buf));
	}
	json_object_object_add(o, "raw", raw);
	return o;
}
