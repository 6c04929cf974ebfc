// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Round trip: random inventories (thousands of devices, multi-SID and
 * aliasing StreamIDs, several IOMMUs, platform devices, added in random
 * order) are built, checked, iterated and looked up, and every answer is
 * compared with a model computed independently here with qsort().
 */
#include "tap.h"
#include "testlib.h"

struct pair { uint32_t iommu, sid, dev; };

static const struct inv *g_inv;

static int spec_cmp(const void *pa, const void *pb)
{
	const struct qdh_device_spec *a = &g_inv->devs[*(const uint32_t *)pa];
	const struct qdh_device_spec *b = &g_inv->devs[*(const uint32_t *)pb];
	uint32_t ia = (uint32_t)a->segment << 16 | a->bus << 8 | a->devfn;
	uint32_t ib = (uint32_t)b->segment << 16 | b->bus << 8 | b->devfn;

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
		sp->iommu = (uint16_t)(sp->segment % inv.ni);
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
		    (d.name || d.segment != sp->segment || d.bus != sp->bus ||
		     d.devfn != sp->devfn))
			bad++;
		memcpy(want, sp->sids, sp->nsids * sizeof(uint32_t));
		qsort(want, sp->nsids, sizeof(uint32_t), u32_cmp);
		for (uint32_t k = 0; k < sp->nsids; k++) {
			uint32_t got;

			if (qdh_device_sid(&v, &d, k, &got) || got != want[k])
				bad++;
			pairs[npairs++] = (struct pair){ sp->iommu, want[k], n };
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
			qdh_find_pci(&v, sp->segment, sp->bus, sp->devfn, &d);
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
				  ((uint32_t)sp->segment << 16 | sp->bus << 8 | sp->devfn) == id;
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
	bad = 0;
	for (uint32_t k = 0; k < 5000; k++) {
		struct pair q = { rnd_below(&s, inv.ni + 1), rnd_below(&s, 1u << 21), 0 };
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

int main(void)
{
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
