/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `qdh apply`: in the crash kernel, find the QDH handover, decide per device
 * abort / attach / reset-then-attach (doc/apply.md has the table), enforce it
 * through the sysroot layer and report.  Owner: kexec/apply/.
 *
 * The pieces are separate so each can be tested alone: finding the blob
 * (handover.c), what is present now (present.c), the decision table
 * (decide.c, a pure function), enforcement (enforce.c), kernel messages
 * about the IOMMUs (kmsg.c) and the report (report.c); run.c strings them
 * together (qdh_apply_run()).  The command, kexec/cmd/cmd_apply.c, only
 * turns options into struct qdh_apply_opts and the result into output.
 */
#ifndef QDH_APPLY_H
#define QDH_APPLY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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


/* --- The whole run: read, plan, enforce, report (run.c) ----------------- */

#define QDH_APPLY_MAX_DUMP_TARGETS 16

struct qdh_apply_opts {
	struct qdh_handover_opts ho;
	const char *kmsg_in;		/* kernel messages from FILE (outside the
					 * sysroot), NULL: the sysroot's */
	enum qdh_fail_safe fail_safe;
	enum qdh_hotplug hotplug;
	/* Dump targets named by the operator: a PCI address, a platform
	 * device, or a block or net device name (or its sysfs path). */
	const char *dump_targets[QDH_APPLY_MAX_DUMP_TARGETS];
	int ndump_targets;
	int dry_run;			/* decide and report, touch nothing */
	int force;			/* enforce on a live system that is not a
					 * crash kernel */
	int no_kmsg_log;		/* write no decision to the kernel log */
	const char *report;		/* report file (outside the sysroot);
					 * NULL: QDH_APPLY_REPORT_DEFAULT inside */
	int no_report;			/* write no report file */
	const struct qdh_log *log;	/* warnings and errors; NULL: dropped */
};

/*
 * What a finished run amounts to; the report records it as "exit_code",
 * and the values are qdh(8)'s exit codes.
 */
enum qdh_apply_outcome {
	QDH_APPLY_OK = 0,	/* a valid handover, every action worked */
	QDH_APPLY_DEGRADED = 1,	/* no valid handover (fail-safe applied), a
				 * copy was invalid, or an action failed */
	QDH_APPLY_IO_ERROR = 2,	/* the report file could not be written */
};

/* Where a run that returns an error stopped. */
enum qdh_apply_fault {
	QDH_APPLY_FAULT_NONE = 0,
	QDH_APPLY_FAULT_NOT_CRASH,	/* -EPERM: enforcing on a live system that
					 * is not a crash kernel, without force */
	QDH_APPLY_FAULT_DEVICES,	/* the present devices could not be listed */
	QDH_APPLY_FAULT_PLAN,		/* no memory to plan */
	QDH_APPLY_FAULT_REPORT,		/* the report could not be built */
};

/*
 * The devices of a report, one JSON object at a time (a new reference the
 * caller puts after use): a report of 100,000 devices built as one tree
 * took 658 MiB.
 */
struct qdh_apply_devs {
	size_t n;
	struct json_object *(*json)(void *ctx, size_t i);
	void *ctx;
};

/* A finished run: its report, decisions and outcome. */
struct qdh_apply;

/*
 * Read the handover, the present devices and the kernel messages, decide
 * (plan.c), enforce (unless dry_run), write the report file and the
 * kernel-log lines the options ask for.  Prints nothing: diagnostics go to
 * o->log, and the result to *out.  0, or -errno with *fault saying where
 * it stopped (enforcement may have happened before a REPORT fault).
 */
int qdh_apply_run(const struct qdh_sysroot *sr, const struct qdh_apply_opts *o,
		  struct qdh_apply **out, enum qdh_apply_fault *fault);
enum qdh_apply_outcome qdh_apply_outcome(const struct qdh_apply *a);
/* The report without its devices (its "devices" is a placeholder); borrowed. */
struct json_object *qdh_apply_report(const struct qdh_apply *a);
const struct qdh_apply_devs *qdh_apply_devices(const struct qdh_apply *a);
/* The whole report as JSON, the bytes the report file holds.  0 or -errno. */
int qdh_apply_print_json(const struct qdh_apply *a, FILE *out);
void qdh_apply_free(struct qdh_apply *a);

#endif
