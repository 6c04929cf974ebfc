// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Command line of kexec-qdh: one getopt_long pass.  The kexec-tools options
 * that kdump-tools, kdump-utils and people use keep their kexec-tools
 * meaning; kexec-tools options we do not implement are recognised only to
 * hand the whole argv to kexec-tools, never dropped.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qdh/loader.h"

enum {
	OPT_COMMAND_LINE = 256, OPT_APPEND, OPT_REUSE_CMDLINE, OPT_INITRD,
	OPT_DTB, OPT_ARGS_LINUX, OPT_QDH, OPT_QDH_POLICY, OPT_QDH_DUMP_TARGET,
	OPT_SYSROOT, OPT_DRY_RUN,
	OPT_KEXEC_TOOLS_ONLY,	/* recognised, implemented by kexec-tools */
};

/* kexec-tools (generic and per-arch) options that only kexec-tools has. */
#define KT(name, arg) { name, arg, NULL, OPT_KEXEC_TOOLS_ONLY }

static const struct option long_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ "debug", no_argument, NULL, 'd' },
	{ "force", no_argument, NULL, 'f' },
	{ "no-checks", no_argument, NULL, 'i' },
	{ "no-ifdown", no_argument, NULL, 'x' },
	{ "no-sync", no_argument, NULL, 'y' },
	{ "load", no_argument, NULL, 'l' },
	{ "load-panic", no_argument, NULL, 'p' },
	{ "unload", no_argument, NULL, 'u' },
	{ "exec", no_argument, NULL, 'e' },
	{ "type", required_argument, NULL, 't' },
	{ "kexec-file-syscall", no_argument, NULL, 's' },
	{ "kexec-syscall", no_argument, NULL, 'c' },
	{ "kexec-syscall-auto", no_argument, NULL, 'a' },
	{ "status", no_argument, NULL, 'S' },
	{ "command-line", required_argument, NULL, OPT_COMMAND_LINE },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "reuse-cmdline", no_argument, NULL, OPT_REUSE_CMDLINE },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "ramdisk", required_argument, NULL, OPT_INITRD },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "args-linux", no_argument, NULL, OPT_ARGS_LINUX },
	{ "qdh", required_argument, NULL, OPT_QDH },
	{ "qdh-policy", required_argument, NULL, OPT_QDH_POLICY },
	{ "qdh-dump-target", required_argument, NULL, OPT_QDH_DUMP_TARGET },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "dry-run", required_argument, NULL, OPT_DRY_RUN },
	KT("mem-min", required_argument), KT("mem-max", required_argument),
	KT("entry", required_argument), KT("reuseinitrd", no_argument),
	KT("print-ckr-size", no_argument), KT("hotplug", no_argument),
	KT("load-preserve-context", no_argument),
	KT("load-jump-back-helper", no_argument),
	KT("load-live-update", no_argument), KT("exec-live-update", no_argument),
	KT("args-elf", no_argument), KT("args-none", no_argument),
	KT("real-mode", no_argument), KT("entry-32bit", no_argument),
	KT("module", required_argument), KT("serial", required_argument),
	KT("serial-baud", required_argument), KT("console-vga", no_argument),
	KT("console-serial", no_argument), KT("reset-vga", no_argument),
	KT("pass-memmap-cmdline", no_argument), KT("noefi", no_argument),
	KT("reuse-video-type", no_argument), KT("elf32-core-headers", no_argument),
	KT("elf64-core-headers", no_argument), KT("image", required_argument),
	KT("page-offset", required_argument),
	{ NULL, 0, NULL, 0 },
};

static const char short_options[] = "hvdfixylpuet:scaS";

