// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper (not installed): the files `qdh inspect` meets where kdump
 * tools save a dump, made from the documented layouts (makedumpfile's
 * diskdump_mod.h and makedumpfile.h, as crash and libkdumpfile read them).
 *
 *   mkdump vmcore OUT [BLOB [TYPE]]
 *       an x86_64 ELF core that makedumpfile 1.7 converts with -d 31: a
 *       VMCOREINFO note with what it needs (page tables, utsname, a
 *       FLATMEM mem_map), a CORE note, and the QDH note if BLOB is given
 *       (TYPE: its note type, default QDH_NT_HANDOVER)
 *   mkdump kdump LAYOUT OUT [BLOB]
 *       a kdump-compressed file in one of the layouts makedumpfile writes:
 *       le64 be64 (64-bit), le32 be32 (i386-like), le32pad (arm, 32-bit
 *       time_t), le32t64 (arm, 64-bit time_t), v3 (header version 3: no
 *       notes), bignote (16 MiB of tiny notes; OUT padded to 64 MiB),
 *       hugenote (size_note past 16 MiB)
 *   mkdump flat MODE IN OUT
 *       a flattened stream (makedumpfile -F) of the dump IN: plain (4 KiB
 *       records in order), reverse, bytes (the first 16 KiB as 1-byte
 *       records in a shuffled order), zeros-first (all zeros first, the data
 *       at the end), zeros-last (the data, then zeros over the first 16 KiB),
 *       noend (no end marker), cut (ends inside the record at byte 4200)
 *   mkdump hostile KIND OUT SIZE
 *       crafted streams of about SIZE bytes:
 *       flat-far      a kdump header, then 1-byte records far past the head
 *       flat-head     1-byte records all into the head (past 65,536 kept)
 *       flat-overlap  65,536 records over the note area, none of its end
 *       flat-elf      a -E stream whose 65,535 program headers are PT_NOTEs
 *       flat-bignote  a 16 MiB note area of tiny notes in 65,536 records
 *   mkdump measure CMD...
 *       run CMD; print "WALL_MS CPU_MS MAXRSS_KIB EXIT"
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qdh/codec.h"
#include "qdh/transport.h"

#define MIB		(1024u * 1024)
#define BLOCK		4096u

static void die(const char *what)
{
	perror(what);
	exit(99);
}

static void *xcalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		die("mkdump");
	return p;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	uint8_t *b = xcalloc(cap);

	if (!f)
		die(path);
	for (;;) {
		n += fread(b + n, 1, cap - n, f);
		if (n < cap)
			break;
		b = realloc(b, cap *= 2);
		if (!b)
			die("mkdump");
	}
	fclose(f);
	*len = n;
	return b;
}

static FILE *out_open(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		die(path);
	return f;
}

static void out_write(FILE *f, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, f) != n)
		die("write");
}

static void out_close(FILE *f)
{
	if (fclose(f))
		die("close");
}

static void put32(uint8_t *p, int msb, uint32_t v)
{
	if (msb) {
		p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16);
		p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
	} else {
		qdh_put_le32(p, v);
	}
}

static void put64(uint8_t *p, int msb, uint64_t v)
{
	if (msb) {
		put32(p, 1, (uint32_t)(v >> 32));
		put32(p + 4, 1, (uint32_t)v);
	} else {
		qdh_put_le64(p, v);
	}
}

static size_t pad4(size_t v)
{
	return (v + 3) & ~(size_t)3;
}

/* One ELF note at p (4-byte padding, Linux's core notes); returns its size. */
static size_t note(uint8_t *p, int msb, const char *name, uint32_t type,
		   const void *desc, size_t dlen)
{
	size_t nlen = strlen(name) + 1;

	if (p) {
		put32(p, msb, (uint32_t)nlen);
		put32(p + 4, msb, (uint32_t)dlen);
		put32(p + 8, msb, type);
		memcpy(p + 12, name, nlen);
		if (dlen)
			memcpy(p + 12 + pad4(nlen), desc, dlen);
	}
	return 12 + pad4(nlen) + pad4(dlen);
}

