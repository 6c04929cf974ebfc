/* SPDX-License-Identifier: GPL-2.0-or-later */
/* elfcorehdr builder (elfcore.c) and the crash facts it needs (crashinfo.c). */
#ifndef QDH_LOADER_ELFCORE_H
#define QDH_LOADER_ELFCORE_H

#include "qdh/loader.h"

struct qdh_elfcore_in {
	uint16_t machine;			/* EM_AARCH64, ... */
	const struct qdh_mem_range *notes;	/* physical [start, end] */
	size_t nnotes;
	const struct qdh_mem_range *loads;
	size_t nloads;
	uint64_t (*load_vaddr)(uint64_t phys);	/* NULL: p_vaddr 0 */
	const uint8_t *blob;			/* NULL: no QDH note */
	size_t blob_len;
};

size_t qdh_elfcore_size(const struct qdh_elfcore_in *in);
/* Build at buf (to be loaded at phys); *blob_phys gets the physical address
 * of the QDH note's descriptor (the blob copy purgatory writes to). */
int qdh_elfcore_build(uint8_t *buf, size_t cap, uint64_t phys,
		      const struct qdh_elfcore_in *in, uint64_t *blob_phys);

/*
 * Per-CPU crash_notes of every possible CPU and the vmcoreinfo note, from
 * the sysroot.  notes is malloc'd (free it).
 */
int qdh_crash_notes(struct qdh_ld_ctx *c, struct qdh_mem_range **notes,
		    size_t *n);

/* "0-3,5" (sysfs cpu lists) -> bitmap of up to max CPUs; -EINVAL if bad. */
int qdh_parse_cpulist(const char *s, unsigned char *set, unsigned max);

#endif
