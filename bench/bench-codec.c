// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-codec: the QDH codec at the ABI's design point, 65,536 PCI
 * functions (plus platform devices).  Prints the blob size, build (in the
 * scanner's order, which the builder takes in one pass, and in random
 * order, which it heapsorts), validate and iteration times, 65,536 random
 * lookups by BDF and by (IOMMU, StreamID), and how build and validate
 * grow from 8,192 to 65,536 functions (linear: 8x).
 *
 * The peer, measured in the same run: zlib's crc32() over the same blob.
 * Validation must at least read every byte once, so that is its memory-
 * bandwidth floor; "validate / zlib crc32" says how far above it we are.
 *
 * Machine: 4 PCI segments of 64 buses x 256 functions, two SMMUv3 per
 * segment (buses 0-31 and 32-63), StreamID = requester ID as with a
 * 1:1 iommu-map; 64 platform devices with two StreamIDs on an SMMUv2.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include "qdh/codec.h"

#define NPCI	65536u
#define NPLAT	64u
#define NIOMMU	9u
#define REPEAT	15

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The fastest of the runs: noise only adds, so it is the steadiest figure on a
 * shared machine (the same rule as bench-scan.sh's best of N). */
static double best(double *t, int n)
{
	qsort(t, n, sizeof(*t), cmp_double);
	return t[0];
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint32_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545F4914F6CDD1DULL) >> 32);
}

static struct qdh_iommu_spec iommus[NIOMMU];
static struct qdh_device_spec devs[NPCI + NPLAT], sorted_devs[NPCI + NPLAT];
static uint32_t sids[NPCI + NPLAT][2];
static char names[NIOMMU + NPLAT][40];
static uint32_t strbytes;
/* Where results go so that the compiler cannot drop the timed work. */
static volatile uint32_t sink;

static const char *names_of_iommu(uint32_t i)
{
	return names[i];
}

static void make_inventory(void)
{
	for (uint32_t i = 0; i < NIOMMU; i++) {
		struct qdh_iommu_spec *m = &iommus[i];

		m->base = 0x40000000ULL + 0x1000000ULL * i;
		m->size = 0x20000;
		m->type = i < 8 ? QDH_IOMMU_SMMUV3 : QDH_IOMMU_SMMUV2;
		m->segment = (uint16_t)(i < 8 ? i / 2 : QDH_IOMMU_NO_SEGMENT);
		snprintf(names[i], sizeof(names[i]), "smmu3.0x%016llx",
			 (unsigned long long)m->base);
		m->name = names[i];
		strbytes += (uint32_t)strlen(names[i]) + 1;
	}
	for (uint32_t i = 0; i < NPCI; i++) {
		struct qdh_device_spec *d = &devs[i];

		d->domain = i >> 14;
		d->bus = (uint8_t)((i >> 8) & 63);
		d->devfn = (uint8_t)i;
		d->vendor = 0x15b3;
		d->device = 0x101e;
		d->class_code = 0x020000;
		d->iommu = (uint16_t)(d->domain * 2 + (d->bus >= 32));
		d->state = (i % 7) ? QDH_STATE_QUIESCED : QDH_STATE_ACTIVE;
		d->action = d->state == QDH_STATE_ACTIVE ? QDH_ACTION_ABORT : QDH_ACTION_ATTACH;
		d->flags = QDH_DEV_F_SRIOV_VF;
		d->reasons = QDH_R_NO_DRIVER | QDH_R_BUS_MASTER_OFF;
		sids[i][0] = (uint32_t)d->bus << 8 | d->devfn;
		d->nsids = 1;
		d->sids = sids[i];
	}
	for (uint32_t i = 0; i < NPLAT; i++) {
		struct qdh_device_spec *d = &devs[NPCI + i];

		snprintf(names[NIOMMU + i], sizeof(names[0]), "%x.dma-controller",
			 0x9000000 + 0x10000 * i);
		d->is_platform = 1;
		d->name = names[NIOMMU + i];
		d->iommu = 8;
		d->state = QDH_STATE_QUIESCED;
		d->action = QDH_ACTION_ATTACH;
		d->reasons = QDH_R_NO_BUS_MASTER_INFO;
		sids[NPCI + i][0] = 0x1000 + 4 * i;
		sids[NPCI + i][1] = 0x1001 + 4 * i;
		d->nsids = 2;
		d->sids = sids[NPCI + i];
		strbytes += (uint32_t)strlen(names[NIOMMU + i]) + 1;
	}
	/* The scanner's order is the ABI's; any other gets sorted. */
	memcpy(sorted_devs, devs, sizeof(devs));
	for (uint32_t k = NPCI + NPLAT; k > 1; k--) {
		uint32_t j = rnd() % k;
		struct qdh_device_spec t = devs[k - 1];

		devs[k - 1] = devs[j];
		devs[j] = t;
	}
}

