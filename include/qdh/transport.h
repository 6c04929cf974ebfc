/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The three ways a QDH blob travels (doc/transports.md): a /chosen DT
 * property, an ELF note (elfcorehdr, /proc/vmcore), and a file in a newc
 * cpio appended to an initrd.  Readers treat every container as hostile:
 * they validate the container itself (fdt_check_full, libelf, cpio header
 * fields) before looking inside, and report the byte offset of a fault.
 * Owner: kexec/transport/.
 */
#ifndef QDH_TRANSPORT_H
#define QDH_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "qdh/codec.h"
#include "qdh/names.h"

enum qdh_container {
	QDH_CT_UNKNOWN = 0,
	QDH_CT_RAW,		/* starts with QDH_MAGIC */
	QDH_CT_DTB,		/* FDT magic 0xd00dfeed */
	QDH_CT_ELF,		/* \x7fELF */
	QDH_CT_INITRD,		/* cpio, or gzip/xz/zstd/lz4 compressed start */
	QDH_CT_KDUMP,		/* makedumpfile's kdump-compressed format, "KDUMP   " */
	QDH_CT_KDUMP_FLAT,	/* makedumpfile's flattened stream (-F), "makedumpfile" */
};
enum qdh_container qdh_detect_container(const void *buf, size_t len);
const char *qdh_container_name(enum qdh_container c);

/*
 * Bounds on hostile containers (doc/security.md, "Bounds").  A container
 * past one is refused with -EFBIG and a fault that names the bound; within
 * them, work is linear in the input and memory held is at most the sum of
 * the bounds, never a copy per attempt.
 */
#define QDH_ELF_MAX_PHDRS	65535u	/* program headers (kexec builds fewer) */
#define QDH_ELF_MAX_SECTIONS	65536u	/* section headers (libelf keeps each) */
#define QDH_ELF_MAX_NOTE_AREAS	16384u	/* PT_NOTEs/SHT_NOTEs walked: CPUs + 2 */
#define QDH_ELF_MAX_NOTE_BYTES	(16u << 20)	/* note bytes read, all areas */
#define QDH_DTB_MAX		(2u << 20)	/* the arm64 kernel's FDT limit */

/*
 * Locate the blob inside a container held in memory.  On success *blob
 * points into buf and *offset is the blob's byte offset in buf.  Returns
 * -ENOENT when the container is fine but holds no blob, -EBADMSG when the
 * container is malformed (then *offset is where).
 */
int qdh_dtb_find_blob(const void *fdt, size_t len, const void **blob,
		      size_t *blob_len, size_t *offset);
int qdh_elf_find_blob(const void *buf, size_t len, const void **blob,
		      size_t *blob_len, size_t *offset);
int qdh_initrd_find_blob(const void *buf, size_t len, const void **blob,
			 size_t *blob_len, size_t *offset);
/* ELF from an fd, reading only headers and notes (/proc/vmcore is huge). */
int qdh_elf_find_blob_fd(int fd, uint8_t **blob, size_t *blob_len,
			 size_t *offset);

/*
 * The same readers with the reason for a failure.  On success blob/len/
 * offset describe the blob (offset from the start of the container); on
 * -EBADMSG or -ENOENT, fault is a static description of what is wrong and
 * offset the byte where it is.  qdh_elf_locate_fd() copies the blob into
 * malloc'd memory, also stored in owned (free it); the memory readers set
 * owned to NULL.  Other errors: -ENOMEM, -EIO, -EFBIG (note too large).
 */
struct qdh_locate {
	const uint8_t *blob;
	size_t len;
	size_t offset;
	const char *fault;
	uint8_t *owned;
};
int qdh_dtb_locate(const void *fdt, size_t len, struct qdh_locate *loc);
int qdh_elf_locate(const void *buf, size_t len, struct qdh_locate *loc);
int qdh_elf_locate_fd(int fd, struct qdh_locate *loc);
int qdh_initrd_locate(const void *buf, size_t len, struct qdh_locate *loc);
/* From a regular file of len bytes, through a 1 MiB window; the blob is
 * copied into owned.  An entry larger than 2 MiB is -EFBIG. */
