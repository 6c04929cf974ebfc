// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `qdh apply` as one library call (qdh_apply_run()): read everything
 * through the sysroot first (the kernel messages before our own lines join
 * them, the handover, the present devices, the paths the dump targets
 * name), decide (plan.c, a function of memory), enforce, then build the
 * report and write the report file and the kernel-log lines the options
 * ask for.  Nothing here prints: the command (kexec/cmd/cmd_apply.c)
 * renders the result and turns it into an exit code.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apply-internal.h"
#include "kernel.h"
#include "qdh/output.h"

/* The report's "program": the report format names the command. */
static const char prog[] = "qdh apply";

struct qdh_apply {
	struct qdh_handover h;
	struct qdh_now now;
	struct apply_items it;
	struct apply_kernel kern;
	struct json_object *msgs;	/* kernel messages, until the report has them */
	const char *summary;
	size_t omitted;
	struct json_object *root;	/* the report without its devices */
	struct apply_stream *st;
	struct qdh_apply_devs devs;
	enum qdh_apply_outcome outcome;
};

/*
 * The file side of --dump-target: the sysfs path a block or net device
 * name (or a sysfs path) stands for, resolved inside the sysroot; "" if it
 * names none.  An address or a platform device name needs no file: the
 * plan (plan.c) matches those by identity first.
 */
static void dump_target_path(const struct qdh_sysroot *sr, const char *arg,
			     char *path, size_t cap)
{
	static const char *const classes[] = { QDH_PATH_CLASS_BLOCK, QDH_PATH_CLASS_NET };
	char link[600];
	const char *name = arg;
	size_t i;
	int r = -ENOENT;

	if (!strncmp(name, "/dev/", 5))
		name = name + 5;
	if (arg[0] == '/' && strncmp(arg, "/dev/", 5))
		r = qdh_sysroot_resolve(sr, arg, path, cap);
	for (i = 0; r < 0 && !strchr(name, '/') && i < 2; i++) {
		apply_fmt(link, sizeof(link), "%s/%s/device", classes[i], name);
		r = qdh_sysroot_resolve(sr, link, path, cap);
	}
	if (r < 0)
		path[0] = '\0';
}

/* The report's devices, one object at a time (struct qdh_apply_devs). */
static struct json_object *item_json_at(void *ctx, size_t i)
{
	return apply_item_json(&((const struct apply_items *)ctx)->v[i]);
}

static void count(struct json_object *cnt, const char *key)
{
	json_object_object_add(cnt, key, json_object_new_int64(qdh_json_int(cnt, key, 0) + 1));
}


/*
 * Is the running kernel a crash kernel?  Asked of the live root, not of the
 * sysroot: a tree that is live because its /sys is the real one may still
 * hold a /proc/vmcore of its own.
 */
static int running_crash_kernel(void)
{
	struct qdh_sysroot host;
	int r;

	if (qdh_sysroot_open(&host, "/") < 0)
		return 0;
	r = qdh_sysroot_exists(&host, QDH_PATH_VMCORE);
	qdh_sysroot_close(&host);
	return r;
}


/* Everything read and decided; no file is read after this. */
static int plan(const struct qdh_sysroot *sr, const struct qdh_apply_opts *o,
		struct qdh_apply *a, enum qdh_apply_fault *fault)
{
	struct apply_plan_in pin;
	struct apply_dump_target dump[QDH_APPLY_MAX_DUMP_TARGETS];
	char dump_path[QDH_APPLY_MAX_DUMP_TARGETS][600];
	const struct qdh_view *v;
	int r, i;

	/* Read the kernel log before we add our own lines to it. */
	a->msgs = qdh_kmsg_iommu_state(sr, o->kmsg_in, &a->summary, &a->omitted);
	qdh_handover_find(sr, &o->ho, &a->h);
	v = qdh_handover_view(&a->h);
	/* a kernel with the kexec-qdh SMMU patches shows its streams */
	apply_kernel_read(sr, v, &a->kern);
	r = qdh_now_scan(sr, v, &a->now, o->log);
	if (r < 0) {
		*fault = QDH_APPLY_FAULT_DEVICES;
		return r;
	}
	/* Every file read; the decision is a function of memory (plan.c). */
	for (i = 0; i < o->ndump_targets && i < QDH_APPLY_MAX_DUMP_TARGETS; i++) {
		dump[i].arg = o->dump_targets[i];
		dump_target_path(sr, o->dump_targets[i], dump_path[i], sizeof(dump_path[i]));
		dump[i].path = dump_path[i];
	}
	pin.v = v;
	pin.now = &a->now;
	pin.fail_safe = o->fail_safe;
	pin.hotplug = o->hotplug;
	pin.dump = dump;
	pin.ndump = i;
	r = apply_plan(&pin, &a->it);
	if (r < 0) {
		*fault = QDH_APPLY_FAULT_PLAN;
		return r;
	}
	for (i = 0; i < pin.ndump; i++)
		if (!dump[i].found)
			qdh_logf(o->log, QDH_LOG_WARN, "dump target '%s' not found among present devices",
				 o->dump_targets[i]);
	return 0;
}

