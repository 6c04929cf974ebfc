// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * purgatory_main(): runs between the old kernel and the next one (see
 * doc/purgatory.md).  Only this file and arch/arm64/ touch the CPU; the
 * logic it calls (verify.c, smmu.c, run.c) is host-tested.
 */
#include <stddef.h>
#include "purg.h"
#include "arch/arm64/cpu.h"

/*
 * Patched by the loader (found by QDH_PURGATORY_PARAMS_SYMBOL).  In .data,
 * not .bss, so that it has file bytes to patch; entry.S reads entry and dtb
 * at the offsets asserted below.
 */
__attribute__((section(".data.qdh_params"), used, visibility("default")))
struct qdh_purgatory_params qdh_purgatory_params = { .magic = 0 };

_Static_assert(offsetof(struct qdh_purgatory_params, entry) == 8,
	       "entry.S loads params.entry at #8");
_Static_assert(offsetof(struct qdh_purgatory_params, dtb) == 16,
	       "entry.S loads params.dtb at #16");

void purgatory_main(void);

/* PL011 (DDI 0183): UARTFR at +0x18, TXFF bit 5; data register at +0. */
#define PL011_FR	0x18
#define PL011_FR_TXFF	(1u << 5)

struct console {
	uint64_t dr;		/* 0: silent */
	uint64_t freq;
};

/* Bounded wait per character: a dead UART must not stop the crash path. */
static void console_putc(struct console *c, char ch)
{
	uint64_t start = counter_ticks();
	uint64_t limit = c->freq ? c->freq / 100 : 0;	/* 10 ms */

	while (mmio_read32(c->dr + PL011_FR) & PL011_FR_TXFF) {
		if (counter_ticks() - start > limit) {
			c->dr = 0;
			return;
		}
	}
	mmio_write32(c->dr, (uint8_t)ch);
}

static void console_line(struct console *c, const struct purg_line *l)
{
	uint32_t i;

	for (i = 0; c->dr && i < l->len; i++)
		console_putc(c, l->buf[i]);
	if (c->dr)
		console_putc(c, '\r');
	if (c->dr)
		console_putc(c, '\n');
}

static uint32_t io_read32(void *ctx, uint64_t a) { (void)ctx; return mmio_read32(a); }
static uint64_t io_read64(void *ctx, uint64_t a) { (void)ctx; return mmio_read64(a); }
static void io_write32(void *ctx, uint64_t a, uint32_t v) { (void)ctx; mmio_write32(a, v); }
static uint64_t io_ticks(void *ctx) { (void)ctx; return counter_ticks(); }
/* The old kernel wrote its stream table through the caches; ours are off. */
static void io_sync_mem(void *ctx, uint64_t a, uint64_t len)
{
	(void)ctx;
	dcache_civac_range(a, len);
}

static uint64_t ticks_to_us(uint64_t t, uint64_t freq)
{
	if (!freq)
		return 0;
	if (t > UINT64_MAX / 1000000u)
		return t / freq * 1000000u;
	return t * 1000000u / freq;
}

/*
 * FP/SIMD must not trap for the SHA-2 instructions: CPACR_EL1.FPEN at EL1;
 * at EL2 CPTR_EL2, whose layout depends on HCR_EL2.E2H.  Returns the value
 * to restore, so the next kernel finds the traps as the old one left them.
 */
static uint64_t fpsimd_enable(void)
{
	uint64_t old;

	if (current_el() == 2) {
		old = read_sysreg(cptr_el2);
		if (read_sysreg(hcr_el2) & HCR_EL2_E2H)
			write_sysreg(cptr_el2, old | CPACR_FPEN);
		else
			write_sysreg(cptr_el2, old & ~CPTR_EL2_TFP);
	} else {
		old = read_sysreg(cpacr_el1);
		write_sysreg(cpacr_el1, old | CPACR_FPEN);
	}
	isb();
	return old;
}

static void fpsimd_restore(uint64_t old)
{
	if (current_el() == 2)
		write_sysreg(cptr_el2, old);
	else
		write_sysreg(cpacr_el1, old);
	isb();
}

static void verify(const struct qdh_purgatory_params *p, struct purg_run *run,
		   struct console *con, uint64_t freq)
{
	int ce = ID_AA64ISAR0_SHA2(read_sysreg(id_aa64isar0_el1)) != 0;
	uint64_t t = counter_ticks(), saved = 0;
	struct purg_line l;

