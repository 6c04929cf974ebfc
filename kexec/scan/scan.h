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

#include "qdh/bdf.h"
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

/* --- DMA-alias quirks (dmaquirks.c, data/dma-alias-quirks.txt) ---------- */

#define QDH_DMAQ_FUNC0		(1u << 0) /* also function 0 of its slot */
#define QDH_DMAQ_FUNC1		(1u << 1) /* also function 1 of its slot */
#define QDH_DMAQ_DEVFN		(1u << 2) /* fixed devfns on its bus */
#define QDH_DMAQ_BRIDGE_ALIAS	(1u << 3) /* conventional bridge acting PCIe-to-PCI */
#define QDH_DMAQ_XLATE_ROOT	(1u << 4) /* the alias walk stops at this bridge */
#define QDH_DMAQ_RUNTIME	(1u << 5) /* aliases read from its registers at boot */
#define QDH_DMAQ_VMD		(1u << 6) /* Intel VMD: requester of its domains */

struct qdh_dmaq_table;
/*
 * Parse a table (format: its header); -EINVAL with "ORIGIN:LINE: what" in
 * err, or -ENOMEM.  Strict: every token must be what the generator writes.
 */
int qdh_dmaq_parse(const char *text, size_t len, const char *origin,
		   struct qdh_dmaq_table **out, char *err, size_t errcap);
/* The table compiled in from data/dma-alias-quirks.txt. */
int qdh_dmaq_builtin(struct qdh_dmaq_table **out, char *err, size_t errcap);
void qdh_dmaq_free(struct qdh_dmaq_table *t);
size_t qdh_dmaq_count(const struct qdh_dmaq_table *t);
/*
 * The QDH_DMAQ_* rules that match PCI function d (vendor, device, class,
 * subsystem IDs); devfns (32 bytes, may be NULL) gets the union of the
 * devfn rules' aliases as a bitmap.
 */
unsigned qdh_dmaq_match(const struct qdh_dmaq_table *t,
			const struct qdh_inv_device *d, uint8_t devfns[32]);

/* --- Policy (policy.c) --------------------------------------------------- */

