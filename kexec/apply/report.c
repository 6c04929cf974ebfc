// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reporting for `qdh apply`: one json-c object holds everything but the
 * devices, which come one object at a time from the same function; the
 * kernel-log lines, the report file and the command's console text
 * (kexec/cmd/apply_text.c) are all renderings of them, so they cannot
 * disagree.  Streaming keeps memory flat
 * (a full segment of devices built as one tree took hundreds of MiB) and
 * prints the same bytes json-c prints for the whole tree: the framing of
 * the device array (indent, separator) is taken from json-c's own
 * rendering of a two-element placeholder array, not assumed.
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

int apply_kmsg_log(const struct qdh_sysroot *sr, struct json_object *root,
		   const struct qdh_apply_devs *devs)
{
	struct json_object *ho = get(root, "handover");
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
	for (i = 0; i < devs->n; i++) {
		struct json_object *d = devs->json(devs->ctx, i);
		const char *res = qdh_json_str(d, "result", "");
		int bad = !strcmp(res, "failed") || !strcmp(res, "skipped");

		if (kmsg_line(fd, "<%d>qdh: %s %s (%s)%s%s\n", bad ? 4 : 5,
			      qdh_json_str(d, "device", "?"),
			      qdh_json_str(d, "decision", "?"),
			      qdh_json_str(d, "log_reason", ""),
			      bad ? " " : "", bad ? res : "") == 0)
			n++;
		json_object_put(d);
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
		       const struct apply_stream *st, struct json_object *root,
		       const struct qdh_apply_devs *devs, char *shown, size_t cap)
{
	char *buf = NULL, dir[PATH_MAX];
	size_t len = 0;
	const char *slash;
	FILE *f;
	int dfd, r;

	/*
	 * The text is streamed device by device into memory (a fraction of
	 * the JSON tree it replaced), then written as one new file.
	 */
	f = open_memstream(&buf, &len);
	if (!f)
		return -errno;
	errno = 0;
	r = apply_stream_json(st, root, devs, f);
	if (fclose(f) == EOF && !r)
		r = -(errno ? errno : ENOMEM);
	if (r) {
		free(buf);
		return r;
	}
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
			r = qdh_replace_at(dfd, slash ? slash + 1 : file, buf, len, 0644);
			close(dfd);
		}
	} else {
		qdh_sysroot_display(sr, QDH_APPLY_REPORT_DEFAULT, shown, cap);
		apply_fmt(dir, sizeof(dir), "%s", QDH_APPLY_REPORT_DEFAULT);
		*strrchr(dir, '/') = '\0';
		r = qdh_sysroot_mkdirs(sr, dir, 0755);
		if (r == 0)
			r = qdh_sysroot_replace(sr, QDH_APPLY_REPORT_DEFAULT, buf, len, 0644);
	}
	free(buf);
	return r;
}

/* --- Streaming the JSON ------------------------------------------------- */

#define PRETTY	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)
#define MARK_A	"\"qdh-apply-device-placeholder-a\""
#define MARK_B	"\"qdh-apply-device-placeholder-b\""

struct apply_stream {
	char *prefix;		/* the root's text up to the first device */
	size_t nprefix;
	char *sep;		/* between two devices */
	char *indent;		/* after every newline inside a device */
	size_t tail_at;		/* the text after the last device starts here */
};

void apply_stream_free(struct apply_stream *s)
{
	if (!s)
		return;
	free(s->prefix);
	free(s->sep);
	free(s->indent);
	free(s);
}

static struct json_object *placeholder(void)
{
	struct json_object *a = json_object_new_array();

	json_object_array_add(a, json_object_new_string("qdh-apply-device-placeholder-a"));
	json_object_array_add(a, json_object_new_string("qdh-apply-device-placeholder-b"));
	return a;
}

/* The last occurrence of needle in hay[0, end). */
static const char *last_of(const char *hay, size_t end, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = end >= n ? end - n + 1 : 0; i-- > 0;)
		if (!memcmp(hay + i, needle, n))
			return hay + i;
	return NULL;
}

static char *dup_span(const char *a, const char *b)
{
	char *s = malloc((size_t)(b - a) + 1);

	if (s) {
		memcpy(s, a, (size_t)(b - a));
		s[b - a] = '\0';
	}
	return s;
}

int apply_stream_begin(struct json_object *root, struct apply_stream **out)
{
	struct apply_stream *s;
	const char *text, *a, *b, *line;

	*out = NULL;
	json_object_object_add(root, "devices", placeholder());
	text = json_object_to_json_string_ext(root, PRETTY);
	/*
	 * "devices" is the root's last key, so its placeholders are the last
	 * two strings of the text, whatever other strings (kernel messages,
	 * paths) hold.
	 */
	b = text ? last_of(text, strlen(text), MARK_B) : NULL;
	a = b ? last_of(text, (size_t)(b - text), MARK_A) : NULL;
	if (!a)
		return -EPROTO;
	for (line = a; line > text && line[-1] != '\n'; line--)
		;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->prefix = dup_span(text, a);
	s->nprefix = (size_t)(a - text);
	s->sep = dup_span(a + strlen(MARK_A), b);
	s->indent = dup_span(line, a);
	s->tail_at = (size_t)(b - text) + strlen(MARK_B);
	if (!s->prefix || !s->sep || !s->indent) {
		apply_stream_free(s);
		return -ENOMEM;
	}
	*out = s;
	return 0;
}

/* A device's own pretty text, indented to its depth in the root. */
static void put_device(const struct apply_stream *s, struct json_object *d, FILE *out)
{
	const char *t = json_object_to_json_string_ext(d, PRETTY), *nl;

	while ((nl = strchr(t, '\n'))) {
		fwrite(t, 1, (size_t)(nl - t) + 1, out);
		fputs(s->indent, out);
		t = nl + 1;
	}
	fputs(t, out);
}

int apply_stream_json(const struct apply_stream *s, struct json_object *root,
		      const struct qdh_apply_devs *devs, FILE *out)
{
	const char *text;
	size_t i;

	if (devs->n == 0) {
		/* json-c's own empty array, then the placeholder back. */
		json_object_object_add(root, "devices", json_object_new_array());
		fputs(json_object_to_json_string_ext(root, PRETTY), out);
		json_object_object_add(root, "devices", placeholder());
	} else {
		text = json_object_to_json_string_ext(root, PRETTY);
		/* Keys after "devices" may have changed; the text before not. */
		if (!text || strlen(text) < s->tail_at ||
		    memcmp(text, s->prefix, s->nprefix) ||
		    memcmp(text + s->nprefix, MARK_A, strlen(MARK_A)))
			return -EPROTO;
		fwrite(s->prefix, 1, s->nprefix, out);
		for (i = 0; i < devs->n; i++) {
			struct json_object *d = devs->json(devs->ctx, i);

			if (i)
				fputs(s->sep, out);
			put_device(s, d, out);
			json_object_put(d);
		}
		fputs(text + s->tail_at, out);
	}
	fputc('\n', out);
	if (fflush(out) == EOF || ferror(out))
		return -(errno ? errno : EIO);
	return 0;
}
