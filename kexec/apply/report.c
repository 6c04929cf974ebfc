// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reporting for `qdh apply`: one json-c object holds everything; the console
 * summary, the kernel-log lines and the report file are all renderings of
 * it, so they cannot disagree.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply-internal.h"
#include "qdh/io.h"
#include "qdh/inventory.h"
#include "qdh/output.h"
#include "qdh/transport.h"

static struct json_object *hex64(uint64_t v)
{
	char b[24];

	apply_fmt(b, sizeof(b), "0x%llx", (unsigned long long)v);
	return json_object_new_string(b);
}

struct json_object *apply_json_handover(const struct qdh_handover *h)
{
	static const char *const st[] = { "absent", "valid", "invalid", "unreadable" };
	struct json_object *o = json_object_new_object(), *srcs, *dis;
	int i;

	json_object_object_add(o, "status", json_object_new_string(
		h->best >= 0 ? "valid" : h->ninvalid ? "invalid" : "missing"));
	json_object_object_add(o, "source", h->best >= 0 ?
			       json_object_new_string(h->src[h->best].name) : NULL);
	if (h->best >= 0) {
		const struct qdh_src *b = &h->src[h->best];

		json_object_object_add(o, "generation", hex64(b->view.generation));
		json_object_object_add(o, "version", json_object_new_int(b->view.version_major));
		json_object_object_add(o, "flags", qdh_bits_to_json(b->view.flags,
								    qdh_header_flag_name));
		json_object_object_add(o, "devices", json_object_new_int64(qdh_device_count(&b->view)));
		json_object_object_add(o, "iommus", json_object_new_int64(qdh_iommu_count(&b->view)));
		/* What purgatory wrote just before the jump (the /chosen copy
		 * has it): the same view as `qdh inspect`'s. */
		json_object_object_add(o, "record", qdh_record_to_json(&b->view));
	}
	srcs = json_object_new_array();
	for (i = 0; i < QDH_NSRC; i++) {
		const struct qdh_src *s = &h->src[i];
		struct json_object *so;
		char clean[600];

		if (i == QDH_SRC_FILE && !s->path[0])
			continue;	/* --blob not given */
		so = json_object_new_object();
		json_object_object_add(so, "name", json_object_new_string(s->name));
		json_object_object_add(so, "path", json_object_new_string(
			qdh_printable(s->path, sizeof(s->path), clean, sizeof(clean))));
		json_object_object_add(so, "status", json_object_new_string(st[s->status]));
		if (s->problem[0])
			json_object_object_add(so, "problem", json_object_new_string(s->problem));
		if (s->offset >= 0)
			json_object_object_add(so, "offset", json_object_new_int64(s->offset));
		if (s->status == QDH_SRC_VALID) {
			json_object_object_add(so, "generation", hex64(s->view.generation));
			json_object_object_add(so, "purgatory_record",
					       json_object_new_boolean(s->purgatory_ran));
		}
		json_object_array_add(srcs, so);
	}
	json_object_object_add(o, "sources", srcs);
	dis = json_object_new_array();
	for (i = 0; i < h->ndisagree; i++)
		json_object_array_add(dis, json_object_new_string(h->disagree[i]));
	json_object_object_add(o, "disagreements", dis);
	return o;
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o)
		json_object_object_get_ex(o, key, &v);
	return v;
}

/* Steps of one device, "clear-bus-master ok, set-driver-override ok". */
static void steps_text(struct json_object *steps, char *buf, size_t cap)
{
	size_t i, n = steps ? json_object_array_length(steps) : 0, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o < cap; i++) {
		struct json_object *s = json_object_array_get_idx(steps, i);
		int w = snprintf(buf + o, cap - o, "%s%s %s", i ? ", " : "",
				 qdh_json_str(s, "op", "?"), qdh_json_str(s, "result", "?"));

		if (w < 0)
			break;
		o += (size_t)w;
	}
}

