// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The policy file (doc/policy.md): JSON rules that override verdicts and
 * actions.  It decides whether DMA is let into the crash kernel, so, like
 * sudoers, a file or directory that anyone but root can write is refused.
 * Parsing is strict: an unknown key is an error, not a silent no-op.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qdh/io.h"
#include "scan.h"

#define MAX_POLICY_SIZE	(1u << 20)

struct perr {
	const char *file;
	char *buf;
	size_t cap;
};

static int fail(struct perr *e, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct perr *e, const char *where, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(e->buf, e->cap, "%s: %s: %s", e->file, where, msg);
	return -EINVAL;
}

static uint8_t state_by_name(const char *s)
{
	return (uint8_t)qdh_state_by_name(s);
}

static uint8_t action_by_name(const char *s)
{
	return (uint8_t)qdh_action_by_name(s);
}

/* "0x0200" -> value and width in hex digits. */
static int parse_hex(const char *s, uint32_t *v, int *digits)
{
	char *end;
	unsigned long x;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2])
		return -1;
	x = strtoul(s + 2, &end, 16);
	if (*end || strlen(s + 2) > 6)
		return -1;
	*v = (uint32_t)x;
	*digits = (int)strlen(s + 2);
	return 0;
}

static int parse_id4(const char *s, size_t n, uint16_t *v)
{
	char buf[5];
	char *end;

	if (n != 4)
		return -1;
	memcpy(buf, s, 4);
	buf[4] = '\0';
	*v = (uint16_t)strtoul(buf, &end, 16);
	return *end ? -1 : 0;
}

static const char *str_of(struct json_object *o)
{
	return json_object_is_type(o, json_type_string) ? json_object_get_string(o) : NULL;
}

static int parse_match(struct perr *e, const char *where, struct json_object *m,
		       struct qdh_policy_rule *r)
{
	char w[512];
	int nkeys = 0;
	struct json_object *mask = NULL;

	if (!json_object_is_type(m, json_type_object))
		return fail(e, where, "\"match\" must be an object");
	json_object_object_foreach(m, key, val) {
		const char *s = str_of(val);

		snprintf(w, sizeof(w), "%s.%s", where, key);
		nkeys++;
		if (!strcmp(key, "bdf")) {
			char full[QDH_BDF_NAME_MAX + 8];
			struct qdh_bdf b;

			if (!s)
				return fail(e, w, "must be \"SSSS:BB:DD.F\" or \"BB:DD.F\"");
			/* "BB:DD.F" is short for domain 0000 */
			if (strlen(s) >= QDH_BDF_NAME_MAX ||
			    snprintf(full, sizeof(full), "%s%s",
				     strchr(s, ':') == strrchr(s, ':') ? "0000:" : "", s) < 0 ||
			    qdh_bdf_parse(full, &b) < 0)
				return fail(e, w, "\"%s\" is not SSSS:BB:DD.F or BB:DD.F "
					    "(lowercase hex, as the kernel names functions)", s);
			r->domain = b.domain;
			r->bus = b.bus;
			r->devfn = b.devfn;
			r->has_bdf = 1;
		} else if (!strcmp(key, "name")) {
			if (!s || !*s || strlen(s) >= sizeof(r->name))
				return fail(e, w, "must be a platform device name");
			strcpy(r->name, s);
		} else if (!strcmp(key, "vendor_device")) {
			const char *colon = s ? strchr(s, ':') : NULL;

			if (!colon || parse_id4(s, (size_t)(colon - s), &r->vendor) < 0)
				return fail(e, w, "must be \"VVVV:DDDD\" or \"VVVV:*\" (hex)");
			r->has_vendor = 1;
			if (strcmp(colon + 1, "*")) {
				if (parse_id4(colon + 1, strlen(colon + 1), &r->device) < 0)
					return fail(e, w, "must be \"VVVV:DDDD\" or \"VVVV:*\" (hex)");
				r->has_device = 1;
			}
		} else if (!strcmp(key, "class")) {
			int digits;

			if (!s || parse_hex(s, &r->class_code, &digits) < 0)
				return fail(e, w, "must be \"0xCCSS\" or \"0xCCSSPP\"");
			/* 4 digits: class + subclass, any programming interface */
			if (digits <= 4) {
				r->class_code <<= 8;
				r->class_mask = 0xffff00;
			} else {
				r->class_mask = 0xffffff;
			}
			r->has_class = 1;
		} else if (!strcmp(key, "mask")) {
			mask = val;
			nkeys--;
		} else if (!strcmp(key, "driver")) {
			if (json_object_is_type(val, json_type_null)) {
				strcpy(r->driver, "\n");	/* no driver bound */
			} else {
				if (!s || !*s || strlen(s) >= sizeof(r->driver))
					return fail(e, w, "must be a driver name or null");
				strcpy(r->driver, s);
			}
		} else {
			return fail(e, w, "unknown match key");
		}
	}
	if (mask) {
		uint32_t v;
		int digits;

		snprintf(w, sizeof(w), "%s.mask", where);
		if (!r->has_class)
			return fail(e, w, "only goes with \"class\"");
		if (!str_of(mask) || parse_hex(str_of(mask), &v, &digits) < 0)
			return fail(e, w, "must be \"0xMMMM\" or \"0xMMMMMM\"");
		r->class_mask = r->class_mask == 0xffff00 ? v << 8 : v;
		r->class_code &= r->class_mask;
	}
	if (nkeys == 0)
		return fail(e, where, "matches nothing: give bdf, name, vendor_device, class or driver");
	return 0;
}

