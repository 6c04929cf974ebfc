// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF note transport: the writer's layout, the memory and fd readers on
 * cores and section-only files, and every way a note or header can lie.
 * Payloads are arbitrary bytes: the container does not look inside.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "qdh/transport.h"
#include "mkelf.h"
#include "tap.h"

static uint8_t payload[1001];
static uint8_t note[4096], area[8192], elf[65536];

/* Our note between two foreign ones, in one PT_NOTE. */
static size_t make_core(size_t *blob_off)
{
	struct mkelf_area a;
	size_t n = 0, qdh_at, aoff, len;
	uint32_t prstatus[16] = { 1, 2, 3 };

	n += mkelf_note(area + n, "CORE", NT_PRSTATUS, prstatus, sizeof(prstatus));
	qdh_at = n;
	qdh_elfnote_write(area + n, sizeof(area) - n, payload, sizeof(payload), NULL);
	n += qdh_elfnote_size(sizeof(payload));
	n += mkelf_note(area + n, "VMCOREINFO", 0, "OSRELEASE=6.12\n", 15);
	a.data = area;
	a.len = n;
	a.align = 4;
	len = mkelf_core(elf, sizeof(elf), &a, 1, &aoff);
	*blob_off = aoff + qdh_at + 16;
	return len;
}

static void test_writer(void)
{
	size_t d = 0;
	uint32_t w[3];

	tap_is_int(qdh_elfnote_size(1), 12 + 4 + 4, "note size pads name and desc to 4");
	tap_is_int(qdh_elfnote_size(8), 12 + 4 + 8, "no padding for a multiple of 4");
	tap_is_int(qdh_elfnote_write(note, sizeof(note), payload, 0, &d), -EINVAL,
		   "empty blob refused");
	tap_is_int(qdh_elfnote_write(note, 20, payload, 5, &d), -ENOSPC,
		   "too small a buffer refused");
	tap_is_int(qdh_elfnote_write(note, sizeof(note), payload, QDH_MAX_BLOB_SIZE + 1, &d),
		   -EINVAL, "over-size blob refused");
	memset(note, 0xee, sizeof(note));
	tap_is_int(qdh_elfnote_write(note, sizeof(note), payload, 5, &d), 0, "write a note");
	w[0] = qdh_le32(note); w[1] = qdh_le32(note + 4); w[2] = qdh_le32(note + 8);
	tap_ok(w[0] == 4 && w[1] == 5 && w[2] == QDH_NT_HANDOVER,
	       "Nhdr: namesz 4, descsz 5, type QDH_NT_HANDOVER, little-endian");
	tap_ok(!memcmp(note + 12, "QDH", 4) && d == 16 && !memcmp(note + 16, payload, 5),
	       "name \"QDH\\0\" then the blob at offset 16");
	tap_ok(note[21] == 0 && note[22] == 0 && note[23] == 0 && note[24] == 0xee,
	       "descriptor zero-padded to 4 bytes, nothing written beyond");
}

static void test_core(void)
{
	struct qdh_locate loc;
	size_t len, off, i;
	const void *b;
	size_t blen, boff;
	uint8_t *ro;
	int r, all;

	len = make_core(&off);
	r = qdh_elf_locate(elf, len, &loc);
	tap_ok(r == 0 && loc.offset == off && loc.len == sizeof(payload) &&
	       loc.blob == elf + off && !loc.owned,
	       "core: QDH note found between CORE and VMCOREINFO notes");
	r = qdh_elf_find_blob(elf, len, &b, &blen, &boff);
	tap_ok(r == 0 && b == elf + off && blen == sizeof(payload) && boff == off,
	       "qdh_elf_find_blob wraps the locator");

	/* libelf must not write to the image: give it read-only pages. */
	ro = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(ro, elf, len);
	mprotect(ro, len, PROT_READ);
	r = qdh_elf_locate(ro, len, &loc);
	tap_ok(r == 0 && loc.blob == ro + off, "reads a read-only image in place");
	munmap(ro, len);

	/* Truncated at every length: never a crash, never a blob. */
	for (all = 1, i = 0; i < len; i++) {
		uint8_t *cut = malloc(i ? i : 1);

		memcpy(cut, elf, i);
		r = qdh_elf_locate(cut, i, &loc);
		if (r != -EBADMSG)
			all = 0;
		free(cut);
	}
	tap_ok(all, "core truncated at each of %zu lengths: -EBADMSG", len);
}

