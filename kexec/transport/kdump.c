// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The QDH note in the dump makedumpfile saved: kdump-compressed ("KDUMP   ")
 * or flattened ("makedumpfile", holding either that or an ELF dump), so
 * that `qdh inspect` says whether the note survived the dump tool.
 *
 * Layout facts (makedumpfile's diskdump_mod.h, as crash and libkdumpfile
 * read it; written in the byte order and C layout of the machine that ran
 * makedumpfile, the crashed one):
 *   disk_dump_header: signature[8], int header_version, new_utsname (6 x 65
 *     bytes: machine at 272), struct timeval timestamp, then the ints status,
 *     block_size, sub_hdr_size, bitmap_blocks, max_mapnr, ...  The timeval is
 *     16 bytes 8-aligned where time_t is 64-bit (block_size at 428) and 8
 *     bytes 4-aligned where it is 32-bit (block_size at 416).
 *   kdump_sub_header, at block 1 (offset block_size): phys_base, dump_level,
 *     split, start_pfn, end_pfn, offset_vmcoreinfo, size_vmcoreinfo,
 *     offset_note, size_note (header_version >= 4), ...  With 64-bit longs
 *     offset_note/size_note are at 48/56; with 32-bit longs at 32/40 (i386,
 *     off_t 4-aligned) or 40/48 (arm, off_t 8-aligned).
 *   makedumpfile writes the notes of /proc/vmcore right after the
 *     sub-header, inside its sub_hdr_size blocks (the bitmaps follow them).
 * Which layout a file has is not written in it: each candidate (byte order
 * x time_t x long) is tried, and the one that passes every check wins --
 * a sane header_version and block_size, and a note area inside the
 * sub-header blocks (wrong layouts read zeros or sizes there).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gelf.h>
#include <libelf.h>

#include "qdh/output.h"
#include "qdh/transport.h"
#include "notes.h"
#include "dumpview.h"

#define KDUMP_SIG		"KDUMP   "
#define DDH_VERSION		8u
#define DDH_MACHINE		(12u + 4 * 65)
#define DDH_READ		452u	/* through max_mapnr in both layouts */
#define SUB_READ		64u	/* through size_note in every layout */
#define MIN_BLOCK		1024u
#define MAX_BLOCK		(1u << 20)
#define SUMMARY_MAX		8	/* distinct note names listed */

static const struct hdr_layout {
	unsigned block_size;		/* then sub_hdr_size at +4 */
	const char *time;
} hdr_layouts[] = {
	{ 428, "64-bit time" },
	{ 416, "32-bit time" },
};

static const struct sub_layout {
	unsigned size, dump_level, off_note, size_note, size_note_len;
	const char *bits;
} sub_layouts[] = {
	{ 104, 8, 48, 56, 8, "64-bit" },
	{ 80, 4, 32, 40, 4, "32-bit" },		/* i386: 64-bit fields 4-aligned */
	{ 96, 4, 40, 48, 4, "32-bit" },		/* arm: 64-bit fields 8-aligned */
};
#define MAX_DUMP_LEVEL	31	/* makedumpfile's -d: a 5-bit mask */

struct kdump {
	struct dump_view v;
	struct qdh_locate *loc;
	struct qdh_dump_info *info;
	int msb;
	/* the notes seen, for the summary */
	struct {
		char name[17];
		unsigned type, count;
		int show_type;
	} seen[SUMMARY_MAX];
	unsigned nseen, others;
};

static int fault(struct kdump *k, int err, const char *what, uint64_t at)
{
	k->loc->fault = what;
	k->loc->offset = (size_t)at;
	return err;
}

/* A fault of the view, with what we were reading, into info->why. */
static int view_fault(struct kdump *k, int err, const char *reading, uint64_t dump_off)
{
	snprintf(k->info->why, sizeof(k->info->why), "%s (dump offset %llu): %s", reading,
		 (unsigned long long)dump_off, k->v.fault ? k->v.fault : "cannot read");
	if (err == -ENODATA)
		err = -EBADMSG;
	return fault(k, err, k->info->why, k->v.fault_at);
}

