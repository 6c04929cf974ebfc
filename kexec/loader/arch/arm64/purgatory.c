// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The aarch64 purgatory as a kexec segment: its ELF (linked at 0, no
 * dynamic relocations) is read with libelf; the PT_LOAD image is copied
 * into one buffer, and the symbol qdh_purgatory_params locates the
 * parameter block the loader fills.
 */
#include "config.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "arm64.h"

#define PURGATORY_MAX	(4u << 20)

int qdh_purgatory_embedded(const uint8_t **elf, size_t *len)
{
	if (!qdh_purgatory_elf_size)
		return -ENOENT;
	*elf = qdh_purgatory_elf;
	*len = qdh_purgatory_elf_size;
	return 0;
}

static int bad(struct qdh_ld_ctx *c, const char *what)
{
	qdh_logf(&c->log, QDH_LOG_ERR, "purgatory ELF: %s", what);
	return -ENOEXEC;
}

static int find_params(struct qdh_ld_ctx *c, Elf *e, uint64_t *value)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(e, &shstrndx))
		return bad(c, "no section names");
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
		    !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < n; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(data, (int)i, &sym))
				break;
			name = elf_strptr(e, sh.sh_link, sym.st_name);
			if (!name || strcmp(name, QDH_PURGATORY_PARAMS_SYMBOL))
				continue;
			if (sym.st_size < sizeof(struct qdh_purgatory_params))
				return bad(c, "qdh_purgatory_params is smaller than "
					   "struct qdh_purgatory_params");
			*value = sym.st_value;
			return 0;
		}
	}
	return bad(c, "no symbol " QDH_PURGATORY_PARAMS_SYMBOL);
}

int qdh_purgatory_load(struct qdh_ld_ctx *c, const uint8_t *elf, size_t len,
		       struct qdh_purgatory_image *out)
{
	GElf_Ehdr eh;
	Elf *e;
	char *copy;
	size_t nph, i;
	uint64_t hi = 0, params;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return bad(c, "libelf too old");
	/* elf_memory() wants a writable buffer. */
	copy = malloc(len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, elf, len);
	e = elf_memory(copy, len);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		r = bad(c, "not an ELF file");
		goto out;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_AARCH64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		r = bad(c, "not a little-endian aarch64 ELF64");
		goto out;
	}
	if (elf_getphdrnum(e, &nph) || nph == 0) {
		r = bad(c, "no program headers");
		goto out;
	}
	for (i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph)) {
			r = bad(c, "bad program header");
			goto out;
		}
		if (ph.p_type == PT_DYNAMIC) {
			r = bad(c, "has dynamic relocations (must be linked at 0 "
				"without them)");
			goto out;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_memsz > PURGATORY_MAX ||
		    ph.p_vaddr > PURGATORY_MAX || ph.p_offset > len ||
		    ph.p_filesz > len - ph.p_offset) {
			r = bad(c, "PT_LOAD outside the file or too large");
			goto out;
		}
		if (ph.p_vaddr + ph.p_memsz > hi)
			hi = ph.p_vaddr + ph.p_memsz;
	}
	if (!hi || hi > PURGATORY_MAX || eh.e_entry >= hi) {
		r = bad(c, "empty image or entry point outside it");
		goto out;
	}
	r = find_params(c, e, &params);
	if (r)
		goto out;
	if (params + sizeof(struct qdh_purgatory_params) > hi) {
		r = bad(c, "qdh_purgatory_params outside the image");
		goto out;
	}
	out->buf = calloc(1, hi);
	if (!out->buf) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nph; i++) {
		GElf_Phdr ph;

		gelf_getphdr(e, (int)i, &ph);
		if (ph.p_type == PT_LOAD && ph.p_filesz)
			memcpy(out->buf + ph.p_vaddr, elf + ph.p_offset, ph.p_filesz);
	}
	out->size = hi;
	out->entry_off = eh.e_entry;
	out->params_off = params;
out:
	if (e)
		elf_end(e);
	free(copy);
	return r;
}
