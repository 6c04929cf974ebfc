/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared between the files of kexec/apply/ only. */
#ifndef QDH_APPLY_INTERNAL_H
#define QDH_APPLY_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "qdh/apply.h"

/* snprintf() that reports truncation: 0 or -ENAMETOOLONG (buf still ends). */
static inline int apply_fmt(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline int apply_fmt(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

/* One device in the union of the blob and what is present now. */
struct apply_item {
	char name[64];
	/* Identity: (bus type, address); a platform device's is its name. */
	int is_platform;
	uint32_t domain;	/* PCI domain; above 0xffff for VMD */
	uint8_t bus, devfn;
	int in_blob;
	struct qdh_device_info bi;	/* in_blob */
	struct qdh_now_dev *now;	/* present, or NULL */
	int dump_target, dump_parent, bridge;
	int dump_fallback;		/* no-dump-target blob, absent from it */
	enum qdh_decision dec;
	char why[192];
	struct json_object *steps;	/* owned by the report once added */
	int err;			/* enforcement result */
};

/* items.c: the items sorted by identity, PCI first, then platform by name. */
struct apply_items {
	struct apply_item *v;
	size_t n, cap;
	size_t dropped;		/* second entries for one identity */
	size_t *slot;		/* path hash: item index + 1; 0 empty */
	size_t mask;
};
int apply_items_build(const struct qdh_view *v, struct qdh_now *now,
		      struct apply_items *it);
void apply_items_free(struct apply_items *it);
struct apply_item *apply_items_find_pci(const struct apply_items *it, uint32_t domain,
					uint8_t bus, uint8_t devfn);
struct apply_item *apply_items_find_platform(const struct apply_items *it,
					     const char *name);
/* The present device at exactly path[0..len). */
struct apply_item *apply_items_find_path(const struct apply_items *it,
					 const char *path, size_t len);
/* The nearest present device at or above path. */
struct apply_item *apply_items_find_up(const struct apply_items *it, const char *path);
/* dump_parent on every present device above a dump target. */
void apply_items_mark_dump_parents(struct apply_items *it);

/*
 * plan.c: the decision, a function of memory only (no file is read): the
 * items of the handover v (NULL: no valid one) and the present devices,
 * the dump targets marked, each item decided.  On success the caller frees
 * it with apply_items_free(); on error it may hold a partial list.
 */
struct apply_dump_target {
	const char *arg;	/* as given: an address or a platform device */
	const char *path;	/* the sysfs path the caller resolved it to, or NULL */
	int found;		/* out: it named a device */
};
struct apply_plan_in {
	const struct qdh_view *v;
	struct qdh_now *now;
	enum qdh_fail_safe fail_safe;
	enum qdh_hotplug hotplug;
	struct apply_dump_target *dump;
	int ndump;
};
int apply_plan(const struct apply_plan_in *in, struct apply_items *it);

/* device_json.c: one device of the report. */
struct json_object *apply_item_json(const struct apply_item *x);

/* report.c */
struct json_object *apply_json_handover(const struct qdh_handover *h);
/*
 * The devices (struct qdh_apply_devs) stream into the text where root's
 * "devices" is a placeholder, which apply_stream_begin() sets.  Call it
 * when "devices" is the last key of root; the keys after it may be added
 * (or replaced) later.  0 or -ENOMEM.
 */
struct apply_stream;
int apply_stream_begin(struct json_object *root, struct apply_stream **out);
void apply_stream_free(struct apply_stream *s);
/* root as JSON (pretty, as qdh_output prints), the devices streamed in. */
int apply_stream_json(const struct apply_stream *s, struct json_object *root,
		      const struct qdh_apply_devs *devs, FILE *out);
/* One "<5>qdh: ..." line per decision; returns lines written or -errno. */
int apply_kmsg_log(const struct qdh_sysroot *sr, struct json_object *root,
		   const struct qdh_apply_devs *devs);
int apply_write_report(const struct qdh_sysroot *sr, const char *file,
		       const struct apply_stream *s, struct json_object *root,
		       const struct qdh_apply_devs *devs, char *shown, size_t cap);

#endif
