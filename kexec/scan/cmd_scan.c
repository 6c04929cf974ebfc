// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until 'qdh scan' lands. */
#include "config.h"

#include <stdio.h>

#include "qdh/commands.h"

int cmd_scan(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "qdh %s: not implemented yet\n", argv[0]);
	return QDH_EXIT_USAGE;
}
