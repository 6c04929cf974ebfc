// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Find the QDH handover in the crash kernel.  Three places can hold it, each
 * written at a different time by a different party: the /chosen property
 * (the DT the loader built, with the record purgatory wrote just before the
 * jump), the QDH note in /proc/vmcore (elfcorehdr, written at load time) and
 * the initrd appendix (kexec_file_load, where no purgatory of ours runs).
 * Each is validated on its own; the best valid one is used and any
 * difference between valid ones is reported, because a difference means a
 * stale or tampered copy.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply-internal.h"
#include "qdh/io.h"
#include "qdh/transport.h"

static const char *const src_names[QDH_NSRC] = {
	[QDH_SRC_CHOSEN] = "chosen",
	[QDH_SRC_VMCORE] = "vmcore",
	[QDH_SRC_INITRD] = "initrd",
	[QDH_SRC_FILE] = "file",
};

static void set_problem(struct qdh_src *s, enum qdh_src_status st, int err,
			long long offset, const char *msg)
{
	s->status = st;
	s->err = err;
	s->offset = offset;
	apply_fmt(s->problem, sizeof(s->problem), "%s", msg);
}

/* The record's flags, through the codec (qdh_check() proved the record). */
static int record_ran(const struct qdh_view *v)
{
	struct qdh_record_info r;

	qdh_record_get(v, &r);
	return !!(r.flags & QDH_REC_F_PURGATORY_RAN);
}

/*
 * Validate buf (owned, malloc'd) as a raw blob found at container offset
 * base_off; takes ownership of buf.
 */
static void validate(struct qdh_src *s, uint8_t *buf, size_t len, size_t base_off)
{
	int r = qdh_check(&s->view, buf, len);

	if (r < 0) {
		s->status = QDH_SRC_INVALID;
		s->err = r;
		s->offset = (long long)(base_off + s->view.err_offset);
		apply_fmt(s->problem, sizeof(s->problem), "invalid QDH blob: %s",
			 qdh_strerror(r));
		free(buf);
		return;
	}
	s->status = QDH_SRC_VALID;
	s->blob = buf;
	s->len = s->view.size;
	s->purgatory_ran = record_ran(&s->view);
}

/*
 * A raw blob in a file: the /chosen property and the initrd file, in the
 * sysroot; --blob (sr NULL), the operator's own path, a regular file.
 */
static void read_raw(const struct qdh_sysroot *sr, const char *path,
		     struct qdh_src *s)
{
	struct stat st;
	void *buf = NULL;
	size_t len = 0;
	int r;

	memset(&st, 0, sizeof(st));
	if (sr) {
		qdh_sysroot_display(sr, path, s->path, sizeof(s->path));
		r = qdh_sysroot_read_alloc(sr, path, QDH_MAX_BLOB_SIZE, &buf, &len);
	} else {
		apply_fmt(s->path, sizeof(s->path), "%s", path);
		r = qdh_read_input(path, QDH_MAX_BLOB_SIZE, &buf, &len, &st);
	}
	if (r == -ENOENT || r == -ENOTDIR)
		return;		/* absent */
	if (r == -EFBIG) {
		set_problem(s, QDH_SRC_INVALID, r, -1,
			    "larger than the 2 MiB a QDH blob may be");
		return;
	}
	if (r < 0) {
		set_problem(s, QDH_SRC_UNREADABLE, r, -1,
			    sr ? strerror(-r) : qdh_input_strerror(r, &st));
		return;
	}
	validate(s, buf, len, 0);
}

/* The vmcore is read by headers and notes only (bounded: transport.h). */
static void read_vmcore(const struct qdh_sysroot *sr, const char *override,
			struct qdh_src *s)
{
	struct qdh_locate loc;
	struct stat st;
	char msg[160];
	int fd, r;

	memset(&st, 0, sizeof(st));
	if (override) {
		apply_fmt(s->path, sizeof(s->path), "%s", override);
		fd = qdh_open_input(override, &st);
	} else {
		qdh_sysroot_display(sr, QDH_PATH_VMCORE, s->path, sizeof(s->path));
		/* O_NONBLOCK: a FIFO planted in a tree must not hang the crash
		 * kernel; /proc/vmcore is a regular file. */
		fd = qdh_sysroot_openat(sr, QDH_PATH_VMCORE, O_RDONLY | O_NONBLOCK);
		if (fd >= 0 && (fstat(fd, &st) || !S_ISREG(st.st_mode))) {
			close(fd);
			fd = -EINVAL;
		}
	}
	if (fd == -ENOENT || fd == -ENOTDIR)
		return;
	if (fd < 0) {
		set_problem(s, QDH_SRC_UNREADABLE, fd, -1, qdh_input_strerror(fd, &st));
		return;
	}
	memset(&loc, 0, sizeof(loc));
	r = qdh_elf_locate_fd(fd, &loc);
	close(fd);
	if (r == -ENOENT) {
		/* A vmcore without our note: loaded by plain kexec-tools. */
		set_problem(s, QDH_SRC_ABSENT, 0, -1, "no QDH note");
		free(loc.owned);
		return;
	}
	if (r == -EBADMSG || r == -EFBIG) {
		apply_fmt(msg, sizeof(msg), "%s ELF core: %s",
			  r == -EFBIG ? "oversized" : "malformed",
			  loc.fault ? loc.fault : "?");
		set_problem(s, QDH_SRC_INVALID, r, (long long)loc.offset, msg);
		free(loc.owned);
		return;
	}
	if (r < 0 || !loc.owned) {
		set_problem(s, QDH_SRC_UNREADABLE, r < 0 ? r : -EIO, -1,
			    strerror(r < 0 ? -r : EIO));
		free(loc.owned);
		return;
	}
	/* owned holds exactly the blob; validate() takes it over. */
	validate(s, loc.owned, loc.len, loc.offset);
}

