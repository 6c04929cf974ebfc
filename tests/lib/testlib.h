/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the codec tests: a deterministic PRNG, random
 * inventories (with the answers a reader must find in them), a one-call
 * build, and re-sealing of deliberately corrupted blobs.  Header-only so
 * that every test stays one program.
 */
#ifndef QDH_TESTS_LIB_TESTLIB_H
#define QDH_TESTS_LIB_TESTLIB_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qdh/codec.h"

/* xorshift64*: reproducible on every host, unlike rand(). */
static inline uint64_t rnd_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static inline uint32_t rnd_below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(rnd_next(s) % n) : 0;
}

static inline void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p) {
		perror("calloc");
		exit(99);
	}
	return p;
}

struct inv {
	struct qdh_iommu_spec *iommus;
	uint32_t ni;
	struct qdh_device_spec *devs;
	uint32_t nd;
	uint32_t npool;		/* StreamIDs of multi-SID devices */
	uint32_t strbytes;	/* every name with its NUL */
	char (*names)[48];	/* storage behind the name pointers */
	uint32_t (*sids)[8];	/* storage behind the sids pointers */
};

static inline void inv_free(struct inv *inv)
{
	free(inv->iommus);
	free(inv->devs);
	free(inv->names);
	free(inv->sids);
	memset(inv, 0, sizeof(*inv));
}

static inline void inv_count(struct inv *inv)
{
	inv->npool = 0;
	inv->strbytes = 0;
	for (uint32_t i = 0; i < inv->ni; i++)
		inv->strbytes += (uint32_t)strlen(inv->iommus[i].name ? inv->iommus[i].name : "") + 1;
	for (uint32_t i = 0; i < inv->nd; i++) {
		if (inv->devs[i].nsids > 1)
			inv->npool += inv->devs[i].nsids;
		if (inv->devs[i].is_platform)
			inv->strbytes += (uint32_t)strlen(inv->devs[i].name) + 1;
	}
}

/*
 * A random inventory: up to 6 IOMMUs of mixed types, npci PCI functions
 * with unique BDFs over a few segments, nplat platform devices.  StreamIDs:
 * mostly the requester ID, some masked so functions alias, some multi-SID
 * lists (given unsorted), some devices without IOMMU or without StreamID.
 * Devices are in random order: the builder must sort.
 */
