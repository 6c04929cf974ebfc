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

#define KMSG_BUF	65536	/* lines are read through this */
#define KMSG_KEEP	64	/* classified lines always kept */

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

/* The summary's order, worst last: a failed copy means translation was off. */
static int rank(const char *state)
{
	if (!strcmp(state, "copy-failed"))
		return 3;
	if (!strcmp(state, "tables-copied"))
		return 2;
	return 1;	/* enabled, enabled-reset */
}

static const char *const summaries[] = { "not-seen", "enabled", "tables-copied", "copy-failed" };

struct kmsg_state {
	struct json_object *arr;
	int worst;		/* rank of the summary so far */
	size_t omitted;		/* classified lines not kept */
};

/*
 * Keep the first KMSG_KEEP classified lines, and after them every line
 * that makes the summary worse: however many IOMMU units report, the
 * message behind the summary is always in the report.
 */
static void take_line(struct kmsg_state *st, char *line)
{
	char name[64], clean[256];
	const char *msg, *state;
	struct json_object *o;
	int r;

	if (line[0] == ' ')	/* kmsg continuation: KEY=value */
		return;
	msg = message_of(line);
	state = qdh_kmsg_classify(msg, name, sizeof(name));
	if (!state)
		return;
	r = rank(state);
	if (json_object_array_length(st->arr) >= KMSG_KEEP && r <= st->worst) {
		st->omitted++;
		return;
	}
	if (r > st->worst)
		st->worst = r;
	o = json_object_new_object();
	json_object_object_add(o, "iommu", json_object_new_string(
		qdh_printable(name, sizeof(name), clean, sizeof(clean))));
	json_object_object_add(o, "state", json_object_new_string(state));
	json_object_object_add(o, "message", json_object_new_string(
		qdh_printable(msg, strlen(msg), clean, sizeof(clean))));
	json_object_array_add(st->arr, o);
}

/*
 * Line by line through a fixed buffer, to the end of the log however long:
 * /dev/kmsg returns one record per read() and EAGAIN at the end when
 * opened non-blocking (EPIPE when a record was overwritten meanwhile: go
 * on); a plain file (tests, --kmsg) reads to EOF.  A line longer than the
 * buffer is cut (kernel records are at most 8 KiB).
 */
static void read_lines(int fd, struct kmsg_state *st)
{
	static char buf[KMSG_BUF + 1];
	size_t len = 0;

	for (;;) {
		ssize_t n = read(fd, buf + len, KMSG_BUF - len);
		char *p, *nl;

		if (n < 0 && (errno == EINTR || errno == EPIPE))
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		for (p = buf; (nl = memchr(p, '\n', len - (size_t)(p - buf))); p = nl + 1) {
			*nl = '\0';
			take_line(st, p);
		}
		len -= (size_t)(p - buf);
		memmove(buf, p, len);
		if (len == KMSG_BUF) {		/* no newline in a full buffer */
			buf[len] = '\0';
			take_line(st, buf);
			len = 0;
		}
	}
	if (len) {
		buf[len] = '\0';
		take_line(st, buf);
	}
}

struct json_object *qdh_kmsg_iommu_state(const struct qdh_sysroot *sr,
					 const char *file_override,
					 const char **summary, size_t *omitted)
{
	struct kmsg_state st = { json_object_new_array(), 0, 0 };
	int fd;

	if (file_override) {
		fd = open(file_override, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		fd = fd < 0 ? -errno : fd;
	} else {
		fd = qdh_sysroot_openat(sr, QDH_PATH_KMSG, O_RDONLY | O_NONBLOCK);
	}
	if (omitted)
		*omitted = 0;
	if (fd < 0) {
		*summary = "unreadable";
		return st.arr;
	}
	read_lines(fd, &st);
	close(fd);
	*summary = summaries[st.worst];
	if (omitted)
		*omitted = st.omitted;
	return st.arr;
}
