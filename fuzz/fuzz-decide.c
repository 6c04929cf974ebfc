/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The crash side's decision at memory speed: apply_plan() (kexec/apply/
 * plan.c), the part of `qdh apply` between reading the system and
 * enforcing, on a blob and an in-memory device model (struct qdh_now)
 * built from the input; no file is touched, so millions of inputs run in
 * minutes (fuzz/fuzz-apply.c runs the file layer end to end, at a few
 * hundred a second).  The invariants, checked against the decoded blob and
 * the device model directly, not against what the plan says of them
 * (abort() on a breach):
 *  - items: one per identity, sorted; every present device is an item's or
 *    a second bus entry of an item's identity; nothing in the blob's name
 *    without a valid handover;
 *  - nothing is done (abort, reset) to a device that is not present;
 *  - no valid handover under observe: every decision is observe;
 *  - no bridge is aborted: one by class or header type now
 *    (qdh_pci_is_bridge()), or one the blob calls a bridge (state BRIDGE,
 *    bridge class);
 *  - no dump target is aborted (the blob's flag; --dump-target by address,
 *    platform name or a sysfs path below it), nor any present device above
 *    one by sysfs path; a reset only for a dump target with a reset method;
 *  - with --hotplug=attach and a valid handover, nothing outside the blob
 *    is aborted; a quiesced device in the blob that is nothing else is
 *    attached;
 *  - the decisions do not depend on the order sysfs lists the devices in
 *    (the plan again on the list reversed: same devices, decisions, why).
 *
 * Input: byte 0 options (bit 0 strict, 1 hotplug attach, 2 raw blob from
 * the tail, 3 no blob, 4 flip the blob byte at the offset in byte 1 and
 * reseal both CRCs), byte 1 that offset (with bit 2: the number of
 * records before the raw blob); then up to MAX_DEVS records of REC bytes:
 *   0  platform (bit 7), domain 0/1 (bit 0), name in upper case (bit 1: a
 *      second bus entry of one function), in the blob (bit 2), present
 *      now (bit 3)
 *   1  bus (PCI) or name number (platform)
 *   2  devfn
 *   3  class now (bits 0-2, CLASSES), class in the blob (bits 3-5),
 *      header type now (bits 6-7: 0, 1, 2, unknown)
 *   4  state in the blob (bits 0-2), config unreadable now (bit 6: class
 *      and header unknown), the blob's dump-target flag (bit 7)
 *   5  reset attribute (bit 0), a reset method (bit 1), a driver (bit 2),
 *      a --dump-target naming it (bits 4-5: none, by address or name, by
 *      a sysfs path below it, by its own path)
 *   6  parent: 0 the root complex, else the device (6) - 1 records back
 *   7  spare
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qdh/apply.h"
#include "qdh/bdf.h"
#include "qdh/codec.h"
#include "qdh/pcidev.h"
#include "../kexec/apply/apply-internal.h"
#include "fuzz.h"

#define MAX_DEVS	32
#define REC		8
#define HDR		2

static const uint32_t classes[8] = {
	0x060000,	/* host bridge */
	0x060400,	/* PCI-to-PCI bridge */
	0x020000,	/* network */
	0x010802,	/* NVMe */
	0x030000,	/* display */
	0x060100,	/* ISA bridge: not a bridge to us */
	0x060700,	/* CardBus bridge */
	0x060900,	/* semi-transparent PCI-to-PCI bridge */
};

#define FAIL(why)							\
	do {								\
		fprintf(stderr, "fuzz-decide: %s (line %d)\n", why, __LINE__); \
		abort();						\
	} while (0)

static struct qdh_now_dev devs[MAX_DEVS], rdevs[MAX_DEVS];
static char dump_args[MAX_DEVS][80], dump_paths[MAX_DEVS][600];
static struct apply_dump_target dump[MAX_DEVS], rdump[MAX_DEVS];
/* A raw blob comes from the input (libFuzzer's -max_len: 4096 bytes). */
static uint8_t blob[1 << 14];
#define QDH_FUZZ_BLOB_DEVS	(sizeof(blob) / 16)

/* Is a a component-wise strict prefix of b ("/x" above "/x/y", not "/xy")? */
static int above(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n > 1 && !strncmp(a, b, n) && b[n] == '/';
}

static int same_pci(const struct apply_item *x, uint32_t dom, uint8_t bus, uint8_t devfn)
{
	return !x->is_platform && x->domain == dom && x->bus == bus && x->devfn == devfn;
}

static uint64_t pci_key(const struct apply_item *x)
{
	return (uint64_t)x->domain << 16 | (uint64_t)x->bus << 8 | x->devfn;
}

