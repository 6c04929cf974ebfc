/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arm64 kexec_load internals: device tree, placement, purgatory image. */
#ifndef QDH_LOADER_ARM64_H
#define QDH_LOADER_ARM64_H

#include "qdh/loader.h"

/* --- device tree (dtb.c) --- */
struct arm64_dtb_in {
	const char *name;		/* for messages */
	const char *cmdline;		/* NULL: keep the tree's bootargs */
	int has_initrd, panic;
	const struct qdh_mem_range *usable;	/* crash regions (-p) */
	size_t nusable;
	const uint8_t *blob;		/* NULL: no QDH property */
	size_t blob_len;
};

struct arm64_dtb {
	uint8_t *fdt;			/* malloc'd, packed */
	size_t size;
	size_t blob_offset;		/* QDH property data, from fdt start */
	uint64_t uart;			/* PL011 base from stdout-path, or 0 */
	int ac, sc;			/* root #address-cells, #size-cells */
};

struct arm64_dtb_addrs {
	uint64_t initrd_start, initrd_end;	/* end exclusive */
	uint64_t elfcorehdr, elfcorehdr_size;
};

int arm64_dtb_prepare(struct qdh_ld_ctx *c, const uint8_t *in, size_t inlen,
		      const struct arm64_dtb_in *d, struct arm64_dtb *out);
int arm64_dtb_finalize(struct qdh_ld_ctx *c, struct arm64_dtb *dt,
		       const struct arm64_dtb_in *d, const struct arm64_dtb_addrs *a);

/* --- placement (layout.c) --- */
struct arm64_layout {
	const struct qdh_mem_range *pool;	/* usable, sorted */
	size_t npool;
	struct qdh_mem_range used[QDH_LD_MAX_SEGMENTS];
	size_t nused;
};

/*
 * Lowest address >= hint (then anywhere) in the pool with [addr, addr+size)
 * free, addr % align == 0, and, if no_cross is non-zero, not crossing a
 * no_cross-aligned boundary.  -ENOSPC if nothing fits.
 */
int arm64_place(struct arm64_layout *l, uint64_t size, uint64_t align,
		uint64_t no_cross, uint64_t hint, uint64_t *addr);

/* --- purgatory (purgatory.c) --- */
struct qdh_purgatory_image {
	uint8_t *buf;			/* PT_LOAD image, linked at 0 */
	size_t size;
	uint64_t entry_off;		/* e_entry */
	uint64_t params_off;		/* qdh_purgatory_params */
};

/* Parse the embedded ELF (or elf/len) with libelf. */
int qdh_purgatory_load(struct qdh_ld_ctx *c, const uint8_t *elf, size_t len,
		       struct qdh_purgatory_image *out);
/* The embedded one, or -ENOENT when built without it. */
int qdh_purgatory_embedded(const uint8_t **elf, size_t *len);

#endif