static uint32_t rd32(int msb, const uint8_t *p)
{
	if (msb)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return qdh_le32(p);
}

static uint64_t rd64(int msb, const uint8_t *p)
{
	if (msb)
		return (uint64_t)rd32(1, p) << 32 | rd32(1, p + 4);
	return qdh_le64(p);
}

/* ---- notes ------------------------------------------------------------- */

static void remember(struct kdump *k, const uint8_t *name, uint32_t namesz, uint32_t type)
{
	static const char qdh[] = QDH_NOTE_NAME;
	char n[17];
	size_t len = namesz && !name[namesz - 1] ? namesz - 1 : namesz;
	unsigned i;

	qdh_printable((const char *)name, len < 16 ? len : 16, n, sizeof(n));
	if (!n[0])
		snprintf(n, sizeof(n), "(no name)");
	for (i = 0; i < k->nseen; i++)
		if (!strcmp(k->seen[i].name, n) && k->seen[i].type == type) {
			k->seen[i].count++;
			return;
		}
	if (k->nseen == SUMMARY_MAX) {
		k->others++;
		return;
	}
	snprintf(k->seen[k->nseen].name, sizeof(k->seen[0].name), "%s", n);
	k->seen[k->nseen].type = type;
	k->seen[k->nseen].count = 1;
	/* a note named like ours but of another type is worth its type */
	k->seen[k->nseen].show_type = namesz == sizeof(qdh) && !memcmp(name, qdh, namesz);
	k->nseen++;
}

static void summarise(struct kdump *k)
{
	char *s = k->info->notes_kept;
	size_t cap = sizeof(k->info->notes_kept), o = 0;
	unsigned i;

	s[0] = '\0';
	for (i = 0; i < k->nseen && o < cap; i++) {
		int n = snprintf(s + o, cap - o, "%s%s", i ? ", " : "", k->seen[i].name);

		if (n > 0 && k->seen[i].show_type && (size_t)n < cap - o)
			n += snprintf(s + o + n, cap - o - n, " (type %u)", k->seen[i].type);
		if (n > 0 && k->seen[i].count > 1 && (size_t)n < cap - o)
			n += snprintf(s + o + n, cap - o - n, " x%u", k->seen[i].count);
		o += n > 0 ? (size_t)n : 0;
	}
	if (k->others && o < cap)
		snprintf(s + o, cap - o, ", and %u more", k->others);
}

/*
 * Walk one note area (size bytes at dump offset base), counting notes and
 * looking for ours.  1 with *desc and *desc_len (relative to data), 0 if it is
 * not there, -EBADMSG if a note does not fit.
 */
static int walk_notes(struct kdump *k, const uint8_t *data, size_t size, uint64_t base,
		      size_t align, size_t *desc, size_t *desc_len)
{
	struct qdh_note_walk w;
	struct qdh_note n;
	int r;

	qdh_note_walk_init(&w, data, size, align, k->msb);
	while ((r = qdh_note_next(&w, &n)) > 0) {
		k->info->notes++;
		remember(k, n.name, n.namesz, n.type);
		if (qdh_note_is_handover(&n)) {
			*desc = n.desc;
			*desc_len = n.descsz;
			return 1;
		}
	}
	return r ? fault(k, r, w.fault, dv_file_offset(&k->v, base + w.fault_off)) : 0;
}

/*
 * Read and walk the note area [off, off + len) of the dump.  1 with loc
 * filled (the area becomes loc->owned), 0 if our note is not in it, < 0.
 */
