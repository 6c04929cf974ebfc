/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What tests/lib/test-compat asks the frozen v1.0 reader (reader.c), in
 * types of its own so that the test need not include the v1.0 headers.
 */
#ifndef QDH_TESTS_V10_H
#define QDH_TESTS_V10_H

#include <stddef.h>
#include <stdint.h>

struct v10_device {
	uint32_t index;
	int is_platform;
	uint16_t segment;
	uint8_t bus, devfn;
	const char *name;
	uint16_t vendor, device, iommu, reasons;
	uint8_t state, action, flags, nsids;
	uint32_t sids[8];	/* the first 8 */
};

struct v10_record {
	uint32_t flags;
	uint64_t ticks, freq;
	uint32_t nentries;
	uint8_t action[8];	/* of the first 8 entries */
	uint64_t after0[8];	/* after[0] of the first 8 entries */
};

/* qdh_check() of v1.0: 0 or -qdh_err, *at the fault's offset. */
int v10_check(const void *buf, size_t len, size_t *at);
/* After a successful v10_check() of buf: */
uint32_t v10_device_count(const void *buf, size_t len);
int v10_device(const void *buf, size_t len, uint32_t i, struct v10_device *out);
int v10_find_pci(const void *buf, size_t len, uint16_t segment, uint8_t bus,
		 uint8_t devfn, struct v10_device *out);
int v10_find_stream(const void *buf, size_t len, uint16_t iommu, uint32_t sid,
		    uint32_t *index);
/* The record as v1.0 code reads it (the header's v1.0 fields, entries). */
void v10_record(const void *buf, size_t len, struct v10_record *out);

#endif
