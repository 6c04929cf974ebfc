// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --dry-run DIR: what would go to the kernel, as files.  Each segment is
 * DIR/<name>.bin; DIR/manifest.json has addresses, sizes, SHA-256s, the
 * purgatory parameters and the timings.  Needs no privilege: tests and
 * people can check a load with dtc, readelf and `qdh inspect`.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>

#include "qdh/codec.h"
#include "qdh/loader.h"

static struct json_object *hex64(uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%llx", (unsigned long long)v);
	return json_object_new_string(b);
}

static struct json_object *sha(const void *buf, size_t len)
{
	uint8_t d[32];
	char h[65];

	qdh_ld_sha256(buf, len, d);
	qdh_ld_hex(d, 32, h);
	return json_object_new_string(h);
}

static struct json_object *params_json(const struct qdh_purgatory_params *p)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();
	struct json_object *b = json_object_new_array();
	char h[65];
	uint32_t i;

	json_object_object_add(o, "magic", hex64(p->magic));
	json_object_object_add(o, "version", json_object_new_int((int)p->version));
	json_object_object_add(o, "entry", hex64(p->entry));
	json_object_object_add(o, "dtb", hex64(p->dtb));
	for (i = 0; i < QDH_PURGATORY_MAX_BLOBS; i++)
		json_object_array_add(b, hex64(p->blob[i]));
	json_object_object_add(o, "blob", b);
	json_object_object_add(o, "blob_size", json_object_new_int64(p->blob_size));
	json_object_object_add(o, "flags", hex64(p->flags));
	json_object_object_add(o, "nsegments", json_object_new_int((int)p->nsegments));
	json_object_object_add(o, "timeout_us", json_object_new_int64((int64_t)p->timeout_us));
	json_object_object_add(o, "uart", hex64(p->uart));
	for (i = 0; i < p->nsegments && i < QDH_PURGATORY_MAX_SEGMENTS; i++) {
		struct json_object *s = json_object_new_object();

		json_object_object_add(s, "mem", hex64(p->segments[i].mem));
		json_object_object_add(s, "len", json_object_new_int64((int64_t)p->segments[i].len));
		qdh_ld_hex(p->segments[i].sha256, 32, h);
		json_object_object_add(s, "sha256", json_object_new_string(h));
		json_object_array_add(a, s);
	}
	json_object_object_add(o, "segments", a);
	return o;
}

/*
 * The elfcorehdr's p_offsets are physical addresses, so readelf cannot
 * read its notes from the segment file.  The view is what /proc/vmcore's
 * head would show for the notes this segment carries itself (the QDH
 * note): offsets into the file; notes and loads elsewhere keep their
 * addresses in p_paddr but get p_filesz 0.
 */
static int put_core_view(struct qdh_ld_ctx *c, int dfd, const struct qdh_ld_segment *s);

/*
 * Copies of the user's files keep the file's mode (a 0600 initrd stays
 * 0600); everything else the loader made is 0644, except a device tree
 * taken from the system (its /chosen seeds: 0600, as the kernel's 0400).
 */
static mode_t mode_of(const struct qdh_ld_ctx *c, const char *name)
{
	static const struct {
		const char *file;
		enum qdh_ld_input in;
	} copies[] = {
		{ "kernel.bin", QDH_LD_IN_KERNEL },
		{ "initrd.bin", QDH_LD_IN_INITRD },
		{ "dtb.bin", QDH_LD_IN_DTB },
	};
	size_t i;

	for (i = 0; i < sizeof(copies) / sizeof(copies[0]); i++) {
		if (strcmp(name, copies[i].file))
			continue;
		if (c->in[copies[i].in].buf)
			return c->in[copies[i].in].mode & 0777;
		return copies[i].in == QDH_LD_IN_DTB ? 0600 : 0644;
	}
	return 0644;
}

static int put(struct qdh_ld_ctx *c, int dfd, const char *name, const void *buf,
	       size_t len)
{
	int r = qdh_ld_write_file(dfd, name, buf, len, mode_of(c, name));

	if (r < 0)
		qdh_logf(&c->log, QDH_LOG_ERR, "%s/%s: %s", c->o->dry_run, name,
			 strerror(-r));
	return r;
}