static int search_notes(struct kdump *k, uint64_t off, uint64_t len, size_t align,
			const char *what)
{
	size_t desc, desc_len;
	uint8_t *data;
	int r;

	if (!len)
		return 0;
	data = malloc((size_t)len);
	if (!data)
		return -ENOMEM;
	r = dv_read(&k->v, off, data, (size_t)len);
	if (r) {
		free(data);
		return view_fault(k, r, what, off);
	}
	r = walk_notes(k, data, (size_t)len, off, align, &desc, &desc_len);
	if (r <= 0) {
		free(data);
		return r;
	}
	if (desc_len > QDH_MAX_BLOB_SIZE) {
		free(data);
		return fault(k, -EFBIG, "QDH note larger than the 2 MiB a blob may be",
			     dv_file_offset(&k->v, off + desc - 4));
	}
	k->loc->owned = data;
	k->loc->blob = data + desc;
	k->loc->len = desc_len;
	k->loc->offset = (size_t)dv_file_offset(&k->v, off + desc);
	return 1;
}

static int no_note(struct kdump *k, uint64_t at)
{
	summarise(k);
	if (k->info->notes)
		snprintf(k->info->why, sizeof(k->info->why),
			 "no QDH note in the dump's notes (makedumpfile kept %u note%s: %s)",
			 k->info->notes, k->info->notes == 1 ? "" : "s", k->info->notes_kept);
	else
		snprintf(k->info->why, sizeof(k->info->why),
			 "no QDH note in the dump's notes (makedumpfile kept none)");
	return fault(k, -ENOENT, k->info->why, at);
}

/* ---- kdump-compressed ---------------------------------------------------- */

struct candidate {
	int msb;
	const struct hdr_layout *h;
	const struct sub_layout *s;
	uint32_t version, block;
	uint64_t off_note, size_note;
};

/* The deepest failure among the candidates is the one worth reporting. */
struct verdict {
	int level;
	int err;
	const char *what;
	uint64_t at;
};

static void failed(struct verdict *f, int level, int err, const char *what, uint64_t at)
{
	if (level > f->level)
		*f = (struct verdict){ .level = level, .err = err, .what = what, .at = at };
}

static int power_of_two(uint32_t x)
{
	return x && !(x & (x - 1));
}

/* Does (msb, h, s) describe this dump?  1 yes, 0 no (why in f), < 0 error. */
static int try_layout(struct kdump *k, const uint8_t *hdr, struct candidate *c,
		      struct verdict *f)
{
	uint8_t sub[SUB_READ];
	uint64_t end;
	int32_t blocks;
	int r;

	c->block = rd32(c->msb, hdr + c->h->block_size);
	blocks = (int32_t)rd32(c->msb, hdr + c->h->block_size + 4);
	if (c->block < MIN_BLOCK || c->block > MAX_BLOCK || !power_of_two(c->block)) {
		failed(f, 2, -EBADMSG, "kdump header: block_size is not a power of two between "
		       "1 KiB and 1 MiB", c->h->block_size);
		return 0;
	}
	if (blocks < 1) {
		failed(f, 3, -EBADMSG, "kdump header: sub_hdr_size is not positive",
		       c->h->block_size + 4);
		return 0;
	}
	if (c->version < 4)
		return 1;	/* no note fields to check: the caller says so */
	r = dv_read(&k->v, c->block, sub, sizeof(sub));
	if (r == -ENODATA || r == -EFBIG) {
		/* the fault is the field that points past the end, not the
		 * offset it names (outside the file) */
		failed(f, 4, -EBADMSG, "kdump sub-header not in the file", c->h->block_size);
		return 0;
	}
	if (r)
		return r;
	/* dump_level, then split (a boolean): a wrong layout reads other
	 * fields there (the 64-bit dump_level as a 32-bit split) */
	if (rd32(c->msb, sub + c->s->dump_level) > MAX_DUMP_LEVEL ||
	    rd32(c->msb, sub + c->s->dump_level + 4) > 1) {
		failed(f, 5, -EBADMSG, "kdump sub-header: dump_level above 31 or split not 0/1",
		       c->block + c->s->dump_level);
		return 0;
	}
	c->off_note = rd64(c->msb, sub + c->s->off_note);
	c->size_note = c->s->size_note_len == 8 ? rd64(c->msb, sub + c->s->size_note)
						 : rd32(c->msb, sub + c->s->size_note);
	end = (uint64_t)c->block * (1 + (uint64_t)blocks);
	if (c->off_note < c->block + c->s->size || c->off_note > end ||
	    c->size_note > end - c->off_note) {
		failed(f, 6, -EBADMSG, "kdump sub-header: the note area (offset_note, "
		       "size_note) is not inside the sub-header blocks",
		       c->block + c->s->off_note);
		return 0;
	}
	return 1;
}

