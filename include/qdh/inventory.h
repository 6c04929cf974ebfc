/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The device inventory: what `qdh scan` finds, what the loader encodes into
 * the QDH blob, and what `qdh apply` compares the blob against.
 * Producer: kexec/scan/ (devices, verdicts) with kexec/scan/topology (IOMMUs
 * and StreamIDs).  All strings are NUL-terminated and printable-sanitised by
 * whoever prints them.
 */
#ifndef QDH_INVENTORY_H
#define QDH_INVENTORY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>	/* sysroot.h uses struct stat */

#include "qdh/log.h"
#include "qdh/names.h"
#include "qdh/pcicfg.h"
#include "qdh/sysroot.h"
#include "uapi/qdh.h"

/* StreamIDs kept per device: what the blob's u8 count can carry. */
#define QDH_INV_MAX_SIDS	255

struct qdh_inv_iommu {
	char name[64];		/* kernel's name ("smmu3.0x0000000009050000",
				 * "dmar0") or the firmware node if no driver */
	uint8_t type;		/* enum qdh_iommu_type */
	uint64_t base, size;	/* MMIO */
	int segment;		/* PCI segment served, -1 if none/all */
	char fw_node[128];	/* "/smmuv3@9050000", "IORT@0x30", "DMAR@0x30" */
	uint32_t phandle;	/* DT phandle, 0 for ACPI */
	int has_active;		/* set by scan: active/unknown device behind */
};

enum qdh_inv_bus { QDH_INV_PCI = 0, QDH_INV_PLATFORM = 1 };

struct qdh_inv_device {
	enum qdh_inv_bus bus;
	char name[64];		/* "0000:00:01.0" or the platform device name */
	char sysfs_path[256];	/* resolved, sysroot-relative, under QDH_PATH_SYS_DEVICES */
	uint32_t domain;	/* PCI only: the kernel's domain (segment);
				 * above 0xffff for Intel VMD child domains */
	uint8_t busno, devfn;	/* PCI only */
	uint16_t vendor, device;
	uint32_t class_code;	/* 24 bits */
	char driver[64];	/* bound driver, "" if none */
	int iommu;		/* index into qdh_inventory.iommus, -1 none */
	uint32_t sid_at;	/* StreamIDs: qdh_inventory.sids[sid_at ...] */
	unsigned nsids;		/* ... nsids of them, in Linux's order */
	uint32_t alias_at;	/* PCI: DMA requester IDs before the IOMMU map,
				 * qdh_inventory.sids[alias_at ...] */
	unsigned naliases;	/* (pci_for_each_dma_alias() order) */
	int requester;		/* PCI: index of the function whose requester
				 * ID carries this one's DMA (Intel VMD: the
				 * VMD endpoint; Linux pci_real_dma_dev()),
				 * -1 = the function itself */
	struct qdh_pcicfg cfg;	/* read once with the config header */

	/* What was observed (-1 = could not be read). */
	int command;		/* PCI Command register (16 bits) */
	int enable;		/* PCI "enable" attribute */
	char power_state[16];	/* "D0", "D3cold", "" */
	char reset_method[64];	/* "flr bus", "" */
	int iommu_group;	/* group number */
	char group_type[16];	/* "DMA", "DMA-FQ", "identity", "blocked",
				 * "unmanaged", "" */
	int parent;		/* index of the upstream bridge device, -1 */
	int physfn;		/* SR-IOV: index of the PF, -1 */
	int is_bridge;

	/* The verdict. */
	uint8_t state;		/* enum qdh_state */
	uint8_t action;		/* enum qdh_action */
	uint8_t flags;		/* QDH_DEV_F_* */
	uint16_t reasons;	/* QDH_R_* */

	/* Observations kept for reports (JSON), not encoded in the blob. */
	char iommu_ref[64];	/* what the "iommu" link named, "" if none */
	char fw_node[128];	/* platform: DT node or ACPI path, "" none */
	char problem[128];	/* first fault met while reading, "" none */
	int header_type;	/* PCI config byte 0x0e & 0x7f, -1 unknown */
	int policy_rule;	/* index of the policy rule that matched, -1 */
	int vf_config;		/* config reads vendor 0xffff, as a VF's does */
};

/* A bus directory entry that could not become a device (bad name, dup). */
struct qdh_inv_skip {
	char entry[64];
	char problem[128];
};

