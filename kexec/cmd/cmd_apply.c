// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qdh apply: in the crash kernel's initramfs, before udev binds drivers,
 * decide per device abort / attach / reset-then-attach from the QDH
 * handover and enforce it (doc/apply.md).
 *
 * Exit codes: 0 the handover was valid and every action worked; 1 the
 * handover was missing or invalid (fail-safe applied), a copy of it was
 * invalid, or an action failed; 2 usage or I/O error.  The initramfs
 * scripts ignore them: nothing here may stop a crash kernel from booting.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply-internal.h"
#include "kernel.h"
#include "commands.h"
#include "qdh/inventory.h"
#include "qdh/output.h"
#include "qdh/pcidev.h"

static const char prog[] = "qdh apply";

static void usage(FILE *f)
{
	fprintf(f,
"Usage: qdh apply [OPTIONS]\n"
"Crash kernel: decide abort / attach / reset-then-attach per device from the\n"
"QDH handover and enforce it through sysfs.\n\n"
"  -n, --dry-run           print the decisions, touch nothing\n"
"      --fail-safe=MODE    no valid handover: observe (default: warn, touch\n"
"                          nothing) or strict (abort all but bridges and\n"
"                          dump targets)\n"
"      --hotplug=POLICY    present now, not in the blob: abort (default) or attach\n"
"      --dump-target=DEV   also treat DEV as a dump target (PCI address,\n"
"                          platform device, block or net device name); repeatable\n"
"      --sysroot=DIR       read and write the system under DIR\n"
"      --blob=FILE         use this raw QDH blob (over the system's copies)\n"
"      --vmcore=FILE       read the QDH note from FILE instead of /proc/vmcore\n"
"      --kmsg=FILE         read kernel messages from FILE instead of /dev/kmsg\n"
"      --report=FILE       JSON report file (default %s under the sysroot)\n"
"      --no-report         write no report file\n"
"      --no-kmsg           do not log decisions to the kernel log\n"
"      --force             enforce even where /proc/vmcore is absent\n"
"  -j, --json              print the report as JSON on stdout\n"
"  -h, --help              this text\n\n"
"Exit: 0 ok; 1 handover missing/invalid (fail-safe applied) or an action\n"
"failed; 2 usage or I/O error.\n", QDH_APPLY_REPORT_DEFAULT);
}

