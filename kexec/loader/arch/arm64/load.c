// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 kexec_load: every segment built in memory, as a list of steps, one
 * job each, over a table of the segments (the style of kexec-tools' image
 * type table).  The order of the steps follows from what depends on what:
 * every segment's size must be known before placement, the addresses only
 * after it, and the digests only once every byte is final.
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

/* The segments, in placement order (the order they are added in too). */
enum arm64_seg { SEG_KERNEL, SEG_INITRD, SEG_DTB, SEG_ELFCORE, SEG_PURGATORY, NSEGS };

/* Everything one build knows, filled step by step. */
struct arm64_state {
	struct qdh_ld_ctx *c;
	struct qdh_ld_image *img;
	uint64_t page;
	/* the kernel */
	uint8_t *kernel;		/* owned until its segment takes it */
	size_t kernel_len;
	struct arm64_image im;
	uint64_t kmemsz;
	/* memory */
	struct qdh_memmap mm;
	struct qdh_mem_range crash[QDH_LD_MAX_RANGES], pool[QDH_LD_MAX_RANGES];
	struct qdh_mem_range loads[QDH_LD_MAX_RANGES];
	size_t ncrash, npool, nloads;
	struct arm64_layout lay;
	/* the other segments' makings */
	size_t initrd_len;
	int cmdline_given;
	struct qdh_mem_range *notes;
	size_t nnotes;
	struct qdh_elfcore_in core;
	uint64_t core_size;
	uint8_t *dtb_in;
	size_t dtb_in_len;
	struct arm64_dtb_in din;
	struct arm64_dtb dt;
	struct qdh_purgatory_image purg;
	/* per segment: index in img->seg (-1: none) and address */
	int idx[NSEGS];
	uint64_t addr[NSEGS];
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
		r = qdh_ld_read_file(c, c->o->dtb, 2u << 20, &s->dtb_in, &s->dtb_in_len);
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
	free(s->kernel);
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

/* --- steps before placement: what goes in, and how big it is --------------- */

/* The Image header: where the kernel goes, and how much memory it needs. */
static int step_image(struct arm64_state *s)
{
	struct qdh_ld_ctx *c = s->c;
	const char *why;
	int r = arm64_image_parse(s->kernel, s->kernel_len, &s->im, &why);

	if (r) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s", c->o->kernel, why);
		return r;
	}
	s->kmemsz = round_up(s->im.image_size > s->kernel_len ? s->im.image_size :
			     s->kernel_len, s->page);
	r = qdh_ld_add_segment(s->img, "kernel", s->kernel, s->kernel_len, s->kmemsz, 1);
	if (r < 0)
		return r;
	s->kernel = NULL;	/* the segment owns it */
	s->idx[SEG_KERNEL] = r;
	qdh_logf(&c->log, QDH_LOG_DEBUG, "Image: text_offset 0x%llx image_size "
		 "0x%llx flags 0x%llx (page %u KiB, %s placement)",
		 (unsigned long long)s->im.text_offset, (unsigned long long)s->im.image_size,
		 (unsigned long long)s->im.flags, s->im.page_size_kb,
		 s->im.phys_anywhere ? "anywhere" : "near DRAM base");
	return 0;
}

static int step_memory_map(struct arm64_state *s)
{
	int r = memory_map(s->c, s);

	s->lay.pool = s->pool;
	s->lay.npool = s->npool;
	return r;
}

static int step_initrd(struct arm64_state *s)
{
	struct qdh_ld_ctx *c = s->c;
	uint8_t *initrd = NULL;
	int r;

	if (!c->o->initrd)
		return 0;
	r = qdh_ld_read_file(c, c->o->initrd, INITRD_MAX, &initrd, &s->initrd_len);
	if (r < 0) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s", c->o->initrd, strerror(-r));
		return r;
	}
	r = qdh_ld_add_segment(s->img, "initrd", initrd, s->initrd_len,
			       round_up(s->initrd_len ? s->initrd_len : 1, s->page), 1);
	if (r < 0) {
		free(initrd);
		return r;
	}
	s->idx[SEG_INITRD] = r;
	return 0;
}

static int step_cmdline(struct arm64_state *s)
{
	return qdh_ld_cmdline(s->c, s->img->cmdline, sizeof(s->img->cmdline),
			      &s->cmdline_given);
}