/* Dump-target detection: one thing the dump needs, and where it led. */
enum qdh_need_kind {
	QDH_NEED_BLOCK,		/* a device spec: UUID=, LABEL=, /dev/..., MAJ:MIN */
	QDH_NEED_PATH,		/* a directory: the file system holding it */
	QDH_NEED_HOST,		/* a dump server: the NIC of the route to it */
	QDH_NEED_UNKNOWN,	/* something that cannot be evaluated */
};

struct qdh_dump_need {
	enum qdh_need_kind kind;
	char origin[128];	/* "root= of the command line", "FILE:LINE KEY" */
	char value[256];	/* the spec, path or host (raw bytes) */
	char error[256];	/* why it could not be used, "" if it could */
	char devices[160];	/* marked devices, comma-separated, "" none */
};

struct qdh_inventory {
	struct qdh_inv_iommu *iommus;
	size_t niommus;
	struct qdh_inv_device *devices;
	size_t ndevices;
	uint32_t *sids;			/* pool of StreamIDs and DMA aliases */
	size_t nsids, cap_sids;
	struct qdh_inv_skip *skipped;	/* entries left out, with why */
	size_t nskipped;
	int mode;			/* enum qdh_scan_mode of the scan */
	/*
	 * The blob's header flags, resolved once by the scan from the mode,
	 * whether a purgatory will run and the whole policy
	 * (qdh_policy_blob_flags()); qdh_inventory_encode() writes exactly
	 * these and returns them, and nobody else decides them.
	 */
	uint32_t blob_flags;
	/* Dump-target detection (qdh_scan_opts.detect_dump_targets). */
	int dump_detected;		/* detection ran */
	int dump_fallback;		/* incomplete: the scan's flags then say
					 * QDH_F_NO_DUMP_TARGET */
	struct qdh_dump_need *dump_needs;
	size_t ndump_needs;
	double dump_detect_ms;		/* time it took */
};

enum qdh_scan_mode { QDH_SCAN_CRASH = 0, QDH_SCAN_KEXEC = 1 };

/*
 * A policy file (doc/policy.md), loaded and checked: refused if a non-root
 * user could write it or its directory (as sudo does) or if it is not a
 * regular file; on error errbuf gets "FILE:LINE:COL: what" or "FILE:
 * rules[2].match.class: what".  Returns 0, -EPERM (refused), -EINVAL
 * (invalid) or another -errno (I/O).  kexec-qdh loads it before its lock.
 */
struct qdh_policy;
int qdh_policy_load(const char *file, struct qdh_policy **out,
		    char *errbuf, size_t errcap);
void qdh_policy_free(struct qdh_policy *p);

struct qdh_scan_opts {
	enum qdh_scan_mode mode;
	const char *policy_file;	/* NULL: none */
	const char *dump_target;	/* path or interface, NULL: none */
	const char *shutdown_drivers;	/* data file; NULL: built-in default */
	const struct qdh_log *log;
	int no_purgatory;		/* no QDH purgatory will run (kexec_file_load,
					 * kexec-tools): nothing blocks bypass DMA */
	/*
	 * Crash mode without dump_target: find what the dump needs (root= of
	 * dump_cmdline, the kdump services' configuration) and mark it
	 * (doc/verdicts.md, "Dump targets").  dump_cmdline NULL: the
	 * sysroot's /proc/cmdline.  An explicit dump_target wins.
	 */
	int detect_dump_targets;
	const char *dump_cmdline;
	const struct qdh_policy *policy;	/* loaded already: wins over policy_file */
};

/* A device's StreamIDs (d->nsids of them) and PCI DMA aliases. */
static inline const uint32_t *qdh_inv_sids(const struct qdh_inventory *inv,
					   const struct qdh_inv_device *d)
{
	return d->nsids ? inv->sids + d->sid_at : NULL;
}

static inline const uint32_t *qdh_inv_aliases(const struct qdh_inventory *inv,
					      const struct qdh_inv_device *d)
{
	return d->naliases ? inv->sids + d->alias_at : NULL;
}

/* Scan the sysroot; on success the caller frees with qdh_inventory_free(). */
int qdh_inventory_scan(const struct qdh_sysroot *sr,
		       const struct qdh_scan_opts *opts,
		       struct qdh_inventory *inv);
void qdh_inventory_free(struct qdh_inventory *inv);

/*
 * Encode as a QDH blob (malloc'd) with the header flags the scan resolved
 * (inv->blob_flags), which *flags gets (may be NULL); generation 0 means
 * "pick a fresh random one".  -EFBIG past the 2 MiB a blob may be.
 */
int qdh_inventory_encode(const struct qdh_inventory *inv, uint64_t generation,
			 uint8_t **blob, size_t *len, uint32_t *flags);

#endif
