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
 *
 * Bounded (transport.h): header counts are checked before libelf sees the
 * file (elf_begin() allocates per section up front); note areas are walked
 * once each, within a total of QDH_ELF_MAX_NOTE_BYTES (libelf holds every
 * chunk it read until elf_end(), so this also bounds the memory); the
 * inline note of a loaded elfcorehdr is one O(1) check per PT_NOTE.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gelf.h>
#include <libelf.h>

#include "qdh/transport.h"
#include "notes.h"

/* Our note's name field: "QDH\0", already a multiple of 4. */
#define QDH_NAME_SZ	sizeof(QDH_NOTE_NAME)

struct elf_src {
	Elf *elf;
	const uint8_t *image;	/* memory reader: the whole file */
	size_t size;		/* file size; SIZE_MAX if unknown */
	int msb;		/* big-endian words */
	size_t areas, bytes;	/* note areas read so far, and their bytes */
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
	if (desc_len > QDH_MAX_BLOB_SIZE)
		return fault(loc, -EFBIG, "QDH note larger than the 2 MiB a blob may be",
			     (size_t)base + desc - QDH_NAME_SZ - QDH_NOTE_HDR + 4);
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

/* A 32-bit word of a note header in the file's byte order. */
static uint32_t word(const struct elf_src *s, const uint8_t *p)
{
	return s->msb ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		      : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int in_file(const struct elf_src *s, uint64_t off, uint64_t len)
{
	return off <= s->size && len <= s->size - off;
}

static int search_area(struct elf_src *s, uint64_t off, uint64_t len,
		       uint64_t align, size_t hdr_field, const char *outside,
		       struct qdh_locate *loc)
{
	const uint8_t *data;
	size_t desc, desc_len;
	int r;

	if (!in_file(s, off, len))
		return fault(loc, -EBADMSG, outside, hdr_field);
	if (++s->areas > QDH_ELF_MAX_NOTE_AREAS)
		return fault(loc, -EFBIG, "more than 16384 ELF note areas", hdr_field);
	if (!len)
		return 0;
	if (len > QDH_ELF_MAX_NOTE_BYTES - s->bytes)
		return fault(loc, -EFBIG, "ELF note areas larger than 16 MiB in total",
			     hdr_field);
	s->bytes += (size_t)len;
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
 * Is the QDH note at file offset f, whole within limit bytes and the file?
 * 1 with loc filled, 0 if not, <0 on error.  O(1): one header.
 */
static int note_at(const struct elf_src *s, uint64_t f, uint64_t limit,
		   struct qdh_locate *loc)
{
	static const char name[] = QDH_NOTE_NAME;
	const uint8_t *h;
	uint32_t descsz;

	if (limit < QDH_NOTE_HDR + QDH_NAME_SZ || !in_file(s, f, QDH_NOTE_HDR + QDH_NAME_SZ))
		return 0;
	h = area(s, f, QDH_NOTE_HDR + QDH_NAME_SZ);
	if (!h)
		return fault(loc, -EIO, "cannot read ELF note", (size_t)f);
	descsz = word(s, h + 4);
	if (word(s, h) != QDH_NAME_SZ || word(s, h + 8) != QDH_NT_HANDOVER ||
	    memcmp(h + QDH_NOTE_HDR, name, QDH_NAME_SZ) ||
	    descsz > limit - QDH_NOTE_HDR - QDH_NAME_SZ ||
	    !in_file(s, f + QDH_NOTE_HDR + QDH_NAME_SZ, descsz))
		return 0;
	if (descsz > QDH_MAX_BLOB_SIZE)
		return fault(loc, -EFBIG, "QDH note larger than the 2 MiB a blob may be",
			     (size_t)f + 4);
	h = area(s, f, QDH_NOTE_HDR + QDH_NAME_SZ + (uint64_t)descsz);
	if (!h)
		return fault(loc, -EIO, "cannot read ELF note", (size_t)f);
	return found(s, h, f, QDH_NOTE_HDR + QDH_NAME_SZ, descsz, loc) ? -ENOMEM : 1;
}

/*
 * An elfcorehdr as the loader builds it for kdump: notes live in memory, so
 * p_offset is a physical address, and our note is inline right after the
 * program headers (kexec/loader/elfcore.c), at p_offset = load address +
 * file offset.  The load address is page aligned, so the note's file offset
 * is the one offset in the 4 KiB after the program headers that has
 * p_offset's offset within its page.  One O(1) check per PT_NOTE.
 */
static int search_loaded(const struct elf_src *s, const GElf_Ehdr *eh, size_t phnum,
			 size_t phentsize, struct qdh_locate *loc)
{
	uint64_t hdr_end = eh->e_phoff + (uint64_t)phnum * phentsize;
	size_t i;

	if (s->size == SIZE_MAX)
		return 0;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		uint64_t f;
		int r;

		if (!gelf_getphdr(s->elf, (int)i, &ph) || ph.p_type != PT_NOTE ||
		    in_file(s, ph.p_offset, ph.p_filesz))
			continue;
		f = hdr_end + ((ph.p_offset - hdr_end) & 4095);
		if (!in_file(s, f, ph.p_filesz))
			continue;
		r = note_at(s, f, ph.p_filesz, loc);
		if (r)
			return r;
	}
	return 0;
}

/* e_ident says ELF of a known class and byte order (else libelf judges). */
static int ident_ok(const uint8_t *h)
{
	return !memcmp(h, ELFMAG, SELFMAG) &&
	       (h[EI_CLASS] == ELFCLASS32 || h[EI_CLASS] == ELFCLASS64) &&
	       (h[EI_DATA] == ELFDATA2LSB || h[EI_DATA] == ELFDATA2MSB);
}

static uint64_t field(const uint8_t *p, size_t n, int msb)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[msb ? n - 1 - i : i] << (8 * i);
	return v;
}

/*
 * The program and section header counts, from the ELF header (and section
 * 0 for extended numbering), before libelf sees the file: elf_begin()
 * allocates a descriptor per section up front, so a count of millions in a
 * 64 MiB file costs hundreds of MiB before any check of ours could run.
 * Reads the memory image, or the file (fd) when there is none.  0, or
 * -EFBIG with loc set; anything it cannot read is left to libelf.
 */
static int elf_guard(const struct elf_src *s, int fd, struct qdh_locate *loc)
{
	uint8_t h[64], sh[64];
	uint64_t phnum, shnum, shoff;
	size_t hl = 0, sl;
	ssize_t n;
	int is64, msb;

	if (s->image) {
		hl = s->size < sizeof(h) ? s->size : sizeof(h);
		memcpy(h, s->image, hl);
	} else if ((n = pread(fd, h, sizeof(h), 0)) > 0) {
		hl = (size_t)n;
	}
	if (hl < 52 || !ident_ok(h))
		return 0;
	is64 = h[EI_CLASS] == ELFCLASS64;
	msb = h[EI_DATA] == ELFDATA2MSB;
	if (is64 && hl < 64)
		return 0;
	phnum = field(h + (is64 ? 56 : 44), 2, msb);
	shnum = field(h + (is64 ? 60 : 48), 2, msb);
	shoff = field(h + (is64 ? 40 : 32), is64 ? 8 : 4, msb);
	if ((phnum == PN_XNUM || (shnum == 0 && shoff)) && shoff < s->size) {
		sl = is64 ? 64 : 40;
		if (s->image) {
			if (s->size - shoff < sl)
				return 0;
			memcpy(sh, s->image + shoff, sl);
		} else if (pread(fd, sh, sl, (off_t)shoff) != (ssize_t)sl) {
			return 0;
		}
		if (phnum == PN_XNUM)
			phnum = field(sh + (is64 ? 44 : 28), 4, msb);	/* sh_info */
		if (shnum == 0)
			shnum = field(sh + (is64 ? 32 : 20), is64 ? 8 : 4, msb);	/* sh_size */
	}
	if (phnum > QDH_ELF_MAX_PHDRS)
		return fault(loc, -EFBIG, "more than 65535 ELF program headers",
			     is64 ? 56 : 44);
	if (shnum > QDH_ELF_MAX_SECTIONS)
		return fault(loc, -EFBIG, "more than 65536 ELF section headers",
			     is64 ? 60 : 48);
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
	r = elf_guard(&s, -1, loc);
	if (r)
		return r;
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
	r = elf_guard(&s, fd, loc);
	if (r)
		return r;
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