/* Builds d[0, n) (npool pool StreamIDs, strb bytes of names). */
static int build_list(uint8_t *buf, size_t cap, const struct qdh_device_spec *d,
		      uint32_t n, uint32_t npool, uint32_t strb, size_t *len)
{
	struct qdh_builder b;
	int ret = qdh_build_init(&b, buf, cap, NIOMMU, n, npool, strb, 0x1234,
				 QDH_F_CRASH);

	for (uint32_t i = 0; ret >= 0 && i < NIOMMU; i++)
		ret = qdh_build_add_iommu(&b, &iommus[i]);
	for (uint32_t i = 0; ret >= 0 && i < n; i++)
		ret = qdh_build_add_device(&b, &d[i]);
	return ret < 0 ? ret : qdh_build_finish(&b, len);
}

static int build(uint8_t *buf, size_t cap, size_t *len)
{
	return build_list(buf, cap, devs, NPCI + NPLAT, 2 * NPLAT, strbytes, len);
}

/* Best build and validate times of the first n PCI functions, in order. */
static int scale(uint8_t *buf, size_t cap, uint32_t n, double *t_build, double *t_check)
{
	uint32_t nbytes = 0;
	double t[REPEAT];
	struct qdh_view v;
	size_t len = 0;

	for (uint32_t i = 0; i < NIOMMU; i++)
		nbytes += (uint32_t)strlen(names_of_iommu(i)) + 1;
	for (int r = 0; r < REPEAT; r++) {
		double t0 = now();

		if (build_list(buf, cap, sorted_devs, n, 0, nbytes, &len))
			return -1;
		t[r] = now() - t0;
	}
	*t_build = best(t, REPEAT);
	for (int r = 0; r < REPEAT; r++) {
		double t0 = now();

		if (qdh_check(&v, buf, len))
			return -1;
		t[r] = now() - t0;
	}
	*t_check = best(t, REPEAT);
	return 0;
}

