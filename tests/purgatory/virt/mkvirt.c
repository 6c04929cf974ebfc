// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper for test-qemu-virt.sh: lays out a bare-metal kexec hand-off
 * for qemu-system-aarch64 -M virt,iommu=smmuv3 the way the loader will
 * (embedded purgatory read with libelf, params patched by symbol), and
 * checks the record the purgatory left behind.
 *
 *   mkvirt build DIR [corrupt] [halt]   files for -device loader; prints the
 *                                       entry address
 *   mkvirt check HEX                    validate a dumped blob, print record
 */
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qdh/codec.h"
#include "qdh/purgatory.h"
#include "qdh/sha256.h"

#define PURG_ADDR	0x41000000ull
#define STUB_ADDR	0x41100000ull
#define DUMP_INFO	0x41100800ull
#define BLOB0_ADDR	0x41200004ull	/* 4-byte aligned, like a DT property */
#define BLOB1_ADDR	0x41300000ull
#define KERN_ADDR	0x41400000ull
#define KERN_SIZE	(4u << 20)
#define FAKE_DTB	0x40000000ull	/* where QEMU virt puts its DTB */

static int write_file(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

static size_t make_blob(uint8_t *buf, size_t cap)
{
	struct qdh_builder b;
	struct qdh_iommu_spec io = { 0x09050000, 0x20000, QDH_IOMMU_SMMUV3,
				     QDH_IOMMU_F_HAS_ACTIVE, QDH_IOMMU_NO_SEGMENT,
				     "smmu3.0x0000000009050000" };
	uint32_t sid = 8;
	struct qdh_device_spec d = { 0 };
	size_t len = 0;

	d.bus = 0; d.devfn = 8; d.vendor = 0x1af4; d.device = 0x1041;
	d.class_code = 0x020000; d.iommu = 0; d.state = QDH_STATE_ACTIVE;
	d.action = QDH_ACTION_RESET_ATTACH; d.flags = QDH_DEV_F_DRIVER;
	d.reasons = QDH_R_DRIVER_BOUND | QDH_R_BUS_MASTER_ON;
	d.nsids = 1; d.sids = &sid;
	if (qdh_build_init(&b, buf, cap, 1, 1, 1, 64, 0x1122334455667788ull,
			   QDH_F_CRASH | QDH_F_BLOCK_BYPASS) ||
	    qdh_build_add_iommu(&b, &io) < 0 || qdh_build_add_device(&b, &d) ||
	    qdh_build_finish(&b, &len))
		return 0;
	return len;
}

static int build(const char *dir, int corrupt, int halt)
{
	static uint8_t blob[4096];
	uint8_t *kern = malloc(KERN_SIZE), *img;
	size_t blen = make_blob(blob, sizeof(blob)), nph = 0;
	struct qdh_purgatory_params p;
	uint64_t dump[2] = { BLOB0_ADDR, 0 };
	Elf *e;
	GElf_Ehdr eh;
	GElf_Phdr ph = { 0 };
	GElf_Sym params = { 0 };
	Elf_Scn *scn = NULL;
	int ret;

	if (!blen || !kern)
		return 1;
	for (uint32_t i = 0; i < KERN_SIZE; i++)
		kern[i] = (uint8_t)(i * 2654435761u >> 13);

	memset(&p, 0, sizeof(p));
	p.magic = QDH_PURGATORY_MAGIC;
	p.version = QDH_PURGATORY_VERSION;
	p.entry = STUB_ADDR;
	p.dtb = FAKE_DTB;
	p.blob[0] = BLOB0_ADDR;
	p.blob[1] = BLOB1_ADDR;
	p.blob_size = (uint32_t)blen;
	p.flags = QDH_PURG_P_VERIFY | QDH_PURG_P_BLOCK_BYPASS |
		  (halt ? QDH_PURG_P_HALT_ON_BAD : 0);
	p.timeout_us = 10000;
	p.uart = 0x09000000;
	p.nsegments = 3;
	p.segments[0].mem = KERN_ADDR;
	p.segments[0].len = KERN_SIZE;
	qdh_sha256(kern, KERN_SIZE, p.segments[0].sha256);
	p.segments[1].mem = BLOB0_ADDR;
	p.segments[1].len = blen;
	qdh_sha256(blob, blen, p.segments[1].sha256);
	p.segments[2] = p.segments[1];
	p.segments[2].mem = BLOB1_ADDR;
	if (corrupt)
		kern[12345] ^= 0x40;	/* "stray DMA" after load */

	elf_version(EV_CURRENT);
	e = elf_memory((char *)qdh_purgatory_elf, qdh_purgatory_elf_size);
	if (!e || !gelf_getehdr(e, &eh) || elf_getphdrnum(e, &nph) || nph != 1 ||
	    !gelf_getphdr(e, 0, &ph) || ph.p_type != PT_LOAD)
		return 1;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		gelf_getshdr(scn, &sh);
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		d = elf_getdata(scn, NULL);
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;

			gelf_getsym(d, (int)i, &s);
			if (!strcmp(elf_strptr(e, sh.sh_link, s.st_name),
				    QDH_PURGATORY_PARAMS_SYMBOL))
				params = s;
		}
	}
	if (params.st_size != sizeof(p) || params.st_value + sizeof(p) > ph.p_filesz)
		return 1;
	img = calloc(1, ph.p_memsz);
	if (!img)
		return 1;
	memcpy(img, qdh_purgatory_elf + ph.p_offset, ph.p_filesz);
	memcpy(img + params.st_value, &p, sizeof(p));	/* host is LE */
	dump[1] = blen;
	ret = write_file(dir, "purgatory.bin", img, ph.p_memsz) ||
	      write_file(dir, "kernel.bin", kern, KERN_SIZE) ||
	      write_file(dir, "blob.bin", blob, blen) ||
	      write_file(dir, "dump.bin", dump, sizeof(dump));
	if (!ret)
		printf("0x%llx\n", (unsigned long long)(PURG_ADDR + eh.e_entry));
	elf_end(e);
	free(img);
	free(kern);	/* error returns above leak: the process ends there */
	return ret;
}

