// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 kexec_load: every segment built in memory.  The order follows from
 * what depends on what: the DTB's size must be known before placement, the
 * addresses only after it, and the digests only once every byte is final.
 *
 * Placement (Documentation/arch/arm64/booting.rst): the Image at a 2 MiB
 * aligned base + text_offset with image_size bytes free; the DTB 8-byte
 * aligned, at most 2 MiB, not crossing a 2 MiB boundary; initrd,
 * elfcorehdr and purgatory page aligned.  For -p everything lies in the
 * "Crash kernel" region(s), for -l in System RAM minus reserved ranges.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kexec.h>

#include "qdh/codec.h"
#include "qdh/loader.h"
#include "arm64.h"
#include "../../elfcore.h"

#ifndef KEXEC_ARCH_AARCH64
#define KEXEC_ARCH_AARCH64	(183 << 16)
#endif

#define SZ_2M		(2ull << 20)
#define INITRD_MAX	(1ull << 31)
#define IOMEM_MAX	(4u << 20)

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "purgatory params are copied as host-endian structs");

struct arm64_state {
	struct qdh_memmap mm;
	struct qdh_mem_range crash[QDH_LD_MAX_RANGES], pool[QDH_LD_MAX_RANGES];
	struct qdh_mem_range loads[QDH_LD_MAX_RANGES];
	size_t ncrash, npool, nloads;
	struct qdh_mem_range *notes;
	size_t nnotes;
	uint8_t *dtb_in;
	size_t dtb_in_len;
	struct arm64_dtb dt;
	struct qdh_purgatory_image purg;
};

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static int cmp_range(const void *a, const void *b)
{
	const struct qdh_mem_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int memory_map(struct qdh_ld_ctx *c, struct arm64_state *s)
{
	struct qdh_mem_range ram[QDH_LD_MAX_RANGES], excl[2 * QDH_LD_MAX_RANGES];
	size_t nram, nres, line = 0;
	char *text = NULL, d[4200];
	size_t len;
	int r;

	qdh_sysroot_display(&c->sr, QDH_PATH_IOMEM, d, sizeof(d));
	r = qdh_sysroot_read_alloc(&c->sr, QDH_PATH_IOMEM, IOMEM_MAX,
				   (void **)&text, &len);
	if (r < 0) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s", d, strerror(-r));
		return r;
	}
	r = qdh_iomem_parse(text, len, &s->mm, &line);
	free(text);
	if (r == -EPERM) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: every address reads as 0: "
			 "reading the memory map needs root (CAP_SYS_ADMIN)", d);
		return r;
	}
	if (r < 0) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: line %zu is not "
			 "\"START-END : NAME\" nested inside its parent", d, line);
		return r;
	}
	s->ncrash = qdh_memmap_select(&s->mm, QDH_MEM_CRASH, s->crash, QDH_LD_MAX_RANGES);
	nram = qdh_memmap_select(&s->mm, QDH_MEM_RAM, ram, QDH_LD_MAX_RANGES);
	if (!nram) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: no System RAM", d);
		return -ENOENT;
	}
	/* The dump covers all RAM but the crash kernel's own region. */
	r = qdh_ranges_subtract(ram, nram, s->crash, s->ncrash, s->loads,
				QDH_LD_MAX_RANGES);
	if (r < 0)
		return r;
	s->nloads = (size_t)r;
	if (c->o->panic) {
		if (!s->ncrash) {
			qdh_logf(&c->log, QDH_LOG_ERR, "no crash kernel memory is "
				 "reserved (no \"Crash kernel\" in %s): boot with "
				 "crashkernel=256M (or more) on the kernel command "
				 "line, then load again", d);
			c->die = 1;
			return -ENOENT;
		}
		memcpy(s->pool, s->crash, s->ncrash * sizeof(s->crash[0]));
		s->npool = s->ncrash;
		return 0;
	}
	/* -l: System RAM minus firmware/kernel reservations and the crash region. */
	nres = qdh_memmap_select(&s->mm, QDH_MEM_RESERVED, excl, QDH_LD_MAX_RANGES);
	memcpy(excl + nres, s->crash, s->ncrash * sizeof(s->crash[0]));
	nres += s->ncrash;
	qsort(excl, nres, sizeof(excl[0]), cmp_range);
	r = qdh_ranges_subtract(ram, nram, excl, nres, s->pool, QDH_LD_MAX_RANGES);
	if (r < 0)
		return r;
	s->npool = (size_t)r;
	return 0;
}