/*
 * Act: aborts (stop DMA) before resets.  Only a device acted on has steps:
 * an empty array per device was a third of apply's memory at 100,000
 * devices.
 */
static void enforce(const struct qdh_sysroot *sr, const struct qdh_apply_opts *o,
		    struct qdh_apply *a)
{
	const struct qdh_view *v = qdh_handover_view(&a->h);
	struct apply_items *it = &a->it;
	size_t k;

	for (k = 0; k < it->n; k++)
		if (it->v[k].dec == QDH_DEC_ABORT || it->v[k].dec == QDH_DEC_RESET_ATTACH)
			it->v[k].steps = json_object_new_array();
	for (k = 0; k < it->n; k++)
		if (it->v[k].dec == QDH_DEC_ABORT)
			it->v[k].err = qdh_enforce_abort(sr, it->v[k].now, o->dry_run, it->v[k].steps);
	for (k = 0; k < it->n; k++)
		if (it->v[k].dec == QDH_DEC_RESET_ATTACH)
			it->v[k].err = qdh_enforce_reset(sr, it->v[k].now, o->dry_run, it->v[k].steps);
	/*
	 * A device stopped above (not one a built-in driver holds) no longer
	 * needs the streams a patched kernel kept for it: release them.
	 */
	for (k = 0; k < it->n; k++)
		if (it->v[k].in_blob && !it->v[k].err && it->v[k].now && !it->v[k].now->driver[0] &&
		    (it->v[k].dec == QDH_DEC_ABORT || it->v[k].dec == QDH_DEC_RESET_ATTACH))
			it->v[k].err = apply_kernel_release(sr, &a->kern, v, &it->v[k].bi,
							    o->dry_run, it->v[k].steps);
	apply_kernel_refresh(sr, &a->kern);
}

/* The report's root: everything but the devices, which are streamed. */
static int build_report(const struct qdh_sysroot *sr, const struct qdh_apply_opts *o,
			struct qdh_apply *a)
{
	const struct qdh_handover *h = &a->h;
	int ok = qdh_handover_view(h) != NULL, failed = 0, r;
	struct json_object *root, *pol, *io, *cnt;
	size_t k;

	root = a->root = json_object_new_object();
	json_object_object_add(root, "program", json_object_new_string(prog));
	json_object_object_add(root, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(root, "mode", json_object_new_string(o->dry_run ? "dry-run" : "enforce"));
	json_object_object_add(root, "sysroot", json_object_new_string(sr->prefix));
	pol = json_object_new_object();
	json_object_object_add(pol, "fail_safe", json_object_new_string(qdh_fail_safe_name(o->fail_safe)));
	json_object_object_add(pol, "hotplug", json_object_new_string(qdh_hotplug_name(o->hotplug)));
	json_object_object_add(root, "policy", pol);
	json_object_object_add(root, "handover", apply_json_handover(h));
	json_object_object_add(root, "fail_safe_applied", json_object_new_boolean(!ok));
	io = json_object_new_object();
	json_object_object_add(io, "source", json_object_new_string(
		ok && h->src[h->best].purgatory_ran ? "purgatory-record" : "kernel-messages"));
	json_object_object_add(io, "summary", json_object_new_string(a->summary));
	json_object_object_add(io, "messages", a->msgs);
	a->msgs = NULL;
	json_object_object_add(io, "omitted", json_object_new_int64((int64_t)a->omitted));
	json_object_object_add(root, "iommu_state", io);
	if (a->kern.n)	/* only a patched kernel has anything to say */
		json_object_object_add(root, "kernel", apply_kernel_json(&a->kern));
	apply_kernel_free(&a->kern);
	/* Streamed, not built: see report.c. */
	a->devs = (struct qdh_apply_devs){ .n = a->it.n, .json = item_json_at, .ctx = &a->it };
	r = apply_stream_begin(root, &a->st);
	cnt = json_object_new_object();
	for (k = 0; k < a->it.n; k++) {
		count(cnt, qdh_decision_name(a->it.v[k].dec));
		if (a->it.v[k].err) {
			count(cnt, "failed");
			failed++;
		}
	}
	if (!json_object_object_get_ex(cnt, "failed", NULL))
		json_object_object_add(cnt, "failed", json_object_new_int(0));
	json_object_object_add(root, "counts", cnt);
	a->outcome = !ok || h->ninvalid || failed ? QDH_APPLY_DEGRADED : QDH_APPLY_OK;
	return r;
}

/* The report file and the kernel-log lines, as the options ask. */
static void publish(const struct qdh_sysroot *sr, const struct qdh_apply_opts *o,
		    struct qdh_apply *a)
{
	char shown[600];
	int r;