/* ---- vmcore --------------------------------------------------------------- */

#define KMAP		0xffffffff80000000ull	/* x86_64 __START_KERNEL_map */
#define PHYS		0x1000000ull		/* the one PT_LOAD's memory */
#define MEM		(2 * MIB)
#define RELEASE		"5.10.0-qdh"

/*
 * What makedumpfile 1.7.2 reads of an x86_64 vmcore before it writes a
 * -d 31 dump: utsname through the page tables (init_top_pgt; one 1 GiB
 * page maps the kernel text map), the FLATMEM mem_map, and the struct page
 * fields and flags its page filters use.  struct page values are zeros.
 */
static size_t vmcoreinfo(char *b, size_t cap)
{
	return (size_t)snprintf(b, cap,
		"OSRELEASE=" RELEASE "\nPAGESIZE=4096\n"
		"SYMBOL(init_uts_ns)=%llx\nSYMBOL(init_top_pgt)=%llx\n"
		"SYMBOL(mem_map)=%llx\nNUMBER(phys_base)=0\nSIZE(page)=64\n"
		"OFFSET(page.flags)=0\nOFFSET(page._refcount)=52\nOFFSET(page.mapping)=24\n"
		"OFFSET(page._mapcount)=48\nOFFSET(page.lru)=8\nOFFSET(page.private)=40\n"
		"OFFSET(page.compound_head)=8\nNUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\n"
		"NUMBER(PG_lru)=4\nNUMBER(PG_private)=13\nNUMBER(PG_swapcache)=10\n"
		"NUMBER(PG_swapbacked)=19\nNUMBER(PG_slab)=9\nNUMBER(PG_head_mask)=65536\n"
		"NUMBER(PG_hwpoison)=23\n",
		KMAP + PHYS + 0x10000 - 4, KMAP + PHYS + 0x1000, KMAP + PHYS + 0x20000);
}

static int cmd_vmcore(int argc, char **argv)
{
	static const char *uts[] = { "Linux", "qdh-test", RELEASE, "#1 SMP", "x86_64", "(none)" };
	uint8_t *mem = xcalloc(MEM), *notes, *blob = NULL;
	size_t blen = 0, nlen = 0, off_notes, off_load, i;
	uint32_t type = QDH_NT_HANDOVER;
	char vmci[2048];
	size_t vlen = vmcoreinfo(vmci, sizeof(vmci));
	Elf64_Ehdr eh = { 0 };
	Elf64_Phdr ph[2] = { { 0 } };
	uint8_t prstatus[336] = { 0 };
	FILE *f;

	if (argc > 3)
		blob = slurp(argv[3], &blen);
	if (argc > 4)
		type = (uint32_t)strtoul(argv[4], NULL, 0);
	/* page tables: PGD[511] -> PUD, PUD[510] = 1 GiB page at 0 (PSE) */
	qdh_put_le64(mem + 0x1000 + 511 * 8, PHYS + 0x2000 + 0x63);
	qdh_put_le64(mem + 0x2000 + 510 * 8, 0xe3);
	for (i = 0; i < 6; i++)
		memcpy(mem + 0x10000 + i * 65, uts[i], strlen(uts[i]));
	/* mem_map: pfn 0x1000's struct page lands at PHYS + 0x100000 */
	qdh_put_le64(mem + 0x20000, KMAP + PHYS + 0xc0000);

	notes = xcalloc(4096 + blen);
	nlen += note(notes + nlen, 0, "CORE", NT_PRSTATUS, prstatus, sizeof(prstatus));
	nlen += note(notes + nlen, 0, "VMCOREINFO", 0, vmci, vlen);
	if (blob)
		nlen += note(notes + nlen, 0, QDH_NOTE_NAME, type, blob, blen);

	off_notes = sizeof(eh) + sizeof(ph);
	off_load = (off_notes + nlen + 4095) & ~(size_t)4095;
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph[0]);
	eh.e_phnum = 2;
	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = off_notes;
	ph[0].p_filesz = ph[0].p_memsz = nlen;
	ph[1].p_type = PT_LOAD;
	ph[1].p_flags = PF_R | PF_W | PF_X;
	ph[1].p_offset = off_load;
	ph[1].p_vaddr = KMAP + PHYS;
	ph[1].p_paddr = PHYS;
	ph[1].p_filesz = ph[1].p_memsz = MEM;

	f = out_open(argv[2]);
	out_write(f, &eh, sizeof(eh));
	out_write(f, ph, sizeof(ph));
	out_write(f, notes, nlen);
	for (i = off_notes + nlen; i < off_load; i++)
		out_write(f, "", 1);
	out_write(f, mem, MEM);
	out_close(f);
	free(mem);
	free(notes);
	free(blob);
	return 0;
}

