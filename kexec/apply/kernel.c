// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The patched kernel's per-stream view, read and acted on by `qdh apply`
 * (kernel.h).  The view is untrusted text: lines are bounded, every field
 * is checked, a malformed view is reported and never acted on.
 *
 * View format (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-qdh.c):
 *   mode adopt | mode stock REASON
 *   adopted N
 *   aborted N
 *   stream 0xSID STATE old=OLD why=WHY dev=DEVICE
 * Unknown lines are skipped (a newer kernel may add some).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "apply-internal.h"
#include "kernel.h"
#include "qdh/array.h"
#include "qdh/output.h"

#define VIEW_FILE	"qdh/streams"
#define RELEASE_FILE	"qdh/release"

static const char *const kstate_names[] = {
	[APPLY_KS_UNKNOWN] = "unknown",
	[APPLY_KS_ADOPTED] = "adopted",
	[APPLY_KS_RELEASED] = "released",
	[APPLY_KS_ATTACHED] = "attached",
	[APPLY_KS_ABORTED] = "aborted",
};

const char *apply_kstate_name(enum apply_kstate s)
{
	return (unsigned)s < sizeof(kstate_names) / sizeof(kstate_names[0]) ?
	       kstate_names[s] : "unknown";
}

static enum apply_kstate kstate_parse(const char *s)
{
	unsigned i;

	for (i = APPLY_KS_ADOPTED; i < sizeof(kstate_names) / sizeof(kstate_names[0]); i++)
		if (!strcmp(s, kstate_names[i]))
			return (enum apply_kstate)i;
	return APPLY_KS_UNKNOWN;
}

