// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fixture maker for the apply tests, so synthetic sysroots are generated at
 * test time rather than checked in as binaries:
 *   fixture blob SPEC OUT [record]  build a blob with the codec builder from
 *                                   a line spec (below); "record" fills the
 *                                   purgatory record as purgatory would
 *   fixture elf BLOB OUT            wrap a blob in an ELF core file's PT_NOTE
 *                                   (what /proc/vmcore looks like to us)
 *   fixture config OUT VENDOR DEVICE COMMAND CLASS HEADER
 *                                   a 256-byte PCI config space file
 *   fixture flip FILE OFFSET        invert one byte (corruption)
 * Spec lines ('#' comments):
 *   generation 0x1234
 *   flags crash no-purgatory
 *   iommu smmuv3 0x9050000 smmu3.0x0000000009050000
 *   pci 0000:00:02.0 active 0x020000 [driver-bound bus-master-on dump-target
 *       driver-flag]
 *   platform NAME quiesced [reasons...]
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>	/* sysroot.h (via inventory.h) uses struct stat */

#include "qdh/codec.h"
#include "qdh/inventory.h"
#include "qdh/transport.h"

#define MAX_DEVS 64

static int die(const char *what)
{
	fprintf(stderr, "fixture: %s\n", what);
	return 99;
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		return die(path);
	return 0;
}

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	static uint8_t buf[QDH_MAX_BLOB_SIZE + 1];

	if (!f)
		return NULL;
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

static unsigned state_of(const char *s)
{
	unsigned i;

	for (i = 1; i <= QDH_STATE_MAX; i++)
		if (!strcmp(s, qdh_state_name(i)))
			return i;
	return 0;
}

static int reason_bit(const char *s)
{
	unsigned i;

	for (i = 0; i < 16; i++)
		if (qdh_reason_name(i) && !strcmp(s, qdh_reason_name(i)))
			return (int)i;
	return -1;
}

static int fill_record(uint8_t *blob, size_t len)
{
	struct qdh_view v;
	struct qdh_record_info r = {
		.flags = QDH_REC_F_PURGATORY_RAN | QDH_REC_F_DIGEST_OK,
		.ticks = 62500, .freq = 62500000,
	};
	struct qdh_record_iommu_info e = { .action = QDH_PURG_GBPA_ABORT };

	if (qdh_check(&v, blob, len) < 0)
		return -1;
	qdh_record_put(&v, blob, &r);
	if (qdh_iommu_count(&v)) {
		e.before[0] = 0xd;
		e.after[0] = 0xd;
		qdh_record_put_iommu(&v, blob, 0, &e);
	}
	qdh_record_seal(&v, blob);
	return qdh_check(&v, blob, len);
}