/* The handover blob (timed apart: acceptance 4); our purgatory runs. */
static int step_blob(struct arm64_state *s)
{
	struct qdh_ld_image *img = s->img;

	return qdh_ld_make_blob(s->c, 1, &img->blob, &img->blob_len, &img->blob_flags,
				&img->params.flags);
}

/* The embedded purgatory ELF, or QDH_PURGATORY_ELF for development. */
static int step_purgatory(struct arm64_state *s)
{
	struct qdh_ld_ctx *c = s->c;
	const char *env = getenv("QDH_PURGATORY_ELF");
	const uint8_t *pelf;
	size_t pelf_len;
	int r;

	if (env) {
		uint8_t *f;
		size_t fl;

		r = qdh_ld_read_file(c, env, 4u << 20, &f, &fl);
		if (r < 0) {
			qdh_logf(&c->log, QDH_LOG_ERR, "QDH_PURGATORY_ELF=%s: %s", env,
				 strerror(-r));
			return r;
		}
		r = qdh_purgatory_load(c, f, fl, &s->purg);
		free(f);
		return r;
	}
	if (qdh_purgatory_embedded(&pelf, &pelf_len) == 0)
		return qdh_purgatory_load(c, pelf, pelf_len, &s->purg);
	qdh_logf(&c->log, QDH_LOG_ERR, "this kexec-qdh was built without "
		 "its purgatory; use -s or kexec-tools");
	return -ENOEXEC;
}

/* -p: the elfcorehdr's size now, its bytes once its address is known. */
static int step_elfcore_size(struct arm64_state *s)
{
	struct qdh_ld_ctx *c = s->c;
	int r;

	if (!c->o->panic)
		return 0;
	r = qdh_crash_notes(c, &s->notes, &s->nnotes);
	if (r < 0)
		return r;
	s->core.machine = EM_AARCH64;
	s->core.notes = s->notes;
	s->core.nnotes = s->nnotes;
	s->core.loads = s->loads;
	s->core.nloads = s->nloads;
	s->core.blob = s->img->blob;
	s->core.blob_len = s->img->blob_len;
	s->core_size = qdh_elfcore_size(&s->core);
	return 0;
}

/* The device tree with placeholders of their final size. */
static int step_dtb_prepare(struct arm64_state *s)
{
	struct qdh_ld_ctx *c = s->c;
	const char *name;
	int r = read_dtb(c, s, &name);

	if (r < 0)
		return r;
	s->din.name = name;
	s->din.cmdline = s->cmdline_given ? s->img->cmdline : NULL;
	s->din.has_initrd = c->o->initrd != NULL;
	s->din.panic = c->o->panic;
	s->din.usable = s->crash;
	s->din.nusable = c->o->panic ? s->ncrash : 0;
	s->din.blob = s->img->blob;
	s->din.blob_len = s->img->blob_len;
	return arm64_dtb_prepare(c, s->dtb_in, s->dtb_in_len, &s->din, &s->dt);
}

/* --- the segment table: placement and filling ------------------------------- */

struct arm64_seg_desc {
	const char *what;		/* in "does not fit" messages */
	int (*present)(const struct arm64_state *s);
	uint64_t (*size)(const struct arm64_state *s);	/* bytes to place */
	uint64_t (*bytes)(const struct arm64_state *s);	/* what it needs, shown */
	uint64_t align;			/* 0: a page */
	uint64_t no_cross;		/* boundary it may not cross, 0: none */
	int advances_hint;		/* later segments go above it */
	/* Its bytes once every address is known (NULL: read already). */
	int (*fill)(struct arm64_state *s);
};

static int always(const struct arm64_state *s) { (void)s; return 1; }
static int has_initrd(const struct arm64_state *s) { return s->idx[SEG_INITRD] >= 0; }
static int is_panic(const struct arm64_state *s) { return s->c->o->panic; }

/* The kernel's window: text_offset below the image, from a 2 MiB base. */
static uint64_t kernel_size(const struct arm64_state *s)
{
	return s->im.text_offset + s->kmemsz;
}

static uint64_t initrd_size(const struct arm64_state *s)
{
	return s->img->seg[s->idx[SEG_INITRD]].memsz;
}

static uint64_t dtb_size(const struct arm64_state *s)
{
	return round_up(s->dt.size, s->page);
}

