// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The elfcorehdr a crash kernel reads at linux,elfcorehdr: an ELF64 ET_CORE
 * header whose program headers point at the old kernel's memory by
 * physical address (p_offset == p_paddr).  PT_NOTEs: one per CPU
 * (crash_notes), vmcoreinfo, and the QDH note, which lives inside this
 * segment right after the program headers so that purgatory can write the
 * handover record into it.  PT_LOADs: System RAM outside the crash region.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <string.h>

#include "qdh/codec.h"
#include "qdh/loader.h"
#include "qdh/transport.h"
#include "elfcore.h"

static size_t align8(size_t v)
{
	return (v + 7) & ~(size_t)7;
}

size_t qdh_elfcore_size(const struct qdh_elfcore_in *in)
{
	size_t nph = in->nnotes + in->nloads + (in->blob ? 1 : 0);
	size_t sz = sizeof(Elf64_Ehdr) + nph * sizeof(Elf64_Phdr);

	if (in->blob)
		sz = align8(sz) + qdh_elfnote_size(in->blob_len);
	return sz;
}

static void put_phdr(uint8_t *p, uint32_t type, uint32_t flags, uint64_t off,
		     uint64_t vaddr, uint64_t size)
{
	/* Elf64_Phdr, little-endian whatever the host. */
	qdh_put_le32(p + 0, type);
	qdh_put_le32(p + 4, flags);
	qdh_put_le64(p + 8, off);
	qdh_put_le64(p + 16, vaddr);
	qdh_put_le64(p + 24, off);	/* p_paddr */
	qdh_put_le64(p + 32, size);	/* p_filesz */
	qdh_put_le64(p + 40, size);	/* p_memsz */
	qdh_put_le64(p + 48, type == PT_LOAD ? 0 : 4);	/* p_align */
}

int qdh_elfcore_build(uint8_t *buf, size_t cap, uint64_t phys,
		      const struct qdh_elfcore_in *in, uint64_t *blob_phys)
{
	size_t nph = in->nnotes + in->nloads + (in->blob ? 1 : 0);
	size_t need = qdh_elfcore_size(in), i, off;
	uint8_t *ph;

	if (cap < need)
		return -ENOSPC;
	if (nph >= PN_XNUM)
		return -E2BIG;
	memset(buf, 0, need);
	memcpy(buf, ELFMAG, SELFMAG);
	buf[EI_CLASS] = ELFCLASS64;
	buf[EI_DATA] = ELFDATA2LSB;
	buf[EI_VERSION] = EV_CURRENT;
	buf[EI_OSABI] = ELFOSABI_NONE;
	qdh_put_le16(buf + 16, ET_CORE);
	qdh_put_le16(buf + 18, in->machine);
	qdh_put_le32(buf + 20, EV_CURRENT);
	qdh_put_le64(buf + 32, sizeof(Elf64_Ehdr));	/* e_phoff */
	qdh_put_le16(buf + 52, sizeof(Elf64_Ehdr));	/* e_ehsize */
	qdh_put_le16(buf + 54, sizeof(Elf64_Phdr));	/* e_phentsize */
	qdh_put_le16(buf + 56, (uint16_t)nph);		/* e_phnum */

	ph = buf + sizeof(Elf64_Ehdr);
	/* Notes first: the kernel merges every PT_NOTE into one. */
	for (i = 0; i < in->nnotes; i++, ph += sizeof(Elf64_Phdr))
		put_phdr(ph, PT_NOTE, 0, in->notes[i].start,
			 0, in->notes[i].end - in->notes[i].start + 1);
	if (in->blob) {
		size_t desc = 0;
		int r;

		off = align8(sizeof(Elf64_Ehdr) + nph * sizeof(Elf64_Phdr));
		r = qdh_elfnote_write(buf + off, need - off, in->blob,
				      in->blob_len, &desc);
		if (r < 0)
			return r;
		put_phdr(ph, PT_NOTE, 0, phys + off, 0,
			 qdh_elfnote_size(in->blob_len));
		ph += sizeof(Elf64_Phdr);
		*blob_phys = phys + off + desc;
	}
	for (i = 0; i < in->nloads; i++, ph += sizeof(Elf64_Phdr))
		put_phdr(ph, PT_LOAD, PF_R | PF_W | PF_X, in->loads[i].start,
			 in->load_vaddr ? in->load_vaddr(in->loads[i].start) : 0,
			 in->loads[i].end - in->loads[i].start + 1);
	return 0;
}
