// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The decision table of `qdh apply` (doc/apply.md, "Deciding").  A pure
 * function of what the blob says and what is there now, so the table can be
 * tested row by row.  The rows are checked in this order; the first that
 * matches wins.
 */
#include "config.h"

#include <stdio.h>

#include "qdh/apply.h"

/*
 * A device that may be doing DMA.  A dump target is never aborted: without
 * it there is no dump, which is the crash kernel's only job.  With a reset
 * method it is reset first; without one its driver's probe is the only
 * reset it gets, and the report says so.
 */
static enum qdh_decision risky(const struct qdh_decide_in *in, const char *what,
			       char *why, size_t cap)
{
	if (in->dump_target && in->can_reset) {
		snprintf(why, cap, "%s, dump target", what);
		return QDH_DEC_RESET_ATTACH;
	}
	if (in->dump_target) {
		snprintf(why, cap, "%s, dump target without a reset method: attached unreset", what);
		return QDH_DEC_ATTACH;
	}
	snprintf(why, cap, "%s", what);
	return QDH_DEC_ABORT;
}

enum qdh_decision qdh_apply_decide(const struct qdh_decide_in *in, char *why,
				   size_t cap)
{
	if (!in->handover_ok && in->fail_safe == QDH_FAILSAFE_OBSERVE) {
		snprintf(why, cap, "no valid handover: fail-safe observe touches nothing");
		return QDH_DEC_OBSERVE;
	}
	if (!in->present) {
		snprintf(why, cap, "in the blob, absent now");
		return QDH_DEC_IGNORE;
	}
	/*
	 * Bridges forward DMA but do not originate it; cutting one off (bus
	 * master off or no driver) cuts off everything below, the dump target
	 * included.  Same for anything upstream of a dump target.
	 */
	if (in->bridge) {
		snprintf(why, cap, "bridge: never cut off");
		return QDH_DEC_ATTACH;
	}
	if (in->dump_parent) {
		snprintf(why, cap, "upstream of a dump target: never cut off");
		return QDH_DEC_ATTACH;
	}
	if (!in->handover_ok)
		return risky(in, "no valid handover: fail-safe strict", why, cap);
	if (!in->in_blob) {
		/* The load could not tell which controller holds the dump:
		 * one it never saw may be it (never abort, reset first). */
		if (in->dump_fallback)
			return risky(in, "not in the blob, storage/network controller "
				     "and the load found no dump target", why, cap);
		if (in->hotplug == QDH_HOTPLUG_ATTACH) {
			snprintf(why, cap, "not in the blob (hot-plugged after load): policy attach");
			return QDH_DEC_ATTACH;
		}
		return risky(in, "not in the blob (hot-plugged after load): policy abort",
			     why, cap);
	}
	switch (in->state) {
	case QDH_STATE_QUIESCED:
		snprintf(why, cap, "quiesced");
		return QDH_DEC_ATTACH;
	case QDH_STATE_BRIDGE:
		snprintf(why, cap, "bridge: never cut off");
		return QDH_DEC_ATTACH;
	case QDH_STATE_ACTIVE:
		return risky(in, "active", why, cap);
	default:
		return risky(in, "unknown", why, cap);
	}
}

const char *qdh_decision_name(enum qdh_decision d)
{
	switch (d) {
	case QDH_DEC_ATTACH: return "attach";
	case QDH_DEC_ABORT: return "abort";
	case QDH_DEC_RESET_ATTACH: return "reset-then-attach";
	case QDH_DEC_IGNORE: return "ignore";
	case QDH_DEC_OBSERVE: return "observe";
	}
	return "?";
}

const char *qdh_fail_safe_name(enum qdh_fail_safe f)
{
	return f == QDH_FAILSAFE_STRICT ? "strict" : "observe";
}

const char *qdh_hotplug_name(enum qdh_hotplug h)
{
	return h == QDH_HOTPLUG_ATTACH ? "attach" : "abort";
}