static uint64_t elfcore_size(const struct arm64_state *s)
{
	return round_up(s->core_size, s->page);
}

static uint64_t purgatory_size(const struct arm64_state *s)
{
	return round_up(s->purg.size, s->page);
}

/* What a segment that does not fit needs, as the user knows its size. */
static uint64_t kernel_bytes(const struct arm64_state *s) { return s->kmemsz; }
static uint64_t dtb_bytes(const struct arm64_state *s) { return s->dt.size; }
static uint64_t elfcore_bytes(const struct arm64_state *s) { return s->core_size; }
static uint64_t purgatory_bytes(const struct arm64_state *s) { return s->purg.size; }

/* The DTB, addresses filled in place, and where the blob lies in it. */
static int fill_dtb(struct arm64_state *s)
{
	struct arm64_dtb_addrs addrs = {
		.initrd_start = s->addr[SEG_INITRD],
		.initrd_end = s->addr[SEG_INITRD] + s->initrd_len,
		.elfcorehdr = s->addr[SEG_ELFCORE],
		.elfcorehdr_size = s->core_size,
	};
	int r = arm64_dtb_finalize(s->c, &s->dt, &s->din, &addrs);

	if (r < 0)
		return r;
	r = qdh_ld_add_segment(s->img, "dtb", s->dt.fdt, s->dt.size, dtb_size(s), 1);
	if (r < 0)
		return r;
	s->dt.fdt = NULL;
	s->idx[SEG_DTB] = r;
	if (s->img->blob)
		s->img->blob_phys[0] = s->addr[SEG_DTB] + s->dt.blob_offset;
	return 0;
}

/* The elfcorehdr at its address, with the blob's copy in its note. */
static int fill_elfcore(struct arm64_state *s)
{
	uint8_t *buf = calloc(1, s->core_size);
	int r;

	if (!buf)
		return -ENOMEM;
	r = qdh_elfcore_build(buf, s->core_size, s->addr[SEG_ELFCORE], &s->core,
			      &s->img->blob_phys[1]);
	if (r < 0) {
		free(buf);
		qdh_logf(&s->c->log, QDH_LOG_ERR, "elfcorehdr: %s", strerror(-r));
		return r;
	}
	r = qdh_ld_add_segment(s->img, "elfcorehdr", buf, s->core_size,
			       elfcore_size(s), 1);
	if (r < 0) {
		free(buf);
		return r;
	}
	s->idx[SEG_ELFCORE] = r;
	return 0;
}

/* Purgatory's parameters, digests last: every other byte is final. */
static int fill_purgatory(struct arm64_state *s)
{
	struct qdh_ld_image *img = s->img;
	struct qdh_purgatory_params *pp = &img->params;
	size_t i;
	int r;

	pp->magic = QDH_PURGATORY_MAGIC;
	pp->version = QDH_PURGATORY_VERSION;
	pp->entry = s->addr[SEG_KERNEL];
	pp->dtb = s->addr[SEG_DTB];
	pp->blob[0] = img->blob_phys[0];
	pp->blob[1] = img->blob_phys[1];
	pp->blob_size = (uint32_t)img->blob_len;
	pp->timeout_us = 100000;
	pp->uart = s->dt.uart;
	for (i = 0; i < img->nseg; i++) {
		struct qdh_purgatory_segment *ps;

		if (!img->seg[i].verify || s->c->o->no_checks)
			continue;
		if (pp->nsegments >= QDH_PURGATORY_MAX_SEGMENTS)
			return -E2BIG;
		ps = &pp->segments[pp->nsegments++];
		qdh_ld_sha256(img->seg[i].buf, img->seg[i].bufsz, img->seg[i].sha256);
		ps->mem = img->seg[i].mem;
		ps->len = img->seg[i].bufsz;
		memcpy(ps->sha256, img->seg[i].sha256, 32);
	}
	memcpy(s->purg.buf + s->purg.params_off, pp, sizeof(*pp));
	r = qdh_ld_add_segment(img, "purgatory", s->purg.buf, s->purg.size,
			       purgatory_size(s), 0);
	if (r < 0)
		return r;
	s->purg.buf = NULL;
	s->idx[SEG_PURGATORY] = r;
	return 0;
}