struct qdh_policy_rule {
	/* match: every field that is set must match */
	int has_bdf;
	uint32_t domain;
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
 * device is active or unknown; QDH_F_NO_DUMP_TARGET on a crash blob when
 * dump-target detection could not determine every target
 * (inv->dump_fallback).  p may be NULL (no policy).
 */
uint32_t qdh_policy_blob_flags(const struct qdh_policy *p, enum qdh_scan_mode mode,
			       int no_purgatory, int has_active, int no_dump_target);

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

#define QDH_DUMP_MAX_LEAVES 8

/* Marking state: what was marked, and the devices the last need reached. */
struct qdh_dump_marker {
	const struct qdh_sysroot *sr;
	struct qdh_inventory *inv;
	const struct qdh_path_index *idx;
	const struct qdh_log *log;
	int marked;			/* device chains marked */
	int leaves[QDH_DUMP_MAX_LEAVES];	/* first devices reached */
	size_t nleaves;
};
/* Mark device i with its parent bridges and PF. */
void qdh_dump_mark_device(struct qdh_dump_marker *m, int i);
/*
 * Mark what the block device whose resolved sysfs directory is DIR sits
 * on (partitions, dm/md slaves, NVMe multipath heads followed).  Returns
 * 1 if something was marked, 0 if it is on no device of the inventory.
 */
int qdh_dump_mark_block(struct qdh_dump_marker *m, const char *dir);
/* Same for an interface; bond/team/vlan/bridge through lower_* links. */
int qdh_dump_mark_iface(struct qdh_dump_marker *m, const char *ifname);

/* --- Dump-target detection (dumpdetect.c and the files it uses) --------- */

struct qdh_dump_needs {
	struct qdh_dump_need *v;
	size_t n, cap;
};

/* Append a need (value truncated to fit: then it becomes UNKNOWN). */
struct qdh_dump_need *qdh_dump_need_add(struct qdh_dump_needs *ns,
					enum qdh_need_kind kind,
					const char *origin, const char *value,
					size_t vlen);
void qdh_dump_needs_free(struct qdh_dump_needs *ns);

/*
 * A text input of detection (a config file, /proc/net/route, mountinfo):
 * resolved inside the sysroot, a regular file (never a FIFO), at most max
 * bytes (-EFBIG), no NUL (-EILSEQ); *out NUL-terminated, malloc'd.
 */
int qdh_dump_read_text(const struct qdh_sysroot *sr, const char *path,
		       size_t max, char **out, size_t *len);
/* Format a reason into why (cap bytes) and return err: detection's errors. */
int qdh_dump_fail(char *why, size_t cap, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* fstab's and mountinfo's octal escapes (\040 for a space), decoded in place. */
void qdh_dump_unoctal(char *s);

/* The sources (dumpconf.c).  Each appends what it finds; -ENOMEM only. */
/* root= (and nfsroot=/ip= for an NFS root) of a kernel command line. */
int qdh_dump_needs_cmdline(struct qdh_dump_needs *ns, const char *cmdline,
			   const char *origin);
/* Debian's kdump-tools: a shell file, read as text, never run. */
int qdh_dump_needs_kdump_tools(struct qdh_dump_needs *ns, const char *file,
			       const char *text, size_t len);
/* kdump-utils (Fedora, RHEL): /etc/kdump.conf. */
int qdh_dump_needs_kdump_conf(struct qdh_dump_needs *ns, const char *file,
			      const char *text, size_t len);
/* /etc/fstab: the local file systems a full systemd boot mounts. */
int qdh_dump_needs_fstab(struct qdh_dump_needs *ns, const char *file,
			 const char *text, size_t len);

/* Where a need leads (dumpspec.c, dumproute.c); why gets the fault. */
/* A device spec -> the block device's resolved sysfs directory. */
int qdh_dump_spec_resolve(const struct qdh_sysroot *sr, const char *spec,
			  char *dir, size_t cap, char *why, size_t whycap);
/*
 * A directory -> the file system holding it (the sysroot's mountinfo):
 * returns QDH_NEED_BLOCK with dir set (plus every other device of a
 * btrfs in *extra, malloc'd, NULL-terminated), or QDH_NEED_HOST with the
 * server in host (NFS, CIFS); negative errno with why.
 */
int qdh_dump_path_resolve(const struct qdh_sysroot *sr, const char *path,
			  char *dir, size_t cap, char *host, size_t hostcap,
			  char ***extra, char *why, size_t whycap);
/* A host name or address -> the interfaces of the routes to it. */
#define QDH_DUMP_MAX_ADDRS 8
int qdh_dump_host_ifaces(const struct qdh_sysroot *sr, const char *host,
			 char ifaces[QDH_DUMP_MAX_ADDRS][64], size_t *nifaces,
			 char *why, size_t whycap);

/*
 * Find the dump's devices and mark them (dumpdetect.c).  cmdline: the
 * crash kernel's command line, NULL for the sysroot's /proc/cmdline.
 * When nothing, or not everything, could be determined: QDH_F_NO_DUMP_TARGET
 * in inv->blob_flags and every storage and network controller marked.
 * Returns 0 or -ENOMEM.
 */
int qdh_dump_detect(const struct qdh_sysroot *sr, const char *cmdline,
		    struct qdh_inventory *inv, const struct qdh_path_index *idx,
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
	struct qdh_dmaq_table *dmaq;	/* DMA-alias quirks */
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

/*
 * Store n values (a device's StreamIDs or DMA aliases) in the inventory's
 * pool: *at gets their index, *count n.  0 or -ENOMEM (sticky in c->err).
 */
int qdh_scan_pool(struct qdh_scan_ctx *c, const uint32_t *v, unsigned n,
		  uint32_t *at, unsigned *count);
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

/* --- DMA requesters, aliases, StreamIDs (alias.c) ------------------------ */

/*
 * Once PCI parents are linked: every PCI function's DMA requester (VMD),
 * DMA aliases and, through the topology, its IOMMU and StreamIDs.
 */
int qdh_scan_dma_aliases(struct qdh_scan_ctx *c);
/* After verdicts and policy: a DMA requester is as active as what is
 * behind it (its action recomputed). */
void qdh_verdict_requesters(struct qdh_inventory *inv);

#endif
