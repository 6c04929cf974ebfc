// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ELF note transport: one note named "QDH" of type QDH_NT_HANDOVER
 * whose descriptor is the whole blob, in a PT_NOTE of the elfcorehdr; the
 * crash kernel merges it into the PT_NOTE of /proc/vmcore.
 *
 * libelf parses the ELF and program/section headers; the notes themselves
 * are walked here, bounds-checked word by word, because a note's sizes are
 * untrusted and we must report where a bad one sits.  For a file descriptor
 * only the headers and the PT_NOTE contents are read (elf_getdata_rawchunk),
 * never the dump itself.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gelf.h>
#include <libelf.h>

#include "qdh/transport.h"
#include "notes.h"

#define MAX_NOTE_AREA	(64u * 1024 * 1024)	/* vmcore: CPUs + vmcoreinfo + us */

struct elf_src {
	Elf *elf;
	const uint8_t *image;	/* memory reader: the whole file */
	size_t size;		/* file size; SIZE_MAX if unknown */
	int msb;		/* big-endian words */
};

static int fault(struct qdh_locate *loc, int err, const char *what, size_t off)
{
	loc->fault = what;
	loc->offset = off;
	return err;
}

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/*
 * Walk the notes of one note area of size bytes at file offset base.
 * Returns 1 with *desc and *desc_len (relative to data) when the QDH note is
 * there, 0 when it is not, -EBADMSG when a note does not fit.
 */
static int walk_notes(const struct elf_src *s, const uint8_t *data, size_t size,
		      size_t base, size_t align, size_t *desc, size_t *desc_len,
		      struct qdh_locate *loc)
{
	struct qdh_note_walk w;
	struct qdh_note n;
	int r;

	qdh_note_walk_init(&w, data, size, align, s->msb);
	while ((r = qdh_note_next(&w, &n)) > 0)
		if (qdh_note_is_handover(&n)) {
			*desc = n.desc;
			*desc_len = n.descsz;
			return 1;
		}
	return r ? fault(loc, r, w.fault, base + w.fault_off) : 0;
}

/* Note areas use 8-byte alignment only when they say so (GNU properties). */
static size_t note_align(uint64_t a)
{
	return a == 8 ? 8 : 4;
}

/* Contents of [off, off + len) of the file, or NULL (libelf error). */
static const uint8_t *area(const struct elf_src *s, uint64_t off, uint64_t len)
{
	Elf_Data *d;

	if (s->image)
		return s->image + off;
	d = elf_getdata_rawchunk(s->elf, (int64_t)off, (size_t)len, ELF_T_BYTE);
	return d ? d->d_buf : NULL;
}

static int found(const struct elf_src *s, const uint8_t *data, uint64_t base,
		 size_t desc, size_t desc_len, struct qdh_locate *loc)
{
	loc->offset = (size_t)base + desc;
	loc->len = desc_len;
	if (s->image) {
		loc->blob = data + desc;
		return 0;
	}
	loc->owned = malloc(desc_len ? desc_len : 1);
	if (!loc->owned)
		return -ENOMEM;
	memcpy(loc->owned, data + desc, desc_len);
	loc->blob = loc->owned;
	return 0;
}

static int in_file(const struct elf_src *s, uint64_t off, uint64_t len)
{
	return off <= s->size && len <= s->size - off;
}

static int search_area(const struct elf_src *s, uint64_t off, uint64_t len,
		       uint64_t align, size_t hdr_field, const char *outside,
		       struct qdh_locate *loc)
{
	const uint8_t *data;
	size_t desc, desc_len;
	int r;

	if (!in_file(s, off, len))
		return fault(loc, -EBADMSG, outside, hdr_field);
	if (!len)
		return 0;
	if (len > MAX_NOTE_AREA)
		return fault(loc, -EFBIG, "ELF note area larger than 64 MiB", hdr_field);
	data = area(s, off, len);
	if (!data)
		return fault(loc, -EIO, "cannot read ELF note area", (size_t)off);
	r = walk_notes(s, data, (size_t)len, (size_t)off, note_align(align),
		       &desc, &desc_len, loc);
	if (r <= 0)
		return r;
	r = found(s, data, off, desc, desc_len, loc);
	return r ? r : 1;
}

/*
 * An elfcorehdr as the loader builds it for kdump: notes live in memory, so
 * p_offset is a physical address, and our note is inline in the header's
 * own page(s) at p_offset = load address + file offset.  The load address is
 * page aligned, so the file offset is p_offset modulo 4 KiB plus whole
 * pages.  Try those offsets behind the program headers; a candidate counts
 * only if its notes walk cleanly and include ours.
 */
