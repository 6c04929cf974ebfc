// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The crash side's decision, apart from the filesystem: from the handover
 * (a validated blob, or none) and the device model already read into
 * memory (struct qdh_now), the items and a decision for each.  Nothing
 * here opens a file: run.c reads the system through the sysroot
 * first (handover, present devices, the paths --dump-target names) and
 * enforces afterwards, so this part is fuzzed at memory speed
 * (fuzz/fuzz-decide.c) and the file layer end to end (fuzz/fuzz-apply.c).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "apply-internal.h"
#include "qdh/bdf.h"
#include "qdh/codec.h"
#include "qdh/pcidev.h"

/*
 * A --dump-target: an address names a PCI function (never a platform
 * device), another name a platform device; failing those, the sysfs path
 * the caller resolved names the present device at or above it.
 */
static struct apply_item *dump_target(const struct apply_items *it,
				       const struct apply_dump_target *d)
{
	struct apply_item *x;
	struct qdh_bdf b;

	if (qdh_bdf_parse(d->arg, &b) == 0)
		x = apply_items_find_pci(it, b.domain, b.bus, b.devfn);
	else
		x = apply_items_find_platform(it, d->arg);
	if (!x && d->path && d->path[0])
		x = apply_items_find_up(it, d->path);
	return x;
}

/*
 * No dump target was determined at load (QDH_F_NO_DUMP_TARGET): the scan
 * marked every storage and network controller it saw, and a present one
 * the blob does not know (hot-plugged, or renumbered) may hold the dump
 * as well: a dump target of unknown state, never aborted.
 */
static void mark_dump_fallback(const struct qdh_view *v, struct apply_items *it)
{
	size_t k;

	if (!v || !(v->flags & QDH_F_NO_DUMP_TARGET))
		return;
	for (k = 0; k < it->n; k++) {
		struct apply_item *x = &it->v[k];

		if (x->in_blob || !x->now || x->is_platform || x->now->class_code < 0 ||
		    !qdh_dump_class((uint32_t)x->now->class_code))
			continue;
		x->dump_target = 1;
		x->dump_fallback = 1;
	}
}

int apply_plan(const struct apply_plan_in *in, struct apply_items *it)
{
	size_t k;
	int i, r;

	r = apply_items_build(in->v, in->now, it);
	if (r < 0)
		return r;
	for (i = 0; i < in->ndump; i++) {
		struct apply_item *x = dump_target(it, &in->dump[i]);

		in->dump[i].found = x != NULL;
		if (x)
			x->dump_target = 1;
	}
	mark_dump_fallback(in->v, it);
	apply_items_mark_dump_parents(it);
	for (k = 0; k < it->n; k++) {
		struct apply_item *x = &it->v[k];
		struct qdh_decide_in d = {
			.handover_ok = in->v != NULL, .fail_safe = in->fail_safe,
			.hotplug = in->hotplug, .in_blob = x->in_blob,
			.present = x->now != NULL, .state = x->bi.state,
			.bridge = x->bridge, .dump_target = x->dump_target,
			.dump_parent = x->dump_parent,
			.can_reset = x->now && x->now->has_reset && x->now->reset_method[0],
			.dump_fallback = x->dump_fallback,
		};

		x->dec = qdh_apply_decide(&d, x->why, sizeof(x->why));
	}
	return 0;
}
