/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Build small ELF files around note areas for the transport tests: a core
 * (ET_CORE, one PT_NOTE per area, like an elfcorehdr whose notes were
 * copied in) or an executable-like file with SHT_NOTE sections only.
 * Written by hand so that tests can also break every field.
 */
#ifndef QDH_TEST_MKELF_H
#define QDH_TEST_MKELF_H

#include <elf.h>
#include <stdint.h>
#include <string.h>

struct mkelf_area {
	const void *data;
	size_t len;
	uint64_t align;		/* p_align / sh_addralign */
};

static inline size_t mkelf_align8(size_t v) { return (v + 7) & ~(size_t)7; }

/*
 * ELF64 little-endian core: Ehdr, a PT_LOAD for show, one PT_NOTE per
 * area, then the areas (8-byte aligned).  Returns the size, 0 if cap is
 * too small.  *area_off (optional) gets each area's file offset.
 */
static inline size_t mkelf_core(uint8_t *buf, size_t cap, const struct mkelf_area *a,
				unsigned n, size_t *area_off)
{
	size_t off = sizeof(Elf64_Ehdr) + (n + 1) * sizeof(Elf64_Phdr);
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned i;

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_AARCH64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(Elf64_Ehdr);
	eh.e_ehsize = sizeof(Elf64_Ehdr);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (Elf64_Half)(n + 1);
	if (cap < off)
		return 0;
	memcpy(buf, &eh, sizeof(eh));
	memset(&ph, 0, sizeof(ph));
	ph.p_type = PT_LOAD;		/* memory that is not in this file */
	ph.p_paddr = 0x40000000;
	ph.p_memsz = 0x10000000;
	memcpy(buf + sizeof(eh), &ph, sizeof(ph));
	for (i = 0; i < n; i++) {
		off = mkelf_align8(off);
		if (cap < off + a[i].len)
			return 0;
		memset(&ph, 0, sizeof(ph));
		ph.p_type = PT_NOTE;
		ph.p_offset = off;
		ph.p_filesz = a[i].len;
		ph.p_align = a[i].align;
		memcpy(buf + sizeof(eh) + (i + 1) * sizeof(ph), &ph, sizeof(ph));
		memcpy(buf + off, a[i].data, a[i].len);
		if (area_off)
			area_off[i] = off;
		off += a[i].len;
	}
	return off;
}

/*
 * ELF64 little-endian ET_EXEC without program headers: a null section,
 * one SHT_NOTE per area, and a .shstrtab.
 */
static inline size_t mkelf_sections(uint8_t *buf, size_t cap, const struct mkelf_area *a,
				    unsigned n, size_t *area_off)
{
	static const char shstr[] = "\0.note.qdh\0.shstrtab";
	size_t off = sizeof(Elf64_Ehdr), shoff;
	Elf64_Ehdr eh;
	Elf64_Shdr sh;
	unsigned i;

	memset(buf, 0, cap);
	for (i = 0; i < n; i++) {
		off = mkelf_align8(off);
		if (cap < off + a[i].len)
			return 0;
		memcpy(buf + off, a[i].data, a[i].len);
		if (area_off)
			area_off[i] = off;
		off += a[i].len;
	}
	if (cap < off + sizeof(shstr))
		return 0;
	memcpy(buf + off, shstr, sizeof(shstr));
	shoff = mkelf_align8(off + sizeof(shstr));
	if (cap < shoff + (n + 2) * sizeof(Elf64_Shdr))
		return 0;
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_AARCH64;
	eh.e_version = EV_CURRENT;
	eh.e_shoff = shoff;
	eh.e_ehsize = sizeof(Elf64_Ehdr);
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = (Elf64_Half)(n + 2);
	eh.e_shstrndx = (Elf64_Half)(n + 1);
	memcpy(buf, &eh, sizeof(eh));
	for (i = 0; i < n; i++) {
		memset(&sh, 0, sizeof(sh));
		sh.sh_name = 1;
		sh.sh_type = SHT_NOTE;
		sh.sh_flags = SHF_ALLOC;
		sh.sh_offset = area_off ? area_off[i] : 0;
		sh.sh_size = a[i].len;
		sh.sh_addralign = a[i].align;
		memcpy(buf + shoff + (i + 1) * sizeof(sh), &sh, sizeof(sh));
	}
	memset(&sh, 0, sizeof(sh));
	sh.sh_name = 11;
	sh.sh_type = SHT_STRTAB;
	sh.sh_offset = off;
	sh.sh_size = sizeof(shstr);
	sh.sh_addralign = 1;
	memcpy(buf + shoff + (n + 1) * sizeof(sh), &sh, sizeof(sh));
	return shoff + (n + 2) * sizeof(Elf64_Shdr);
}

/* A note with any name/type, 4-byte padded (for foreign notes around ours). */
static inline size_t mkelf_note(uint8_t *buf, const char *name, uint32_t type,
				const void *desc, uint32_t desclen)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;
	size_t n = 12;

	memcpy(buf, &namesz, 4);
	memcpy(buf + 4, &desclen, 4);
	memcpy(buf + 8, &type, 4);
	memset(buf + 12, 0, ((namesz + 3) & ~3u) + ((desclen + 3) & ~3u));
	memcpy(buf + n, name, namesz);
	n += (namesz + 3) & ~3u;
	memcpy(buf + n, desc, desclen);
	return n + ((desclen + 3) & ~3u);
}

#endif
