/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One print path for text and JSON (iproute2's habit): a command builds one
 * json-c object; with --json it is printed as is, otherwise the command's
 * text renderer walks the same object, so the two outputs cannot drift.
 * In JSON mode errors are JSON on stdout too, and nothing else goes there.
 */
#ifndef QDH_OUTPUT_H
#define QDH_OUTPUT_H

#include <stdio.h>
#include <json-c/json.h>

typedef void (*qdh_text_renderer)(struct json_object *obj, FILE *out);

/* Prints obj; returns 0 or -errno (e.g. -EPIPE). Does not take ownership. */
int qdh_output(struct json_object *obj, int json_mode, qdh_text_renderer text,
	       FILE *out);

/*
 * Report an error: "PROG: FILE: MESSAGE (at byte OFFSET)" on stderr, or in
 * JSON mode {"error":{"program":..,"file":..,"offset":..,"message":..}} on
 * stdout.  file may be NULL, offset < 0 means none.
 */
void qdh_output_error(int json_mode, const char *prog, const char *file,
		      long long offset, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Helpers for renderers: fields that may be absent. */
const char *qdh_json_str(struct json_object *obj, const char *key, const char *dflt);
long long qdh_json_int(struct json_object *obj, const char *key, long long dflt);

/*
 * Printable copy of untrusted text (names from blobs and sysfs): anything
 * outside printable ASCII becomes \xNN.  Returns buf.
 */
const char *qdh_printable(const char *in, size_t inlen, char *buf, size_t cap);

#endif
