// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A makedumpfile dump as `makedumpfile -R` would lay it out (dumpview.h).
 * Facts from makedumpfile's documentation and headers (makedumpfile.h:
 * makedumpfile_header, makedumpfile_data_header, END_FLAG_FLAT_HEADER):
 * the header is 4096 bytes, signature "makedumpfile" in 16 bytes, then
 * type and version (both 1) as big-endian 64-bit numbers; each record is
 * {int64 offset, int64 buf_size} big-endian followed by buf_size bytes.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qdh/transport.h"
#include "dumpview.h"

#define FLAT_HEADER_SIZE	4096u
#define FLAT_SIG		"makedumpfile"
#define FLAT_TYPE		1
#define FLAT_VERSION		1
#define FLAT_RECORD_HDR		16u
#define FLAT_END		(-1)

static int fault(struct dump_view *v, int err, const char *what, uint64_t at)
{
	v->fault = what;
	v->fault_at = at;
	return err;
}

static int64_t be64s(const uint8_t *p)
{
	uint64_t x = 0;
	int i;

	for (i = 0; i < 8; i++)
		x = x << 8 | p[i];
	return (int64_t)x;
}

/* Exactly len bytes of the file at pos; -ENODATA if the file is shorter. */
static int file_read(struct dump_view *v, uint64_t pos, void *buf, size_t len)
{
	uint8_t *b = buf;

	if (pos > v->size || len > v->size - pos)
		return -ENODATA;
	if (v->image) {
		memcpy(buf, v->image + pos, len);
		return 0;
	}
	while (len) {
		ssize_t n = pread(v->fd, b, len, (off_t)pos);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA;	/* the file shrank under us */
		b += n;
		pos += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * len (<= DV_WINDOW) bytes at pos.  An fd is read through a window
 * aligned to DV_WINDOW, so that record headers and the small records of a
 * stream cost one pread per window, whichever way they are walked.
 */
static const uint8_t *peek(struct dump_view *v, uint64_t pos, size_t len, int *err)
{
	uint64_t start;
	size_t n;

	if (v->image)
		return v->image + pos;
	if (pos < v->win_pos || pos - v->win_pos + len > v->win_len) {
		start = pos & ~(uint64_t)(DV_WINDOW - 1);
		if (pos + len > start + DV_WINDOW)
			start = pos;
		n = v->size - start < DV_WINDOW ? (size_t)(v->size - start) : DV_WINDOW;
		*err = file_read(v, start, v->win, n);
		if (*err) {
			v->win_len = 0;
			return NULL;
		}
		v->win_pos = start;
		v->win_len = n;
	}
	return v->win + (pos - v->win_pos);
}

/* Bytes of the file into buf: small pieces through the window. */
static int copy_out(struct dump_view *v, uint64_t pos, uint8_t *buf, size_t len)
{
	const uint8_t *p;
	int r = 0;

	if (len > DV_WINDOW || v->image)
		return file_read(v, pos, buf, len);
	p = peek(v, pos, len, &r);
	if (!p)
		return r;
	memcpy(buf, p, len);
	return 0;
}

static int keep(struct dump_view *v, uint64_t off, uint64_t len, uint64_t pos)
{
	struct dv_record *r;

	if (v->nrec == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;

		if (v->cap >= QDH_DUMP_MAX_HEAD_RECORDS)
			return fault(v, -EFBIG, "more than 65,536 flattened records write into "
				     "the first 32 MiB of the dump", pos - FLAT_RECORD_HDR);
		if (cap > QDH_DUMP_MAX_HEAD_RECORDS)
			cap = QDH_DUMP_MAX_HEAD_RECORDS;
		r = realloc(v->rec, cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		v->rec = r;
		v->cap = cap;
	}
	v->rec[v->nrec++] = (struct dv_record){ .off = off, .len = len, .pos = pos };
	return 0;
}

int dv_scan_flat(struct dump_view *v)
{
	uint8_t h[32];
	uint64_t pos = FLAT_HEADER_SIZE;
	int r;

	v->flat = 1;
	if (v->size < FLAT_HEADER_SIZE)
		return fault(v, -EBADMSG, "flattened header truncated (it is 4096 bytes)", 0);
	r = file_read(v, 0, h, sizeof(h));
	if (r)
		return fault(v, r == -ENODATA ? -EIO : r, "cannot read the flattened header", 0);
	if (memcmp(h, FLAT_SIG "\0\0\0", 16))
		return fault(v, -EBADMSG, "not a makedumpfile flattened header", 0);
	if (be64s(h + 16) != FLAT_TYPE)
		return fault(v, -EBADMSG, "flattened header of unknown type (not 1)", 16);
	if (be64s(h + 24) != FLAT_VERSION)
		return fault(v, -EBADMSG, "flattened header of unknown version (not 1)", 24);

	for (;;) {
		const uint8_t *p;
		int64_t off, len;
		uint64_t data, have;

		if (v->size - pos < FLAT_RECORD_HDR)
			break;		/* no end marker: a stream cut short */
		p = peek(v, pos, FLAT_RECORD_HDR, &r);
		if (!p)
			return fault(v, r == -ENODATA ? -EIO : r,
				     "cannot read a flattened record header", pos);
		off = be64s(p);
		len = be64s(p + 8);
		if (off == FLAT_END) {
			v->ended = 1;
			pos += FLAT_RECORD_HDR;
			break;
		}
		if (off < 0)
			return fault(v, -EBADMSG, "flattened record with a negative offset", pos);
		if (len < 0)
			return fault(v, -EBADMSG, "flattened record with a negative size", pos + 8);
		v->records++;
		data = pos + FLAT_RECORD_HDR;
		have = v->size - data < (uint64_t)len ? v->size - data : (uint64_t)len;
		if (have && (uint64_t)off < QDH_DUMP_HEAD_MAX) {
			r = keep(v, (uint64_t)off, have, data);
			if (r)
				return r;
		}
		pos = data + have;
		if (have < (uint64_t)len)
			break;		/* its data runs past the end of the file */
	}
	v->stream_end = pos;
	return 0;
}

void dv_release(struct dump_view *v)
{
	free(v->rec);
	v->rec = NULL;
	v->nrec = v->cap = 0;
}

static int bit(const uint8_t *m, uint64_t i) { return m[i >> 3] >> (i & 7) & 1; }
static void set_bit(uint8_t *m, uint64_t i) { m[i >> 3] |= (uint8_t)(1u << (i & 7)); }

/*
 * Last writer first: walk the kept records backwards and fill only the
 * bytes no later record filled.  Work is bounded by the records' sizes
 * (each at most its bytes in the file), memory by len / 8.
 */
static int flat_read(struct dump_view *v, uint64_t off, uint8_t *buf, size_t len)
{
	uint64_t end = off + len, missing = len;
	uint8_t *done;
	size_t i;
	int r = 0;

	if (off > QDH_DUMP_HEAD_MAX || len > QDH_DUMP_HEAD_MAX - off)
		return fault(v, -EFBIG, "dump data beyond the first 32 MiB of a flattened "
			     "dump (the part it reads)", 0);
	done = calloc(1, len / 8 + 1);
	if (!done)
		return -ENOMEM;
	for (i = v->nrec; i-- > 0 && missing;) {
		const struct dv_record *rec = &v->rec[i];
		uint64_t a = rec->off > off ? rec->off : off;
		uint64_t b = rec->off + rec->len < end ? rec->off + rec->len : end;

		while (a < b) {
			uint64_t run;

			if (bit(done, a - off)) {
				a++;
				continue;
			}
			for (run = a; run < b && !bit(done, run - off); run++)
				set_bit(done, run - off);
			r = copy_out(v, rec->pos + (a - rec->off), buf + (a - off), (size_t)(run - a));
			if (r) {
				r = fault(v, r == -ENODATA ? -EIO : r, "cannot read flattened data",
					  rec->pos);
				goto out;
			}
			missing -= run - a;
			a = run;
		}
	}
	if (missing)
		r = fault(v, -ENODATA, v->ended ? "no flattened record holds these bytes"
			  : "no flattened record holds these bytes (the stream has no end "
			    "marker: cut short?)", v->stream_end);
out:
	free(done);
	return r;
}

int dv_read(struct dump_view *v, uint64_t off, void *buf, size_t len)
{
	int r;

	if (v->flat)
		return flat_read(v, off, buf, len);
	r = file_read(v, off, buf, len);
	if (r == -ENODATA)
		return fault(v, r, "the file ends before these bytes", v->size);
	if (r)
		return fault(v, r, "cannot read the dump", off);
	return 0;
}

uint64_t dv_file_offset(const struct dump_view *v, uint64_t off)
{
	size_t i;

	if (!v->flat)
		return off;
	for (i = v->nrec; i-- > 0;)
		if (off >= v->rec[i].off && off - v->rec[i].off < v->rec[i].len)
			return v->rec[i].pos + (off - v->rec[i].off);
	return v->stream_end;
}
