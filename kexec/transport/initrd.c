// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The initrd transport: a newc cpio holding QDH_INITRD_PATH, appended to
 * the initrd at a 4-byte aligned offset (the kernel only looks for an
 * uncompressed archive there, after zero padding).  The initrd before it
 * is usually compressed, so the reader does not unpack anything: it tries
 * every 4-byte aligned "070701"/"070702" as the start of an archive, parses
 * it strictly, and keeps the last regular file named QDH_INITRD_PATH, as
 * the kernel's unpacking would (later files replace earlier ones).
 *
 * It never decompresses anything (the appendix is uncompressed by the
 * kernel's rule), so there is no decompression bomb here; the work is
 * linear: each header is parsed once per chain (a chain that fails is
 * resumed after its fault), a misaligned candidate costs O(1) unless its
 * name size is that of QDH_INITRD_PATH, and the file reader holds one
 * window of the file plus the blob (at most 2 MiB).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qdh/transport.h"

#define NEWC_HDR	110u
#define NEWC_FIELDS	13
#define NEWC_NAME_MAX	4096u	/* the kernel's PATH_MAX */
#define TRAILER		"TRAILER!!!"

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR,
       F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };

/* The fd reader holds this much of the file at a time. */
#define WINDOW		(1u << 20)

struct newc_entry {
	uint32_t f[NEWC_FIELDS];
	const char *name;	/* valid until the next read of the source */
	size_t data, next;	/* offsets of the data and the next header */
};

struct fault_info {
	const char *what;
	size_t off;
	int weak;	/* could be chance bytes rather than a broken archive */
};

/*
 * Where the initrd's bytes come from: all of it in memory, or a file read
 * through a window of WINDOW bytes (qdh inspect: an initrd can be large,
 * and the reader must not hold it whole).  The scan only moves forward
 * except by a few bytes, so the window is refilled about once per WINDOW.
 */
struct src {
	const uint8_t *mem;
	size_t len;
	int fd;
	uint8_t *win;
	size_t woff, wlen;
	int err;		/* a read failed: -errno */
	/*
	 * [hex_from, hex_to): bytes known to be hex digits.  Headers can
	 * overlap (a magic every 8 bytes of a hex run), so each byte's
	 * hex-ness is judged once, not once per header around it.
	 */
	size_t hex_from, hex_to;
};

/* n bytes at off (n <= NEWC_HDR + NEWC_NAME_MAX); NULL past the end or on
 * a read error (s->err).  Valid until the next call. */