static int read_dtb(struct qdh_ld_ctx *c, struct arm64_state *s, const char **name)
{
	static char disp[4200];
	int r;

	if (c->o->dtb) {
		*name = c->o->dtb;
		r = qdh_ld_read_file(c->o->dtb, 2u << 20, &s->dtb_in, &s->dtb_in_len);
	} else {
		*name = qdh_sysroot_display(&c->sr, QDH_PATH_FDT, disp, sizeof(disp));
		r = qdh_sysroot_read_alloc(&c->sr, QDH_PATH_FDT, 2u << 20,
					   (void **)&s->dtb_in, &s->dtb_in_len);
	}
	if (r == -EFBIG)
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: device tree larger than the "
			 "2 MiB arm64 limit", *name);
	else if (r < 0)
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s%s", *name, strerror(-r),
			 c->o->dtb ? "" : " (no device tree: give one with --dtb)");
	return r;
}

static void state_free(struct arm64_state *s)
{
	qdh_memmap_free(&s->mm);
	free(s->notes);
	free(s->dtb_in);
	free(s->dt.fdt);
	free(s->purg.buf);
}

static int too_big(struct qdh_ld_ctx *c, struct arm64_state *s, const char *what,
		   uint64_t size)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < s->npool; i++)
		total += s->pool[i].end - s->pool[i].start + 1;
	qdh_logf(&c->log, QDH_LOG_ERR, "%s (%llu bytes) does not fit in the %s "
		 "(%llu bytes usable, with what is placed already)%s", what,
		 (unsigned long long)size,
		 c->o->panic ? "crash kernel region" : "usable System RAM",
		 (unsigned long long)total,
		 c->o->panic ? ": reserve more with crashkernel=" : "");
	return -E2BIG;
}

