// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Initrd transport: the newc writer's exact layout, the reader behind a
 * "compressed" prefix that contains chance "070701" strings, last entry
 * wins, and strict parsing (hex, sizes, names, alignment, truncation).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "qdh/transport.h"
#include "tap.h"

static uint8_t payload[333], payload2[77];
static uint8_t img[1 << 16];

static unsigned long hexfield(const uint8_t *hdr, int i)
{
	char f[9];

	memcpy(f, hdr + 6 + 8 * i, 8);
	f[8] = 0;
	return strtoul(f, NULL, 16);
}

/* Offset of the header of entry k (0-based) of an archive at a. */
static size_t entry_at(const uint8_t *a, int k)
{
	size_t off = 0;

	while (k--) {
		size_t name = (off + 110 + hexfield(a + off, 11) + 3) & ~(size_t)3;

		off = (name + hexfield(a + off, 6) + 3) & ~(size_t)3;
	}
	return off;
}

static void test_writer(void)
{
	uint8_t *c;
	size_t n, f, t;

	tap_is_int(qdh_initrd_appendix(payload, 0, &c, &n), -EINVAL, "empty blob refused");
	tap_is_int(qdh_initrd_appendix(payload, sizeof(payload), &c, &n), 0, "write appendix");
	tap_ok(n % 4 == 0, "appendix length %zu is a multiple of 4", n);
	tap_ok(!memcmp(c, "070701", 6) && !strcmp((char *)c + 110, "qdh") &&
	       hexfield(c, 1) == (S_IFDIR | 0755), "first entry: directory qdh");
	f = entry_at(c, 1);
	tap_ok(!strcmp((char *)c + f + 110, QDH_INITRD_PATH) &&
	       hexfield(c + f, 1) == (S_IFREG | 0400) &&
	       hexfield(c + f, 6) == sizeof(payload) && hexfield(c + f, 11) == 17,
	       "second entry: " QDH_INITRD_PATH ", mode 0100400, size, namesize");
	tap_ok(!memcmp(c + ((f + 110 + 17 + 3) & ~3u), payload, sizeof(payload)),
	       "file data at the 4-aligned offset after the name");
	t = entry_at(c, 2);
	tap_ok(!strcmp((char *)c + t + 110, "TRAILER!!!") && t + 124 == n,
	       "TRAILER!!! ends the archive");
	free(c);
	tap_ok(qdh_initrd_pad(0) == 0 && qdh_initrd_pad(1) == 3 && qdh_initrd_pad(2) == 2 &&
	       qdh_initrd_pad(3) == 1 && qdh_initrd_pad(4) == 0 && qdh_initrd_pad(4097) == 3,
	       "qdh_initrd_pad pads to 4 bytes");
}

/* prefix bytes of pseudo-compressed data, padding, then the appendix. */
static size_t build(size_t prefix, const uint8_t *blob, size_t blen, size_t *app_off)
{
	uint8_t *c;
	size_t n, off, i;

	srand(7);
	for (i = 0; i < prefix; i++)
		img[i] = (uint8_t)rand();
	if (prefix >= 2)
		memcpy(img, "\x1f\x8b", 2);
	/* Chance magics, aligned, inside the "compressed" part. */
	for (i = 64; i + 6 < prefix; i += 1000)
		memcpy(img + (i & ~(size_t)3), "070701", 6);
	off = prefix + qdh_initrd_pad(prefix);
	memset(img + prefix, 0, off - prefix);
	qdh_initrd_appendix(blob, blen, &c, &n);
	memcpy(img + off, c, n);
	free(c);
	*app_off = off;
	return off + n;
}

static int locate(size_t len, struct qdh_locate *loc)
{
	return qdh_initrd_locate(img, len, loc);
}

static void test_reader(void)
{
	struct qdh_locate loc;
	size_t len, app, data, i;
	const void *b;
	size_t blen, boff;
	uint8_t *c;
	int r, all;

	len = build(0, payload, sizeof(payload), &app);
	data = (app + 110 + 4 + 3) & ~(size_t)3;	/* "qdh" entry */
	data = (data + 110 + 17 + 3) & ~(size_t)3;
	r = locate(len, &loc);
	tap_ok(r == 0 && loc.offset == data && loc.len == sizeof(payload) &&
	       loc.blob == img + data, "bare appendix: blob found at byte %zu", data);

	for (i = 5001; i <= 5004; i++) {
		len = build(i, payload, sizeof(payload), &app);
		r = locate(len, &loc);
		tap_ok(r == 0 && loc.len == sizeof(payload) &&
		       !memcmp(loc.blob, payload, sizeof(payload)) && loc.offset > app,
		       "after a %zu-byte gzip-like prefix with chance magics: found", i);
	}
	r = qdh_initrd_find_blob(img, len, &b, &blen, &boff);
	tap_ok(r == 0 && b == img + boff && blen == sizeof(payload),
	       "qdh_initrd_find_blob wraps the locator");

	/* A second appendix: the later file wins, as in the kernel. */
	len = build(3000, payload, sizeof(payload), &app);
	qdh_initrd_appendix(payload2, sizeof(payload2), &c, &blen);
	memcpy(img + len, c, blen);
	free(c);
	r = locate(len + blen, &loc);
	tap_ok(r == 0 && loc.len == sizeof(payload2) &&
	       !memcmp(loc.blob, payload2, sizeof(payload2)),
	       "two appendices: the last one wins");

	/* No appendix at all. */
	len = build(3000, payload, sizeof(payload), &app);
	r = locate(app, &loc);
	tap_ok(r == -ENOENT, "prefix only: -ENOENT (%s)", loc.fault);

	/* Truncated anywhere inside the appendix: never a blob. */
	for (all = 1, i = app; i < len; i++)
		if (locate(i, &loc) == 0)
			all = 0;
	tap_ok(all, "appendix truncated at each of %zu lengths: no blob", len - app);
	r = locate(len - 20, &loc);
	tap_ok(r == -EBADMSG, "cut inside the trailer: -EBADMSG at %zu (%s)", loc.offset,
	       loc.fault);
}