/* The blob's entry of an item, by identity, from the view itself. */
static int blob_entry(const struct qdh_view *v, const struct apply_item *x,
		      struct qdh_device_info *di)
{
	if (!v)
		return 0;
	if (x->is_platform)
		return qdh_find_platform(v, x->name, di) == 0;
	return qdh_find_pci(v, x->domain, x->bus, x->devfn, di) == 0;
}

/*
 * The dump targets, judged from the inputs (not from x->dump_target): the
 * blob's flag, and each --dump-target's device.
 */
static void mark_targets(const struct apply_items *it, const struct qdh_view *v,
			 int ndump, char *target)
{
	struct qdh_device_info di;
	size_t k;
	int i;

	for (k = 0; k < it->n; k++)
		target[k] = blob_entry(v, &it->v[k], &di) &&
			    (di.flags & QDH_DEV_F_DUMP_TARGET);
	for (i = 0; i < ndump; i++) {
		struct qdh_bdf b;
		size_t best = it->n, blen = 0;
		int bdf = qdh_bdf_parse(dump[i].arg, &b) == 0;

		for (k = 0; k < it->n; k++) {
			const struct apply_item *x = &it->v[k];

			if (bdf ? same_pci(x, b.domain, b.bus, b.devfn) :
			    x->is_platform && !strcmp(x->name, dump[i].arg))
				break;
		}
		if (k < it->n) {
			target[k] = 1;	/* named by identity */
			continue;
		}
		if (!dump[i].path || !dump[i].path[0])
			continue;
		/* The present device nearest above (or at) the path. */
		for (k = 0; k < it->n; k++) {
			const struct apply_item *y = &it->v[k];
			size_t len = y->now ? strlen(y->now->path) : 0;

			if (len > blen && (!strcmp(y->now->path, dump[i].path) ||
					   above(y->now->path, dump[i].path))) {
				best = k;
				blen = len;
			}
		}
		if (best < it->n)
			target[best] = 1;
	}
}

static void check(const struct apply_items *it, const struct qdh_view *v,
		  const struct apply_plan_in *in, size_t ndevs)
{
	static char target[2 * MAX_DEVS + QDH_FUZZ_BLOB_DEVS];
	size_t k, j;

	if (it->n > sizeof(target))
		FAIL("more items than the model and the blob hold");
	mark_targets(it, v, in->ndump, target);

	for (k = 0; k < it->n; k++) {
		const struct apply_item *x = &it->v[k];
		struct qdh_device_info di;
		int in_blob = blob_entry(v, x, &di), parent = 0;

		if (k && !(it->v[k - 1].is_platform < x->is_platform ||
			   (it->v[k - 1].is_platform == x->is_platform &&
			    (x->is_platform ? strcmp(it->v[k - 1].name, x->name) < 0 :
			     pci_key(&it->v[k - 1]) < pci_key(x)))))
			FAIL("items not one per identity, in order");
		if (x->in_blob != in_blob)
			FAIL("an item's place in the blob differs from the blob");
		if (x->now && (x->now < in->now->devs || x->now >= in->now->devs + ndevs))
			FAIL("an item's present device is not one of the model's");
		if (!x->now && (x->dec == QDH_DEC_ABORT || x->dec == QDH_DEC_RESET_ATTACH))
			FAIL("acting on a device that is not present");
		if (!v && in->fail_safe == QDH_FAILSAFE_OBSERVE && x->dec != QDH_DEC_OBSERVE)
			FAIL("no valid handover under observe, yet not observe");
		if (x->dec == QDH_DEC_RESET_ATTACH &&
		    (!target[k] || !x->now->has_reset || !x->now->reset_method[0]))
			FAIL("a reset for a device that is no dump target or has no reset");
		if (x->dec != QDH_DEC_ABORT)
			continue;
		if (x->now && !x->now->is_platform &&
		    qdh_pci_is_bridge(x->now->class_code, x->now->header_type))
			FAIL("a bridge (by what is there now) was aborted");
		if (in_blob && !di.is_platform &&
		    (di.state == QDH_STATE_BRIDGE || qdh_pci_is_bridge((int)di.class_code, -1)))
			FAIL("a bridge (by the blob) was aborted");
		if (target[k])
			FAIL("a dump target was aborted");
		for (j = 0; j < it->n; j++)
			parent |= target[j] && it->v[j].now && above(x->now->path, it->v[j].now->path);
		if (parent)
			FAIL("a device above a dump target was aborted");
		if (v && !in_blob && in->hotplug == QDH_HOTPLUG_ATTACH)
			FAIL("--hotplug=attach, yet a device outside the blob was aborted");
		if (v && in_blob && di.state == QDH_STATE_QUIESCED)
			FAIL("a quiesced device was aborted");
	}
	/* Every present device is an item's, or a second entry of one. */
	for (j = 0; j < ndevs; j++) {
		const struct qdh_now_dev *d = &in->now->devs[j];
		int seen = 0;

		for (k = 0; k < it->n && !seen; k++) {
			const struct apply_item *x = &it->v[k];

			seen = x->now == d ||
			       (d->is_platform ? x->is_platform && !strcmp(x->name, d->name) :
				same_pci(x, d->domain, d->bus, d->devfn));
		}
		if (!seen)
			FAIL("a present device has no item");
	}
}