int arm64_build(struct qdh_ld_ctx *c, uint8_t *kernel, size_t kernel_len,
		struct qdh_ld_image *img)
{
	struct arm64_state s;
	struct arm64_image im;
	struct arm64_layout lay;
	struct arm64_dtb_in din;
	struct arm64_dtb_addrs addrs;
	struct qdh_elfcore_in core;
	struct qdh_purgatory_params *pp;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), base, kmem, kmemsz;
	uint64_t a_initrd = 0, a_dtb, a_core = 0, a_purg, hint, core_size = 0;
	uint8_t *initrd = NULL, *corebuf = NULL;
	size_t initrd_len = 0, i;
	const uint8_t *pelf;
	size_t pelf_len;
	const char *why, *dtb_name;
	int given, r, k_idx, i_idx = -1, d_idx, c_idx = -1, p_idx;

	memset(&s, 0, sizeof(s));
	memset(&din, 0, sizeof(din));
	memset(&core, 0, sizeof(core));
	if (page < 4096)
		page = 4096;
	r = arm64_image_parse(kernel, kernel_len, &im, &why);
	if (r) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s", c->o->kernel, why);
		free(kernel);
		return r;
	}
	kmemsz = round_up(im.image_size > kernel_len ? im.image_size : kernel_len, page);
	k_idx = qdh_ld_add_segment(img, "kernel", kernel, kernel_len, kmemsz, 1);
	if (k_idx < 0) {
		free(kernel);
		return k_idx;
	}
	qdh_logf(&c->log, QDH_LOG_DEBUG, "Image: text_offset 0x%llx image_size "
		 "0x%llx flags 0x%llx (page %u KiB, %s placement)",
		 (unsigned long long)im.text_offset, (unsigned long long)im.image_size,
		 (unsigned long long)im.flags, im.page_size_kb,
		 im.phys_anywhere ? "anywhere" : "near DRAM base");

	r = memory_map(c, &s);
	if (r < 0)
		goto out;
	if (c->o->initrd) {
		r = qdh_ld_read_file(c->o->initrd, INITRD_MAX, &initrd, &initrd_len);
		if (r < 0) {
			qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s", c->o->initrd, strerror(-r));
			goto out;
		}
		i_idx = qdh_ld_add_segment(img, "initrd", initrd, initrd_len,
					   round_up(initrd_len ? initrd_len : 1, page), 1);
		if (i_idx < 0) {
			free(initrd);
			r = i_idx;
			goto out;
		}
	}
	r = qdh_ld_cmdline(c, img->cmdline, sizeof(img->cmdline), &given);
	if (r < 0)
		goto out;

	/* The handover blob (timed apart: acceptance 4); our purgatory runs. */
	r = qdh_ld_make_blob(c, 1, &img->blob, &img->blob_len, &img->blob_flags,
			     &img->params.flags);
	if (r < 0)
		goto out;

	/* Purgatory: the embedded ELF, or QDH_PURGATORY_ELF for development. */
	if (getenv("QDH_PURGATORY_ELF")) {
		uint8_t *f;
		size_t fl;

		r = qdh_ld_read_file(getenv("QDH_PURGATORY_ELF"), 4u << 20, &f, &fl);
		if (r == 0) {
			r = qdh_purgatory_load(c, f, fl, &s.purg);
			free(f);
		} else {
			qdh_logf(&c->log, QDH_LOG_ERR, "QDH_PURGATORY_ELF=%s: %s",
				 getenv("QDH_PURGATORY_ELF"), strerror(-r));
		}
	} else if (qdh_purgatory_embedded(&pelf, &pelf_len) == 0) {
		r = qdh_purgatory_load(c, pelf, pelf_len, &s.purg);
	} else {
		qdh_logf(&c->log, QDH_LOG_ERR, "this kexec-qdh was built without "
			 "its purgatory; use -s or kexec-tools");
		r = -ENOEXEC;
	}
	if (r < 0)
		goto out;

	/* elfcorehdr: its size now, its bytes once its address is known. */
	if (c->o->panic) {
		r = qdh_crash_notes(c, &s.notes, &s.nnotes);
		if (r < 0)
			goto out;
		core.machine = EM_AARCH64;
		core.notes = s.notes;
		core.nnotes = s.nnotes;
		core.loads = s.loads;
		core.nloads = s.nloads;
		core.blob = img->blob;
		core.blob_len = img->blob_len;
		core_size = qdh_elfcore_size(&core);
	}

	/* Device tree with placeholders of the final size. */
	r = read_dtb(c, &s, &dtb_name);
	if (r < 0)
		goto out;
	din.name = dtb_name;
	din.cmdline = given ? img->cmdline : NULL;
	din.has_initrd = c->o->initrd != NULL;
	din.panic = c->o->panic;
	din.usable = s.crash;
	din.nusable = c->o->panic ? s.ncrash : 0;
	din.blob = img->blob;
	din.blob_len = img->blob_len;
	r = arm64_dtb_prepare(c, s.dtb_in, s.dtb_in_len, &din, &s.dt);
	if (r < 0)
		goto out;

	/* Placement. */
	memset(&lay, 0, sizeof(lay));
	lay.pool = s.pool;
	lay.npool = s.npool;
	r = arm64_place(&lay, im.text_offset + kmemsz, SZ_2M, 0, 0, &base);
	if (r < 0) {
		r = too_big(c, &s, "the kernel image", kmemsz);
		goto out;
	}
	kmem = base + im.text_offset;
	img->seg[k_idx].mem = kmem;
	hint = kmem + kmemsz;
	if (i_idx >= 0) {
		r = arm64_place(&lay, img->seg[i_idx].memsz, page, 0, hint, &a_initrd);
		if (r < 0) {
			r = too_big(c, &s, "the initrd", img->seg[i_idx].memsz);
			goto out;
		}
		img->seg[i_idx].mem = a_initrd;
		hint = a_initrd + img->seg[i_idx].memsz;
	}
	r = arm64_place(&lay, round_up(s.dt.size, page), page, SZ_2M, hint, &a_dtb);
	if (r < 0) {
		r = too_big(c, &s, "the device tree", s.dt.size);
		goto out;
	}
	if (c->o->panic) {
		r = arm64_place(&lay, round_up(core_size, page), page, 0, hint, &a_core);
		if (r < 0) {
			r = too_big(c, &s, "the elfcorehdr", core_size);
			goto out;
		}
	}
	r = arm64_place(&lay, round_up(s.purg.size, page), page, 0, hint, &a_purg);
	if (r < 0) {
		r = too_big(c, &s, "the purgatory", s.purg.size);
		goto out;
	}

	/* Fill in addresses. */
	addrs.initrd_start = a_initrd;
	addrs.initrd_end = a_initrd + initrd_len;
	addrs.elfcorehdr = a_core;
	addrs.elfcorehdr_size = core_size;
	r = arm64_dtb_finalize(c, &s.dt, &din, &addrs);
	if (r < 0)
		goto out;
	d_idx = qdh_ld_add_segment(img, "dtb", s.dt.fdt, s.dt.size,
				   round_up(s.dt.size, page), 1);
	if (d_idx < 0) {
		r = d_idx;
		goto out;
	}
	s.dt.fdt = NULL;
	img->seg[d_idx].mem = a_dtb;
	if (img->blob)
		img->blob_phys[0] = a_dtb + s.dt.blob_offset;
	if (c->o->panic) {
		corebuf = calloc(1, core_size);
		if (!corebuf) {
			r = -ENOMEM;
			goto out;
		}
		r = qdh_elfcore_build(corebuf, core_size, a_core, &core,
				      &img->blob_phys[1]);
		if (r < 0) {
			free(corebuf);
			qdh_logf(&c->log, QDH_LOG_ERR, "elfcorehdr: %s", strerror(-r));
			goto out;
		}
		c_idx = qdh_ld_add_segment(img, "elfcorehdr", corebuf, core_size,
					   round_up(core_size, page), 1);
		if (c_idx < 0) {
			free(corebuf);
			r = c_idx;
			goto out;
		}
		img->seg[c_idx].mem = a_core;
	}

	/* Purgatory parameters, digests last: every other byte is final. */
	pp = &img->params;
	pp->magic = QDH_PURGATORY_MAGIC;
	pp->version = QDH_PURGATORY_VERSION;
	pp->entry = kmem;
	pp->dtb = a_dtb;
	pp->blob[0] = img->blob_phys[0];
	pp->blob[1] = img->blob_phys[1];
	pp->blob_size = (uint32_t)img->blob_len;
	pp->timeout_us = 100000;
	pp->uart = s.dt.uart;
	for (i = 0; i < img->nseg; i++) {
		struct qdh_purgatory_segment *ps;

		if (!img->seg[i].verify || c->o->no_checks)
			continue;
		if (pp->nsegments >= QDH_PURGATORY_MAX_SEGMENTS) {
			r = -E2BIG;
			goto out;
		}
		ps = &pp->segments[pp->nsegments++];
		qdh_ld_sha256(img->seg[i].buf, img->seg[i].bufsz, img->seg[i].sha256);
		ps->mem = img->seg[i].mem;
		ps->len = img->seg[i].bufsz;
		memcpy(ps->sha256, img->seg[i].sha256, 32);
	}
	memcpy(s.purg.buf + s.purg.params_off, pp, sizeof(*pp));
	p_idx = qdh_ld_add_segment(img, "purgatory", s.purg.buf, s.purg.size,
				   round_up(s.purg.size, page), 0);
	if (p_idx < 0) {
		r = p_idx;
		goto out;
	}
	s.purg.buf = NULL;
	img->seg[p_idx].mem = a_purg;
	img->has_purgatory = 1;
	img->entry = a_purg + s.purg.entry_off;
	img->kexec_flags = KEXEC_ARCH_AARCH64 | (c->o->panic ? KEXEC_ON_CRASH : 0);
	qdh_logf(&c->log, QDH_LOG_DEBUG, "kernel 0x%llx dtb 0x%llx purgatory 0x%llx "
		 "entry 0x%llx uart 0x%llx", (unsigned long long)kmem,
		 (unsigned long long)a_dtb, (unsigned long long)a_purg,
		 (unsigned long long)img->entry, (unsigned long long)pp->uart);
	r = 0;
out:
	state_free(&s);
	return r;
}