static int parse_opts(int argc, char **argv, struct apply_opts *o)
{
	enum { O_FAILSAFE = 256, O_HOTPLUG, O_DUMP, O_SYSROOT, O_BLOB, O_VMCORE,
	       O_KMSG, O_REPORT, O_NOREPORT, O_NOKMSG, O_FORCE, O_SKIP };
	static const struct option lo[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "fail-safe", required_argument, NULL, O_FAILSAFE },
		{ "hotplug", required_argument, NULL, O_HOTPLUG },
		{ "dump-target", required_argument, NULL, O_DUMP },
		{ "sysroot", required_argument, NULL, O_SYSROOT },
		{ "blob", required_argument, NULL, O_BLOB },
		{ "vmcore", required_argument, NULL, O_VMCORE },
		{ "kmsg", required_argument, NULL, O_KMSG },
		{ "report", required_argument, NULL, O_REPORT },
		{ "no-report", no_argument, NULL, O_NOREPORT },
		{ "no-kmsg", no_argument, NULL, O_NOKMSG },
		{ "force", no_argument, NULL, O_FORCE },
		/* Test hook: pretend a source is not there. */
		{ "ignore-source", required_argument, NULL, O_SKIP },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, i;

	memset(o, 0, sizeof(*o));
	optind = 0;
	while ((c = getopt_long(argc, argv, "njh", lo, NULL)) != -1) {
		switch (c) {
		case 'n': o->dry_run = 1; break;
		case 'j': o->json = 1; break;
		case 'h': usage(stdout); return 1;
		case O_FAILSAFE:
			if (!strcmp(optarg, "observe"))
				o->fail_safe = QDH_FAILSAFE_OBSERVE;
			else if (!strcmp(optarg, "strict"))
				o->fail_safe = QDH_FAILSAFE_STRICT;
			else
				goto bad;
			break;
		case O_HOTPLUG:
			if (!strcmp(optarg, "abort"))
				o->hotplug = QDH_HOTPLUG_ABORT;
			else if (!strcmp(optarg, "attach"))
				o->hotplug = QDH_HOTPLUG_ATTACH;
			else
				goto bad;
			break;
		case O_DUMP:
			if (o->ndump_targets >= QDH_APPLY_MAX_DUMP_TARGETS)
				goto bad;
			o->dump_targets[o->ndump_targets++] = optarg;
			break;
		case O_SYSROOT: o->sysroot = optarg; break;
		case O_BLOB: o->ho.blob_file = optarg; break;
		case O_VMCORE: o->ho.vmcore = optarg; break;
		case O_KMSG: o->kmsg_in = optarg; break;
		case O_REPORT: o->report = optarg; break;
		case O_NOREPORT: o->no_report = 1; break;
		case O_NOKMSG: o->no_kmsg_log = 1; break;
		case O_FORCE: o->force = 1; break;
		case O_SKIP:
			for (i = 0; i < QDH_NSRC; i++) {
				static const char *const n[] = { "chosen", "vmcore", "initrd", "file" };

				if (!strcmp(optarg, n[i]))
					break;
			}
			if (i == QDH_NSRC)
				goto bad;
			o->ho.skip[i] = 1;
			break;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "%s: bad value '%s' (or too many --dump-target)\n", prog, optarg);
	usage(stderr);
	return -1;
}

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

static void reasons_text(uint16_t reasons, char *buf, size_t cap)
{
	size_t o = 0;
	unsigned bit;

	buf[0] = '\0';
	for (bit = 0; bit < 16; bit++) {
		const char *n;
		int w;

		if (!(reasons & (1u << bit)))
			continue;
		n = qdh_reason_name(bit);
		w = snprintf(buf + o, cap - o, "%s%s", o ? "," : "", n ? n : "?");
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
}

/* "failed", "skipped" (a deliberate non-action), "ok", or NULL: nothing to do. */
static const char *result_of(const struct apply_item *x)
{
	size_t i, n = x->steps ? json_object_array_length(x->steps) : 0;

	if (x->err)
		return "failed";
	for (i = 0; i < n; i++)
		if (!strncmp(qdh_json_str(json_object_array_get_idx(x->steps, i),
					  "result", ""), "skipped", 7))
			return "skipped";
	return n ? "ok" : NULL;
}

static struct json_object *item_json(const struct apply_item *x)
{
	struct json_object *o = json_object_new_object();
	char reasons[256], log[400], clean[200];

	json_object_object_add(o, "device", json_object_new_string(
		qdh_printable(x->name, sizeof(x->name), clean, sizeof(clean))));
	json_object_object_add(o, "bus", json_object_new_string(x->is_platform ? "platform" : "pci"));
	json_object_object_add(o, "decision", json_object_new_string(qdh_decision_name(x->dec)));
	json_object_object_add(o, "why", json_object_new_string(x->why));
	json_object_object_add(o, "in_blob", json_object_new_boolean(x->in_blob));
	json_object_object_add(o, "present", json_object_new_boolean(x->now != NULL));
	reasons[0] = '\0';
	if (x->in_blob) {
		struct json_object *b = json_object_new_object();

		reasons_text(x->bi.reasons, reasons, sizeof(reasons));
		json_object_object_add(b, "state", json_object_new_string(qdh_state_name(x->bi.state)));
		json_object_object_add(b, "hint", json_object_new_string(qdh_action_name(x->bi.action)));
		json_object_object_add(b, "reasons", json_object_new_string(reasons));
		if (!x->is_platform) {
			char id[16];

			apply_fmt(id, sizeof(id), "%04x:%04x", x->bi.vendor, x->bi.device);
			json_object_object_add(b, "id", json_object_new_string(id));
		}
		json_object_object_add(o, "blob", b);
	}
	if (x->now) {
		struct json_object *n = json_object_new_object();

		json_object_object_add(n, "path", json_object_new_string(
			qdh_printable(x->now->path, sizeof(x->now->path), log, sizeof(log))));
		json_object_object_add(n, "driver", json_object_new_string(x->now->driver));
		if (x->now->command >= 0) {
			char c[16];

			apply_fmt(c, sizeof(c), "0x%04x", (unsigned)x->now->command);
			json_object_object_add(n, "command", json_object_new_string(c));
		}
		json_object_object_add(n, "reset_method", json_object_new_string(x->now->reset_method));
		json_object_object_add(o, "now", n);
	}
	json_object_object_add(o, "dump_target", json_object_new_boolean(x->dump_target));
	json_object_object_add(o, "dump_parent", json_object_new_boolean(x->dump_parent));
	json_object_object_add(o, "bridge", json_object_new_boolean(x->bridge));
	/* The kernel-log line: "abort (active: driver-bound,bus-master-on)". */
	apply_fmt(log, sizeof(log), "%s%s%s", x->why,
		  !reasons[0] ? "" : strchr(x->why, ':') ? "; blob: " : ": ", reasons);
	json_object_object_add(o, "log_reason", json_object_new_string(log));
	json_object_object_add(o, "result", result_of(x) ?
			       json_object_new_string(result_of(x)) : NULL);
	json_object_object_add(o, "steps", x->steps ? json_object_get(x->steps) :
			       json_object_new_array());
	return o;
}

/* The report's devices, one object at a time (struct apply_devs). */
static struct json_object *item_json_at(void *ctx, size_t i)
{
	return item_json(&((const struct apply_items *)ctx)->v[i]);
}

static void count(struct json_object *cnt, const char *key)
{
	json_object_object_add(cnt, key, json_object_new_int64(qdh_json_int(cnt, key, 0) + 1));
}

static int run(const struct apply_opts *o, struct qdh_sysroot *sr)
{
	struct qdh_log log = { qdh_log_stderr, (void *)prog, QDH_LOG_WARN };
	struct qdh_handover h;
	struct apply_kernel kern;
	struct qdh_now now;
	struct apply_items it;
	struct apply_plan_in pin;
	struct apply_dump_target dump[QDH_APPLY_MAX_DUMP_TARGETS];
	char dump_path[QDH_APPLY_MAX_DUMP_TARGETS][600];
	struct json_object *root, *cnt, *pol, *io, *msgs;
	struct apply_devs devs;
	struct apply_stream *st = NULL;
	const struct qdh_view *v;
	const char *summary;
	char shown[600];
	int r, i, ok, failed = 0, code = QDH_EXIT_OK;
	size_t k, omitted;

	/* Read the kernel log before we add our own lines to it. */
	msgs = qdh_kmsg_iommu_state(sr, o->kmsg_in, &summary, &omitted);
	qdh_handover_find(sr, &o->ho, &h);
	v = qdh_handover_view(&h);
	ok = v != NULL;
	/* a kernel with the kexec-qdh SMMU patches shows its streams */
	apply_kernel_read(sr, v, &kern);
	r = qdh_now_scan(sr, v, &now, &log);
	if (r < 0) {
		qdh_output_error(o->json, prog, QDH_PATH_PCI_DEVICES, -1,
				 "cannot list devices: %s", strerror(-r));
		json_object_put(msgs);
		apply_kernel_free(&kern);
		qdh_handover_free(&h);
		return QDH_EXIT_USAGE;
	}
	/* Every file read; the decision is a function of memory (plan.c). */
	for (i = 0; i < o->ndump_targets; i++) {
		dump[i].arg = o->dump_targets[i];
		dump_target_path(sr, o->dump_targets[i], dump_path[i], sizeof(dump_path[i]));
		dump[i].path = dump_path[i];
	}
	pin.v = v;
	pin.now = &now;
	pin.fail_safe = o->fail_safe;
	pin.hotplug = o->hotplug;
	pin.dump = dump;
	pin.ndump = o->ndump_targets;
	r = apply_plan(&pin, &it);
	if (r < 0) {
		qdh_output_error(o->json, prog, NULL, -1, "%s", strerror(-r));
		json_object_put(msgs);
		apply_items_free(&it);
		qdh_now_free(&now);
		qdh_handover_free(&h);
		return QDH_EXIT_USAGE;
	}
	for (i = 0; i < o->ndump_targets; i++)
		if (!dump[i].found)
			qdh_logf(&log, QDH_LOG_WARN, "dump target '%s' not found among present devices",
				 o->dump_targets[i]);

	/*
	 * Then act: aborts (stop DMA) before resets.  Only a device acted on
	 * has steps: an empty array per device was a third of apply's
	 * memory at 100,000 devices.
	 */
	for (k = 0; k < it.n; k++)
		if (it.v[k].dec == QDH_DEC_ABORT || it.v[k].dec == QDH_DEC_RESET_ATTACH)
			it.v[k].steps = json_object_new_array();
	for (k = 0; k < it.n; k++)
		if (it.v[k].dec == QDH_DEC_ABORT)
			it.v[k].err = qdh_enforce_abort(sr, it.v[k].now, o->dry_run, it.v[k].steps);
	for (k = 0; k < it.n; k++)
		if (it.v[k].dec == QDH_DEC_RESET_ATTACH)
			it.v[k].err = qdh_enforce_reset(sr, it.v[k].now, o->dry_run, it.v[k].steps);
	/*
	 * A device stopped above (not one a built-in driver holds) no longer
	 * needs the streams a patched kernel kept for it: release them.
	 */
	for (k = 0; k < it.n; k++)
		if (it.v[k].in_blob && !it.v[k].err && it.v[k].now && !it.v[k].now->driver[0] &&
		    (it.v[k].dec == QDH_DEC_ABORT || it.v[k].dec == QDH_DEC_RESET_ATTACH))
			it.v[k].err = apply_kernel_release(sr, &kern, v, &it.v[k].bi,
							   o->dry_run, it.v[k].steps);
	apply_kernel_refresh(sr, &kern);

	root = json_object_new_object();
	json_object_object_add(root, "program", json_object_new_string(prog));
	json_object_object_add(root, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(root, "mode", json_object_new_string(o->dry_run ? "dry-run" : "enforce"));
	json_object_object_add(root, "sysroot", json_object_new_string(sr->prefix));
	pol = json_object_new_object();
	json_object_object_add(pol, "fail_safe", json_object_new_string(qdh_fail_safe_name(o->fail_safe)));
	json_object_object_add(pol, "hotplug", json_object_new_string(qdh_hotplug_name(o->hotplug)));
	json_object_object_add(root, "policy", pol);
	json_object_object_add(root, "handover", apply_json_handover(&h));
	json_object_object_add(root, "fail_safe_applied", json_object_new_boolean(!ok));
	io = json_object_new_object();
	json_object_object_add(io, "source", json_object_new_string(
		ok && h.src[h.best].purgatory_ran ? "purgatory-record" : "kernel-messages"));
	json_object_object_add(io, "summary", json_object_new_string(summary));
	json_object_object_add(io, "messages", msgs);
	json_object_object_add(io, "omitted", json_object_new_int64((int64_t)omitted));
	json_object_object_add(root, "iommu_state", io);
	if (kern.n)	/* only a patched kernel has anything to say */
		json_object_object_add(root, "kernel", apply_kernel_json(&kern));
	apply_kernel_free(&kern);
	/* Streamed, not built: see report.c. */
	devs = (struct apply_devs){ .n = it.n, .json = item_json_at, .ctx = &it };
	r = apply_stream_begin(root, &st);
	cnt = json_object_new_object();
	for (k = 0; k < it.n; k++) {
		count(cnt, qdh_decision_name(it.v[k].dec));
		if (it.v[k].err) {
			count(cnt, "failed");
			failed++;
		}
	}
	if (!json_object_object_get_ex(cnt, "failed", NULL))
		json_object_object_add(cnt, "failed", json_object_new_int(0));
	json_object_object_add(root, "counts", cnt);
	if (r < 0) {
		qdh_logf(&log, QDH_LOG_ERR, "cannot render the report: %s", strerror(-r));
		code = QDH_EXIT_USAGE;
		goto out;
	}

	if (!ok || h.ninvalid || failed)
		code = QDH_EXIT_INVALID;
	/* In a dry run only an explicitly named report file is written. */
	if (!o->no_report && (!o->dry_run || o->report)) {
		json_object_object_add(root, "report", json_object_new_string(
			o->report ? o->report : QDH_APPLY_REPORT_DEFAULT));
		json_object_object_add(root, "exit_code", json_object_new_int(code));
		r = apply_write_report(sr, o->report, st, root, &devs, shown, sizeof(shown));
		if (r < 0) {
			qdh_logf(&log, QDH_LOG_ERR, "%s: cannot write report: %s", shown, strerror(-r));
			code = QDH_EXIT_USAGE;
		}
	}
	json_object_object_add(root, "exit_code", json_object_new_int(code));
	if (!o->dry_run && !o->no_kmsg_log && apply_kmsg_log(sr, root, &devs) < 0)
		qdh_logf(&log, QDH_LOG_WARN, "cannot write to the kernel log");
	if (o->json) {
		r = apply_stream_json(st, root, &devs, stdout);
	} else {
		apply_render_text(root, &devs, stdout);
		r = fflush(stdout) == EOF || ferror(stdout) ? -EIO : 0;
	}
	if (r < 0 && code == QDH_EXIT_OK)
		code = QDH_EXIT_USAGE;
out:
	for (k = 0; k < it.n; k++)
		json_object_put(it.v[k].steps);
	apply_stream_free(st);
	json_object_put(root);
	apply_items_free(&it);
	qdh_now_free(&now);
	qdh_handover_free(&h);
	return code;
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

int cmd_apply(int argc, char **argv)
{
	struct apply_opts o;
	struct qdh_sysroot sr;
	int r = parse_opts(argc, argv, &o), code;

	if (r)
		return r > 0 ? QDH_EXIT_OK : QDH_EXIT_USAGE;
	r = qdh_sysroot_open(&sr, o.sysroot);
	if (r < 0) {
		qdh_output_error(o.json, prog, o.sysroot ? o.sysroot : "/", -1,
				 "cannot open sysroot: %s", strerror(-r));
		return QDH_EXIT_USAGE;
	}
	/*
	 * On a running production system this would cut off NICs and disks;
	 * only a crash kernel (it has /proc/vmcore) or an explicit --force
	 * enforces on the live system (by identity: qdh_sysroot_is_live()).
	 */
	if (!o.dry_run && !o.force && qdh_sysroot_is_live(&sr) &&
	    !running_crash_kernel()) {
		qdh_output_error(o.json, prog, QDH_PATH_VMCORE, -1,
				 "not a crash kernel: refusing to enforce (use --dry-run or --force)");
		qdh_sysroot_close(&sr);
		return QDH_EXIT_USAGE;
	}
	code = run(&o, &sr);
	qdh_sysroot_close(&sr);
	return code;
}