/* ---- kdump-compressed ------------------------------------------------------ */

static const struct layout {
	const char *name;
	int msb;
	unsigned block_size;	/* offset: 428 with 64-bit time_t, 416 with 32-bit */
	unsigned sub_size, vmci, vmci_len, off_note, size_note, size_len;
	unsigned version;
	const char *machine;
} layouts[] = {
	{ "le64", 0, 428, 104, 32, 40, 48, 56, 8, 6, "x86_64" },
	{ "be64", 1, 428, 104, 32, 40, 48, 56, 8, 6, "s390x" },
	{ "le32", 0, 416, 80, 20, 28, 32, 40, 4, 6, "i686" },
	{ "be32", 1, 416, 80, 20, 28, 32, 40, 4, 6, "ppc" },
	{ "le32pad", 0, 416, 96, 24, 32, 40, 48, 4, 6, "armv7l" },
	{ "le32t64", 0, 428, 96, 24, 32, 40, 48, 4, 6, "armv7l" },
	{ "v3", 0, 428, 104, 32, 40, 48, 56, 8, 3, "x86_64" },
	{ "bignote", 0, 428, 104, 32, 40, 48, 56, 8, 6, "x86_64" },
	{ "hugenote", 0, 428, 104, 32, 40, 48, 56, 8, 6, "x86_64" },
};

static void put_len(uint8_t *p, const struct layout *l, uint64_t v)
{
	if (l->size_len == 8)
		put64(p, l->msb, v);
	else
		put32(p, l->msb, (uint32_t)v);
}

/*
 * The whole kdump-compressed file in memory: header block, sub-header
 * blocks (sub-header, then the notes); the bitmaps and pages that would
 * follow are left out (nothing of ours reads them).  The notes are
 * given (already in the layout's byte order) or made: CORE, VMCOREINFO,
 * and QDH when blob is not NULL.
 */
