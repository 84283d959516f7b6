/* SPDX-License-Identifier: MIT */
/* IRQ 0 handler of the ticks guest: count, non-specific EOI, return. */
	.text
	.globl ticks_irq0
ticks_irq0:
	push %rax
	incq ticks_seen(%rip)
	mov $0x20, %al
	outb %al, $0x20
	pop %rax
	iretq
	.section .note.GNU-stack, "", @progbits
