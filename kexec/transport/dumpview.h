/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bytes of a makedumpfile dump as `makedumpfile -R` would lay them out,
 * read from a file descriptor or a buffer without rearranging anything.
 * Internal to kexec/transport/ (kdump.c is its one user).
 *
 * A kdump-compressed or ELF dump file is its own layout.  A flattened
 * stream (`makedumpfile -F`, what kdump-tools saves) is a 4096-byte
 * makedumpfile_header and then records {be64 offset, be64 size, size bytes
 * destined for that offset of the dump}, ended by offset -1.  Records may
 * come in any order and a later one overwrites an earlier one: `-F -E`
 * writes the ELF program headers as zeros first and for real at the end.
 * So the view scans every record header once (linear in the file, nothing
 * but the 16-byte headers read) and keeps the records that write into the
 * first QDH_DUMP_HEAD_MAX bytes of the dump, where makedumpfile puts
 * everything we read; a read resolves its bytes last writer first.
 */
#ifndef QDH_TRANSPORT_DUMPVIEW_H
#define QDH_TRANSPORT_DUMPVIEW_H

#include <stddef.h>
#include <stdint.h>

#define DV_WINDOW	4096u	/* bytes read at once when walking record headers */

struct dv_record {
	uint64_t off;		/* in the dump */
	uint64_t len;		/* bytes present in the file (a truncated one is cut) */
	uint64_t pos;		/* file offset of its data */
};

struct dump_view {
	/* input: a buffer (image) or a file descriptor, and the file size */
	const uint8_t *image;
	int fd;
	uint64_t size;
	int flat;
	/* flattened: the records writing into the head, in stream order */
	struct dv_record *rec;
	size_t nrec, cap;
	uint64_t records;	/* every record of the stream */
	uint64_t stream_end;	/* file offset where the scan ended */
	int ended;		/* the end marker was there */
	/* fd reader: a window over the record headers */
	uint8_t win[DV_WINDOW];
	uint64_t win_pos;
	size_t win_len;
	/* the last fault: static text and the file offset it is at */
	const char *fault;
	uint64_t fault_at;
};

/*
 * Flattened streams: check the makedumpfile_header and scan the records.
 * 0, or -EBADMSG / -EFBIG / -EIO / -ENOMEM with fault and fault_at set.
 */
int dv_scan_flat(struct dump_view *v);
void dv_release(struct dump_view *v);

/*
 * Bytes [off, off + len) of the dump into buf.  -ENODATA when some of them
 * are not in the file (past its end; in no record of a stream), -EFBIG
 * past the head of a stream, -EIO; fault and fault_at say where.
 */
int dv_read(struct dump_view *v, uint64_t off, void *buf, size_t len);

/* The file offset holding byte off of the dump (for messages), or where
 * the stream ended if no record holds it. */
uint64_t dv_file_offset(const struct dump_view *v, uint64_t off);

#endif
