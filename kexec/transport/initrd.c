// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The initrd transport: a newc cpio holding QDH_INITRD_PATH, appended to
 * the initrd at a 4-byte aligned offset (the kernel only looks for an
 * uncompressed archive there, after zero padding).  The initrd before it
 * is usually compressed, so the reader does not unpack anything: it tries
 * every 4-byte aligned "070701"/"070702" as the start of an archive, parses
 * it strictly, and keeps the last regular file named QDH_INITRD_PATH, as
 * the kernel's unpacking would (later files replace earlier ones).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qdh/transport.h"

#define NEWC_HDR	110u
#define NEWC_FIELDS	13
#define NEWC_NAME_MAX	4096u	/* the kernel's PATH_MAX */
#define TRAILER		"TRAILER!!!"

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR,
       F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };

struct newc_entry {
	uint32_t f[NEWC_FIELDS];
	const char *name;
	size_t data, next;	/* offsets of the data and the next header */
};

struct fault_info {
	const char *what;
	size_t off;
	int weak;	/* could be chance bytes rather than a broken archive */
};

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

/* One header at off, checked down to every hex digit and bound. */
static int parse_entry(const uint8_t *buf, size_t len, size_t off,
		       struct newc_entry *e, struct fault_info *fi)
{
	size_t name, end;
	int i, j;

	if (len - off < NEWC_HDR)
		return weak(fi, "cpio header truncated", off);
	if (!is_magic(buf + off))
		return bad(fi, "bad cpio magic (not newc)", off);
	for (i = 0; i < NEWC_FIELDS; i++) {
		uint32_t v = 0;

		for (j = 0; j < 8; j++) {
			unsigned char c = buf[field_off(off, i) + (size_t)j];
			unsigned d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				return weak(fi, "bad hex digit in cpio header",
					   field_off(off, i) + (size_t)j);
			v = v << 4 | d;
		}
		e->f[i] = v;
	}
	if (!e->f[F_NAMESIZE] || e->f[F_NAMESIZE] > NEWC_NAME_MAX)
		return bad(fi, "cpio name size out of range", field_off(off, F_NAMESIZE));
	name = off + NEWC_HDR;
	if (e->f[F_NAMESIZE] > len - name)
		return bad(fi, "cpio name beyond end of file", field_off(off, F_NAMESIZE));
	if (buf[name + e->f[F_NAMESIZE] - 1] != '\0' ||
	    memchr(buf + name, '\0', e->f[F_NAMESIZE] - 1))
		return bad(fi, "cpio name not NUL-terminated at its size", name);
	e->name = (const char *)buf + name;
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
static int parse_archive(const uint8_t *buf, size_t len, size_t off,
			 struct newc_entry *found, int *have, size_t *end,
			 int *headers, struct fault_info *fi)
{
	struct newc_entry e;
	int r;

	*headers = 0;
	for (;;) {
		if (off >= len)
			return bad(fi, "cpio archive ends without " TRAILER, off);
		r = parse_entry(buf, len, off, &e, fi);
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

/* Is there a QDH entry at an offset the kernel would skip? */
static size_t find_misaligned(const uint8_t *buf, size_t len)
{
	struct fault_info fi;
	struct newc_entry e;
	size_t off;

	for (off = 0; off + NEWC_HDR <= len; off++)
		if ((off & 3) && is_magic(buf + off) &&
		    !parse_entry(buf, len, off, &e, &fi) &&
		    !strcmp(e.name, QDH_INITRD_PATH))
			return off;
	return SIZE_MAX;
}

int qdh_initrd_locate(const void *buf, size_t len, struct qdh_locate *loc)
{
	const uint8_t *p = buf;
	struct fault_info deep = { 0 }, shallow = { 0 };
	struct newc_entry best;
	size_t best_start = 0;
	int have_best = 0;
	size_t off = 0;

	memset(loc, 0, sizeof(*loc));
	while (off + 6 <= len) {
		struct newc_entry e;
		struct fault_info fi;
		size_t end;
		int have = 0, headers;

		if (!is_magic(p + off)) {
			off += 4;
			continue;
		}
		if (parse_archive(p, len, off, &e, &have, &end, &headers, &fi)) {
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
	/* A broken archive after the one we found may be a newer handover. */
	if (have_best && !(deep.what && deep.off > best_start)) {
		loc->blob = p + best.data;
		loc->len = best.f[F_FILESIZE];
		loc->offset = best.data;
		return 0;
	}
	if (deep.what) {
		loc->fault = deep.what;
		loc->offset = deep.off;
		return -EBADMSG;
	}
	off = find_misaligned(p, len);
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
