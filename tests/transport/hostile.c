// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Crafted hostile containers for tests/transport/test-bounds.sh, generated
 * at test time (nothing of this size is committed), and a runner that
 * measures a command:
 *   hostile gen KIND OUT SIZE   write a crafted file of about SIZE bytes
 *   hostile measure CMD...      run CMD; print "WALL_MS CPU_MS MAXRSS_KIB EXIT"
 * KINDs:
 *   elf-note-outside  ET_CORE whose one PT_NOTE lies outside the file (as
 *                     in an elfcorehdr), the file full of tiny valid notes
 *   elf-phdrs         every program header a PT_NOTE over the same area of
 *                     tiny notes (extended numbering past 65534 headers)
 *   elf-sections      ET_REL whose sections are all SHT_NOTE over the same
 *                     area (extended section count)
 *   elf-big-note      one PT_NOTE of SIZE bytes of tiny notes
 *   initrd-dense      "070701" every 8 bytes, every header hex but bad
 *   initrd-chain      one newc archive of tiny entries, no TRAILER!!!
 *   initrd-misaligned newc headers at odd offsets, each almost the QDH one
 *   dtb-big           a valid FDT of SIZE bytes (many nodes)
 *   raw-big           the QDH magic then zeros
 *   gzip-bomb         a gzip'd arm64 Image header claiming 1 GiB, then
 *                     zeros; SIZE is the decompressed size
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libfdt.h>
#include <zlib.h>

#include "qdh/codec.h"

static uint8_t *buf;
static size_t len;

static void *xcalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p) {
		perror("hostile");
		exit(99);
	}
	return p;
}

/* Tiny valid notes: namesz 0, descsz 0, type 1 (12 bytes each; areas of
 * whole notes walk to their end). */
static void tiny_notes(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 12 <= n; i += 12) {
		qdh_put_le32(p + i, 0);
		qdh_put_le32(p + i + 4, 0);
		qdh_put_le32(p + i + 8, 1);
	}
}

static void ehdr(uint8_t *p, uint16_t type, uint64_t phoff, uint32_t phnum,
		 uint64_t shoff, uint32_t shnum)
{
	Elf64_Ehdr *e = (Elf64_Ehdr *)p;

	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = type;
	e->e_machine = EM_AARCH64;
	e->e_version = EV_CURRENT;
	e->e_ehsize = sizeof(Elf64_Ehdr);
	e->e_phoff = phoff;
	e->e_phentsize = phnum ? sizeof(Elf64_Phdr) : 0;
	e->e_phnum = phnum >= PN_XNUM ? PN_XNUM : (uint16_t)phnum;
	e->e_shoff = shoff;
	e->e_shentsize = sizeof(Elf64_Shdr);
	e->e_shnum = shnum >= SHN_LORESERVE ? 0 : (uint16_t)shnum;
}

static void phdr(uint8_t *p, uint32_t type, uint64_t off, uint64_t sz)
{
	Elf64_Phdr *ph = (Elf64_Phdr *)p;

	ph->p_type = type;
	ph->p_offset = off;
	ph->p_paddr = off;
	ph->p_filesz = sz;
	ph->p_memsz = sz;
	ph->p_align = 4;
}

static void gen_elf_note_outside(size_t size)
{
	size_t hdr = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);

	len = size;
	buf = xcalloc(len);
	ehdr(buf, ET_CORE, sizeof(Elf64_Ehdr), 1, 0, 0);
	/* in memory at 1 TiB + 0x40: every page offset 0x40 is a candidate */
	phdr(buf + sizeof(Elf64_Ehdr), PT_NOTE, (1ull << 40) + hdr, len / 2);
	tiny_notes(buf + hdr, len - hdr);
}

static void gen_elf_phdrs(size_t size)
{
	size_t area = 12 * 5461, nph = (size - area - 64 - 64) / sizeof(Elf64_Phdr), i;
	size_t phoff = 64 + 64, aoff = phoff + nph * sizeof(Elf64_Phdr);

	len = aoff + area;
	buf = xcalloc(len);
	/* e_shoff: section 0 carries the real count in sh_info (PN_XNUM). */
	ehdr(buf, ET_CORE, phoff, (uint32_t)nph, 64, 1);
	((Elf64_Shdr *)(buf + 64))->sh_info = (uint32_t)nph;
	for (i = 0; i < nph; i++)
		phdr(buf + phoff + i * sizeof(Elf64_Phdr), PT_NOTE, aoff, area);
	tiny_notes(buf + aoff, area);
}

static void gen_elf_sections(size_t size)
{
	size_t area = 12 * 5461, nsh = (size - area - 64) / sizeof(Elf64_Shdr), i;
	size_t shoff = 64, aoff = shoff + nsh * sizeof(Elf64_Shdr);

	len = aoff + area;
	buf = xcalloc(len);
	ehdr(buf, ET_REL, 0, 0, shoff, (uint32_t)nsh);
	((Elf64_Shdr *)(buf + shoff))->sh_size = nsh;	/* extended count */
	for (i = 1; i < nsh; i++) {
		Elf64_Shdr *sh = (Elf64_Shdr *)(buf + shoff + i * sizeof(Elf64_Shdr));

		sh->sh_type = SHT_NOTE;
		sh->sh_offset = aoff;
		sh->sh_size = area;
		sh->sh_addralign = 4;
	}
	tiny_notes(buf + aoff, area);
}

