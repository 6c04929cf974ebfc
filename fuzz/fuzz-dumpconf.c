/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What dump-target detection reads as text (kexec/scan/dumpconf.c): the
 * same bytes as a kernel command line, /etc/default/kdump-tools,
 * /etc/kdump.conf and /etc/fstab.  Every need that comes out must be
 * well-formed: a known kind, NUL-terminated strings, an error exactly when
 * the kind is unknown.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../kexec/scan/scan.h"
#include "fuzz.h"

static void check(const struct qdh_dump_needs *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++) {
		const struct qdh_dump_need *n = &ns->v[i];

		if (n->kind > QDH_NEED_UNKNOWN ||
		    !memchr(n->origin, 0, sizeof(n->origin)) ||
		    !memchr(n->value, 0, sizeof(n->value)) ||
		    !memchr(n->error, 0, sizeof(n->error)) ||
		    (n->kind == QDH_NEED_UNKNOWN) != (n->error[0] != '\0'))
			abort();
		if (n->kind == QDH_NEED_PATH && n->value[0] != '/')
			abort();	/* directories are absolute or unknown */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qdh_dump_needs ns = { NULL, 0, 0 };
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';		/* a command line is a C string */
	if (qdh_dump_needs_cmdline(&ns, s, "cmdline") == 0)
		check(&ns);
	qdh_dump_needs_free(&ns);
	if (qdh_dump_needs_kdump_tools(&ns, "kdump-tools", (const char *)data, size) == 0)
		check(&ns);
	qdh_dump_needs_free(&ns);
	if (qdh_dump_needs_kdump_conf(&ns, "kdump.conf", (const char *)data, size) == 0)
		check(&ns);
	qdh_dump_needs_free(&ns);
	if (qdh_dump_needs_fstab(&ns, "fstab", (const char *)data, size) == 0)
		check(&ns);
	qdh_dump_needs_free(&ns);
	free(s);
	return 0;
}