	/* In a dry run only an explicitly named report file is written. */
	if (!o->no_report && (!o->dry_run || o->report)) {
		json_object_object_add(a->root, "report", json_object_new_string(
			o->report ? o->report : QDH_APPLY_REPORT_DEFAULT));
		json_object_object_add(a->root, "exit_code", json_object_new_int(a->outcome));
		r = apply_write_report(sr, o->report, a->st, a->root, &a->devs, shown, sizeof(shown));
		if (r < 0) {
			qdh_logf(o->log, QDH_LOG_ERR, "%s: cannot write report: %s", shown, strerror(-r));
			a->outcome = QDH_APPLY_IO_ERROR;
		}
	}
	json_object_object_add(a->root, "exit_code", json_object_new_int(a->outcome));
	if (!o->dry_run && !o->no_kmsg_log && apply_kmsg_log(sr, a->root, &a->devs) < 0)
		qdh_logf(o->log, QDH_LOG_WARN, "cannot write to the kernel log");
}

int qdh_apply_run(const struct qdh_sysroot *sr, const struct qdh_apply_opts *o,
		  struct qdh_apply **out, enum qdh_apply_fault *fault)
{
	struct qdh_apply *a;
	int r;

	*out = NULL;
	*fault = QDH_APPLY_FAULT_NONE;
	/*
	 * On a running production system this would cut off NICs and disks;
	 * only a crash kernel (it has /proc/vmcore) or an explicit force
	 * enforces on the live system (by identity: qdh_sysroot_is_live()).
	 */
	if (!o->dry_run && !o->force && qdh_sysroot_is_live(sr) && !running_crash_kernel()) {
		*fault = QDH_APPLY_FAULT_NOT_CRASH;
		return -EPERM;
	}
	a = calloc(1, sizeof(*a));
	if (!a) {
		*fault = QDH_APPLY_FAULT_PLAN;
		return -ENOMEM;
	}
	r = plan(sr, o, a, fault);
	if (r == 0) {
		enforce(sr, o, a);
		r = build_report(sr, o, a);
		if (r < 0)
			*fault = QDH_APPLY_FAULT_REPORT;
	}
	if (r < 0) {
		qdh_apply_free(a);
		return r;
	}
	publish(sr, o, a);
	*out = a;
	return 0;
}

enum qdh_apply_outcome qdh_apply_outcome(const struct qdh_apply *a)
{
	return a->outcome;
}

struct json_object *qdh_apply_report(const struct qdh_apply *a)
{
	return a->root;
}

const struct qdh_apply_devs *qdh_apply_devices(const struct qdh_apply *a)
{
	return &a->devs;
}

int qdh_apply_print_json(const struct qdh_apply *a, FILE *out)
{
	return apply_stream_json(a->st, a->root, &a->devs, out);
}

void qdh_apply_free(struct qdh_apply *a)
{
	size_t k;

	if (!a)
		return;
	for (k = 0; k < a->it.n; k++)
		json_object_put(a->it.v[k].steps);
	apply_stream_free(a->st);
	json_object_put(a->root);
	json_object_put(a->msgs);
	apply_kernel_free(&a->kern);
	apply_items_free(&a->it);
	qdh_now_free(&a->now);
	qdh_handover_free(&a->h);
	free(a);
}
