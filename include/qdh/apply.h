/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `qdh apply`: in the crash kernel, find the QDH handover, decide per device
 * abort / attach / reset-then-attach (doc/apply.md has the table), enforce it
 * through the sysroot layer and report.  Owner: kexec/apply/.
 *
 * The pieces are separate so each can be tested alone: finding the blob
 * (handover.c), what is present now (present.c), the decision table
 * (decide.c, a pure function), enforcement (enforce.c), kernel messages
 * about the IOMMUs (kmsg.c) and the report (report.c).
 */
#ifndef QDH_APPLY_H
#define QDH_APPLY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "qdh/codec.h"
#include "qdh/log.h"
#include "qdh/sysroot.h"

/* Default report file (under the sysroot), and the bus-master-free name. */
#define QDH_APPLY_REPORT_DEFAULT	"/run/qdh/report.json"
#define QDH_APPLY_OVERRIDE		"qdh-abort"

/* --- Finding the handover --------------------------------------------- */

enum qdh_src_id {
	QDH_SRC_CHOSEN = 0,	/* QDH_PATH_CHOSEN_QDH: carries the record */
	QDH_SRC_VMCORE,		/* QDH note in QDH_PATH_VMCORE */
	QDH_SRC_INITRD,		/* "/" QDH_INITRD_PATH in the initramfs */
	QDH_SRC_FILE,		/* --blob FILE (raw blob, outside the sysroot) */
	QDH_NSRC
};

enum qdh_src_status {
	QDH_SRC_ABSENT = 0,	/* nothing there: not an error */
	QDH_SRC_VALID,
	QDH_SRC_INVALID,	/* there, but the container or blob is bad */
	QDH_SRC_UNREADABLE,	/* there, but could not be read */
};

struct qdh_src {
	const char *name;	/* "chosen", "vmcore", "initrd", "file" */
	char path[512];		/* as displayed */
	enum qdh_src_status status;
	int err;		/* negative errno or -enum qdh_err */
	char problem[160];	/* what is wrong, for INVALID / UNREADABLE */
	long long offset;	/* byte offset of the fault, -1 none */
	uint8_t *blob;		/* malloc'd copy, VALID only */
	size_t len;
	struct qdh_view view;	/* VALID only */
	int purgatory_ran;	/* record has QDH_REC_F_PURGATORY_RAN */
};

struct qdh_handover {
	struct qdh_src src[QDH_NSRC];
	int best;		/* index of the source used, -1 none valid */
	int ninvalid;		/* sources present but bad */
	char disagree[4][160];	/* differences between valid sources */
	int ndisagree;
};

struct qdh_handover_opts {
	const char *blob_file;	/* --blob, NULL none */
	const char *vmcore;	/* override QDH_PATH_VMCORE (outside the
				 * sysroot), NULL: the sysroot's */
	int skip[QDH_NSRC];	/* test hook: ignore this source */
};

/* Never fails: every source's outcome is recorded in h. */
void qdh_handover_find(const struct qdh_sysroot *sr,
		       const struct qdh_handover_opts *o, struct qdh_handover *h);
void qdh_handover_free(struct qdh_handover *h);
/* The chosen view, or NULL. */
const struct qdh_view *qdh_handover_view(const struct qdh_handover *h);

/* --- What is present now ------------------------------------------------ */

struct qdh_now_dev {
	char name[64];		/* "0000:00:02.0" or platform device name */
	int is_platform;
	char path[512];		/* resolved, sysroot-relative, under QDH_PATH_SYS_DEVICES */
	uint32_t domain;	/* PCI: above 0xffff for an Intel VMD child domain */
	uint8_t bus, devfn;
	int class_code;		/* 24 bits, -1 unknown */
	int header_type;	/* config byte 0x0e & 0x7f, -1 unknown */
	int command;		/* config word at 4, -1 unreadable */
	char driver[64];	/* bound driver now, "" none */
	char reset_method[64];	/* "" none or attribute missing */
	int has_reset;		/* "reset" attribute exists */
	int has_override;	/* "driver_override" attribute exists */
	char override[64];	/* its current value */
};

