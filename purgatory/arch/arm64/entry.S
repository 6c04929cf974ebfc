/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Purgatory entry.  The kernel's kexec relocation code branches here with
 * the MMU and caches off, interrupts masked, at EL1 or EL2.  Position
 * independent: only PC-relative addressing (adrp/add).
 *
 * Contract: zero .bss, run purgatory_main() on our own stack, then enter the
 * next kernel as the arm64 boot protocol wants it: x0 = DTB, x1-x3 = 0.
 */
	.section .text.entry, "ax"
	.globl	purgatory_start
	.type	purgatory_start, %function
purgatory_start:
	/* .bss (the stack included): the kernel zero-fills memsz beyond
	 * filesz already, but a loader bug must not become a wild pointer. */
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
1:	cmp	x9, x10
	b.hs	2f
	stp	xzr, xzr, [x9], #16
	b	1b
2:	adrp	x9, purgatory_stack_end
	add	x9, x9, :lo12:purgatory_stack_end
	mov	sp, x9
	bl	purgatory_main

	adrp	x9, qdh_purgatory_params
	add	x9, x9, :lo12:qdh_purgatory_params
	ldr	x10, [x9, #8]		/* params.entry (asserted in main.c) */
	ldr	x0, [x9, #16]		/* params.dtb */
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x10
	.size	purgatory_start, . - purgatory_start

	.section .bss.stack, "aw", %nobits
	.balign	16
purgatory_stack:
	.space	16384
purgatory_stack_end:
