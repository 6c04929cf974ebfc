/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Subcommands of the `qdh` toolbox.  Each returns the process exit code.
 * Command code only: no library folder includes this (tests/cmd/).
 */
#ifndef QDH_COMMANDS_H
#define QDH_COMMANDS_H

/* argv[0] is the subcommand name; options follow (getopt_long). */
int cmd_inspect(int argc, char **argv);	/* kexec/cmd/cmd_inspect.c */
int cmd_scan(int argc, char **argv);	/* kexec/cmd/cmd_scan.c */
int cmd_capture(int argc, char **argv);	/* kexec/cmd/cmd_capture.c */
int cmd_apply(int argc, char **argv);	/* kexec/cmd/cmd_apply.c */

/* Exit codes shared by every subcommand (documented in qdh(8)). */
#define QDH_EXIT_OK		0
#define QDH_EXIT_INVALID	1	/* input read fine but is invalid */
#define QDH_EXIT_USAGE		2	/* bad usage, or I/O error */

#endif
