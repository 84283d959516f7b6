/* SPDX-License-Identifier: MIT */
/* Guest entry in 64-bit mode: own stack, main(), exit with its value. */
	.section .text.entry, "ax"
	.globl _start
_start:
	lea stack_top(%rip), %rsp
	call main
	mov %eax, %edi
	call guest_exit

	.bss
	.align 16
	.skip 16384
stack_top:
	.section .note.GNU-stack, "", @progbits
