// SPDX-License-Identifier: GPL-2.0-or-later
/* qdh: the kexec-qdh toolbox.  Dispatches to one subcommand. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "scan", cmd_scan, "inventory DMA-capable devices and their IOMMUs" },
	{ "inspect", cmd_inspect, "validate and show a QDH blob (raw, DTB, ELF, initrd)" },
	{ "apply", cmd_apply, "crash kernel: decide and enforce abort/attach/reset" },
	{ "capture", cmd_capture, "snapshot the files scan reads into a tarball" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: qdh COMMAND [OPTIONS]\n\nCommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'qdh COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return QDH_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return QDH_EXIT_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("qdh (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return QDH_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "qdh: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return QDH_EXIT_USAGE;
}
