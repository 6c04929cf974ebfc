// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stable names for the blob's flag bits and purgatory actions.  They are
 * part of the `qdh inspect --json` schema (doc/inspect-json.md): add, never
 * rename.
 */
#include "config.h"

#include <stddef.h>

#include "qdh/transport.h"

static const char *pick(const char *const *names, size_t n, unsigned i)
{
	return i < n ? names[i] : NULL;
}

#define PICK(names, i) pick(names, sizeof(names) / sizeof(names[0]), i)

const char *qdh_header_flag_name(unsigned bit)
{
	static const char *const n[] = { "crash", "kexec", "no-purgatory", "block-bypass",
					 "no-dump-target" };

	return PICK(n, bit);
}

const char *qdh_iommu_flag_name(unsigned bit)
{
	static const char *const n[] = { "has-active" };

	return PICK(n, bit);
}

const char *qdh_device_flag_name(unsigned bit)
{
	static const char *const n[] = { "platform", "dump-target", "driver", "sriov-vf" };

	return PICK(n, bit);
}

const char *qdh_record_flag_name(unsigned bit)
{
	static const char *const n[] = { "purgatory-ran", "digest-ok", "digest-bad",
					 "digest-skipped" };

	return PICK(n, bit);
}

const char *qdh_purgatory_action_name(unsigned action)
{
	static const char *const n[] = { "none", "observed", "gbpa-abort",
					 "fault-streams", "timeout", "skipped" };
	const char *s = PICK(n, action);

	return s ? s : "invalid";
}

const char *qdh_ste_state_name(unsigned ste)
{
	static const char *const n[] = { "not-read", "invalid", "abort", "bypass", "s1",
					 "s2", "nested", "out-of-range", "unreadable" };
	const char *s = PICK(n, ste);

	return s ? s : "invalid";
}