static int parse_rule(struct perr *e, size_t i, struct json_object *o,
		      struct qdh_policy_rule *r)
{
	char where[64], w[256];
	int have_match = 0;

	snprintf(where, sizeof(where), "rules[%zu]", i);
	if (!json_object_is_type(o, json_type_object))
		return fail(e, where, "must be an object");
	json_object_object_foreach(o, key, val) {
		const char *s = str_of(val);

		snprintf(w, sizeof(w), "%s.%s", where, key);
		if (!strcmp(key, "match")) {
			int rc = parse_match(e, w, val, r);

			if (rc < 0)
				return rc;
			have_match = 1;
		} else if (!strcmp(key, "state")) {
			if (!s || !(r->state = state_by_name(s)))
				return fail(e, w, "must be quiesced, active, unknown or bridge");
		} else if (!strcmp(key, "action")) {
			if (!s || !(r->action = action_by_name(s)))
				return fail(e, w, "must be attach, abort or reset-then-attach");
		} else if (!strcmp(key, "comment")) {
			/* for people */
		} else {
			return fail(e, w, "unknown key");
		}
	}
	if (!have_match)
		return fail(e, where, "has no \"match\"");
	if (!r->state && !r->action)
		return fail(e, where, "sets neither \"state\" nor \"action\"");
	return 0;
}

static int parse_names(struct perr *e, const char *where, struct json_object *a,
		       char ***out, size_t *n)
{
	size_t i, len;

	if (!json_object_is_type(a, json_type_array))
		return fail(e, where, "must be an array of driver names");
	len = json_object_array_length(a);
	*out = calloc(len + 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		const char *s = str_of(json_object_array_get_idx(a, i));

		if (!s || !*s || strlen(s) >= 64 || strchr(s, '/'))
			return fail(e, where, "entry %zu is not a driver name", i);
		(*out)[i] = strdup(s);
		if (!(*out)[i])
			return -ENOMEM;
		*n = i + 1;
	}
	return 0;
}