/* A word of the kernel's: [a-z0-9-], 1 to cap-1 characters. */
static int word(const char *s, size_t n, char *out, size_t cap)
{
	size_t i;

	if (!n || n >= cap)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-'))
			return -EINVAL;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* "key=value" token into out; the value a device name or a word. */
static int kv(const char *tok, size_t n, const char *key, char *out, size_t cap,
	      int device)
{
	size_t kl = strlen(key), i;

	if (n <= kl + 1 || strncmp(tok, key, kl) || tok[kl] != '=')
		return -EINVAL;
	tok += kl + 1;
	n -= kl + 1;
	if (!device)
		return word(tok, n, out, cap);
	if (n >= cap)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if ((unsigned char)tok[i] <= ' ' || (unsigned char)tok[i] >= 0x7f)
			return -EINVAL;
	memcpy(out, tok, n);
	out[n] = '\0';
	return 0;
}

static int parse_u32(const char *s, size_t n, int hex, uint32_t *out)
{
	char buf[16], *end;
	unsigned long v;

	if (!n || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (hex && strncmp(buf, "0x", 2))
		return -EINVAL;
	if (!hex && (buf[0] < '0' || buf[0] > '9'))
		return -EINVAL;
	errno = 0;
	v = strtoul(buf, &end, hex ? 16 : 10);
	if (errno || *end || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int kstream_cmp(const void *a, const void *b)
{
	const struct apply_kstream *x = a, *y = b;

	return x->sid < y->sid ? -1 : x->sid > y->sid;
}

static struct apply_kstream *kstream_find(const struct apply_kiommu *io, uint32_t sid)
{
	struct apply_kstream key = { .sid = sid };

	if (!io->n)
		return NULL;
	return bsearch(&key, io->s, io->n, sizeof(key), kstream_cmp);
}

#define MAX_TOKENS 8

/* Split a line into at most MAX_TOKENS space-separated tokens. */
static int tokens(const char *l, size_t n, const char **t, size_t *tl)
{
	size_t i = 0;
	int k = 0;

	while (i < n) {
		while (i < n && l[i] == ' ')
			i++;
		if (i == n)
			break;
		if (k == MAX_TOKENS)
			return -EINVAL;
		t[k] = l + i;
		while (i < n && l[i] != ' ')
			i++;
		tl[k] = (size_t)(l + i - t[k]);
		k++;
	}
	return k;
}

static int parse_stream(struct apply_kiommu *io, const char **t, const size_t *tl,
			int nt, int after, size_t *cap)
{
	struct apply_kstream s, *x, *ns;
	char st[16];

	memset(&s, 0, sizeof(s));
	if (nt != 6 || parse_u32(t[1], tl[1], 1, &s.sid) ||
	    word(t[2], tl[2], st, sizeof(st)) ||
	    kv(t[3], tl[3], "old", s.old, sizeof(s.old), 0) ||
	    kv(t[4], tl[4], "why", s.why, sizeof(s.why), 0) ||
	    kv(t[5], tl[5], "dev", s.dev, sizeof(s.dev), 1))
		return -EINVAL;
	if (after) {	/* the second reading only updates states */
		x = kstream_find(io, s.sid);
		if (x)
			x->after = kstate_parse(st);
		return 0;
	}
	s.before = s.after = kstate_parse(st);
	if (s.before == APPLY_KS_UNKNOWN)
		return -EINVAL;
	ns = qdh_array_room(io->s, cap, io->n, sizeof(*ns), 16);
	if (!ns)
		return -ENOMEM;
	io->s = ns;
	io->s[io->n++] = s;
	return 0;
}

int apply_kernel_parse(struct apply_kiommu *io, const char *text, size_t len,
		       int after)
{
	const char *t[MAX_TOKENS];
	size_t tl[MAX_TOKENS], cap = io->n, i = 0, e;
	int nt, r, have_mode = 0;

	while (i < len) {
		for (e = i; e < len && text[e] != '\n'; e++)
			;
		nt = tokens(text + i, e - i, t, tl);
		if (nt < 0)
			return -EINVAL;
		r = 0;
		if (nt >= 2 && tl[0] == 4 && !strncmp(t[0], "mode", 4)) {
			have_mode = 1;
			if (!after) {
				r = word(t[1], tl[1], io->mode, sizeof(io->mode));
				io->reason[0] = '\0';
				if (!r && nt == 3)
					r = word(t[2], tl[2], io->reason, sizeof(io->reason));
				else if (!r && nt != 2)
					r = -EINVAL;
			}
		} else if (nt == 2 && tl[0] == 7 && !strncmp(t[0], "adopted", 7)) {
			r = after ? 0 : parse_u32(t[1], tl[1], 0, &io->adopted);
		} else if (nt == 2 && tl[0] == 7 && !strncmp(t[0], "aborted", 7)) {
			r = after ? 0 : parse_u32(t[1], tl[1], 0, &io->aborted);
		} else if (nt >= 1 && tl[0] == 6 && !strncmp(t[0], "stream", 6)) {
			r = parse_stream(io, t, tl, nt, after, &cap);
		}
		if (r)
			return r;
		i = e + 1;
	}
	if (!have_mode)
		return -EINVAL;
	if (!after && io->n) {	/* no streams: io->s may be NULL */
		qsort(io->s, io->n, sizeof(io->s[0]), kstream_cmp);
		for (i = 1; i < io->n; i++)
			if (io->s[i].sid == io->s[i - 1].sid)
				return -EINVAL;	/* one line per StreamID */
	}
	return 0;
}

/* The blob names IOMMUs; a name becomes a path component: keep it tame. */
static int safe_name(const char *n)
{
	size_t i, len = strlen(n);

	if (!len || len >= 64 || n[0] == '.')
		return 0;
	for (i = 0; i < len; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= 'A' && n[i] <= 'Z') ||
		      (n[i] >= '0' && n[i] <= '9') || strchr("._:-", n[i])))
			return 0;
	return 1;
}

static int view_path(const struct apply_kiommu *io, const char *file, char *buf,
		     size_t cap)
{
	return apply_fmt(buf, cap, "%s/%s/%s", QDH_PATH_CLASS_IOMMU, io->name, file);
}

/* Read one view; -ENOENT when the kernel has none for this IOMMU. */
static int read_view(const struct qdh_sysroot *sr, struct apply_kiommu *io, int after)
{
	char path[256];
	void *buf = NULL;
	size_t len = 0;
	int r;

	if (view_path(io, VIEW_FILE, path, sizeof(path)) < 0)
		return -ENAMETOOLONG;
	r = qdh_sysroot_read_alloc(sr, path, APPLY_KVIEW_MAX, &buf, &len);
	if (r < 0)
		return r;
	r = apply_kernel_parse(io, buf, len, after);
	free(buf);
	return r;
}

int apply_kernel_read(const struct qdh_sysroot *sr, const struct qdh_view *v,
		      struct apply_kernel *k)
{
	struct qdh_iommu_info ii;
	struct apply_kiommu io, *nv;
	uint32_t i;
	int r;

	memset(k, 0, sizeof(*k));
	if (!v)
		return 0;
	for (i = 0; i < qdh_iommu_count(v); i++) {
		if (qdh_get_iommu(v, i, &ii) < 0 || ii.type != QDH_IOMMU_SMMUV3 ||
		    !ii.name || !safe_name(ii.name))
			continue;
		memset(&io, 0, sizeof(io));
		io.index = (uint16_t)i;
		apply_fmt(io.name, sizeof(io.name), "%s", ii.name);
		r = read_view(sr, &io, 0);
		if (r == -ENOENT || r == -ENOTDIR) {
			free(io.s);
			continue;	/* no view: a kernel without the patches */
		}
		if (r < 0) {
			free(io.s);
			io.s = NULL;
			io.n = 0;
			io.error = r == -EINVAL ? "malformed view" : strerror(-r);
		}
		nv = realloc(k->v, (k->n + 1) * sizeof(*nv));

		if (!nv) {
			free(io.s);
			return -ENOMEM;
		}
		k->v = nv;
		k->v[k->n++] = io;
	}
	return (int)k->n;
}

static struct apply_kiommu *kiommu(struct apply_kernel *k, uint16_t index)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (k->v[i].index == index && !k->v[i].error)
			return &k->v[i];
	return NULL;
}

static void release_step(struct json_object *steps, const char *path, uint32_t sid,
			 const char *result, int err)
{
	struct json_object *s = json_object_new_object();
	char b[16];

	apply_fmt(b, sizeof(b), "0x%x", sid);
	json_object_object_add(s, "op", json_object_new_string("release-stream"));
	json_object_object_add(s, "path", json_object_new_string(path));
	json_object_object_add(s, "sid", json_object_new_string(b));
	json_object_object_add(s, "result", json_object_new_string(
		result ? result : err ? strerror(-err) : "ok"));
	if (err)
		json_object_object_add(s, "errno", json_object_new_int(-err));
	json_object_array_add(steps, s);
}

int apply_kernel_release(const struct qdh_sysroot *sr, struct apply_kernel *k,
			 const struct qdh_view *v, const struct qdh_device_info *d,
			 int dry_run, struct json_object *steps)
{
	struct apply_kiommu *io;
	struct apply_kstream *s;
	char path[256], val[16];
	uint32_t j, sid;
	int r, first = 0;

	if (!v || d->iommu == QDH_NO_IOMMU || !(io = kiommu(k, d->iommu)))
		return 0;
	if (view_path(io, RELEASE_FILE, path, sizeof(path)) < 0)
		return 0;
	for (j = 0; j < d->nsids; j++) {
		if (qdh_device_sid(v, d, j, &sid) < 0)
			break;
		s = kstream_find(io, sid);
		if (!s || s->before != APPLY_KS_ADOPTED || s->release)
			continue;	/* nothing of ours to release */
		if (dry_run) {
			release_step(steps, path, sid, "dry-run", 0);
			continue;
		}
		apply_fmt(val, sizeof(val), "0x%x\n", sid);
		r = qdh_sysroot_write(sr, path, val, strlen(val));
		/* -EBUSY: its driver bound meanwhile and the kernel attached it */
		s->release = r == 0 ? 1 : r;
		release_step(steps, path, sid, r == -EBUSY ? "attached-by-kernel" : NULL,
			     r == -EBUSY ? 0 : r);
		if (r < 0 && r != -EBUSY && !first)
			first = r;
	}
	return first;
}

void apply_kernel_refresh(const struct qdh_sysroot *sr, struct apply_kernel *k)
{
	size_t i, j;

	for (i = 0; i < k->n; i++) {
		if (k->v[i].error)
			continue;
		for (j = 0; j < k->v[i].n; j++)
			k->v[i].s[j].after = APPLY_KS_UNKNOWN;
		if (read_view(sr, &k->v[i], 1) < 0)
			for (j = 0; j < k->v[i].n; j++)
				k->v[i].s[j].after = APPLY_KS_UNKNOWN;
	}
}

struct json_object *apply_kernel_json(const struct apply_kernel *k)
{
	struct json_object *o = json_object_new_object(), *arr = json_object_new_array();
	char b[16], clean[160];
	size_t i, j;

	for (i = 0; i < k->n; i++) {
		const struct apply_kiommu *io = &k->v[i];
		struct json_object *e = json_object_new_object(), *ss;

		json_object_object_add(e, "iommu", json_object_new_string(io->name));
		if (io->error) {
			json_object_object_add(e, "error", json_object_new_string(io->error));
			json_object_array_add(arr, e);
			continue;
		}
		json_object_object_add(e, "mode", json_object_new_string(io->mode));
		json_object_object_add(e, "reason", io->reason[0] ?
				       json_object_new_string(io->reason) : NULL);
		json_object_object_add(e, "adopted", json_object_new_int64(io->adopted));
		json_object_object_add(e, "aborted", json_object_new_int64(io->aborted));
		ss = json_object_new_array();
		for (j = 0; j < io->n; j++) {
			const struct apply_kstream *s = &io->s[j];
			struct json_object *so = json_object_new_object();

			apply_fmt(b, sizeof(b), "0x%x", s->sid);
			json_object_object_add(so, "sid", json_object_new_string(b));
			json_object_object_add(so, "device", json_object_new_string(
				qdh_printable(s->dev, sizeof(s->dev), clean, sizeof(clean))));
			json_object_object_add(so, "old", json_object_new_string(s->old));
			json_object_object_add(so, "why", json_object_new_string(s->why));
			json_object_object_add(so, "before", json_object_new_string(
				apply_kstate_name(s->before)));
			json_object_object_add(so, "after", json_object_new_string(
				apply_kstate_name(s->after)));
			json_object_object_add(so, "released_by_apply",
					       json_object_new_boolean(s->release == 1));
			json_object_array_add(ss, so);
		}
		json_object_object_add(e, "streams", ss);
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "iommus", arr);
	return o;
}

void apply_kernel_free(struct apply_kernel *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->v[i].s);
	free(k->v);
	memset(k, 0, sizeof(*k));
}
