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
#include "qdh/sysroot.h"
#include "uapi/qdh.h"

#define QDH_INV_MAX_SIDS	8	/* StreamIDs kept per device */

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
	uint16_t segment;	/* PCI only */
	uint8_t busno, devfn;	/* PCI only */
	uint16_t vendor, device;
	uint32_t class_code;	/* 24 bits */
	char driver[64];	/* bound driver, "" if none */
	int iommu;		/* index into qdh_inventory.iommus, -1 none */
	uint32_t sids[QDH_INV_MAX_SIDS];
	unsigned nsids;

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

struct qdh_inventory {
	struct qdh_inv_iommu *iommus;
	size_t niommus;
	struct qdh_inv_device *devices;
	size_t ndevices;
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
	const struct qdh_policy *policy;	/* loaded already: wins over policy_file */
};

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