static inline void inv_random(struct inv *inv, uint64_t seed, uint32_t npci,
			      uint32_t nplat)
{
	uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1;
	uint32_t id = 0;

	memset(inv, 0, sizeof(*inv));
	inv->ni = 1 + rnd_below(&s, 6);
	inv->nd = npci + nplat;
	inv->iommus = xcalloc(inv->ni, sizeof(*inv->iommus));
	inv->devs = xcalloc(inv->nd, sizeof(*inv->devs));
	inv->names = xcalloc(inv->ni + inv->nd, sizeof(*inv->names));
	inv->sids = xcalloc(inv->nd, sizeof(*inv->sids));
	for (uint32_t i = 0; i < inv->ni; i++) {
		struct qdh_iommu_spec *m = &inv->iommus[i];

		m->type = (uint8_t)rnd_below(&s, QDH_IOMMU_TYPE_MAX + 1);
		m->base = 0x9050000ULL + 0x100000ULL * i;
		m->size = rnd_below(&s, 2) ? 0x20000 : 0;
		m->segment = (uint16_t)(rnd_below(&s, 4) == 0 ? QDH_IOMMU_NO_SEGMENT : i % 3);
		snprintf(inv->names[i], sizeof(inv->names[i]), "iommu%u.0x%016llx",
			 i, (unsigned long long)m->base);
		m->name = inv->names[i];
	}
	for (uint32_t i = 0; i < inv->nd; i++) {
		struct qdh_device_spec *d = &inv->devs[i];
		uint32_t kind = rnd_below(&s, 100), rid;

		d->state = (uint8_t)(1 + rnd_below(&s, QDH_STATE_MAX));
		d->action = (uint8_t)(1 + rnd_below(&s, QDH_ACTION_MAX));
		d->flags = (uint8_t)(rnd_below(&s, 16) & ~QDH_DEV_F_PLATFORM);
		d->reasons = (uint16_t)rnd_next(&s);
		d->iommu = (uint16_t)rnd_below(&s, inv->ni);
		if (i < npci) {
			id += 1 + (rnd_below(&s, 8) == 0 ? rnd_below(&s, 5000) : 0);
			d->domain = id >> 16;
			d->bus = (uint8_t)(id >> 8);
			d->devfn = (uint8_t)id;
			d->vendor = (uint16_t)rnd_next(&s);
			d->device = (uint16_t)rnd_next(&s);
			d->class_code = (uint32_t)rnd_next(&s) & 0xffffff;
		} else {
			d->is_platform = 1;
			snprintf(inv->names[inv->ni + i], sizeof(inv->names[0]),
				 "%08x.dma-controller%u",
				 (uint32_t)rnd_next(&s) & 0xfff0000, i);
			d->name = inv->names[inv->ni + i];
			d->flags |= QDH_DEV_F_PLATFORM;
		}
		rid = (uint32_t)d->bus << 8 | d->devfn;
		d->sids = inv->sids[i];
		if (kind < 5) {			/* no IOMMU */
			d->iommu = QDH_NO_IOMMU;
		} else if (kind < 8) {		/* IOMMU, StreamID unknown */
		} else if (kind < 20 || d->is_platform) {	/* several, unsorted */
			uint32_t n = 2 + rnd_below(&s, 7), base = rnd_below(&s, 1u << 20);

			for (uint32_t k = 0; k < n; k++)
				inv->sids[i][k] = base += 1 + rnd_below(&s, 3);
			for (uint32_t k = n - 1; k > 0; k--) {
				uint32_t j = rnd_below(&s, k + 1), t = inv->sids[i][k];

				inv->sids[i][k] = inv->sids[i][j];
				inv->sids[i][j] = t;
			}
			d->nsids = (uint8_t)n;
			if (rnd_below(&s, 3) == 0)
				d->nsids = 1;	/* platform device, one SID */
		} else if (kind < 30) {		/* aliasing: masked requester ID */
			inv->sids[i][0] = rid & ~7u;
			d->nsids = 1;
		} else {
			inv->sids[i][0] = rid;
			d->nsids = 1;
		}
	}
	/* Any order: shuffle. */
	for (uint32_t k = inv->nd; k > 1; k--) {
		uint32_t j = rnd_below(&s, k);
		struct qdh_device_spec t = inv->devs[k - 1];

		inv->devs[k - 1] = inv->devs[j];
		inv->devs[j] = t;
	}
	inv_count(inv);
}

/* Builds inv into a fresh buffer; returns 0 or the builder's error. */
static inline int inv_build(const struct inv *inv, uint8_t **blob, size_t *len,
			    uint64_t gen, uint32_t flags)
{
	size_t cap = qdh_build_size_bound(inv->ni, inv->nd, inv->npool, inv->strbytes);
	struct qdh_builder b;
	int ret;

	*blob = xcalloc(1, cap);
	ret = qdh_build_init(&b, *blob, cap, inv->ni, inv->nd, inv->npool,
			     inv->strbytes, gen, flags);
	for (uint32_t i = 0; !ret && i < inv->ni; i++) {
		ret = qdh_build_add_iommu(&b, &inv->iommus[i]);
		if (ret == (int)i)
			ret = 0;
	}
	for (uint32_t i = 0; !ret && i < inv->nd; i++)
		ret = qdh_build_add_device(&b, &inv->devs[i]);
	if (!ret)
		ret = qdh_build_finish(&b, len);
	return ret;
}

/* Recomputes the header crc32 over [0, checked) after a test's change. */
static inline void reseal_at(uint8_t *blob, uint32_t checked)
{
	qdh_put_le32(blob + 20, 0);
	qdh_put_le32(blob + 20, qdh_crc32(0, blob, checked));
}

/* Same, trusting the blob's own checked_size. */
static inline void reseal(uint8_t *blob)
{
	reseal_at(blob, qdh_le32(blob + 16));
}

/* The record's own crc32, the record at [at, at + size). */
static inline void reseal_record_at(uint8_t *blob, uint32_t at, uint32_t size)
{
	qdh_put_le32(blob + at + 12, 0);
	qdh_put_le32(blob + at + 12, qdh_crc32(0, blob + at, size));
}

static inline void reseal_record(uint8_t *blob)
{
	uint32_t at = qdh_le32(blob + 16);

	reseal_record_at(blob, at, qdh_le32(blob + 12) - at);
}

#endif