int qdh_initrd_locate_fd(int fd, size_t len, struct qdh_locate *loc);
/* The *_find_blob() form of a *_locate() result r: copies out, returns r. */
int qdh_locate_result(int r, const struct qdh_locate *loc, const void **blob,
		      size_t *blob_len, size_t *offset);

/*
 * The dump makedumpfile saved (kdump-tools: `makedumpfile -F -c -d 31`,
 * the flattened stream; kdump-utils: the kdump-compressed file), read by
 * its headers and ELF notes only: the disk_dump_header, the kdump
 * sub-header and the note area it points to (header version 4 and later),
 * 32- or 64-bit, either byte order; or, for a flattened `-E` stream, the
 * ELF header, program headers and PT_NOTE areas.  A flattened stream is
 * not rearranged: its record headers are scanned once and only the
 * records writing into the first QDH_DUMP_HEAD_MAX bytes of the dump are
 * kept.  Bounds (doc/security.md): */
#define QDH_DUMP_HEAD_MAX		(32u << 20)	/* dump bytes a stream may place them in */
#define QDH_DUMP_MAX_HEAD_RECORDS	65536u		/* stream records kept for that part */
#define QDH_DUMP_MAX_NOTE_BYTES		(16u << 20)	/* note bytes read, all areas */
#define QDH_DUMP_MAX_PHDRS		65535u		/* ELF program headers of a -E stream */
#define QDH_DUMP_MAX_NOTE_AREAS		64u		/* its PT_NOTEs (/proc/vmcore has one) */
/*
 * What was found besides the blob.  notes_kept names the notes of the dump
 * ("CORE x4, VMCOREINFO"); when the QDH note is missing, loc->fault points
 * into why ("no QDH note in the dump's notes (makedumpfile kept ...)"), so
 * info must outlive the use of loc->fault.  The blob, when found, is in
 * loc->owned (free it) from the memory reader too.
 */
struct qdh_dump_info {
	char format[96];	/* "flattened kdump v6, 64-bit little-endian, x86_64" */
	unsigned notes;		/* notes in the dump's note area(s) */
	char notes_kept[192];
	char why[320];
};
int qdh_dump_locate(const void *buf, size_t len, struct qdh_locate *loc,
		    struct qdh_dump_info *info);
int qdh_dump_locate_fd(int fd, struct qdh_locate *loc, struct qdh_dump_info *info);

/*
 * Writers.  qdh_dtb_put_blob(): fdt is an open tree in a buffer of cap
 * bytes (fdt_open_into done by the caller); sets /chosen/kexec-qdh,handover
 * and gives the offset of the property's data in the fdt, so the loader can
 * tell purgatory where to write the record.
 */
int qdh_dtb_put_blob(void *fdt, size_t cap, const void *blob, size_t len,
		     size_t *data_offset);
/* One ELF note (Elf64_Nhdr, name "QDH", type QDH_NT_HANDOVER). */
size_t qdh_elfnote_size(size_t blob_len);
int qdh_elfnote_write(void *buf, size_t cap, const void *blob, size_t len,
		      size_t *desc_offset);
/* A newc cpio holding QDH_INITRD_PATH (with its directories) and TRAILER!!! */
int qdh_initrd_appendix(const void *blob, size_t len, uint8_t **cpio,
			size_t *cpio_len);
/* Zero bytes to add after an initrd of this length before the appendix. */
size_t qdh_initrd_pad(size_t initrd_len);

/*
 * JSON view of a validated blob (header, iommus, devices, record;
 * doc/inspect-json.md), with the names of include/qdh/names.h.
 */
struct json_object *qdh_blob_to_json(const struct qdh_view *v);
/* Its "record" member alone: what `qdh apply` reports purgatory did. */
struct json_object *qdh_record_to_json(const struct qdh_view *v);
/* Names of the set bits of v ("bitN" for a bit without one). */
struct json_object *qdh_bits_to_json(uint32_t v, const char *(*name)(unsigned));
/*
 * A register snapshot (QDH_RECORD_NREGS values in the ABI's slot order for
 * the type) with its key fields decoded.
 */
struct json_object *qdh_iommu_regs_json(unsigned type, const uint64_t *regs);

#endif
