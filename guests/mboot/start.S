/* SPDX-License-Identifier: MIT */
/*
 * Multiboot 1 entry: the header the loader searches for in the first
 * 8192 bytes, then 32-bit code entered with EAX = magic and EBX = the
 * information.  Own stack, main(magic, info), exit with its value.
 */
#define MB_MAGIC 0x1badb002
/* bit 0: page-align modules; bit 1: memory information.  No bit 16: the
 * loader takes the addresses from the ELF32 program headers. */
#define MB_FLAGS 0x00000003
#define DEBUG_EXIT_PORT 0xf4

	.section .multiboot, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .text.entry, "ax"
	.code32
	.globl _start
_start:
	/* No cli: main checks that the loader left IF clear. */
	mov $stack_top, %esp
	cld
	push %ebx			/* info */
	push %eax			/* magic */
	call main
	mov $DEBUG_EXIT_PORT, %dx
	outb %al, %dx
1:	cli
	hlt
	jmp 1b

	.bss
	.align 16
	.skip 16384
stack_top:
	.section .note.GNU-stack, "", @progbits