static int parse_top(struct perr *e, struct json_object *root, struct qdh_policy *p)
{
	int r;

	if (!json_object_is_type(root, json_type_object))
		return fail(e, "top level", "must be an object");
	json_object_object_foreach(root, key, val) {
		if (!strcmp(key, "version")) {
			if (!json_object_is_type(val, json_type_int) ||
			    json_object_get_int(val) != 1)
				return fail(e, "version", "only version 1 is known");
		} else if (!strcmp(key, "rules")) {
			size_t i, n;

			if (!json_object_is_type(val, json_type_array))
				return fail(e, "rules", "must be an array");
			n = json_object_array_length(val);
			p->rules = calloc(n ? n : 1, sizeof(*p->rules));
			if (!p->rules)
				return -ENOMEM;
			for (i = 0; i < n; i++) {
				r = parse_rule(e, i, json_object_array_get_idx(val, i),
					       &p->rules[i]);
				if (r < 0)
					return r;
				p->nrules = i + 1;
			}
		} else if (!strcmp(key, "defaults")) {
			if (!json_object_is_type(val, json_type_object))
				return fail(e, "defaults", "must be an object");
			json_object_object_foreach(val, st, act) {
				char w[64];
				uint8_t s = state_by_name(st), a;

				snprintf(w, sizeof(w), "defaults.%s", st);
				if (!s)
					return fail(e, w, "not a state (quiesced, active, unknown, bridge)");
				if (!str_of(act) || !(a = action_by_name(str_of(act))))
					return fail(e, w, "must be attach, abort or reset-then-attach");
				p->default_action[s] = a;
			}
		} else if (!strcmp(key, "shutdown_drivers")) {
			if (!json_object_is_type(val, json_type_object))
				return fail(e, "shutdown_drivers", "must be an object");
			json_object_object_foreach(val, k2, v2) {
				if (!strcmp(k2, "add"))
					r = parse_names(e, "shutdown_drivers.add", v2,
							&p->shutdown_add, &p->nshutdown_add);
				else if (!strcmp(k2, "remove"))
					r = parse_names(e, "shutdown_drivers.remove", v2,
							&p->shutdown_remove,
							&p->nshutdown_remove);
				else
					r = fail(e, "shutdown_drivers", "unknown key \"%s\"", k2);
				if (r < 0)
					return r;
			}
		} else if (!strcmp(key, "block_bypass")) {
			if (!json_object_is_type(val, json_type_boolean))
				return fail(e, "block_bypass", "must be true or false");
			p->block_bypass = json_object_get_boolean(val);
		} else if (!strcmp(key, "comment")) {
			/* for people */
		} else {
			return fail(e, key, "unknown key");
		}
	}
	return 0;
}

int qdh_policy_parse(const char *file, const char *text, size_t len,
		     struct qdh_policy **out, char *errbuf, size_t errcap)
{
	struct perr e = { file, errbuf, errcap };
	struct json_tokener *tok;
	struct json_object *root;
	struct qdh_policy *p;
	const char *err_desc = NULL;
	size_t err_off = 0;
	int r;

	if (len > MAX_POLICY_SIZE || len > 0x7fffffff) {
		snprintf(errbuf, errcap, "%s: larger than %u bytes", file, MAX_POLICY_SIZE);
		return -EFBIG;
	}
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	/* RFC 8259 only: no trailing commas, no single quotes. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (!root) {
		enum json_tokener_error je = json_tokener_get_error(tok);

		if (je == json_tokener_continue) {
			err_off = len;
			err_desc = "unexpected end of file";
		} else {
			err_off = json_tokener_get_parse_end(tok);
			err_desc = json_tokener_error_desc(je);
		}
	} else {
		size_t i;

		/* Only whitespace may follow the object. */
		for (i = json_tokener_get_parse_end(tok); i < len; i++)
			if (text[i] != ' ' && text[i] != '\n' && text[i] != '\t' &&
			    text[i] != '\r')
				break;
		if (i < len) {
			json_object_put(root);
			root = NULL;
			err_off = i;
			err_desc = "text after the end of the object";
		}
	}
	if (!root) {
		unsigned line = 1, col = 1;
		size_t i;

		for (i = 0; i < err_off && i < len; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		snprintf(errbuf, errcap, "%s:%u:%u: %s", file, line, col, err_desc);
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);
	p = calloc(1, sizeof(*p));
	if (!p) {
		json_object_put(root);
		return -ENOMEM;
	}
	p->block_bypass = -1;	/* absent: the default decides */
	r = parse_top(&e, root, p);
	json_object_put(root);
	if (r < 0) {
		if (r == -ENOMEM)
			snprintf(errbuf, errcap, "%s: out of memory", file);
		qdh_policy_free(p);
		return r;
	}
	*out = p;
	return 0;
}

