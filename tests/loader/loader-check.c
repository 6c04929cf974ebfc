// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checks a `kexec-qdh --dry-run DIR` output against the rules a kernel and
 * the purgatory apply.  One check per invocation, so the shell test reports
 * each as its own TAP line:
 *   loader-check sha DIR          params digests == the segment files
 *   loader-check place DIR LO HI  arm64 placement rules, all inside [LO, HI]
 *   loader-check dtb DIR          /chosen values == the manifest's segments
 *   loader-check blobs DIR        params.blob[] point at the blob copies
 * Exit 0 when the check holds; otherwise prints why and exits 1.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <libfdt.h>

#include "qdh/io.h"
#include "qdh/loader.h"

#define SZ_2M (2ull << 20)

struct seg {
	const char *name;
	uint64_t mem, memsz, bufsz;
	const char *sha;
	int verified;
	uint8_t *data;
	size_t len;
};

static struct json_object *manifest;
static struct seg segs[QDH_LD_MAX_SEGMENTS];
static size_t nseg;
static const char *dir;
static int failed;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "# loader-check: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failed = 1;
}

static uint64_t num(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v)) {
		fail("manifest: no %s", key);
		return 0;
	}
	if (json_object_is_type(v, json_type_string))
		return strtoull(json_object_get_string(v), NULL, 0);
	return (uint64_t)json_object_get_int64(v);
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

static struct seg *find(const char *name)
{
	size_t i;

	for (i = 0; i < nseg; i++)
		if (!strcmp(segs[i].name, name))
			return &segs[i];
	return NULL;
}

static int load(void)
{
	char path[4096];
	struct json_object *a, *v;
	size_t i;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	manifest = json_object_from_file(path);
	if (!manifest || !json_object_object_get_ex(manifest, "segments", &a)) {
		fail("%s: unreadable manifest", path);
		return -1;
	}
	nseg = json_object_array_length(a);
	if (nseg > QDH_LD_MAX_SEGMENTS) {
		fail("too many segments");
		return -1;
	}
	for (i = 0; i < nseg; i++) {
		struct seg *s = &segs[i];
		void *data;

		v = json_object_array_get_idx(a, i);
		s->name = str(v, "name");
		s->mem = num(v, "mem");
		s->memsz = num(v, "memsz");
		s->bufsz = num(v, "bufsz");
		s->sha = str(v, "sha256");
		s->verified = json_object_get_boolean(json_object_object_get(v, "verified"));
		snprintf(path, sizeof(path), "%s/%s", dir, str(v, "file"));
		if (qdh_read_input(path, 1u << 30, &data, &s->len, NULL) < 0) {
			fail("%s: unreadable", path);
			return -1;
		}
		s->data = data;
		if (s->len != s->bufsz)
			fail("%s: %zu bytes, manifest says %llu", path, s->len,
			     (unsigned long long)s->bufsz);
	}
	return 0;
}

static void check_sha(void)
{
	struct json_object *p = json_object_object_get(manifest, "purgatory");
	struct json_object *ps = json_object_object_get(p, "segments");
	size_t i, k = 0;
	uint8_t d[32];
	char h[65];

	for (i = 0; i < nseg; i++) {
		struct json_object *e;

		qdh_ld_sha256(segs[i].data, segs[i].len, d);
		qdh_ld_hex(d, 32, h);
		if (strcmp(h, segs[i].sha))
			fail("%s: sha256 %s, manifest %s", segs[i].name, h, segs[i].sha);
		if (!segs[i].verified)
			continue;
		e = json_object_array_get_idx(ps, k++);
		if (!e) {
			fail("%s: not in the purgatory's list", segs[i].name);
			continue;
		}
		if (num(e, "mem") != segs[i].mem || num(e, "len") != segs[i].bufsz ||
		    strcmp(str(e, "sha256"), h))
			fail("%s: purgatory params disagree (mem/len/sha256)", segs[i].name);
	}
	if (num(p, "nsegments") != k)
		fail("params.nsegments %llu, %zu verified segments",
		     (unsigned long long)num(p, "nsegments"), k);
}

static void check_place(uint64_t lo, uint64_t hi)
{
	struct seg *k = find("kernel"), *d = find("dtb"), *pg = find("purgatory");
	uint64_t entry = num(manifest, "entry");
	size_t i, j;

	for (i = 0; i < nseg; i++) {
		struct seg *s = &segs[i];

		if (s->mem % 4096 || s->memsz % 4096 || s->bufsz > s->memsz)
			fail("%s: not page aligned or bufsz > memsz", s->name);
		if (s->mem < lo || s->mem + s->memsz - 1 > hi)
			fail("%s: [0x%llx, +0x%llx) outside [0x%llx, 0x%llx]", s->name,
			     (unsigned long long)s->mem, (unsigned long long)s->memsz,
			     (unsigned long long)lo, (unsigned long long)hi);
		for (j = 0; j < i; j++)
			if (s->mem < segs[j].mem + segs[j].memsz &&
			    segs[j].mem < s->mem + s->memsz)
				fail("%s overlaps %s", s->name, segs[j].name);
	}
	if (!k || !d || !pg) {
		fail("kernel, dtb or purgatory segment missing");
		return;
	}
	/* The fixture Image has text_offset 0: the base itself is the load. */
	if (k->mem % SZ_2M)
		fail("kernel at 0x%llx: not 2 MiB aligned", (unsigned long long)k->mem);
	if (d->mem % 8 || d->bufsz > SZ_2M || d->mem / SZ_2M != (d->mem + d->bufsz - 1) / SZ_2M)
		fail("dtb at 0x%llx (%llu bytes): misaligned, > 2 MiB or crosses 2 MiB",
		     (unsigned long long)d->mem, (unsigned long long)d->bufsz);
	if (entry < pg->mem || entry >= pg->mem + pg->bufsz)
		fail("entry 0x%llx is not inside the purgatory", (unsigned long long)entry);
}