void qdh_ld_usage(void)
{
	printf("Usage: kexec-qdh [OPTION]... [kernel]\n"
	       "Load a kernel for kexec or kdump with a quiesced-device handover.\n\n"
	       " -h, --help           Print this help.\n"
	       " -v, --version        Print the version.\n"
	       " -f, --force          Load and kexec at once, without shutdown(8).\n"
	       " -i, --no-checks      Purgatory skips the SHA-256 segment check.\n"
	       " -x, --no-ifdown      Do not bring network interfaces down before -e.\n"
	       " -y, --no-sync        Do not sync file systems before -e.\n"
	       " -l, --load           Load the kernel for a later kexec -e.\n"
	       " -p, --load-panic     Load the kernel for use on panic (kdump).\n"
	       " -u, --unload         Unload (with -p: the crash kernel).\n"
	       " -e, --exec           Boot the loaded kernel now.\n"
	       " -t, --type=TYPE      Kernel type; kexec-qdh handles Image itself.\n"
	       " -s, --kexec-file-syscall  Use kexec_file_load (blob in the initrd).\n"
	       " -c, --kexec-syscall  Use kexec_load (default).\n"
	       " -a, --kexec-syscall-auto  Try kexec_file_load, then kexec_load.\n"
	       " -d, --debug          Print what is done and how long it took.\n"
	       " -S, --status         Exit 1 if the type (default: crash) is loaded,\n"
	       "                      0 if not.\n"
	       "     --command-line=STRING, --append=STRING  Kernel command line.\n"
	       "     --reuse-cmdline  Start from the running kernel's command line.\n"
	       "     --initrd=FILE, --ramdisk=FILE  Initial ramdisk.\n"
	       "     --dtb=FILE       Device tree (default: the running one).\n"
	       "     --args-linux     Accepted; Linux arguments are the only kind.\n\n"
	       "QDH options:\n"
	       "     --qdh=on|off|require  Hand over the device inventory (default on;\n"
	       "                      require: fail the load if the scan fails).\n"
	       "     --qdh-policy FILE     Verdict and purgatory policy.\n"
	       "     --qdh-dump-target X   Device or path the dump is saved to.\n"
	       "     --sysroot DIR         Read /sys and /proc below DIR.\n"
	       "     --dry-run DIR         Write segments and manifest.json to DIR\n"
	       "                           instead of loading (no privilege needed).\n\n"
	       "Other kexec-tools options and kernel types are handed to %s\n"
	       "(environment QDH_KEXEC_TOOLS overrides).\n", KEXEC_TOOLS_PATH);
}

int qdh_ld_is_qdh_option(const char *arg, int *takes_next)
{
	static const char *const with_arg[] = {
		"--qdh-policy", "--qdh-dump-target", "--sysroot", "--dry-run", "--qdh",
	};
	size_t i;

	*takes_next = 0;
	for (i = 0; i < sizeof(with_arg) / sizeof(with_arg[0]); i++) {
		size_t n = strlen(with_arg[i]);

		if (strncmp(arg, with_arg[i], n))
			continue;
		if (arg[n] == '=')
			return 1;
		if (arg[n] == '\0') {
			*takes_next = 1;
			return 1;
		}
	}
	return 0;
}

static int parse_qdh_mode(const char *s, enum qdh_ld_qdh_mode *m)
{
	if (!strcmp(s, "on"))
		*m = QDH_MODE_ON;
	else if (!strcmp(s, "off"))
		*m = QDH_MODE_OFF;
	else if (!strcmp(s, "require"))
		*m = QDH_MODE_REQUIRE;
	else
		return -1;
	return 0;
}