static void test_corrupt(void)
{
	struct qdh_locate loc;
	size_t len, app, f;
	uint8_t *c;
	size_t n;
	int r;

	len = build(2000, payload, sizeof(payload), &app);
	f = app + entry_at(img + app, 1);
	img[f + 6 + 8 * 6 + 3] = 'g';		/* file entry's filesize */
	r = locate(len, &loc);
	tap_ok(r == -EBADMSG && loc.offset == f + 6 + 8 * 6 + 3,
	       "bad hex digit in the file entry: -EBADMSG at that byte (%s)", loc.fault);

	len = build(2000, payload, sizeof(payload), &app);
	f = app + entry_at(img + app, 1);
	memcpy(img + f + 6 + 8 * 6, "00100000", 8);	/* 1 MiB file */
	r = locate(len, &loc);
	tap_ok(r == -EBADMSG && loc.offset == f + 6 + 8 * 6,
	       "file size beyond the end: -EBADMSG at the filesize field (%s)", loc.fault);

	len = build(2000, payload, sizeof(payload), &app);
	f = app + entry_at(img + app, 1);
	memcpy(img + f + 6 + 8 * 11, "00000010", 8);	/* namesize 16: no NUL */
	r = locate(len, &loc);
	tap_ok(r == -EBADMSG && loc.offset == f + 110,
	       "name not NUL-terminated at its size: -EBADMSG (%s)", loc.fault);

	len = build(2000, payload, sizeof(payload), &app);
	f = app + entry_at(img + app, 1);
	memcpy(img + f + 6 + 8 * 11, "FFFFFFFF", 8);
	r = locate(len, &loc);
	tap_ok(r == -EBADMSG && loc.offset == f + 6 + 8 * 11,
	       "absurd namesize: -EBADMSG (%s)", loc.fault);

	len = build(2000, payload, sizeof(payload), &app);
	f = app + entry_at(img + app, 1);
	memcpy(img + f + 6 + 8, "000041ED", 8);	/* our path as a directory */
	r = locate(len, &loc);
	tap_ok(r == -EBADMSG && loc.offset == f + 6 + 8,
	       "path is not a regular file: -EBADMSG (%s)", loc.fault);

	len = build(2000, payload, sizeof(payload), &app);
	f = app + entry_at(img + app, 2);
	img[f + 6 + 2] = 'z';			/* the trailer's ino */
	r = locate(len, &loc);
	tap_ok(r == -EBADMSG && loc.offset == f + 8,
	       "bad hex in the trailer: -EBADMSG at byte %zu (%s)", loc.offset, loc.fault);

	/*
	 * A damaged first header looks like chance bytes in compressed data:
	 * the scan resynchronises on the file's own header.  The blob's
	 * checksum, not the container, guards the content.
	 */
	len = build(2000, payload, sizeof(payload), &app);
	img[app + 6 + 2] = 'z';
	r = locate(len, &loc);
	tap_ok(r == 0 && loc.len == sizeof(payload),
	       "bad hex in the directory header: the file entry is still found");

	/* The appendix at an offset the kernel never looks at. */
	len = build(2001, payload, sizeof(payload), &app);
	qdh_initrd_appendix(payload, sizeof(payload), &c, &n);
	memcpy(img + 2001 + 1, c, n);		/* 2002: 2 mod 4 */
	f = 2002 + entry_at(c, 1);
	free(c);
	r = locate(2001 + 1 + n, &loc);
	tap_ok(r == -EBADMSG && loc.offset == f,
	       "misaligned appendix: -EBADMSG at its file entry, byte %zu (%s)",
	       loc.offset, loc.fault);
}

static void test_detect(void)
{
	static const struct {
		const char *bytes;
		size_t len;
		enum qdh_container want;
	} cases[] = {
		{ "QDHB\1\0\0\0", 8, QDH_CT_RAW },
		{ "\xd0\x0d\xfe\xed\0\0", 6, QDH_CT_DTB },
		{ "\x7f" "ELF\2\1", 6, QDH_CT_ELF },
		{ "070701000", 9, QDH_CT_INITRD },
		{ "\x1f\x8b\x08\0", 4, QDH_CT_INITRD },
		{ "\x28\xb5\x2f\xfd\0", 5, QDH_CT_INITRD },
		{ "\xfd" "7zXZ\0\0", 7, QDH_CT_INITRD },
		{ "QDH", 3, QDH_CT_UNKNOWN },
		{ "hello world", 11, QDH_CT_UNKNOWN },
		{ "", 0, QDH_CT_UNKNOWN },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tap_is_int(qdh_detect_container(cases[i].bytes, cases[i].len), cases[i].want,
			   "detect case %zu: %s", i,
			   qdh_container_name(qdh_detect_container(cases[i].bytes,
								   cases[i].len)));
	tap_is_str(qdh_container_name(QDH_CT_ELF), "elf", "container names");
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 13 + 1);
	for (i = 0; i < sizeof(payload2); i++)
		payload2[i] = (uint8_t)(i ^ 0x5a);
	test_writer();
	test_reader();
	test_corrupt();
	test_detect();
	return tap_done();
}