static int same_content(const struct qdh_src *a, const struct qdh_src *b)
{
	/* The record area legitimately differs: only purgatory's copy has it. */
	return a->view.checked_size == b->view.checked_size &&
	       !memcmp(a->blob, b->blob, a->view.checked_size);
}

static void compare(struct qdh_handover *h)
{
	int i, j;

	for (i = 0; i < QDH_NSRC; i++) {
		for (j = i + 1; j < QDH_NSRC; j++) {
			const struct qdh_src *a = &h->src[i], *b = &h->src[j];
			char *msg;

			if (a->status != QDH_SRC_VALID || b->status != QDH_SRC_VALID)
				continue;
			if (h->ndisagree >= (int)(sizeof(h->disagree) / sizeof(h->disagree[0])))
				return;
			msg = h->disagree[h->ndisagree];
			if (a->view.generation != b->view.generation)
				apply_fmt(msg, sizeof(h->disagree[0]),
					 "%s has generation 0x%016llx, %s 0x%016llx",
					 a->name, (unsigned long long)a->view.generation,
					 b->name, (unsigned long long)b->view.generation);
			else if (!same_content(a, b))
				apply_fmt(msg, sizeof(h->disagree[0]),
					 "%s and %s share generation 0x%016llx but differ in content",
					 a->name, b->name,
					 (unsigned long long)a->view.generation);
			else
				continue;
			h->ndisagree++;
		}
	}
}

/*
 * The best source: valid, with a purgatory record if any has one (it is the
 * copy that went through the jump), then in the order chosen, vmcore,
 * initrd, file.  An explicit --blob wins over everything: the operator
 * asked for it.
 */
static int pick(const struct qdh_handover *h)
{
	int i;

	if (h->src[QDH_SRC_FILE].status == QDH_SRC_VALID)
		return QDH_SRC_FILE;
	for (i = 0; i < QDH_NSRC; i++)
		if (h->src[i].status == QDH_SRC_VALID && h->src[i].purgatory_ran)
			return i;
	for (i = 0; i < QDH_NSRC; i++)
		if (h->src[i].status == QDH_SRC_VALID)
			return i;
	return -1;
}

void qdh_handover_find(const struct qdh_sysroot *sr,
		       const struct qdh_handover_opts *o, struct qdh_handover *h)
{
	int i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < QDH_NSRC; i++) {
		h->src[i].name = src_names[i];
		h->src[i].offset = -1;
	}
	if (!o->skip[QDH_SRC_CHOSEN])
		read_raw(sr, QDH_PATH_CHOSEN_QDH, &h->src[QDH_SRC_CHOSEN]);
	if (!o->skip[QDH_SRC_VMCORE])
		read_vmcore(sr, o->vmcore, &h->src[QDH_SRC_VMCORE]);
	if (!o->skip[QDH_SRC_INITRD])
		read_raw(sr, "/" QDH_INITRD_PATH, &h->src[QDH_SRC_INITRD]);
	if (o->blob_file && !o->skip[QDH_SRC_FILE]) {
		/* The operator's own path, relative to the working directory. */
		read_raw(NULL, o->blob_file, &h->src[QDH_SRC_FILE]);
		if (h->src[QDH_SRC_FILE].status == QDH_SRC_ABSENT)
			set_problem(&h->src[QDH_SRC_FILE], QDH_SRC_UNREADABLE,
				    -ENOENT, -1, strerror(ENOENT));
	}
	for (i = 0; i < QDH_NSRC; i++)
		if (h->src[i].status == QDH_SRC_INVALID ||
		    h->src[i].status == QDH_SRC_UNREADABLE)
			h->ninvalid++;
	compare(h);
	h->best = pick(h);
}

const struct qdh_view *qdh_handover_view(const struct qdh_handover *h)
{
	return h->best >= 0 ? &h->src[h->best].view : NULL;
}

void qdh_handover_free(struct qdh_handover *h)
{
	int i;

	for (i = 0; i < QDH_NSRC; i++) {
		free(h->src[i].blob);
		h->src[i].blob = NULL;
	}
	h->best = -1;
}
