/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one table of names for the ABI's values (lib/names.c): states,
 * actions, purgatory actions, IOMMU types, STE states, reason bits and the
 * header, IOMMU, device and record flag bits.  Every renderer uses it:
 * `qdh scan`, `qdh inspect` and `qdh apply` (text and JSON), the policy
 * parser (the reverse lookups), the purgatory's console lines.  The
 * strings are part of the JSON schemas (doc/scan-json.md,
 * doc/inspect-json.md, doc/apply.md) and of doc/verdicts.md: add, never
 * rename.  Freestanding: purgatory links it.
 */
#ifndef QDH_NAMES_H
#define QDH_NAMES_H

/* Value -> name; "invalid" (types: "unknown") for values past the table. */
const char *qdh_state_name(unsigned int state);
const char *qdh_action_name(unsigned int action);
const char *qdh_purgatory_action_name(unsigned int action);
const char *qdh_iommu_type_name(unsigned int type);
const char *qdh_ste_state_name(unsigned int ste);

/* Bit number -> name; NULL for a bit without one. */
const char *qdh_reason_name(unsigned int bit);
const char *qdh_header_flag_name(unsigned int bit);
const char *qdh_iommu_flag_name(unsigned int bit);
const char *qdh_device_flag_name(unsigned int bit);
const char *qdh_record_flag_name(unsigned int bit);

/* Name -> value; 0 (no state or action has it) when unknown or NULL. */
unsigned int qdh_state_by_name(const char *name);
unsigned int qdh_action_by_name(const char *name);

#endif