static int search_loaded(const struct elf_src *s, const GElf_Ehdr *eh, size_t phnum,
			 size_t phentsize, struct qdh_locate *loc)
{
	size_t hdr_end = (size_t)eh->e_phoff + phnum * phentsize, i;

	for (i = 0; i < phnum; i++) {
		struct qdh_locate try = { 0 };
		GElf_Phdr ph;
		uint64_t f;

		if (!gelf_getphdr(s->elf, (int)i, &ph) || ph.p_type != PT_NOTE ||
		    in_file(s, ph.p_offset, ph.p_filesz) || ph.p_filesz < QDH_NOTE_HDR ||
		    ph.p_filesz > MAX_NOTE_AREA || s->size == SIZE_MAX)
			continue;
		for (f = ph.p_offset & 4095; in_file(s, f, ph.p_filesz); f += 4096) {
			if (f < hdr_end)
				continue;
			if (search_area(s, f, ph.p_filesz, ph.p_align, 0, "", &try) == 1) {
				*loc = try;
				return 1;
			}
		}
	}
	return 0;
}

static int search_elf(struct elf_src *s, struct qdh_locate *loc)
{
	GElf_Ehdr eh;
	size_t phnum, shnum, i, phentsize, shentsize, phoff_field, shoff_field;
	size_t p_offset_field, sh_offset_field;
	Elf_Scn *scn = NULL;
	size_t outside = 0;	/* p_offset field of a PT_NOTE not in the file */
	int r, is64;

	if (elf_kind(s->elf) != ELF_K_ELF || !gelf_getehdr(s->elf, &eh))
		return fault(loc, -EBADMSG, "invalid or truncated ELF header", 0);
	is64 = gelf_getclass(s->elf) == ELFCLASS64;
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB && eh.e_ident[EI_DATA] != ELFDATA2MSB)
		return fault(loc, -EBADMSG, "unknown ELF data encoding", EI_DATA);
	s->msb = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	phentsize = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	shentsize = is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	phoff_field = is64 ? offsetof(Elf64_Ehdr, e_phoff) : offsetof(Elf32_Ehdr, e_phoff);
	shoff_field = is64 ? offsetof(Elf64_Ehdr, e_shoff) : offsetof(Elf32_Ehdr, e_shoff);
	p_offset_field = is64 ? offsetof(Elf64_Phdr, p_offset) : offsetof(Elf32_Phdr, p_offset);
	sh_offset_field = is64 ? offsetof(Elf64_Shdr, sh_offset) : offsetof(Elf32_Shdr, sh_offset);

	/* libelf quietly clamps counts to the file size: take the header's. */
	phnum = eh.e_phnum;
	if (phnum == PN_XNUM && elf_getphdrnum(s->elf, &phnum))
		return fault(loc, -EBADMSG, "bad ELF program header count", phoff_field);
	if (phnum && (eh.e_phentsize != phentsize ||
		      !in_file(s, eh.e_phoff, (uint64_t)phnum * phentsize)))
		return fault(loc, -EBADMSG, "ELF program headers outside the file",
			     phoff_field);
	for (i = 0; i < phnum; i++) {
		size_t at = (size_t)eh.e_phoff + i * phentsize;
		GElf_Phdr ph;

		if (!gelf_getphdr(s->elf, (int)i, &ph))
			return fault(loc, -EBADMSG, "unreadable ELF program header", at);
		if (ph.p_type != PT_NOTE)
			continue;
		if (eh.e_type == ET_CORE && !in_file(s, ph.p_offset, ph.p_filesz)) {
			if (!outside)
				outside = at + p_offset_field;
			continue;
		}
		r = search_area(s, ph.p_offset, ph.p_filesz, ph.p_align,
				at + p_offset_field, "ELF PT_NOTE outside the file", loc);
		if (r)
			return r < 0 ? r : 0;
	}
	/* Cores keep notes in segments only; other files may have sections. */
	if (eh.e_type == ET_CORE && outside) {
		r = search_loaded(s, &eh, phnum, phentsize, loc);
		if (r)
			return r < 0 ? r : 0;
		return fault(loc, -EBADMSG, "ELF PT_NOTE outside the file (in memory, as "
			     "in an elfcorehdr, but no inline QDH note)", outside);
	}
	if (eh.e_type == ET_CORE)
		return fault(loc, -ENOENT, "no QDH note in any PT_NOTE", 0);
	shnum = eh.e_shnum;
	if (!shnum && eh.e_shoff && elf_getshdrnum(s->elf, &shnum))
		return fault(loc, -EBADMSG, "bad ELF section header count", shoff_field);
	if (shnum && (eh.e_shentsize != shentsize ||
		      !in_file(s, eh.e_shoff, (uint64_t)shnum * shentsize)))
		return fault(loc, -EBADMSG, "ELF section headers outside the file",
			     shoff_field);
	while ((scn = elf_nextscn(s->elf, scn))) {
		size_t at = (size_t)eh.e_shoff + elf_ndxscn(scn) * shentsize;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			return fault(loc, -EBADMSG, "unreadable ELF section header", at);
		if (sh.sh_type != SHT_NOTE)
			continue;
		r = search_area(s, sh.sh_offset, sh.sh_size, sh.sh_addralign,
				at + sh_offset_field, "ELF SHT_NOTE outside the file", loc);
		if (r)
			return r < 0 ? r : 0;
	}
	return fault(loc, -ENOENT, "no QDH note in the ELF file", 0);
}

