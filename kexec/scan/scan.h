/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals of the scanner (kexec/scan/): the pieces qdh_inventory_scan()
 * strings together.  Not a public interface; include/qdh/inventory.h is.
 */
#ifndef QDH_SCAN_INTERNAL_H
#define QDH_SCAN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "qdh/inventory.h"
#include "qdh/log.h"
#include "qdh/pcidev.h"
#include "qdh/sysroot.h"
#include "qdh/topology.h"

/* Device directories, the bus walk and a function's attributes: qdh/pcidev.h */

/* --- Shutdown-driver list (shutdown.c) ---------------------------------- */

struct qdh_strset;
/* Load one name per line ('#' comments); NULL file = the built-in list. */
int qdh_strset_load_shutdown(const char *file, const struct qdh_log *log,
			     struct qdh_strset **out);
int qdh_strset_add(struct qdh_strset *s, const char *name);
void qdh_strset_remove(struct qdh_strset *s, const char *name);
int qdh_strset_has(const struct qdh_strset *s, const char *name);
size_t qdh_strset_count(const struct qdh_strset *s);
void qdh_strset_free(struct qdh_strset *s);
/* The list in data/shutdown-drivers.txt, compiled in (generated C file). */
extern const char *const qdh_builtin_shutdown_drivers[];

/* --- Policy (policy.c) --------------------------------------------------- */

struct qdh_policy_rule {
	/* match: every field that is set must match */
	int has_bdf;
	uint16_t segment;
	uint8_t bus, devfn;
	char name[64];		/* platform device name ("" = any) */
	int has_vendor, has_device;
	uint16_t vendor, device;
	int has_class;
	uint32_t class_code, class_mask;
	char driver[64];	/* "" = any; "none" = no driver bound */
	/* effect: 0 = leave as computed */
	uint8_t state, action;
};

struct qdh_policy {
	struct qdh_policy_rule *rules;
	size_t nrules;
	uint8_t default_action[QDH_STATE_MAX + 1];	/* 0 = built-in */
	char **shutdown_add, **shutdown_remove;
	size_t nshutdown_add, nshutdown_remove;
	int block_bypass;	/* "block_bypass": 1 true, 0 false, -1 absent */
};

/* qdh_policy_load(), qdh_policy_free(): qdh/inventory.h */
/* Parse from memory (tests); file is only used in messages. */
int qdh_policy_parse(const char *file, const char *text, size_t len,
		     struct qdh_policy **out, char *errbuf, size_t errcap);
/* First matching rule's index, or -1. */
int qdh_policy_match(const struct qdh_policy *p, const struct qdh_inv_device *d);
/*
 * The blob's header flags (QDH_F_*), the policy resolved once: the mode;
 * QDH_F_NO_PURGATORY when no QDH purgatory will run, and then never
 * QDH_F_BLOCK_BYPASS (nothing would block it); else QDH_F_BLOCK_BYPASS
 * when the policy says "block_bypass": true, or says nothing and some
 * device is active or unknown.  p may be NULL (no policy).
 */
uint32_t qdh_policy_blob_flags(const struct qdh_policy *p, enum qdh_scan_mode mode,
			       int no_purgatory, int has_active);

/* --- Verdicts (verdict.c) ------------------------------------------------ */

/* Observed flags the verdict needs beyond struct qdh_inv_device. */
#define QDH_OBS_VITAL_MISSING	(1u << 0) /* an input of the verdict is bad */
#define QDH_OBS_VANISHED	(1u << 1) /* device dir could not be opened */
#define QDH_OBS_DUPLICATE	(1u << 2)

/* Decide d->state and d->reasons from what was observed. */
void qdh_verdict(struct qdh_inv_device *d, unsigned obs,
		 enum qdh_scan_mode mode, const struct qdh_strset *shutdown);
/* Apply policy (may override state/action), then the action from state. */
void qdh_verdict_action(struct qdh_inv_device *d, const struct qdh_policy *p);

/* --- Dump target (dumptarget.c) ------------------------------------------ */

struct qdh_path_index;
/* Mark the device(s) the dump target X depends on; -ENOENT etc. */
int qdh_dump_target_mark(const struct qdh_sysroot *sr, const char *target,
			 struct qdh_inventory *inv,
			 const struct qdh_path_index *idx,
			 const struct qdh_log *log);

/* --- sysfs path -> device index (pathindex.c) ----------------------------- */

struct qdh_path_index *qdh_path_index_build(const struct qdh_inventory *inv);
/* Index of the device whose sysfs_path is exactly path, or -1. */
int qdh_path_index_find(const struct qdh_path_index *idx, const char *path);
/* Nearest device at or above path (walks up the components), or -1. */
int qdh_path_index_find_up(const struct qdh_path_index *idx, const char *path);
void qdh_path_index_free(struct qdh_path_index *idx);

/* --- Readers (pci.c, platform.c) ----------------------------------------- */

struct qdh_scan_ctx {
	const struct qdh_sysroot *sr;
	const struct qdh_scan_opts *opts;
	const struct qdh_log *log;
	struct qdh_topology *topo;
	struct qdh_inventory *inv;
	size_t cap;		/* allocated devices */
	unsigned *obs;		/* QDH_OBS_* per device, parallel to devices */
	char **physfn;		/* resolved physfn path per device, or NULL */
	/* iommu_group type cache: index = group number */
	char (*group_type)[16];
	signed char *group_state;	/* 0 unread, 1 ok, -1 unreadable */
	size_t ngroups;
	int groups_fd;		/* cached dir fd of the groups' parent, -1 */
	char groups_dir[256];
	int err;		/* sticky -ENOMEM */
};

/* Append a zeroed device (fields at their "unknown" values); NULL on ENOMEM. */
struct qdh_inv_device *qdh_scan_new_device(struct qdh_scan_ctx *c);
/* Record the first problem for humans (printf-like). */
void qdh_dev_problem(struct qdh_inv_device *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void qdh_scan_add_skip(struct qdh_scan_ctx *c, const char *entry,
		       const char *problem);
/* The iommu_group link read into a -> number and type (cached per group). */
void qdh_scan_group(struct qdh_scan_ctx *c, const struct qdh_pci_attrs *a,
		    struct qdh_inv_device *d, unsigned *obs);
/* The "iommu" link -> IOMMU index through the topology. */
void qdh_scan_iommu_link(struct qdh_scan_ctx *c, const struct qdh_pci_attrs *a,
			 struct qdh_inv_device *d);

int qdh_scan_pci(struct qdh_scan_ctx *c);
/* Second pass once every PCI device is known: parents, PFs. */
int qdh_scan_pci_link(struct qdh_scan_ctx *c, const struct qdh_path_index *idx);
int qdh_scan_platform(struct qdh_scan_ctx *c);

#endif