static int put_core_view(struct qdh_ld_ctx *c, int dfd, const struct qdh_ld_segment *s)
{
	uint8_t *v;
	uint64_t phoff;
	unsigned i, phnum;
	int r;

	if (s->bufsz < 64)
		return -EINVAL;
	phoff = qdh_le64(s->buf + 32);
	phnum = qdh_le16(s->buf + 56);
	if (phoff > s->bufsz || (uint64_t)phnum * 56 > s->bufsz - phoff)
		return -EINVAL;
	v = malloc(s->bufsz);
	if (!v)
		return -ENOMEM;
	memcpy(v, s->buf, s->bufsz);
	for (i = 0; i < phnum; i++) {
		uint8_t *ph = v + phoff + 56 * i;
		uint64_t off = qdh_le64(ph + 8), sz = qdh_le64(ph + 32);

		if (qdh_le32(ph) == 4 /* PT_NOTE */ && off >= s->mem &&
		    off - s->mem <= s->bufsz && sz <= s->bufsz - (off - s->mem)) {
			qdh_put_le64(ph + 8, off - s->mem);
		} else {
			qdh_put_le64(ph + 8, 0);
			qdh_put_le64(ph + 32, 0);
		}
	}
	r = put(c, dfd, "elfcorehdr-view.elf", v, s->bufsz);
	free(v);
	return r;
}

int qdh_ld_dry_run(struct qdh_ld_ctx *c, const struct qdh_ld_image *img)
{
	struct json_object *m = json_object_new_object(), *segs = json_object_new_array();
	struct json_object *t = json_object_new_object();
	const char *js;
	char name[64], why[256];
	unsigned i;
	int dfd, r = 0;

	dfd = qdh_ld_open_outdir(c->o->dry_run, why, sizeof(why));
	if (dfd < 0) {
		r = dfd;
		qdh_logf(&c->log, QDH_LOG_ERR, "--dry-run %s: %s", c->o->dry_run,
			 why[0] ? why : strerror(-r));
		goto out_json;
	}
	json_object_object_add(m, "syscall", json_object_new_string(
		img->file_mode ? "kexec_file_load" : "kexec_load"));
	json_object_object_add(m, "panic", json_object_new_boolean(c->o->panic));
	json_object_object_add(m, "cmdline", json_object_new_string(img->cmdline));
	if (img->file_mode) {
		r = put(c, dfd, "kernel.bin", img->kernel_file, img->kernel_file_len);
		if (!r && img->initrd_file)
			r = put(c, dfd, "initrd.bin", img->initrd_file, img->initrd_file_len);
		json_object_object_add(m, "kernel_sha256",
				       sha(img->kernel_file, img->kernel_file_len));
		if (img->initrd_file) {
			json_object_object_add(m, "initrd_size",
					       json_object_new_int64((int64_t)img->initrd_file_len));
			json_object_object_add(m, "initrd_sha256",
					       sha(img->initrd_file, img->initrd_file_len));
		}
	} else {
		json_object_object_add(m, "entry", hex64(img->entry));
		json_object_object_add(m, "kexec_flags", hex64(img->kexec_flags));
		for (i = 0; i < img->nseg && !r; i++) {
			const struct qdh_ld_segment *s = &img->seg[i];
			struct json_object *o = json_object_new_object();

			snprintf(name, sizeof(name), "%s.bin", s->name);
			r = put(c, dfd, name, s->buf, s->bufsz);
			if (!r && !strcmp(s->name, "elfcorehdr"))
				r = put_core_view(c, dfd, s);
			json_object_object_add(o, "name", json_object_new_string(s->name));
			json_object_object_add(o, "file", json_object_new_string(name));
			json_object_object_add(o, "mem", hex64(s->mem));
			json_object_object_add(o, "memsz", json_object_new_int64((int64_t)s->memsz));
			json_object_object_add(o, "bufsz", json_object_new_int64((int64_t)s->bufsz));
			json_object_object_add(o, "sha256", sha(s->buf, s->bufsz));
			json_object_object_add(o, "verified", json_object_new_boolean(s->verify));
			json_object_array_add(segs, o);
		}
		json_object_object_add(m, "segments", segs);
		segs = NULL;
		if (img->has_purgatory)
			json_object_object_add(m, "purgatory", params_json(&img->params));
	}
	if (img->blob) {
		struct json_object *b = json_object_new_object();

		r = r ? r : put(c, dfd, "blob.qdh", img->blob, img->blob_len);
		json_object_object_add(b, "size", json_object_new_int64((int64_t)img->blob_len));
		json_object_object_add(b, "flags", hex64(img->blob_flags));
		json_object_object_add(b, "sha256", sha(img->blob, img->blob_len));
		json_object_object_add(m, "blob", b);
	} else {
		json_object_object_add(m, "blob", NULL);
	}
	json_object_object_add(t, "scan_encode_ms", json_object_new_double(c->t_scan_ms));
	json_object_object_add(t, "build_ms", json_object_new_double(qdh_ld_now_ms() - c->t_start));
	json_object_object_add(m, "timing", t);
	t = NULL;
	js = json_object_to_json_string_ext(m, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!r)
		r = put(c, dfd, "manifest.json", js, strlen(js));
	close(dfd);
out_json:
	json_object_put(segs);
	json_object_put(t);
	json_object_put(m);
	return r;
}