/* Build the device model and the --dump-target list from the records. */
static size_t model(const uint8_t *data, size_t nrec, size_t *ndump)
{
	size_t n = 0, i, j;

	*ndump = 0;
	for (i = 0; i < nrec; i++) {
		const uint8_t *r = data + i * REC;
		struct qdh_now_dev *d = &devs[n];
		const struct qdh_now_dev *parent = NULL;
		char path[sizeof(d->path) + sizeof(d->name) + 2];
		unsigned hdr = r[3] >> 6, how = (r[5] >> 4) & 3;

		if (!(r[0] & 8))
			continue;	/* not present now */
		memset(d, 0, sizeof(*d));
		d->is_platform = !!(r[0] & 0x80);
		if (d->is_platform) {
			snprintf(d->name, sizeof(d->name), "%x.dma", 0x9000000u + r[1] * 0x1000u);
		} else {
			d->domain = r[0] & 1;
			d->bus = r[1];
			d->devfn = r[2];
			snprintf(d->name, sizeof(d->name),
				 r[0] & 2 ? "%04X:%02X:%02X.%X" : "%04x:%02x:%02x.%x",
				 d->domain, d->bus, d->devfn >> 3, d->devfn & 7);
		}
		for (j = 0; j < n; j++)
			if (!strcmp(devs[j].name, d->name))
				break;
		if (j < n)
			continue;	/* a directory lists a name once */
		if (r[6] && r[6] <= n)
			parent = &devs[n - r[6]];
		if (!parent || snprintf(path, sizeof(path), "%s/%s", parent->path,
					d->name) >= (int)sizeof(d->path))
			snprintf(path, sizeof(path), "%s/%s/%s", QDH_PATH_SYS_DEVICES,
				 d->is_platform ? "platform" : d->domain ? "pci0001:00" :
				 "pci0000:00", d->name);
		memcpy(d->path, path, sizeof(d->path));
		d->path[sizeof(d->path) - 1] = '\0';
		if (r[4] & 0x40 || d->is_platform) {
			d->class_code = d->header_type = d->command = -1;
		} else {
			d->class_code = (int)classes[r[3] & 7];
			d->header_type = hdr == 3 ? -1 : (int)hdr;
			d->command = 0x0007;
		}
		d->has_reset = r[5] & 1;
		if (r[5] & 2)
			strcpy(d->reset_method, "flr bus");
		if (r[5] & 4)
			strcpy(d->driver, "drv");
		if (how && *ndump < MAX_DEVS) {
			size_t q = (*ndump)++;

			dump[q].arg = dump_args[q];
			dump[q].path = dump_paths[q];
			dump_paths[q][0] = '\0';
			if (how == 1)
				snprintf(dump_args[q], sizeof(dump_args[q]), "%s", d->name);
			else
				snprintf(dump_args[q], sizeof(dump_args[q]), "eth%zu", q);
			if (how == 2)
				snprintf(dump_paths[q], sizeof(dump_paths[q]), "%s/net/eth%zu",
					 d->path, q);
			else if (how == 3)
				snprintf(dump_paths[q], sizeof(dump_paths[q]), "%s", d->path);
		}
		n++;
	}
	return n;
}

static const struct qdh_view *make_blob(const uint8_t *data, size_t size, size_t nrec,
					struct qdh_view *v)
{
	static char names[MAX_DEVS][32];
	struct qdh_device_spec s;
	struct qdh_builder b;
	size_t i, j, blen = 0;
	int rc;
	uint8_t opt = data[0];