int main(void)
{
	size_t cap, len = 0;
	uint8_t *buf;
	struct qdh_view v;
	struct qdh_device_info d;
	double t[REPEAT], t_build, t_sorted, t_check, t_zlib, t_qcrc, t_iter, t_bdf, t_sid;
	double sb[4], sc[4];
	static const uint32_t sizes[4] = { 8192, 16384, 32768, 65536 };
	uint32_t (*qbdf)[3], (*qsid)[2], found;
	int ret;

	make_inventory();
	cap = qdh_build_size_bound(NIOMMU, NPCI + NPLAT, 2 * NPLAT, strbytes);
	buf = malloc(cap);
	qbdf = malloc(sizeof(*qbdf) * NPCI);
	qsid = malloc(sizeof(*qsid) * NPCI);
	if (!buf || !qbdf || !qsid)
		return 2;

	for (int r = 0; r < REPEAT; r++) {
		double t0 = now();

		ret = build(buf, cap, &len);
		t[r] = now() - t0;
		if (ret) {
			fprintf(stderr, "bench-codec: build: %s\n", qdh_strerror(ret));
			return 1;
		}
	}
	t_build = best(t, REPEAT);
	for (int r = 0; r < REPEAT; r++) {
		double t0 = now();

		ret = build_list(buf, cap, sorted_devs, NPCI + NPLAT, 2 * NPLAT, strbytes, &len);
		t[r] = now() - t0;
		if (ret) {
			fprintf(stderr, "bench-codec: build: %s\n", qdh_strerror(ret));
			return 1;
		}
	}
	t_sorted = best(t, REPEAT);

	for (int r = 0; r < REPEAT; r++) {
		double t0 = now();

		ret = qdh_check(&v, buf, len);
		t[r] = now() - t0;
		if (ret) {
			fprintf(stderr, "bench-codec: check: %s at %zu\n",
				qdh_strerror(ret), v.err_offset);
			return 1;
		}
	}
	t_check = best(t, REPEAT);

	for (int r = 0; r < REPEAT; r++) {
		double t0 = now();

		sink += (uint32_t)crc32(0, buf, (uInt)len);
		t[r] = now() - t0;
	}
	t_zlib = best(t, REPEAT);
	for (int r = 0; r < REPEAT; r++) {
		double t0 = now();

		sink += qdh_crc32(0, buf, len);
		t[r] = now() - t0;
	}
	t_qcrc = best(t, REPEAT);

	for (int r = 0; r < REPEAT; r++) {
		struct qdh_dev_iter it;
		double t0 = now();

		for (qdh_dev_iter_init(&it, &v); qdh_dev_iter_next(&it, &d) == 1;)
			sink += d.sid_raw + d.state;
		t[r] = now() - t0;
	}
	t_iter = best(t, REPEAT);

	for (uint32_t i = 0; i < NPCI; i++) {
		uint32_t k = rnd() % NPCI;

		qbdf[i][0] = k >> 14;
		qbdf[i][1] = (k >> 8) & 63;
		qbdf[i][2] = k & 255;
		qsid[i][0] = (k >> 14) * 2 + (((k >> 8) & 63) >= 32);
		qsid[i][1] = k & 0x3fff;
	}
	for (int r = 0; r < REPEAT; r++) {
		double t0 = now();

		found = 0;
		for (uint32_t i = 0; i < NPCI; i++)
			found += !qdh_find_pci(&v, (uint16_t)qbdf[i][0], (uint8_t)qbdf[i][1],
					       (uint8_t)qbdf[i][2], &d);
		t[r] = now() - t0;
		if (found != NPCI) {
			fprintf(stderr, "bench-codec: %u of %u BDFs found\n", found, NPCI);
			return 1;
		}
	}
	t_bdf = best(t, REPEAT);
	for (int r = 0; r < REPEAT; r++) {
		double t0 = now();

		found = 0;
		for (uint32_t i = 0; i < NPCI; i++)
			found += !qdh_find_stream(&v, (uint16_t)qsid[i][0], qsid[i][1], &d);
		t[r] = now() - t0;
		if (found != NPCI) {
			fprintf(stderr, "bench-codec: %u of %u StreamIDs found\n", found, NPCI);
			return 1;
		}
	}
	t_sid = best(t, REPEAT);

	printf("bench-codec: %u PCI + %u platform devices, %u IOMMUs, %u stream runs "
	       "(best of %d runs)\n", NPCI, NPLAT, NIOMMU, v.count[QDH_SEC_RUNS], REPEAT);
	printf("  blob size            %zu bytes = %.3f MiB (limit 2 MiB), %.2f bytes/device\n",
	       len, len / 1048576.0, (double)len / (NPCI + NPLAT));
	printf("  build, scanner order %8.3f ms  (%.1f ns/device; one pass, no sort)\n",
	       t_sorted * 1e3, t_sorted * 1e9 / (NPCI + NPLAT));
	printf("  build, random order  %8.3f ms  (%.1f ns/device; heapsort)\n",
	       t_build * 1e3, t_build * 1e9 / (NPCI + NPLAT));
	printf("  validate (qdh_check) %8.3f ms  (%.0f MB/s)\n", t_check * 1e3, len / t_check / 1e6);
	printf("  peer: zlib crc32     %8.3f ms  (%.0f MB/s)\n", t_zlib * 1e3, len / t_zlib / 1e6);
	printf("  qdh_crc32            %8.3f ms  (%.0f MB/s)\n", t_qcrc * 1e3, len / t_qcrc / 1e6);
	printf("  full iteration       %8.3f ms  (%.1f ns/device)\n",
	       t_iter * 1e3, t_iter * 1e9 / (NPCI + NPLAT));
	printf("  %u lookups by BDF          %8.3f ms  (%.0f ns/lookup)\n", NPCI,
	       t_bdf * 1e3, t_bdf * 1e9 / NPCI);
	printf("  %u lookups by (IOMMU,SID)  %8.3f ms  (%.0f ns/lookup)\n", NPCI,
	       t_sid * 1e3, t_sid * 1e9 / NPCI);
	printf("  ratio validate / zlib crc32 = %.2f  (qdh_crc32 / zlib crc32 = %.2f)\n",
	       t_check / t_zlib, t_qcrc / t_zlib);
	printf("  ratio build (scanner order) / zlib crc32 = %.2f\n", t_sorted / t_zlib);
	for (int k = 0; k < 4; k++)
		if (scale(buf, cap, sizes[k], &sb[k], &sc[k])) {
			fprintf(stderr, "bench-codec: %u functions do not build\n", sizes[k]);
			return 1;
		}
	printf("  growth, PCI functions in scanner order (linear = x8 from 8,192 to 65,536):\n");
	for (int k = 0; k < 4; k++)
		printf("    %6u: build %7.3f ms (%5.1f ns/fn), validate %7.3f ms (%5.1f ns/fn)\n",
		       sizes[k], sb[k] * 1e3, sb[k] * 1e9 / sizes[k], sc[k] * 1e3,
		       sc[k] * 1e9 / sizes[k]);
	printf("    65,536 / 8,192: build x%.1f, validate x%.1f\n", sb[3] / sb[0], sc[3] / sc[0]);
	free(buf);
	free(qbdf);
	free(qsid);
	return 0;
}