static int cmd_blob(const char *spec, const char *out, int record)
{
	static uint8_t buf[1 << 20];
	static char names[MAX_DEVS][64];
	static uint32_t sids[MAX_DEVS];
	struct qdh_builder b;
	struct qdh_device_spec devs[MAX_DEVS];
	struct qdh_iommu_spec iommus[4];
	char iommu_names[4][64];
	uint64_t gen = 0x1111222233334444ull;
	uint32_t flags = QDH_F_CRASH;
	unsigned ndevs = 0, niommus = 0, i;
	char line[512];
	size_t len;
	FILE *f = fopen(spec, "r");

	if (!f)
		return die(spec);
	memset(devs, 0, sizeof(devs));
	while (fgets(line, sizeof(line), f)) {
		char *tok, *save = NULL, *kw;

		if (line[0] == '#' || !(kw = strtok_r(line, " \t\n", &save)))
			continue;
		if (!strcmp(kw, "generation")) {
			gen = strtoull(strtok_r(NULL, " \t\n", &save), NULL, 0);
		} else if (!strcmp(kw, "flags")) {
			flags = 0;
			while ((tok = strtok_r(NULL, " \t\n", &save))) {
				if (!strcmp(tok, "crash")) flags |= QDH_F_CRASH;
				else if (!strcmp(tok, "kexec")) flags |= QDH_F_KEXEC;
				else if (!strcmp(tok, "no-purgatory")) flags |= QDH_F_NO_PURGATORY;
				else if (!strcmp(tok, "no-dump-target")) flags |= QDH_F_NO_DUMP_TARGET;
				else return die(tok);
			}
		} else if (!strcmp(kw, "iommu") && niommus < 4) {
			struct qdh_iommu_spec *s = &iommus[niommus];

			memset(s, 0, sizeof(*s));
			tok = strtok_r(NULL, " \t\n", &save);
			s->type = !strcmp(tok, "smmuv3") ? QDH_IOMMU_SMMUV3 : QDH_IOMMU_VTD;
			s->base = strtoull(strtok_r(NULL, " \t\n", &save), NULL, 0);
			s->size = 0x20000;
			s->segment = 0;
			snprintf(iommu_names[niommus], 64, "%s", strtok_r(NULL, " \t\n", &save));
			s->name = iommu_names[niommus++];
		} else if ((!strcmp(kw, "pci") || !strcmp(kw, "platform")) && ndevs < MAX_DEVS) {
			struct qdh_device_spec *d = &devs[ndevs];
			unsigned seg, bus, dev, fn;

			tok = strtok_r(NULL, " \t\n", &save);
			if (!strcmp(kw, "pci")) {
				if (sscanf(tok, "%x:%x:%x.%x", &seg, &bus, &dev, &fn) != 4)
					return die(tok);
				d->domain = seg;
				d->bus = (uint8_t)bus;
				d->devfn = (uint8_t)(dev << 3 | fn);
				d->vendor = 0x1af4;
				d->device = 0x1041;
			} else {
				d->is_platform = 1;
				snprintf(names[ndevs], 64, "%s", tok);
				d->name = names[ndevs];
			}
			d->state = (uint8_t)state_of(strtok_r(NULL, " \t\n", &save));
			if (!d->state)
				return die("bad state");
			d->action = d->state == QDH_STATE_ACTIVE || d->state == QDH_STATE_UNKNOWN ?
				    QDH_ACTION_ABORT : QDH_ACTION_ATTACH;
			d->iommu = QDH_NO_IOMMU;
			if (!d->is_platform)
				d->class_code = (uint32_t)strtoul(strtok_r(NULL, " \t\n", &save), NULL, 0);
			while ((tok = strtok_r(NULL, " \t\n", &save))) {
				int bit = reason_bit(tok);

				if (!strcmp(tok, "dump-target")) {
					d->flags |= QDH_DEV_F_DUMP_TARGET;
					d->reasons |= QDH_R_DUMP_TARGET;
				} else if (!strcmp(tok, "driver-flag")) {
					d->flags |= QDH_DEV_F_DRIVER;
				} else if (bit >= 0) {
					d->reasons |= (uint16_t)(1u << bit);
				} else {
					return die(tok);
				}
			}
			if (niommus && !d->is_platform) {
				d->iommu = 0;
				d->nsids = 1;
				sids[ndevs] = (uint32_t)(d->bus << 8 | d->devfn);
				d->sids = &sids[ndevs];
			}
			ndevs++;
		} else {
			return die(kw);
		}
	}
	fclose(f);
	if (qdh_build_init(&b, buf, sizeof(buf), 4, MAX_DEVS, 0, 8192, gen, flags) < 0)
		return die("build_init");
	for (i = 0; i < niommus; i++)
		if (qdh_build_add_iommu(&b, &iommus[i]) < 0)
			return die("add_iommu");
	for (i = 0; i < ndevs; i++)
		if (qdh_build_add_device(&b, &devs[i]) < 0)
			return die("add_device");
	if (qdh_build_finish(&b, &len) < 0)
		return die("build_finish");
	if (record && fill_record(buf, len) < 0)
		return die("record");
	return write_file(out, buf, len);
}

/* A minimal ELF64 core: the header, one PT_NOTE, the note. */
static int cmd_elf(const char *in, const char *out)
{
	static uint8_t img[QDH_MAX_BLOB_SIZE + 4096];
	Elf64_Ehdr *eh = (Elf64_Ehdr *)(void *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(void *)(img + sizeof(*eh));
	size_t len, off = sizeof(*eh) + sizeof(*ph), nsz, doff;
	void *blob = read_file(in, &len);

	if (!blob)
		return die(in);
	nsz = qdh_elfnote_size(len);
	if (qdh_elfnote_write(img + off, sizeof(img) - off, blob, len, &doff) < 0)
		return die("elfnote_write");
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_AARCH64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 1;
	ph->p_type = PT_NOTE;
	ph->p_offset = off;
	ph->p_filesz = ph->p_memsz = nsz;
	return write_file(out, img, off + nsz);
}

static int cmd_config(char **a)
{
	uint8_t c[256];
	unsigned long cls = strtoul(a[4], NULL, 0);

	memset(c, 0, sizeof(c));
	qdh_put_le16(c, (uint16_t)strtoul(a[1], NULL, 0));
	qdh_put_le16(c + 2, (uint16_t)strtoul(a[2], NULL, 0));
	qdh_put_le16(c + 4, (uint16_t)strtoul(a[3], NULL, 0));
	c[9] = (uint8_t)cls;
	c[10] = (uint8_t)(cls >> 8);
	c[11] = (uint8_t)(cls >> 16);
	c[0x0e] = (uint8_t)strtoul(a[5], NULL, 0);
	return write_file(a[0], c, sizeof(c));
}

static int cmd_flip(const char *path, long off)
{
	FILE *f = fopen(path, "r+b");
	int c;

	if (!f || fseek(f, off, SEEK_SET) || (c = fgetc(f)) == EOF ||
	    fseek(f, off, SEEK_SET) || fputc(~c & 0xff, f) == EOF || fclose(f))
		return die(path);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "blob"))
		return cmd_blob(argv[2], argv[3], argc > 4 && !strcmp(argv[4], "record"));
	if (argc == 4 && !strcmp(argv[1], "elf"))
		return cmd_elf(argv[2], argv[3]);
	if (argc == 8 && !strcmp(argv[1], "config"))
		return cmd_config(argv + 2);
	if (argc == 4 && !strcmp(argv[1], "flip"))
		return cmd_flip(argv[2], strtol(argv[3], NULL, 0));
	return die("usage: fixture blob|elf|config|flip ...");
}