static void test_second_segment_and_align8(void)
{
	struct mkelf_area a[2];
	struct qdh_locate loc;
	uint8_t other[64], eight[4096];
	size_t aoff[2], n, len;
	uint32_t w;
	int r;

	n = mkelf_note(other, "CORE", NT_PRSTATUS, "abcd", 4);
	/* An 8-aligned area: name "QDH\0" (4 bytes) is padded to 8. */
	memset(eight, 0, sizeof(eight));
	w = 4; memcpy(eight, &w, 4);
	w = 16; memcpy(eight + 4, &w, 4);
	w = QDH_NT_HANDOVER; memcpy(eight + 8, &w, 4);
	memcpy(eight + 12, "QDH", 4);
	memcpy(eight + 16, payload, 16);
	a[0] = (struct mkelf_area){ other, n, 4 };
	a[1] = (struct mkelf_area){ eight, 32, 8 };
	len = mkelf_core(elf, sizeof(elf), a, 2, aoff);
	r = qdh_elf_locate(elf, len, &loc);
	tap_ok(r == 0 && loc.offset == aoff[1] + 16 && loc.len == 16,
	       "second PT_NOTE, p_align 8: descriptor at the 8-aligned offset");
}

static void expect(const char *what, int want, size_t want_off)
{
	size_t len = 0, off;
	struct qdh_locate loc;
	int r;

	(void)len;
	(void)off;
	r = qdh_elf_locate(elf, sizeof(elf), &loc);
	tap_ok(r == want && (want == -ENOENT || loc.offset == want_off),
	       "%s: %d at byte %zu (%s)", what, r, loc.offset,
	       loc.fault ? loc.fault : "-");
}

static void test_corrupt(void)
{
	size_t len, off, ph = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);
	size_t note_at;
	Elf64_Phdr p;
	uint32_t w;

	/* Fresh core each time; the helper fills elf[] and the rest is 0. */
#define FRESH() do { memset(elf, 0, sizeof(elf)); len = make_core(&off); } while (0)
	FRESH();
	memcpy(&p, elf + ph, sizeof(p));
	note_at = p.p_offset;
	(void)len;

	p.p_offset = sizeof(elf) + 16;
	memcpy(elf + ph, &p, sizeof(p));
	expect("PT_NOTE offset beyond the file", -EBADMSG,
	       ph + offsetof(Elf64_Phdr, p_offset));

	FRESH();
	memcpy(&p, elf + ph, sizeof(p));
	p.p_filesz = UINT64_MAX - 8;
	memcpy(elf + ph, &p, sizeof(p));
	expect("PT_NOTE size wrapping around", -EBADMSG,
	       ph + offsetof(Elf64_Phdr, p_offset));

	FRESH();
	{
		Elf64_Ehdr eh;

		memcpy(&eh, elf, sizeof(eh));
		eh.e_phoff = sizeof(elf) - 8;
		memcpy(elf, &eh, sizeof(eh));
	}
	expect("program headers beyond the file", -EBADMSG,
	       offsetof(Elf64_Ehdr, e_phoff));

	FRESH();
	w = 0xffffffffu;
	memcpy(elf + note_at, &w, 4);	/* first note's namesz */
	expect("note namesz overflowing", -EBADMSG, note_at);

	FRESH();
	w = 0xfffffff0u;
	memcpy(elf + note_at + 4, &w, 4);	/* first note's descsz */
	expect("note descsz overflowing", -EBADMSG, note_at + 4);

	FRESH();
	memcpy(&p, elf + ph, sizeof(p));
	p.p_filesz = 5;		/* shorter than a note header */
	memcpy(elf + ph, &p, sizeof(p));
	expect("PT_NOTE shorter than a note header", -EBADMSG, note_at);

	FRESH();
	w = QDH_NT_HANDOVER + 1;
	memcpy(elf + off - 8, &w, 4);
	expect("QDH note of another type is not ours", -ENOENT, 0);

	FRESH();
	elf[off - 4] = 'X';	/* name "QDX" */
	expect("note named otherwise is not ours", -ENOENT, 0);

	FRESH();
	memset(elf + note_at, 0, 12);	/* an all-zero header ends the list */
	expect("zero note header ends the walk", -ENOENT, 0);

	FRESH();
	elf[EI_DATA] = 7;
	expect("unknown data encoding", -EBADMSG, 0);

	memset(elf, 0, 64);
	memcpy(elf, "\x7f" "ELF", 4);
	expect("garbage ELF header", -EBADMSG, 0);
#undef FRESH
}

/* Point PT_NOTE i (0-based among the PT_NOTEs) at a physical address. */
static void set_note_offset(unsigned i, uint64_t off)
{
	size_t at = sizeof(Elf64_Ehdr) + (i + 1) * sizeof(Elf64_Phdr);
	Elf64_Phdr p;

	memcpy(&p, elf + at, sizeof(p));
	p.p_offset = off;
	memcpy(elf + at, &p, sizeof(p));
}

/*
 * An elfcorehdr as the loader leaves it in memory: per-CPU notes elsewhere
 * in RAM, our note inline, every p_offset a physical address.
 */