	if (ce)
		saved = fpsimd_enable();
	run->rec_flags = purg_verify_segments(p, ce ? qdh_sha256_blocks_ce :
					      qdh_sha256_blocks_generic,
					      &run->bad_segment);
	if (ce)
		fpsimd_restore(saved);
	t = counter_ticks() - t;

	purg_line_init(&l);
	purg_line_str(&l, "qdh-purgatory: ");
	if (run->rec_flags & QDH_REC_F_DIGEST_BAD) {
		purg_line_str(&l, "DIGEST MISMATCH in segment ");
		purg_line_dec(&l, run->bad_segment);
	} else {
		purg_line_dec(&l, p->nsegments);
		purg_line_str(&l, " segments verified");
	}
	purg_line_str(&l, ce ? " (sha2-ce) in " : " (generic) in ");
	purg_line_dec(&l, ticks_to_us(t, freq));
	purg_line_str(&l, " us");
	console_line(con, &l);
}

static void report_iommus(const struct purg_run *run, struct console *con)
{
	const struct purg_blob *b;
	struct purg_iommu_desc d;
	struct purg_iommu_result r;
	struct purg_line l;
	uint32_t i;

	if (run->first < 0) {
		purg_line_init(&l);
		purg_line_str(&l, "qdh-purgatory: no valid QDH blob, IOMMUs not checked");
		console_line(con, &l);
		return;
	}
	b = &run->blob[run->first];
	for (i = 0; i < b->niommus; i++) {
		purg_blob_iommu(b, i, &d);
		purg_blob_rec_read(b, i, &r);
		purg_line_init(&l);
		purg_line_str(&l, "qdh-purgatory: ");
		purg_line_iommu(&l, &d, &r);
		console_line(con, &l);
	}
	purg_line_init(&l);
	purg_line_str(&l, "qdh-purgatory: ");
	purg_line_streams(&l, run->nste);
	if (l.len > sizeof("qdh-purgatory: ") - 1)
		console_line(con, &l);
}

static __attribute__((noreturn)) void halt(void)
{
	for (;;)
		__asm__ volatile("wfe");
}

void purgatory_main(void)
{
	const struct qdh_purgatory_params *p = &qdh_purgatory_params;
	uint64_t t0 = counter_ticks(), freq = read_sysreg(cntfrq_el0) & 0xffffffffu;
	struct console con = { .dr = p->uart, .freq = freq };
	struct purg_io io;
	struct purg_run run;
	struct purg_line l;

	/* Not patched by a matching loader: nothing here can be trusted,
	 * not even where to jump. */
	if (p->magic != QDH_PURGATORY_MAGIC || p->version != QDH_PURGATORY_VERSION)
		halt();

	run.rec_flags = QDH_REC_F_DIGEST_SKIPPED;
	run.bad_segment = 0;
	run.t0 = t0;
	if (p->flags & QDH_PURG_P_VERIFY)
		verify(p, &run, &con, freq);

	/*
	 * With the MMU off our accesses bypass the caches, but the old kernel
	 * may have left clean lines of the blob copies there; the next kernel
	 * turns its caches on and would read the stale, record-less copy.
	 * Evict them before the record is written (no line gets allocated
	 * afterwards: nothing runs cacheable until the next kernel).
	 */
	for (int i = 0; i < QDH_PURGATORY_MAX_BLOBS; i++)
		if (p->blob[i])
			dcache_civac_range(p->blob[i], p->blob_size);

	/* Filled at run time: a static initialiser of function pointers would
	 * need relocation, which this image must not have. */
	io.ctx = NULL;
	io.read32 = io_read32;
	io.read64 = io_read64;
	io.write32 = io_write32;
	io.ticks = io_ticks;
	io.freq = freq;
	io.sync_mem = io_sync_mem;
	purg_run_blobs(&io, p, &run);
	report_iommus(&run, &con);

	purg_line_init(&l);
	purg_line_str(&l, "qdh-purgatory: ");
	purg_line_dec(&l, run.nsealed);
	purg_line_str(&l, " record(s) written in ");
	purg_line_dec(&l, ticks_to_us(counter_ticks() - t0, freq));
	purg_line_str(&l, " us, entering ");
	purg_line_hex(&l, p->entry);
	console_line(&con, &l);

	if ((run.rec_flags & QDH_REC_F_DIGEST_BAD) &&
	    (p->flags & QDH_PURG_P_HALT_ON_BAD)) {
		purg_line_init(&l);
		purg_line_str(&l, "qdh-purgatory: halting (digest mismatch, halt-on-bad)");
		console_line(&con, &l);
		halt();
	}
}
