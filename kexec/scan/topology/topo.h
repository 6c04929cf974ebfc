/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal state of the topology builder, shared by the per-source parsers
 * (dt.c, iort.c, dmar.c, ivrs.c, sysfs.c) and the lookups in topology.c.
 * IOMMU indices are stable: entries are only ever appended.
 */
#ifndef QDH_TOPO_H
#define QDH_TOPO_H

#include <stddef.h>
#include <stdint.h>

#include "qdh/topology.h"

#define TOPO_MAX_PATH	8	/* DMAR device scope hops we follow */
#define TOPO_ALL_ONES	0xffffffffu

struct topo_iommu {
	struct qdh_inv_iommu pub;
	int named;		/* pub.name came from /sys/class/iommu */
	int nseg;		/* distinct segments seen (0, 1, or 2 = many) */
	uint8_t include_all;	/* DMAR INCLUDE_PCI_ALL */
};

/* One PCI ID mapping: a DT iommu-map entry or an IORT root complex one. */
struct topo_idmap {
	uint16_t segment;
	uint32_t mask;		/* DT iommu-map-mask; all ones for IORT */
	uint32_t in_base;
	uint64_t count;		/* number of IDs (IORT: field + 1) */
	uint32_t out_base;
	int iommu;		/* -1: target is not an IOMMU we know */
	uint8_t single;		/* IORT single mapping: any ID -> out_base */
	uint8_t iort;		/* IORT: allow the num_ids end ambiguity */
};

/* A platform device's StreamIDs: DT iommus or an IORT named component. */
struct topo_plat {
	char path[128];
	int iommu;
	uint32_t sid;
	uint32_t count;		/* StreamIDs sid..sid+count-1; 0 = none */
	uint32_t mask;		/* SMMUv2 #iommu-cells = 2: SMR mask */
};

/* A DMAR device scope entry (endpoint or bridge sub-hierarchy). */
struct topo_dscope {
	int iommu;
	uint16_t segment;
	uint8_t type;		/* 1 endpoint, 2 sub-hierarchy */
	uint8_t bus;		/* start bus */
	uint8_t npath;
	uint8_t path[TOPO_MAX_PATH][2];	/* (device, function) hops */
	/* Resolved once by qdh_topology_finish() (bridges' config space): */
	uint8_t resolved;	/* target is known */
	uint8_t has_buses;	/* target is a bridge: covers sec..sub */
	uint16_t target;	/* requester ID of the scope's device */
	uint8_t sec, sub;
};

/* Per PCI segment: the first DMAR bridge scope covering each bus. */
struct topo_dbuses {
	uint16_t segment;
	uint32_t scope[256];	/* index in scopes[], TOPO_ALL_ONES if none */
};

/* Resolved DMAR scopes by (segment, target), for exact matches. */
struct topo_dkey {
	uint16_t segment, target;
	uint32_t scope;		/* index in scopes[] */
};

/* An IVHD device entry range: requester IDs first..last on a segment. */
struct topo_ivrange {
	int iommu;
	uint16_t segment;
	uint16_t first, last;
	int32_t alias;		/* -1, or the requester ID the IOMMU sees */
};

/* A /sys/class/iommu entry. */
struct topo_class {
	char name[64];
	uint8_t type;
	int has_base;
	uint64_t base;
};

struct topo_index;

struct qdh_topology {
	const struct qdh_log *log;
	const struct qdh_sysroot *sr;	/* for DMAR bridge bus numbers; may be NULL */
	const char *origin;		/* file being parsed, for messages */
	int finished;

	struct topo_iommu *iommus;
	size_t niommus, cap_iommus;
	struct topo_idmap *maps;
	size_t nmaps, cap_maps;
	struct topo_plat *plats;
	size_t nplats, cap_plats;
	struct topo_dscope *scopes;
	size_t nscopes, cap_scopes;
	struct topo_dkey *dkeys;	/* sorted (segment, target, scope) */
	size_t ndkeys;
	struct topo_dbuses *dbuses;	/* per segment, sorted by segment */
	size_t ndbuses, cap_dbuses;
	struct topo_ivrange *ivr;
	size_t nivr, cap_ivr;
	struct topo_class *classes;
	size_t nclasses, cap_classes;
	struct topo_index *index;	/* IOMMU lookups, qdh_topology_finish() */
};

/* Grow an array by one zeroed element; NULL when out of memory. */
void *topo_push(void **arr, size_t *n, size_t *cap, size_t elem);
#define TOPO_PUSH(t, field, nfield, capfield) \
	topo_push((void **)&(t)->field, &(t)->nfield, &(t)->capfield, sizeof(*(t)->field))

/*
 * Add a firmware IOMMU, or find the one with the same type and base.  A
 * different IOMMU overlapping an existing MMIO range is refused: -EEXIST
 * (logged by the caller, which knows the byte offset).  Returns the index.
 */
int topo_add_iommu(struct qdh_topology *t, uint8_t type, uint64_t base,
		   uint64_t size, const char *fw_node, uint32_t phandle);
/* Note that IOMMU i serves PCI segment seg. */
void topo_iommu_segment(struct qdh_topology *t, int i, unsigned seg);

/*
 * The IOMMU lookup indexes (index.c): built at the end of
 * qdh_topology_finish(); valid while no IOMMU was appended since.  They
 * answer as the linear searches in IOMMU order do, in O(log n).
 */
int topo_index_build(struct qdh_topology *t);
void topo_index_free(struct topo_index *x);
int topo_index_valid(const struct qdh_topology *t);
/* The lowest-index named IOMMU called name, or -ENOENT. */
int topo_index_by_name(const struct qdh_topology *t, const char *name);
/* 1 with *iommu set: the first INCLUDE_PCI_ALL unit of segment seg. */
int topo_index_include_all(const struct qdh_topology *t, uint16_t seg, int *iommu);

/* "<origin or table>: byte 0x<off>: <msg>" at QDH_LOG_WARN. */
void topo_fault(const struct qdh_topology *t, const char *table, size_t off,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Little-endian field readers (ACPI); the caller has bounds-checked. */
static inline uint16_t topo_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t topo_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t topo_le64(const uint8_t *p)
{
	return (uint64_t)topo_le32(p) | (uint64_t)topo_le32(p + 4) << 32;
}

/*
 * Check an ACPI table header: signature, length within len, checksum (a bad
 * checksum is only warned about: the kernel uses such tables too).
 * *tlen gets the table's own length.  0, or -EBADMSG after logging.
 */
int topo_acpi_header(const struct qdh_topology *t, const char *sig,
		     const uint8_t *buf, size_t len, size_t min, size_t *tlen);

#endif