static uint8_t *kdump_image(const struct layout *l, const uint8_t *blob, size_t blen,
			    const uint8_t *given, size_t glen, size_t *size)
{
	static const char *uts[] = { "Linux", "qdh-test", RELEASE, "#1 SMP" };
	uint8_t prstatus[336] = { 0 };
	char vmci[] = "OSRELEASE=" RELEASE "\nPAGESIZE=4096\n";
	size_t nlen, vmci_desc, blocks, i;
	uint8_t *img, *h, *sub, *notes;

	nlen = given ? glen : note(NULL, 0, "CORE", 1, NULL, sizeof(prstatus)) +
			      note(NULL, 0, "VMCOREINFO", 0, NULL, sizeof(vmci) - 1) +
			      (blob ? note(NULL, 0, QDH_NOTE_NAME, 0, NULL, blen) : 0);
	blocks = (l->sub_size + nlen + BLOCK - 1) / BLOCK;
	*size = (1 + blocks) * BLOCK;
	img = xcalloc(*size);
	h = img;
	sub = img + BLOCK;
	notes = sub + l->sub_size;

	memcpy(h, "KDUMP   ", 8);
	put32(h + 8, l->msb, l->version);
	for (i = 0; i < 4; i++)
		memcpy(h + 12 + i * 65, uts[i], strlen(uts[i]));
	memcpy(h + 12 + 4 * 65, l->machine, strlen(l->machine));
	/* a timestamp that is not zero: tv_sec, then tv_usec (16 bytes at 408
	 * with a 64-bit time_t, 8 bytes at 404 with a 32-bit one) */
	if (l->block_size == 428) {
		put64(h + 408, l->msb, 1700000000);
		put64(h + 416, l->msb, 123456);
	} else {
		put32(h + 404, l->msb, 1700000000);
		put32(h + 408, l->msb, 123456);
	}
	put32(h + l->block_size - 4, l->msb, 1);		/* status: zlib */
	put32(h + l->block_size, l->msb, BLOCK);
	put32(h + l->block_size + 4, l->msb, (uint32_t)blocks);
	put32(h + l->block_size + 8, l->msb, 2);		/* bitmap_blocks */
	put32(h + l->block_size + 12, l->msb, 0x8000);	/* max_mapnr */
	put32(h + l->block_size + 32, l->msb, 1);		/* nr_cpus */

	put32(sub + (l->size_len == 8 ? 8 : 4), l->msb, 31);	/* dump_level */
	put64(sub + l->off_note, l->msb, BLOCK + l->sub_size);
	put_len(sub + l->size_note, l, nlen);
	if (given) {
		memcpy(notes, given, glen);
		return img;
	}
	i = note(notes, l->msb, "CORE", NT_PRSTATUS, prstatus, sizeof(prstatus));
	vmci_desc = i + 12 + pad4(sizeof("VMCOREINFO"));
	i += note(notes + i, l->msb, "VMCOREINFO", 0, vmci, sizeof(vmci) - 1);
	if (blob)
		note(notes + i, l->msb, QDH_NOTE_NAME, QDH_NT_HANDOVER, blob, blen);
	put64(sub + l->vmci, l->msb, BLOCK + l->sub_size + vmci_desc);
	put_len(sub + l->vmci_len, l, sizeof(vmci) - 1);
	return img;
}

/* 16 MiB of the smallest notes (name and descriptor empty): 1.4 million. */
static uint8_t *tiny_notes(size_t bytes, int msb)
{
	uint8_t *n = xcalloc(bytes);
	size_t i;

	for (i = 0; i + 12 <= bytes; i += 12)
		put32(n + i + 8, msb, 7);
	return n;
}

static int cmd_kdump(int argc, char **argv)
{
	const struct layout *l = NULL;
	uint8_t *blob = NULL, *img, *given = NULL;
	size_t blen = 0, size, glen = 0, i;
	FILE *f;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (!strcmp(argv[2], layouts[i].name))
			l = &layouts[i];
	if (!l || argc < 4) {
		fprintf(stderr, "mkdump kdump: unknown layout %s\n", argv[2]);
		return 2;
	}
	if (argc > 4)
		blob = slurp(argv[4], &blen);
	if (!strcmp(l->name, "bignote")) {
		glen = QDH_DUMP_MAX_NOTE_BYTES / 12 * 12;
		given = tiny_notes(glen, 0);
	}
	img = kdump_image(l, blob, blen, given, glen, &size);
	if (!strcmp(l->name, "hugenote")) {	/* sub-header blocks that hold it */
		put_len(img + BLOCK + l->size_note, l, QDH_DUMP_MAX_NOTE_BYTES + 4);
		put32(img + l->block_size + 4, l->msb, 8192);
	}
	f = out_open(argv[3]);
	out_write(f, img, size);
	/* pad to 64 MiB (a hole), as a real dump's page data would */
	if (given && fseek(f, 64 * MIB - 1, SEEK_SET) == 0)
		out_write(f, "", 1);
	out_close(f);
	free(img);
	free(blob);
	free(given);
	return 0;
}

