// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The embedded purgatory as the loader sees it (libqdhpurgatory.a, read
 * with libelf): the bytes of purgatory.elf, an aarch64 image linked at 0
 * with one PT_LOAD, the params symbol in file-backed .data (patchable) with
 * the size of struct qdh_purgatory_params, and an entry inside the image.
 */
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "qdh/purgatory.h"

int main(void)
{
	const char *bd = getenv("top_builddir");
	char path[4096];
	unsigned char *file;
	long fsize;
	FILE *f;
	Elf *e;
	GElf_Ehdr eh;
	GElf_Phdr ph = { 0 };
	size_t nph = 0, shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Sym params = { 0 };
	int found = 0, loads = 0;

	snprintf(path, sizeof(path), "%s/purgatory/purgatory.elf", bd ? bd : ".");
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	fsize = ftell(f);
	rewind(f);
	file = malloc((size_t)fsize);
	if (fread(file, 1, (size_t)fsize, f) != (size_t)fsize)
		return 1;
	fclose(f);
	tap_ok(qdh_purgatory_elf_size == (unsigned long)fsize &&
	       !memcmp(qdh_purgatory_elf, file, (size_t)fsize),
	       "qdh_purgatory_elf[] is purgatory.elf (%lu bytes)", qdh_purgatory_elf_size);

	elf_version(EV_CURRENT);
	e = elf_memory((char *)qdh_purgatory_elf, qdh_purgatory_elf_size);
	tap_ok(e && gelf_getehdr(e, &eh) && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
	       eh.e_machine == EM_AARCH64 && eh.e_type == ET_EXEC &&
	       eh.e_ident[EI_DATA] == ELFDATA2LSB, "ELF64 little-endian aarch64 executable");
	elf_getphdrnum(e, &nph);
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr p;

		gelf_getphdr(e, (int)i, &p);
		if (p.p_type == PT_LOAD) {
			loads++;
			ph = p;
		}
		if (p.p_type == PT_DYNAMIC || p.p_type == PT_INTERP)
			loads += 100;
	}
	tap_ok(loads == 1 && ph.p_vaddr == 0 && ph.p_offset % 4096 == 0,
	       "one PT_LOAD at 0, no PT_DYNAMIC/PT_INTERP");
	tap_ok(ph.p_memsz >= ph.p_filesz + 16384, "memsz covers a 16 KiB .bss stack");
	tap_ok(eh.e_entry < ph.p_filesz, "entry inside the image");

	elf_getshdrstrndx(e, &shstrndx);
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		gelf_getshdr(scn, &sh);
		if (sh.sh_type == SHT_RELA || sh.sh_type == SHT_REL || sh.sh_type == SHT_DYNAMIC)
			found = -1000;
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		d = elf_getdata(scn, NULL);
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;

			gelf_getsym(d, (int)i, &s);
			if (!strcmp(elf_strptr(e, sh.sh_link, s.st_name),
				    QDH_PURGATORY_PARAMS_SYMBOL)) {
				params = s;
				found++;
			}
		}
	}
	tap_ok(found == 1, "one %s symbol, no relocation sections", QDH_PURGATORY_PARAMS_SYMBOL);
	tap_ok(params.st_size == sizeof(struct qdh_purgatory_params) &&
	       GELF_ST_BIND(params.st_info) == STB_GLOBAL,
	       "params: global, %zu bytes", sizeof(struct qdh_purgatory_params));
	{
		Elf_Scn *ps = elf_getscn(e, params.st_shndx);
		GElf_Shdr sh;

		gelf_getshdr(ps, &sh);
		tap_ok(sh.sh_type == SHT_PROGBITS && (sh.sh_flags & SHF_WRITE) &&
		       !strcmp(elf_strptr(e, shstrndx, sh.sh_name), ".data") &&
		       params.st_value + params.st_size <= ph.p_filesz,
		       "params in file-backed .data (patchable before loading)");
		tap_ok(params.st_value % 8 == 0, "params 8-byte aligned");
	}
	elf_end(e);
	free(file);
	return tap_done();
}
