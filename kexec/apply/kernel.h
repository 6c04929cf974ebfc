/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `qdh apply` and a kernel carrying the kexec-qdh arm-smmu-v3 patches
 * (kernel/, doc/kernel.md): such a kdump kernel keeps the streams of the
 * crashed kernel's active devices ("adopted") and shows them, per SMMU, in
 * /sys/class/iommu/NAME/qdh/streams.  apply reads that view, releases each
 * adopted stream of a device once it has stopped the device (bus master
 * cleared, or reset), and reports what the kernel did.  On a kernel
 * without the patches there is no view and nothing here does anything.
 */
#ifndef QDH_APPLY_KERNEL_H
#define QDH_APPLY_KERNEL_H

#include <stdint.h>

#include "qdh/codec.h"
#include "qdh/sysroot.h"

struct json_object;

/* A stream's state in the kernel's view. */
enum apply_kstate {
	APPLY_KS_UNKNOWN = 0,	/* not in the view */
	APPLY_KS_ADOPTED,	/* the crashed kernel's STE is kept */
	APPLY_KS_RELEASED,	/* was adopted, released to abort */
	APPLY_KS_ATTACHED,	/* the kernel installed its own STE */
	APPLY_KS_ABORTED,	/* never adopted: aborts until attached */
};

struct apply_kstream {
	uint32_t sid;
	enum apply_kstate before, after;	/* at start, after apply */
	char old[16], why[16], dev[64];	/* as the kernel words them */
	int release;		/* 0 not asked, 1 written, -errno failed */
};

struct apply_kiommu {
	uint16_t index;		/* in the blob's IOMMU table */
	char name[64];		/* /sys/class/iommu/NAME */
	const char *error;	/* view unreadable or malformed; NULL ok */
	char mode[16];		/* "adopt" or "stock" */
	char reason[32];	/* stock: the kernel's one-word reason */
	uint32_t adopted, aborted;
	struct apply_kstream *s;	/* sorted by sid */
	size_t n;
};

struct apply_kernel {
	struct apply_kiommu *v;	/* only IOMMUs with a view */
	size_t n;
};

/* Largest view read (65,536 streams of about 80 bytes each, and more). */
#define APPLY_KVIEW_MAX		(16u << 20)

/*
 * The views of the IOMMUs the blob names (v may be NULL: none).  Returns
 * how many views were found (0: a kernel without the patches) or -errno.
 */
int apply_kernel_read(const struct qdh_sysroot *sr, const struct qdh_view *v,
		      struct apply_kernel *k);
/*
 * After apply stopped device d (from the blob): release each of its
 * adopted streams.  Adds one "release-stream" step per stream to steps.
 * Returns 0, or the first -errno of a release the kernel refused.
 */
int apply_kernel_release(const struct qdh_sysroot *sr, struct apply_kernel *k,
			 const struct qdh_view *v, const struct qdh_device_info *d,
			 int dry_run, struct json_object *steps);
/* Read the views again for the "after" states. */
void apply_kernel_refresh(const struct qdh_sysroot *sr, struct apply_kernel *k);
/* The report's "kernel" object. */
struct json_object *apply_kernel_json(const struct apply_kernel *k);
void apply_kernel_free(struct apply_kernel *k);

/* Parse one view (exposed for the unit test); 0 or -EINVAL. */
int apply_kernel_parse(struct apply_kiommu *io, const char *text, size_t len,
		       int after);
const char *apply_kstate_name(enum apply_kstate s);

#endif