static const struct arm64_seg_desc segs[NSEGS] = {
	[SEG_KERNEL] = { "the kernel image", always, kernel_size, kernel_bytes,
			 SZ_2M, 0, 1, NULL },
	[SEG_INITRD] = { "the initrd", has_initrd, initrd_size, initrd_size,
			 0, 0, 1, NULL },
	[SEG_DTB] = { "the device tree", always, dtb_size, dtb_bytes,
		      0, SZ_2M, 0, fill_dtb },
	[SEG_ELFCORE] = { "the elfcorehdr", is_panic, elfcore_size, elfcore_bytes,
			  0, 0, 0, fill_elfcore },
	[SEG_PURGATORY] = { "the purgatory", always, purgatory_size, purgatory_bytes,
			    0, 0, 0, fill_purgatory },
};

/*
 * Every present segment, in table order, at the lowest address that fits
 * above the previous ones that advance the hint.  The kernel's address is
 * its 2 MiB base plus text_offset.
 */
static int step_place(struct arm64_state *s)
{
	uint64_t hint = 0;

	for (int i = 0; i < NSEGS; i++) {
		const struct arm64_seg_desc *d = &segs[i];
		uint64_t size, a;

		if (!d->present(s))
			continue;
		size = d->size(s);
		if (arm64_place(&s->lay, size, d->align ? d->align : s->page, d->no_cross,
				hint, &a) < 0)
			return too_big(s->c, s, d->what, d->bytes(s));
		if (i == SEG_KERNEL)
			a += s->im.text_offset;
		s->addr[i] = a;
		if (s->idx[i] >= 0)
			s->img->seg[s->idx[i]].mem = a;
		if (d->advances_hint)
			hint = a + (i == SEG_KERNEL ? s->kmemsz : size);
	}
	return 0;
}

/* Segments made at their address, in table order (the purgatory last). */
static int step_fill(struct arm64_state *s)
{
	for (int i = 0; i < NSEGS; i++) {
		int r;

		if (!segs[i].present(s) || !segs[i].fill)
			continue;
		r = segs[i].fill(s);
		if (r < 0)
			return r;
		s->img->seg[s->idx[i]].mem = s->addr[i];
	}
	return 0;
}

static int step_entry(struct arm64_state *s)
{
	struct qdh_ld_image *img = s->img;

	img->has_purgatory = 1;
	img->entry = s->addr[SEG_PURGATORY] + s->purg.entry_off;
	img->kexec_flags = KEXEC_ARCH_AARCH64 | (s->c->o->panic ? KEXEC_ON_CRASH : 0);
	qdh_logf(&s->c->log, QDH_LOG_DEBUG, "kernel 0x%llx dtb 0x%llx purgatory 0x%llx "
		 "entry 0x%llx uart 0x%llx", (unsigned long long)s->addr[SEG_KERNEL],
		 (unsigned long long)s->addr[SEG_DTB],
		 (unsigned long long)s->addr[SEG_PURGATORY],
		 (unsigned long long)img->entry, (unsigned long long)img->params.uart);
	return 0;
}

/* The build: each step one job, in the order their inputs appear. */
static int (*const steps[])(struct arm64_state *s) = {
	step_image,		/* the kernel segment */
	step_memory_map,	/* where segments may go */
	step_initrd,		/* the initrd segment */
	step_cmdline,
	step_blob,		/* the handover, and the purgatory's flags */
	step_purgatory,		/* the purgatory image: its size */
	step_elfcore_size,	/* -p: the elfcorehdr's size */
	step_dtb_prepare,	/* the DTB's final size */
	step_place,		/* every address */
	step_fill,		/* DTB, elfcorehdr, purgatory (digests last) */
	step_entry,
};

int arm64_build(struct qdh_ld_ctx *c, uint8_t *kernel, size_t kernel_len,
		struct qdh_ld_image *img)
{
	struct arm64_state s;
	int r = 0;

	memset(&s, 0, sizeof(s));
	s.c = c;
	s.img = img;
	s.kernel = kernel;
	s.kernel_len = kernel_len;
	s.page = (uint64_t)sysconf(_SC_PAGESIZE);
	if (s.page < 4096)
		s.page = 4096;
	for (int i = 0; i < NSEGS; i++)
		s.idx[i] = -1;
	for (size_t i = 0; r == 0 && i < sizeof(steps) / sizeof(steps[0]); i++)
		r = steps[i](&s);
	state_free(&s);
	return r < 0 ? r : 0;
}
