/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IOMMU topology from firmware: which IOMMU instances exist (DT, ACPI IORT,
 * DMAR, IVRS, /sys/class/iommu) and how a requester maps to StreamIDs
 * (DT iommu-map / iommu-map-mask / iommus, IORT ID mappings, VT-d and AMD-Vi
 * requester IDs).  Everything read through the sysroot layer; every table is
 * untrusted and bounds-checked.
 */
#ifndef QDH_TOPOLOGY_H
#define QDH_TOPOLOGY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>	/* sysroot.h uses struct stat without it */

#include "qdh/inventory.h"
#include "qdh/log.h"
#include "qdh/sysroot.h"

struct qdh_topology;

/* Load from the sysroot; tables that are absent are simply not used. */
int qdh_topology_load(const struct qdh_sysroot *sr, const struct qdh_log *log,
		      struct qdh_topology **out);
void qdh_topology_free(struct qdh_topology *t);

size_t qdh_topology_iommu_count(const struct qdh_topology *t);
const struct qdh_inv_iommu *qdh_topology_iommu(const struct qdh_topology *t,
					       size_t i);

/*
 * Index of the IOMMU the kernel calls class_name (the target of a device's
 * "iommu" link, e.g. "smmu3.0x0000000009050000", "dmar0"), or -ENOENT.
 */
int qdh_topology_find_by_class(const struct qdh_topology *t,
			       const char *class_name);

/*
 * A PCI function as Linux's IOMMU drivers look it up (doc/topology.md, "DMA
 * aliases"): aliases[] are the requester IDs pci_for_each_dma_alias()
 * yields on segment, aliases[0] the DMA requester's own; unit_rid is the
 * function VT-d picks the unit by (an SR-IOV VF's PF).
 */
struct qdh_pci_requester {
	uint16_t segment;
	uint16_t unit_rid;
	const uint16_t *aliases;
	unsigned naliases;
};

/* Where the aliases after the first went, for the scanner's messages. */
struct qdh_pci_map_note {
	int unmapped;		/* index of the first alias no IOMMU maps, -1 */
	int elsewhere;		/* ... the first mapped to another IOMMU, -1 */
	int other_iommu;	/* that other IOMMU */
	unsigned dropped;	/* StreamIDs beyond max */
};

/*
 * StreamIDs of a PCI function: its aliases mapped through DT iommu-map or
 * IORT (each alias), or VT-d / AMD-Vi (the aliases themselves, plus AMD's
 * IVRS alias), duplicates dropped, in Linux's order.  The first firmware
 * source that maps aliases[0] decides, and its IOMMU is the function's;
 * aliases mapping nowhere or elsewhere are left out and told in note (may
 * be NULL).  *iommu gets the IOMMU index; returns the number of StreamIDs
 * written (<= max), 0 if no firmware mapping covers it, or -errno.
 */
int qdh_topology_pci_map(const struct qdh_topology *t,
			 const struct qdh_pci_requester *rq, int *iommu,
			 uint32_t *sids, unsigned max,
			 struct qdh_pci_map_note *note);

/* The same for a function that is its own only alias (rid = bus << 8 | devfn). */
int qdh_topology_pci_sids(const struct qdh_topology *t, uint16_t segment,
			  uint16_t rid, int *iommu, uint32_t *sids,
			  unsigned max);

/*
 * StreamIDs of a platform device by its firmware node: a DT node path
 * ("/soc/ethernet@1000") or an ACPI namespace path ("\\_SB_.ETH0").
 */
int qdh_topology_platform_sids(const struct qdh_topology *t,
			       const char *fw_path, int *iommu, uint32_t *sids,
			       unsigned max);

/*
 * Building a topology piece by piece: what qdh_topology_load() does, exposed
 * so tests and fuzzers can feed one table from memory.  qdh_topology_new()
 * returns NULL when out of memory; log may be NULL.  Each add function keeps
 * whatever part of the input is valid, logs every fault (table name, byte
 * offset, what is wrong) at QDH_LOG_WARN, and returns 0 if the input was
 * clean, -EBADMSG if something was rejected, or -ENOMEM.
 */
struct qdh_topology *qdh_topology_new(const struct qdh_log *log);
/* A flattened DT blob (checked with fdt_check_full before any walk). */
int qdh_topology_add_fdt(struct qdh_topology *t, const void *fdt, size_t len);
/* Whole ACPI tables, header included. */
int qdh_topology_add_iort(struct qdh_topology *t, const void *buf, size_t len);
int qdh_topology_add_dmar(struct qdh_topology *t, const void *buf, size_t len);
int qdh_topology_add_ivrs(struct qdh_topology *t, const void *buf, size_t len);
/* The IOMMU class devices (/sys/class/iommu) of a sysroot. */
int qdh_topology_add_sysfs(struct qdh_topology *t, const struct qdh_sysroot *sr);
/*
 * Merge the firmware and sysfs views into the final IOMMU list (same MMIO
 * base = one entry); call once after the add functions, before lookups.
 */
int qdh_topology_finish(struct qdh_topology *t);

/* The standalone parsers, exposed for tests and fuzzing. */
struct qdh_id_map {		/* one DT iommu-map entry / IORT ID mapping */
	uint32_t rid_base, sid_base, length;
	int iommu;		/* index, or -1 if the target is unknown */
	uint32_t phandle;	/* DT target phandle, 0 for ACPI */
};
/* Parse an iommu-map property value (cells big-endian, #iommu-cells = 1). */
int qdh_parse_iommu_map(const void *prop, size_t len, struct qdh_id_map *maps,
			size_t max, size_t *n);
/* Apply iommu-map-mask and the maps to a RID; returns 1 and *sid if mapped. */
int qdh_map_rid(const struct qdh_id_map *maps, size_t n, uint32_t mask,
		uint32_t rid, uint32_t *sid, int *iommu);

#endif