struct qdh_now {
	struct qdh_now_dev *devs;
	size_t n, cap;
};

/*
 * All PCI functions under QDH_PATH_PCI_DEVICES, plus the platform devices
 * named in the blob (v may be NULL) that exist now.  Platform devices the
 * blob does not name are not DMA masters to us: the platform bus is full
 * of serial ports and clocks.
 */
int qdh_now_scan(const struct qdh_sysroot *sr, const struct qdh_view *v,
		 struct qdh_now *now, const struct qdh_log *log);
void qdh_now_free(struct qdh_now *now);
/* A bridge by what is there now (qdh_pci_is_bridge()); never a platform device. */
int qdh_now_is_bridge(const struct qdh_now_dev *d);

/* --- Deciding ----------------------------------------------------------- */

enum qdh_fail_safe { QDH_FAILSAFE_OBSERVE = 0, QDH_FAILSAFE_STRICT = 1 };
/* Devices present now but not in the blob: hot-plugged after the load. */
enum qdh_hotplug {
	QDH_HOTPLUG_ABORT = 0,	/* treat as unknown (default) */
	QDH_HOTPLUG_ATTACH,	/* trust them */
};

enum qdh_decision {
	QDH_DEC_ATTACH = 1,		/* nothing to do: drivers may bind */
	QDH_DEC_ABORT,			/* bus master off, no driver */
	QDH_DEC_RESET_ATTACH,		/* reset the function, then bind */
	QDH_DEC_IGNORE,			/* in the blob, absent now */
	QDH_DEC_OBSERVE,		/* fail-safe observe: touch nothing */
};

struct qdh_decide_in {
	int handover_ok;	/* a valid blob is used */
	enum qdh_fail_safe fail_safe;
	enum qdh_hotplug hotplug;
	int in_blob, present;
	unsigned state;		/* enum qdh_state from the blob (in_blob) */
	int bridge;		/* blob BRIDGE state or a bridge now */
	int dump_target;	/* blob flag or --dump-target */
	int dump_parent;	/* upstream of a dump target */
	int can_reset;		/* reset attribute and a non-empty method */
	/*
	 * The blob says no dump target was determined at load
	 * (QDH_F_NO_DUMP_TARGET) and this present storage or network
	 * controller is not in it: a dump target of unknown state.
	 */
	int dump_fallback;
};

/* The table; why gets a short reason ("active, dump target, reset: flr"). */
enum qdh_decision qdh_apply_decide(const struct qdh_decide_in *in, char *why,
				   size_t cap);
const char *qdh_decision_name(enum qdh_decision d);
const char *qdh_fail_safe_name(enum qdh_fail_safe f);
const char *qdh_hotplug_name(enum qdh_hotplug h);

/* --- Enforcing ---------------------------------------------------------- */

/*
 * Each records its steps into the JSON array steps ({"op","path","result",
 * ...}); dry_run records what it would do and touches nothing.  Returns 0 if
 * every step worked (or was a deliberate skip), else the first -errno.
 */
int qdh_enforce_abort(const struct qdh_sysroot *sr, const struct qdh_now_dev *d,
		      int dry_run, struct json_object *steps);
int qdh_enforce_reset(const struct qdh_sysroot *sr, const struct qdh_now_dev *d,
		      int dry_run, struct json_object *steps);

/* --- Kernel messages about the IOMMUs at handover --------------------- */

/*
 * Read kernel messages (a /dev/kmsg device or a plain text file, from the
 * sysroot unless file_override), to the end however long, and return a
 * JSON array of the IOMMU messages that tell the state at handover:
 * [{"iommu","state","message"}]: the first 64, then every one that makes
 * the summary worse (the rest counted in *omitted, which may be NULL).
 * *summary gets the worst seen: "copy-failed", "tables-copied",
 * "enabled", or "not-seen" / "unreadable".
 */
struct json_object *qdh_kmsg_iommu_state(const struct qdh_sysroot *sr,
					 const char *file_override,
					 const char **summary, size_t *omitted);
/* One line's classification, exposed for tests: NULL if not interesting. */
const char *qdh_kmsg_classify(const char *line, char *iommu, size_t cap);

#endif