static void test_loaded_elfcorehdr(void)
{
	struct mkelf_area a[2];
	struct qdh_locate loc;
	uint8_t cpu[64];
	size_t aoff[2], len;
	int r;

	a[0] = (struct mkelf_area){ cpu, mkelf_note(cpu, "CORE", NT_PRSTATUS, "abcdefgh", 8), 4 };
	qdh_elfnote_write(note, sizeof(note), payload, 200, NULL);
	a[1] = (struct mkelf_area){ note, qdh_elfnote_size(200), 4 };
	len = mkelf_core(elf, sizeof(elf), a, 2, aoff);
	set_note_offset(0, 0x43e51000);			/* crash_notes, in RAM */
	set_note_offset(1, 0xbf000000 + aoff[1]);	/* elfcorehdr loaded at a page */
	r = qdh_elf_locate(elf, len, &loc);
	tap_ok(r == 0 && loc.offset == aoff[1] + 16 && loc.len == 200,
	       "loaded elfcorehdr: inline note found from its physical p_offset");
	set_note_offset(1, 0xbf000000 + aoff[1] + 8);
	r = qdh_elf_locate(elf, len, &loc);
	tap_ok(r == -EBADMSG && loc.offset == sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr) +
	       offsetof(Elf64_Phdr, p_offset),
	       "p_offset not matching any inline position: -EBADMSG at the first such PT_NOTE (%s)",
	       loc.fault);
	set_note_offset(1, 0xbf000000 + aoff[1]);
	elf[aoff[1] + 12] = 'X';			/* not our note any more */
	r = qdh_elf_locate(elf, len, &loc);
	tap_ok(r == -EBADMSG, "inline position without our note: still -EBADMSG");
}

static void test_sections(void)
{
	struct mkelf_area a;
	struct qdh_locate loc;
	size_t aoff, len;
	int r;

	qdh_elfnote_write(note, sizeof(note), payload, 64, NULL);
	a = (struct mkelf_area){ note, qdh_elfnote_size(64), 4 };
	len = mkelf_sections(elf, sizeof(elf), &a, 1, &aoff);
	r = qdh_elf_locate(elf, len, &loc);
	tap_ok(r == 0 && loc.offset == aoff + 16 && loc.len == 64,
	       "non-core ELF: note found in an SHT_NOTE section");
	{
		Elf64_Ehdr eh;
		Elf64_Shdr sh;
		size_t at;

		memcpy(&eh, elf, sizeof(eh));
		at = eh.e_shoff + sizeof(Elf64_Shdr);
		memcpy(&sh, elf + at, sizeof(sh));
		sh.sh_offset = len + 4;
		memcpy(elf + at, &sh, sizeof(sh));
		r = qdh_elf_locate(elf, len, &loc);
		tap_ok(r == -EBADMSG && loc.offset == at + offsetof(Elf64_Shdr, sh_offset),
		       "SHT_NOTE outside the file: -EBADMSG at sh_offset (%s)", loc.fault);
	}
}

static void test_fd(void)
{
	char path[] = "/tmp/qdh-elfnote-XXXXXX";
	struct qdh_locate loc;
	uint8_t *blob = NULL;
	size_t len, off, blen, boff;
	int fd, r;

	len = make_core(&off);
	fd = mkstemp(path);
	if (fd < 0 || write(fd, elf, len) != (ssize_t)len)
		exit(99);
	/* A sparse 64 GiB tail: the reader must not touch it. */
	if (ftruncate(fd, (off_t)64 << 30))
		exit(99);
	r = qdh_elf_locate_fd(fd, &loc);
	tap_ok(r == 0 && loc.owned && loc.blob == loc.owned && loc.offset == off &&
	       loc.len == sizeof(payload) && !memcmp(loc.owned, payload, sizeof(payload)),
	       "fd reader on a 64 GiB sparse core: a malloc'd copy, file offset");
	free(loc.owned);
	r = qdh_elf_find_blob_fd(fd, &blob, &blen, &boff);
	tap_ok(r == 0 && blob && blen == sizeof(payload) && boff == off,
	       "qdh_elf_find_blob_fd wraps the locator");
	free(blob);
	if (ftruncate(fd, (off_t)off + 10))	/* cut inside the note */
		exit(99);
	r = qdh_elf_locate_fd(fd, &loc);
	tap_ok(r == -EBADMSG && !loc.owned, "fd reader: PT_NOTE beyond a cut file (%s)",
	       loc.fault);
	close(fd);
	unlink(path);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 3);
	test_writer();
	test_core();
	test_second_segment_and_align8();
	test_corrupt();
	test_loaded_elfcorehdr();
	test_sections();
	test_fd();
	return tap_done();
}