static int find_layout(struct kdump *k, const uint8_t *hdr, struct candidate *out)
{
	struct verdict f = { .level = 0, .err = -EBADMSG,
			     .what = "kdump header: header_version makes no sense in either "
				     "byte order", .at = DDH_VERSION };
	int msb;
	size_t h, s;

	for (msb = 0; msb < 2; msb++) {
		uint32_t version = rd32(msb, hdr + DDH_VERSION);

		if (version < 1 || version > 0xffff)
			continue;
		for (h = 0; h < sizeof(hdr_layouts) / sizeof(hdr_layouts[0]); h++)
			for (s = 0; s < sizeof(sub_layouts) / sizeof(sub_layouts[0]); s++) {
				struct candidate c = { .msb = msb, .h = &hdr_layouts[h],
						       .s = &sub_layouts[s], .version = version };
				int r = try_layout(k, hdr, &c, &f);

				if (r < 0)
					return r;
				if (r) {
					*out = c;
					return 0;
				}
			}
	}
	return fault(k, f.err, f.what, dv_file_offset(&k->v, f.at));
}

static int search_kdump(struct kdump *k)
{
	uint8_t hdr[DDH_READ];
	char machine[66];
	struct candidate c;
	int r;

	r = dv_read(&k->v, 0, hdr, sizeof(hdr));
	if (r)
		return view_fault(k, r, "kdump header truncated", 0);
	r = find_layout(k, hdr, &c);
	if (r)
		return r;
	k->msb = c.msb;
	qdh_printable((const char *)hdr + DDH_MACHINE, strnlen((const char *)hdr + DDH_MACHINE, 65),
		      machine, sizeof(machine));
	snprintf(k->info->format, sizeof(k->info->format), "%skdump v%u, %s %s-endian%s%.32s",
		 k->v.flat ? "flattened " : "", c.version,
		 c.version >= 4 ? c.s->bits : "", c.msb ? "big" : "little",
		 machine[0] ? ", " : "", machine);
	if (c.version < 4) {
		snprintf(k->info->why, sizeof(k->info->why),
			 "kdump header version %u keeps no ELF notes (version 4 and later do)",
			 c.version);
		return fault(k, -ENOENT, k->info->why, dv_file_offset(&k->v, DDH_VERSION));
	}
	if (c.size_note > QDH_DUMP_MAX_NOTE_BYTES)
		return fault(k, -EFBIG, "kdump note area larger than 16 MiB",
			     dv_file_offset(&k->v, c.block + c.s->size_note));
	r = search_notes(k, c.off_note, c.size_note, 4, "kdump note area");
	if (r)
		return r < 0 ? r : 0;
	/* An empty note area may be named past the end of the file: the
	 * fault is then the sub-header field that names it. */
	return no_note(k, dv_file_offset(&k->v, c.size_note ? c.off_note :
					 c.block + c.s->off_note));
}

/* ---- ELF in a flattened stream (makedumpfile -E -F) ---------------------- */

/*
 * libelf's translators decode the ELF header and the program header table
 * from the bytes the stream gives (no Elf handle: elf_memory() would size
 * its section table from an untrusted e_shnum before looking); only the
 * PT_NOTE areas are read besides.
 */
