// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Round trip: random inventories (thousands of devices, multi-SID and
 * aliasing StreamIDs, several IOMMUs, platform devices, added in random
 * order) are built, checked, iterated and looked up, and every answer is
 * compared with a model computed independently here with qsort().
 */
#include "tap.h"
#include "testlib.h"

struct pair { uint32_t iommu, sid, dev; int active; };

static const struct inv *g_inv;

static int spec_cmp(const void *pa, const void *pb)
{
	const struct qdh_device_spec *a = &g_inv->devs[*(const uint32_t *)pa];
	const struct qdh_device_spec *b = &g_inv->devs[*(const uint32_t *)pb];
	uint32_t ia = (uint32_t)a->domain << 16 | a->bus << 8 | a->devfn;
	uint32_t ib = (uint32_t)b->domain << 16 | b->bus << 8 | b->devfn;

	if (a->is_platform != b->is_platform)
		return a->is_platform ? 1 : -1;
	if (a->is_platform)
		return strcmp(a->name, b->name);	/* unsigned char order */
	return (ia > ib) - (ia < ib);
}

static int pair_cmp(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;

	if (a->iommu != b->iommu)
		return a->iommu < b->iommu ? -1 : 1;
	if (a->sid != b->sid)
		return a->sid < b->sid ? -1 : 1;
	return (a->dev > b->dev) - (a->dev < b->dev);
}

static int u32_cmp(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return (a > b) - (a < b);
}

