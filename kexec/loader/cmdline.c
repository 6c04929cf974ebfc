// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The next kernel's command line, as kexec-tools builds it:
 * --reuse-cmdline starts from the running kernel's (without BOOT_IMAGE=,
 * and without crashkernel= for a crash kernel, which would try to reserve
 * memory again), then --command-line/--append is added after a space.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qdh/loader.h"

/* Remove every word starting with "name=" (or equal to name). */
static void drop_param(char *line, const char *name)
{
	size_t n = strlen(name);
	char *p = line;

	while (*p) {
		char *w = p, *e;

		while (*w == ' ')
			w++;
		e = w + strcspn(w, " ");
		if (!strncmp(w, name, n) && (w[n] == '=' || w + n == e)) {
			while (*e == ' ')
				e++;
			memmove(w, e, strlen(e) + 1);
			p = w;
			continue;
		}
		p = e;
	}
	n = strlen(line);
	while (n && line[n - 1] == ' ')
		line[--n] = '\0';
}

int qdh_ld_cmdline(struct qdh_ld_ctx *c, char *out, size_t cap, int *given)
{
	char base[4096];
	size_t i;
	int r;

	out[0] = '\0';
	*given = c->o->reuse_cmdline || c->o->cmdline;
	if (c->o->reuse_cmdline) {
		r = qdh_sysroot_read_str(&c->sr, QDH_PATH_CMDLINE, base, sizeof(base));
		if (r < 0) {
			char d[4200];

			qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s",
				 qdh_sysroot_display(&c->sr, QDH_PATH_CMDLINE, d, sizeof(d)),
				 strerror(-r));
			return r;
		}
		for (i = 0; base[i]; i++)
			if (base[i] == '\n' || base[i] == '\t')
				base[i] = ' ';
		drop_param(base, "BOOT_IMAGE");
		if (c->o->panic)
			drop_param(base, "crashkernel");
		if ((size_t)snprintf(out, cap, "%s", base) >= cap)
			return -E2BIG;
	}
	if (c->o->cmdline) {
		size_t n = strlen(out);

		if ((size_t)snprintf(out + n, cap - n, "%s%s", n ? " " : "",
				     c->o->cmdline) >= cap - n) {
			qdh_logf(&c->log, QDH_LOG_ERR,
				 "command line longer than %zu bytes", cap - 1);
			return -E2BIG;
		}
	}
	return 0;
}
