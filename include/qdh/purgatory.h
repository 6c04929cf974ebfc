/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interface between the loader (kexec-qdh) and the aarch64 purgatory.
 *
 * The purgatory is a position-independent ELF linked at 0 with no dynamic
 * relocations, embedded in kexec-qdh (purgatory/purgatory-elf.c, generated).
 * The loader reads it with libelf, copies its PT_LOAD image to a 4 KiB
 * aligned address, fills the object named by the symbol
 * QDH_PURGATORY_PARAMS_SYMBOL (a struct qdh_purgatory_params in .data) and
 * sets the kexec entry to load address + e_entry.  The kernel enters it with
 * the MMU off; it verifies the segments, checks the IOMMUs named in the
 * blob, writes the QDH record into every blob copy listed, and jumps to
 * `entry` with x0 = dtb, x1 = x2 = x3 = 0 (arm64 boot protocol).
 */
#ifndef QDH_PURGATORY_H
#define QDH_PURGATORY_H

#include <stdint.h>

#define QDH_PURGATORY_PARAMS_SYMBOL	"qdh_purgatory_params"
#define QDH_PURGATORY_MAGIC		0x47525550u	/* "PURG" */
#define QDH_PURGATORY_VERSION		1
#define QDH_PURGATORY_MAX_SEGMENTS	16
#define QDH_PURGATORY_MAX_BLOBS		2

/* params.flags */
#define QDH_PURG_P_VERIFY	(1u << 0)  /* check every segment's SHA-256 */
#define QDH_PURG_P_BLOCK_BYPASS	(1u << 1)  /* SMMUv3: GBPA.ABORT when disabled,
					    * bypassing and active devices */
#define QDH_PURG_P_V2_FAULT	(1u << 2)  /* SMMUv2 in bypass: fault all
					    * streams (sCR0.USFCFG, CLIENTPD=0) */
#define QDH_PURG_P_HALT_ON_BAD	(1u << 3)  /* digest mismatch: spin instead
					    * of booting (default: boot and
					    * record QDH_REC_F_DIGEST_BAD) */

struct qdh_purgatory_segment {
	uint64_t mem;		/* physical address */
	uint64_t len;		/* bytes hashed */
	uint8_t sha256[32];
};

struct qdh_purgatory_params {
	uint32_t magic;		/* QDH_PURGATORY_MAGIC, set by the loader */
	uint32_t version;	/* QDH_PURGATORY_VERSION */
	uint64_t entry;		/* next kernel's entry point (physical) */
	uint64_t dtb;		/* DTB physical address: x0 at the jump */
	uint64_t blob[QDH_PURGATORY_MAX_BLOBS]; /* QDH blob copies (physical),
						 * 0 = unused */
	uint32_t blob_size;	/* bytes of each copy */
	uint32_t flags;		/* QDH_PURG_P_* */
	uint32_t nsegments;
	uint32_t reserved;
	uint64_t timeout_us;	/* bound for each register poll */
	uint64_t uart;		/* PL011 data register (physical) for progress
				 * lines, 0 = silent */
	struct qdh_purgatory_segment segments[QDH_PURGATORY_MAX_SEGMENTS];
};

/* The purgatory ELF image, generated into libqdhpurgatory.a. */
extern const unsigned char qdh_purgatory_elf[];
extern const unsigned long qdh_purgatory_elf_size;

#endif