/* ---- flattened ---------------------------------------------------------- */

static void flat_header(FILE *f)
{
	uint8_t h[4096] = "makedumpfile";

	put64(h + 16, 1, 1);	/* type: flattened */
	put64(h + 24, 1, 1);	/* version */
	out_write(f, h, sizeof(h));
}

static void record(FILE *f, uint64_t off, const void *data, uint64_t len)
{
	uint8_t r[16];

	put64(r, 1, off);
	put64(r + 8, 1, len);
	out_write(f, r, sizeof(r));
	out_write(f, data, (size_t)len);
}

/* offset -1 (END_FLAG_FLAT_HEADER), and makedumpfile's buf_size -1 */
static void end_marker(FILE *f)
{
	static const uint8_t end[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	out_write(f, end, sizeof(end));
}

static void records(FILE *f, const uint8_t *d, size_t from, size_t to, size_t chunk, int rev)
{
	size_t n = (to - from + chunk - 1) / chunk, i;

	for (i = 0; i < n; i++) {
		size_t k = rev ? n - 1 - i : i, a = from + k * chunk;
		size_t b = a + chunk < to ? a + chunk : to;

		record(f, a, d + a, b - a);
	}
}

static int cmd_flat(int argc, char **argv)
{
	const char *mode = argv[2];
	size_t len, i;
	uint8_t *d;
	FILE *f;

	if (argc < 5)
		return 2;
	d = slurp(argv[3], &len);
	f = out_open(argv[4]);
	flat_header(f);
	if (!strcmp(mode, "plain") || !strcmp(mode, "noend")) {
		records(f, d, 0, len, 4096, 0);
	} else if (!strcmp(mode, "reverse")) {
		records(f, d, 0, len, 4096, 1);
	} else if (!strcmp(mode, "bytes")) {
		size_t n = len < 16384 ? len : 16384;

		/* a fixed shuffle: stride 7919 (prime) through the first 16 KiB */
		for (i = 0; i < n; i++)
			record(f, i * 7919 % n, d + i * 7919 % n, 1);
		if (len > n)
			records(f, d, n, len, 4096, 0);
	} else if (!strcmp(mode, "zeros-first") || !strcmp(mode, "zeros-last")) {
		uint8_t *z = xcalloc(len);
		int first = !strcmp(mode, "zeros-first");

		if (first)
			records(f, z, 0, len, 4096, 0);
		records(f, d, 0, len, 4096, 0);
		if (!first)
			records(f, z, 0, len < 16384 ? len : 16384, 4096, 0);
		free(z);
	} else if (!strcmp(mode, "cut")) {
		records(f, d, 0, len, 4096, 0);
		out_close(f);
		if (truncate(argv[4], 4096 + 16 + 4096 + 16 + 200) != 0)
			die(argv[4]);
		free(d);
		return 0;
	} else {
		fprintf(stderr, "mkdump flat: unknown mode %s\n", mode);
		return 2;
	}
	if (strcmp(mode, "noend"))
		end_marker(f);
	out_close(f);
	free(d);
	return 0;
}

/* ---- hostile streams ------------------------------------------------------ */

static int cmd_hostile(int argc, char **argv)
{
	const char *kind = argv[2];
	size_t size = argc > 4 ? (size_t)strtoull(argv[4], NULL, 0) : 64 * MIB;
	const struct layout *l = &layouts[0];
	uint8_t *img, one = 0x5a;
	size_t isize, i;
	FILE *f;

	if (argc < 4)
		return 2;
	f = out_open(argv[3]);
	flat_header(f);
	if (!strcmp(kind, "flat-far") || !strcmp(kind, "flat-head") ||
	    !strcmp(kind, "flat-overlap")) {
		img = kdump_image(l, NULL, 0, NULL, 0, &isize);
		if (!strcmp(kind, "flat-overlap")) {
			/* the note area in 65,535 records of it all but its last byte,
			 * so every read of it walks every record kept */
			uint64_t on = BLOCK + l->sub_size, sn = 400;

			put_len(img + BLOCK + l->size_note, l, sn);
			records(f, img, 0, BLOCK + l->sub_size, 4096, 0);
			for (i = 0; i < QDH_DUMP_MAX_HEAD_RECORDS - 3 && 4096 + i * (sn + 15) < size; i++)
				record(f, on, img + on, sn - 1);
		} else {
			records(f, img, 0, isize, 4096, 0);
			for (i = 4096 + isize + 64; i + 17 <= size; i += 17)
				record(f, !strcmp(kind, "flat-far") ? 64 * MIB + i : i % (1 * MIB),
				       &one, 1);
		}
		free(img);
	} else if (!strcmp(kind, "flat-elf")) {
		Elf64_Ehdr eh = { 0 };
		Elf64_Phdr ph = { 0 };

		memcpy(eh.e_ident, ELFMAG, SELFMAG);
		eh.e_ident[EI_CLASS] = ELFCLASS64;
		eh.e_ident[EI_DATA] = ELFDATA2LSB;
		eh.e_ident[EI_VERSION] = EV_CURRENT;
		eh.e_type = ET_CORE;
		eh.e_version = EV_CURRENT;
		eh.e_phoff = sizeof(eh);
		eh.e_phentsize = sizeof(ph);
		uint8_t core[12 + 8 + 336] = { 0 };
		uint64_t at = sizeof(eh) + 65534 * sizeof(ph);

		eh.e_phnum = 65534;
		record(f, 0, &eh, sizeof(eh));
		/* every program header a PT_NOTE over the same CORE note */
		ph.p_type = PT_NOTE;
		ph.p_offset = at;
		ph.p_filesz = note(core, 0, "CORE", NT_PRSTATUS, core + 20, 336);
		for (i = 0; i < 65534; i++)
			record(f, sizeof(eh) + i * sizeof(ph), &ph, sizeof(ph));
		record(f, at, core, sizeof(core));
	} else if (!strcmp(kind, "flat-bignote")) {
		size_t nlen = QDH_DUMP_MAX_NOTE_BYTES / 12 * 12;
		uint8_t *n = tiny_notes(nlen, 0);
		size_t chunk = QDH_DUMP_MAX_NOTE_BYTES / 65000;	/* under the 65,536 kept */

		img = kdump_image(l, NULL, 0, n, nlen, &isize);
		records(f, img, 0, BLOCK + l->sub_size, 4096, 0);
		records(f, img, BLOCK + l->sub_size, isize, chunk, 1);
		free(img);
		free(n);
	} else {
		fprintf(stderr, "mkdump hostile: unknown kind %s\n", kind);
		return 2;
	}
	end_marker(f);
	out_close(f);
	return 0;
}

/* ---- measure -------------------------------------------------------------- */

static int cmd_measure(char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	int st;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) != pid)
		die("wait4");
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%lld %lld %ld %d\n",
	       (long long)((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000),
	       (long long)((ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
			   (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000),
	       ru.ru_maxrss, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "vmcore"))
		return cmd_vmcore(argc, argv);
	if (argc >= 4 && !strcmp(argv[1], "kdump"))
		return cmd_kdump(argc, argv);
	if (argc >= 5 && !strcmp(argv[1], "flat"))
		return cmd_flat(argc, argv);
	if (argc >= 4 && !strcmp(argv[1], "hostile"))
		return cmd_hostile(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "measure"))
		return cmd_measure(argv + 2);
	fprintf(stderr, "usage: mkdump vmcore|kdump|flat|hostile|measure ...\n");
	return 2;
}
