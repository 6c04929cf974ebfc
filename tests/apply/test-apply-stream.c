// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The streamed report of `qdh apply` (kexec/apply/report.c) and its
 * console text (kexec/cmd/apply_text.c):
 * 1. byte for byte what json-c prints for the whole tree, with 0, 1 and 3
 *    devices of every JSON type, and with the placeholder strings planted
 *    in a kernel message before the devices and in the report path after
 *    them (both are text from outside);
 * 2. one device object alive at a time, however many there are: 100,000
 *    devices built as one tree took 658 MiB.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "apply-internal.h"
#include "apply-text.h"
#include "tap.h"

#define PRETTY	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)

static long live, max_live, made;

static void gone(struct json_object *o, void *ud)
{
	(void)o;
	(void)ud;
	live--;
}

static struct json_object *device(void *ctx, size_t i)
{
	struct json_object *o = json_object_new_object(), *steps, *s, *now;
	char name[32];

	(void)ctx;
	snprintf(name, sizeof(name), "0000:%02zx:%02zx.%zu", i >> 8 & 0xff, i >> 3 & 0x1f, i & 7);
	json_object_object_add(o, "device", json_object_new_string(name));
	json_object_object_add(o, "why", json_object_new_string("line\nbreak \"quoted\" / slash \t tab \xc3\xa9"));
	json_object_object_add(o, "in_blob", json_object_new_boolean(i & 1));
	json_object_object_add(o, "result", i % 3 ? NULL : json_object_new_string("ok"));
	json_object_object_add(o, "count", json_object_new_int64((int64_t)i * 1000003));
	now = json_object_new_object();
	json_object_object_add(now, "empty", json_object_new_object());
	json_object_object_add(now, "none", json_object_new_array());
	json_object_object_add(o, "now", now);
	steps = json_object_new_array();
	for (size_t k = 0; k < i % 3; k++) {
		s = json_object_new_object();
		json_object_object_add(s, "op", json_object_new_string("clear-bus-master"));
		json_object_object_add(s, "result", json_object_new_string("ok"));
		json_object_array_add(steps, s);
	}
	json_object_object_add(o, "steps", steps);
	json_object_set_userdata(o, NULL, gone);
	made++;
	if (++live > max_live)
		max_live = live;
	return o;
}

/* The root as run() builds it: keys before the devices, then after. */
static struct json_object *root_head(void)
{
	struct json_object *r = json_object_new_object(), *io = json_object_new_object();
	struct json_object *msgs = json_object_new_array();

	json_object_object_add(r, "program", json_object_new_string("qdh apply"));
	json_object_array_add(msgs, json_object_new_string("qdh-apply-device-placeholder-b"));
	json_object_array_add(msgs, json_object_new_string("\"qdh-apply-device-placeholder-a\""));
	json_object_array_add(msgs, json_object_new_string("qdh-apply-device-placeholder-a"));
	json_object_object_add(io, "messages", msgs);
	json_object_object_add(r, "iommu_state", io);
	return r;
}

static void root_tail(struct json_object *r, int code)
{
	struct json_object *cnt = json_object_new_object();

	json_object_object_add(cnt, "attach", json_object_new_int(2));
	json_object_object_add(r, "counts", cnt);
	json_object_object_add(r, "report", json_object_new_string("qdh-apply-device-placeholder-b"));
	json_object_object_add(r, "exit_code", json_object_new_int(code));
}

static void test_same_bytes(size_t n)
{
	struct qdh_apply_devs devs = { .n = n, .json = device };
	struct json_object *tree = root_head(), *root = root_head(), *arr;
	struct apply_stream *st = NULL;
	char *buf = NULL, *want;
	size_t len = 0, i;
	FILE *f;
	int r;

	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, device(NULL, i));
	json_object_object_add(tree, "devices", arr);
	root_tail(tree, 3);
	want = malloc(strlen(json_object_to_json_string_ext(tree, PRETTY)) + 2);
	if (!want)
		exit(99);
	sprintf(want, "%s\n", json_object_to_json_string_ext(tree, PRETTY));

	r = apply_stream_begin(root, &st);
	root_tail(root, 0);
	/* A key after the devices replaced later, as run() does with exit_code. */
	json_object_object_add(root, "exit_code", json_object_new_int(3));
	f = open_memstream(&buf, &len);
	if (!f)
		exit(99);
	if (r == 0)
		r = apply_stream_json(st, root, &devs, f);
	fclose(f);
	if (!tap_ok(r == 0 && buf && !strcmp(buf, want),
		    "same bytes as json-c's whole tree with %zu device(s) (r=%d)", n, r)) {
		printf("# want:\n%s# got:\n%s", want, buf ? buf : "(null)");
	}
	free(buf);
	free(want);
	apply_stream_free(st);
	json_object_put(root);
	json_object_put(tree);
}

static void test_one_at_a_time(void)
{
	struct qdh_apply_devs devs = { .n = 100000, .json = device };
	struct json_object *root = root_head();
	struct apply_stream *st = NULL;
	FILE *f = fopen("/dev/null", "w");
	int r;

	if (!f)
		exit(99);
	live = max_live = made = 0;
	r = apply_stream_begin(root, &st);
	root_tail(root, 0);
	if (r == 0)
		r = apply_stream_json(st, root, &devs, f);
	qdh_apply_render_text(root, &devs, f);
	fclose(f);
	tap_ok(r == 0 && made == 200000 && live == 0 && max_live == 1,
	       "100,000 devices, JSON and text: %ld objects made, at most %ld alive (want 1)",
	       made, max_live);
	apply_stream_free(st);
	json_object_put(root);
}

int main(void)
{
	test_same_bytes(0);
	test_same_bytes(1);
	test_same_bytes(3);
	test_one_at_a_time();
	return tap_done();
}
