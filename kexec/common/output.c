// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "qdh/output.h"

int qdh_output(struct json_object *obj, int json_mode, qdh_text_renderer text,
	       FILE *out)
{
	if (json_mode || !text) {
		fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
						     JSON_C_TO_STRING_NOSLASHESCAPE), out);
		fputc('\n', out);
	} else {
		text(obj, out);
	}
	if (fflush(out) == EOF || ferror(out))
		return -(errno ? errno : EIO);
	return 0;
}

void qdh_output_error(int json_mode, const char *prog, const char *file,
		      long long offset, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_mode) {
		struct json_object *root = json_object_new_object();
		struct json_object *err = json_object_new_object();

		json_object_object_add(err, "program", json_object_new_string(prog));
		json_object_object_add(err, "file", file ? json_object_new_string(file) : NULL);
		json_object_object_add(err, "offset",
				       offset >= 0 ? json_object_new_int64(offset) : NULL);
		json_object_object_add(err, "message", json_object_new_string(msg));
		json_object_object_add(root, "error", err);
		puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		fflush(stdout);
		json_object_put(root);
		return;
	}
	if (file && offset >= 0)
		fprintf(stderr, "%s: %s: %s (at byte %lld)\n", prog, file, msg, offset);
	else if (file)
		fprintf(stderr, "%s: %s: %s\n", prog, file, msg);
	else
		fprintf(stderr, "%s: %s\n", prog, msg);
}

const char *qdh_json_str(struct json_object *obj, const char *key, const char *dflt)
{
	struct json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) || !v)
		return dflt;
	return json_object_get_string(v);
}

long long qdh_json_int(struct json_object *obj, const char *key, long long dflt)
{
	struct json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) || !v)
		return dflt;
	return json_object_get_int64(v);
}

const char *qdh_printable(const char *in, size_t inlen, char *buf, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;

	if (!cap)
		return buf;
	for (i = 0; i < inlen && in[i]; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			if (o + 1 >= cap)
				break;
			buf[o++] = (char)c;
		} else {
			if (o + 4 >= cap)
				break;
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	buf[o] = '\0';
	return buf;
}
