/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stand-in for the next kernel in test-qemu-virt.sh, linked at 0x41100000.
 * Prints "QDH-STUB x0=<x0>" and a hex dump of the region described at
 * 0x41100800 ({u64 addr, u64 len}) to the virt machine's PL011, then powers
 * off with PSCI SYSTEM_OFF (hvc at EL1, smc at EL2: QEMU's conduits).
 */
	.equ	UART, 0x09000000
	.text
	.globl	_start
_start:
	mov	x19, x0
	ldr	x20, =UART
	adr	x1, msg_x0
	bl	puts
	mov	x0, x19
	mov	x2, #16
	bl	puthex
	adr	x1, msg_dump
	bl	puts
	ldr	x21, =0x41100800
	ldr	x22, [x21]		/* addr */
	ldr	x23, [x21, #8]		/* len */
1:	cbz	x23, 2f
	ldrb	w0, [x22], #1
	mov	x2, #2
	bl	puthex
	sub	x23, x23, #1
	b	1b
2:	mov	w0, #'\n'
	bl	putc
	ldr	x0, =0x84000008		/* PSCI SYSTEM_OFF */
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.eq	3f
	hvc	#0
	b	.
3:	smc	#0
	b	.

/* putc w0; clobbers w3 */
putc:
4:	ldr	w3, [x20, #0x18]
	tbnz	w3, #5, 4b
	str	w0, [x20]
	ret

/* puts x1 (NUL-terminated); clobbers x0, x1, w3, x24 */
puts:
	mov	x24, x30
5:	ldrb	w0, [x1], #1
	cbz	w0, 6f
	bl	putc
	b	5b
6:	ret	x24

/* puthex x0 with x2 digits; clobbers x0-x5, x25 */
puthex:
	mov	x25, x30
	mov	x4, x0
	lsl	x5, x2, #2
7:	sub	x5, x5, #4
	lsr	x0, x4, x5
	and	x0, x0, #0xf
	cmp	x0, #10
	add	x1, x0, #'0'
	add	x0, x0, #('a' - 10)
	csel	x0, x1, x0, lo
	bl	putc
	cbnz	x5, 7b
	ret	x25

msg_x0:	.asciz	"QDH-STUB x0="
msg_dump: .asciz "\nQDH-DUMP "
	.balign	8
	.ltorg
