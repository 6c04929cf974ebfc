/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AArch64 system registers and MMIO for the purgatory (Arm ARM DDI 0487).
 * The MMU is off: every data access is Device-nGnRnE, so MMIO needs no
 * attribute games, only single aligned accesses and a barrier after writes.
 */
#ifndef QDH_PURGATORY_ARM64_CPU_H
#define QDH_PURGATORY_ARM64_CPU_H

#include <stdint.h>

#define read_sysreg(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" :: "r"((uint64_t)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb_sy() __asm__ volatile("dsb sy" ::: "memory")

/* ID_AA64ISAR0_EL1.SHA2, bits [15:12]: 1 = SHA256 instructions. */
#define ID_AA64ISAR0_SHA2(x)	(((x) >> 12) & 0xf)
/* CPACR_EL1.FPEN (and CPTR_EL2 with HCR_EL2.E2H = 1), bits [21:20]. */
#define CPACR_FPEN		(3ull << 20)
/* CPTR_EL2.TFP (HCR_EL2.E2H = 0), bit 10: trap FP/SIMD. */
#define CPTR_EL2_TFP		(1ull << 10)
#define HCR_EL2_E2H		(1ull << 34)

static inline unsigned int current_el(void)
{
	return (unsigned int)(read_sysreg(CurrentEL) >> 2) & 3;
}

/* The virtual counter (CNTVCT_EL0); the isb keeps the read in order. */
static inline uint64_t counter_ticks(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline uint64_t mmio_read64(uint64_t addr)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" :: "r"(v), "r"(addr) : "memory");
	dsb_sy();
}

/*
 * Clean and invalidate [addr, addr + len) to the Point of Coherency
 * (DC CIVAC; CTR_EL0.DminLine, bits [19:16], is log2 of the smallest data
 * cache line in words).  Works with the MMU off, on physical addresses.
 */
static inline void dcache_civac_range(uint64_t addr, uint64_t len)
{
	uint64_t line = 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	uint64_t end = addr + len;

	for (addr &= ~(line - 1); addr < end; addr += line)
		__asm__ volatile("dc civac, %0" :: "r"(addr) : "memory");
	dsb_sy();
}

/* ARMv8 SHA-2 instructions (arch/arm64/sha256-ce.S). */
void qdh_sha256_blocks_ce(uint32_t state[8], const uint8_t *data,
			  size_t nblocks);

#endif