int qdh_ld_parse(int argc, char **argv, struct qdh_ld_opts *o)
{
	int opt, idx, skip_sync = 0, skip_ifdown = 0;

	memset(o, 0, sizeof(*o));
	/* getopt_long permutes argv; kexec-tools must get it as typed. */
	o->argc = argc;
	o->argv = calloc((size_t)argc + 1, sizeof(*o->argv));
	if (!o->argv)
		return QDH_LD_EXIT_FAIL;
	memcpy(o->argv, argv, (size_t)argc * sizeof(*argv));
	/* kexec-tools: without an operation, load and call shutdown(8). */
	o->do_load = 1;
	o->do_shutdown = 1;
	o->do_sync = 1;
	o->syscall = QDH_SC_LOAD;
	o->qdh = QDH_MODE_ON;

	opterr = 0;	/* unknown options go to kexec-tools, which reports */
	optind = 1;
	while ((opt = getopt_long(argc, argv, short_options, long_options,
				  &idx)) != -1) {
		switch (opt) {
		case 'h':
			qdh_ld_usage();
			return QDH_LD_EXIT_OK;
		case 'v':
			printf("kexec-qdh %s (kexec-tools compatible)\n", PACKAGE_VERSION);
			return QDH_LD_EXIT_OK;
		case 'd':
			o->debug = 1;
			break;
		case 'f':
			o->do_load = 1;
			o->do_shutdown = 0;
			o->do_sync = 1;
			o->do_ifdown = 1;
			o->do_exec = 1;
			break;
		case 'i':
			o->no_checks = 1;
			break;
		case 'x':
			skip_ifdown = 1;
			break;
		case 'y':
			skip_sync = 1;
			break;
		case 'l':
			o->has_opt_load = 1;
			o->do_load = 1;
			o->do_exec = 0;
			o->do_shutdown = 0;
			break;
		case 'p':
			o->do_load = 1;
			o->do_exec = 0;
			o->do_shutdown = 0;
			o->do_sync = 0;
			o->panic = 1;
			break;
		case 'u':
			o->do_load = 0;
			o->do_shutdown = 0;
			o->do_sync = 0;
			o->do_unload = 1;
			break;
		case 'e':
			o->do_load = 0;
			o->do_shutdown = 0;
			o->do_sync = 1;
			o->do_ifdown = 1;
			o->do_exec = 1;
			break;
		case 't':
			o->type = optarg;
			break;
		case 's':
			o->syscall = QDH_SC_FILE;
			o->syscall_given = 1;
			break;
		case 'c':
			o->syscall = QDH_SC_LOAD;
			o->syscall_given = 1;
			break;
		case 'a':
			o->syscall = QDH_SC_AUTO;
			o->syscall_given = 1;
			break;
		case 'S':
			o->do_status = 1;
			break;
		case OPT_COMMAND_LINE:
		case OPT_APPEND:
			/* As kexec-tools on arm64 and x86: both set the string
			 * added to --reuse-cmdline's base; the last one wins. */
			o->cmdline = optarg;
			break;
		case OPT_REUSE_CMDLINE:
			o->reuse_cmdline = 1;
			break;
		case OPT_INITRD:
			o->initrd = optarg;
			break;
		case OPT_DTB:
			o->dtb = optarg;
			break;
		case OPT_ARGS_LINUX:
			break;	/* the only argument style an Image has */
		case OPT_QDH:
			if (parse_qdh_mode(optarg, &o->qdh)) {
				fprintf(stderr, "kexec-qdh: --qdh=%s: expected on, off or require\n",
					optarg);
				return QDH_LD_EXIT_USAGE;
			}
			break;
		case OPT_QDH_POLICY:
			o->policy = optarg;
			break;
		case OPT_QDH_DUMP_TARGET:
			o->dump_target = optarg;
			break;
		case OPT_SYSROOT:
			o->sysroot = optarg;
			break;
		case OPT_DRY_RUN:
			o->dry_run = optarg;
			break;
		case OPT_KEXEC_TOOLS_ONLY:
			if (!o->handoff_reason)
				o->handoff_reason = long_options[idx].name;
			break;
		case '?':
		default:
			/* Unknown to us: kexec-tools may know it (another
			 * architecture's option) or will report the error. */
			if (!o->handoff_reason)
				o->handoff_reason = "an option kexec-qdh does not know";
			break;
		}
	}
	if (skip_ifdown)
		o->do_ifdown = 0;
	if (skip_sync)
		o->do_sync = 0;
	if (o->do_status) {
		/* kexec-tools: -S supersedes everything else. */
		if (!o->panic && !o->has_opt_load)
			o->panic = 1;
		o->do_load = o->do_unload = o->do_shutdown = 0;
		o->do_sync = o->do_ifdown = o->do_exec = 0;
	}
	if (optind < argc)
		o->kernel = argv[optind];
	if (!o->handoff_reason && optind + 1 < argc) {
		fprintf(stderr, "kexec-qdh: unexpected argument '%s' after the kernel\n",
			argv[optind + 1]);
		return QDH_LD_EXIT_USAGE;
	}
	/* kexec-tools' arm64 names: Image, and zImage for a gzipped one. */
	if (o->type && strcmp(o->type, "Image") && strcmp(o->type, "zImage") &&
	    !o->handoff_reason)
		o->handoff_reason = "a kernel type other than Image";
	if (o->do_load && !o->kernel && !o->handoff_reason) {
		fprintf(stderr, "kexec-qdh: no kernel specified\n");
		qdh_ld_usage();
		return QDH_LD_EXIT_USAGE;
	}
	if (o->dry_run && !o->do_load) {
		fprintf(stderr, "kexec-qdh: --dry-run needs a load (-l or -p)\n");
		return QDH_LD_EXIT_USAGE;
	}
	if (o->dry_run && o->handoff_reason) {
		fprintf(stderr, "kexec-qdh: --dry-run cannot be combined with %s "
			"(kexec-tools would have to do the load)\n", o->handoff_reason);
		return QDH_LD_EXIT_USAGE;
	}
	return -1;
}