void apply_render_text(struct json_object *root, FILE *out)
{
	struct json_object *ho = get(root, "handover"), *srcs = get(ho, "sources");
	struct json_object *dis = get(ho, "disagreements"), *devs = get(root, "devices");
	struct json_object *io = get(root, "iommu_state"), *cnt = get(root, "counts");
	size_t i;

	fprintf(out, "qdh apply: %s, handover %s", qdh_json_str(root, "mode", "?"),
		qdh_json_str(ho, "status", "?"));
	if (get(ho, "source"))
		fprintf(out, " from %s (generation %s)", qdh_json_str(ho, "source", "?"),
			qdh_json_str(ho, "generation", "?"));
	fputc('\n', out);
	for (i = 0; srcs && i < json_object_array_length(srcs); i++) {
		struct json_object *s = json_object_array_get_idx(srcs, i);

		fprintf(out, "  source %-7s %-10s %s", qdh_json_str(s, "name", "?"),
			qdh_json_str(s, "status", "?"), qdh_json_str(s, "path", ""));
		if (get(s, "problem"))
			fprintf(out, ": %s", qdh_json_str(s, "problem", ""));
		if (get(s, "offset"))
			fprintf(out, " (at byte %lld)", qdh_json_int(s, "offset", 0));
		fputc('\n', out);
	}
	for (i = 0; dis && i < json_object_array_length(dis); i++)
		fprintf(out, "  WARNING: sources disagree: %s\n",
			json_object_get_string(json_object_array_get_idx(dis, i)));
	if (json_object_get_boolean(get(root, "fail_safe_applied")))
		fprintf(out, "  WARNING: NO VALID HANDOVER: fail-safe '%s' applied%s\n",
			qdh_json_str(get(root, "policy"), "fail_safe", "?"),
			!strcmp(qdh_json_str(get(root, "policy"), "fail_safe", ""), "observe") ?
			": nothing was touched, stray DMA is NOT blocked" : "");
	if (json_object_get_boolean(get(get(ho, "record"), "purgatory_ran"))) {
		struct json_object *rec = get(ho, "record"), *ri = get(rec, "iommus");

		fprintf(out, "  purgatory ran: digest %s", qdh_json_str(rec, "digest", "?"));
		if (get(rec, "elapsed_us"))
			fprintf(out, " in %lld us", qdh_json_int(rec, "elapsed_us", 0));
		for (i = 0; ri && i < json_object_array_length(ri); i++) {
			struct json_object *e = json_object_array_get_idx(ri, i);

			fprintf(out, "%sIOMMU %lld (%s) %s", i ? ", " : "; ",
				qdh_json_int(e, "iommu", 0), qdh_json_str(e, "type", "?"),
				qdh_json_str(e, "action", "?"));
		}
		fputc('\n', out);
	}
	fprintf(out, "  kernel messages on IOMMUs at handover: %s\n",
		qdh_json_str(io, "summary", "?"));
	for (i = 0; devs && i < json_object_array_length(devs); i++) {
		struct json_object *d = json_object_array_get_idx(devs, i);
		char steps[512];

		steps_text(get(d, "steps"), steps, sizeof(steps));
		fprintf(out, "  %-14s %-17s %s%s%s\n", qdh_json_str(d, "device", "?"),
			qdh_json_str(d, "decision", "?"), qdh_json_str(d, "why", ""),
			steps[0] ? " -> " : "", steps);
	}
	fprintf(out, "  %lld attach, %lld abort, %lld reset-then-attach, %lld ignore, %lld observe; %lld failed\n",
		qdh_json_int(cnt, "attach", 0), qdh_json_int(cnt, "abort", 0),
		qdh_json_int(cnt, "reset-then-attach", 0), qdh_json_int(cnt, "ignore", 0),
		qdh_json_int(cnt, "observe", 0), qdh_json_int(cnt, "failed", 0));
	if (get(root, "report"))
		fprintf(out, "  report: %s\n", qdh_json_str(root, "report", ""));
}

/*
 * /dev/kmsg takes one record per write(); "<5>" is KERN_NOTICE.  A plain
 * file in a test sysroot is appended to.
 */
static int kmsg_line(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int kmsg_line(int fd, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	return write(fd, line, (size_t)n) == n ? 0 : -errno;
}

int apply_kmsg_log(const struct qdh_sysroot *sr, struct json_object *root)
{
	struct json_object *devs = get(root, "devices"), *ho = get(root, "handover");
	int fd = qdh_sysroot_openat(sr, QDH_PATH_KMSG, O_WRONLY | O_APPEND);
	size_t i;
	int n = 0;

	if (fd < 0)
		return fd;
	if (json_object_get_boolean(get(root, "fail_safe_applied")))
		kmsg_line(fd, "<4>qdh: no valid handover (%s): fail-safe %s applied%s\n",
			  qdh_json_str(ho, "status", "?"),
			  qdh_json_str(get(root, "policy"), "fail_safe", "?"),
			  "");
	for (i = 0; devs && i < json_object_array_length(devs); i++) {
		struct json_object *d = json_object_array_get_idx(devs, i);

		const char *res = qdh_json_str(d, "result", "");
		int bad = !strcmp(res, "failed") || !strcmp(res, "skipped");

		if (kmsg_line(fd, "<%d>qdh: %s %s (%s)%s%s\n", bad ? 4 : 5,
			      qdh_json_str(d, "device", "?"),
			      qdh_json_str(d, "decision", "?"),
			      qdh_json_str(d, "log_reason", ""),
			      bad ? " " : "", bad ? res : "") == 0)
			n++;
	}
	close(fd);
	return n;
}

/*
 * The report is replaced, not rewritten in place: a new file beside it
 * (O_EXCL | O_NOFOLLOW), renamed over it, so a link planted where the
 * report goes is replaced, never followed.  The default report goes
 * through the sysroot layer (its directory is made inside the sysroot);
 * --report FILE is the operator's own path.
 */
int apply_write_report(const struct qdh_sysroot *sr, const char *file,
		       struct json_object *root, char *shown, size_t cap)
{
	const char *text = json_object_to_json_string_ext(root,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(text);
	char *buf = malloc(len + 1), dir[PATH_MAX];
	const char *slash;
	int dfd, r;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, text, len);
	buf[len] = '\n';
	if (file) {
		apply_fmt(shown, cap, "%s", file);
		slash = strrchr(file, '/');
		if (apply_fmt(dir, sizeof(dir), "%.*s", slash ? (int)(slash - file) : 1,
			      slash ? file : ".") < 0 || (slash && !slash[1])) {
			free(buf);
			return -EINVAL;
		}
		dfd = open(slash == file ? "/" : dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0) {
			r = -errno;
		} else {
			r = qdh_replace_at(dfd, slash ? slash + 1 : file, buf, len + 1, 0644);
			close(dfd);
		}
	} else {
		qdh_sysroot_display(sr, QDH_APPLY_REPORT_DEFAULT, shown, cap);
		apply_fmt(dir, sizeof(dir), "%s", QDH_APPLY_REPORT_DEFAULT);
		*strrchr(dir, '/') = '\0';
		r = qdh_sysroot_mkdirs(sr, dir, 0755);
		if (r == 0)
			r = qdh_sysroot_replace(sr, QDH_APPLY_REPORT_DEFAULT, buf, len + 1, 0644);
	}
	free(buf);
	return r;
}
