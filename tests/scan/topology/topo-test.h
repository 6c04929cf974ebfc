/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the topology tests: a log that remembers, temp trees. */
#ifndef QDH_TOPO_TEST_H
#define QDH_TOPO_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qdh/topology.h"
#include "tap.h"

static char log_text[65536];
static size_t log_len;
static int log_warnings;

static inline void log_keep(void *ud, int level, const char *msg)
{
	int n;

	(void)ud;
	if (level <= QDH_LOG_WARN)
		log_warnings++;
	n = snprintf(log_text + log_len, sizeof(log_text) - log_len, "%s\n", msg);
	if (n > 0 && (size_t)n < sizeof(log_text) - log_len)
		log_len += (size_t)n;
	if (getenv("TOPO_TEST_VERBOSE"))
		printf("# log: %s\n", msg);
}

static const struct qdh_log test_log = { log_keep, NULL, QDH_LOG_DEBUG };

static inline void log_reset(void)
{
	log_len = 0;
	log_text[0] = '\0';
	log_warnings = 0;
}

/* Did any message contain all of the given fragments (NULL-terminated)? */
static inline int logged(const char *a, const char *b)
{
	const char *line = log_text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char one[1024];

		snprintf(one, sizeof(one), "%.*s", (int)n, line);
		if (strstr(one, a) && (!b || strstr(one, b)))
			return 1;
		line += n + (nl ? 1 : 0);
	}
	printf("# no log line with '%s'%s%s; log was:\n", a, b ? " and " : "", b ? b : "");
	for (line = log_text; *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		printf("#   %.*s\n", (int)n, line);
		line += n + (nl ? 1 : 0);
	}
	return 0;
}

static inline void mkdir_p(const char *path)
{
	char tmp[8192], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	mkdir(tmp, 0755);
}

static inline void write_file(const char *path, const void *buf, size_t len)
{
	char dir[8192], *slash;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		mkdir_p(dir);
	}
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len) {
		perror(path);
		exit(99);
	}
	fclose(f);
}

static inline void rm_rf(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		tap_diag("cleanup failed");
}

/* StreamID of a PCI requester, or -1 with *iommu -1 if none. */
static inline long pci_sid(const struct qdh_topology *t, unsigned seg, unsigned rid, int *iommu)
{
	uint32_t sid = 0;
	int r = qdh_topology_pci_sids(t, (uint16_t)seg, (uint16_t)rid, iommu, &sid, 1);

	return r == 1 ? (long)sid : -1;
}

#endif