static const uint8_t *at(struct src *s, size_t off, size_t n)
{
	size_t want, got = 0;

	if (off > s->len || n > s->len - off)
		return NULL;
	if (s->mem)
		return s->mem + off;
	if (off >= s->woff && n <= s->wlen && off - s->woff <= s->wlen - n)
		return s->win + (off - s->woff);
	want = s->len - off < WINDOW ? s->len - off : WINDOW;
	while (got < want) {
		ssize_t r = pread(s->fd, s->win + got, want - got, (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			s->err = r < 0 ? -errno : -EIO;	/* or it shrank */
			s->wlen = 0;
			return NULL;
		}
		got += (size_t)r;
	}
	s->woff = off;
	s->wlen = got;
	return s->win;
}

static size_t align4(size_t v)
{
	return (v + 3) & ~(size_t)3;
}

static size_t field_off(size_t hdr, int i)
{
	return hdr + 6 + 8 * (size_t)i;
}

static int is_magic(const uint8_t *p)
{
	return !memcmp(p, "07070", 5) && (p[5] == '1' || p[5] == '2');
}

/*
 * The next offset >= off, with off's alignment step (4, or 1), that holds
 * a newc magic; s->len if none.  Scans the window, not one call per step.
 */
static size_t next_magic(struct src *s, size_t off, size_t step)
{
	while (off + 6 <= s->len) {
		size_t n = s->len - off < WINDOW / 2 ? s->len - off : WINDOW / 2;
		const uint8_t *p = at(s, off, n);
		size_t i;

		if (!p)
			return s->len;
		for (i = 0; i + 6 <= n; i += step)
			if (p[i] == '0' && is_magic(p + i))
				return off + i;
		off += i;
	}
	return s->len;
}

static int bad(struct fault_info *fi, const char *what, size_t off)
{
	fi->what = what;
	fi->off = off;
	fi->weak = 0;
	return -EBADMSG;
}

static int weak(struct fault_info *fi, const char *what, size_t off)
{
	bad(fi, what, off);
	fi->weak = 1;
	return -EBADMSG;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 8 hex digits known to be valid. */
static uint32_t hex8(const uint8_t *p)
{
	uint32_t v = 0;
	int j;

	for (j = 0; j < 8; j++)
		v = v << 4 | (uint32_t)hexval(p[j]);
	return v;
}

/*
 * The first non-hex byte of the header at off's fields (h: its bytes), or
 * off + NEWC_HDR when all are hex.  Extends the known hex run.
 */
static size_t hex_fields_end(struct src *s, size_t off, const uint8_t *h)
{
	size_t from = off + 6, end = off + NEWC_HDR, p;

	if (from < s->hex_from || from > s->hex_to)
		s->hex_from = s->hex_to = from;
	for (p = s->hex_to; p < end && hexval(h[p - off]) >= 0; p++)
		;
	s->hex_to = p;
	return p < end ? p : end;
}

/*
 * One header at off, checked down to every hex digit and bound.  Only the
 * fields the reader uses are converted (mode, file size, name size).
 */
static int parse_entry(struct src *s, size_t off, struct newc_entry *e,
		       struct fault_info *fi)
{
	const uint8_t *h = at(s, off, NEWC_HDR);
	size_t name, end, len = s->len, bad_at;

	if (!h)
		return s->err ? s->err : weak(fi, "cpio header truncated", off);
	if (!is_magic(h))
		return bad(fi, "bad cpio magic (not newc)", off);
	bad_at = hex_fields_end(s, off, h);
	if (bad_at < off + NEWC_HDR)
		return weak(fi, "bad hex digit in cpio header", bad_at);
	memset(e->f, 0, sizeof(e->f));
	e->f[F_MODE] = hex8(h + 6 + 8 * F_MODE);
	e->f[F_FILESIZE] = hex8(h + 6 + 8 * F_FILESIZE);
	e->f[F_NAMESIZE] = hex8(h + 6 + 8 * F_NAMESIZE);
	if (!e->f[F_NAMESIZE] || e->f[F_NAMESIZE] > NEWC_NAME_MAX)
		return bad(fi, "cpio name size out of range", field_off(off, F_NAMESIZE));
	name = off + NEWC_HDR;
	if (e->f[F_NAMESIZE] > len - name)
		return bad(fi, "cpio name beyond end of file", field_off(off, F_NAMESIZE));
	h = at(s, off, NEWC_HDR + e->f[F_NAMESIZE]);
	if (!h)
		return s->err;
	if (h[NEWC_HDR + e->f[F_NAMESIZE] - 1] != '\0' ||
	    memchr(h + NEWC_HDR, '\0', e->f[F_NAMESIZE] - 1))
		return bad(fi, "cpio name not NUL-terminated at its size", name);
	e->name = (const char *)h + NEWC_HDR;
	e->data = align4(name + e->f[F_NAMESIZE]);
	if (e->data > len || e->f[F_FILESIZE] > len - e->data)
		return bad(fi, "cpio file data beyond end of file",
			   field_off(off, F_FILESIZE));
	end = e->data + e->f[F_FILESIZE];
	/* Missing padding after the very last entry is harmless. */
	e->next = align4(end) <= len ? align4(end) : len;
	return 0;
}

/*
 * Parse an archive starting at off through TRAILER!!!.  *found gets the
 * last QDH entry in it (data offset, size), *end the offset after it.
 */
static int parse_archive(struct src *s, size_t off, struct newc_entry *found,
			 int *have, size_t *end, int *headers, struct fault_info *fi)
{
	struct newc_entry e;
	int r;

	*headers = 0;
	for (;;) {
		if (off >= s->len)
			return bad(fi, "cpio archive ends without " TRAILER, off);
		r = parse_entry(s, off, &e, fi);
		if (r)
			return r;
		(*headers)++;
		if (!strcmp(e.name, TRAILER)) {
			*end = e.next;
			return 0;
		}
		if (!strcmp(e.name, QDH_INITRD_PATH)) {
			if ((e.f[F_MODE] & S_IFMT) != S_IFREG)
				return bad(fi, "cpio entry " QDH_INITRD_PATH
					   " is not a regular file", field_off(off, F_MODE));
			*found = e;
			*have = 1;
		}
		off = e.next;
	}
}

/*
 * Is there a QDH entry at an offset the kernel would skip?  Only a header
 * whose name size is that of QDH_INITRD_PATH is parsed: O(1) per magic.
 */
static size_t find_misaligned(struct src *s)
{
	static const char path[] = QDH_INITRD_PATH;
	struct fault_info fi;
	struct newc_entry e;
	const uint8_t *h;
	size_t off;
	int i;

	for (off = next_magic(s, 1, 1); off < s->len; off = next_magic(s, off + 1, 1)) {
		if (!(off & 3))
			continue;
		h = at(s, off, NEWC_HDR);
		if (!h)
			continue;
		for (i = 0; i < 8 && hexval(h[6 + 8 * F_NAMESIZE + i]) >= 0; i++)
			;
		if (i < 8 || hex8(h + 6 + 8 * F_NAMESIZE) != sizeof(path))
			continue;
		if (!parse_entry(s, off, &e, &fi) && !strcmp(e.name, path))
			return off;
	}
	return SIZE_MAX;
}

static int locate(struct src *s, struct qdh_locate *loc)
{
	struct fault_info deep = { 0 }, shallow = { 0 };
	struct newc_entry best = { { 0 }, NULL, 0, 0 };
	size_t best_start = 0;
	int have_best = 0;
	size_t off = 0;

	memset(loc, 0, sizeof(*loc));
	while ((off = next_magic(s, off, 4)) < s->len) {
		struct newc_entry e;
		struct fault_info fi;
		size_t end;
		int have = 0, headers, r;

		r = parse_archive(s, off, &e, &have, &end, &headers, &fi);
		if (s->err)
			return s->err;
		if (r) {
			/*
			 * A "070701" inside compressed data is chance; a header
			 * that parsed before the fault means a real archive.
			 */
			if (headers || !fi.weak)
				deep = fi;
			else
				shallow = fi;
			/*
			 * The headers before the fault form one chain: starting
			 * again inside it would walk the same entries to the same
			 * fault (quadratic in a long archive).  Go on from there.
			 */
			if (headers && (fi.off & ~(size_t)3) > off)
				off = fi.off & ~(size_t)3;
			else
				off += 4;
			continue;
		}
		if (have) {
			best = e;
			best_start = off;
			have_best = 1;
		}
		off = end > off + 4 ? align4(end) : off + 4;
	}
	if (s->err)
		return s->err;
	/* A broken archive after the one we found may be a newer handover. */
	if (have_best && !(deep.what && deep.off > best_start)) {
		if (best.f[F_FILESIZE] > QDH_MAX_BLOB_SIZE) {
			loc->fault = "cpio entry " QDH_INITRD_PATH
				     " larger than the 2 MiB a blob may be";
			loc->offset = best.data;
			return -EFBIG;
		}
		loc->len = best.f[F_FILESIZE];
		loc->offset = best.data;
		if (s->mem) {
			loc->blob = s->mem + best.data;
			return 0;
		}
		loc->owned = malloc(loc->len ? loc->len : 1);
		if (!loc->owned)
			return -ENOMEM;
		if (pread(s->fd, loc->owned, loc->len, (off_t)best.data) != (ssize_t)loc->len) {
			free(loc->owned);
			loc->owned = NULL;
			return -EIO;
		}
		loc->blob = loc->owned;
		return 0;
	}
	if (deep.what) {
		loc->fault = deep.what;
		loc->offset = deep.off;
		return -EBADMSG;
	}
	off = find_misaligned(s);
	if (s->err)
		return s->err;
	if (off != SIZE_MAX) {
		loc->fault = "QDH cpio appendix not 4-byte aligned (the kernel skips it)";
		loc->offset = off;
		return -EBADMSG;
	}
	if (shallow.what) {
		loc->fault = "no QDH cpio appendix (the last cpio-like header is malformed)";
		loc->offset = shallow.off;
		return -ENOENT;
	}
	loc->fault = "no cpio entry " QDH_INITRD_PATH;
	loc->offset = 0;
	return -ENOENT;
}

int qdh_initrd_locate(const void *buf, size_t len, struct qdh_locate *loc)
{
	struct src s = { .mem = buf, .len = len, .fd = -1 };

	return locate(&s, loc);
}

int qdh_initrd_locate_fd(int fd, size_t len, struct qdh_locate *loc)
{
	struct src s = { .len = len, .fd = fd };
	int r;

	memset(loc, 0, sizeof(*loc));
	s.win = malloc(WINDOW);
	if (!s.win)
		return -ENOMEM;
	r = locate(&s, loc);
	free(s.win);
	return r;
}

int qdh_initrd_find_blob(const void *buf, size_t len, const void **blob,
			 size_t *blob_len, size_t *offset)
{
	struct qdh_locate loc;

	return qdh_locate_result(qdh_initrd_locate(buf, len, &loc), &loc, blob, blob_len, offset);
}

size_t qdh_initrd_pad(size_t initrd_len)
{
	return (4 - (initrd_len & 3)) & 3;
}

/* One newc entry; returns bytes written (buf NULL: just the size). */
static size_t put_entry(uint8_t *buf, uint32_t ino, uint32_t mode, uint32_t nlink,
			const char *name, size_t namelen, const void *data,
			size_t size)
{
	size_t name_end = NEWC_HDR + namelen + 1;
	size_t total = align4(align4(name_end) + size);

	if (buf) {
		char hdr[NEWC_HDR + 1];

		memset(buf, 0, total);
		snprintf(hdr, sizeof(hdr),
			 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			 ino, mode, 0u, 0u, nlink, 0u, (unsigned)size, 0u, 0u, 0u, 0u,
			 (unsigned)(namelen + 1), 0u);
		memcpy(buf, hdr, NEWC_HDR);
		memcpy(buf + NEWC_HDR, name, namelen);
		if (size)
			memcpy(buf + align4(name_end), data, size);
	}
	return total;
}

/*
 * Directories first (each prefix of QDH_INITRD_PATH), then the file,
 * read-only, then the trailer.  mtime 0 keeps the output reproducible.
 */
static size_t put_archive(uint8_t *buf, const void *blob, size_t len)
{
	static const char path[] = QDH_INITRD_PATH;
	const char *slash;
	uint32_t ino = 1;
	size_t n = 0;

	for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/'))
		n += put_entry(buf ? buf + n : NULL, ino++, S_IFDIR | 0755, 2, path,
			       (size_t)(slash - path), NULL, 0);
	n += put_entry(buf ? buf + n : NULL, ino++, S_IFREG | 0400, 1, path,
		       sizeof(path) - 1, blob, len);
	n += put_entry(buf ? buf + n : NULL, 0, 0, 1, TRAILER, sizeof(TRAILER) - 1,
		       NULL, 0);
	return n;
}

int qdh_initrd_appendix(const void *blob, size_t len, uint8_t **cpio,
			size_t *cpio_len)
{
	size_t n;

	if (!blob || !len || len > QDH_MAX_BLOB_SIZE || !cpio || !cpio_len)
		return -EINVAL;
	n = put_archive(NULL, blob, len);
	*cpio = malloc(n);
	if (!*cpio)
		return -ENOMEM;
	put_archive(*cpio, blob, len);
	*cpio_len = n;
	return 0;
}
