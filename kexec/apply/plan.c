// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The crash side's decision, apart from the filesystem: from the handover
 * (a validated blob, or none) and the device model already read into
 * memory (struct qdh_now), the items and a decision for each.  Nothing
 * here opens a file: cmd_apply.c reads the system through the sysroot
 * first (handover, present devices, the paths --dump-target names) and
 * enforces afterwards, so this part is fuzzed at memory speed
 * (fuzz/fuzz-decide.c) and the file layer end to end (fuzz/fuzz-apply.c).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "apply-internal.h"
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
	uint16_t seg;
	uint8_t bus, devfn;

	if (qdh_parse_bdf(d->arg, &seg, &bus, &devfn) == 0)
		x = apply_items_find_pci(it, seg, bus, devfn);
	else
		x = apply_items_find_platform(it, d->arg);
	if (!x && d->path && d->path[0])
		x = apply_items_find_up(it, d->path);
	return x;
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
		};

		x->dec = qdh_apply_decide(&d, x->why, sizeof(x->why));
	}
	return 0;
}