static int xlate(const uint8_t *ident, Elf_Type type, void *dst, const void *src, size_t n)
{
	Elf_Data d = { .d_buf = dst, .d_type = type, .d_size = n, .d_version = EV_CURRENT };
	Elf_Data s = { .d_buf = (void *)(uintptr_t)src, .d_type = type, .d_size = n,
		       .d_version = EV_CURRENT };

	if (ident[EI_CLASS] == ELFCLASS64)
		return elf64_xlatetom(&d, &s, ident[EI_DATA]) ? 0 : -EBADMSG;
	return elf32_xlatetom(&d, &s, ident[EI_DATA]) ? 0 : -EBADMSG;
}

struct phdr {
	uint64_t type, off, len, align;
};

static void phdr_at(int is64, const void *tab, size_t i, struct phdr *p)
{
	if (is64) {
		const Elf64_Phdr *e = (const Elf64_Phdr *)tab + i;

		*p = (struct phdr){ e->p_type, e->p_offset, e->p_filesz, e->p_align };
	} else {
		const Elf32_Phdr *e = (const Elf32_Phdr *)tab + i;

		*p = (struct phdr){ e->p_type, e->p_offset, e->p_filesz, e->p_align };
	}
}

static int search_flat_elf(struct kdump *k)
{
	uint8_t raw_eh[sizeof(Elf64_Ehdr)];
	union { Elf32_Ehdr e32; Elf64_Ehdr e64; } eh;
	uint64_t phoff, bytes = 0;
	unsigned phnum, phentsize, areas = 0;
	size_t phsz, n, i;
	void *raw = NULL, *tab = NULL;
	int r, is64;

	r = dv_read(&k->v, 0, raw_eh, EI_NIDENT);
	if (r)
		return view_fault(k, r, "ELF header truncated", 0);
	if ((raw_eh[EI_CLASS] != ELFCLASS32 && raw_eh[EI_CLASS] != ELFCLASS64) ||
	    (raw_eh[EI_DATA] != ELFDATA2LSB && raw_eh[EI_DATA] != ELFDATA2MSB))
		return fault(k, -EBADMSG, "ELF header of unknown class or byte order",
			     dv_file_offset(&k->v, EI_CLASS));
	is64 = raw_eh[EI_CLASS] == ELFCLASS64;
	k->msb = raw_eh[EI_DATA] == ELFDATA2MSB;
	snprintf(k->info->format, sizeof(k->info->format), "flattened ELF%s %s-endian",
		 is64 ? "64" : "32", k->msb ? "big" : "little");
	n = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	r = dv_read(&k->v, 0, raw_eh, n);
	if (r)
		return view_fault(k, r, "ELF header truncated", 0);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fault(k, -EIO, "libelf initialisation failed", 0);
	if (xlate(raw_eh, ELF_T_EHDR, &eh, raw_eh, n))
		return fault(k, -EBADMSG, "unreadable ELF header", dv_file_offset(&k->v, 0));
	phoff = is64 ? eh.e64.e_phoff : eh.e32.e_phoff;
	phnum = is64 ? eh.e64.e_phnum : eh.e32.e_phnum;
	phentsize = is64 ? eh.e64.e_phentsize : eh.e32.e_phentsize;
	phsz = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	/* e_phnum is 16 bits: PN_XNUM is the only way past QDH_DUMP_MAX_PHDRS */
	if (phnum == PN_XNUM)
		return fault(k, -EFBIG, "more than 65,535 ELF program headers",
			     dv_file_offset(&k->v, is64 ? 56 : 44));
	if (phnum && phentsize != phsz)
		return fault(k, -EBADMSG, "ELF program header size is not the class's",
			     dv_file_offset(&k->v, is64 ? 54 : 42));
	n = phnum * phsz;
	raw = malloc(n + 1);
	tab = malloc(n + 1);
	if (!raw || !tab) {
		r = -ENOMEM;
		goto out;
	}
	r = dv_read(&k->v, phoff, raw, n);
	if (r) {
		r = view_fault(k, r, "ELF program headers", phoff);
		goto out;
	}
	if (xlate(raw_eh, ELF_T_PHDR, tab, raw, n)) {
		r = fault(k, -EBADMSG, "unreadable ELF program headers",
			  dv_file_offset(&k->v, phoff));
		goto out;
	}
	for (i = 0; i < phnum; i++) {
		uint64_t at = phoff + i * phsz;
		struct phdr p;

		phdr_at(is64, tab, i, &p);
		if (p.type != PT_NOTE)
			continue;
		if (++areas > QDH_DUMP_MAX_NOTE_AREAS) {
			r = fault(k, -EFBIG, "more than 64 ELF PT_NOTE areas",
				  dv_file_offset(&k->v, at));
			goto out;
		}
		if (p.len > QDH_DUMP_MAX_NOTE_BYTES - bytes) {
			r = fault(k, -EFBIG, "ELF note areas larger than 16 MiB in total",
				  dv_file_offset(&k->v, at));
			goto out;
		}
		bytes += p.len;
		r = search_notes(k, p.off, p.len, p.align == 8 ? 8 : 4, "ELF PT_NOTE area");
		if (r) {
			r = r < 0 ? r : 0;
			goto out;
		}
	}
	r = no_note(k, dv_file_offset(&k->v, phoff));
out:
	free(raw);
	free(tab);
	return r;
}