static int check(const char *hex)
{
	static uint8_t blob[QDH_MAX_BLOB_SIZE];
	size_t n = strlen(hex) / 2;
	struct qdh_view v;
	struct qdh_record_info r;
	struct qdh_record_iommu_info e;
	int ret;

	for (size_t i = 0; i < n && i < sizeof(blob); i++) {
		unsigned int byte;

		if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
			return 2;
		blob[i] = (uint8_t)byte;
	}
	ret = qdh_check(&v, blob, n);
	printf("check=%s\n", qdh_strerror(ret));
	if (ret)
		return 1;
	qdh_record_get(&v, &r);
	if (qdh_record_get_iommu(&v, 0, &e))
		return 1;
	printf("flags=0x%x\n", r.flags);
	printf("bad_segment=%u\n", r.bad_segment);
	printf("ticks=%llu\n", (unsigned long long)r.ticks);
	printf("freq=%llu\n", (unsigned long long)r.freq);
	printf("action=%u\n", e.action);
	for (int k = 0; k < QDH_RECORD_NREGS; k++)
		printf("before%d=0x%llx after%d=0x%llx\n", k,
		       (unsigned long long)e.before[k], k, (unsigned long long)e.after[k]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "build")) {
		int corrupt = 0, halt = 0;

		for (int i = 3; i < argc; i++) {
			corrupt |= !strcmp(argv[i], "corrupt");
			halt |= !strcmp(argv[i], "halt");
		}
		return build(argv[2], corrupt, halt);
	}
	if (argc == 3 && !strcmp(argv[1], "check"))
		return check(argv[2]);
	fprintf(stderr, "usage: mkvirt build DIR [corrupt] [halt] | check HEX\n");
	return 2;
}