static uint64_t cells(const fdt32_t *p, int n)
{
	return n == 2 ? (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1])
		      : fdt32_to_cpu(p[0]);
}

static void check_dtb(const char *crash_lo, const char *crash_hi)
{
	struct seg *d = find("dtb"), *i = find("initrd"), *c = find("elfcorehdr");
	const void *fdt;
	const fdt32_t *p;
	const char *ba;
	int ch, ac, sc, len;

	if (!d || fdt_check_full(d->data, d->len)) {
		fail("dtb missing or invalid");
		return;
	}
	fdt = d->data;
	ac = fdt_address_cells(fdt, 0);
	sc = fdt_size_cells(fdt, 0);
	ch = fdt_path_offset(fdt, "/chosen");
	ba = fdt_getprop(fdt, ch, "bootargs", NULL);
	if (!ba || strcmp(ba, str(manifest, "cmdline")))
		fail("bootargs '%s', manifest cmdline '%s'", ba ? ba : "(none)",
		     str(manifest, "cmdline"));
	if (i) {
		p = fdt_getprop(fdt, ch, "linux,initrd-start", &len);
		if (!p || len != 8 || cells(p, 2) != i->mem)
			fail("linux,initrd-start is not the initrd segment");
		p = fdt_getprop(fdt, ch, "linux,initrd-end", &len);
		if (!p || len != 8 || cells(p, 2) != i->mem + i->bufsz)
			fail("linux,initrd-end is not the initrd's end");
	} else if (fdt_getprop(fdt, ch, "linux,initrd-start", NULL)) {
		fail("stale linux,initrd-start left without an initrd");
	}
	p = fdt_getprop(fdt, ch, "linux,elfcorehdr", &len);
	if (c) {
		if (!p || len != 4 * (ac + sc) || cells(p, ac) != c->mem ||
		    cells(p + ac, sc) != c->bufsz)
			fail("linux,elfcorehdr is not <elfcorehdr segment, size>");
		p = fdt_getprop(fdt, ch, "linux,usable-memory-range", &len);
		if (!p || len != 4 * (ac + sc) ||
		    cells(p, ac) != strtoull(crash_lo, NULL, 0) ||
		    cells(p + ac, sc) != strtoull(crash_hi, NULL, 0) - strtoull(crash_lo, NULL, 0) + 1)
			fail("linux,usable-memory-range is not the crash region");
	} else if (p || fdt_getprop(fdt, ch, "linux,usable-memory-range", NULL)) {
		fail("stale crash properties left for a kexec -l");
	}
	if (!fdt_getprop(fdt, ch, "kaslr-seed", &len) || len != 8)
		fail("no 8-byte kaslr-seed");
	if (!fdt_getprop(fdt, ch, "rng-seed", &len) || len < 32)
		fail("no rng-seed");
}

static void check_blob_at(const char *segname, uint64_t phys, const uint8_t *blob,
			  size_t len)
{
	struct seg *s = find(segname);

	if (!s) {
		fail("no %s segment", segname);
		return;
	}
	if (phys < s->mem || phys - s->mem > s->bufsz || len > s->bufsz - (phys - s->mem)) {
		fail("blob copy 0x%llx is not inside %s", (unsigned long long)phys, segname);
		return;
	}
	if (memcmp(s->data + (phys - s->mem), blob, len))
		fail("bytes at 0x%llx in %s are not the blob", (unsigned long long)phys,
		     segname);
}

static void check_blobs(void)
{
	struct json_object *p = json_object_object_get(manifest, "purgatory");
	struct json_object *b = json_object_object_get(p, "blob");
	char path[4096];
	uint8_t *blob;
	void *data;
	size_t len;

	if (!json_object_object_get(manifest, "blob")) {
		fail("manifest has no blob");
		return;
	}
	snprintf(path, sizeof(path), "%s/blob.qdh", dir);
	if (qdh_read_input(path, 4u << 20, &data, &len, NULL) < 0) {
		fail("%s unreadable", path);
		return;
	}
	blob = data;
	if (num(p, "blob_size") != len)
		fail("params.blob_size %llu, blob %zu", (unsigned long long)num(p, "blob_size"), len);
	check_blob_at("dtb", strtoull(json_object_get_string(json_object_array_get_idx(b, 0)),
				      NULL, 0), blob, len);
	if (find("elfcorehdr"))
		check_blob_at("elfcorehdr", strtoull(json_object_get_string(
				json_object_array_get_idx(b, 1)), NULL, 0), blob, len);
	if (num(p, "dtb") != find("dtb")->mem)
		fail("params.dtb is not the dtb segment");
	if (num(p, "entry") != find("kernel")->mem)
		fail("params.entry is not the kernel segment");
	free(blob);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 3) {
		fprintf(stderr, "usage: loader-check sha|place|dtb|blobs DIR [LO HI]\n");
		return 2;
	}
	dir = argv[2];
	if (load() == 0) {
		if (!strcmp(argv[1], "sha"))
			check_sha();
		else if (!strcmp(argv[1], "place") && argc == 5)
			check_place(strtoull(argv[3], NULL, 0), strtoull(argv[4], NULL, 0));
		else if (!strcmp(argv[1], "dtb") && argc == 5)
			check_dtb(argv[3], argv[4]);
		else if (!strcmp(argv[1], "blobs"))
			check_blobs();
		else
			fail("unknown check %s", argv[1]);
	}
	for (i = 0; i < nseg; i++)
		free(segs[i].data);
	json_object_put(manifest);
	return failed;
}