static void gen_elf_big_note(size_t size)
{
	size_t hdr = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);

	len = size;
	buf = xcalloc(len);
	ehdr(buf, ET_CORE, sizeof(Elf64_Ehdr), 1, 0, 0);
	phdr(buf + sizeof(Elf64_Ehdr), PT_NOTE, hdr, len - hdr);
	tiny_notes(buf + hdr, len - hdr);
}

static void newc(uint8_t *p, uint32_t namesize, uint32_t filesize)
{
	char h[111];

	snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 1u, 0100644u, 0u, 0u, 1u, 0u, filesize, 0u, 0u, 0u, 0u, namesize, 0u);
	memcpy(p, h, 110);
}

static void gen_initrd_dense(size_t size)
{
	size_t i;

	len = size;
	buf = xcalloc(len);
	/* period 8: every field reads "ab070701", a name size far too big */
	for (i = 0; i + 8 <= len; i += 8)
		memcpy(buf + i, "070701ab", 8);
}

static void gen_initrd_chain(size_t size)
{
	size_t off = 0;

	len = size;
	buf = xcalloc(len);
	/* 112-byte entries named "x", no trailer: the chain runs off the end */
	while (off + 116 <= len) {
		newc(buf + off, 2, 0);
		buf[off + 110] = 'x';
		off += 112 + 4;
	}
}

static void gen_initrd_misaligned(size_t size)
{
	size_t off;

	len = size;
	buf = xcalloc(len);
	memset(buf, 'x', len);
	memcpy(buf, "\x1f\x8b", 2);	/* looks like a gzip'd initrd */
	/* headers at offsets = 1 (mod 4) with the name size of the QDH path
	 * and a name one letter off: every one is parsed whole */
	for (off = 5; off + 128 <= len; off += 128) {
		newc(buf + off, 17, 0);
		memcpy(buf + off + 110, "qdh/handover.qdX", 17);
	}
}

static void gen_dtb_big(size_t size)
{
	char name[32];
	int i, r = 0;

	len = size;
	buf = xcalloc(len);
	r |= fdt_create(buf, (int)len);
	r |= fdt_finish_reservemap(buf);
	r |= fdt_begin_node(buf, "");
	for (i = 0; r == 0; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		if (fdt_begin_node(buf, name) || fdt_property_u32(buf, "v", (uint32_t)i) ||
		    fdt_end_node(buf))
			break;
		if ((size_t)fdt_size_dt_struct(buf) + 4096 > len / 2)
			break;
	}
	r |= fdt_begin_node(buf, "chosen");
	r |= fdt_end_node(buf);
	r |= fdt_end_node(buf);
	r |= fdt_finish(buf);
	if (r) {
		fprintf(stderr, "hostile: fdt: %s\n", fdt_strerror(r));
		exit(99);
	}
	len = fdt_totalsize(buf);
}

static void gen_raw_big(size_t size)
{
	len = size;
	buf = xcalloc(len);
	qdh_put_le32(buf, QDH_MAGIC);
}

static void gen_gzip_bomb(const char *out, size_t size)
{
	static uint8_t zero[1 << 16], head[64];
	gzFile gz = gzopen(out, "wb9");
	size_t done;

	if (!gz)
		exit(99);
	/* arm64 Image header: image_size 1 GiB, magic "ARM\x64" */
	qdh_put_le64(head + 16, 1ull << 30);
	memcpy(head + 56, "ARM\x64", 4);
	gzwrite(gz, head, sizeof(head));
	for (done = sizeof(head); done < size; done += sizeof(zero))
		gzwrite(gz, zero, sizeof(zero));
	if (gzclose(gz) != Z_OK)
		exit(99);
}

static int measure(char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	int st;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
		return 99;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%ld %ld %ld %d\n", (long)((b.tv_sec - a.tv_sec) * 1000 +
					  (b.tv_nsec - a.tv_nsec) / 1000000),
	       (long)((ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
		      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000),
	       ru.ru_maxrss, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *kind;
		void (*gen)(size_t);
	} kinds[] = {
		{ "elf-note-outside", gen_elf_note_outside },
		{ "elf-phdrs", gen_elf_phdrs },
		{ "elf-sections", gen_elf_sections },
		{ "elf-big-note", gen_elf_big_note },
		{ "initrd-dense", gen_initrd_dense },
		{ "initrd-chain", gen_initrd_chain },
		{ "initrd-misaligned", gen_initrd_misaligned },
		{ "dtb-big", gen_dtb_big },
		{ "raw-big", gen_raw_big },
	};
	size_t i, size;
	FILE *f;

	if (argc >= 3 && !strcmp(argv[1], "measure"))
		return measure(argv + 2);
	if (argc != 5 || strcmp(argv[1], "gen")) {
		fprintf(stderr, "usage: hostile gen KIND OUT SIZE | hostile measure CMD...\n");
		return 2;
	}
	size = strtoul(argv[4], NULL, 0);
	if (!strcmp(argv[2], "gzip-bomb")) {
		gen_gzip_bomb(argv[3], size);
		return 0;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(argv[2], kinds[i].kind))
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0])) {
		fprintf(stderr, "hostile: unknown kind %s\n", argv[2]);
		return 2;
	}
	kinds[i].gen(size);
	f = fopen(argv[3], "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(argv[3]);
		return 99;
	}
	free(buf);
	return 0;
}