int qdh_elf_locate(const void *buf, size_t len, struct qdh_locate *loc)
{
	struct elf_src s = { .image = buf, .size = len };
	int r;

	memset(loc, 0, sizeof(*loc));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fault(loc, -EIO, "libelf initialisation failed", 0);
	/* elf_memory() wants a mutable image but does not write to a
	 * read-only (ELF_C_READ_MMAP) one. */
	s.elf = elf_memory((char *)(uintptr_t)buf, len);
	if (!s.elf)
		return fault(loc, -EBADMSG, "not a readable ELF file", 0);
	r = search_elf(&s, loc);
	elf_end(s.elf);
	return r;
}

int qdh_elf_find_blob(const void *buf, size_t len, const void **blob,
		      size_t *blob_len, size_t *offset)
{
	struct qdh_locate loc;

	return qdh_locate_result(qdh_elf_locate(buf, len, &loc), &loc, blob, blob_len, offset);
}

int qdh_elf_locate_fd(int fd, struct qdh_locate *loc)
{
	struct elf_src s = { .size = SIZE_MAX };
	struct stat st;
	int r;

	memset(loc, 0, sizeof(*loc));
	if (fstat(fd, &st))
		return -errno;
	/* /proc/vmcore reports its size; a pipe or empty size stays unknown. */
	if (S_ISREG(st.st_mode) && st.st_size > 0)
		s.size = (size_t)st.st_size;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fault(loc, -EIO, "libelf initialisation failed", 0);
	s.elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!s.elf)
		return fault(loc, -EBADMSG, "not a readable ELF file", 0);
	r = search_elf(&s, loc);
	elf_end(s.elf);
	if (r) {
		free(loc->owned);
		loc->owned = NULL;
		loc->blob = NULL;
	}
	return r;
}

int qdh_elf_find_blob_fd(int fd, uint8_t **blob, size_t *blob_len,
			 size_t *offset)
{
	struct qdh_locate loc;
	int r = qdh_elf_locate_fd(fd, &loc);

	*offset = loc.offset;
	if (r)
		return r;
	*blob = loc.owned;
	*blob_len = loc.len;
	return 0;
}

size_t qdh_elfnote_size(size_t blob_len)
{
	return QDH_NOTE_HDR + align_up(sizeof(QDH_NOTE_NAME), 4) + align_up(blob_len, 4);
}

/*
 * Written little-endian (arm64 and x86_64 kernels) with 4-byte padding,
 * the Elf64_Nhdr layout of Linux core notes: readelf and the kernel's
 * vmcore code read a PT_NOTE with p_align 0 or 4 that way.
 */
int qdh_elfnote_write(void *buf, size_t cap, const void *blob, size_t len,
		      size_t *desc_offset)
{
	size_t total = qdh_elfnote_size(len);
	size_t desc = QDH_NOTE_HDR + align_up(sizeof(QDH_NOTE_NAME), 4);
	uint8_t *p = buf;

	if (!buf || !blob || !len || len > QDH_MAX_BLOB_SIZE)
		return -EINVAL;
	if (cap < total)
		return -ENOSPC;
	memset(p, 0, total);
	qdh_put_le32(p, sizeof(QDH_NOTE_NAME));
	qdh_put_le32(p + 4, (uint32_t)len);
	qdh_put_le32(p + 8, QDH_NT_HANDOVER);
	memcpy(p + QDH_NOTE_HDR, QDH_NOTE_NAME, sizeof(QDH_NOTE_NAME));
	memcpy(p + desc, blob, len);
	if (desc_offset)
		*desc_offset = desc;
	return 0;
}
