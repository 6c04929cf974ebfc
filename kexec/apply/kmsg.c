// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IOMMU state at handover, from the crash kernel's own messages.  On the
 * kexec_file_load path no purgatory of ours runs, so nothing recorded the
 * IOMMU registers at the jump; the IOMMU drivers of the crash kernel do say
 * what they found, in words that have been stable for years:
 *   arm-smmu-v3: "SMMU currently enabled! Resetting..."
 *   intel-iommu: "Translation already enabled - trying to copy translation
 *                 structures", "Copied translation tables from previous
 *                 kernel for dmarN", "Failed to copy translation tables
 *                 from previous kernel for dmarN", "Translation was enabled
 *                 for dmarN but we are not in kdump mode"
 *   amd-iommu:   "Translation is already enabled - trying to copy (newer:
 *                 reuse) translation structures", "Copied DEV table from
 *                 previous kernel.", "Failed to copy DEV table from previous
 *                 kernel."
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply-internal.h"
#include "qdh/output.h"

#define KMSG_MAX	(4u << 20)	/* the largest log buffer we read */

struct pattern {
	const char *text;	/* substring of the message */
	const char *state;
	const char *iommu;	/* fixed name, or NULL: take it from the line */
};

static const struct pattern patterns[] = {
	{ "SMMU currently enabled! Resetting", "enabled-reset", NULL },
	{ "Failed to copy translation tables from previous kernel", "copy-failed", NULL },
	{ "Copied translation tables from previous kernel", "tables-copied", NULL },
	{ "Translation already enabled - trying to copy", "enabled", "dmar" },
	{ "but we are not in kdump mode", "enabled", NULL },
	{ "Translation is already enabled - trying to", "enabled", "amd-vi" },
	{ "Failed to copy DEV table from previous kernel", "copy-failed", "amd-vi" },
	{ "Copied DEV table from previous kernel", "tables-copied", "amd-vi" },
};

/* The name the line gives: "dev 9050000.smmuv3: ..." or "... for dmar0". */
static void iommu_name(const char *msg, const struct pattern *p, char *out,
		       size_t cap)
{
	const char *hit = strstr(msg, p->text), *s, *e;

	out[0] = '\0';
	if (p->iommu) {
		apply_fmt(out, cap, "%s", p->iommu);
		return;
	}
	s = strstr(msg, " for ");
	if (s) {			/* intel: "... kernel for dmar0" */
		s += 5;
		e = s;
		while (*e && !isspace((unsigned char)*e))
			e++;
	} else {			/* dev_warn(): "driver device: msg" */
		e = hit;
		while (e > msg && (e[-1] == ' ' || e[-1] == ':'))
			e--;
		s = e;
		while (s > msg && s[-1] != ' ')
			s--;
	}
	if (e > s && (size_t)(e - s) < cap) {
		memcpy(out, s, (size_t)(e - s));
		out[e - s] = '\0';
	}
}

const char *qdh_kmsg_classify(const char *line, char *iommu, size_t cap)
{
	size_t i;

	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		if (strstr(line, patterns[i].text)) {
			iommu_name(line, &patterns[i], iommu, cap);
			return patterns[i].state;
		}
	}
	return NULL;
}

/*
 * /dev/kmsg returns one record per read() and EAGAIN at the end when opened
 * non-blocking (EPIPE when a record was overwritten meanwhile: go on); a
 * plain file (tests, --kmsg) reads to EOF.
 */
static int slurp(int fd, char **out, size_t *outlen)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (cap - len < 8192 + 1) {
			char *nb;

			if (cap >= KMSG_MAX)
				break;
			nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && (errno == EINTR || errno == EPIPE))
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

/* Strip "pri,seq,usec,flags;" (kmsg) or "[  1.234] " (dmesg text). */
static const char *message_of(const char *line)
{
	const char *semi = strchr(line, ';');
	const char *p = line;

	if (semi && isdigit((unsigned char)line[0])) {
		for (p = line; p < semi && (isdigit((unsigned char)*p) || *p == ',' ||
					    *p == '-' || *p == '+' || *p == 'c'); p++)
			;
		if (p == semi)
			return semi + 1;
	}
	if (line[0] == '[') {
		const char *e = strchr(line, ']');

		if (e)
			return e[1] == ' ' ? e + 2 : e + 1;
	}
	return line;
}

struct json_object *qdh_kmsg_iommu_state(const struct qdh_sysroot *sr,
					 const char *file_override,
					 const char **summary)
{
	struct json_object *arr = json_object_new_array();
	int fd, any_enabled = 0, any_failed = 0, any_copied = 0;
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;

	if (file_override) {
		fd = open(file_override, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		fd = fd < 0 ? -errno : fd;
	} else {
		fd = qdh_sysroot_openat(sr, QDH_PATH_KMSG, O_RDONLY | O_NONBLOCK);
	}
	if (fd < 0 || slurp(fd, &buf, &len) < 0) {
		if (fd >= 0)
			close(fd);
		*summary = "unreadable";
		return arr;
	}
	close(fd);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64], clean[256];
		const char *msg, *state;
		struct json_object *o;

		if (line[0] == ' ')	/* kmsg continuation: KEY=value */
			continue;
		msg = message_of(line);
		state = qdh_kmsg_classify(msg, name, sizeof(name));
		if (!state)
			continue;
		if (json_object_array_length(arr) >= 64)
			break;
		any_failed |= !strcmp(state, "copy-failed");
		any_copied |= !strcmp(state, "tables-copied");
		any_enabled = 1;
		o = json_object_new_object();
		json_object_object_add(o, "iommu", json_object_new_string(
			qdh_printable(name, sizeof(name), clean, sizeof(clean))));
		json_object_object_add(o, "state", json_object_new_string(state));
		json_object_object_add(o, "message", json_object_new_string(
			qdh_printable(msg, strlen(msg), clean, sizeof(clean))));
		json_object_array_add(arr, o);
	}
	free(buf);
	/* Worst first: a failed copy means translation was turned off. */
	*summary = any_failed ? "copy-failed" : any_copied ? "tables-copied" :
		   any_enabled ? "enabled" : "not-seen";
	return arr;
}