/* Root-owned and writable by root alone, as sudo wants sudoers. */
static int check_owner(const struct stat *st, const char *what, const char *path,
		       char *errbuf, size_t errcap)
{
	if (st->st_uid != 0) {
		snprintf(errbuf, errcap, "%s: refused: %s is owned by uid %u, not root",
			 path, what, (unsigned)st->st_uid);
		return -EPERM;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(errbuf, errcap,
			 "%s: refused: %s is writable by group or others (mode %04o)",
			 path, what, (unsigned)(st->st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

int qdh_policy_load(const char *file, struct qdh_policy **out,
		    char *errbuf, size_t errcap)
{
	char dir[4096], *text = NULL;
	void *buf = NULL;
	struct stat st;
	size_t got = 0;
	int fd, r;

	/* A regular file, opened without blocking (a FIFO must not hang us). */
	fd = qdh_open_input(file, &st);
	if (fd < 0) {
		snprintf(errbuf, errcap, "%s: %s", file, qdh_input_strerror(fd, &st));
		return fd;
	}
	r = check_owner(&st, "the file", file, errbuf, errcap);
	if (r == 0) {
		snprintf(dir, sizeof(dir), "%s", file);
		if (stat(dirname(dir), &st) < 0) {
			r = -errno;
			snprintf(errbuf, errcap, "%s: its directory: %s", file, strerror(-r));
		} else {
			r = check_owner(&st, "its directory", file, errbuf, errcap);
		}
	}
	if (r < 0) {
		close(fd);
		return r;
	}
	r = qdh_read_fd_alloc(fd, MAX_POLICY_SIZE, &buf, &got);
	close(fd);
	if (r == -EFBIG) {
		/* the same words and error as qdh_policy_parse() */
		snprintf(errbuf, errcap, "%s: larger than %u bytes", file, MAX_POLICY_SIZE);
	} else if (r < 0) {
		snprintf(errbuf, errcap, "%s: %s", file, strerror(-r));
	}
	text = buf;
	if (r == 0)
		r = qdh_policy_parse(file, text, got, out, errbuf, errcap);
	free(text);
	return r;
}

void qdh_policy_free(struct qdh_policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nshutdown_add; i++)
		free(p->shutdown_add[i]);
	for (i = 0; i < p->nshutdown_remove; i++)
		free(p->shutdown_remove[i]);
	free(p->shutdown_add);
	free(p->shutdown_remove);
	free(p->rules);
	free(p);
}

static int rule_matches(const struct qdh_policy_rule *r, const struct qdh_inv_device *d)
{
	int pci = d->bus == QDH_INV_PCI;

	if (r->has_bdf && (!pci || d->domain != r->domain ||
			   d->busno != r->bus || d->devfn != r->devfn))
		return 0;
	if (r->name[0] && (pci || strcmp(d->name, r->name)))
		return 0;
	if (r->has_vendor && (!pci || d->vendor != r->vendor))
		return 0;
	if (r->has_device && d->device != r->device)
		return 0;
	if (r->has_class && (!pci || (d->class_code & r->class_mask) != r->class_code))
		return 0;
	if (r->driver[0]) {
		if (!strcmp(r->driver, "\n"))
			return d->driver[0] == '\0';
		if (strcmp(r->driver, d->driver))
			return 0;
	}
	return 1;
}

uint32_t qdh_policy_blob_flags(const struct qdh_policy *p, enum qdh_scan_mode mode,
			       int no_purgatory, int has_active, int no_dump_target)
{
	uint32_t f = mode == QDH_SCAN_KEXEC ? QDH_F_KEXEC : QDH_F_CRASH;
	int bb = p ? p->block_bypass : -1;

	/* Only a crash load has a dump (ABI v1.1: the builder refuses it on
	 * a kexec blob); detection marked every storage/network controller. */
	if (no_dump_target && mode == QDH_SCAN_CRASH)
		f |= QDH_F_NO_DUMP_TARGET;

	/* No blob claims a purgatory action that never runs. */
	if (no_purgatory)
		return f | QDH_F_NO_PURGATORY;
	/* Default: block bypass DMA only where something may be active. */
	if (bb == 1 || (bb < 0 && has_active))
		f |= QDH_F_BLOCK_BYPASS;
	return f;
}

int qdh_policy_match(const struct qdh_policy *p, const struct qdh_inv_device *d)
{
	size_t i;

	for (i = 0; i < p->nrules; i++)
		if (rule_matches(&p->rules[i], d))
			return (int)i;
	return -1;
}