	if (opt & 8)
		return NULL;
	if (opt & 4) {
		blen = size - HDR - nrec * REC;
		if (blen > sizeof(blob))
			blen = sizeof(blob);
		memcpy(blob, data + HDR + nrec * REC, blen);
	} else {
		if (qdh_build_init(&b, blob, sizeof(blob), 1, MAX_DEVS, 0, 2048,
				   0x5eed000000000001ull, QDH_F_CRASH) < 0)
			FAIL("qdh_build_init");
		for (i = 0; i < nrec; i++) {
			const uint8_t *r = data + HDR + i * REC;
			unsigned st = r[4] & 7;

			if (!(r[0] & 4) || st < QDH_STATE_QUIESCED || st > QDH_STATE_BRIDGE)
				continue;
			/* One entry per identity: the builder refuses a second. */
			for (j = 0; j < i; j++) {
				const uint8_t *q = data + HDR + j * REC;

				if ((q[0] & 4) && (q[4] & 7) >= QDH_STATE_QUIESCED &&
				    (q[4] & 7) <= QDH_STATE_BRIDGE && !((q[0] ^ r[0]) & 0x80) &&
				    q[1] == r[1] &&
				    ((r[0] & 0x80) || (q[2] == r[2] && !((q[0] ^ r[0]) & 1))))
					break;
			}
			if (j < i)
				continue;
			memset(&s, 0, sizeof(s));
			s.is_platform = !!(r[0] & 0x80);
			if (s.is_platform) {
				snprintf(names[i], sizeof(names[i]), "%x.dma",
					 0x9000000u + r[1] * 0x1000u);
				s.name = names[i];
			} else {
				s.domain = r[0] & 1;
				s.bus = r[1];
				s.devfn = r[2];
				s.vendor = 0x1af4;
				s.device = 0x1041;
				s.class_code = classes[(r[3] >> 3) & 7];
			}
			s.state = (uint8_t)st;
			s.action = st == QDH_STATE_ACTIVE || st == QDH_STATE_UNKNOWN ?
				   QDH_ACTION_ABORT : QDH_ACTION_ATTACH;
			s.iommu = QDH_NO_IOMMU;
			if (r[4] & 0x80) {
				s.flags |= QDH_DEV_F_DUMP_TARGET;
				s.reasons |= QDH_R_DUMP_TARGET;
			}
			rc = qdh_build_add_device(&b, &s);
			if (rc < 0)
				FAIL(qdh_strerror(rc));
		}
		rc = qdh_build_finish(&b, &blen);
		if (rc < 0)
			FAIL(qdh_strerror(rc));
		if (opt & 0x10) {
			blob[data[1] % blen] ^= 0x5a;
			qdh_fuzz_reseal(blob, blen);
		}
	}
	memset(v, 0, sizeof(*v));
	return qdh_check(v, blob, blen) == 0 ? v : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qdh_now now, rnow;
	struct apply_items it, rit;
	struct apply_plan_in in, rin;
	struct qdh_view view;
	size_t nrec, n, ndump, i;

	if (size < HDR)
		return 0;
	nrec = (size - HDR) / REC;
	if (data[0] & 4 && nrec > data[1])
		nrec = data[1];
	if (nrec > MAX_DEVS)
		nrec = MAX_DEVS;
	n = model(data + HDR, nrec, &ndump);
	memset(&in, 0, sizeof(in));
	in.v = make_blob(data, size, nrec, &view);
	now.devs = devs;
	now.n = now.cap = n;
	in.now = &now;
	in.fail_safe = data[0] & 1 ? QDH_FAILSAFE_STRICT : QDH_FAILSAFE_OBSERVE;
	in.hotplug = data[0] & 2 ? QDH_HOTPLUG_ATTACH : QDH_HOTPLUG_ABORT;
	in.dump = dump;
	in.ndump = (int)ndump;
	if (apply_plan(&in, &it) < 0)
		FAIL("apply_plan");
	check(&it, in.v, &in, n);

	/* The same system listed in the reverse order decides the same. */
	for (i = 0; i < n; i++)
		rdevs[i] = devs[n - 1 - i];
	for (i = 0; i < ndump; i++)
		rdump[i] = dump[i];
	rnow.devs = rdevs;
	rnow.n = rnow.cap = n;
	rin = in;
	rin.now = &rnow;
	rin.dump = rdump;
	if (apply_plan(&rin, &rit) < 0)
		FAIL("apply_plan");
	if (rit.n != it.n)
		FAIL("listing order changed the number of items");
	for (i = 0; i < it.n; i++)
		if (strcmp(it.v[i].name, rit.v[i].name) || it.v[i].dec != rit.v[i].dec ||
		    strcmp(it.v[i].why, rit.v[i].why) || !it.v[i].now != !rit.v[i].now)
			FAIL("listing order changed a decision");
	for (i = 0; i < ndump; i++)
		if (dump[i].found != rdump[i].found)
			FAIL("listing order changed which dump targets were found");
	apply_items_free(&it);
	apply_items_free(&rit);
	return 0;
}
