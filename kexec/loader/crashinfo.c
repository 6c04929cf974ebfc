// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the running kernel keeps what a crash kernel needs: each possible
 * CPU's crash_notes buffer (sysfs prints "%llx", hex without 0x, and the
 * size in decimal) and the vmcoreinfo note ("%pa %x": a 0x-prefixed
 * address, the size in hex without prefix).  Untrusted text, parsed strictly.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qdh/loader.h"
#include "elfcore.h"

#define MAX_CPUS	4096
#define MAX_NOTE_SIZE	(1u << 20)

static int parse_hex_word(const char **pp, uint64_t *v)
{
	const char *p = *pp;
	char *end;
	unsigned long long x;

	/* vmcoreinfo is printed with %pa: "0x" and 16 digits. */
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
	      (*p >= 'A' && *p <= 'F')))
		return -EINVAL;
	errno = 0;
	x = strtoull(p, &end, 16);
	if (errno || end - p > 16)
		return -EINVAL;
	*v = x;
	*pp = end;
	return 0;
}

int qdh_parse_cpulist(const char *s, unsigned char *set, unsigned max)
{
	const char *p = s;

	memset(set, 0, max);
	while (*p) {
		char *end;
		unsigned long a, b;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		a = strtoul(p, &end, 10);
		b = a;
		p = end;
		if (*p == '-') {
			p++;
			if (*p < '0' || *p > '9')
				return -EINVAL;
			b = strtoul(p, &end, 10);
			p = end;
		}
		if (a > b || b >= max)
			return -EINVAL;
		while (a <= b)
			set[a++] = 1;
		if (*p == ',')
			p++;
		else if (*p)
			return -EINVAL;
	}
	return 0;
}

static int add(struct qdh_mem_range **v, size_t *n, uint64_t addr, uint64_t size)
{
	struct qdh_mem_range *nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	memset(&nv[*n], 0, sizeof(nv[*n]));
	nv[*n].start = addr;
	nv[*n].end = addr + size - 1;
	(*n)++;
	return 0;
}

static int bad(struct qdh_ld_ctx *c, const char *path, const char *what, int r)
{
	char d[4200];

	qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s",
		 qdh_sysroot_display(&c->sr, path, d, sizeof(d)), what);
	return r;
}

int qdh_crash_notes(struct qdh_ld_ctx *c, struct qdh_mem_range **notes,
		    size_t *n)
{
	static unsigned char set[MAX_CPUS];
	char buf[256], path[256];
	const char *p;
	uint64_t addr, size;
	unsigned cpu;
	int r;

	*notes = NULL;
	*n = 0;
	r = qdh_sysroot_read_str(&c->sr, QDH_PATH_POSSIBLE_CPUS, buf, sizeof(buf));
	if (r < 0)
		return bad(c, QDH_PATH_POSSIBLE_CPUS, strerror(-r), r);
	if (qdh_parse_cpulist(buf, set, MAX_CPUS))
		return bad(c, QDH_PATH_POSSIBLE_CPUS, "not a CPU list", -EINVAL);
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!set[cpu])
			continue;
		snprintf(path, sizeof(path), "%s/cpu%u/crash_notes",
			 QDH_PATH_CRASH_NOTES_CPU, cpu);
		r = qdh_sysroot_read_str(&c->sr, path, buf, sizeof(buf));
		if (r == -ENOENT) {
			/* A possible CPU never brought up has no directory. */
			qdh_logf(&c->log, QDH_LOG_DEBUG, "cpu%u: no crash_notes", cpu);
			continue;
		}
		if (r < 0)
			goto fail_io;
		p = buf;
		if (parse_hex_word(&p, &addr) || *p || !addr) {
			r = bad(c, path, "expected a hex address", -EINVAL);
			goto fail;
		}
		snprintf(path, sizeof(path), "%s/cpu%u/crash_notes_size",
			 QDH_PATH_CRASH_NOTES_CPU, cpu);
		r = qdh_sysroot_read_str(&c->sr, path, buf, sizeof(buf));
		if (r < 0)
			goto fail_io;
		{
			char *end;

			errno = 0;
			size = strtoull(buf, &end, 10);
			if (errno || *end || end == buf || !size ||
			    size > MAX_NOTE_SIZE) {
				r = bad(c, path, "expected a size in bytes (decimal)",
					-EINVAL);
				goto fail;
			}
		}
		r = add(notes, n, addr, size);
		if (r < 0)
			goto fail;
	}
	if (!*n) {
		r = bad(c, QDH_PATH_CRASH_NOTES_CPU, "no CPU has crash_notes "
			"(kernel without CONFIG_CRASH_DUMP?)", -ENOENT);
		goto fail;
	}
	strcpy(path, QDH_PATH_VMCOREINFO);
	r = qdh_sysroot_read_str(&c->sr, path, buf, sizeof(buf));
	if (r < 0)
		goto fail_io;
	p = buf;
	if (parse_hex_word(&p, &addr) || *p++ != ' ' ||
	    parse_hex_word(&p, &size) || *p || !addr || !size ||
	    size > MAX_NOTE_SIZE) {
		r = bad(c, path, "expected \"ADDRESS SIZE\" in hex", -EINVAL);
		goto fail;
	}
	r = add(notes, n, addr, size);
	if (r < 0)
		goto fail;
	return 0;
fail_io:
	bad(c, path, strerror(-r), r);
fail:
	free(*notes);
	*notes = NULL;
	*n = 0;
	return r;
}
