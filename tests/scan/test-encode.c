// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The encode path (qdh_inventory_encode) at the ABI's limits: a full PCI
 * segment (65,536 functions) encodes and decodes within 2 MiB, device for
 * device; the most devices that fit (just under 2 MiB / 24 bytes) still
 * encode, one more is refused with -EFBIG, as are four segments; encoding
 * grows linearly (8x the functions: well under 24x the CPU time, where a
 * quadratic step would take 64x).  And the header flags: the policy
 * resolved once by the scan (qdh_policy_blob_flags), written and returned
 * by the encoder as they are.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "qdh/codec.h"
#include "qdh/inventory.h"
#include "scan.h"

/*
 * n PCI functions in the scanner's order, segment by segment, behind one
 * SMMUv3 per segment with StreamID = requester ID; every 7th is active.
 */
static void make_inventory(struct qdh_inventory *inv, size_t n)
{
	size_t nseg = (n + 65535) / 65536;

	memset(inv, 0, sizeof(*inv));
	inv->iommus = calloc(nseg, sizeof(*inv->iommus));
	inv->devices = calloc(n, sizeof(*inv->devices));
	inv->sids = calloc(n, sizeof(*inv->sids));	/* one StreamID each */
	if (!inv->iommus || !inv->devices || !inv->sids) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	inv->niommus = nseg;
	for (size_t s = 0; s < nseg; s++) {
		struct qdh_inv_iommu *m = &inv->iommus[s];

		m->type = QDH_IOMMU_SMMUV3;
		m->base = 0x40000000ull + 0x100000ull * s;
		m->size = 0x20000;
		m->segment = (int)s;
		snprintf(m->name, sizeof(m->name), "smmu3.0x%016llx", (unsigned long long)m->base);
	}
	for (size_t i = 0; i < n; i++) {
		struct qdh_inv_device *d = &inv->devices[i];

		d->bus = QDH_INV_PCI;
		d->domain = (uint32_t)(i >> 16);
		d->busno = (uint8_t)(i >> 8);
		d->devfn = (uint8_t)i;
		snprintf(d->name, sizeof(d->name), "%04x:%02x:%02x.%u", d->domain, d->busno,
			 d->devfn >> 3, d->devfn & 7u);
		d->vendor = 0x15b3;
		d->device = 0x101e;
		d->class_code = 0x020000;
		d->iommu = (int)(i >> 16);
		inv->sids[i] = (uint32_t)(i & 0xffff);
		d->sid_at = (uint32_t)i;
		d->nsids = 1;
		d->state = i % 7 ? QDH_STATE_QUIESCED : QDH_STATE_ACTIVE;
		d->action = i % 7 ? QDH_ACTION_ATTACH : QDH_ACTION_ABORT;
		d->reasons = QDH_R_NO_DRIVER;
		if (d->state == QDH_STATE_ACTIVE)
			inv->iommus[d->iommu].has_active = 1;
	}
	inv->ndevices = n;
	inv->nsids = inv->cap_sids = n;
	inv->blob_flags = QDH_F_CRASH | QDH_F_BLOCK_BYPASS;
}

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Best of three encodes, CPU milliseconds; -1 on failure. */
static double encode_ms(const struct qdh_inventory *inv)
{
	double best = -1;

	for (int r = 0; r < 3; r++) {
		uint8_t *blob = NULL;
		size_t len;
		double t0 = cpu_ms();
		int ret = qdh_inventory_encode(inv, 0x5eed, &blob, &len, NULL);
		double t = cpu_ms() - t0;

		free(blob);
		if (ret)
			return -1;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

static void test_full_segment(void)
{
	struct qdh_inventory inv;
	struct qdh_device_info di;
	struct qdh_record_info ri;
	struct qdh_view v;
	uint8_t *blob = NULL;
	size_t len = 0, bad = 0;
	int ret;

	make_inventory(&inv, 65536);
	ret = qdh_inventory_encode(&inv, 0x5eed, &blob, &len, NULL);
	tap_is_int(ret, 0, "65,536 PCI functions (one full segment) encode");
	if (ret) {
		qdh_inventory_free(&inv);
		return;
	}
	tap_is_int(qdh_check(&v, blob, len), 0, "  and the blob checks");
	qdh_record_get(&v, &ri);
	/* header, IOMMU, devices, one run, the name, the record + streams */
	tap_is_int(len, 152 + 32 + 65536 * 24 + 16 + 32 + 48 + 8 * 8185 + 104,
		   "  %zu bytes = %.2f MiB: 24 bytes a function, one run", len,
		   len / 1048576.0);
	tap_ok(len <= QDH_MAX_BLOB_SIZE, "  within 2 MiB");
	tap_ok(ri.nstreams == 8185 && ri.streams_omitted == 9363 - 8185,
	       "  the stream table holds 8,185 of the 9,363 active StreamIDs");
	for (size_t i = 0; i < inv.ndevices; i++) {
		const struct qdh_inv_device *d = &inv.devices[i];
		uint32_t sid;

		if (qdh_find_pci(&v, d->domain, d->busno, d->devfn, &di) || di.index != i ||
		    di.state != d->state || qdh_device_sid(&v, &di, 0, &sid) ||
		    sid != qdh_inv_sids(&inv, d)[0] || qdh_find_stream(&v, 0, sid, &di) || di.index != i)
			bad++;
	}
	tap_is_int(bad, 0, "  every function decodes, found by BDF and by StreamID");
	free(blob);
	qdh_inventory_free(&inv);
}

static void test_limits(void)
{
	size_t most = QDH_MAX_BLOB_SIZE / 24 - 40;	/* leaves room for the rest */
	struct qdh_inventory inv;
	uint8_t *blob = NULL;
	size_t len = 0;
	int ret;

	make_inventory(&inv, most);
	ret = qdh_inventory_encode(&inv, 0x5eed, &blob, &len, NULL);
	tap_is_int(ret, 0, "%zu functions (2 MiB / 24 - 40) still encode (%zu bytes)", most, len);
	tap_ok(len <= QDH_MAX_BLOB_SIZE, "  within 2 MiB: the stream table made room");
	free(blob);
	qdh_inventory_free(&inv);

	make_inventory(&inv, QDH_MAX_BLOB_SIZE / 24 - 2);
	blob = NULL;
	tap_is_int(qdh_inventory_encode(&inv, 0x5eed, &blob, &len, NULL), -EFBIG,
		   "%u functions: header and record no longer fit: -EFBIG",
		   QDH_MAX_BLOB_SIZE / 24 - 2);
	tap_ok(blob == NULL, "  and no blob");
	qdh_inventory_free(&inv);

	/*
	 * Four full segments: refused before a device is read (only one is
	 * allocated here; ASan would catch a read of the others).
	 */
	make_inventory(&inv, 1);
	inv.ndevices = 4 * 65536;
	blob = NULL;
	tap_is_int(qdh_inventory_encode(&inv, 0x5eed, &blob, &len, NULL), -EFBIG,
		   "four full segments (262,144 functions): -EFBIG, refused up front");
	qdh_inventory_free(&inv);
}

static void test_linear(void)
{
	struct qdh_inventory a, b;
	double ta, tb;

	make_inventory(&a, 8192);
	make_inventory(&b, 65536);
	ta = encode_ms(&a);
	tb = encode_ms(&b);
	tap_ok(ta > 0 && tb > 0 && tb < 24 * ta + 5,
	       "encode grows linearly: 8,192 functions %.2f ms, 65,536 %.2f ms (x%.1f for x8)",
	       ta, tb, ta > 0 ? tb / ta : 0);
	qdh_inventory_free(&a);
	qdh_inventory_free(&b);
}

static struct qdh_policy *policy(const char *text)
{
	struct qdh_policy *p = NULL;
	char err[256];

	if (qdh_policy_parse("test.json", text, strlen(text), &p, err, sizeof(err))) {
		printf("Bail out! %s\n", err);
		exit(1);
	}
	return p;
}

static void test_flags(void)
{
	struct qdh_policy *on = policy("{ \"version\": 1, \"block_bypass\": true }");
	struct qdh_policy *off = policy("{ \"version\": 1, \"block_bypass\": false }");
	struct qdh_policy *none = policy("{ \"version\": 1 }");
	struct qdh_inventory inv;
	uint8_t *blob = NULL;
	uint32_t got = 0;
	struct qdh_view v;
	size_t len;

	tap_is_int(qdh_policy_blob_flags(NULL, QDH_SCAN_CRASH, 0, 0, 0), QDH_F_CRASH,
		   "no policy, nothing active: crash");
	tap_is_int(qdh_policy_blob_flags(none, QDH_SCAN_CRASH, 0, 1, 0),
		   QDH_F_CRASH | QDH_F_BLOCK_BYPASS,
		   "no block_bypass, something active: the default blocks bypass");
	tap_is_int(qdh_policy_blob_flags(on, QDH_SCAN_KEXEC, 0, 0, 0),
		   QDH_F_KEXEC | QDH_F_BLOCK_BYPASS, "block_bypass true, nothing active: kexec,block-bypass");
	tap_is_int(qdh_policy_blob_flags(off, QDH_SCAN_CRASH, 0, 1, 0), QDH_F_CRASH,
		   "block_bypass false, something active: crash only");
	tap_is_int(qdh_policy_blob_flags(on, QDH_SCAN_CRASH, 1, 1, 0),
		   QDH_F_CRASH | QDH_F_NO_PURGATORY,
		   "no purgatory: no-purgatory, never block-bypass, whatever the policy says");
	tap_is_int(qdh_policy_blob_flags(NULL, QDH_SCAN_KEXEC, 1, 1, 0),
		   QDH_F_KEXEC | QDH_F_NO_PURGATORY, "  nor by default");
	tap_is_int(qdh_policy_blob_flags(NULL, QDH_SCAN_CRASH, 0, 0, 1),
		   QDH_F_CRASH | QDH_F_NO_DUMP_TARGET,
		   "no dump target determined: crash,no-dump-target");
	tap_is_int(qdh_policy_blob_flags(on, QDH_SCAN_CRASH, 1, 1, 1),
		   QDH_F_CRASH | QDH_F_NO_PURGATORY | QDH_F_NO_DUMP_TARGET,
		   "  kept with no-purgatory too");
	tap_is_int(qdh_policy_blob_flags(NULL, QDH_SCAN_KEXEC, 0, 1, 1),
		   QDH_F_KEXEC | QDH_F_BLOCK_BYPASS, "  never on a kexec blob");

	make_inventory(&inv, 3);
	inv.blob_flags = QDH_F_CRASH | QDH_F_NO_PURGATORY;
	tap_is_int(qdh_inventory_encode(&inv, 7, &blob, &len, &got), 0, "encode");
	tap_ok(got == inv.blob_flags && !qdh_check(&v, blob, len) && v.flags == got,
	       "  writes the flags the scan resolved and returns them (0x%x)", got);
	free(blob);
	blob = NULL;
	inv.blob_flags = QDH_F_CRASH | QDH_F_NO_PURGATORY | QDH_F_BLOCK_BYPASS;
	tap_is_int(qdh_inventory_encode(&inv, 7, &blob, &len, &got), -EINVAL,
		   "  and refuses the combination no blob may claim");
	qdh_inventory_free(&inv);
	qdh_policy_free(on);
	qdh_policy_free(off);
	qdh_policy_free(none);
}

int main(void)
{
	test_flags();
	test_full_segment();
	test_limits();
	test_linear();
	return tap_done();
}