/* ---- entry points --------------------------------------------------------- */

static int locate(struct kdump *k)
{
	uint8_t head[16];
	size_t n = k->v.size < sizeof(head) ? (size_t)k->v.size : sizeof(head);
	int r;

	/* Before the scan the view reads the file as it is. */
	r = dv_read(&k->v, 0, head, n);
	if (r)
		return fault(k, r, "cannot read the file", 0);
	if (n >= 12 && !memcmp(head, "makedumpfile", 12)) {
		r = dv_scan_flat(&k->v);
		if (r)
			return fault(k, r, k->v.fault ? k->v.fault : "cannot read the stream",
				     k->v.fault_at);
	}
	r = dv_read(&k->v, 0, head, 8);
	if (r)
		return view_fault(k, r, k->v.flat ? "the flattened stream holds no dump header"
				  : "file too short for a dump header", 0);
	if (!memcmp(head, KDUMP_SIG, 8))
		return search_kdump(k);
	if (k->v.flat && !memcmp(head, ELFMAG, SELFMAG))
		return search_flat_elf(k);
	return fault(k, -EBADMSG, k->v.flat ? "the flattened stream holds neither a "
		     "kdump-compressed nor an ELF dump" : "not a kdump-compressed dump",
		     dv_file_offset(&k->v, 0));
}

static int run(struct kdump *k, struct qdh_locate *loc, struct qdh_dump_info *info)
{
	int r;

	memset(loc, 0, sizeof(*loc));
	memset(info, 0, sizeof(*info));
	k->loc = loc;
	k->info = info;
	r = locate(k);
	dv_release(&k->v);
	if (r) {
		free(loc->owned);
		loc->owned = NULL;
		loc->blob = NULL;
	}
	return r;
}

int qdh_dump_locate(const void *buf, size_t len, struct qdh_locate *loc,
		    struct qdh_dump_info *info)
{
	struct kdump k = { .v = { .image = buf, .fd = -1, .size = len } };

	return run(&k, loc, info);
}

int qdh_dump_locate_fd(int fd, struct qdh_locate *loc, struct qdh_dump_info *info)
{
	struct kdump k = { .v = { .fd = fd } };
	struct stat st;

	memset(loc, 0, sizeof(*loc));
	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;		/* read by offset: a pipe will not do */
	k.v.size = (uint64_t)st.st_size;
	return run(&k, loc, info);
}