static void roundtrip(uint64_t seed, uint32_t npci, uint32_t nplat, int dense)
{
	struct inv inv;
	uint8_t *blob;
	size_t len = 0;
	struct qdh_view v;
	struct qdh_device_info d;
	struct qdh_dev_iter it;
	uint32_t *order, n = 0, bad = 0, npairs = 0;
	struct pair *pairs;
	uint64_t s = seed;
	int ret;

	inv_random(&inv, seed, npci, nplat);
	/* Dense: one IOMMU per segment, StreamID = requester ID, long runs. */
	for (uint32_t i = 0; dense && i < inv.nd; i++) {
		struct qdh_device_spec *sp = &inv.devs[i];

		if (sp->is_platform || sp->nsids != 1)
			continue;
		sp->iommu = (uint16_t)(sp->domain % inv.ni);
		*(uint32_t *)sp->sids = (uint32_t)sp->bus << 8 | sp->devfn;
	}
	g_inv = &inv;
	ret = inv_build(&inv, &blob, &len, 0x1234 + seed, QDH_F_CRASH);
	tap_is_int(ret, 0, "seed %llu: build %u PCI + %u platform devices, %u IOMMUs",
		   (unsigned long long)seed, npci, nplat, inv.ni);
	ret = qdh_check(&v, blob, len);
	tap_is_int(ret, 0, "seed %llu: the built blob (%zu bytes) checks: %s",
		   (unsigned long long)seed, len, qdh_strerror(ret));
	if (ret) {
		printf("# err_offset %zu\n", v.err_offset);
		free(blob);
		inv_free(&inv);
		return;
	}
	tap_is_int(qdh_device_count(&v), inv.nd, "seed %llu: device count", (unsigned long long)seed);
	tap_is_int(qdh_iommu_count(&v), inv.ni, "seed %llu: IOMMU count", (unsigned long long)seed);
	tap_is_int(v.generation, 0x1234 + seed, "seed %llu: generation", (unsigned long long)seed);
	tap_is_int(v.flags, QDH_F_CRASH, "seed %llu: flags", (unsigned long long)seed);

	/* IOMMUs keep the caller's order; HAS_ACTIVE is derived. */
	for (uint32_t i = 0; i < inv.ni; i++) {
		struct qdh_iommu_info m;
		uint8_t want = inv.iommus[i].flags;

		for (uint32_t k = 0; k < inv.nd; k++)
			if (inv.devs[k].iommu == i &&
			    (inv.devs[k].state == QDH_STATE_ACTIVE ||
			     inv.devs[k].state == QDH_STATE_UNKNOWN))
				want |= QDH_IOMMU_F_HAS_ACTIVE;
		if (qdh_get_iommu(&v, i, &m) || m.base != inv.iommus[i].base ||
		    m.size != inv.iommus[i].size || m.type != inv.iommus[i].type ||
		    m.segment != inv.iommus[i].segment || m.flags != want ||
		    strcmp(m.name, inv.iommus[i].name))
			bad++;
	}
	tap_is_int(bad, 0, "seed %llu: every IOMMU reads back", (unsigned long long)seed);

	/* Model order, then the iterator must walk exactly it. */
	order = xcalloc(inv.nd, sizeof(*order));
	for (uint32_t i = 0; i < inv.nd; i++)
		order[i] = i;
	qsort(order, inv.nd, sizeof(*order), spec_cmp);
	pairs = xcalloc(inv.nd * 8 + 1, sizeof(*pairs));
	bad = 0;
	for (qdh_dev_iter_init(&it, &v); qdh_dev_iter_next(&it, &d) == 1; n++) {
		const struct qdh_device_spec *sp = &inv.devs[order[n]];
		uint32_t want[8];

		if (d.index != n || d.is_platform != sp->is_platform ||
		    d.vendor != sp->vendor || d.device != sp->device ||
		    d.class_code != sp->class_code || d.iommu != sp->iommu ||
		    d.reasons != sp->reasons || d.state != sp->state ||
		    d.action != sp->action || d.nsids != sp->nsids ||
		    d.flags != (sp->flags | (sp->is_platform ? QDH_DEV_F_PLATFORM : 0)))
			bad++;
		if (sp->is_platform ? strcmp(d.name, sp->name) :
		    (d.name || d.domain != sp->domain || d.bus != sp->bus ||
		     d.devfn != sp->devfn))
			bad++;
		memcpy(want, sp->sids, sp->nsids * sizeof(uint32_t));
		qsort(want, sp->nsids, sizeof(uint32_t), u32_cmp);
		for (uint32_t k = 0; k < sp->nsids; k++) {
			uint32_t got;

			if (qdh_device_sid(&v, &d, k, &got) || got != want[k])
				bad++;
			pairs[npairs++] = (struct pair){ sp->iommu, want[k], n,
				sp->state == QDH_STATE_ACTIVE || sp->state == QDH_STATE_UNKNOWN };
		}
		if (qdh_device_sid(&v, &d, d.nsids, &want[0]) != -QDH_E_INVAL)
			bad++;
	}
	tap_is_int(n, inv.nd, "seed %llu: iterator visits every device", (unsigned long long)seed);
	tap_is_int(bad, 0, "seed %llu: every device reads back in model order", (unsigned long long)seed);

	/* Lookups by key: every device found at its model index. */
	bad = 0;
	for (uint32_t p = 0; p < inv.nd; p++) {
		const struct qdh_device_spec *sp = &inv.devs[order[p]];

		ret = sp->is_platform ? qdh_find_platform(&v, sp->name, &d) :
			qdh_find_pci(&v, sp->domain, sp->bus, sp->devfn, &d);
		if (ret || d.index != p)
			bad++;
	}
	tap_is_int(bad, 0, "seed %llu: every device found by BDF or name", (unsigned long long)seed);

	/* Absent keys. */
	bad = 0;
	for (uint32_t k = 0; k < 2000; k++) {
		uint32_t id = rnd_below(&s, 1u << 20);
		int present = 0;

		for (uint32_t p = 0; p < inv.nd && !present; p++) {
			const struct qdh_device_spec *sp = &inv.devs[p];

			present = !sp->is_platform &&
				  ((uint32_t)sp->domain << 16 | sp->bus << 8 | sp->devfn) == id;
		}
		ret = qdh_find_pci(&v, (uint16_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id, NULL);
		if (ret != (present ? 0 : -QDH_E_NOTFOUND))
			bad++;
	}
	if (qdh_find_platform(&v, "no-such-device", NULL) != -QDH_E_NOTFOUND ||
	    qdh_find_platform(&v, "", NULL) != -QDH_E_NOTFOUND ||
	    qdh_find_platform(&v, "\xff", NULL) != -QDH_E_NOTFOUND ||
	    qdh_find_platform(&v, NULL, NULL) != -QDH_E_INVAL)
		bad++;
	tap_is_int(bad, 0, "seed %llu: absent BDFs and names not found", (unsigned long long)seed);

	/* (IOMMU, StreamID): the lowest device index among aliases. */
	qsort(pairs, npairs, sizeof(*pairs), pair_cmp);
	bad = 0;
	for (uint32_t k = 0; k < npairs; k++) {
		if (k && pairs[k].iommu == pairs[k - 1].iommu &&
		    pairs[k].sid == pairs[k - 1].sid)
			continue;
		ret = qdh_find_stream(&v, (uint16_t)pairs[k].iommu, pairs[k].sid, &d);
		if (ret || d.index != pairs[k].dev) {
			if (bad++ < 5)
				printf("# stream (%u, %#x): ret %d index %u, want %u\n",
				       pairs[k].iommu, pairs[k].sid, ret, d.index, pairs[k].dev);
		}
	}
	tap_is_int(bad, 0, "seed %llu: all %u (IOMMU, StreamID) pairs found, aliases at the lowest index",
		   (unsigned long long)seed, npairs);

	/* v1.1 stream table: every stream of an active device on an SMMUv3. */
	{
		struct qdh_record_info ri;
		struct qdh_record_stream_info si;
		uint32_t want = 0;

		qdh_record_get(&v, &ri);
		bad = 0;
		for (uint32_t k = 0; k < npairs; k++) {
			int el = 0;
			uint32_t j = k;

			if (k && pairs[k].iommu == pairs[k - 1].iommu &&
			    pairs[k].sid == pairs[k - 1].sid)
				continue;
			for (; j < npairs && pairs[j].iommu == pairs[k].iommu &&
			       pairs[j].sid == pairs[k].sid; j++)
				el |= pairs[j].active;
			if (!el || inv.iommus[pairs[k].iommu].type != QDH_IOMMU_SMMUV3)
				continue;
			if (want < ri.nstreams &&
			    (qdh_record_get_stream(&v, want, &si) || si.iommu != pairs[k].iommu ||
			     si.sid != pairs[k].sid || si.ste != QDH_STE_NOT_READ))
				bad++;
			want++;
		}
		tap_ok(!bad && ri.nstreams + ri.streams_omitted == want &&
		       ri.nstreams == (want < QDH_RECORD_MAX_STREAMS ? want : QDH_RECORD_MAX_STREAMS),
		       "seed %llu: the record lists the %u active SMMUv3 streams of the model",
		       (unsigned long long)seed, want);
	}
	bad = 0;
	for (uint32_t k = 0; k < 5000; k++) {
		struct pair q = { rnd_below(&s, inv.ni + 1), rnd_below(&s, 1u << 21), 0, 0 };
		struct pair *hit;

		if (k & 1 && npairs)	/* near a present one: exercises run edges */
			q = pairs[rnd_below(&s, npairs)], q.sid += 1 + rnd_below(&s, 3);
		q.dev = 0;
		hit = bsearch(&q, pairs, npairs, sizeof(*pairs), pair_cmp);
		if (!hit) {	/* bsearch matched dev 0 only; scan for the key */
			for (uint32_t j = 0; j < npairs && !hit; j++)
				if (pairs[j].iommu == q.iommu && pairs[j].sid == q.sid)
					hit = &pairs[j];
		}
		ret = qdh_find_stream(&v, (uint16_t)q.iommu, q.sid, NULL);
		if (ret != (hit ? 0 : -QDH_E_NOTFOUND))
			bad++;
	}
	tap_is_int(bad, 0, "seed %llu: random (IOMMU, StreamID) lookups agree with the model",
		   (unsigned long long)seed);
	printf("# seed %llu: %u runs for %u pairs\n", (unsigned long long)seed,
	       v.count[QDH_SEC_RUNS], npairs);

	free(pairs);
	free(order);
	free(blob);
	inv_free(&inv);
}

static int wide_cmp(const void *pa, const void *pb)
{
	const struct qdh_device_spec *a = pa, *b = pb;
	uint64_t ka = (uint64_t)a->domain << 16 | a->bus << 8 | a->devfn;
	uint64_t kb = (uint64_t)b->domain << 16 | b->bus << 8 | b->devfn;

	return (ka > kb) - (ka < kb);
}

/*
 * v1.1 wide PCI functions added to a random inventory: each behind a
 * random PCI function of the device table (or none), found by domain and
 * BDF, iterated after the device table in (domain, bdf) order, with their
 * requester's IOMMU and StreamIDs.
 */
static void roundtrip_wide(uint64_t seed, uint32_t npci, uint32_t nwide)
{
	struct inv inv;
	struct qdh_device_spec *w;
	struct qdh_device_info d, r;
	struct qdh_view v;
	uint8_t *blob;
	size_t len = 0;
	uint64_t s = seed * 7919 + 3;
	uint32_t nd0, bad = 0, behind = 0, dom = 0x10000;
	int ret;

	inv_random(&inv, seed, npci, 2);
	nd0 = inv.nd;
	inv.devs = realloc(inv.devs, (nd0 + nwide) * sizeof(*inv.devs));
	w = xcalloc(nwide, sizeof(*w));
	for (uint32_t i = 0; i < nwide; i++) {
		struct qdh_device_spec *x = &w[i];
		const struct qdh_device_spec *q = &inv.devs[rnd_below(&s, nd0)];

		dom += rnd_below(&s, 3) == 0;
		x->domain = dom;
		x->bus = (uint8_t)(i >> 8);
		x->devfn = (uint8_t)i;
		x->vendor = 0x8086;
		x->device = (uint16_t)i;
		x->class_code = 0x010802;
		x->iommu = QDH_NO_IOMMU;
		x->state = (uint8_t)(1 + rnd_below(&s, QDH_STATE_MAX));
		x->action = (uint8_t)(1 + rnd_below(&s, QDH_ACTION_MAX));
		x->flags = (uint8_t)(rnd_below(&s, 16) & ~QDH_DEV_F_PLATFORM);
		if (!q->is_platform && rnd_below(&s, 8)) {
			x->has_requester = 1;
			x->requester_domain = (uint16_t)q->domain;
			x->requester_bus = q->bus;
			x->requester_devfn = q->devfn;
			if ((x->state == QDH_STATE_ACTIVE || x->state == QDH_STATE_UNKNOWN) &&
			    q->state != QDH_STATE_ACTIVE && q->state != QDH_STATE_UNKNOWN)
				x->state = QDH_STATE_QUIESCED;
		}
	}
	/* Added in random order among the others. */
	for (uint32_t i = 0; i < nwide; i++) {
		uint32_t j = rnd_below(&s, inv.nd + 1);

		inv.devs[inv.nd] = inv.devs[j];
		inv.devs[j] = w[i];
		inv.nd++;
	}
	ret = inv_build(&inv, &blob, &len, 0x77, QDH_F_CRASH);
	tap_is_int(ret ? ret : qdh_check(&v, blob, len), 0,
		   "wide seed %llu: %u devices and %u wide functions build and check",
		   (unsigned long long)seed, nd0, nwide);
	if (ret || qdh_check(&v, blob, len)) {
		free(w);
		free(blob);
		inv_free(&inv);
		return;
	}
	qsort(w, nwide, sizeof(*w), wide_cmp);
	tap_ok(qdh_device_count(&v) == nd0 + nwide && v.count[QDH_SEC_WIDE_PCI] == nwide,
	       "  %u devices in all", nd0 + nwide);
	for (uint32_t i = 0; i < nwide; i++) {
		const struct qdh_device_spec *x = &w[i];
		uint32_t sx, sr;

		if (qdh_get_device(&v, v.count[QDH_SEC_DEVICES] + i, &d) || !d.is_wide ||
		    d.domain != x->domain || d.bus != x->bus || d.devfn != x->devfn ||
		    d.state != x->state || d.flags != x->flags || d.device != x->device) {
			bad++;
			continue;
		}
		if (qdh_find_pci(&v, x->domain, x->bus, x->devfn, &r) || r.index != d.index)
			bad++;
		if (!x->has_requester) {
			bad += d.requester != QDH_NO_REQUESTER || d.iommu != QDH_NO_IOMMU || d.nsids;
			continue;
		}
		behind++;
		if (qdh_find_pci(&v, x->requester_domain, x->requester_bus,
				 x->requester_devfn, &r) || r.index != d.requester ||
		    r.iommu != d.iommu || r.nsids != d.nsids)
			bad++;
		for (uint32_t k = 0; k < d.nsids; k++)
			if (qdh_device_sid(&v, &d, k, &sx) || qdh_device_sid(&v, &r, k, &sr) ||
			    sx != sr)
				bad++;
	}
	tap_is_int(bad, 0, "  every wide function reads back in (domain, bdf) order, "
		   "%u with their requester's IOMMU and StreamIDs", behind);
	bad = 0;
	for (uint32_t k = 0; k < 500; k++) {
		uint32_t dm = 0x10000 + rnd_below(&s, 0x40);
		uint8_t bus = (uint8_t)rnd_below(&s, 4), devfn = (uint8_t)rnd_next(&s);
		int present = 0;

		for (uint32_t i = 0; i < nwide && !present; i++)
			present = w[i].domain == dm && w[i].bus == bus && w[i].devfn == devfn;
		if (qdh_find_pci(&v, dm, bus, devfn, NULL) != (present ? 0 : -QDH_E_NOTFOUND))
			bad++;
		/* The low 16 bits of a wide domain name another function. */
		if (!qdh_find_pci(&v, dm & 0xffff, bus, devfn, &d) && d.is_wide)
			bad++;
	}
	tap_is_int(bad, 0, "  absent wide functions not found; a 16-bit domain never finds a wide one");
	free(w);
	free(blob);
	inv_free(&inv);
}

int main(void)
{
	roundtrip_wide(1, 300, 40);
	roundtrip_wide(2, 3000, 700);
	roundtrip_wide(3, 10, 1);
	roundtrip(1, 10, 0, 0);
	roundtrip(2, 0, 7, 0);
	roundtrip(3, 3000, 50, 0);
	roundtrip(4, 5000, 0, 0);
	roundtrip(5, 1000, 300, 0);
	roundtrip(6, 8000, 20, 1);
	roundtrip(7, 300, 3, 1);
	roundtrip(8, 1, 0, 1);
	for (uint64_t seed = 10; seed < 40; seed++)
		roundtrip(seed, (uint32_t)(seed * 37 % 400), (uint32_t)(seed % 5),
			  (int)(seed & 1));
	return tap_done();
}
