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

#include "qdh/apply.h"
#include "qdh/output.h"
#include "apply-text.h"
#include "commands.h"

static const char prog[] = "qdh apply";

/* The outcome a run records in its report is the exit code. */
_Static_assert(QDH_APPLY_OK == QDH_EXIT_OK && QDH_APPLY_DEGRADED == QDH_EXIT_INVALID &&
	       QDH_APPLY_IO_ERROR == QDH_EXIT_USAGE, "apply outcomes are qdh exit codes");

struct opts {
	const char *sysroot;
	int json;
	struct qdh_apply_opts a;	/* everything else is the library's */
};

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

static int parse_opts(int argc, char **argv, struct opts *o)
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
		case 'n': o->a.dry_run = 1; break;
		case 'j': o->json = 1; break;
		case 'h': usage(stdout); return 1;
		case O_FAILSAFE:
			if (!strcmp(optarg, "observe"))
				o->a.fail_safe = QDH_FAILSAFE_OBSERVE;
			else if (!strcmp(optarg, "strict"))
				o->a.fail_safe = QDH_FAILSAFE_STRICT;
			else
				goto bad;
			break;
		case O_HOTPLUG:
			if (!strcmp(optarg, "abort"))
				o->a.hotplug = QDH_HOTPLUG_ABORT;
			else if (!strcmp(optarg, "attach"))
				o->a.hotplug = QDH_HOTPLUG_ATTACH;
			else
				goto bad;
			break;
		case O_DUMP:
			if (o->a.ndump_targets >= QDH_APPLY_MAX_DUMP_TARGETS)
				goto bad;
			o->a.dump_targets[o->a.ndump_targets++] = optarg;
			break;
		case O_SYSROOT: o->sysroot = optarg; break;
		case O_BLOB: o->a.ho.blob_file = optarg; break;
		case O_VMCORE: o->a.ho.vmcore = optarg; break;
		case O_KMSG: o->a.kmsg_in = optarg; break;
		case O_REPORT: o->a.report = optarg; break;
		case O_NOREPORT: o->a.no_report = 1; break;
		case O_NOKMSG: o->a.no_kmsg_log = 1; break;
		case O_FORCE: o->a.force = 1; break;
		case O_SKIP:
			for (i = 0; i < QDH_NSRC; i++) {
				static const char *const n[] = { "chosen", "vmcore", "initrd", "file" };

				if (!strcmp(optarg, n[i]))
					break;
			}
			if (i == QDH_NSRC)
				goto bad;
			o->a.ho.skip[i] = 1;
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

/* What the user sees of a run that stopped (qdh_apply_run() said where). */
static int fault_exit(const struct opts *o, enum qdh_apply_fault fault, int r,
		      const struct qdh_log *log)
{
	switch (fault) {
	case QDH_APPLY_FAULT_NOT_CRASH:
		qdh_output_error(o->json, prog, QDH_PATH_VMCORE, -1,
				 "not a crash kernel: refusing to enforce (use --dry-run or --force)");
		break;
	case QDH_APPLY_FAULT_DEVICES:
		qdh_output_error(o->json, prog, QDH_PATH_PCI_DEVICES, -1,
				 "cannot list devices: %s", strerror(-r));
		break;
	case QDH_APPLY_FAULT_REPORT:
		qdh_logf(log, QDH_LOG_ERR, "cannot render the report: %s", strerror(-r));
		break;
	default:
		qdh_output_error(o->json, prog, NULL, -1, "%s", strerror(-r));
		break;
	}
	return QDH_EXIT_USAGE;
}

int cmd_apply(int argc, char **argv)
{
	struct qdh_log log = { qdh_log_stderr, (void *)prog, QDH_LOG_WARN };
	enum qdh_apply_fault fault;
	struct qdh_apply *run;
	struct opts o;
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
	o.a.log = &log;
	r = qdh_apply_run(&sr, &o.a, &run, &fault);
	qdh_sysroot_close(&sr);
	if (r < 0)
		return fault_exit(&o, fault, r, &log);
	code = (int)qdh_apply_outcome(run);
	if (o.json) {
		r = qdh_apply_print_json(run, stdout);
	} else {
		qdh_apply_render_text(qdh_apply_report(run), qdh_apply_devices(run), stdout);
		r = fflush(stdout) == EOF || ferror(stdout) ? -EIO : 0;
	}
	if (r < 0 && code == QDH_EXIT_OK)
		code = QDH_EXIT_USAGE;
	qdh_apply_free(run);
	return code;
}
